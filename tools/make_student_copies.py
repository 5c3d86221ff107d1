"""Make the student copies of the notebooks: solutions replaced by stubs, outputs cleared.

Every exercise's solution sits between nbgrader's markers::

    def output_size(n, kernel, stride, padding):
        ### BEGIN SOLUTION
        return (n - 1) * stride - 2 * padding + kernel
        ### END SOLUTION

    check_ex1(output_size)

This script reads each reviewed source ``notebooks/NN_name.py`` (jupytext percent format),
replaces every region from ``### BEGIN SOLUTION`` to ``### END SOLUTION`` (markers included)
by ``raise NotImplementedError("Exercise K: ...")`` at the marker's indentation, and writes
``notebooks/student/NN_name.ipynb`` without outputs. The copies are committed (each
notebook's second Colab badge opens its copy); ``tests/test_course_url.py`` regenerates them
and fails when they are out of date. ``K`` is the number in the cell's
``check_exK(...)`` call (else the exercise's position in the notebook).

Why our own script and not nbgrader's ``ClearSolutions``: the transformation is these forty
lines; nbgrader 0.9 needs Python >= 3.11 (the course supports 3.10), pulls in notebook,
sqlalchemy and alembic, and on plain notebooks must run with ``enforce_metadata=False``.
The markers are nbgrader's own, so a lecturer who grades with nbgrader can still use the
notebooks as they are (tag the exercise cells as solution cells in its create-assignment
toolbar and run ``nbgrader generate_assignment``).

Usage: ``python tools/make_student_copies.py [--out notebooks/student] [NOTEBOOK.py ...]``
(``make students`` runs it on every notebook).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CHECK_CALL = re.compile(r"check_ex(\d+)\s*\(")


def stub_message(k: int) -> str:
    """The text of exercise ``k``'s stub: what to do where the solution was."""
    return f"Exercise {k}: replace this line with your solution, then run the cell to check it."


def clear_solutions(source: str, k: int) -> str:
    """Replace every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region by a stub.

    Raises ``ValueError`` when the markers are unbalanced (a BEGIN without its END).
    """
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"exercise {k}: '{BEGIN}' inside another solution region.")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{stub_message(k)}")')
        elif stripped == END:
            if not inside:
                raise ValueError(f"exercise {k}: '{END}' without a '{BEGIN}' before it.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"exercise {k}: '{BEGIN}' without its '{END}'.")
    return "\n".join(out)


def has_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is a code cell holding a solution region."""
    return cell.cell_type == "code" and any(
        line.strip() == BEGIN for line in cell.source.splitlines()
    )


def student_notebook(source_py: Path) -> nbformat.NotebookNode:
    """Read ``source_py`` and return its student copy (stubs in, outputs out)."""
    nb = jupytext.read(source_py)
    nb.metadata = nbformat.from_dict({"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})
    ordinal = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"  # stable ids: the committed copies diff cleanly
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if has_solution(cell):
            ordinal += 1
            found = CHECK_CALL.search(cell.source)
            cell.source = clear_solutions(cell.source, int(found.group(1)) if found else ordinal)
    return nb


def write_student_copies(sources: list[Path], out_dir: Path) -> list[Path]:
    """Write the student copy of each source notebook to ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        target = out_dir / f"{source.stem}.ipynb"
        nbformat.write(student_notebook(source), target)
        written.append(target)
    return written


def course_notebooks(notebook_dir: Path = ROOT / "notebooks") -> list[Path]:
    """The reviewed sources of the course: ``notebooks/NN_name.py``, in order."""
    return sorted(p for p in notebook_dir.glob("[0-9][0-9]_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path,
                        help="notebooks/NN_name.py files (default: all of them)")
    parser.add_argument("--out", type=Path, default=ROOT / "notebooks" / "student")
    args = parser.parse_args(argv)
    sources = args.sources or course_notebooks()
    for path in write_student_copies(sources, args.out):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

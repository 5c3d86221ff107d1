"""Build the course as a static website: a home page with the course map, one page per notebook.

    python tools/build_site.py [--out site]      # what `make site` runs; open site/index.html

Sphinx with MyST-NB renders the committed, executed ``notebooks/NN_*.ipynb`` with their stored
outputs (nothing is re-executed: ``nb_execution_mode = "off"`` in ``tools/site/conf.py``). Every
``notebooks/[0-9][0-9]_*.ipynb`` becomes a page, so a new notebook needs no edit here.

Sphinx needs one source folder, so this script stages one (``build/site-work/src`` by default):

- ``index.md``, the home page, generated from ``README.md``: its opening paragraph, "What G3AN
  is", and the course table with each notebook's name turned into a link to its page (a
  notebook with no row yet gets one, titled from its first cell);
- ``notebooks/``: a copy of each notebook;
- ``_site/colab-badge.svg``: a local copy of the Colab badge (``conf.py`` points the notebooks'
  badge images at it, so the site loads nothing from another host).

The staging folder and Sphinx's cache (``doctrees``) are kept between builds, so a rebuild
redoes only the pages whose notebook changed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF_DIR = ROOT / "tools" / "site"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def course_notebooks(folder: Path = ROOT / "notebooks") -> list[Path]:
    """Every ``NN_name.ipynb`` in ``folder``, in course order."""
    return sorted(folder.glob(NOTEBOOK_GLOB))


def notebook_title(path: Path) -> str:
    """The ``# NN · Title`` heading of a notebook's first Markdown cell (its file stem if none)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
            break
    return path.stem


def _section(markdown: str, heading: str) -> list[str]:
    """The lines under ``## heading`` up to the next heading of level 1 or 2 (empty if absent)."""
    lines = markdown.splitlines()
    try:
        start = lines.index(f"## {heading}") + 1
    except ValueError:
        return []
    end = next(
        (i for i in range(start, len(lines)) if re.match(r"#{1,2} ", lines[i])), len(lines)
    )
    return lines[start:end]


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def course_table(readme: str, notebooks: list[Path]) -> str:
    """README's course table (section "The course") with links to the pages, and the lines
    that follow it up to the next blank line (the note on how the times were taken).

    The first column's `` `NN_name` `` becomes a link to ``notebooks/NN_name.ipynb``; a
    notebook that has no row gets one with its title and empty columns, and a row whose
    notebook does not exist stays as it is (no link).
    """
    section = _section(readme, "The course")
    first = next((i for i, line in enumerate(section) if line.startswith("| notebook")), None)
    stems = {p.stem: p for p in notebooks}
    if first is None:  # no table in README: a plain list of the notebooks
        header, rows, after = ["notebook", "what it teaches"], [], []
    else:
        header = _cells(section[first])
        last = first
        while last + 1 < len(section) and section[last + 1].startswith("|"):
            last += 1
        rows = [_cells(line) for line in section[first + 2 : last + 1]]
        after = []
        for line in section[last + 1 :]:
            if after and not line.strip():
                break
            if line.strip():
                after.append(line)
    seen = set()
    out_rows = []
    for cells in rows:
        name = cells[0].strip("`")
        if name in stems:
            seen.add(name)
            cells = [f"[`{name}`](notebooks/{name}.ipynb)", *cells[1:]]
        out_rows.append(cells)
    for stem, path in stems.items():
        if stem not in seen:
            filler = [""] * (len(header) - 2)
            out_rows.append([f"[`{stem}`](notebooks/{stem}.ipynb)", notebook_title(path), *filler])
    out_rows.sort(key=lambda cells: re.sub(r"\W", "", cells[0]))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in out_rows]
    return "\n".join(lines + ([""] + after if after else []))


def home_page(readme: str, notebooks: list[Path]) -> str:
    """The site's ``index.md``: README's opening, "What G3AN is", the course map, a toctree."""
    lines = readme.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# ")) + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    opening = "\n".join(lines[start:end])
    what = "\n".join(_section(readme, "What G3AN is, in one paragraph")).strip()
    toc = "\n".join(f"notebooks/{p.stem}" for p in notebooks)
    parts = [
        "# g3an-edu: G3AN, piece by piece",
        opening,
        "Every page below is a notebook of the course with the outputs it had when it was last "
        "executed (in the `fast` tier, on a CPU). To run one yourself, open it on Colab with "
        "the badge at its top, or locally with `make lab`.",
    ]
    if what:
        parts += ["## What G3AN is, in one paragraph", what]
    parts += [
        "## The course map",
        course_table(readme, notebooks),
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Notebooks\n:hidden:\n\n{toc}\n```",
    ]
    return "\n\n".join(parts) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    """Rewrite only on change, so Sphinx does not rebuild an unchanged page."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def stage(src: Path, notebooks: list[Path], readme: Path = ROOT / "README.md") -> None:
    """Lay out Sphinx's source folder ``src`` (see the module docstring)."""
    (src / "_site").mkdir(parents=True, exist_ok=True)
    shutil.copy2(CONF_DIR / "colab-badge.svg", src / "_site" / "colab-badge.svg")
    folder = src / "notebooks"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for nb in notebooks:
        # A copy, not a link: MyST resolves a linked file to its target's folder, and the
        # links between pages would then point outside the site. copy2 keeps the file time,
        # so Sphinx rebuilds only the notebooks that changed.
        shutil.copy2(nb, folder / nb.name)
    _write_if_changed(src / "index.md", home_page(readme.read_text(encoding="utf-8"), notebooks))


def build(
    out: Path | None = ROOT / "site",
    notebooks: list[Path] | None = None,
    work: Path = ROOT / "build" / "site-work",
    quiet: bool = False,
) -> Path:
    """Stage the sources in ``work``, build the HTML, copy it to ``out``; return the HTML folder.

    Sphinx writes into ``work/html`` (MyST-NB puts its extracted images beside the output
    folder, in ``work/jupyter_execute``, so the output cannot be ``site/`` itself without
    littering the repository root); ``out`` receives a copy (``None``: no copy, the HTML
    stays in ``work/html``). Raises ``RuntimeError`` when the build fails.
    """
    notebooks = course_notebooks() if notebooks is None else notebooks
    if not notebooks:
        raise RuntimeError(f"no notebooks to build (expected notebooks/{NOTEBOOK_GLOB})")
    src, html = work / "src", work / "html"
    stage(src, notebooks)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(CONF_DIR),
           "-d", str(work / "doctrees"), str(src), str(html)]
    if quiet:
        cmd.append("-q")
    proc = subprocess.run(cmd)
    if proc.returncode != 0:
        raise RuntimeError(f"sphinx-build failed (exit {proc.returncode}): {' '.join(cmd)}")
    if out is None:
        return html
    if out.exists():
        if any(out.iterdir()) and not (out / ".buildinfo").exists():
            raise RuntimeError(f"{out} exists and is not a site built here: not overwriting "
                               "it. Remove it or choose another --out.")
        shutil.rmtree(out)
    shutil.copytree(html, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site",
                        help="where the HTML goes (default: site/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "site-work",
                        help="staged sources and Sphinx's cache (default: build/site-work/)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings")
    args = parser.parse_args(argv)
    print(f"site: building {len(course_notebooks())} notebooks with Sphinx and MyST-NB ...",
          flush=True)
    t0 = time.perf_counter()
    try:
        out = build(args.out, work=args.work, quiet=args.quiet)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"site: built in {time.perf_counter() - t0:.0f} s; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

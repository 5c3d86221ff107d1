"""The notebooks as a course: pairs in sync, the shared structure, working student copies.

nbval runs every notebook (``make test``); these tests check what nbval cannot see: that the
reviewed ``.py`` and the executed ``.ipynb`` hold the same cells, that every notebook has its
Colab badge, setup cell, summary and 2-4 exercises, and that the student copies stub every
solution so that running an exercise cell raises ``NotImplementedError`` naming the exercise.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import matplotlib
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))

import make_student_copies as msc  # noqa: E402
import set_course_url  # noqa: E402
import tidy_notebook  # noqa: E402

SOURCES = msc.course_notebooks(NOTEBOOKS)
COURSE = set_course_url.Course.from_pyproject(ROOT / "pyproject.toml")  # the course's address
ids = [p.stem for p in SOURCES]


def cells_of(nb) -> list[tuple[str, str]]:
    """(cell type, source without trailing blank lines) of every cell."""
    return [(c.cell_type, c.source.rstrip()) for c in nb.cells]


def heading_index(nb, heading: str) -> int:
    """Index of the Markdown cell with a line ``heading`` (e.g. ``## Exercises``)."""
    for i, cell in enumerate(nb.cells):
        lines = [line.strip() for line in cell.source.splitlines()]
        if cell.cell_type == "markdown" and any(line.startswith(heading) for line in lines):
            return i
    raise AssertionError(f"no Markdown cell with a line {heading!r}")


def test_the_course_has_its_notebooks():
    names = {p.stem for p in SOURCES}
    assert {"00_tour", "01_transposed_convolutions", "02_g3_module_and_fusion",
            "03_factorized_self_attention", "04_generator", "05_discriminators",
            "06_training", "07_evaluation", "08_measuring_disentanglement",
            "09_what_makes_it_disentangle", "10_g3an_vs_mocogan", "11_training_on_a_gpu",
            "12_playground", "13_your_own_videos"} <= names


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_pair_has_the_same_cells_in_py_and_ipynb(source: Path):
    ipynb = source.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} is missing: run `make notebooks NB={source}`"
    from_py, from_ipynb = cells_of(jupytext.read(source)), cells_of(jupytext.read(ipynb))
    for i, (a, b) in enumerate(zip(from_py, from_ipynb, strict=False)):
        assert a == b, (f"cell {i} differs between {source.name} and {ipynb.name}: edit the .py "
                        f"and run `make notebooks NB={source.relative_to(ROOT)}`")
    assert len(from_py) == len(from_ipynb), (
        f"{source.name} has {len(from_py)} cells, {ipynb.name} {len(from_ipynb)}: run "
        f"`make notebooks NB={source.relative_to(ROOT)}`")


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_ipynb_is_executed_without_errors(source: Path):
    nb = jupytext.read(source.with_suffix(".ipynb"))
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{source.stem}.ipynb has unexecuted cells"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{source.stem}.ipynb was saved with an error: {errors[0].ename}"


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_notebook_opens_with_title_badge_and_colab_setup(source: Path):
    nb = jupytext.read(source)
    first, second = nb.cells[0], nb.cells[1]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# {source.stem[:2]} · "), "title must be '# NN · Title'"
    fix = "run python tools/set_course_url.py"
    notebook_badge, student_badge = COURSE.badges(source.stem)
    assert notebook_badge in first.source, f"the Colab badge to this notebook: {fix}"
    assert student_badge in first.source, f"the Colab badge to its student copy: {fix}"
    assert second.cell_type == "code"
    assert second.source == COURSE.setup_cell(source.stem), f"the Colab setup cell: {fix}"
    assert '"google.colab" in sys.modules' in second.source
    assert f'"{COURSE.requirement}"' in second.source
    assert not any(line.lstrip().startswith(("!", "%")) for line in second.source.splitlines())
    code = [c for c in nb.cells if c.cell_type == "code"]
    imports = code[preamble_length(code) - 1]
    for needed in ("torch.manual_seed(0)", "pick_device(", "tier = current_tier()"):
        assert needed in imports.source, f"the imports cell must contain {needed!r}"


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_notebook_ends_with_summary_and_two_to_four_checked_exercises(source: Path):
    nb = jupytext.read(source)
    summary, exercises = heading_index(nb, "## Summary"), heading_index(nb, "## Exercises")
    assert summary <= exercises, "'## Summary' comes before '## Exercises'"
    solutions = [c for c in nb.cells[exercises:] if msc.has_solution(c)]
    assert 2 <= len(solutions) <= 4, f"{len(solutions)} exercises; the course wants 2-4"
    for k, cell in enumerate(solutions, start=1):
        assert msc.END in cell.source, f"exercise {k} has no '{msc.END}'"
        assert re.search(rf"check_ex{k}\s*\(", cell.source), f"exercise {k} must call check_ex{k}"
    assert not any(msc.has_solution(c) for c in nb.cells[:exercises]), "solutions before Exercises"


def test_clear_solutions_keeps_indentation_and_the_code_around():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\ncheck_ex2(f)"
    stubbed = msc.clear_solutions(source, 2)
    assert stubbed.splitlines() == [
        "def f(x):", f'    raise NotImplementedError("{msc.stub_message(2)}")', "",
        "check_ex2(f)"]
    with pytest.raises(ValueError, match="without its"):
        msc.clear_solutions("### BEGIN SOLUTION\nx = 1", 1)


def preamble_length(code_cells) -> int:
    """Code cells up to the imports cell, the first that sets ``tier = current_tier()``."""
    for i, cell in enumerate(code_cells):
        if "current_tier()" in cell.source:
            return i + 1
    raise AssertionError("no imports cell: the course's convention sets tier = current_tier()")


def _exec_cells(cells, namespace: dict, source: Path) -> None:
    for cell in cells:
        exec(compile(cell.source, f"<{source.stem} cell>", "exec"), namespace)


def _run_exercises(cells, namespace: dict, source: Path) -> int:
    """Run the exercise cells; each stub must raise its message. Returns the stub count."""
    stubs = 0
    for cell in cells:
        match = re.search(r'NotImplementedError\("(Exercise (\d+): [^"]*)"\)', cell.source)
        if match is None:
            _exec_cells([cell], namespace, source)
            continue
        stubs += 1
        with pytest.raises(NotImplementedError, match=re.escape(match.group(1))):
            _exec_cells([cell], namespace, source)
    return stubs


def run_student_exercises(source: Path, out_dir: Path) -> tuple[int, bool]:
    """Make the student copy of ``source`` and run its exercise cells.

    Each stub must raise ``NotImplementedError`` with its exercise's message. Fast path: the
    preamble (setup cell to imports cell), then the Exercises section. If an exercise needs a
    name from the body of the notebook, the whole notebook runs first (slower, same check).
    Returns the number of stubs and whether the whole notebook had to run.
    """
    import matplotlib.pyplot as plt

    (copy,) = msc.write_student_copies([source], out_dir)
    nb = jupytext.read(copy)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert not any(msc.BEGIN in c.source or msc.END in c.source for c in nb.cells)
    start = heading_index(nb, "## Exercises")
    body = [c for c in nb.cells[:start] if c.cell_type == "code"]
    exercises = [c for c in nb.cells[start:] if c.cell_type == "code"]
    matplotlib.use("Agg")
    try:
        namespace: dict = {"__name__": "__main__"}
        _exec_cells(body[: preamble_length(body)], namespace, source)  # setup ... imports
        return _run_exercises(exercises, namespace, source), False
    except NameError:
        namespace = {"__name__": "__main__"}
        _exec_cells(body, namespace, source)
        return _run_exercises(exercises, namespace, source), True
    finally:
        plt.close("all")


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_student_copy_stubs_every_solution_and_raises_its_message(source, tmp_path, monkeypatch):
    monkeypatch.setenv("G3AN_TIER", "fast")
    monkeypatch.chdir(NOTEBOOKS)
    stubs, _ = run_student_exercises(source, tmp_path)
    assert stubs == len([c for c in jupytext.read(source).cells if msc.has_solution(c)])


TOY = """# %% [markdown]
# # 99 · Toy

# %%
import sys

# %%
import math


def current_tier():
    return "fast"


tier = current_tier()

# %%
scale = 3

# %% [markdown]
# ## Exercises

# %%
def triple(x):
    ### BEGIN SOLUTION
    return scale * x
    ### END SOLUTION


def check_ex1(f):
    assert f(2) == 6, "Exercise 1: wrong"


check_ex1(triple)

# %%
half = math.sqrt(4) / 4 * scale / 3
### BEGIN SOLUTION
answer = half * 2
### END SOLUTION
assert answer == 1.0  # check_ex2(answer)
"""


def test_student_exercises_run_the_body_only_when_an_exercise_needs_it(tmp_path):
    source = tmp_path / "99_toy.py"
    source.write_text(TOY)
    stubs, ran_body = run_student_exercises(source, tmp_path / "student")
    assert (stubs, ran_body) == (2, True)  # `scale` lives in the body of the notebook
    source.write_text(TOY.replace(" * scale / 3", "").replace("scale = 3", "pass"))
    assert run_student_exercises(source, tmp_path / "student") == (2, False)


def test_a_stub_that_does_not_raise_fails_the_student_test(tmp_path):
    source = tmp_path / "99_toy.py"
    source.write_text(TOY.replace("def check_ex1(f):", "def check_ex1(f):\n    return"))
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):
        run_student_exercises(source, tmp_path / "student")


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_ipynb_is_tidy_so_reruns_diff_cleanly(source: Path):
    nb = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    assert [c.id for c in nb.cells] == [f"cell-{i:03d}" for i in range(len(nb.cells))], (
        "run `make notebooks` (it tidies the .ipynb after executing it)")
    assert not any("execution" in c.metadata for c in nb.cells)


def test_tidy_sets_ids_drops_timestamps_and_joins_streams(tmp_path):
    code = new_code_cell("print(1); print(2)", metadata={"execution": {"iopub.status.busy": "x"}})
    code.outputs = [new_output("stream", name="stdout", text="1\n"),
                    new_output("stream", name="stdout", text="2\n"),
                    new_output("stream", name="stderr", text="w\n")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# hi"), code]), path)
    tidy_notebook.tidy(path)
    nb = nbformat.read(path, as_version=4)
    assert [c.id for c in nb.cells] == ["cell-000", "cell-001"]
    assert "execution" not in nb.cells[1].metadata
    streams = [(o.name, o.text) for o in nb.cells[1].outputs]
    assert streams == [("stdout", "1\n2\n"), ("stderr", "w\n")]

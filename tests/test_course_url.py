"""The course's public address: one place (pyproject.toml), every badge and setup cell from it.

``tools/set_course_url.py`` writes the address into every notebook pair, the READMEs and the
student copies; these tests check that they all agree with ``pyproject.toml``, that the tool
turns the old setup cell into the new one and changes nothing on a second run, and what the
setup cell does on Colab and off it (``g3an_edu.colab``). The real install on a simulated
Colab is ``tests/test_colab_install.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from importlib import metadata
from pathlib import Path

import jupytext
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import set_course_url as scu  # noqa: E402

from g3an_edu import colab  # noqa: E402

COURSE = scu.Course.from_pyproject(ROOT / "pyproject.toml")

OLD_NOTEBOOK = """\
# %% [markdown]
# # {nn} · Toy
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/{stem}.ipynb)
#
# What you will build.

# %%
# Setup: on Colab this installs the course package (a minute); locally it does nothing.
import subprocess
import sys

if "google.colab" in sys.modules:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/g3an-edu/g3an-edu"], check=True)

# %%
from g3an_edu.tier import current_tier

tier = current_tier()

# %% [markdown]
# ## Exercises

# %%
### BEGIN SOLUTION
x = 1
### END SOLUTION
check_ex1(x)
"""
OLD_README = """\
# toy

Colab: [00](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/00_tour.ipynb),
`pip install "git+https://github.com/g3an-edu/g3an-edu"`, fork https://github.com/g3an-edu/g3an-edu.
Not ours: https://github.com/g3an-edu/g3an-edu-extras.
"""


def test_every_badge_and_setup_cell_agrees_with_pyproject():
    stale = scu.planned_edits(ROOT, COURSE)
    assert not stale, (f"{[str(p.relative_to(ROOT)) for p in stale]} do not point at "
                       f"{COURSE.requirement}: run python tools/set_course_url.py")


def test_student_copies_are_committed_and_up_to_date():
    stale = scu.stale_student_copies(ROOT)
    assert not stale, (f"{[str(p.relative_to(ROOT)) for p in stale]}: out of date, missing or "
                       "without a source; run `make students` (delete a copy whose notebook "
                       "is gone) and commit notebooks/student/")


def test_each_notebook_has_both_badges_and_the_one_setup_cell():
    for source in scu.course_sources(ROOT):
        nb = jupytext.read(source)
        for line in COURSE.badges(source.stem):
            assert line in nb.cells[0].source, f"{source.name}: badge {line!r}"
        assert nb.cells[1].source == COURSE.setup_cell(source.stem), source.name
        assert f"notebooks/student/{source.stem}.ipynb" in nb.cells[0].source


def test_the_setup_cells_differ_only_in_the_gpu_flag():
    course = scu.Course(COURSE.repository, COURSE.branch, ["11"])
    cpu, gpu = course.setup_cell("01_x").splitlines(), course.setup_cell("11_x").splitlines()
    assert [i for i, (a, b) in enumerate(zip(cpu, gpu, strict=True)) if a != b] == [1]
    assert gpu[1].startswith("NEEDS_GPU = True") and cpu[1].startswith("NEEDS_GPU = False")
    assert "USE_DRIVE = False" in cpu[2]
    assert not any(line.lstrip().startswith(("!", "%")) for line in cpu)


def _exec_setup_cell(monkeypatch, on_colab: bool, source: str | None = None) -> list:
    calls: list = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(("pip", a[0])))
    monkeypatch.setattr(colab, "setup_colab", lambda **flags: calls.append(("setup", flags)))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    if source is None:
        monkeypatch.delenv("G3AN_EDU_SOURCE", raising=False)
    else:
        monkeypatch.setenv("G3AN_EDU_SOURCE", source)
    namespace: dict = {}
    exec(COURSE.setup_cell("00_tour"), namespace)
    assert namespace["NEEDS_GPU"] is False and namespace["USE_DRIVE"] is False
    return calls


def test_the_setup_cell_does_nothing_outside_colab(monkeypatch):
    assert _exec_setup_cell(monkeypatch, on_colab=False) == []


def test_on_colab_the_setup_cell_installs_the_course_and_asks_for_colabs_own_torch(monkeypatch):
    torch_pin = f"torch=={metadata.version('torch')}"
    calls = _exec_setup_cell(monkeypatch, on_colab=True)
    assert calls == [("pip", [sys.executable, "-m", "pip", "install", "-q", COURSE.requirement,
                              torch_pin]),
                     ("setup", {"needs_gpu": False, "use_drive": False})]
    calls = _exec_setup_cell(monkeypatch, on_colab=True, source="/content/g3an_edu-0.1.0.whl")
    assert calls[0][1][-2:] == ["/content/g3an_edu-0.1.0.whl", torch_pin]


def _toy_root(tmp_path: Path, stems=("05_toy",)) -> Path:
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "README.md").write_text(OLD_README)
    for stem in stems:
        py = root / "notebooks" / f"{stem}.py"
        py.write_text(OLD_NOTEBOOK.format(nn=stem[:2], stem=stem))
        jupytext.write(jupytext.read(py), py.with_suffix(".ipynb"))
    return root


def _pair_cells(py: Path) -> tuple[list, list]:
    def cells(path):
        return [(c.cell_type, c.source.rstrip()) for c in jupytext.read(path).cells]
    return cells(py), cells(py.with_suffix(".ipynb"))


@pytest.mark.slow  # the student copies: a subprocess per run of the tool
def test_the_tool_rewrites_an_old_setup_cell_keeps_the_pair_in_sync_and_is_idempotent(tmp_path):
    root = _toy_root(tmp_path, stems=("05_toy", "11_gpu_training"))
    assert len(scu.planned_edits(root, COURSE)) == 5  # both pairs and the README
    assert scu.main(["--root", str(root)]) == 0
    texts = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    for stem, needs_gpu in (("05_toy", False), ("11_gpu_training", True)):
        py = root / "notebooks" / f"{stem}.py"
        from_py, from_ipynb = _pair_cells(py)
        assert from_py == from_ipynb
        assert from_py[1] == ("code", COURSE.setup_cell(stem))
        assert f"NEEDS_GPU = {needs_gpu}" in from_py[1][1]  # pyproject: gpu-notebooks = ["11"]
        assert from_py[2][1].startswith("from g3an_edu.tier")  # the rest is untouched
        student = jupytext.read(root / "notebooks" / "student" / f"{stem}.ipynb")
        assert student.cells[1].source == COURSE.setup_cell(stem)
    assert f'"{COURSE.requirement}"' in (root / "README.md").read_text()
    assert scu.main(["--check", "--root", str(root)]) == 0
    assert scu.main(["--root", str(root)]) == 0
    assert texts == {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_one_command_moves_the_course_to_a_fork(tmp_path):
    root = _toy_root(tmp_path)
    assert scu.main(["https://github.com/lecturer/g3an-course.git", "--branch", "ws2026",
                     "--root", str(root)]) == 0
    fork = scu.Course.from_pyproject(root / "pyproject.toml")
    assert (fork.repository, fork.branch) == ("https://github.com/lecturer/g3an-course", "ws2026")
    assert fork.gpu_notebooks == COURSE.gpu_notebooks
    py = (root / "notebooks" / "05_toy.py").read_text()
    assert "g3an-edu/g3an-edu" not in py
    assert ("https://colab.research.google.com/github/lecturer/g3an-course/blob/ws2026/"
            "notebooks/student/05_toy.ipynb") in py
    assert '"git+https://github.com/lecturer/g3an-course@ws2026"' in py
    readme = (root / "README.md").read_text()
    assert "github/lecturer/g3an-course/blob/ws2026/notebooks/00_tour.ipynb" in readme
    assert "fork https://github.com/lecturer/g3an-course." in readme
    assert "https://github.com/g3an-edu/g3an-edu-extras" in readme  # another repository
    assert scu.planned_edits(root, fork) == {}


def test_only_a_github_repository_can_be_the_courses_address():
    with pytest.raises(ValueError, match="Colab opens notebooks only from GitHub"):
        scu.Course("https://gitlab.com/someone/g3an-edu", "main")
    assert scu.Course("https://github.com/a/b/", "main").requirement == "git+https://github.com/a/b@main"


def test_the_readme_says_how_to_publish_a_fork():
    readme = (ROOT / "README.md").read_text()
    assert "python tools/set_course_url.py https://github.com/" in readme
    assert COURSE.colab_url("notebooks/student/") in readme


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU runtime")
def test_setup_colab_stops_a_gpu_notebook_on_a_cpu_runtime_with_the_fix():
    with pytest.raises(RuntimeError, match="needs a GPU runtime.*Change runtime type"):
        colab.setup_colab(needs_gpu=True)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU runtime")
def test_setup_colab_reports_the_device_and_where_files_go(capsys):
    assert colab.setup_colab() == Path.cwd()
    out = capsys.readouterr().out
    assert "no GPU: this notebook runs on the CPU" in out and "USE_DRIVE = True" in out


def test_setup_colab_with_drive_mounts_it_and_works_in_a_course_folder(tmp_path, monkeypatch):
    mounted = []
    drive = types.SimpleNamespace(mount=mounted.append)
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", types.SimpleNamespace(drive=drive))
    monkeypatch.chdir(tmp_path)
    folder = colab.setup_colab(use_drive=True, mount_point=tmp_path / "drive")
    assert mounted == [str(tmp_path / "drive")]
    assert folder == tmp_path / "drive" / "MyDrive" / "g3an-edu" == Path.cwd()


def test_course_root_is_the_checkout_beside_the_package():
    assert (colab.course_root() / "docs" / "study").is_dir()


def test_course_root_without_results_or_git_source_says_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="install it from git"):
        colab.course_root("g3an_edu-0.1.whl", into=tmp_path / "c", marker="no/such/folder")


def test_course_root_clones_a_git_source_once(tmp_path):
    origin = tmp_path / "origin"
    (origin / "docs" / "study").mkdir(parents=True)
    (origin / "docs" / "study" / "paper-seed0.json").write_text("[]")
    git = ["git", "-C", str(origin), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(origin)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "results"], check=True)
    into = tmp_path / "course"
    root = colab.course_root(f"git+file://{origin}@main", into=into, marker="docs/nothing-here")
    assert root == into and (into / "docs" / "study" / "paper-seed0.json").is_file()


def test_course_root_falls_back_to_the_source_variable_and_clones_a_commit(tmp_path, monkeypatch):
    origin = tmp_path / "origin"
    (origin / "docs" / "study").mkdir(parents=True)
    (origin / "docs" / "study" / "paper-seed0.json").write_text("[]")
    git = ["git", "-C", str(origin), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(origin)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "results"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    # a notebook whose own setup cell did not run in this kernel passes no source
    monkeypatch.setenv(colab.SOURCE_ENV, f"git+file://{origin}@{head}")
    into = tmp_path / "course"
    root = colab.course_root(None, into=into, marker="docs/nothing-here")
    assert root == into and (into / "docs" / "study" / "paper-seed0.json").is_file()


def test_installed_from_reads_pips_git_record_or_gives_none(monkeypatch):
    import importlib.metadata as md

    records = {
        "git": {"url": "https://github.com/me/g3an-edu",
                "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": "a" * 40}},
        "pinned": {"url": "https://github.com/me/g3an-edu",
                   "vcs_info": {"vcs": "git", "commit_id": "b" * 40}},
        "folder": {"url": "file:///work/g3an-edu", "dir_info": {"editable": True}},
    }

    class Dist:
        def __init__(self, record):
            self.record = record

        def read_text(self, name):
            assert name == "direct_url.json"
            return json.dumps(self.record)

    for kind, expected in (("git", "git+https://github.com/me/g3an-edu@main"),
                           ("pinned", "git+https://github.com/me/g3an-edu@" + "b" * 40),
                           ("folder", None)):
        monkeypatch.setattr(md, "distribution", lambda name, k=kind: Dist(records[k]))
        assert colab.installed_from() == expected


def test_course_json_reads_a_committed_file_or_says_why_not(tmp_path, monkeypatch, capsys):
    shipped = colab.course_json("docs/shipped_metrics.json")
    assert "g3an-tiny" in shipped["models"]
    monkeypatch.delenv(colab.SOURCE_ENV, raising=False)
    monkeypatch.setattr(colab, "installed_from", lambda: None)
    monkeypatch.chdir(tmp_path)
    assert colab.course_json("docs/no-such-file.json") is None
    assert "not beside the installed package" in capsys.readouterr().out

"""Point every Colab badge and every notebook's setup cell at the course's public address.

The address lives in one place, ``pyproject.toml``::

    [project.urls]
    Repository = "https://github.com/OWNER/REPO"

    [tool.g3an-edu]
    branch = "main"            # the branch the badges open and the setup cells install
    gpu-notebooks = ["11"]     # notebooks whose setup cell stops without a GPU runtime

This script writes it into, as text edits that keep each pair in sync without re-executing it:

- the first cell of every ``notebooks/NN_name.py`` and its ``.ipynb``: two Colab badges, one
  opening the notebook (solutions included), one opening its student copy
  (``notebooks/student/NN_name.ipynb``, solutions removed);
- the second cell of each: the setup cell, rendered from :func:`setup_cell`, the one template;
- the Colab links and the course's ``git+`` install address (and, when it changes, the old
  address) in ``README.md`` and ``notebooks/README.md``;

then regenerates the student copies (``tools/make_student_copies.py``). It works on the old
setup cell and the new one alike, and running it twice changes nothing the second time.

Usage::

    python tools/set_course_url.py https://github.com/THEM/g3an-edu [--branch main]
    python tools/set_course_url.py            # re-apply pyproject.toml's address (after a merge)
    python tools/set_course_url.py --check    # exit 1 and list the files that disagree
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/"
                        r"[^\s)]+?/notebooks/")
GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")

SETUP_CELL = '''\
# Setup: on Colab this installs the course package (a minute); locally it does nothing.
NEEDS_GPU = {needs_gpu}  # {gpu_comment}
USE_DRIVE = False  # True: keep what you save (runs/) in your Google Drive across sessions
import os
import subprocess
import sys

if "google.colab" in sys.modules:
    from importlib.metadata import version

    # $G3AN_EDU_SOURCE (any pip requirement) replaces the course's address; asking for the
    # torch Colab already has keeps its CUDA build (pip never downloads another torch)
    source = os.environ.get("G3AN_EDU_SOURCE", "{requirement}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", source,
                    f"torch=={{version('torch')}}"], check=True)
    from g3an_edu.colab import setup_colab

    setup_colab(needs_gpu=NEEDS_GPU, use_drive=USE_DRIVE)'''
GPU_COMMENTS = {
    True: "this notebook trains at full size: it stops here without a GPU runtime",
    False: "this notebook also runs on a CPU (a GPU runtime makes it faster)",
}


class Course:
    """The course's address as ``pyproject.toml`` gives it."""

    def __init__(self, repository: str, branch: str, gpu_notebooks: list[str] | tuple = ()):
        match = GITHUB.fullmatch(repository)
        if match is None:
            raise ValueError(
                f"the course's address must be a GitHub repository, "
                f"https://github.com/OWNER/REPO (Colab opens notebooks only from GitHub); "
                f"got {repository!r}.")
        if not branch or any(c.isspace() for c in branch):
            raise ValueError(f"not a branch name: {branch!r}")
        self.owner, self.name = match.groups()
        self.repository = f"https://github.com/{self.owner}/{self.name}"
        self.branch = branch
        self.gpu_notebooks = tuple(gpu_notebooks)

    @classmethod
    def from_pyproject(cls, path: Path) -> Course:
        data = tomllib.loads(path.read_text())
        try:
            repository = data["project"]["urls"]["Repository"]
            tool = data["tool"]["g3an-edu"]
        except KeyError as err:
            raise ValueError(f"{path} lacks {err}: it needs [project.urls] Repository = URL and "
                             "a [tool.g3an-edu] table with branch = NAME") from None
        return cls(repository, tool["branch"], tool.get("gpu-notebooks", []))

    @property
    def requirement(self) -> str:
        """What the setup cell installs: ``git+https://github.com/OWNER/REPO@BRANCH``."""
        return f"git+{self.repository}@{self.branch}"

    def colab_url(self, relative: str) -> str:
        """The Colab address that opens ``relative`` (a path in the repository)."""
        return (f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/"
                f"{self.branch}/{relative}")

    def needs_gpu(self, stem: str) -> bool:
        return stem[:2] in self.gpu_notebooks

    def badges(self, stem: str) -> list[str]:
        """The badge lines of notebook ``stem``'s first cell (Markdown, no comment prefix)."""
        return [
            f"[![Open In Colab]({COLAB_BADGE})]({self.colab_url(f'notebooks/{stem}.ipynb')}) "
            "this notebook, solutions included ·",
            f"[![Open the exercises (student copy) in Colab]({COLAB_BADGE})]"
            f"({self.colab_url(f'notebooks/student/{stem}.ipynb')}) "
            "the exercises (student copy), solutions removed",
        ]

    def setup_cell(self, stem: str) -> str:
        """The setup cell of notebook ``stem``: the same code everywhere but its GPU flag."""
        needs = self.needs_gpu(stem)
        return SETUP_CELL.format(needs_gpu=needs, gpu_comment=GPU_COMMENTS[needs],
                                 requirement=self.requirement)


def is_setup_cell(source: str) -> bool:
    return '"google.colab" in sys.modules' in source


def with_badges(lines: list[str], badges: list[str], prefix: str = "") -> list[str]:
    """``lines`` of a first cell with its Colab badge lines replaced by ``badges``.

    The first run of lines holding a ``colab.research.google.com/github/`` link is replaced;
    a cell without one gets the badges after its title line.
    """
    new = [prefix + b for b in badges]
    hits = [i for i, line in enumerate(lines) if "colab.research.google.com/github/" in line]
    if not hits:
        return lines[:1] + [prefix.rstrip()] + new + lines[1:]
    end = hits[0]
    while end + 1 < len(lines) and "colab.research.google.com/github/" in lines[end + 1]:
        end += 1
    return lines[: hits[0]] + new + lines[end + 1:]


def rewrite_py(text: str, stem: str, course: Course) -> str:
    """The percent-format source ``text`` with its badges and setup cell rewritten."""
    lines = text.split("\n")
    markers = [i for i, line in enumerate(lines) if line.startswith("# %%")]
    if not markers:
        raise ValueError(f"{stem}.py: no '# %%' cell marker (not a jupytext percent file)")
    markers.append(len(lines))
    cells = [lines[:markers[0]]] + [lines[a:b] for a, b in zip(markers, markers[1:], strict=False)]
    first = next(i for i, c in enumerate(cells) if c and c[0].startswith("# %% [markdown]"))
    cells[first] = cells[first][:1] + with_badges(cells[first][1:], course.badges(stem), "# ")
    for k, cell in enumerate(cells):
        if cell and not cell[0].startswith("# %% [") and is_setup_cell("\n".join(cell)):
            trailing = len(cell) - len("\n".join(cell).rstrip("\n").split("\n"))
            cells[k] = [cell[0], *course.setup_cell(stem).split("\n"), *[""] * trailing]
            break
    else:
        raise ValueError(f"{stem}.py has no Colab setup cell (a code cell testing "
                         "'\"google.colab\" in sys.modules'): copy notebooks/00_tour.py's")
    return "\n".join(line for cell in cells for line in cell)


def _source_lines(text: str) -> list[str]:
    """A notebook cell's source as the list of lines nbformat writes."""
    return text.splitlines(keepends=True)


def rewrite_ipynb(text: str, stem: str, course: Course) -> str:
    """The ``.ipynb`` JSON ``text`` with the same two cells rewritten; outputs kept."""
    nb = json.loads(text)
    cells = nb["cells"]
    first = next(c for c in cells if c["cell_type"] == "markdown")
    source = "".join(first["source"]).split("\n")
    first["source"] = _source_lines("\n".join(with_badges(source, course.badges(stem))))
    for cell in cells:
        if cell["cell_type"] == "code" and is_setup_cell("".join(cell["source"])):
            cell["source"] = _source_lines(course.setup_cell(stem))
            break
    else:
        raise ValueError(f"{stem}.ipynb has no Colab setup cell")
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def rewrite_markdown(text: str, course: Course, old: Course | None = None) -> str:
    """Colab links, ``git+`` addresses and (when it changes) the old address in Markdown."""
    end = r"(?![\w-]|\.\w)"  # the whole address, not a prefix of another repository's
    text = COLAB_LINK.sub(course.colab_url("notebooks/"), text)
    for repository in {(old or course).repository, course.repository}:
        text = re.sub(rf"git\+{re.escape(repository)}(@[\w./-]*[\w-])?{end}", course.requirement,
                      text)
    if old is not None and old.repository != course.repository:
        text = re.sub(re.escape(old.repository) + end, course.repository, text)
    return text


def course_sources(root: Path) -> list[Path]:
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.py"))


def planned_edits(root: Path, course: Course, old: Course | None = None) -> dict[Path, str]:
    """Every file whose text would change, with its new text."""
    edits: dict[Path, str] = {}
    for source in course_sources(root):
        pair = source.with_suffix(".ipynb")
        for path, rewrite in ((source, rewrite_py), (pair, rewrite_ipynb)):
            if path.exists():
                text = path.read_text()
                new = rewrite(text, source.stem, course)
                if new != text:
                    edits[path] = new
    for path in (root / "README.md", root / "notebooks" / "README.md"):
        if path.exists():
            text = path.read_text()
            new = rewrite_markdown(text, course, old)
            if new != text:
                edits[path] = new
    return edits


def make_student_copies(root: Path, out_dir: Path) -> None:
    """Write the student copies of ``root``'s notebooks to ``out_dir`` (the other tool)."""
    subprocess.run([sys.executable, str(Path(__file__).with_name("make_student_copies.py")),
                    "--out", str(out_dir), *map(str, course_sources(root))],
                   check=True, stdout=subprocess.DEVNULL)


def stale_student_copies(root: Path) -> list[Path]:
    """Student copies that differ from freshly made ones, are missing, or have no source."""
    folder = root / "notebooks" / "student"
    with tempfile.TemporaryDirectory() as tmp:
        make_student_copies(root, Path(tmp))
        fresh = {p.name: p.read_bytes() for p in Path(tmp).glob("*.ipynb")}
    have = {p.name: p.read_bytes() for p in folder.glob("*.ipynb")} if folder.exists() else {}
    return [folder / name for name in sorted(set(fresh) | set(have))
            if fresh.get(name) != have.get(name)]


def write_pyproject(path: Path, repository: str, branch: str | None) -> None:
    """Set ``Repository`` (and ``branch``) in ``pyproject.toml``, leaving the rest as it is."""
    text = path.read_text()
    text, n = re.subn(r'(?m)^(Repository\s*=\s*)"[^"]*"', rf'\g<1>"{repository}"', text, count=1)
    if n != 1:
        raise ValueError(f"{path}: no 'Repository = \"...\"' line under [project.urls]")
    if branch is not None:
        head, sep, tail = text.partition("[tool.g3an-edu]")
        tail, n = re.subn(r'(?m)^(branch\s*=\s*)"[^"]*"', rf'\g<1>"{branch}"', tail, count=1)
        if not sep or n != 1:
            raise ValueError(f"{path}: no 'branch = \"...\"' line under [tool.g3an-edu]")
        text = head + sep + tail
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="https://github.com/OWNER/REPO (default: "
                        "pyproject.toml's [project.urls] Repository, re-applied)")
    parser.add_argument("--branch", help="the branch (default: [tool.g3an-edu] branch)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 listing the files that disagree")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pyproject = args.root / "pyproject.toml"
    old = Course.from_pyproject(pyproject)
    course = Course(args.url or old.repository, args.branch or old.branch, old.gpu_notebooks)
    edits = planned_edits(args.root, course, old)
    if args.check:
        if args.url or args.branch:
            parser.error("--check takes no URL or --branch: it checks pyproject.toml's")
        for path in edits:
            print(f"{path.relative_to(args.root)}: does not match pyproject.toml's address "
                  f"(run python tools/set_course_url.py)")
        stale = stale_student_copies(args.root)
        for path in stale:
            print(f"{path.relative_to(args.root)}: out of date (run make students)")
        return 1 if edits or stale else 0
    if (course.repository, course.branch) != (old.repository, old.branch):
        write_pyproject(pyproject, course.repository, args.branch)
        print(f"pyproject.toml: {course.repository} (branch {course.branch})")
    for path, text in edits.items():
        path.write_text(text)
        print(f"rewrote {path.relative_to(args.root)}")
    if course_sources(args.root):  # the student copies carry the badges and setup cell too
        make_student_copies(args.root, args.root / "notebooks" / "student")
        print("regenerated the student copies in notebooks/student/")
    if not edits:
        print(f"every badge and setup cell already points at {course.requirement}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

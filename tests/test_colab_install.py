"""The setup cell on a simulated Colab: a fresh Python with torch and nothing of the course.

What Colab has is simulated by a new virtual environment that sees, through a ``.pth`` file,
the distributions Colab preinstalls (torch, numpy, matplotlib, pillow, tqdm, ipywidgets and
what they need), linked from this test's own environment instead of reinstalled (installing
torch from a local wheel alone took 2.5 minutes on the course's loaded 2-core machine). The
course package and the dependencies Colab lacks (av, torchinfo, einops, safetensors) are not
there. A stub ``google.colab`` is imported first, as Colab's kernel does. Then, as on Colab:

1. the setup cell of ``00_tour`` runs with ``G3AN_EDU_SOURCE=git+file://<this repo>@<HEAD>``
   (so it installs the committed HEAD, not the working tree, as from GitHub);
2. every notebook's first cells, up to its imports cell, run;
3. ``g3an-edu doctor`` runs and must say ready.

It checks that the install added the course and what was missing and changed nothing that was
there (torch above all). It needs PyPI (or the local mirror) for the missing packages.
Measured: about 1-2 minutes on the loaded 2-core machine (pip's download cache warm).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from importlib import metadata
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import set_course_url as scu  # noqa: E402

pytestmark = pytest.mark.slow

# What Colab preinstalls that the course uses (their versions differ: Colab has torch 2.11,
# ipywidgets 7.7.1; test_colab_versions_satisfy_the_declared_ranges covers those).
COLAB_HAS = ["torch", "numpy", "matplotlib", "pillow", "tqdm", "ipywidgets"]
# What the install may add: the course and the dependencies Colab lacks (and theirs).
MAY_ADD = {"g3an-edu", "av", "torchinfo", "einops", "safetensors", "tomli"}
# Colab's runtime (August 2026, /work/shared/reference/tooling.md) against pyproject's ranges.
COLAB_VERSIONS = {"torch": "2.11.0+cu128", "ipywidgets": "7.7.1", "numpy": "2.1.0",
                  "matplotlib": "3.10.0", "pillow": "11.1.0", "tqdm": "4.67.1"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(names: list[str]) -> list[metadata.Distribution]:
    """The installed distributions ``names`` and everything they require (markers applied)."""
    from packaging.requirements import Requirement

    seen: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = _norm(todo.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency this environment does not have
        seen[name] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return list(seen.values())


def _link_colab_base(base: Path) -> None:
    """Symlink the top-level files of Colab's preinstalled distributions into ``base``."""
    base.mkdir()
    for dist in _closure(COLAB_HAS + ["pip"]):
        assert _norm(dist.metadata["Name"]) != "g3an-edu"
        for top in {Path(str(f)).parts[0] for f in dist.files or []}:
            source = Path(str(dist.locate_file(top)))
            if top != ".." and source.exists() and not (base / top).exists():
                (base / top).symlink_to(source)


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


def _installed(python: Path, env: dict) -> dict[str, str]:
    out = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"], env=env,
                         capture_output=True, text=True, check=True).stdout
    return {_norm(d["name"]): d["version"] for d in json.loads(out)}


def _preamble(source: Path) -> list[str]:
    """The code cells of a notebook after its setup cell, up to and with its imports cell."""
    code = [c.source for c in jupytext.read(source).cells if c.cell_type == "code"]
    assert scu.is_setup_cell(code[0]), f"{source.name}: the first code cell is not the setup"
    end = next(i for i, c in enumerate(code) if "current_tier()" in c)
    return code[1: end + 1]


RUNNER = textwrap.dedent('''\
    import json, sys, time
    start = time.perf_counter()
    import google.colab  # Colab's kernel has imported it: the setup cell tests for it
    import matplotlib
    matplotlib.use("Agg")
    notebooks = json.load(open(sys.argv[1]))
    for i, (name, cells) in enumerate(notebooks):
        namespace = {"__name__": "__main__"}
        for cell in cells:
            exec(compile(cell, f"<{name}>", "exec"), namespace)
        if i == 0:  # after the setup cell: the package comes from the fresh install
            import g3an_edu
            print("g3an_edu from", g3an_edu.__file__)
        print(f"preamble ok: {name} ({time.perf_counter() - start:.0f} s)", flush=True)
''')


def test_colab_versions_satisfy_the_declared_ranges():
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert SpecifierSet(project["requires-python"]).contains("3.13")
    for spec in project["dependencies"]:
        req = Requirement(spec)
        if req.name in COLAB_VERSIONS:
            assert req.specifier.contains(COLAB_VERSIONS[req.name], prereleases=True), (
                f"{spec} excludes Colab's {req.name} {COLAB_VERSIONS[req.name]}: the setup "
                "cell would fail (torch) or replace Colab's own (restart needed)")


def test_setup_cell_installs_the_course_on_a_fresh_colab_like_python(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and this repository's history")
    if not _pypi_reachable():
        pytest.skip("needs PyPI for the packages Colab lacks")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    base, venv = tmp_path / "colab_base", tmp_path / "venv"
    _link_colab_base(base)
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "colab_base.pth").write_text(f"{base}\n")
    stub = tmp_path / "stub"
    (stub / "google" / "colab").mkdir(parents=True)
    (stub / "google" / "__init__.py").write_text("")
    (stub / "google" / "colab" / "__init__.py").write_text('"""A stand-in for Colab."""\n')
    content = tmp_path / "content"  # Colab's working directory: nothing of the repository
    content.mkdir()

    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "G3AN_TIER", "PYTHONHOME")}
    env.update(PYTHONPATH=str(stub), OMP_NUM_THREADS="1", MPLBACKEND="Agg",
               G3AN_EDU_SOURCE=f"git+file://{ROOT}@{head}")
    before = _installed(python, env)
    assert "g3an-edu" not in before and "torch" in before and "av" not in before

    sources = scu.course_sources(ROOT)
    setup = jupytext.read(sources[0]).cells[1].source
    notebooks = [(sources[0].stem, [setup, *_preamble(sources[0])])]
    notebooks += [(s.stem, _preamble(s)) for s in sources[1:]]
    cells = tmp_path / "cells.json"
    cells.write_text(json.dumps(notebooks))
    (tmp_path / "runner.py").write_text(RUNNER)
    start = time.perf_counter()
    run = subprocess.run([str(python), str(tmp_path / "runner.py"), str(cells)], cwd=content,
                         env=env, capture_output=True, text=True, timeout=600)
    print(f"setup cell and {len(sources)} preambles: {time.perf_counter() - start:.0f} s")
    print("\n".join(line for line in run.stdout.splitlines() if "preamble ok" in line))
    assert run.returncode == 0, f"stdout:\n{run.stdout[-3000:]}\nstderr:\n{run.stderr[-5000:]}"
    assert f"g3an_edu from {site}" in run.stdout, run.stdout  # not the repository's copy
    assert "no GPU: this notebook runs on the CPU" in run.stdout
    for source in sources:
        assert f"preamble ok: {source.stem}" in run.stdout

    after = _installed(python, env)
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v}
    assert not changed, f"the install changed what Colab had: {changed}"
    added = set(after) - set(before)
    print("installed:", ", ".join(f"{n} {after[n]}" for n in sorted(added)))
    assert "g3an-edu" in added and added <= MAY_ADD | before.keys(), added - MAY_ADD
    assert not (site / "torch").exists(), "pip installed a second torch"

    start = time.perf_counter()
    doctor = subprocess.run([str(venv / "bin" / "g3an-edu"), "doctor"], cwd=content, env=env,
                            capture_output=True, text=True, timeout=300)
    assert doctor.returncode == 0 and "ready" in doctor.stdout, doctor.stdout + doctor.stderr
    print(f"g3an-edu doctor: {time.perf_counter() - start:.0f} s")

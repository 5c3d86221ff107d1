"""Colab: what each notebook's setup cell does once it has installed the package.

Every notebook's second cell (written by ``tools/set_course_url.py`` from one template) does
nothing outside Colab. On Colab it installs the course package from the course's address, or
from ``$G3AN_EDU_SOURCE`` (any pip requirement: a git URL, a wheel, a folder), keeping Colab's
own CUDA build of torch, then calls :func:`setup_colab` with the notebook's two flags:

- ``NEEDS_GPU``: the notebook stops with the fix when the runtime has no GPU (only the
  notebooks that train at full size set it); the others just say which device they will use;
- ``USE_DRIVE`` (off by default; the student turns it on): mount Google Drive and work in
  ``MyDrive/g3an-edu``, so that what the notebook saves (``runs/``) survives the session.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import torch

from .tier import current_tier

SOURCE_ENV = "G3AN_EDU_SOURCE"
DRIVE_MOUNT = Path("/content/drive")
DRIVE_FOLDER = Path("MyDrive") / "g3an-edu"
GPU_FIX = ("Runtime > Change runtime type > Hardware accelerator: a GPU (T4 is enough) > Save, "
           "then run the notebook again from the top")


def setup_colab(needs_gpu: bool = False, use_drive: bool = False, *, out=None,
                mount_point: Path = DRIVE_MOUNT) -> Path:
    """Check the runtime's GPU, optionally move to a Google Drive folder; return the folder.

    Prints one line on the device and tier and one on where files go. Raises ``RuntimeError``
    with the menu path to fix it when ``needs_gpu`` and the runtime has no GPU. With
    ``use_drive`` it mounts Google Drive at ``mount_point`` (Colab asks for permission) and
    changes the working directory to ``MyDrive/g3an-edu`` in it, so relative paths such as
    ``runs/`` are kept on the Drive.
    """
    out = out or sys.stdout
    if torch.cuda.is_available():
        print(f"GPU: {torch.cuda.get_device_name(0)} (tier {current_tier()})", file=out)
    elif needs_gpu:
        raise RuntimeError(f"This notebook needs a GPU runtime and this one has none. "
                           f"Fix: {GPU_FIX}.")
    else:
        print(f"no GPU: this notebook runs on the CPU (tier {current_tier()}); "
              f"for a GPU: {GPU_FIX}.", file=out)
    if not use_drive:
        print(f"files you save go to {Path.cwd()} and are lost when the runtime is recycled; "
              f"set USE_DRIVE = True in this cell to keep them in your Google Drive.", file=out)
        return Path.cwd()
    from google.colab import drive  # only on Colab

    drive.mount(str(mount_point))
    folder = Path(mount_point) / DRIVE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)
    print(f"working in {folder} (your Google Drive): runs/ and other files are kept.", file=out)
    return folder


def installed_from() -> str | None:
    """The git address pip recorded when it installed this package from git (its
    ``direct_url.json``, PEP 610), as ``git+URL@REF``; ``None`` for any other install."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        text = distribution("g3an-edu").read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    info = json.loads(text) if text else {}
    vcs = info.get("vcs_info", {})
    if vcs.get("vcs") != "git":
        return None
    ref = vcs.get("requested_revision") or vcs.get("commit_id")
    return f"git+{info['url']}" + (f"@{ref}" if ref else "")


def course_root(source: str | None = None, into: str | Path = "g3an-edu-course",
                marker: str = "docs/study") -> Path:
    """The folder that holds the course's committed results (``docs/``, ``benchmarks/``),
    recognised by ``marker`` (a path inside it).

    In a checkout (or an editable install) that is the repository beside the package. A pip
    install from git (Colab) has the package only: then the course is cloned once into
    ``into`` from ``source``, a pip requirement ``git+URL[@ref]``: by default
    ``$G3AN_EDU_SOURCE`` or else the git address pip installed this package from (so every
    notebook finds it, whichever setup cell ran). Raises ``FileNotFoundError`` with the fix
    when none works.
    """
    root = Path(__file__).resolve().parents[1]
    if (root / marker).exists():
        return root
    into = Path(into)
    if (into / marker).exists():
        return into
    source = source or os.environ.get(SOURCE_ENV) or installed_from()
    if not source or not source.startswith("git+"):
        raise FileNotFoundError(
            f"the course's results ({marker}) are not beside the installed package, and "
            f"{source!r} is not a git address to clone them from. Fix: run the notebook in a "
            "clone of the course, or install it from git (the setup cell's default).")
    import subprocess

    url, _, ref = source.removeprefix("git+").partition("@")
    if re.fullmatch(r"[0-9a-f]{40}", ref):  # a commit: --branch takes only names
        subprocess.run(["git", "clone", "-q", url, str(into)], check=True)
        subprocess.run(["git", "-C", str(into), "checkout", "-q", ref], check=True)
    else:
        subprocess.run(["git", "clone", "-q", "--depth", "1",
                        *(["--branch", ref] if ref else []), url, str(into)], check=True)
    return into
    if not source or not source.startswith("git+"):
        raise FileNotFoundError(
            f"the course's results ({marker}) are not beside the installed package, and "
            f"{source!r} is not a git address to clone them from. Fix: run the notebook in a "
            "clone of the course, or install it from git (the setup cell's default).")
    import subprocess

    url, _, ref = source.removeprefix("git+").partition("@")
    subprocess.run(["git", "clone", "-q", "--depth", "1", *(["--branch", ref] if ref else []),
                    url, str(into)], check=True)
    return into


def course_json(relative: str) -> dict | list | None:
    """A committed JSON file of the course (e.g. ``docs/shipped_metrics.json``), found by
    :func:`course_root`; ``None``, with the reason printed, where the course cannot be reached
    (the package installed without the repository and without a git address)."""
    try:
        root = course_root(marker=relative)
    except FileNotFoundError as err:
        print(err)
        return None
    return json.loads((root / relative).read_text())

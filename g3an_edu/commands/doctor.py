"""``g3an-edu doctor``: print the environment and say whether it can run the course."""

from __future__ import annotations

import argparse
import os
import platform
import sys
from importlib import metadata

# (distribution, needed for, install hint)
REQUIRED = [
    ("torch", "the package", "make lab (or see README: Installing torch)"),
    ("numpy", "the package", "pip install numpy"),
    ("einops", "the package", "pip install einops"),
    ("matplotlib", "the package", "pip install matplotlib"),
    ("safetensors", "checkpoints", "pip install safetensors"),
    ("tqdm", "training", "pip install tqdm"),
    ("av", "video files", "pip install av"),
    ("pillow", "frame folders and GIFs", "pip install pillow"),
    ("torchinfo", "notebooks", "pip install torchinfo"),
    ("ipywidgets", "notebooks", "pip install ipywidgets"),
]
OPTIONAL = [
    ("jupyterlab", "make lab"),
    ("jupytext", "notebook pairs"),
    ("nbval", "make test"),
    ("pytest", "make test"),
]
MIN_PYTHON = (3, 10)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def run_doctor(out=sys.stdout) -> int:
    """Print the report to ``out``; return 0 if the course can run, 1 otherwise."""
    problems: list[str] = []
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p("g3an-edu doctor")
    p(f"  python      {platform.python_version()} ({sys.executable})")
    p(f"  platform    {platform.platform()}")
    if sys.version_info < MIN_PYTHON:
        problems.append(f"Python {platform.python_version()} is too old: the course needs "
                        f"Python ≥ {'.'.join(map(str, MIN_PYTHON))}.")
    for dist, purpose, hint in REQUIRED:
        v = _version(dist)
        p(f"  {dist:<11} {v or 'MISSING'}")
        if v is None:
            problems.append(f"{dist} is missing (needed for {purpose}); fix: {hint}")
    for dist, purpose in OPTIONAL:
        p(f"  {dist:<11} {_version(dist) or f'not installed (only needed for {purpose})'}")

    if _version("torch") is not None:
        import torch

        from ..device import explain_device
        from ..tier import current_tier

        device, reason = explain_device("auto")
        p(f"  torch build CUDA {torch.version.cuda or 'none (CPU build)'}")
        p(f"  device      {device} ({reason})")
        p(f"  threads     torch {torch.get_num_threads()} of {os.cpu_count()} CPU cores")
        try:
            p(f"  tier        {current_tier()} (set G3AN_TIER=fast|laptop|gpu to change)")
        except ValueError as err:
            problems.append(str(err))
        try:
            from .. import Generator

            torch.manual_seed(0)
            g = Generator(ch=4, resolution=32, attention=True).to(device)
            video = g(*g.sample_noise(1, 1, device=device))
            shape = tuple(video.shape)
            p(f"  smoke test  Generator(ch=4, resolution=32) -> {shape} on {device}: ok")
        except Exception as err:  # report, don't crash: this is the doctor
            problems.append(f"a tiny generator failed to run: {type(err).__name__}: {err}")
        from ..pretrained import model_path, shipped_models

        for name in sorted(shipped_models()):
            try:
                model_path(name)  # checks the SHA-256
                p(f"  model       {name}: SHA-256 ok (--checkpoint {name})")
            except (OSError, RuntimeError) as err:
                problems.append(str(err))

    if problems:
        p("\nNOT READY:")
        for problem in problems:
            p(f"  - {problem}")
        return 1
    p("\nready: this environment can run the course.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "doctor", help="check the environment",
        description="Print Python, torch and library versions, the device and why, threads, "
                    "and whether this environment can run the course. Exits 1 with the fix "
                    "when something required is missing. Paste its output into questions.",
    )
    parser.set_defaults(func=lambda args: run_doctor())

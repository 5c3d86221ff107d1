"""Trained generators shipped with the course, found by name and checked before loading.

``g3an_edu/assets/models/`` holds one safetensors file per model (the generator's EMA
weights in the checkpoint format of :mod:`g3an_edu.checkpoint`, so every loader of the course
reads it) and ``models.json``: for each name the file, its SHA-256, the command that trained
it, the seed, the wall time, the machine, and the ``g3an-edu evaluate`` metrics of the trained
and of an untrained generator of the same config.

>>> sorted(shipped_models())  # doctest: +SKIP
['g3an-tiny', 'mocogan-tiny']
>>> model_path("g3an-tiny").name  # doctest: +SKIP
'g3an-tiny.safetensors'

This module is the index only: names, paths and the SHA-256 check. Loading lives in
:mod:`g3an_edu.models` (``load_pretrained``, ``load_generator``); anywhere a checkpoint path is
accepted (``g3an-edu sample --checkpoint g3an-tiny``, ``g3an-edu evaluate``) a shipped name
works too, and an existing path of the same spelling wins over it.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

INDEX = "models.json"


class ShippedModelMismatch(RuntimeError):
    """A shipped model file's SHA-256 differs from the one recorded in ``models.json``."""


def models_dir() -> Path:
    """The folder of the shipped models (inside the installed package)."""
    return Path(str(resources.files("g3an_edu").joinpath("assets/models")))


def shipped_models() -> dict[str, dict]:
    """``{name: record}`` of every shipped model, as recorded in ``models.json``."""
    index = models_dir() / INDEX
    if not index.is_file():
        return {}
    return json.loads(index.read_text())


def is_shipped_name(name: str | Path) -> bool:
    """Whether ``name`` is the name of a shipped model (and not a path)."""
    return isinstance(name, str) and name in shipped_models()


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_path(name: str) -> Path:
    """The verified file of shipped model ``name``.

    Raises ``KeyError`` for an unknown name (listing the known ones), ``FileNotFoundError`` if
    the file is missing and :class:`ShippedModelMismatch` if its SHA-256 differs from the
    recorded one: a damaged or replaced file is refused, never loaded.
    """
    models = shipped_models()
    if name not in models:
        known = ", ".join(sorted(models)) or "none"
        raise KeyError(f"no shipped model named {name!r}; shipped models: {known}. "
                       "For your own run, pass its --out directory or a step_*.safetensors file.")
    record = models[name]
    path = models_dir() / record["file"]
    if not path.is_file():
        raise FileNotFoundError(f"shipped model {name!r} should be at {path} but the file is "
                                "missing: reinstall g3an-edu (or `git checkout` the file).")
    actual = sha256_of(path)
    if actual != record["sha256"]:
        raise ShippedModelMismatch(
            f"shipped model {name!r} at {path} has SHA-256 {actual}, but models.json records "
            f"{record['sha256']}: the file was changed or damaged (a Git LFS pointer or a "
            "partial download looks like this too). Refusing to load it; restore it with "
            "`git checkout -- g3an_edu/assets/models` or reinstall g3an-edu.")
    return path


def __getattr__(name: str):
    """``g3an_edu.pretrained.load_pretrained``, the name earlier versions documented, still
    works: it is :func:`g3an_edu.models.load_pretrained` (imported on first use, so this
    index module stays below the model code)."""
    if name == "load_pretrained":
        from .models import load_pretrained

        return load_pretrained
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

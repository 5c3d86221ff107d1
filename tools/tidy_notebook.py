"""Make executed notebooks diff cleanly: stable cell ids, no execution timestamps.

``jupytext --execute`` gives every cell a fresh random id and records when each cell ran, so
re-running an unchanged notebook rewrites every cell in ``git diff``. This sets each cell's id
to ``cell-NNN`` (its position) and drops the ``execution`` timing metadata. Outputs are kept.

Usage: ``python tools/tidy_notebook.py notebooks/NN_name.ipynb ...`` (``make notebooks`` runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def tidy(path: Path) -> None:
    """Rewrite ``path`` in place with stable ids and without execution timestamps."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        tidy(Path(arg))

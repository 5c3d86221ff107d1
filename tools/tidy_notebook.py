"""Make executed notebooks diff cleanly: stable cell ids, no timestamps, whole streams.

``jupytext --execute`` gives every cell a fresh random id, records when each cell ran, and
splits printed text into as many stream outputs as the kernel happened to flush, so re-running
an unchanged notebook rewrites every cell in ``git diff``. This sets each cell's id to
``cell-NNN`` (its position), drops the ``execution`` timing metadata and joins consecutive
outputs of the same stream. Output contents are kept.

Usage: ``python tools/tidy_notebook.py notebooks/NN_name.ipynb ...`` (``make notebooks`` runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def join_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs into one."""
    joined: list = []
    for out in outputs:
        prev = joined[-1] if joined else None
        if (out.output_type == "stream" and prev is not None and prev.output_type == "stream"
                and prev.name == out.name):
            prev.text += out.text
        else:
            joined.append(out)
    return joined


def tidy(path: Path) -> None:
    """Rewrite ``path`` in place with stable ids and without execution timestamps."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = join_streams(cell.outputs)
    nbformat.write(nb, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        tidy(Path(arg))

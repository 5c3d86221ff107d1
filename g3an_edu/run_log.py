"""A training run's log, ``metrics.jsonl``: one JSON object per logged step.

Each line holds ``step``, the losses, the discriminators' mean logits, ``sec_per_step`` and
``videos_per_sec``. A run that resumes from an earlier checkpoint first drops the lines of the
steps it will redo (:func:`trim_metrics`), so the log never holds a step twice.
"""

from __future__ import annotations

import json
from pathlib import Path

LOG = "metrics.jsonl"


def read_metrics(out_dir: str | Path) -> dict[str, list[float]]:
    """``metrics.jsonl`` of a run as columns: ``{"step": [...], "d_loss": [...], ...}``."""
    rows = [json.loads(line) for line in
            (Path(out_dir) / LOG).read_text().splitlines() if line.strip()]
    return {key: [row[key] for row in rows] for key in (rows[0] if rows else {})}


def append_metrics(path: str | Path, row: dict) -> None:
    """Add one logged step to a run's log."""
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")


def trim_metrics(path: str | Path, step: int) -> None:
    """Drop log lines after ``step`` (steps lost since the checkpoint a run resumes from)."""
    path = Path(path)
    if path.exists():
        keep = [line for line in path.read_text().splitlines()
                if line.strip() and json.loads(line)["step"] <= step]
        path.write_text("".join(line + "\n" for line in keep))


def training_seconds(out_dir: str | Path) -> dict[int, float]:
    """``{step: seconds of training up to that logged step}``, summed from ``sec_per_step``.

    A resumed run counts only the time spent training, not the time it was stopped.
    """
    if not (Path(out_dir) / LOG).is_file():  # stopped before its first log line
        return {}
    columns = read_metrics(out_dir)
    out, total, previous = {}, 0.0, 0
    for step, sec in zip(columns.get("step", []), columns.get("sec_per_step", []), strict=True):
        total += sec * (step - previous)
        previous = step
        out[step] = total
    return out


def seconds_at(seconds: dict[int, float], step: int) -> float | None:
    """Training seconds at ``step`` (the last logged step at or before it)."""
    if step == 0:
        return 0.0
    logged = [s for s in seconds if s <= step]
    return seconds[max(logged)] if logged else None

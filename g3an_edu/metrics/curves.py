"""Metrics against training steps (and wall time): every checkpoint of a run, evaluated.

For a run directory, step 0 (the config's untrained generator) and every kept checkpoint are
evaluated with :func:`~g3an_edu.metrics.evaluation.evaluate_checkpoint` (EMA weights, the
shipped oracle and action judge, the same ``n``/``seed`` for every point, so points are
comparable; a row written before the judge existed is evaluated again, which reproduces its
other values). Wall time
at a step is the sum of the run's logged seconds per step up to it (``metrics.jsonl``), so a
resumed run counts only time spent training. ``tools/metrics_curve.py`` is its command line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import torch

from ..checkpoint import list_checkpoints
from ..models import load_generator
from ..run_log import seconds_at, training_seconds
from .evaluation import BY_FACTOR_KEYS, INVARIANT_KEYS, KEYS, evaluate_checkpoint
from .frames import frame_outliers, generator_frame_outliers
from .real_data import real_source_for

PLOTTED = ("fd_video", "fd_frame", "appearance_variance_from_zm", "action_variance_from_za",
           "appearance_kappa", "action_kappa", "motion_diversity", "action_entropy")
KEPT = (*KEYS, *BY_FACTOR_KEYS, *INVARIANT_KEYS)  # stored per row, with 95 % intervals in "ci"


def curve(run: Path, n: int, seed: int, every: int, done: list[dict], n_groups: int = 16,
          per_group: int = 8, device: str = "cpu", ema: bool = True,
          on_row: Callable[[list[dict]], None] | None = None) -> list[dict]:
    """One row per evaluated step of ``run`` (reusing rows of ``done``).

    ``on_row(rows)`` is called after each newly evaluated row, so a caller can save partial
    curves and an interrupted evaluation resumes from them.
    """
    seconds = training_seconds(run)
    known = {row["step"]: row for row in done}
    checkpoints = [(int(p.stem.split("_")[1]), p) for p in list_checkpoints(run)]
    points = [(0, checkpoints[0][1])] + [(s, p) for s, p in checkpoints if s % every == 0]
    rows = []
    for step, path in points:
        if step in known and known[step]["n"] == n and INVARIANT_KEYS[0] in known[step]:
            row = known[step]
            if "washed_out_fraction" not in row:  # rows written before that measure existed
                row.update(_frames(path, n, seed, device, step == 0, ema))
            rows.append(row)
            continue
        scores = evaluate_checkpoint(str(path), n=n, n_groups=n_groups, per_group=per_group,
                                     seed=seed, device=device, with_real=not rows,
                                     untrained=step == 0, ema=ema)
        row = {"step": step, "seconds": seconds_at(seconds, step), "n": n,
               **{k: scores.get(k) for k in KEPT}, "ci": scores["ci"]}
        row.update(_frames(path, n, seed, device, step == 0, ema))
        if "real" in scores:
            row["real"] = {k: scores["real"].get(k) for k in (*KEPT, "ci")}
            row["real"].update(_real_frames(path, n, seed))
        rows.append(row)
        if on_row is not None:
            on_row(rows)
        print(json.dumps({"run": run.name, "ema": ema, **{k: row[k] for k in ("step", "seconds")},
                          **{k: None if row[k] is None else round(row[k], 4) for k in PLOTTED}}),
              flush=True)
    return rows


def _frames(path: Path, n: int, seed: int, device: str, untrained: bool, ema: bool) -> dict:
    """The washed-out-frame measures (:mod:`.frames`) of one checkpoint's generator."""
    g, config = load_generator(str(path), ema=ema, device=device, untrained=untrained)
    return generator_frame_outliers(g, config.length, n, seed)


def _real_frames(path: Path, n: int, seed: int) -> dict:
    """The same measures on ``n`` real videos of the run's data (the floor: 0)."""
    _, config = load_generator(str(path), untrained=True)
    real = real_source_for(config).sample(n, torch.Generator().manual_seed(seed))["video"]
    return frame_outliers(real)


def plot(curves: dict[str, list[dict]], path: Path, x: str = "step") -> None:
    """Eight panels of metrics against ``x`` (``"step"`` or ``"seconds"`` of training), with
    the 95 % intervals as bands where the rows have them (rows written before the intervals
    and the variance shares existed show only what they hold)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(16, 6.5))
    for ax, key in zip(axes.flat, PLOTTED, strict=True):
        real = None
        for name, rows in curves.items():
            shown = [r for r in rows if r[x] is not None and r.get(key) is not None]
            scale = 60.0 if x == "seconds" else 1.0
            xs = [r[x] / scale for r in shown]
            line = ax.plot(xs, [r[key] for r in shown], marker="o", ms=3, label=name)[0]
            bands = [(x_, r["ci"][key]) for x_, r in zip(xs, shown, strict=True)
                     if (r.get("ci") or {}).get(key)]
            if bands:
                ax.fill_between([b[0] for b in bands], [b[1][0] for b in bands],
                                [b[1][1] for b in bands], color=line.get_color(), alpha=0.2)
            real = next((r["real"].get(key) for r in rows if "real" in r), real)
        if real is not None:
            ax.axhline(real, color="k", ls="--", lw=1, label="real data")
        if key.startswith("fd_"):
            ax.set_yscale("log")
        ax.set_title(key + (" ↓" if key.startswith("fd_") else ""))
        ax.set_xlabel("training step" if x == "step" else "training minutes")
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)

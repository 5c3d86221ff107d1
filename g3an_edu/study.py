"""The disentanglement study: which change makes a small G3AN disentangle appearance from motion.

Every variant is a set of config overrides on one screening preset; every (variant, seed) run
trains for the same number of steps and keeps a checkpoint every ``every`` steps, so all
variants are evaluated on the same checkpoints (metric curves against steps). A run lives in
``ROOT/<variant>/seed<k>/`` (a trainer ``--out`` folder: re-running resumes it exactly), its
evaluations in ``curve.json`` there. ``tools/study.py`` is the command line; docs/STUDY.md
the results.

Variants (``VARIANTS``): within the paper first (the paper's recipe, learning rates, D steps,
loss, DI's weight, batch, ``dim_zm``, F-SA, EMA), then departures, each a config key that is
off by default (see :class:`~g3an_edu.config.TrainConfig`).
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

from .config import TrainConfig, load_config

SCREENING = "tiny"  # 32×32×16, ch 8, batch 4: about 0.3 s a step on one core

VARIANTS: dict[str, dict[str, object]] = {
    # the paper, and knobs within it
    "paper": {},
    "ttur": {"lr_g": 1e-4, "lr_d": 4e-4},
    "d2": {"d_steps": 2},
    "hinge": {"loss": "hinge"},
    "di-half": {"di_weight": 0.5},
    "batch8": {"batch": 8},
    "zm4": {"dim_zm": 4},
    "zm128": {"dim_zm": 128},  # z_m as wide as z_a: does the wider code take the action?
    "nofsa": {"attention": False},
    # departures (each a config key, off by default)
    "dvpad": {"dv_time_padding": True},
    "sep": {"zm_in_video": False, "temporal_zero_mean": True},
    "pair": {"pair_weight": 1.0},
    "pair-dvpad": {"pair_weight": 1.0, "dv_time_padding": True},
    "pair-sep": {"pair_weight": 1.0, "zm_in_video": False, "temporal_zero_mean": True},
    "pair-video": {"pair_weight": 1.0, "pair_real": "same_video"},
    "static": {"zm_in_video": False, "temporal_zero_mean": True, "static_video_start": True},
    "pair-static": {"pair_weight": 1.0, "zm_in_video": False, "temporal_zero_mean": True,
                    "static_video_start": True},
    # the baseline, trained alike: MoCoGAN's generator (width matched to G3AN's parameter
    # count by the preset) with the same data, discriminators, optimisation and steps
    "mocogan": {},
}

# a variant whose preset is not the screening preset (everything else of `tiny` inherited)
VARIANT_BASE = {"mocogan": "mocogan-tiny"}


def variant_config(variant: str, seed: int, steps: int, every: int,
                   base: str = SCREENING) -> TrainConfig:
    """The config of one run: ``base`` + the variant's overrides + seed and bookkeeping."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; valid: {', '.join(VARIANTS)}.")
    # every checkpoint stays (each on-grid one is a point of the curves), also past the extra
    # checkpoints that interruptions write: `keep_checkpoints` would otherwise prune step 1000
    keep = 1000
    if base == SCREENING:
        base = VARIANT_BASE.get(variant, base)
    return load_config(base, {**VARIANTS[variant], "seed": seed, "steps": steps,
                              "checkpoint_every": every, "keep_checkpoints": keep,
                              "sample_every": every, "log_every": 50,
                              "name": f"study-{variant}"})


def run_dir(root: str | Path, variant: str, seed: int) -> Path:
    return Path(root) / variant / f"seed{seed}"


def read_curve(root: str | Path, variant: str, seed: int) -> list[dict]:
    """The evaluated checkpoints of one run (``[]`` before the first evaluation)."""
    path = run_dir(root, variant, seed) / "curve.json"
    return json.loads(path.read_text()) if path.is_file() else []


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and a 95 % t-interval over seeds: ``(mean, low, high)`` (``nan`` bounds for one)."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, math.nan, math.nan
    t95 = {2: 12.71, 3: 4.30, 4: 3.18, 5: 2.78, 6: 2.57}.get(len(values), 2.45)
    half = t95 * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def at_step(rows: list[dict], step: int) -> dict | None:
    return next((row for row in rows if row["step"] == step), None)


def table(root: str | Path, variants: list[str], seeds: list[int], step: int,
          keys: list[str]) -> str:
    """Markdown: one row per variant, ``mean [low, high]`` over the seeds evaluated at
    ``step`` (the seed count in its own column), the real data's value last."""
    lines = ["| variant | seeds | " + " | ".join(keys) + " |",
             "|---|---|" + "---|" * len(keys)]
    real = None
    for variant in variants:
        rows = [r for s in seeds if (r := at_step(read_curve(root, variant, s), step))]
        if not rows:
            continue
        real = real or next((r["real"] for r in rows if "real" in r), None)
        cells = []
        for key in keys:
            values = [r[key] for r in rows if r.get(key) is not None]
            if not values:
                cells.append("-")
                continue
            mean, low, high = mean_interval(values)
            cells.append(f"{mean:.3g}" if math.isnan(low) else
                         f"{mean:.3g} [{low:.3g}, {high:.3g}]")
        lines.append(f"| {variant} | {len(rows)} | " + " | ".join(cells) + " |")
    if real:
        cells = ["-" if real.get(k) is None else f"{real[k]:.3g}" for k in keys]
        lines.append("| real data | | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

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
import re
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
    # both edge-frame fixes on the paper's recipe (G unchanged): DV's time convs padded and DI
    # also judging every video's first and last frame, against the broken last frames
    "dvpad-edges": {"dv_time_padding": True, "di_edge_frames": True},
    "sep": {"zm_in_video": False, "temporal_zero_mean": True},
    "pair": {"pair_weight": 1.0},
    "pair-dvpad": {"pair_weight": 1.0, "dv_time_padding": True},
    "pair-sep": {"pair_weight": 1.0, "zm_in_video": False, "temporal_zero_mean": True},
    "pair-video": {"pair_weight": 1.0, "pair_real": "same_video"},
    # a stronger pair discriminator: twice as wide; siamese (compares the clips' embeddings)
    "pair-wide": {"pair_weight": 1.0, "pair_ch": 16},
    "pair-siamese": {"pair_weight": 1.0, "pair_arch": "siamese", "pair_ch": 16},
    # the pair idea turned round: real pairs are one motion in two looks, fakes share z_m;
    # uses the renderer's motion factors (labels), an upper bound for what pairs can do
    "motion-pair": {"pair_weight": 1.0, "pair_arch": "siamese", "pair_ch": 16,
                    "pair_real": "same_motion"},
    # InfoGAN-style: z_m = 10 Gaussian channels + a 10-class one-hot that Q reads back from
    # the frame differences (no labels)
    "info": {"dim_zm": 20, "motion_classes": 10, "info_weight": 1.0},
    # the mirror of `sep`: z_a kept out of the video stream's input, so what moves is drawn
    # by z_m and z_a arrives only as features constant over time
    "za-out": {"za_in_video": False},
    # z_a as a style only: its spatial features averaged over space before every fusion;
    # "style" also keeps z_a out of the video stream, so every layout comes from z_m
    "style-only": {"appearance_global": True},
    "style": {"appearance_global": True, "za_in_video": False},
    "style-pair": {"appearance_global": True, "za_in_video": False, "pair_weight": 1.0},
    "style-in": {"appearance_global": True, "za_in_video": False, "video_instance_norm": True},
    "style-pair-wide": {"appearance_global": True, "za_in_video": False, "pair_weight": 2.0,
                        "pair_ch": 16},
    "style-both-pairs": {"appearance_global": True, "za_in_video": False, "pair_weight": 1.0,
                         "pair_arch": "siamese", "pair_ch": 16, "pair_real": "both"},
    "style-motion-pair": {"appearance_global": True, "za_in_video": False, "pair_weight": 1.0,
                          "pair_arch": "siamese", "pair_ch": 16, "pair_real": "same_motion"},
    # z_a as a style that *multiplies* the layout z_m draws: a per-channel gain and shift of
    # the video half (AdaIN with the instance norm), against `style`'s additive constant,
    # which can shift every pixel's colour (the background) but hardly colour the clothes
    "style-mod": {"appearance_global": True, "za_in_video": False,
                  "appearance_modulation": True},
    "style-mod-pair": {"appearance_global": True, "za_in_video": False,
                       "appearance_modulation": True, "pair_weight": 1.0},
    "style-adain": {"appearance_global": True, "za_in_video": False,
                    "appearance_modulation": True, "video_instance_norm": True},
    "style-adain-pair": {"appearance_global": True, "za_in_video": False,
                         "appearance_modulation": True, "video_instance_norm": True,
                         "pair_weight": 1.0},
    # the appearance arrives only in the last block (32×32 at `tiny`), after every block that
    # makes time: z_a can colour what z_m drew, not choose how it moves
    "late-mod": {"appearance_global": True, "za_in_video": False,
                 "appearance_modulation": True, "appearance_last_blocks": 1},
    "late-mod-pair": {"appearance_global": True, "za_in_video": False,
                      "appearance_modulation": True, "appearance_last_blocks": 1,
                      "pair_weight": 1.0},
    # layers: z_m draws K + 1 soft masks, z_a colours K parts and draws a still background;
    # the appearance is fused in no block (the partition is built in)
    "layers": {"za_in_video": False, "layered_output": 3},
    "layers-pair": {"za_in_video": False, "layered_output": 3, "pair_weight": 1.0},
    # every spatial structure from z_m's masks: the still background image of `layers` let
    # z_a draw a figure that stands in it; here the background is a fifth flat colour
    "layers-flat": {"za_in_video": False, "layered_output": 4, "layered_background": "colour"},
    "layers-flat-pair": {"za_in_video": False, "layered_output": 4,
                         "layered_background": "colour", "pair_weight": 1.0},
    # mode seeking on z_a (fakes sharing z_m must differ on average): against the one-colour
    # clothes of style-pair, and against style's ignored z_a
    "style-seek": {"appearance_global": True, "za_in_video": False, "mode_seeking_weight": 1.0},
    "style-pair-seek": {"appearance_global": True, "za_in_video": False, "pair_weight": 1.0,
                        "mode_seeking_weight": 1.0},
    # the same on the multiplicative style, whose action the action judge gives to z_m
    "style-mod-pair-seek": {"appearance_global": True, "za_in_video": False,
                            "appearance_modulation": True, "pair_weight": 1.0,
                            "mode_seeking_weight": 1.0},
    # the colour ratio (objective.colour_ratio_loss): z_m must keep a figure's colour
    # distribution (sorted pixel values: blind to pose) and z_a change it; label-free
    "paper-colour": {"colour_ratio_weight": 1.0},
    "style-mod-pair-colour": {"appearance_global": True, "za_in_video": False,
                              "appearance_modulation": True, "pair_weight": 1.0,
                              "colour_ratio_weight": 1.0},
    "style-mod-pair-colour3": {"appearance_global": True, "za_in_video": False,
                               "appearance_modulation": True, "pair_weight": 1.0,
                               "colour_ratio_weight": 3.0},
    # the ratio as a hinge at the real data's 0.07 (objective.colour_ratio_loss): z_m no more
    # colour-invariant than real motion, against the plain ratio's silencing of z_m
    "style-mod-pair-colour-hinge": {"appearance_global": True, "za_in_video": False,
                                    "appearance_modulation": True, "pair_weight": 1.0,
                                    "colour_ratio_weight": 1.0, "colour_ratio_target": 0.07},
    # DI also judges every video's first and last frame (discriminators.di_frames): against
    # the washed-out edge frames of style-mod-pair-colour (two seeds of four at tiny)
    "style-mod-pair-colour-edges": {"appearance_global": True, "za_in_video": False,
                                    "appearance_modulation": True, "pair_weight": 1.0,
                                    "colour_ratio_weight": 1.0, "di_edge_frames": True},
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


T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57}  # two-sided 95 % t, by degrees of freedom


def t_interval(mean: float, sd: float, n: int) -> tuple[float, float, float]:
    """``(mean, low, high)``: the 95 % t-interval of a mean over ``n`` seeds whose sample
    standard deviation is ``sd`` (``nan`` bounds for one seed: no spread, no interval).

    ``t`` has ``n - 1`` degrees of freedom (12.71 for two seeds, 4.30 for three), not the
    normal's 1.96: with few seeds the interval is wide."""
    if n < 2:
        return mean, math.nan, math.nan
    half = T95.get(n - 1, 2.45) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and a 95 % t-interval over seeds: ``(mean, low, high)`` (``nan`` bounds for one)."""
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else math.nan
    return t_interval(mean, sd, len(values))


def at_step(rows: list[dict], step: int | list[int]) -> dict | None:
    """One run's evaluated checkpoint at ``step``; for a list of steps, the mean of each
    numeric key over those checkpoints (``None`` if any is missing).

    A single checkpoint of a small GAN swings: between consecutive checkpoints 1000 steps
    apart a variance share moved by up to 0.5 in the seed-0 screen, so the study also
    reports each run's mean over its last checkpoints before averaging over seeds."""
    if isinstance(step, int):
        return next((row for row in rows if row["step"] == step), None)
    found = [at_step(rows, s) for s in step]
    if not found or any(row is None for row in found):
        return None
    keys = [k for k, v in found[-1].items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)
            and all(isinstance(r.get(k), (int, float)) for r in found)]
    mean = {k: statistics.fmean(r[k] for r in found) for k in keys}
    missing = {k: None for k, v in found[-1].items()
               if isinstance(v, (int, float)) and k not in mean}
    return {**found[-1], **missing, **mean, "step": list(step)}


def _cell(values: list[float], n_runs: int) -> str:
    """``mean [low, high]``; ``(k of n)`` when only ``k`` of the variant's ``n`` runs have the
    value (runs evaluated before a measure existed)."""
    if not values:
        return "-"
    mean, low, high = mean_interval(values)
    cell = f"{mean:.3g}" if math.isnan(low) else f"{mean:.3g} [{low:.3g}, {high:.3g}]"
    return cell if len(values) == n_runs else f"{cell} ({len(values)} of {n_runs})"


def _markdown(rows: dict[str, list[dict]], keys: list[str], real: dict | None) -> str:
    """One line per variant (its runs' rows at one step), the real data's values last."""
    lines = ["| variant | seeds | " + " | ".join(keys) + " |",
             "|---|---|" + "---|" * len(keys)]
    for variant, runs in rows.items():
        cells = [_cell([r[k] for r in runs if r.get(k) is not None], len(runs)) for k in keys]
        lines.append(f"| {variant} | {len(runs)} | " + " | ".join(cells) + " |")
    if real:
        cells = ["-" if real.get(k) is None else f"{real[k]:.3g}" for k in keys]
        lines.append("| real data | | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def table(root: str | Path, variants: list[str], seeds: list[int], step: int,
          keys: list[str]) -> str:
    """Markdown: one row per variant, ``mean [low, high]`` over the seeds evaluated at
    ``step`` (the seed count in its own column), the real data's value last."""
    rows, real = {}, None
    for variant in variants:
        runs = [r for s in seeds if (r := at_step(read_curve(root, variant, s), step))]
        if runs:
            rows[variant] = runs
            real = real or next((r["real"] for r in runs if "real" in r), None)
    return _markdown(rows, keys, real)


# ------------------------------------------------------------------ the committed curve files

CURVE_FILE = re.compile(r"(?P<variant>[a-z0-9-]+)-seed(?P<seed>[0-9]+)\.json")


def curves_in(folder: str | Path) -> dict[str, dict[int, list[dict]]]:
    """Every ``<variant>-seed<k>.json`` curve file of ``folder`` (``tools/study.py evaluate
    --copy-curves``): ``{variant: {seed: rows}}``, the rows sorted by step, the variants in
    ``VARIANTS`` order (unknown names after, alphabetically), the seeds ascending.

    Reads whatever is there: runs land one by one, so the number of seeds differs between
    variants. Other files (figures, notes) are ignored."""
    found: dict[str, dict[int, list[dict]]] = {}
    for path in sorted(Path(folder).glob("*-seed*.json")):
        match = CURVE_FILE.fullmatch(path.name)
        if match is None:
            continue
        rows = json.loads(path.read_text())
        if not isinstance(rows, list) or not all(isinstance(r, dict) and "step" in r
                                                 for r in rows):
            got = (type(rows).__name__ if not isinstance(rows, list)
                   else "a list whose rows lack a 'step'")
            raise ValueError(f"{path}: expected a list of evaluated checkpoints (a curve.json "
                             f"copy), got {got}; was it written by "
                             "`tools/study.py evaluate --copy-curves`? Other JSON files "
                             "here must not end in -seed<k>.json.")
        rows = sorted(rows, key=lambda r: r["step"])
        found.setdefault(match["variant"], {})[int(match["seed"])] = rows
    order = {v: i for i, v in enumerate(VARIANTS)}
    return {v: dict(sorted(found[v].items()))
            for v in sorted(found, key=lambda v: (order.get(v, len(order)), v))}


def real_of(curves: dict[str, dict[int, list[dict]]]) -> dict | None:
    """The real data's scores stored with the curves (the same for every run; the copy with
    the most keys, as later evaluations add measures), or None."""
    reals = [row["real"] for runs in curves.values() for rows in runs.values()
             for row in rows if "real" in row]
    return max(reals, key=len) if reals else None


def summary_at(curves: dict[str, dict[int, list[dict]]], step: int | list[int],
               keys: list[str]) -> dict[str, dict]:
    """Per variant, the seeds evaluated at ``step`` and each key's ``(mean, low, high)``
    over them (:func:`mean_interval`; ``nan`` bounds for one seed, ``None`` for no value).
    Variants with no run at ``step`` (still training) are left out."""
    out = {}
    for variant, runs in curves.items():
        rows = {seed: row for seed, rs in runs.items() if (row := at_step(rs, step))}
        if not rows:
            continue
        entry: dict = {"seeds": list(rows)}
        for key in keys:
            values = [r[key] for r in rows.values() if r.get(key) is not None]
            entry[key] = mean_interval(values) if values else None
        out[variant] = entry
    return out


def table_from_files(folder: str | Path, step: int | list[int], keys: list[str],
                     variants: list[str] | None = None) -> str:
    """:func:`table` from the curve files in ``folder`` (:func:`curves_in`): one row per
    variant with a run evaluated at ``step``, ``mean [low, high]`` over its seeds, the seed
    count in its own column (one seed: the mean alone), the real data last."""
    curves = curves_in(folder)
    rows = {v: [r for rs in runs.values() if (r := at_step(rs, step))]
            for v, runs in curves.items() if variants is None or v in variants}
    return _markdown({v: r for v, r in rows.items() if r}, keys, real_of(curves))


# ------------------------------------------------------------------ the checkpoint to ship

ENTANGLEMENT_KEYS = ("appearance_variance_from_zm", "action_variance_from_za_invariant")


def pick_checkpoint(runs: dict[int, list[dict]], steps: list[int],
                    keys: tuple[str, ...] = ENTANGLEMENT_KEYS,
                    limits: dict[str, float] | None = None) -> tuple[int, int, float]:
    """``(seed, step, score)``: the evaluated checkpoint among ``steps`` of ``runs`` (one
    variant's ``{seed: rows}``, as :func:`curves_in` gives) with the lowest sum of ``keys``,
    among those whose every ``limits`` key is at most its bound.

    The default sum is finding F's (docs/STUDY.md): the share of the looks that ``z_m`` moves
    plus the share of the action that ``z_a`` moves (read by the colour-blind judge), 0 when
    the codes are disentangled; ``limits`` keeps out checkpoints with more broken frames than
    the model already shipped. A rule fixed before the runs finish; the chosen checkpoint's
    scores are biased low by the choice, so its record is measured again at fresh noise
    (``tools/ship_model.py --eval-seed``). Rows missing a key are refused, not skipped: a
    checkpoint must not win (or escape a limit) because a measure of it is missing.
    """
    limits = limits or {}
    best: tuple[int, int, float] | None = None
    for seed, rows in runs.items():
        for step in steps:
            row = at_step(rows, step)
            if row is None:
                continue
            missing = [k for k in (*keys, *limits) if row.get(k) is None]
            if missing:
                raise ValueError(f"seed {seed}, step {step}: no {', '.join(missing)} in its "
                                 "evaluation; evaluate it again with today's "
                                 "`tools/study.py evaluate` (action judge and frame counts) "
                                 "before picking.")
            if any(row[k] > bound for k, bound in limits.items()):
                continue
            score = sum(row[k] for k in keys)
            if best is None or score < best[2]:
                best = (seed, step, score)
    if best is None:
        within = f" within {limits}" if limits else ""
        raise ValueError(f"no evaluated checkpoint at steps {steps} in seeds {list(runs)}"
                         f"{within}; evaluate the runs first (`tools/study.py evaluate`), or "
                         "say that none qualifies.")
    return best

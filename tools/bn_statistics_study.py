"""The EMA generator's BatchNorm statistics: stored (the raw G's) against recalibrated.

    python tools/bn_statistics_study.py --checkpoints g3an-tiny,mocogan-tiny \
        --out docs/study/bn/bn_statistics.json

For every checkpoint (a shipped name or a checkpoint file) and every mode, ``g3an-edu
evaluate``'s scores at ``--n`` videos and the washed-out-frame measures
(:mod:`g3an_edu.metrics.frames`), on the same codes. Modes: ``ema`` (the EMA weights with the
statistics stored beside them, which training copies from the raw G), ``ema-recalibrated``
(the same weights, statistics recomputed on ``--recalibrate`` videos of their own;
:mod:`g3an_edu.batchnorm_statistics`), and for training checkpoints ``raw`` and
``raw-recalibrated`` (the raw G). Rows are saved as they land; a rerun skips what is there.
With ``--frames``, also ``<name>-<mode>_frames.png`` beside ``--out``: the swap grid's 16
videos (4 ``z_a`` × 4 ``z_m``, the study's fixed codes) as rows, their last 8 frames as
columns, so a broken last frame shows in the last column.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from g3an_edu.batchnorm_statistics import recalibrate_batchnorm
from g3an_edu.metrics.evaluation import evaluate_checkpoint
from g3an_edu.metrics.frames import generator_frame_outliers
from g3an_edu.models import load_generator
from g3an_edu.viz import generator_swap_grid, save_video

KEYS = ("fd_video", "fd_frame", "appearance_variance_from_zm", "action_variance_from_za",
        "action_variance_from_zm", "action_variance_from_za_invariant",
        "action_variance_from_zm_invariant", "appearance_entropy", "action_entropy",
        "motion_diversity")
MODES = {"ema": (True, False), "ema-recalibrated": (True, True),
         "raw": (False, False), "raw-recalibrated": (False, True)}


def generator(checkpoint: str, mode: str, recalibrate: int) -> tuple[torch.nn.Module, int]:
    """``(G in eval mode, its motion length)`` in ``mode``."""
    ema, recalibrated = MODES[mode]
    g, config = load_generator(checkpoint, ema=ema)
    if recalibrated:
        recalibrate_batchnorm(g, recalibrate, config.length)
    return g, config.length


def label(checkpoint: str) -> str:
    """A checkpoint file's stem (``step_00004000``), or the shipped model's name."""
    return Path(checkpoint).stem if checkpoint.endswith(".safetensors") else checkpoint


def measure(checkpoint: str, mode: str, g: torch.nn.Module, length: int, n: int,
            recalibrate: int) -> dict:
    """One row: ``evaluate``'s scores of ``checkpoint`` in ``mode`` and the frame measures of
    ``g``, the same generator already loaded (and recalibrated) by :func:`generator`."""
    ema, recalibrated = MODES[mode]
    scores = evaluate_checkpoint(checkpoint, n=n, device="cpu", with_real=False, ema=ema,
                                 recalibrate_bn=recalibrate if recalibrated else 0)
    frames = generator_frame_outliers(g, length, n)
    return {"checkpoint": checkpoint, "mode": mode, "n": n,
            "recalibrate": recalibrate if recalibrated else 0,
            **{k: scores.get(k) for k in KEYS},
            "ci": {k: scores["ci"].get(k) for k in KEYS if k in scores["ci"]},
            **frames}


def table(rows: list[dict]) -> str:
    """The rows as Markdown: one line per (checkpoint, mode)."""
    columns = ("fd_frame", "appearance_variance_from_zm", "action_variance_from_za_invariant",
               "action_variance_from_zm_invariant", "washed_out_fraction",
               "colour_outlier_fraction", "last_jump_ratio")
    lines = ["| checkpoint | mode | " + " | ".join(columns) + " |",
             "|---|---|" + "---|" * len(columns)]
    for r in rows:
        cells = [f"{r[k]:.3g}" if isinstance(r.get(k), float) else "-" for k in columns]
        lines.append(f"| {label(r['checkpoint'])} | {r['mode']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoints", required=True,
                        help="comma-separated shipped names or checkpoint files")
    parser.add_argument("--modes", default=None,
                        help=f"comma-separated, of {', '.join(MODES)} (default: ema and "
                             "ema-recalibrated for shipped models, all four for files)")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--recalibrate", type=int, default=1024, metavar="N",
                        help="videos for the recalibrated statistics (default 1024)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--table", action="store_true",
                        help="print the rows of --out as a Markdown table and stop")
    parser.add_argument("--frames", action="store_true",
                        help="also write each swap grid's last 8 frames as a PNG")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = json.loads(args.out.read_text()) if args.out.is_file() else []
    if args.table:
        print(table(rows))
        return
    for checkpoint in args.checkpoints.split(","):
        file = Path(checkpoint).is_file()
        modes = args.modes.split(",") if args.modes else (
            list(MODES) if file else ["ema", "ema-recalibrated"])
        for mode in modes:
            if mode not in MODES:
                parser.error(f"--modes: unknown mode {mode!r}; choose from {', '.join(MODES)}")
            row = next((r for r in rows if (r["checkpoint"], r["mode"]) == (checkpoint, mode)),
                       None)
            stale = row is not None and "last_jump_ratio" not in row  # from before that measure
            if not (args.frames or row is None or stale):
                continue
            start = time.time()
            g, length = generator(checkpoint, mode, args.recalibrate)  # loaded once, used below
            if args.frames:
                grid = generator_swap_grid(g, length)  # (16, 3, T, H, W)
                save_video(args.out.parent / f"{label(checkpoint)}-{mode}_frames.png",
                           grid[:, :, -8:], scale=2)
            if stale:
                row.update(generator_frame_outliers(g, length, args.n))
                args.out.write_text(json.dumps(rows, indent=1) + "\n")
            if row is not None:
                continue
            rows.append(measure(checkpoint, mode, g, length, args.n, args.recalibrate))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(rows, indent=1) + "\n")
            r = rows[-1]
            print(f"{checkpoint} {mode}: washed out {r['washed_out_fraction']:.3f}, colour "
                  f"outliers {r['colour_outlier_fraction']:.3f}, last jump ratio "
                  f"{r['last_jump_ratio']:.2f}, looks "
                  f"{r['appearance_variance_from_zm']:.3f}, z_a→action (judge) "
                  f"{r['action_variance_from_za_invariant']:.3f}, fd_frame "
                  f"{r['fd_frame']:.0f} ({time.time() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()

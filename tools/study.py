"""The disentanglement study from the command line (docs/STUDY.md; g3an_edu/study.py).

    # train (resumable: re-run the same command after an interruption); one thread per worker
    python tools/study.py train --variants paper,pair --seeds 0,1,2 --steps 4000 \\
        --root ~/g3an-runs/study --threads 1
    # evaluate every kept checkpoint of each run into <run>/curve.json (reuses earlier rows)
    python tools/study.py evaluate --variants paper,pair --seeds 0,1,2 --root ~/g3an-runs/study
    # the table at one step, mean [95 % interval over seeds]
    python tools/study.py table --variants paper,pair --seeds 0,1,2 --step 4000 \\
        --root ~/g3an-runs/study
    # ... from the committed curve files, each run averaged over its last three checkpoints
    python tools/study.py table --from docs/study --step 2000,3000,4000
    # the checkpoint to ship: lowest z_m -> looks + z_a -> action (judge) among those steps
    python tools/study.py pick --from docs/study/cpu-bf16 --variants style-mod-pair-colour \
        --step 3000,4000,5000 --limit colour_outlier_fraction=0.32 --limit washed_out_fraction=0.25

Run folders belong outside the repository (they hold checkpoints); commit only the
``curve.json`` files and tables (``--copy-curves DIR``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import torch

from g3an_edu.metrics.curves import curve
from g3an_edu.study import (
    SCREENING,
    VARIANTS,
    curves_in,
    pick_checkpoint,
    read_curve,
    run_dir,
    table,
    table_from_files,
    variant_config,
)
from g3an_edu.train import train

KEYS = ("fd_video", "fd_frame", "appearance_variance_from_zm", "action_variance_from_za",
        "action_variance_from_zm", "action_variance_from_za_invariant",
        "action_variance_from_zm_invariant", "appearance_kappa", "action_kappa", "motion_diversity",
        "action_entropy", "appearance_entropy", "washed_out_fraction",
        "colour_outlier_fraction", "last_jump_ratio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("train", "evaluate", "table", "pick"))
    parser.add_argument("--variants", default=None, help="default: every variant")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--root", type=Path, default=Path.home() / "g3an-runs" / "study")
    parser.add_argument("--base", default=SCREENING, help="the screening preset")
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--every", type=int, default=1000, help="checkpoint (and curve) step")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    parser.add_argument("--n", type=int, default=256, help="videos per evaluation")
    parser.add_argument("--step", default=None,
                        help="table: the step (default last), or steps 2000,3000,4000: each "
                             "run's mean over those checkpoints")
    parser.add_argument("--from", dest="source", type=Path, default=None,
                        help="table: read the curve files in DIR (<variant>-seed<k>.json, "
                             "every seed there) instead of the run folders under --root")
    parser.add_argument("--copy-curves", type=Path, default=None,
                        help="evaluate: also copy each curve.json to DIR/<variant>-seed<k>.json")
    parser.add_argument("--limit", action="append", default=[], metavar="KEY=MAX",
                        help="pick: only checkpoints with KEY at most MAX (repeatable), e.g. "
                             "colour_outlier_fraction=0.32")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    variants = (args.variants or ",".join(VARIANTS)).split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = [(v, s) for s in seeds for v in variants]  # seed 0 of every variant first
    steps = [int(s) for s in (args.step or str(args.steps)).split(",")]  # table and pick
    if args.command == "train":
        for variant, seed in runs:
            config = variant_config(variant, seed, args.steps, args.every, args.base)
            print(f"[{time.strftime('%H:%M:%S')}] {variant} seed {seed}", flush=True)
            result = train(config, run_dir(args.root, variant, seed), progress=False)
            if result.interrupted:  # Ctrl-C / SIGTERM: checkpoint saved, stop the whole queue
                print("interrupted: re-run the same command to resume", flush=True)
                break
    elif args.command == "evaluate":
        for variant, seed in runs:
            folder = run_dir(args.root, variant, seed)
            if not (folder / "checkpoints").is_dir():
                print(f"{folder}: not trained yet, skipped")
                continue
            done = read_curve(args.root, variant, seed)

            def save(rows: list[dict], folder: Path = folder, done: list[dict] = done) -> None:
                known = {row["step"]: row for row in done}  # partial curves: a rerun resumes
                known.update({row["step"]: row for row in rows})
                merged = [known[step] for step in sorted(known)]
                (folder / "curve.json").write_text(json.dumps(merged, indent=1) + "\n")

            rows = curve(folder, args.n, 0, args.every, done, device="cpu", on_row=save)
            (folder / "curve.json").write_text(json.dumps(rows, indent=1) + "\n")
            if args.copy_curves:
                args.copy_curves.mkdir(parents=True, exist_ok=True)
                shutil.copy(folder / "curve.json", args.copy_curves / f"{variant}-seed{seed}.json")
    elif args.command == "pick":
        if not args.source or len(variants) != 1:
            raise SystemExit("pick reads one variant's curve files: pass --from DIR and "
                             "--variants NAME.")
        runs = {s: rows for s, rows in curves_in(args.source).get(variants[0], {}).items()
                if s in seeds}
        limits = {k: float(v) for k, v in (pair.split("=") for pair in args.limit)}
        seed, step, score = pick_checkpoint(runs, steps, limits=limits)
        print(json.dumps({"variant": variants[0], "seed": seed, "step": step,
                          "entanglement_sum": score, "seeds_read": list(runs),
                          "steps_read": steps, "limits": limits}))
    else:
        step = steps[0] if len(steps) == 1 else steps
        if args.source:
            chosen = variants if args.variants else None  # default: every variant there
            print(table_from_files(args.source, step, list(KEYS), chosen))
        else:
            print(table(args.root, variants, seeds, step, list(KEYS)))


if __name__ == "__main__":
    main()

"""Re-read the study's checkpoints through another oracle (docs/STUDY.md).

The study's curves read every checkpoint through the shipped oracle, which misreads blurry
videos: real videos degraded to `g3an-tiny`'s frame FD already score 0.19 of their looks
"from z_m" (docs/RESULTS.md). An oracle trained with the degradations as augmentation
(`g3an-edu oracle train --augment 1.5`) reads such videos; this tool re-reads chosen runs
and steps through it and prints each variant's mean over seeds:

    python tools/study_reread.py --oracle ~/g3an-runs/oracle-augmented/oracle.safetensors \\
        --variants paper,style-mod-pair-colour --seeds 0,1,2,3 --steps 2000,3000,4000 \\
        --root ~/g3an-runs/study --out docs/study/reread/augmented_oracle.json

Rows are saved as they land, so an interrupted re-read resumes; runs or steps that do not
exist are skipped with a note. ``--degraded`` adds, per row, the scores of real videos
degraded to that checkpoint's frame FD (what a perfectly disentangled source scores through
this oracle when its videos carry errors of that size drawn at random per video: a threshold
for entanglement, docs/STUDY.md item Z; doubles the time; where a checkpoint's frames are
worse than the strongest degradation reaches, the row says so instead). ``--table`` only prints.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from g3an_edu.metrics.degrade import BeyondDegradationRange
from g3an_edu.metrics.evaluation import evaluate_checkpoint
from g3an_edu.study import mean_interval, run_dir

KEYS = ("fd_frame", "appearance_variance_from_zm", "action_variance_from_za",
        "action_variance_from_zm", "appearance_entropy")


def row_key(variant: str, seed: int, step: int) -> str:
    return f"{variant}/seed{seed}/step{step}"


def reread(args: argparse.Namespace, rows: dict) -> None:
    for variant in args.variants.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            for step in (int(s) for s in args.steps.split(",")):
                key = row_key(variant, seed, step)
                checkpoints = run_dir(args.root, variant, seed) / "checkpoints"
                path = checkpoints / f"step_{step:08d}.safetensors"
                if key in rows and (not args.degraded or "real_degraded" in rows[key]):
                    continue
                if not path.exists():
                    print(f"skip {key}: no {path}")
                    continue
                start = time.time()
                try:
                    scores = evaluate_checkpoint(str(path), n=args.n, oracle_path=args.oracle,
                                                 device="cpu", with_real=False,
                                                 judge_path="none",
                                                 degraded="match" if args.degraded else None)
                except BeyondDegradationRange as error:  # only raised with --degraded
                    print(f"{key}: no degraded floor ({error})")
                    scores = evaluate_checkpoint(str(path), n=args.n, oracle_path=args.oracle,
                                                 device="cpu", with_real=False,
                                                 judge_path="none")
                    scores["real_degraded"] = {"beyond_range": str(error)}
                row = {k: scores.get(k) for k in KEYS}
                row["appearance_variance_from_zm_by_factor"] = scores.get(
                    "appearance_variance_from_zm_by_factor")
                if args.degraded:
                    real = scores["real_degraded"]
                    row["real_degraded"] = ({k: real.get(k) for k in (*KEYS, "strength")}
                                            if "beyond_range" not in real else real)
                rows[key] = row
                save(args.out, args.oracle, rows)
                print(f"{key}: " + ", ".join(f"{k} {v:.3g}" for k, v in row.items()
                                              if isinstance(v, float))
                      + f"  ({time.time() - start:.0f} s)", flush=True)


def save(out: Path, oracle: str, rows: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"oracle": oracle, "rows": rows}, indent=1, sort_keys=True)
                   + "\n")


def print_table(rows: dict, steps: list[int]) -> None:
    """Each variant: mean [95 % t-interval] over seeds of each run's mean over ``steps``."""
    runs: dict[str, dict[int, list[dict]]] = {}
    for key, row in rows.items():
        variant, seed, step = key.split("/")
        if int(step.removeprefix("step")) in steps:
            runs.setdefault(variant, {}).setdefault(int(seed.removeprefix("seed")), []).append(row)
    keys = ("appearance_variance_from_zm", "action_variance_from_za", "action_variance_from_zm",
            "fd_frame", "real_degraded")
    print("| variant | seeds | " + " | ".join(keys) + " |")
    print("|---|---|" + "---|" * len(keys))
    for variant, by_seed in runs.items():
        cells = []
        for k in keys:
            values = []
            for seed_rows in by_seed.values():
                got = [(r["real_degraded"].get("appearance_variance_from_zm")
                        if k == "real_degraded" else r[k])
                       for r in seed_rows if k != "real_degraded" or "real_degraded" in r]
                got = [v for v in got if v is not None]
                if got:
                    values.append(sum(got) / len(got))
            if not values:
                cells.append("–")
                continue
            mean, lo, hi = mean_interval(values)
            fmt = ".0f" if k == "fd_frame" else ".2f"
            cells.append(f"{mean:{fmt}}" + (f" [{lo:{fmt}}, {hi:{fmt}}]" if len(values) > 1
                                             else ""))
        print(f"| `{variant}` | {len(by_seed)} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--oracle", required=True, help="the oracle file to read with")
    parser.add_argument("--variants", default="paper")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--steps", default="2000,3000,4000")
    parser.add_argument("--root", type=Path, default=Path.home() / "g3an-runs" / "study")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    parser.add_argument("--degraded", action="store_true",
                        help="also score real videos degraded to each checkpoint's frame FD")
    parser.add_argument("--table", action="store_true", help="only print the table")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = json.loads(args.out.read_text())["rows"] if args.out.exists() else {}
    if not args.table:
        if not Path(args.oracle).expanduser().exists():
            raise SystemExit(f"no oracle file {args.oracle}: train one with g3an-edu oracle "
                             "train (docs/RESULTS.md gives the augmented oracle's command).")
        reread(args, rows)
    print_table(rows, [int(s) for s in args.steps.split(",")])


if __name__ == "__main__":
    main()

"""Metrics against training steps (and wall time): every checkpoint of a run, evaluated.

    python tools/metrics_curve.py runs/g3an-tiny runs/mocogan-tiny \\
        --json docs/curves.json --plot docs/figures/metrics_curve.png

For each run directory, step 0 (the config's untrained generator) and every kept checkpoint
are evaluated (:mod:`g3an_edu.metrics.curves`: EMA weights, the shipped oracle, the same
``--n``/``--seed`` for every point). Results already in ``--json`` are reused: re-running
after more checkpoints only evaluates the new ones.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from g3an_edu.checkpoint import list_checkpoints
from g3an_edu.metrics.curves import curve, plot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="training --out directories")
    parser.add_argument("--n", type=int, default=256, help="videos per evaluation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--every", type=int, default=1,
                        help="evaluate only checkpoints whose step is a multiple of this")
    parser.add_argument("--json", type=Path, required=True, help="results file (reused)")
    parser.add_argument("--plot", type=Path, default=None, help="PNG of the curves")
    parser.add_argument("--no-ema", action="store_true",
                        help="evaluate the raw G (stored as '<run> (raw G)')")
    parser.add_argument("--x", choices=("step", "seconds"), default="step",
                        help="x axis of the plot: training step or training time")
    args = parser.parse_args()
    saved = json.loads(args.json.read_text()) if args.json.is_file() else {}
    for run in args.runs:
        if not list_checkpoints(run):
            raise SystemExit(f"{run} has no checkpoints/: give a training --out directory.")
        key = run.name + (" (raw G)" if args.no_ema else "")
        saved[key] = curve(run, args.n, args.seed, args.every, saved.get(key, []),
                           ema=not args.no_ema)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(saved, indent=1) + "\n")
    if args.plot:
        plot(saved, args.plot, args.x)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()

"""Ablations: G3AN 1p2d / 2p1d / 3d with and without F-SA, and MoCoGAN, same steps and seeds.

    # The table in benchmarks/RESULTS.md: 7 variants × 2 seeds of the `tiny` preset, 2000
    # steps each; two processes of one thread each (on a busy 2-core CPU one thread per
    # process is several times faster than two), about 40 min on a quiet machine:
    python benchmarks/ablations.py --base tiny --steps 2000 --seeds 0 --threads 1 &
    python benchmarks/ablations.py --base tiny --steps 2000 --seeds 1 --threads 1 &
    wait; python benchmarks/ablations.py --base tiny --steps 2000 --seeds 0,1 --threads 1

    python benchmarks/ablations.py --base tiny --steps 2 --seeds 0,1 --n 16 --out /tmp/abl

Runs go to ``--out`` (default ``runs/ablations``), one trainer ``--out`` directory per
variant and seed; a finished run (``scores.json``) is skipped and an interrupted one resumes,
so re-running the same command completes the table. The table (mean ± sample standard
deviation over seeds, next to the real data's own scores) goes into ``--results``
(default ``benchmarks/RESULTS.md``, between ablation markers). See ``g3an_edu/ablations.py``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import torch

from g3an_edu.ablations import VARIANTS, run_ablations


def make_train_fn(device: str):
    def train_fn(folder: Path, variant: str, seed: int, base: str, steps: int) -> int:
        from g3an_edu.baselines import count_parameters
        from g3an_edu.config import load_config
        from g3an_edu.models import build_generator
        from g3an_edu.train import train

        settings = dict(VARIANTS[variant])
        preset = f"mocogan-{base}" if settings.pop("arch") == "mocogan" else base
        config = load_config(preset, {**settings, "seed": seed, "steps": steps,
                                      "sample_every": 0, "checkpoint_every": max(1, steps // 4),
                                      "keep_checkpoints": 1})
        train(config, folder, device=device, progress=False)
        return count_parameters(build_generator(config))
    return train_fn


def make_evaluate_fn(n: int, groups: int, per_group: int, oracle: str | None, device: str,
                     out: Path):
    """Evaluate a run; the real data's scores (the same for every run) are computed once and
    kept in ``OUT/real.json``."""
    cache = out / f"real_n{n}_g{groups}x{per_group}.json"

    def evaluate_fn(folder: Path) -> dict:
        from g3an_edu.metrics.evaluation import evaluate_checkpoint

        scores = evaluate_checkpoint(str(folder), n, groups, per_group, 0, oracle, device,
                                     with_real=not cache.is_file())
        if "real" in scores:
            cache.write_text(json.dumps(scores["real"], indent=2, sort_keys=True) + "\n")
        else:
            scores["real"] = json.loads(cache.read_text())
        return scores
    return evaluate_fn


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", default="tiny", help="preset the variants start from (tiny, cpu)")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--seeds", default="0,1", help="comma-separated seeds (≥ 2 for a spread)")
    p.add_argument("--variants", default=",".join(VARIANTS))
    p.add_argument("--n", type=int, default=256, help="videos per evaluation sample")
    p.add_argument("--groups", type=int, default=16)
    p.add_argument("--per-group", type=int, default=8)
    p.add_argument("--oracle", default=None, help="oracle file (default: the shipped one)")
    p.add_argument("--out", default="runs/ablations")
    p.add_argument("--results", default="benchmarks/RESULTS.md")
    p.add_argument("--device", default="auto")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    p.add_argument("--label", default="", help="text put before the table's note")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",")]
    device = args.device
    label = args.label + " " if args.label else ""
    note = (f"{label}Base preset `{args.base}`, {args.steps} steps per run, seeds {seeds}, "
            f"metrics on {args.n} videos and {args.groups} groups of {args.per_group} (oracle: "
            f"{args.oracle or 'shipped'}); mean ± sample standard deviation over seeds. "
            f"Machine: {platform.processor() or platform.machine()}, torch "
            f"{torch.__version__}, {torch.get_num_threads()} threads, device {device}; written "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Command: `python "
            f"benchmarks/ablations.py {' '.join(argv if argv is not None else sys.argv[1:])}`.")
    run_ablations(Path(args.out), args.base, args.steps, seeds, args.variants.split(","),
                  make_train_fn(device),
                  make_evaluate_fn(args.n, args.groups, args.per_group, args.oracle, device,
                                   Path(args.out)),
                  Path(args.results), note)
    print(f"table written to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

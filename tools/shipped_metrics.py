"""Every metric of the shipped models, with 95 % intervals, the real data and degraded real data.

    OMP_NUM_THREADS=1 python tools/shipped_metrics.py --out docs/shipped_metrics.json

For each shipped model: ``evaluate`` of its EMA generator (n = 256, 16 groups of 8, seed 0,
intervals from 1000 bootstrap resamples, 200 for the Fréchet distances), of its untrained
architecture (``--no-untrained`` skips it), and of real videos degraded at the strength whose
``fd_frame`` matches the model's (``real_degraded``). The real data's scores are stored once
(``"real"``). ``--oracle`` evaluates with another oracle (e.g. one trained with
``g3an-edu oracle train --augment``). ``--add`` keeps the models already in ``--out`` and
evaluates only ``--names`` into it (a newly shipped model), at the file's own n, groups and
seed. ``tools/results_table.py --shipped`` prints the tables.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import torch

from g3an_edu.metrics.disentanglement import GeneratorSource
from g3an_edu.metrics.evaluation import evaluate
from g3an_edu.metrics.oracle import load_oracle
from g3an_edu.metrics.real_data import real_source_for
from g3an_edu.models import load_generator
from g3an_edu.pretrained import shipped_models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", nargs="+", default=list(shipped_models()))
    parser.add_argument("--oracle", default=None, help="oracle file (default: the shipped one)")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--groups", type=int, default=16)
    parser.add_argument("--per-group", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-untrained", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--add", action="store_true",
                        help="keep --out's models; evaluate only --names into it")
    args = parser.parse_args()
    oracle, info = load_oracle(args.oracle)
    if args.add:
        if not args.out.is_file():
            raise SystemExit(f"--add needs an existing {args.out}; run without --add first.")
        result = json.loads(args.out.read_text())
        if result["oracle"] != (args.oracle or "shipped"):
            raise SystemExit(f"{args.out} was evaluated with oracle {result['oracle']!r}; "
                             "pass the same --oracle to add to it.")
        args.n, args.groups = result["n"], result["n_groups"]
        args.per_group, args.seed = result["per_group"], result["seed"]
    else:
        result = {"machine": f"{platform.machine()} CPU, {torch.get_num_threads()} thread(s), "
                             f"torch {torch.__version__}",
                  "oracle": args.oracle or "shipped", "oracle_info": info,
                  "n": args.n, "n_groups": args.groups, "per_group": args.per_group,
                  "seed": args.seed, "models": {}}
    dims = (args.n, args.groups, args.per_group, args.seed)
    for name in args.names:
        entry = {}
        for untrained in (False, True):
            if untrained and args.no_untrained:
                continue
            start = time.perf_counter()
            g, config = load_generator(name, device="cpu", untrained=untrained)
            scores = evaluate(oracle, GeneratorSource(g, config.length), real_source_for(config),
                              *dims, with_real="real" not in result,
                              degraded=None if untrained else "match", n_boot_fd=200)
            if "real" in scores:
                result["real"] = scores.pop("real")
            entry["untrained" if untrained else "trained"] = scores
            print(f"{name}{' untrained' if untrained else ''}: "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
        result["models"][name] = entry
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

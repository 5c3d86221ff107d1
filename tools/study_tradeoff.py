"""Does one code take both factors? The correlation, over every G3AN run of the study, of
``appearance_variance_from_zm`` (``z_m`` moves the looks) with ``action_variance_from_za``
(``z_a`` moves the action).

    python tools/study_tradeoff.py [--from docs/study] [--step 4000] [--judge]

A strong negative correlation with shares summing to about 1 means the generator gives both
factors to whichever code dominates, and a change that moves the action to ``z_m`` moves
the looks there too. Checkpoints where almost every video is one action (action entropy
≤ 0.2) are left out: their action share measures noise. One point per run (its checkpoint at
``--step``), so the points are independent runs. ``--judge`` reads the action share from the
colour-blind action judge (``action_variance_from_za_invariant``; runs evaluated before it
existed have none and are left out), so that a point is not on the line only because colours
change what the oracle sees of the motion (``docs/evaluation.md``).
"""

from __future__ import annotations

import argparse
import math
import statistics
from pathlib import Path

from g3an_edu.study import at_step, curves_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", type=Path, default=Path("docs/study"))
    parser.add_argument("--step", type=int, default=4000)
    parser.add_argument("--judge", action="store_true",
                        help="the action share as the action judge reads it")
    args = parser.parse_args()
    key = "action_variance_from_za" + ("_invariant" if args.judge else "")
    looks, action = [], []
    for variant, runs in curves_in(args.source).items():
        if variant == "mocogan":  # another generator family
            continue
        for rows in runs.values():
            row = at_step(rows, args.step)
            if row and row.get("action_entropy", 0) > 0.2 and None not in (
                    row.get("appearance_variance_from_zm"), row.get(key)):
                looks.append(row["appearance_variance_from_zm"])
                action.append(row[key])
    n = len(looks)
    if n < 4:
        raise SystemExit(f"{n} runs in {args.source} have {key} at step {args.step}: a "
                         "correlation with an interval needs at least 4; evaluate more runs "
                         "(`tools/study.py evaluate ... --copy-curves`)")
    r = statistics.correlation(looks, action)
    half = 1.96 / math.sqrt(n - 3)
    sums = [a + b for a, b in zip(looks, action, strict=True)]
    print(f"{n} G3AN runs at step {args.step}: r(z_m -> looks, {key}) = {r:.2f} "
          f"[{math.tanh(math.atanh(r) - half):.2f}, {math.tanh(math.atanh(r) + half):.2f}] "
          f"(95 %, Fisher); their sum {statistics.mean(sums):.2f} ± "
          f"{statistics.stdev(sums):.2f} (mean ± sd; 0 for a disentangled generator)")


if __name__ == "__main__":
    main()

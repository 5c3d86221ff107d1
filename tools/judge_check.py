"""How far the action reading of the oracle and of the colour-blind judge depends on colours.

Real motion groups (one motion, other figures: the real data's ``action_variance_from_za``
groups) are read clean, then with every video recoloured (``metrics.recolour``: a random
colour map per video) at a lowest contrast of 1, 0.3 and 0.1. The motion in a group is one
and the same, so any share of the action's variance that the appearance causes is the
reader's error: the floor a generator's ``action_variance_from_za`` cannot go below when its
``z_a`` sets colours that hide parts of the motion (docs/STUDY.md, item L). Prints a
markdown table, oracle against judge, each with its 95 % bootstrap interval over groups.

    python tools/judge_check.py [--groups 32] [--per-group 8] [--judge FILE]
"""

from __future__ import annotations

import argparse

import torch

from g3an_edu.data import SyntheticActions
from g3an_edu.metrics.bootstrap import interval
from g3an_edu.metrics.disentanglement import DatasetSource
from g3an_edu.metrics.grouped import group_metrics, group_stats, identity, resample
from g3an_edu.metrics.oracle import embed, load_judge, load_oracle
from g3an_edu.metrics.real_data import render_pairs_of
from g3an_edu.metrics.recolour import recolour

KEY = "action_variance_from_za"


def share(reader, clips: torch.Tensor, g: int, k: int, n_boot: int = 1000,
          seed: int = 0) -> tuple[float, list[float]]:
    """The action's within-group variance share (groups of ``k`` consecutive clips) and its
    bootstrap interval."""
    stats = group_stats(embed(reader, clips), g, k, ())
    one = identity(g)
    value = float(group_metrics(stats, stats, one, one, ())[KEY][0])
    m = resample(g, n_boot, torch.Generator().manual_seed(seed))
    samples = group_metrics(stats, stats, m, m, ())[KEY]
    return value, interval(samples, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=32)
    parser.add_argument("--per-group", type=int, default=8)
    parser.add_argument("--judge", default=None, help="judge file (default: the shipped one)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    g, k = args.groups, args.per_group
    ds = SyntheticActions(size=32, frames=16, seed=0)
    rng = torch.Generator().manual_seed(args.seed)
    clips = DatasetSource(ds, render_pairs_of(ds)).groups(g, k, "motion", rng).flatten(0, 1)
    readers = {"oracle": load_oracle()[0], "judge": load_judge(args.judge)[0]}
    print(f"| real motion groups ({g} of {k}) | oracle: {KEY} | judge: {KEY}_invariant |")
    print("|---|---|---|")
    cases = [("clean", clips)] + [
        (f"recoloured, lowest contrast {c}", recolour(clips, torch.Generator().manual_seed(1),
                                                      keep=0.0, min_contrast=c))
        for c in (1.0, 0.3, 0.1)]
    for name, videos in cases:
        cells = []
        for reader in readers.values():
            value, (low, high) = share(reader, videos, g, k)
            cells.append(f"{value:.2f} [{low:.2f}, {high:.2f}]")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

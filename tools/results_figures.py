"""The sample GIFs of docs/RESULTS.md, from the shipped models (or any checkpoint).

    python tools/results_figures.py g3an-tiny mocogan-tiny --out docs/figures

For each model: ``<name>_samples.gif`` (8 videos from seed 0) and ``<name>_swap.gif``, a
4×4 grid where row ``i`` keeps ``z_a`` number ``i`` and column ``j`` keeps ``z_m`` number ``j``:
along a row only the motion should change, down a column only the looks.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from g3an_edu.models import load_generator
from g3an_edu.viz import appearance_motion_grid, save_video


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", help="shipped names or checkpoint paths")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=int, default=3, help="pixel repeat of the GIFs")
    args = parser.parse_args()
    for model in args.models:
        g, config = load_generator(model)
        name = Path(model).name
        z_a, z_m = g.sample_noise(8, config.length,
                                  generator=torch.Generator().manual_seed(args.seed))
        with torch.no_grad():
            videos = g(z_a, z_m)  # (8, 3, T, R, R)
            swap = appearance_motion_grid(g, z_a[:4], z_m[:4])  # (16, 3, T, R, R)
        print(save_video(args.out / f"{name}_samples.gif", videos, ncol=4, scale=args.scale))
        print(save_video(args.out / f"{name}_swap.gif", swap, ncol=4, scale=args.scale))


if __name__ == "__main__":
    main()

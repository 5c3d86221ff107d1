"""Does the oracle read the action from motion, or from how a single frame looks?

    python tools/oracle_motion_check.py [--n 512] [--seed 123]

Scores the shipped oracle's action accuracy on real ``SyntheticActions`` videos (32×32×16),
on the same videos frozen at one frame (no motion left; chance is 1/10), and with their
frames shuffled in time. If frozen videos were classified well, "``z_a`` decides the
action" in the study could mean only that ``z_a`` draws a pose the oracle associates with an
action; near-chance accuracy on frozen videos means the action is read from the motion.
"""

from __future__ import annotations

import argparse

import torch

from g3an_edu.data import SyntheticActions
from g3an_edu.metrics.oracle import embed, load_oracle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--seed", type=int, default=123, help="the data's seed")
    args = parser.parse_args()
    torch.set_num_threads(1)
    oracle = load_oracle()[0].eval()
    batch = SyntheticActions(size=32, frames=16, seed=args.seed).batch(list(range(args.n)))
    video, action = batch["video"], batch["action"]

    def accuracy(x: torch.Tensor) -> float:
        with torch.no_grad():
            return (embed(oracle, x).logits["action"].argmax(1) == action).float().mean().item()

    order = torch.randperm(video.shape[2], generator=torch.Generator().manual_seed(0))
    print(f"action accuracy on {args.n} real videos: {accuracy(video):.3f}")
    for t in (0, 7, 15):
        frozen = video[:, :, t:t + 1].expand_as(video).contiguous()
        print(f"  frozen at frame {t:2d}: {accuracy(frozen):.3f} (chance 0.100)")
    print(f"  frames shuffled in time: {accuracy(video[:, :, order]):.3f}")


if __name__ == "__main__":
    main()

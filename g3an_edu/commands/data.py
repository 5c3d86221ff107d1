"""``g3an-edu data preview``: render synthetic clips to a .gif/.mp4 grid or a .png strip."""

from __future__ import annotations

import argparse
import math
from pathlib import Path


def preview(out: str, n: int = 8, size: int = 64, seed: int = 0, frames: int = 16,
            fps: int = 8, scale: int = 1) -> Path:
    """Render items ``0..n-1`` of ``SyntheticActions(size, frames, seed)`` as a grid file."""
    from ..data import SyntheticActions
    from ..viz import save_video

    if n < 1:
        raise ValueError(f"--n must be at least 1, got {n}.")
    ds = SyntheticActions(size=size, frames=frames, seed=seed)
    batch = ds.batch(range(n))
    path = save_video(out, batch["video"], fps=fps, ncol=min(n, math.ceil(math.sqrt(2 * n))),
                      scale=scale)
    names = ", ".join(ds.ACTIONS[a] for a in batch["action"].tolist())
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB): {n} clips of {frames} frames "
          f"at {size}×{size}, seed {seed}; actions: {names}")
    return path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("data", help="look at the course's data sets",
                            description="Tools for the course's data sets.")
    data_sub = parser.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)
    p = data_sub.add_parser(
        "preview", help="render synthetic clips to a .gif/.mp4 grid or a .png frame strip",
        description="Render the first N items of SyntheticActions as one grid video.")
    p.add_argument("--out", required=True, help="output file, ending in .gif, .mp4 or .png")
    p.add_argument("--n", type=int, default=8, help="number of clips (default 8)")
    p.add_argument("--size", type=int, default=64, choices=(32, 64, 128), help="pixels")
    p.add_argument("--seed", type=int, default=0, help="data set seed (default 0)")
    p.add_argument("--frames", type=int, default=16, help="frames per clip (default 16)")
    p.add_argument("--fps", type=int, default=8, help="frames per second (default 8)")
    p.add_argument("--scale", type=int, default=1, help="repeat each pixel this many times")
    p.set_defaults(func=lambda a: preview(a.out, a.n, a.size, a.seed, a.frames, a.fps,
                                          a.scale) and 0)

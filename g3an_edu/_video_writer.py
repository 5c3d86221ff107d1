"""Video files for the trainer and ``g3an-edu sample``: .gif and .mp4 through
:func:`g3an_edu.viz.save_video`, and .png frame strips (one row of frames per video).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch


def video_grid(videos: torch.Tensor, ncols: int | None = None) -> np.ndarray:
    """``(N, 3, T, H, W)`` in [-1, 1] -> ``(T, rows·H, cols·W, 3)`` uint8, tiled row by row."""
    n, _, t, h, w = videos.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    pixels = ((videos.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    grid = torch.zeros(nrows * ncols, 3, t, h, w, dtype=torch.uint8)
    grid[:n] = pixels
    grid = grid.reshape(nrows, ncols, 3, t, h, w)  # (rows, cols, 3, T, H, W)
    grid = grid.permute(3, 0, 4, 1, 5, 2)  # (T, rows, H, cols, W, 3)
    return grid.reshape(t, nrows * h, ncols * w, 3).numpy()  # (T, rows·H, cols·W, 3)


def save_video(path: str | Path, videos: torch.Tensor, fps: int = 8) -> Path:
    """Write ``videos (N, 3, T, H, W)`` in [-1, 1] as a grid .gif/.mp4, or a .png frame strip.

    The .png has one row per video and one column per frame, without gaps.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4", ".png"):
        raise ValueError(f"cannot write {path}: the file must end in .gif, .mp4 or .png.")
    if videos.dim() != 5 or videos.shape[1] != 3:
        raise ValueError(f"videos must be (N, 3, T, H, W), got {tuple(videos.shape)}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        import matplotlib.image

        n, _, t, h, w = videos.shape
        strip = video_grid(videos.transpose(1, 2).reshape(n * t, 3, 1, h, w), ncols=t)[0]
        matplotlib.image.imsave(path, strip)
        return path
    from .viz import save_video as save_gif_or_mp4

    return save_gif_or_mp4(path, videos, fps=fps)

"""Real videos made to look generated: how much of a generator's gap the oracle explains.

Generated videos are blurry, noisy and off in colour, and the oracle was trained on clean
ones. Some of a generator's low scores may come from the oracle misreading such videos, not
from the generator. Degrading *real* videos (whose factors we know, and which are perfectly
disentangled) until their frame Fréchet distance to clean real videos matches a generator's
``fd_frame`` gives the scores a perfect generator of that image quality would get: a ceiling
for blurry videos.

``degrade(video, strength, rng)``, per video ``(3, T, H, W)`` in [-1, 1]:

- a Gaussian blur of every frame, standard deviation ``strength`` pixels;
- pixel noise ``N(0, (0.1 · strength)²)``, new for every pixel of every frame;
- a colour shift: one offset ``N(0, (0.1 · strength)²)`` per colour channel for the video;

then clamped to [-1, 1]. ``calibrate_strength`` finds the strength whose ``fd_frame`` matches
a target by bisection (``fd_frame`` grows with the strength).
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..validation import check_tensor
from .disentanglement import VideoSource
from .frechet import frechet_distance
from .oracle import embed


def gaussian_kernel(sigma: float) -> torch.Tensor:
    """``(2r + 1,)`` normalised 1D Gaussian, ``r = ceil(2 sigma)``."""
    r = max(1, math.ceil(2 * sigma))
    x = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def blur(video: torch.Tensor, sigma: float) -> torch.Tensor:
    """Gaussian blur of every frame of ``video (B, 3, T, H, W)``, separable, reflect-padded."""
    if sigma <= 0:
        return video
    b, c, t, h, w = video.shape
    k = gaussian_kernel(sigma)
    r = len(k) // 2
    if r >= min(h, w):
        raise ValueError(f"blur sigma {sigma} needs a kernel of {len(k)} pixels, larger than "
                         f"the {h}x{w} frames; use a strength below {min(h, w) / 2}.")
    x = video.permute(0, 2, 1, 3, 4).reshape(b * t * c, 1, h, w)  # (B·T·3, 1, H, W)
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode="reflect"), k.view(1, 1, 1, -1))  # along W
    x = F.conv2d(F.pad(x, (0, 0, r, r), mode="reflect"), k.view(1, 1, -1, 1))  # along H
    return x.reshape(b, t, c, h, w).permute(0, 2, 1, 3, 4)  # (B, 3, T, H, W)


def degrade(video: torch.Tensor, strength: float, rng: torch.Generator) -> torch.Tensor:
    """Blur, noise and colour shift of ``video (B, 3, T, H, W)`` in [-1, 1] (module docstring);
    ``strength = 0`` returns it unchanged. Noise is drawn on the CPU from ``rng``."""
    check_tensor(video, "video", ("B", 3, "T", "H", "W"))
    if strength < 0:
        raise ValueError(f"strength must be >= 0, got {strength}.")
    if strength == 0:
        return video
    x = blur(video.float().cpu(), strength)
    noise = torch.randn(x.shape, generator=rng) * 0.1 * strength  # (B, 3, T, H, W)
    shift = torch.randn(x.shape[0], 3, 1, 1, 1, generator=rng) * 0.1 * strength  # (B, 3, 1, 1, 1)
    return (x + noise + shift).clamp(-1, 1)


class DegradedSource:
    """A :class:`VideoSource` whose videos are ``source``'s, degraded at ``strength``; labels
    are kept, so the oracle's accuracy on degraded videos can be measured."""

    def __init__(self, source: VideoSource, strength: float) -> None:
        self.source, self.strength = source, strength

    def sample(self, n: int, rng: torch.Generator) -> dict[str, torch.Tensor]:
        batch = dict(self.source.sample(n, rng))
        batch["video"] = degrade(batch["video"], self.strength, rng)
        return batch

    def groups(self, n_groups: int, per_group: int, fixed: str,
               rng: torch.Generator) -> torch.Tensor:
        videos = self.source.groups(n_groups, per_group, fixed, rng)  # (G, K, 3, T, H, W)
        return degrade(videos.flatten(0, 1), self.strength, rng).reshape(videos.shape)


class BeyondDegradationRange(ValueError):
    """A target ``fd_frame`` that even the strongest degradation tried does not reach: the
    generator's frames are further from real ones than blurred real videos get."""


def calibrate_strength(oracle: nn.Module, real: VideoSource, target_fd_frame: float,
                       n: int = 256, seed: int = 0, high: float = 4.0,
                       steps: int = 12) -> float:
    """The strength whose degraded real videos have ``fd_frame ≈ target`` against clean
    real ones (``n`` each, fixed draws), by bisection on ``[0, high]``; 0 when the clean
    videos are already that far (two real samples are not at 0)."""
    rng = torch.Generator().manual_seed(seed)
    clean = embed(oracle, real.sample(n, rng)["video"]).frame_features.flatten(0, 1)
    other = real.sample(n, rng)["video"]  # (n, 3, T, H, W): the videos to degrade

    def fd_frame(strength: float) -> float:
        noisy = degrade(other, strength, torch.Generator().manual_seed(seed + 1))
        return frechet_distance(embed(oracle, noisy).frame_features.flatten(0, 1), clean)

    if fd_frame(0.0) >= target_fd_frame:
        return 0.0
    if fd_frame(high) < target_fd_frame:
        raise BeyondDegradationRange(f"even strength {high} keeps fd_frame below "
                                     f"{target_fd_frame:.0f}; pass a larger high=.")
    low = 0.0
    for _ in range(steps):
        mid = (low + high) / 2
        low, high = (mid, high) if fd_frame(mid) < target_fd_frame else (low, mid)
    return (low + high) / 2

"""Random recolouring of whole videos: the augmentation behind the colour-blind action judge.

The oracle reads the action from how the figure moves, but it sees that motion through the
figure's colours. On a generated figure whose shirt is nearly the background's colour, part
of the motion is invisible to it, so its action reading changes when only the colours change.
That made the study's ``action_variance_from_za`` high even for a generator whose ``z_a``
provably sets colours and nothing else (``docs/STUDY.md``, item L). An action head trained on
videos whose colours were re-drawn at random, at random contrast, learns to read the motion
whatever the colours are. ``recolour(video, rng)`` per video ``(3, T, H, W)`` in ``[-1, 1]``:

- with probability ``keep`` the colours stay (so clean videos remain in the training mix);
- otherwise every pixel goes through one random smooth colour map for the whole video,
  ``c -> tanh(W₂ relu(W₁ c + b₁) + b₂)``, ``W₁ (H, 3)``, ``W₂ (3, H)`` Gaussian (``H = 16``):
  colours are swapped, merged, inverted, a part can come near the background's colour;
- then the contrast is lowered towards the video's mean colour ``m``:
  ``c -> m + α (c - m)``, ``log α`` uniform on ``[log α_min, 0]``: faint figures.

The same map acts on every frame, so the motion (where each colour goes over time) is kept.
"""

from __future__ import annotations

import math

import torch

from ..validation import check_tensor

HIDDEN = 16  # H: width of the random colour map


def random_colour_maps(n: int, rng: torch.Generator) -> tuple[torch.Tensor, ...]:
    """``(W₁ (n, H, 3), b₁ (n, H, 1), W₂ (n, 3, H), b₂ (n, 3, 1))``: ``n`` random maps."""
    w1 = torch.randn(n, HIDDEN, 3, generator=rng) * 1.5
    b1 = torch.randn(n, HIDDEN, 1, generator=rng) * 0.5
    w2 = torch.randn(n, 3, HIDDEN, generator=rng) * (2.0 / math.sqrt(HIDDEN))
    b2 = torch.randn(n, 3, 1, generator=rng) * 0.5
    return w1, b1, w2, b2


def recolour(video: torch.Tensor, rng: torch.Generator, keep: float = 0.2,
             min_contrast: float = 0.1) -> torch.Tensor:
    """``video (B, 3, T, H, W)`` in ``[-1, 1]`` recoloured per video (module docstring);
    random numbers are drawn on the CPU from ``rng``, so the result does not depend on the
    device. Returns a new tensor on ``video``'s device."""
    check_tensor(video, "video", ("B", 3, "T", "H", "W"))
    if not 0 <= keep <= 1:
        raise ValueError(f"keep is a probability, got {keep}; pass a value in [0, 1].")
    if not 0 < min_contrast <= 1:
        raise ValueError(f"min_contrast must be in (0, 1], got {min_contrast}.")
    b, _, t, h, w = video.shape
    w1, b1, w2, b2 = (x.to(video.device) for x in random_colour_maps(b, rng))
    kept = (torch.rand(b, generator=rng) < keep).to(video.device)  # (B,)
    alpha = torch.exp(torch.rand(b, generator=rng) * math.log(min_contrast))  # (B,) in (α_min, 1]
    alpha = alpha.to(video.device)
    pixels = video.float().reshape(b, 3, t * h * w)  # (B, 3, P)
    mapped = torch.tanh(w2 @ torch.relu(w1 @ pixels + b1) + b2)  # (B, 3, P)
    mapped = torch.where(kept[:, None, None], pixels, mapped)
    mean = mapped.mean(2, keepdim=True)  # (B, 3, 1): the video's mean colour
    faint = mean + alpha[:, None, None] * (mapped - mean)  # (B, 3, P)
    faint = torch.where(kept[:, None, None], mapped, faint)
    return faint.reshape(b, 3, t, h, w)

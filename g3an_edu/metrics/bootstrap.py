"""95 % bootstrap intervals for every metric of ``evaluate``.

- **Group metrics** (consistencies, spreads, κ, variance shares, motion diversity): the ``G``
  groups of each set are drawn with replacement, ``B = 1000`` times (the appearance and the
  motion groups independently: they are independent draws), through the per-group
  statistics of ``grouped.py``.
- **Metrics over videos**: ``fd_video`` and ``fd_frame`` (the fake and the real videos drawn
  with replacement, independently; a video keeps its ``T`` frames), 100 times by default
  (``n_boot_fd``; each costs four eigendecompositions, about 50 ms on one CPU core);
  ``action_entropy`` and ``oracle_accuracy`` (worst factor), 1000 times.

The interval is the 2.5 % and 97.5 % percentiles of the resampled values. ``fd_*`` and
``action_entropy`` are plug-in estimators with a bias at finite ``n`` (the Fréchet distance
of two samples of one distribution is > 0; the entropy of a histogram is too low) that
resampling adds a second time; for them the percentiles are shifted by the bootstrap's
estimate of that bias, ``mean(resampled) - value`` (so ``[q_2.5 - bias, q_97.5 - bias]``),
which centres the interval on the value as measured. Intervals say how much the value
would move with another draw of the same size from the same generator; they do not cover
the oracle's own errors (see the real data and the degraded real data for those).
"""

from __future__ import annotations

import math

import torch

from .frechet import frechet_distance
from .oracle import OracleOutput

LEVEL = 0.95


def interval(samples: torch.Tensor, value: float | None, debias: bool = False,
             bounds: tuple[float, float] = (-math.inf, math.inf)) -> list[float] | None:
    """``[low, high]`` of the ``LEVEL`` interval of ``samples (B,)`` around ``value``, within
    ``bounds`` (the metric's range); ``None`` when the value is undefined or (almost) no
    resample is."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    s = samples.double()
    s = s[~s.isnan()]
    if len(s) < 0.5 * len(samples) or len(s) < 2:
        return None
    alpha = (1 - LEVEL) / 2
    low, high = (float(q) for q in torch.quantile(s, torch.tensor([alpha, 1 - alpha],
                                                                 dtype=torch.float64)))
    shift = float(s.mean()) - value if debias else 0.0
    return [max(low - shift, bounds[0]), min(high - shift, bounds[1])]


def intervals(samples: dict, values: dict, debias: dict[str, tuple[float, float]]) -> dict:
    """``ci``: key -> ``[low, high]`` (factor -> ``[low, high]`` for per-factor dicts);
    ``debias``: the keys whose percentiles are shifted by the bias, with their ranges."""
    out = {}
    for key, s in samples.items():
        if isinstance(s, dict):
            out[key] = {f: interval(v, values[key].get(f)) for f, v in s.items()}
        else:
            out[key] = interval(s, values.get(key), key in debias,
                                debias.get(key, (-math.inf, math.inf)))
    return out


def video_draws(n: int, n_boot: int, rng: torch.Generator) -> torch.Tensor:
    """``(B, n)`` indices of ``B`` draws of ``n`` videos with replacement."""
    return torch.randint(n, (n_boot, n), generator=rng)


def fd_samples(a: OracleOutput, b: OracleOutput, n_boot: int,
               rng: torch.Generator) -> dict[str, torch.Tensor]:
    """``fd_video`` and ``fd_frame`` ``(B,)`` of ``B`` resamples of the videos of ``a`` and
    ``b`` (each video with all its frames)."""
    ia, ib = video_draws(len(a.video_features), n_boot, rng), video_draws(
        len(b.video_features), n_boot, rng)
    video, frame = [], []
    for ra, rb in zip(ia, ib, strict=True):
        video.append(frechet_distance(a.video_features[ra], b.video_features[rb]))
        frame.append(frechet_distance(a.frame_features[ra].flatten(0, 1),  # (n·T, D)
                                      b.frame_features[rb].flatten(0, 1)))
    return {"fd_video": torch.tensor(video, dtype=torch.float64),
            "fd_frame": torch.tensor(frame, dtype=torch.float64)}


def entropy_samples(labels: torch.Tensor, n_classes: int, n_boot: int,
                    rng: torch.Generator) -> torch.Tensor:
    """Normalised entropy ``(B,)`` of the histogram of resampled ``labels (N,)``."""
    return _entropies(labels, video_draws(len(labels), n_boot, rng), n_classes)


def entropy_by_factor_samples(labels: dict[str, torch.Tensor], n_classes: dict[str, int],
                              n_boot: int, rng: torch.Generator) -> dict[str, torch.Tensor]:
    """factor -> normalised entropy ``(B,)``; ``labels``: factor -> ``(N,)`` predicted classes
    of the same videos (each resample draws the same videos for every factor)."""
    draws = video_draws(len(next(iter(labels.values()))), n_boot, rng)  # (B, N)
    return {k: _entropies(labels[k], draws, n_classes[k]) for k in labels}


def _entropies(labels: torch.Tensor, draws: torch.Tensor, n_classes: int) -> torch.Tensor:
    """Normalised entropy ``(B,)`` of the histograms of ``labels[draws]`` (``draws (B, N)``)."""
    n_boot = draws.shape[0]
    if n_classes < 2:
        return torch.zeros(n_boot, dtype=torch.float64)
    picked = labels[draws]  # (B, N)
    counts = torch.zeros(n_boot, n_classes, dtype=torch.float64)
    counts.scatter_add_(1, picked, torch.ones_like(picked, dtype=torch.float64))  # (B, C)
    p = counts / draws.shape[1]
    h = -(p * p.clamp(min=1e-300).log()).sum(1)  # (B,), 0 · log 0 = 0
    return (h / math.log(n_classes)).clamp(min=0)


def accuracy_samples(correct: dict[str, torch.Tensor], n_boot: int,
                     rng: torch.Generator) -> torch.Tensor:
    """Worst-factor accuracy ``(B,)`` of resampled videos; ``correct``: factor -> ``(N,)``
    booleans (the same resampled videos for every factor)."""
    if not correct:
        return torch.full((n_boot,), torch.nan, dtype=torch.float64)
    first = next(iter(correct.values()))
    idx = video_draws(len(first), n_boot, rng)  # (B, N)
    per_factor = torch.stack([c.double()[idx].mean(1) for c in correct.values()])  # (F, B)
    return per_factor.min(0).values

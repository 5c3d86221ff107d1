"""The exponential moving average (EMA) of the generator's weights, used for sampling.

``G_ema ← β·G_ema + (1 − β)·G`` after every step, with ``β`` warmed up from 0.1 to
``config.ema_beta`` so the early averages are not stuck near the initial weights.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from .config import TrainConfig


@torch.no_grad()
def update_ema(ema: nn.Module, g: nn.Module, beta: float) -> None:
    """``ema ← beta·ema + (1 - beta)·g`` for parameters; buffers (BN, spectral norm) copied."""
    for p_ema, p in zip(ema.parameters(), g.parameters(), strict=True):
        p_ema.lerp_(p, 1.0 - beta)
    for b_ema, b in zip(ema.buffers(), g.buffers(), strict=True):
        b_ema.copy_(b)


def ema_beta(config: TrainConfig, step: int) -> float:
    """EMA decay at ``step``, warmed up so early averages are not stuck at the initial weights."""
    return min(config.ema_beta, (1.0 + step) / (10.0 + step))

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
    """``ema ← beta·ema + (1 - beta)·g`` for parameters; buffers (BN, spectral norm) copied.

    One ``_foreach`` call per kind instead of a Python loop over tensors (the same per-tensor
    ``lerp``/``copy``, so the same numbers; tests/test_train.py checks resume bit for bit).
    """
    ema_params, params = list(ema.parameters()), list(g.parameters())
    ema_buffers, buffers = list(ema.buffers()), list(g.buffers())
    if len(ema_params) != len(params) or len(ema_buffers) != len(buffers):
        raise ValueError("update_ema: the EMA and the generator have different tensors")
    torch._foreach_lerp_(ema_params, params, 1.0 - beta)
    torch._foreach_copy_(ema_buffers, buffers)


def ema_beta(config: TrainConfig, step: int) -> float:
    """EMA decay at ``step``, warmed up so early averages are not stuck at the initial weights."""
    return min(config.ema_beta, (1.0 + step) / (10.0 + step))

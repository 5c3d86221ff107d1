"""BatchNorm statistics recomputed for the weights they normalise ("precise BN").

In eval mode a BatchNorm layer normalises with its running mean and variance. Training keeps
those of the raw G. The EMA generator (:mod:`.ema`) has other weights, but ``update_ema``
copies the raw G's buffers into it, so at sampling time every BN layer of ``G_ema``
subtracts the mean of *another* network's activations. Small per-channel errors in early
layers add up through the ReLUs to whole-frame shifts of colour and brightness.

:func:`recalibrate_batchnorm` replaces each layer's statistics with the exact average of its
batch statistics over ``n`` fresh codes through the weights at hand:

    μ = (1/K) Σ_k mean_k(x),   σ² = (1/K) Σ_k var_k(x)   (K batches; ``momentum = None``)

Only the BN layers run in train mode during the pass, so nothing else changes (spectral
norm's power iteration, for one, stays put), and the codes come from a ``torch.Generator``
of its own: the caller's RNG is not touched.
"""

from __future__ import annotations

import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm


@torch.no_grad()
def recalibrate_batchnorm(g: nn.Module, n: int = 1024, length: int = 1, batch: int = 32,
                          seed: int = 0) -> nn.Module:
    """Recompute every BN layer's running statistics of ``g`` on ``n`` videos of its own.

    ``g`` is a generator with ``g.sample_noise(b, length, generator=, device=)`` and
    ``g(z_a, z_m) -> (b, 3, T, H, W)``; ``n`` videos are drawn in batches of ``batch`` (the
    last may be smaller). Returns ``g``, changed in place, in the mode it came in.
    """
    if n < 1 or batch < 1:
        raise ValueError(f"recalibrate_batchnorm needs n ≥ 1 videos in batches of ≥ 1, got "
                         f"n={n}, batch={batch}; e.g. n=1024, batch=32.")
    layers = [m for m in g.modules() if isinstance(m, _BatchNorm)]
    if not layers:
        return g
    if any(not m.track_running_stats for m in layers):
        raise ValueError("recalibrate_batchnorm: a BatchNorm layer of this generator does not "
                         "track running statistics (it always uses batch statistics); there is "
                         "nothing to recalibrate.")
    device = next(g.parameters()).device
    state = [(m.training, m.momentum) for m in layers]
    was_training = g.training
    rng = torch.Generator().manual_seed(seed)
    try:
        g.eval()
        for m in layers:
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the batches
            m.train()
        for start in range(0, n, batch):
            z_a, z_m = g.sample_noise(min(batch, n - start), length, generator=rng,
                                      device="cpu")
            g(z_a.to(device), z_m.to(device))  # (b, 3, T, H, W), discarded
    finally:
        g.train(was_training)
        for m, (training, momentum) in zip(layers, state, strict=True):
            m.train(training)
            m.momentum = momentum
    return g

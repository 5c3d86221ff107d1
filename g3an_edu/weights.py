"""Spectral normalisation and the weight initialisation shared by all networks.

The authors initialise conv weights from N(0, 0.02) and BatchNorm weights from N(1, 0.02)
(biases 0). Their loop only matches ``nn.Conv3d``, so their ``ConvTranspose3d`` layers
(every generator conv) keep PyTorch's default init, and the in-place init of a conv that is
already wrapped in spectral norm writes into a derived tensor and is lost. We apply the
intended init to every conv *before* wrapping it, so it takes effect everywhere.
"""

from __future__ import annotations

import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm

_CONVS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d,
          nn.ConvTranspose3d, nn.Linear)


def init_conv(module: nn.Module) -> nn.Module:
    """Initialise a conv (or linear) layer in place: weight ~ N(0, 0.02), bias = 0."""
    nn.init.normal_(module.weight, 0.0, 0.02)
    if module.bias is not None:
        nn.init.zeros_(module.bias)
    return module


def init_batchnorm(module: nn.Module) -> nn.Module:
    """Initialise a BatchNorm layer in place: weight ~ N(1, 0.02), bias = 0."""
    nn.init.normal_(module.weight, 1.0, 0.02)
    nn.init.zeros_(module.bias)
    return module


def sn(module: nn.Module, enabled: bool = True) -> nn.Module:
    """Initialise ``module`` (a conv) and wrap it in spectral norm if ``enabled``.

    Spectral norm divides the weight by its largest singular value (estimated by one power
    iteration per training forward), so each layer is 1-Lipschitz. It adds buffers, not
    trainable parameters.
    """
    if not isinstance(module, _CONVS):
        raise TypeError(f"sn() expects a conv or linear layer, got {type(module).__name__}")
    init_conv(module)
    return spectral_norm(module) if enabled else module

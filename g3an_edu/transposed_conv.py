"""Factorized transposed (1+2)D convolution: the up-sampling layer of G3AN's video stream.

A full 3D transposed conv with kernel ``(k_t, k_s, k_s)`` mixes time and space in one step.
G3AN factorizes it (mode ``1p2d``): a temporal transposed conv ``(k_t, 1, 1)`` followed by a
spatial one ``(1, k_s, k_s)``, each followed by BatchNorm3d + ReLU. That has fewer parameters
and an extra non-linearity between time and space. ``2p1d`` is space first, ``3d`` the
unfactorized kernel; both appear in the paper's ablation.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from .validation import check_choice, check_tensor
from .weights import init_batchnorm, sn

MODES = ("1p2d", "2p1d", "3d")


def up_block(
    c_in: int, c_out: int, kernel: tuple[int, int, int], stride: tuple[int, int, int],
    padding: tuple[int, int, int], spectral_norm: bool = True,
) -> nn.Sequential:
    """ConvTranspose3d -> BatchNorm3d -> ReLU. Input ``(B, c_in, T, H, W)``."""
    conv = nn.ConvTranspose3d(c_in, c_out, kernel, stride, padding)
    return nn.Sequential(
        sn(conv, spectral_norm), init_batchnorm(nn.BatchNorm3d(c_out)), nn.ReLU(inplace=True)
    )


class FactorizedTransposedConv3d(nn.Module):
    """Transposed 3D convolution in one of three forms, each with BatchNorm3d + ReLU.

    - ``1p2d``: ``(k_t,1,1)`` in time, then ``(1,k_s,k_s)`` in space (the paper's choice);
    - ``2p1d``: space first, then time;
    - ``3d``: one ``(k_t,k_s,k_s)`` kernel.

    Maps ``(B, c_in, T, H, W)`` to ``(B, c_out, T', H', W')`` with the transposed-conv size
    rule ``T' = (T - 1)·s_t - 2·p_t + k_t`` (and the same for H, W with ``s_s, p_s, k_s``).
    The intermediate channel count of the two factorized forms is ``c_out``.
    """

    def __init__(
        self, c_in: int, c_out: int, mode: str = "1p2d", k_s: int = 4, k_t: int = 4,
        s_s: int = 1, s_t: int = 1, p_s: int = 0, p_t: int = 0, spectral_norm: bool = True,
    ) -> None:
        super().__init__()
        check_choice(mode, "mode", MODES)
        self.mode, self.c_in, self.c_out = mode, c_in, c_out
        time = dict(kernel=(k_t, 1, 1), stride=(s_t, 1, 1), padding=(p_t, 0, 0))
        space = dict(kernel=(1, k_s, k_s), stride=(1, s_s, s_s), padding=(0, p_s, p_s))
        full = dict(kernel=(k_t, k_s, k_s), stride=(s_t, s_s, s_s), padding=(p_t, p_s, p_s))
        if mode == "1p2d":
            layers = [up_block(c_in, c_out, **time, spectral_norm=spectral_norm),
                      up_block(c_out, c_out, **space, spectral_norm=spectral_norm)]
        elif mode == "2p1d":
            layers = [up_block(c_in, c_out, **space, spectral_norm=spectral_norm),
                      up_block(c_out, c_out, **time, spectral_norm=spectral_norm)]
        else:
            layers = [up_block(c_in, c_out, **full, spectral_norm=spectral_norm)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, c_in, T, H, W) -> (B, c_out, T', H', W')``."""
        check_tensor(x, "input of FactorizedTransposedConv3d", ("B", self.c_in, "T", "H", "W"))
        return self.layers(x)

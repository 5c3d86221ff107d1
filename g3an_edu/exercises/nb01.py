"""Checks for the exercises of ``01_transposed_convolutions``.

1. ``output_size(n, kernel, stride, padding)``: the length after a transposed conv.
2. ``scatter_conv_transpose1d(x, w, stride)``: a 1D transposed conv written as scatter-add.
3. ``params_2p1d(c_in, c_out, k_s, k_t)``: parameters of the factorized (2+1)D block.

Each check compares the answer with PyTorch or the package (never a hard-coded number).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from ..transposed_conv import FactorizedTransposedConv3d
from . import check_number, check_tensor_close, fail, passed

# (n, kernel, stride, padding): G3AN's blocks first, then a few awkward cases.
SIZE_CASES = [(1, 4, 1, 0), (4, 4, 2, 1), (16, 4, 2, 1), (5, 3, 2, 1), (7, 5, 3, 2), (2, 1, 1, 0)]


def check_ex1(output_size: Callable[[int, int, int, int], int]) -> None:
    """``output_size(n, kernel, stride, padding)`` must equal the length PyTorch produces."""
    name = "Exercise 1 (output size)"
    for n, k, s, p in SIZE_CASES:
        want = F.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s,
                                  padding=p).shape[-1]
        got = output_size(n, k, s, p)
        if got != want:
            fail(name, f"output_size(n={n}, kernel={k}, stride={s}, padding={p}) returned "
                       f"{got!r}, PyTorch's ConvTranspose1d gives {want}.",
                 "each of the n inputs is placed `stride` apart, the last one spreads "
                 "`kernel` positions, and `padding` is cropped from both ends.")
    passed(name)


def check_ex2(scatter_conv_transpose1d: Callable[..., torch.Tensor]) -> None:
    """``scatter_conv_transpose1d(x (B,C_in,N), w (C_in,C_out,K), stride)`` vs PyTorch."""
    name = "Exercise 2 (scatter-add transposed conv)"
    gen = torch.Generator().manual_seed(1)
    for b, c_in, c_out, n, k, s in [(1, 1, 1, 3, 3, 1), (2, 3, 4, 5, 4, 2), (1, 2, 3, 4, 3, 3)]:
        x = torch.randn(b, c_in, n, generator=gen)
        w = torch.randn(c_in, c_out, k, generator=gen)
        want = F.conv_transpose1d(x, w, stride=s)
        got = scatter_conv_transpose1d(x, w, s)
        hint = ("out[:, :, i*stride : i*stride + K] += einsum('bc,cok->bok', x[:, :, i], w) "
                "for every input position i; the output has (N-1)*stride + K positions.")
        if not isinstance(got, torch.Tensor) or tuple(got.shape) != tuple(want.shape):
            check_tensor_close(f"{name}, case x {tuple(x.shape)}, w {tuple(w.shape)}, "
                               f"stride {s}", got, want, hint)
        if not torch.allclose(got.float(), want, atol=1e-5, rtol=1e-4):
            check_tensor_close(f"{name}, case x {tuple(x.shape)}, w {tuple(w.shape)}, "
                               f"stride {s}", got, want, hint)
    passed(name)


def check_ex3(params_2p1d: Callable[[int, int, int, int], int]) -> None:
    """``params_2p1d(c_in, c_out, k_s, k_t)`` vs the package's ``2p1d`` block."""
    name = "Exercise 3 (parameters of (2+1)D)"
    for c_in, c_out, k_s, k_t in [(8, 4, 4, 4), (16, 32, 3, 2), (1024, 512, 4, 4)]:
        block = FactorizedTransposedConv3d(c_in, c_out, "2p1d", k_s=k_s, k_t=k_t,
                                           spectral_norm=False)
        want = sum(p.numel() for p in block.parameters())
        got = params_2p1d(c_in, c_out, k_s, k_t)
        hint = ("(2+1)D is a (1,k_s,k_s) conv c_in -> c_out, then a (k_t,1,1) conv "
                "c_out -> c_out; count each conv's weight and bias and each BatchNorm's "
                "weight and bias (2 per channel).")
        if isinstance(got, bool) or got != want:
            check_number(f"{name}, case c_in={c_in}, c_out={c_out}, k_s={k_s}, k_t={k_t}",
                         got, want, hint)
    passed(name)

"""Checks for the exercises of ``01_transposed_convolutions``.

1. ``shape, doubling``: a predicted output shape of a 3D transposed conv, and every
   ``(kernel, padding)`` pair with which stride 2 doubles any length.
2. ``conv_transpose1d_fixed(x, w, stride, padding)``: the planted ``[p:-p]`` crop fixed.
3. ``checkerboard_values(w)``: the two values a stride-2, kernel-4 transposed conv gives a
   constant input, derived from the kernel's entries.

Each check compares the answer with PyTorch (never a hard-coded number).
"""

from __future__ import annotations

from collections.abc import Callable
from unittest import mock

import torch
import torch.nn.functional as F

from . import check_tensor_close, fail, passed, unwrap_scalar

# Exercise 1's operation: x (2, 8, 5, 7, 9), w (8, 3, 3, 4, 4), stride (1, 2, 2), padding 1.
EX1_X, EX1_W, EX1_STRIDE, EX1_PAD = (2, 8, 5, 7, 9), (8, 3, 3, 4, 4), (1, 2, 2), (1, 1, 1)


def _doubles(k: int, p: int) -> bool:
    """Whether a stride-2 transposed conv with kernel k, padding p maps n to 2n for n = 1..6."""
    for n in range(1, 7):
        if (n - 1) * 2 - 2 * p + k <= 0:
            return False
        out = F.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=2, padding=p)
        if out.shape[-1] != 2 * n:
            return False
    return True


def check_ex1(shape: object, doubling: object) -> None:
    """``shape`` vs the real output shape; ``doubling`` vs the pairs found by running PyTorch."""
    name = "Exercise 1 (predict sizes)"
    want = tuple(F.conv_transpose3d(torch.zeros(EX1_X), torch.zeros(EX1_W), stride=EX1_STRIDE,
                                    padding=EX1_PAD).shape)
    got = tuple(int(unwrap_scalar(v)) for v in shape) if isinstance(shape, (tuple, list,
                                                                         torch.Size)) else shape
    hint = "per axis n' = (n - 1)·s - 2p + k; the output has w.shape[1] channels."
    if got != want:
        if not isinstance(got, tuple) or len(got) != 5:
            fail(name, f"shape should be 5 numbers (B, C, T, H, W), got {shape!r}.", hint)
        if got[1] == EX1_W[0]:
            fail(name, f"shape {got}: a transposed conv's weight is (C_in, C_out, k...), so the "
                       f"output has w.shape[1] = {EX1_W[1]} channels, not {EX1_W[0]}.", hint)
        conv_sizes = tuple((n + 2 * p - k) // s + 1 for n, k, s, p in
                           zip(EX1_X[2:], EX1_W[2:], EX1_STRIDE, EX1_PAD, strict=True))
        if got[2:] == conv_sizes:
            fail(name, f"shape {got}: that is an ordinary convolution's size; a transposed conv "
                       "goes the other way.", hint)
        fail(name, f"shape {got}, but PyTorch gives {want}.", hint)
    want_pairs = {(k, p) for k in range(1, 9) for p in range(4) if _doubles(k, p)}
    try:
        got_pairs = {(int(k), int(p)) for k, p in doubling}
    except (TypeError, ValueError):
        fail(name, f"doubling should be a set of (k, p) pairs, got {doubling!r}.")
    hint2 = "solve (n - 1)·2 - 2p + k = 2n for every n: the n's cancel, leaving k = 2p + 2."
    if got_pairs - want_pairs:
        bad = sorted(got_pairs - want_pairs)[0]
        fail(name, f"(k, p) = {bad} does not double: a length 4 becomes "
                   f"{(4 - 1) * 2 - 2 * bad[1] + bad[0]}.", hint2)
    if want_pairs - got_pairs:
        fail(name, f"{len(want_pairs - got_pairs)} pair(s) missing, e.g. "
                   f"{sorted(want_pairs - got_pairs)[-1]}.", hint2)
    passed(name)


def check_ex2(conv_transpose1d_fixed: Callable[..., torch.Tensor]) -> None:
    """The fixed scatter-add vs ``F.conv_transpose1d``, with and without padding."""
    name = "Exercise 2 (find the bug)"
    gen = torch.Generator().manual_seed(1)
    hint = ("for p = 0 the slice [p:-p] is [0:0], which is empty; crop with "
            "[p : length - p] instead.")
    for n, k, s, p in [(1, 4, 1, 0), (5, 4, 2, 1), (4, 3, 2, 0), (6, 5, 3, 2)]:
        x = torch.randn(2, 3, n, generator=gen)
        w = torch.randn(3, 4, k, generator=gen)
        want = F.conv_transpose1d(x, w, stride=s, padding=p)
        got = conv_transpose1d_fixed(x, w, s, p)
        case = f"{name}, n={n}, k={k}, s={s}, p={p}"
        if isinstance(got, torch.Tensor) and got.ndim == 3 and got.shape[-1] == 0:
            fail(case, "the output is empty: this is the planted bug.", hint)
        if p > 0 and isinstance(got, torch.Tensor) and got.shape[-1] == want.shape[-1] + p:
            fail(case, f"the output has {got.shape[-1]} positions, {p} too many: the padding "
                       "is cropped from one end only.", hint)
        if not isinstance(got, torch.Tensor) or got.shape != want.shape or \
                not torch.allclose(got, want, atol=1e-5, rtol=1e-4):
            check_tensor_close(case, got, want, hint)
    passed(name)


def _no_transposed_conv(*args: object, **kwargs: object) -> torch.Tensor:
    raise RuntimeError("Exercise 3 asks for the values from the kernel's entries: derive them "
                       "instead of running a transposed conv.")


def check_ex3(checkerboard_values: Callable[[torch.Tensor], tuple]) -> None:
    """``(even, odd)`` vs the interior of ``conv_transpose1d(ones, w, stride=2, padding=1)``."""
    name = "Exercise 3 (explain the checkerboard)"
    gen = torch.Generator().manual_seed(4)
    hint = ("full position q = 2i + j collects w[j] for the j with the parity of q; padding 1 "
            "crops one position, so output o is full position o + 1.")
    for _ in range(3):
        w = torch.randn(4, generator=gen)
        y = F.conv_transpose1d(torch.ones(1, 1, 8), w.view(1, 1, 4), stride=2, padding=1)[0, 0]
        want = (y[2].item(), y[3].item())  # even and odd interior positions
        assert torch.allclose(y[2:-2:2], y[2]) and torch.allclose(y[3:-2:2], y[3])
        with mock.patch.object(F, "conv_transpose1d", _no_transposed_conv), \
                mock.patch.object(torch, "conv_transpose1d", _no_transposed_conv):
            got = checkerboard_values(w.clone())
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail(name, f"return a pair (even, odd), got {got!r}.", hint)
        got = tuple(float(unwrap_scalar(v)) for v in got)
        close = [abs(a - b) < 1e-4 for a, b in zip(got, want, strict=True)]
        if all(close):
            continue
        if abs(got[0] - want[1]) < 1e-4 and abs(got[1] - want[0]) < 1e-4:
            fail(name, "even and odd are swapped: without padding even positions collect "
                       "w0 + w2, but padding 1 shifts the output by one.", hint)
        if abs(got[0] - got[1]) < 1e-6:
            fail(name, "your two values are equal: that holds for a uniform kernel only.", hint)
        fail(name, f"for w = {[round(v, 3) for v in w.tolist()]} got {got}, the output "
                   f"alternates {tuple(round(v, 4) for v in want)}.", hint)
    print("   so the output of a constant input is flat exactly when w0 + w2 = w1 + w3.")
    passed(name)

"""Checks for the exercises of ``02_g3_module_and_fusion``.

1. ``fuse(h_s, h_t, h_v)``: spatio-temporal fusion, written without the package's function.
2. ``repeat_bytes(b, c, t, h, w)``: the memory ``repeat`` allocates to replicate ``h_t``.
3. ``g3_output_shapes(...)``: the three output shapes of a G3 module.

Each check compares the answer with the package (never a hard-coded number).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..fusion import spatio_temporal_fusion
from ..g3 import G3Module
from . import check_tensor_close, fail, passed


def check_ex1(fuse: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    """``fuse(h_s (B,C,1,H,W), h_t (B,C,T,1,1), h_v (B,C,T,H,W)) -> (B,2C,T,H,W)``."""
    name = "Exercise 1 (fusion)"
    gen = torch.Generator().manual_seed(2)
    b, c, t, h, w = 2, 3, 5, 4, 6
    h_s = torch.randn(b, c, 1, h, w, generator=gen)
    h_t = torch.randn(b, c, t, 1, 1, generator=gen)
    h_v = torch.randn(b, c, t, h, w, generator=gen)
    got = fuse(h_s, h_t, h_v)
    want = spatio_temporal_fusion(h_s, h_t, h_v)
    hint = ("the first C channels are h_s copied to every frame; the last C are h_v plus h_t "
            "copied to every pixel (torch.cat along dim 1, spatial stream first).")
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        c_half = want.shape[1] // 2
        if torch.allclose(got[:, :c_half], want[:, c_half:]) and \
                torch.allclose(got[:, c_half:], want[:, :c_half]):
            fail(name, "the two halves are swapped: the spatial stream comes first.", hint)
        if torch.allclose(got[:, c_half:], h_v):
            fail(name, "channels C..2C equal h_v: the temporal stream was not added.", hint)
    check_tensor_close(name, got, want, hint)


def check_ex2(repeat_bytes: Callable[[int, int, int, int, int], int]) -> None:
    """``repeat_bytes(b, c, t, h, w)``: bytes of ``h_t.repeat(1, 1, 1, h, w)`` in float32."""
    name = "Exercise 2 (memory of repeat)"
    for b, c, t, h, w in [(1, 1, 1, 1, 1), (2, 3, 4, 5, 6), (4, 16, 8, 8, 8)]:
        h_t = torch.empty(b, c, t, 1, 1)  # float32
        want = h_t.repeat(1, 1, 1, h, w).untyped_storage().nbytes()
        got = repeat_bytes(b, c, t, h, w)
        if isinstance(got, bool) or not isinstance(got, int) or got != want:
            fail(name, f"repeat_bytes(b={b}, c={c}, t={t}, h={h}, w={w}) returned {got!r}, "
                       f"h_t.repeat(1, 1, 1, {h}, {w}) allocates {want} bytes.",
                 "repeat allocates a new tensor of the full shape; a float32 takes 4 bytes.")
    passed(name)


def check_ex3(g3_output_shapes: Callable[..., tuple]) -> None:
    """``g3_output_shapes(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s)`` vs ``G3Module``."""
    name = "Exercise 3 (G3 output shapes)"
    cases = [  # b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s: G3AN's blocks 1, 2 and 4
        (2, 8, 1, 1, 4, 1, 0, 4, 1, 0), (1, 6, 4, 4, 4, 2, 1, 4, 2, 1),
        (1, 4, 16, 16, 1, 1, 0, 4, 2, 1),
    ]
    for b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s in cases:
        c = 3
        g3 = G3Module(c, 2 * c, c, c_out, k_s=k_s, k_t=k_t, s_s=s_s, s_t=s_t, p_s=p_s, p_t=p_t,
                      spectral_norm=False).eval()
        with torch.no_grad():
            out = g3(torch.zeros(b, c, 1, h, h), torch.zeros(b, 2 * c, t, h, h),
                     torch.zeros(b, c, t, 1, 1))
        want = tuple(tuple(o.shape) for o in out)
        got = g3_output_shapes(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s)
        got = tuple(tuple(s) for s in got) if isinstance(got, (tuple, list)) else got
        if got != want:
            fail(name, f"for b={b}, c_out={c_out}, t={t}, h=w={h}, kernel t/s {k_t}/{k_s}, "
                       f"stride {s_t}/{s_s}, padding {p_t}/{p_s}: got {got}, G3Module returns "
                       f"(h_s, h_v, h_t) = {want}.",
                 "h_s keeps T = 1, h_t keeps H = W = 1, each size follows (n-1)s - 2p + k, "
                 "and fusion doubles the video stream's channels.")
    passed(name)

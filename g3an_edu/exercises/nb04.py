"""Checks for the exercises of notebook 04 (the generator).

References: the package's modules themselves, counted with ``sum(p.numel() ...)`` (a
:class:`~g3an_edu.g3.G3Module`, a :class:`~g3an_edu.attention.FactorizedSelfAttention`), and
the transposed-conv size rule applied to a changed block table. Each check recognises the
usual slips (a forgotten bias, BatchNorm, the video stream's second conv, a γ, the doubled
fused channels) and names them.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..attention import FactorizedSelfAttention
from ..g3 import G3Module
from . import fail, passed, unwrap_scalar


def _count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _as_int(name: str, value: object, hint: str) -> int:
    value = unwrap_scalar(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        fail(name, f"expected an int, got {type(value).__name__}", hint)
    return value


# (c_s, c_v, c_t, c_out, k_s, k_t): block 3 and block 5 at ch=64, and two odd shapes
_G3_CASES = ((512, 1024, 512, 256, 4, 4), (128, 256, 128, 64, 4, 1), (6, 13, 5, 7, 3, 2),
             (128, 138, 10, 128, 4, 4))


def reference_g3_params(c_s: int, c_v: int, c_t: int, c_out: int, k_s: int, k_t: int) -> int:
    """Trainable parameters of a ``1p2d`` G3 module, counted on the package's module."""
    with torch.device("meta"):
        block = G3Module(c_s, c_v, c_t, c_out, "1p2d", k_s=k_s, k_t=k_t, s_s=1, s_t=1,
                         p_s=0, p_t=0)
    return _count(block)


def check_ex1(g3_params: Callable) -> None:
    """Exercise 1: ``g3_params(c_s, c_v, c_t, c_out, k_s, k_t)`` -> parameters of a G3 module."""
    name = "Exercise 1 (parameters of a G3 module)"
    hint = ("four transposed convs: spatial c_s->c_out (1,k_s,k_s), temporal c_t->c_out "
            "(k_t,1,1), video c_v->c_out (k_t,1,1) then c_out->c_out (1,k_s,k_s); each has a "
            "bias (c_out) and is followed by a BatchNorm (weight and bias: 2·c_out).")
    for case in _G3_CASES:
        c_s, c_v, c_t, c_out, k_s, k_t = case
        got = _as_int(name, g3_params(*case), hint)
        want = reference_g3_params(*case)
        if got == want:
            continue
        weights = c_out * (k_s * k_s * c_s + k_t * c_t + k_t * c_v + k_s * k_s * c_out)
        slips = {
            weights + 8 * c_out: "the convs' biases are missing (4·c_out)",
            weights + 4 * c_out: "the BatchNorm weights and biases are missing (8·c_out)",
            weights: "biases and BatchNorm are both missing",
            want - c_out * (k_s * k_s * c_out) - 3 * c_out:
                "the video stream's second (spatial) conv c_out -> c_out is missing",
            want - c_out * k_t * c_v + c_out * k_t * (c_v // 2):
                "the video stream's input has c_v channels (the fused stream), not c_v/2",
            want + c_out * k_t * k_s * k_s * c_v - c_out * k_t * c_v - c_out * k_s * k_s
            * c_out - 3 * c_out: "that is a full 3D video conv (mode 3d), not 1p2d",
        }
        what = slips.get(got, "the count differs")
        fail(name, f"g3_params{case} is {got:,d}, expected {want:,d}: {what}", hint)
    passed(name)


def check_ex2(fsa_params: Callable) -> None:
    """Exercise 2: ``fsa_params(C)`` -> parameters of F-SA on a ``C``-channel map."""
    name = "Exercise 2 (parameters of F-SA)"
    hint = ("F-SA = temporal SA then spatial SA, each with its own query and key (1×1×1 conv "
            "C -> C/8, with bias), value (C -> C, with bias) and scalar γ.")
    for c in (256, 512, 64, 16):
        got = _as_int(name, fsa_params(c), hint)
        with torch.device("meta"):
            want = _count(FactorizedSelfAttention(c))
        if got == want:
            continue
        e = c // 8
        one = 2 * (c * e + e) + c * c + c + 1
        slips = {
            one: "that is one attention (TSA or SSA); F-SA has two, each with its own weights",
            want - 2: "the two γ scalars are missing",
            want - 2 * (2 * e + c): "the biases are missing",
            2 * (3 * (c * c + c) + 1): "query and key go to C/8 channels, not C",
            2 * (3 * (c * e + e) + 1): "the value keeps C channels (only query and key shrink)",
        }
        fail(name, f"fsa_params({c}) is {got:,d}, expected {want:,d}: "
             f"{slips.get(got, 'the count differs')}", hint)
    passed(name)


def reference_frames(length: int, temporal: list[tuple[int, int, int]]) -> int:
    """Frames after transposed convs with temporal ``(k, s, p)`` per block, from ``length``."""
    n = length
    for k, s, p in temporal:
        n = (n - 1) * s - 2 * p + k
    return n


# The planted change: block 2's temporal padding set to 0 (the rest as the paper's table).
PLANTED = [(4, 1, 0), (4, 2, 0), (4, 2, 1), (1, 1, 0), (1, 1, 0)]


def check_ex3(frames_l1: object, frames_l2: object) -> None:
    """Exercise 3: frames for ``L = 1`` and ``L = 2`` with block 2's temporal padding 0."""
    name = "Exercise 3 (predict T with a changed block)"
    hint = ("apply n' = (n - 1)·s - 2p + k block by block: block 1 (4, 1, 0), block 2 "
            "(4, 2, 0) now, block 3 (4, 2, 1), blocks 4-5 keep time.")
    for length, got in ((1, frames_l1), (2, frames_l2)):
        got = _as_int(name, got, hint)
        want = reference_frames(length, PLANTED)
        if got == want:
            continue
        if got == 4 * (length + 3):
            what = "that is the unchanged generator's 4(L+3): the padding change matters"
        elif got == reference_frames(length, PLANTED[:2]):
            what = "that is T after block 2; block 3 still doubles time"
        elif got == 4 * (length + 3) + 2:
            what = "p = 0 adds 2 frames in block 2, and block 3 then doubles those too"
        else:
            what = "the count differs"
        fail(name, f"for L = {length} you predicted {got}, expected {want}: {what}", hint)
    passed(name)

"""Checks for the exercises of notebook 03 (factorized self-attention).

1. ``tsa_shape, ssa_shape, ratio``: the attention weights' shapes and the score savings.
2. ``sagan_attend_fixed(q, k, v)``: two planted bugs (``1/sqrt(d)``, softmax over queries) fixed.
3. ``frame_equivariance_error(module, x, perm)``: a test that passes a correct F-SA and
   catches the authors' reshape.

Each check compares the student's answer with the package (``g3an_edu.attention``) on
inputs whose sizes are all different, so a swapped axis shows up as a shape or value error.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from einops import rearrange

from ..attention import FactorizedSelfAttention, attend_naive
from . import check_tensor_close, fail, passed, unwrap_scalar


def _generator() -> torch.Generator:
    return torch.Generator().manual_seed(3)


EX1_SHAPE = (2, 64, 8, 12, 10)  # (B, C, T, H, W) of Exercise 1


def _shape(value: object) -> object:
    if isinstance(value, (tuple, list, torch.Size)):
        try:
            return tuple(int(unwrap_scalar(v)) for v in value)
        except (TypeError, ValueError):
            return value
    return value


def check_ex1(tsa_shape: object, ssa_shape: object, ratio: float) -> None:
    """Exercise 1: predicted attention-weight shapes of TSA and SSA, and full / F-SA scores."""
    name = "Exercise 1 (predict the attention's size)"
    b, c, t, h, w = EX1_SHAPE
    x = torch.zeros(EX1_SHAPE)
    seqs = {"TSA": rearrange(x, "b c t h w -> (b h w) t c"),  # the package's layouts
            "SSA": rearrange(x, "b c t h w -> (b t) (h w) c")}
    want = {key: tuple((q @ q.transpose(1, 2)).shape) for key, q in seqs.items()}
    got = {"TSA": _shape(tsa_shape), "SSA": _shape(ssa_shape)}
    hint = ("TSA: one sequence of T steps per pixel (B·H·W sequences); SSA: one sequence of "
            "H·W positions per frame (B·T sequences); the weights are (N, L, L).")
    if got["TSA"] == want["SSA"] and got["SSA"] == want["TSA"]:
        fail(name, "tsa_shape and ssa_shape are swapped: TSA attends along time.", hint)
    for key in ("TSA", "SSA"):
        if got[key] == tuple(seqs[key].shape):
            fail(name, f"{key.lower()}_shape {got[key]} is the shape of the sequences (N, L, C), "
                       "not of the attention weights (N, L, L).", hint)
        if got[key] != want[key]:
            fail(name, f"{key.lower()}_shape is {got[key]!r}, the weights are {want[key]}.", hint)
    fsa = sum(math.prod(shape) for shape in want.values())
    full = b * (t * h * w) ** 2
    got_ratio = unwrap_scalar(ratio)
    if isinstance(got_ratio, bool) or not isinstance(got_ratio, (int, float)):
        fail(name, f"ratio should be a number, got {ratio!r}.")
    if not math.isclose(got_ratio, full / fsa, rel_tol=1e-3):
        if math.isclose(got_ratio, fsa / full, rel_tol=1e-3):
            fail(name, "ratio is inverted: full 3D attention computes more scores, so the "
                       "ratio is above 1.", hint)
        if math.isclose(got_ratio, t, rel_tol=1e-3):
            fail(name, "ratio = T is the approximation for H·W much larger than T; compute "
                       "the exact ratio (B·(THW)²) / (B·HW·T² + B·T·(HW)²).", hint)
        fail(name, f"ratio = {got_ratio:.4g}, the score counts give {full / fsa:.4g}.",
             "full 3D: B·(T·H·W)² scores; F-SA: B·H·W·T² + B·T·(H·W)².")
    passed(name)


def check_ex2(sagan_attend_fixed: Callable) -> None:
    """Exercise 2: the fixed ``softmax(q kᵀ) v``, recognising each planted bug."""
    name = "Exercise 2 (find the bugs)"
    g = _generator()
    q, k = torch.randn(3, 7, 4, generator=g), torch.randn(3, 7, 4, generator=g)  # (N, L, Dk)
    v = torch.randn(3, 7, 32, generator=g)  # (N, L, Dv)
    got = sagan_attend_fixed(q, k, v)
    want = attend_naive(q, k, v)
    scores = q @ k.transpose(1, 2)
    scaled = scores / 2.0  # 1/sqrt(Dk) with Dk = 4
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        if torch.allclose(got, torch.softmax(scaled, dim=1) @ v, atol=1e-5):
            fail(name, "both planted bugs are still there.",
                 "compare the scores and the softmax with section 1's attention_weights.")
        if torch.allclose(got, torch.softmax(scaled, dim=-1) @ v, atol=1e-5):
            fail(name, "your scores are still divided by sqrt(Dk)",
                 "SAGAN uses plain dot products: softmax(q @ kᵀ), no 1/sqrt(d) scaling.")
        if torch.allclose(got, torch.softmax(scores, dim=1) @ v, atol=1e-5):
            fail(name, "the softmax still runs over the queries (dim 1): the columns of the "
                       "weights sum to 1, not the rows",
                 "normalise over the keys: softmax(scores, dim=-1), so each row sums to 1.")
    check_tensor_close(name, got, want,
                       hint="scores = q @ k.transpose(1, 2) is (N, L, L); softmax over the "
                            "last axis; then multiply by v.")


def _authors_fsa(module: FactorizedSelfAttention, x: torch.Tensor) -> torch.Tensor:
    """F-SA with the authors' ``view(b, h, w, -1, t)`` after TSA and SSA: ``(B,C,T,H,W)``."""
    b, _, t, h, w = x.shape
    for sa, flatten in ((module.temporal, "b c t h w -> (b h w) t c"),
                        (module.spatial, "b c t h w -> (b t) (h w) c")):
        seq = rearrange(x, flatten)  # (B·H·W, T, C) or (B·T, H·W, C)
        out = attend_naive(sa.query(seq), sa.key(seq), sa.value(seq))  # same layout as seq
        out = out.reshape(b, h, w, -1, t).permute(0, 3, 4, 1, 2)  # the bug: scrambled
        x = sa.gamma * out + x  # (B, C, T, H, W)
    return x


def check_ex3(frame_equivariance_error: Callable) -> None:
    """Exercise 3: ``frame_equivariance_error(module, x, perm) -> float``."""
    name = "Exercise 3 (frame-permutation test)"
    g = _generator()
    module = FactorizedSelfAttention(16, spectral_norm=False).eval()
    with torch.no_grad():
        for p in module.parameters():  # larger than the N(0, 0.02) init, and gamma = 1
            p.copy_(0.3 * torch.randn(p.shape, generator=g))
        module.temporal.gamma.fill_(1.0)
        module.spatial.gamma.fill_(1.0)
    x = torch.randn(2, 16, 6, 3, 5, generator=g)
    perm = torch.randperm(6, generator=g)
    good = frame_equivariance_error(module, x, perm)
    good = unwrap_scalar(good)
    if not isinstance(good, (int, float)):
        fail(name, f"expected a float, got {type(good).__name__}",
             "return (...).abs().max().item().")
    if good > 1e-4:
        fail(name, f"a correct F-SA gives an error of {good:.3g} (should be < 1e-4)",
             "compare module(x[:, :, perm]) with module(x)[:, :, perm]: permute the frames "
             "(axis 2) of the input and of the output the same way.")
    bad = frame_equivariance_error(lambda v: _authors_fsa(module, v), x, perm)
    bad = unwrap_scalar(bad)
    if not bad > 0.1:
        fail(name, f"your test gives {bad:.3g} on the authors' buggy F-SA: it does not catch "
                   "the wrong reshape",
             "take the largest absolute difference, not the mean of signed differences, and "
             "make sure the permutation really changes the frame order.")
    passed(name)

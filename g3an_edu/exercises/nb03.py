"""Checks for the exercises of notebook 03 (factorized self-attention).

Each check compares the student's answer with the package (``g3an_edu.attention``) on
inputs whose sizes are all different, so a swapped axis shows up as a shape or value error.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from einops import rearrange

from ..attention import FactorizedSelfAttention, attend_naive
from . import check_tensor_close, fail, passed, unwrap_scalar


def _generator() -> torch.Generator:
    return torch.Generator().manual_seed(3)


def check_ex1(sagan_attend: Callable) -> None:
    """Exercise 1: ``sagan_attend(q (N,L,Dk), k (N,L,Dk), v (N,L,Dv)) -> (N, L, Dv)``."""
    name = "Exercise 1 (softmax(q kᵀ) v)"
    g = _generator()
    q, k = torch.randn(3, 7, 4, generator=g), torch.randn(3, 7, 4, generator=g)  # (N, L, Dk)
    v = torch.randn(3, 7, 32, generator=g)  # (N, L, Dv)
    got = sagan_attend(q, k, v)
    want = attend_naive(q, k, v)
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        scaled = attend_naive(q / 2.0, k, v)  # 1/sqrt(Dk) with Dk = 4
        if torch.allclose(got, scaled, atol=1e-5):
            fail(name, "your scores are divided by sqrt(Dk)",
                 "SAGAN uses plain dot products: softmax(q @ kᵀ), no 1/sqrt(d) scaling.")
        wrong_dim = torch.softmax(q @ k.transpose(1, 2), dim=1) @ v
        if torch.allclose(got, wrong_dim, atol=1e-5):
            fail(name, "the softmax runs over the queries (dim 1)",
                 "normalise over the keys: softmax(scores, dim=-1), so each row sums to 1.")
    check_tensor_close(name, got, want,
                       hint="scores = q @ k.transpose(1, 2) is (N, L, L); softmax over the "
                            "last axis; then multiply by v.")


def check_ex2(to_temporal: Callable, from_temporal: Callable) -> None:
    """Exercise 2: ``(B,C,T,H,W) -> (B·H·W, T, C)`` and back."""
    name = "Exercise 2 (TSA layout)"
    b, c, t, h, w = 2, 3, 4, 5, 6
    x = torch.randn(b, c, t, h, w, generator=_generator())
    want = rearrange(x, "b c t h w -> (b h w) t c")  # (B·H·W, T, C)
    seq = to_temporal(x)
    if isinstance(seq, torch.Tensor) and seq.shape == want.shape and not torch.equal(seq, want):
        if torch.equal(seq, rearrange(x, "b c t h w -> (b w h) t c")):
            fail(name, "to_temporal orders the pixels (w, h) instead of (h, w)",
                 "the sequence index must be b·H·W + h·W + w: '(b h w) t c'.")
    check_tensor_close(f"{name}, to_temporal", seq, want, atol=0, rtol=0,
                       hint="one sequence per pixel: 'b c t h w -> (b h w) t c'. A plain "
                            "reshape without a permute mixes the axes.")
    back = from_temporal(want.clone(), b, h, w)
    check_tensor_close(f"{name}, from_temporal", back, x, atol=0, rtol=0,
                       hint="the inverse: '(b h w) t c -> b c t h w' with b, h, w given. "
                            "reshape(b, h, w, c, t) is the authors' bug: the memory is "
                            "(t, c) per pixel.")


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

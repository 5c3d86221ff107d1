"""Checks for the exercises of notebook 05 (the discriminators and spectral norm).

References: the package's ``VideoDiscriminator`` (run on small clips), an SVD for the exact
largest singular value, and PyTorch's own ``spectral_norm`` parametrization.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm

from ..discriminators import VideoDiscriminator
from . import check_number, check_tensor_close, fail, passed, unwrap_scalar


def check_ex1(dv_time_positions: Callable) -> None:
    """Exercise 1: time positions left by D_V (64×64) for a clip of ``T`` frames."""
    name = "Exercise 1 (D_V time positions)"
    dv = VideoDiscriminator(ch=1, spectral_norm=False).eval()
    for frames in (16, 19, 24):
        with torch.no_grad():
            want = dv.net(torch.zeros(1, 3, frames, 64, 64)).shape[2]  # (1, 1, T', 1, 1)
        got = dv_time_positions(frames)
        got = unwrap_scalar(got)
        if got != want:
            fail(name, f"dv_time_positions({frames}) is {got}, expected {want}",
                 "each (4,1,1) conv without padding removes 3 frames; count the temporal "
                 "convs: one per stage, plus the last layer.")
    passed(name)


def _reference_sigma(w: torch.Tensor, u: torch.Tensor, n_iters: int) -> float:
    """Power iteration from ``u``: v from u, then u from v; returns ``uᵀ W v``."""
    for _ in range(n_iters):
        v = F.normalize(w.T @ u, dim=0)  # (N,)
        u = F.normalize(w @ v, dim=0)  # (M,)
    return torch.dot(u, w @ v).item()


def check_ex2(estimate_sigma: Callable) -> None:
    """Exercise 2: ``estimate_sigma(w (M, N), u (M,), n_iters) -> float``."""
    name = "Exercise 2 (power iteration)"
    g = torch.Generator().manual_seed(6)
    w = torch.randn(12, 20, generator=g)  # (M, N), M != N so a transpose mix-up shows
    u = F.normalize(torch.randn(12, generator=g), dim=0)  # (M,)
    try:
        one = estimate_sigma(w, u.clone(), 1)
    except NotImplementedError:  # a subclass of RuntimeError: the unsolved student stub
        raise
    except RuntimeError as err:
        fail(name, f"one step raised {type(err).__name__}: {err}",
             "w is (M, N) and u is (M,): v = normalize(w.T @ u) is (N,), u = normalize(w @ v).")
    check_number(f"{name}, one step", one, _reference_sigma(w, u, 1),
                 hint="first v = normalize(wᵀ u), then u = normalize(w v), and return "
                      "u · (w v).", rel=1e-4)
    exact = torch.linalg.matrix_norm(w, ord=2).item()
    check_number(f"{name}, 200 steps vs the SVD", estimate_sigma(w, u.clone(), 200), exact,
                 hint="after many steps the estimate must reach the largest singular value; "
                      "normalise u and v at every step.", rel=1e-3)


def check_ex3(normalise_like_torch: Callable) -> None:
    """Exercise 3: one training-mode step of PyTorch's spectral norm on ``w (M, N)``."""
    name = "Exercise 3 (spectral norm like PyTorch)"
    torch.manual_seed(7)
    # A random 128×256 weight: its top singular values are nearly tied, so PyTorch's estimate
    # after 15 + 1 steps still differs from the exact σ by about 1 %.
    layer = spectral_norm(nn.Linear(256, 128)).train()  # weight (128, 256)
    param = layer.parametrizations.weight[0]
    w = layer.parametrizations.weight.original.detach().clone()  # (M, N)
    v = param._v.clone()  # (N,)
    got = normalise_like_torch(w.clone(), v.clone())
    with torch.no_grad():
        want = layer.weight  # PyTorch's step: u from v, v from u, W / (uᵀ W v)
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        exact = w / torch.linalg.matrix_norm(w, ord=2)
        if not torch.allclose(got, want, atol=1e-5) and torch.allclose(got, exact, atol=1e-4):
            fail(name, "you divided by the exact σ (SVD); PyTorch uses its one-step estimate",
                 "u = normalize(w @ v), v = normalize(w.T @ u), σ = u · (w @ v).")
    check_tensor_close(name, got, want,
                       hint="PyTorch's order: u = normalize(w @ v), then v = normalize(w.T @ u), "
                            "then σ = u · (w @ v); return w / σ.")

"""Checks for the exercises of notebook 07 (evaluating a video GAN: Fréchet distances).

Each check compares the student's answer with the package (``g3an_edu.metrics``) or with the
derivation, on inputs chosen so that the usual mistakes give a different number, and names
the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ..metrics.frechet import Gaussian, frechet_distance_gaussians
from . import fail, passed, unwrap_scalar


def _as_float(name: str, got: object, hint: str) -> float:
    got = unwrap_scalar(got)
    if not isinstance(got, (int, float)):
        fail(name, f"expected a number (float), got {type(got).__name__}", hint)
    if math.isnan(got):
        fail(name, "got NaN", hint)
    return float(got)


def _close(a: float, b: float, rel: float = 1e-4) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def check_ex1(frechet_scaled: Callable) -> None:
    """Exercise 1: ``frechet_scaled(delta (D,), cov (D, D), s) -> float``, the squared Fréchet
    distance between ``N(mu, cov)`` and ``N(mu + delta, s² cov)``."""
    name = "Exercise 1 (Fréchet distance of a shifted, scaled Gaussian)"
    hint = ("(Σ^½ s²Σ Σ^½)^½ = sΣ, so the trace term is Tr(Σ + s²Σ − 2sΣ) = (1 − s)² Tr Σ; "
            "add the mean term ||δ||².")
    g = torch.Generator().manual_seed(7)
    d = 5
    a = torch.randn(d, d, generator=g, dtype=torch.float64)
    cov = a @ a.T + 0.5 * torch.eye(d, dtype=torch.float64)  # (D, D) SPD, not diagonal
    delta = torch.randn(d, generator=g, dtype=torch.float64)  # (D,)
    zero = torch.zeros(d, dtype=torch.float64)

    def reference(dl: torch.Tensor, s: float) -> float:
        return frechet_distance_gaussians(Gaussian(zero, cov), Gaussian(dl, s * s * cov))

    trace, frob = float(cov.trace()), float(cov.norm())
    # Only the scale differs: the covariance term alone.
    s = 2.5
    got = _as_float(name, frechet_scaled(zero.clone(), cov.clone(), s), hint)
    if _close(got, (1 - s * s) ** 2 * trace) or _close(got, (1 - s * s) ** 2 * frob):
        fail(name, f"with δ = 0 and s = {s} you return {got:.5g} = (1 − s²)²·…: the variances "
                   "are compared where the standard deviations belong",
             "the square root of s²Σ scales by s, not s²: the term is (1 − s)² Tr Σ.")
    if _close(got, (1 + s * s) * trace):
        fail(name, f"with δ = 0 and s = {s} you return (1 + s²) Tr Σ: the cross term "
                   "−2 Tr(Σ^½ s²Σ Σ^½)^½ is missing", hint)
    if _close(got, (1 - s) ** 2 * d):
        fail(name, "you return (1 − s)²·D: that is Tr Σ only when Σ is the identity", hint)
    if _close(got, (1 - s) ** 2 * float(cov.sum())):
        fail(name, "you sum every entry of Σ: the distance needs its trace (the diagonal)",
             hint)
    want = reference(zero, s)
    if not _close(got, want):
        fail(name, f"with δ = 0 and s = {s} (only the scale differs) you return {got:.5g}, "
                   f"expected {want:.5g}", hint)
    # Only the mean differs.
    got = _as_float(name, frechet_scaled(delta.clone(), cov.clone(), 1.0), hint)
    if _close(got, float(delta.norm())):
        fail(name, "with s = 1 you return ||δ||, the norm",
             "the Fréchet distance is reported squared: ||δ||², no square root.")
    want = reference(delta, 1.0)
    if not _close(got, want):
        fail(name, f"with s = 1 (only the means differ) you return {got:.5g}, expected "
                   f"{want:.5g}", "the mean term is ||δ||² = Σ_i δ_i².")
    for s in (0.3, 1.7):
        got = _as_float(name, frechet_scaled(delta.clone(), cov.clone(), s), hint)
        want = reference(delta, s)
        if not _close(got, want):
            fail(name, f"with s = {s} you return {got:.5g}, expected {want:.5g}", hint)
    passed(name)


def check_ex2(mean_term_bias: Callable) -> None:
    """Exercise 2: ``mean_term_bias(trace, n_r, n_g) -> float``, the expected squared distance
    between the means of two independent samples of sizes ``n_r`` and ``n_g``."""
    name = "Exercise 2 (bias of the mean term)"
    hint = ("μ̂_r has covariance Σ/n_r, μ̂_g has Σ/n_g, and they are independent, so "
            "μ̂_r − μ̂_g has covariance Σ/n_r + Σ/n_g; E||x||² of a zero-mean x is the trace "
            "of its covariance.")
    trace, n_r, n_g = 40.0, 1000, 250
    got = _as_float(name, mean_term_bias(trace, n_r, n_g), hint)
    want = trace * (1 / n_r + 1 / n_g)
    mistakes = {
        2 * trace / (n_r + n_g): "2 Tr Σ / (n_r + n_g): the two sizes were pooled",
        trace / n_g: "Tr Σ / n_g: the real sample's noise is left out",
        trace / n_r: "Tr Σ / n_r: the generated sample's noise is left out",
        2 * trace / min(n_r, n_g): "2 Tr Σ / min(n_r, n_g)",
        2 * trace / max(n_r, n_g): "2 Tr Σ / max(n_r, n_g)",
        trace / (n_r * n_g): "Tr Σ / (n_r n_g)",
        trace * (1 / n_r**2 + 1 / n_g**2): "Tr Σ (1/n_r² + 1/n_g²): the variance of a mean is "
                                           "Σ/n, not Σ/n²",
        math.sqrt(trace * (1 / n_r + 1 / n_g)): "a square root: the mean term is squared",
    }
    for value, what in mistakes.items():
        if _close(got, value) and not _close(value, want):
            fail(name, f"you return {got:.5g} = {what}", hint)
    if not _close(got, want):
        fail(name, f"for Tr Σ = {trace:g}, n_r = {n_r}, n_g = {n_g} you return {got:.5g}, "
                   f"expected {want:.5g}", hint)
    # Equal sizes must give section 3's 2 Tr Σ / n.
    got = _as_float(name, mean_term_bias(10.0, 64, 64), hint)
    if not _close(got, 2 * 10.0 / 64):
        fail(name, f"with n_r = n_g = 64 you return {got:.5g}, expected 2 Tr Σ / n = "
                   f"{2 * 10.0 / 64:.5g}", hint)
    # A simulation agrees: Gaussian samples with a known trace.
    g = torch.Generator().manual_seed(0)
    std = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)  # Tr Σ = 5.25
    reps, nr, ng = 4000, 20, 5
    xr = (torch.randn(reps, nr, 3, generator=g, dtype=torch.float64) * std).mean(1)
    xg = (torch.randn(reps, ng, 3, generator=g, dtype=torch.float64) * std).mean(1)
    simulated = float((xr - xg).square().sum(1).mean())
    got = _as_float(name, mean_term_bias(float(std.square().sum()), nr, ng), hint)
    if not math.isclose(got, simulated, rel_tol=0.08):
        fail(name, f"a simulation with Tr Σ = 5.25, n_r = {nr}, n_g = {ng} gives "
                   f"{simulated:.4g}, your formula {got:.4g}", hint)
    passed(name)


CHANGES = {
    "mixed": ({"fd_frame": "same", "fd_video": "higher"},
              {"fd_frame": "the frames are the same N·T frames, only paired into other videos, "
                           "and fd_frame fits one Gaussian to all of them regardless of video",
               "fd_video": "each video now jumps between N different figures: its motion "
                           "features are nothing like a real video's"}),
    "reordered": ({"fd_frame": "same", "fd_video": "same"},
                  {"fd_frame": "a mean and a covariance do not depend on the order of the "
                               "samples",
                   "fd_video": "a mean and a covariance do not depend on the order of the "
                               "samples"}),
    "half": ({"fd_frame": "higher", "fd_video": "higher"},
             {"fd_frame": "fewer samples estimate the mean and covariance worse, and the "
                          "noise adds distance (the bias of section 3; Exercise 2: Tr Σ (1/N + "
                          "2/N) instead of 2 Tr Σ / N for the mean term)",
              "fd_video": "fewer samples estimate the mean and covariance worse, and the noise "
                          "adds distance (the bias of section 3)"}),
}


def check_ex3(predictions: object) -> None:
    """Exercise 3: ``{change: {"fd_frame": ..., "fd_video": ...}}`` with ``"same"``,
    ``"higher"`` or ``"lower"`` for the changes ``mixed``, ``reordered``, ``half``."""
    name = "Exercise 3 (predict fd_frame and fd_video)"
    hint = ('a dict such as {"mixed": {"fd_frame": "same", "fd_video": "higher"}, '
            '"reordered": {...}, "half": {...}}.')
    if not isinstance(predictions, dict):
        fail(name, f"expected a dict, got {type(predictions).__name__}", hint)
    missing = [c for c in CHANGES if c not in predictions]
    if missing:
        fail(name, f"no prediction for {missing}", hint)
    wrong = []
    for change, (want, why) in CHANGES.items():
        got = predictions[change]
        if not isinstance(got, dict) or set(got) != {"fd_frame", "fd_video"}:
            fail(name, f"predictions[{change!r}] must be a dict with the keys 'fd_frame' and "
                       f"'fd_video', got {got!r}", hint)
        for metric, answer in got.items():
            answer = str(answer).strip().lower()
            if answer not in ("same", "higher", "lower"):
                fail(name, f"predictions[{change!r}][{metric!r}] is {answer!r}: answer "
                           "'same', 'higher' or 'lower'", hint)
            if answer != want[metric]:
                wrong.append(f"{change} → {metric}: you say {answer!r}, it is "
                             f"{want[metric]!r}: {why[metric]}")
    if wrong:
        fail(name, f"{len(wrong)} of 6 predictions differ:\n  " + "\n  ".join(wrong),
             "think of what a Gaussian fit sees: a set of feature vectors (one per frame, or "
             "one per video), and how well n of them estimate its mean and covariance.")
    passed(name)

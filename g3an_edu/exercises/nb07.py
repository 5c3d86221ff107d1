"""Checks for the exercises of notebook 07 (evaluating a video GAN).

Each check compares the student's function with the package (``g3an_edu.metrics``) on small
inputs chosen so that the usual mistakes give a different number, and names the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ..metrics.disentanglement import normalised_entropy, pair_agreement
from ..metrics.frechet import Gaussian, frechet_distance_gaussians
from . import check_number, fail, unwrap_scalar


def _as_float(name: str, got: object, hint: str) -> float:
    got = unwrap_scalar(got)
    if not isinstance(got, (int, float)):
        fail(name, f"expected a number (float), got {type(got).__name__}", hint)
    if math.isnan(got):
        fail(name, "got NaN", hint)
    return float(got)


def check_ex1(frechet_diagonal: Callable) -> None:
    """Exercise 1: ``frechet_diagonal(mu_a (D,), var_a (D,), mu_b (D,), var_b (D,)) -> float``,
    the squared Fréchet distance between Gaussians with diagonal covariances."""
    name = "Exercise 1 (Fréchet distance, diagonal covariances)"
    hint = "d² = Σ_i (mu_a,i − mu_b,i)² + Σ_i (sqrt(var_a,i) − sqrt(var_b,i))²."
    g = torch.Generator().manual_seed(7)
    mu_a, mu_b = torch.randn(5, generator=g), torch.randn(5, generator=g)  # (D,)
    var_a = torch.rand(5, generator=g) * 3 + 0.2  # (D,)
    var_b = torch.rand(5, generator=g) * 3 + 0.2  # (D,)

    def reference(ma, va, mb, vb) -> float:
        return frechet_distance_gaussians(Gaussian(ma.double(), torch.diag(va.double())),
                                          Gaussian(mb.double(), torch.diag(vb.double())))

    # Same variances: only the mean term is left.
    got = _as_float(name, frechet_diagonal(mu_a, var_a, mu_b, var_a), hint)
    want = reference(mu_a, var_a, mu_b, var_a)
    if math.isclose(got, math.sqrt(want), rel_tol=1e-4):
        fail(name, "with equal variances you return ||mu_a − mu_b||, the norm",
             "the Fréchet distance is reported squared: ||mu_a − mu_b||², no square root.")
    if not math.isclose(got, want, rel_tol=1e-4, abs_tol=1e-6):
        fail(name, f"with equal variances (only the means differ) you return {got:.5g}, "
                   f"expected {want:.5g}", "the mean term is Σ_i (mu_a,i − mu_b,i)².")
    # Same means: only the covariance term is left.
    got = _as_float(name, frechet_diagonal(mu_a, var_a, mu_a, var_b), hint)
    want = reference(mu_a, var_a, mu_a, var_b)
    if math.isclose(got, float((var_a - var_b).square().sum()), rel_tol=1e-4):
        fail(name, "with equal means you return Σ (var_a − var_b)²: variances where standard "
                   "deviations belong",
             "Tr(S_a + S_b − 2 (S_a S_b)^½) for diagonal S is Σ (sqrt(var_a) − sqrt(var_b))².")
    if not math.isclose(got, want, rel_tol=1e-4, abs_tol=1e-6):
        fail(name, f"with equal means (only the variances differ) you return {got:.5g}, "
                   f"expected {want:.5g}", hint)
    check_number(name, frechet_diagonal(mu_a, var_a, mu_b, var_b),
                 reference(mu_a, var_a, mu_b, var_b), hint, rel=1e-4)


def check_ex2(appearance_consistency: Callable) -> None:
    """Exercise 2: ``appearance_consistency(labels: {factor: (G, K)}, factors) -> float``, the
    fraction of pairs ``i ≠ j`` within a group whose labels agree on every factor."""
    name = "Exercise 2 (appearance consistency)"
    hint = ("for each group and each ordered pair i ≠ j, the pair counts when every factor "
            "agrees; divide by the number of pairs, G·K·(K−1).")
    labels = {"shirt": torch.tensor([[0, 0, 1, 1], [2, 2, 2, 2], [3, 0, 3, 3]]),  # (G, K)
              "background": torch.tensor([[5, 5, 5, 4], [1, 1, 0, 0], [2, 2, 2, 2]])}
    factors = ("shirt", "background")
    got = _as_float(name, appearance_consistency(labels, factors), hint)
    want = pair_agreement(labels, factors)
    g, k = labels["shirt"].shape
    same = torch.ones(g, k, k, dtype=torch.bool)  # (G, K, K)
    for f in factors:
        same &= labels[f][:, :, None] == labels[f][:, None, :]
    with_diagonal = float(same.float().mean())
    per_factor = sum(pair_agreement(labels, (f,)) for f in factors) / len(factors)
    if math.isclose(got, with_diagonal, rel_tol=1e-6):
        fail(name, f"you return {got:.4f}: the pairs (i, i) of a video with itself are counted",
             "leave out the diagonal: only pairs i ≠ j (K·(K−1) per group).")
    if math.isclose(got, per_factor, rel_tol=1e-6):
        fail(name, f"you return {got:.4f}: the mean of each factor's agreement",
             "a pair agrees only when ALL factors agree at once (shirt AND background).")
    check_number(name, got, want, hint, rel=1e-6)


def check_ex3(action_entropy: Callable) -> None:
    """Exercise 3: ``action_entropy(actions (N,), n_actions) -> float`` in [0, 1]."""
    name = "Exercise 3 (action entropy)"
    hint = ("p_a = count of a / N; H = −Σ_{p_a > 0} p_a log p_a; divide by log(n_actions), the "
            "entropy of the uniform histogram.")
    actions = torch.tensor([0, 0, 0, 0, 1, 1, 2, 3, 3, 3, 3, 3])  # 4 of 10 classes seen
    n_actions = 10
    got = _as_float(name, action_entropy(actions, n_actions), hint)
    want = normalised_entropy(actions, n_actions)
    p = torch.bincount(actions, minlength=n_actions).double() / len(actions)
    p = p[p > 0]
    h = float(-(p * p.log()).sum())
    if math.isclose(got, h, rel_tol=1e-4) or math.isclose(got, h / math.log(2), rel_tol=1e-4):
        fail(name, f"you return {got:.4f}, the entropy itself (not normalised)",
             f"divide by log(n_actions) = log({n_actions}) so that 1 means all actions equally "
             "often.")
    if math.isclose(got, h / math.log(len(p)), rel_tol=1e-4):
        fail(name, "you divide by the log of the number of actions that occur (4 here)",
             f"divide by log(n_actions) = log({n_actions}): actions never generated must lower "
             "the score.")
    for one_class in (torch.full((6,), 2), torch.arange(10)):  # 0 and 1 exactly
        check = normalised_entropy(one_class, n_actions)
        value = _as_float(name, action_entropy(one_class, n_actions), hint)
        if not math.isclose(value, check, abs_tol=1e-6):
            fail(name, f"on {one_class.tolist()} you return {value:.4g}, expected {check:g}",
                 "classes that never occur contribute 0 (0·log 0 = 0): drop them before "
                 "taking the log.")
    check_number(name, got, want, hint, rel=1e-6)

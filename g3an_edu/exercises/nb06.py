"""Checks for the exercises of notebook 06 (training: losses and DI's frame choice).

References: the hinge loss written out (Lim & Ye 2017; SAGAN, BigGAN), the package's
``discriminator_loss`` run on discriminators that output a constant logit, and ``L_D``
written with PyTorch's fused binary cross-entropy (for the planted bug).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..objective import discriminator_loss
from . import check_number, fail, unwrap_scalar


def _as_float(name: str, value: object, hint: str) -> float:
    """A scalar answer as a float (a Python number or a one-element tensor)."""
    value = unwrap_scalar(value)
    if isinstance(value, (int, float)):
        return float(value)
    fail(name, f"expected a number or a one-element tensor, got {type(value).__name__}", hint)
    raise AssertionError  # unreachable: fail raises


def check_ex1(hinge_d_loss: Callable, hinge_g_loss: Callable) -> None:
    """Exercise 1: ``hinge_d_loss(real (B,), fake (B,))`` and ``hinge_g_loss(fake (B,))``."""
    name = "Exercise 1 (hinge loss)"
    g = torch.Generator().manual_seed(6)
    real = 2.0 * torch.randn(64, generator=g)  # (B,) logits, many beyond the margin ±1
    fake = 2.0 * torch.randn(64, generator=g)  # (B,)
    want_d = (F.relu(1 - real).mean() + F.relu(1 + fake).mean()).item()
    got_d = _as_float(name, hinge_d_loss(real.clone(), fake.clone()), "return a scalar.")
    if not math.isclose(got_d, want_d, rel_tol=1e-5):
        unclamped = ((1 - real).mean() + (1 + fake).mean()).item()
        summed = (F.relu(1 - real).sum() + F.relu(1 + fake).sum()).item()
        swapped = (F.relu(1 + real).mean() + F.relu(1 - fake).mean()).item()
        for value, what, hint in (
            (unclamped, "your D loss has no max(0, ·)", "clamp each term at 0 (F.relu): a logit "
             "already beyond the margin (real > 1, fake < -1) must add nothing."),
            (summed, "your D loss sums over the batch", "take the mean over the batch."),
            (swapped, "your D loss has real and fake swapped",
             "real logits should be pushed above +1: max(0, 1 - D(x))."),
        ):
            if math.isclose(got_d, value, rel_tol=1e-5):
                fail(name, f"{what} (got {got_d:.4f}, expected {want_d:.4f})", hint)
    check_number(f"{name}, D loss", got_d, want_d, rel=1e-5,
                 hint="L_D = mean(max(0, 1 - D(x))) + mean(max(0, 1 + D(G(z)))).")
    want_g = (-fake.mean()).item()
    got_g = _as_float(name, hinge_g_loss(fake.clone()), "return a scalar.")
    if math.isclose(got_g, -want_g, rel_tol=1e-5):
        fail(name, f"your G loss has the wrong sign (got {got_g:.4f}, expected {want_g:.4f})",
             "G wants D(G(z)) large, so it minimises -mean(D(G(z))).")
    check_number(f"{name}, G loss", got_g, want_g, rel=1e-5,
                 hint="L_G = -mean(D(G(z))): no clamp for the generator.")


class ConstantLogit(nn.Module):
    """A discriminator that outputs the logit ``c`` for every input: ``(B, ...) -> (B,)``."""

    def __init__(self, c: float) -> None:
        super().__init__()
        self.c = c

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.full((x.shape[0],), self.c)  # (B,)


def reference_constant_d_loss(c: float) -> float:
    """The package's ``L_D`` when both DV and DI output the logit ``c`` for everything."""
    real = torch.zeros(2, 3, 4, 8, 8)  # (B, 3, T, H, W): the values do not matter
    loss, _ = discriminator_loss(ConstantLogit(c), ConstantLogit(c), real, real.clone(),
                                 torch.Generator().manual_seed(0))
    return loss.item()


def check_ex2(constant_d_loss: Callable) -> None:
    """Exercise 2: ``constant_d_loss(c) -> L_D`` when DV and DI output ``c`` for every input."""
    name = "Exercise 2 (D loss of a constant discriminator)"
    hint = ("four BCE terms: DV on real (target 1) and fake (target 0), and the same for DI; "
            "BCE(c, 1) = log(1 + e^-c), BCE(c, 0) = log(1 + e^c).")
    for c in (0.0, 2.0, -3.0):
        want = reference_constant_d_loss(c)
        got = _as_float(name, constant_d_loss(c), hint)
        if math.isclose(got, want / 2, rel_tol=1e-5):
            fail(name, f"constant_d_loss({c}) is {got:.4f}, half of {want:.4f}: you counted "
                       "one discriminator", hint)
        check_number(f"{name}, c = {c}", got, want, hint=hint, rel=1e-5)


TERMS = ("dv_real", "dv_fake", "di_real", "di_fake")


def reference_d_loss(v_real: torch.Tensor, v_fake: torch.Tensor, i_real: torch.Tensor,
                     i_fake: torch.Tensor) -> torch.Tensor:
    """``L_D`` from the four logit batches ``(B,)``: real -> 1, fake -> 0, for DV and DI."""
    bce = F.binary_cross_entropy_with_logits
    return (bce(v_real, torch.ones_like(v_real)) + bce(v_fake, torch.zeros_like(v_fake))
            + bce(i_real, torch.ones_like(i_real)) + bce(i_fake, torch.zeros_like(i_fake)))


def check_ex3(bug: object, fixed_d_loss: Callable) -> None:
    """Exercise 3: the planted bug's term (one of ``TERMS``) and the fixed ``L_D``."""
    name = "Exercise 3 (find the bug in L_D)"
    if bug not in TERMS:
        fail(name, f"bug should be one of {TERMS}, got {bug!r}")
    if bug != "di_fake":
        fail(name, f"the {bug!r} term is right", "compare each term with its target: real "
             "logits should be pushed up (softplus(-ℓ) = BCE(ℓ, 1)), fake logits down "
             "(softplus(ℓ) = BCE(ℓ, 0)). Which term pushes a fake logit up?")
    g = torch.Generator().manual_seed(11)
    logits = [2.5 * torch.randn(16, generator=g) for _ in TERMS]  # (B,) each
    got = unwrap_scalar(fixed_d_loss(*[x.clone() for x in logits]))
    want = reference_d_loss(*logits).item()
    if isinstance(got, (int, float)) and not math.isclose(got, want, rel_tol=1e-5):
        sp = F.softplus
        v_r, v_f, i_r, i_f = logits
        rest = (sp(-v_r).mean() + sp(v_f).mean() + sp(-i_r).mean()).item()
        if math.isclose(got, rest - sp(-i_f).mean().item(), rel_tol=1e-5):
            fail(name, "you put a minus sign in front of the buggy term",
                 "-BCE(ℓ, 1) is unbounded below: D would push fake logits to -∞ without "
                 "limit. Change the target instead: BCE(ℓ, 0) = softplus(ℓ).")
        if math.isclose(got, rest, rel_tol=1e-5):
            fail(name, "you dropped D_I's fake term", "keep all four terms; fix the target.")
    check_number(name, got, want, rel=1e-5,
                 hint="L_D = softplus(-v_real) + softplus(v_fake) + softplus(-i_real) + "
                      "softplus(i_fake), each averaged over the batch.")

"""Checks for the exercises of notebook 06 (training: losses and DI's frame choice).

References: the hinge loss written out (Lim & Ye 2017; SAGAN, BigGAN), the package's
``discriminator_loss`` run on discriminators that output a constant logit, and the package's
``random_frames`` with the same random generator.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..discriminators import random_frames
from ..objective import discriminator_loss
from . import check_number, fail, passed, unwrap_scalar


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


def check_ex3(pick_frames: Callable) -> None:
    """Exercise 3: ``pick_frames(videos (B, C, T, H, W), generator) -> (B, C, H, W)``."""
    name = "Exercise 3 (one random frame per video)"
    hint = ("draw one index per video, t = torch.randint(T, (B,), generator=generator), and "
            "take videos[torch.arange(B), :, t].")
    b, t = 32, 16
    ids = torch.arange(b * t, dtype=torch.float32).reshape(b, 1, t, 1, 1)  # frame id b·T + t
    videos = ids.expand(b, 3, t, 2, 2).contiguous()  # (B, 3, T, 2, 2)
    got = pick_frames(videos.clone(), torch.Generator().manual_seed(3))
    want = random_frames(videos, torch.Generator().manual_seed(3))  # (B, 3, 2, 2)
    if not isinstance(got, torch.Tensor):
        fail(name, f"expected a tensor, got {type(got).__name__}", hint)
    if got.shape == (b, 3, b, 2, 2):
        fail(name, f"shape {tuple(got.shape)}: videos[:, :, t] takes all B indices from every "
                   "video", hint)
    if tuple(got.shape) != tuple(want.shape):
        fail(name, f"shape is {tuple(got.shape)}, expected {tuple(want.shape)}", hint)
    frame_id = got[:, 0, 0, 0]  # (B,): which frame of which video came out
    video_of = torch.div(frame_id, t, rounding_mode="floor")
    if not torch.equal(video_of, torch.arange(b, dtype=torch.float32)):
        wrong = int((video_of != torch.arange(b)).nonzero()[0])
        fail(name, f"output {wrong} is a frame of video {int(video_of[wrong])}, not of video "
                   f"{wrong}", hint)
    if len(set(frame_id.remainder(t).tolist())) == 1:
        fail(name, f"all {b} videos gave the same frame index: draw one index per video", hint)
    if not torch.equal(got, want):
        fail(name, "each video gave one of its frames, but not the ones the package draws "
                   "from the same generator", "use exactly torch.randint(T, (B,), "
                   "generator=generator): one call, B draws, so runs are reproducible.")
    passed(name)

"""The paper's objective and one optimisation step of G3AN (or any generator with the same API).

The objective (non-saturating GAN loss with logits, as the authors'): with real videos ``x``,
fakes ``G(z)``, and ``x_t`` one random frame of each video (what DI sees),

    L_D = BCE(DV(x), 1) + BCE(DV(G(z)), 0) + BCE(DI(x_t), 1) + BCE(DI(G(z)_t), 0)
    L_G = BCE(DV(G(z)), 1) + BCE(DI(G(z)_t), 1)

optimised with Adam (lr 2e-4, betas (0.5, 0.999)) for G and for both discriminators.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import TrainConfig
from .discriminators import random_frames
from .models import unwrap


def discriminator_loss(dv: nn.Module, di: nn.Module, real: torch.Tensor, fake: torch.Tensor,
                       rng: torch.Generator) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """``L_D`` on real and (detached) fake videos ``(B, 3, T, R, R)``, and the mean logits.

    Real and fake go through each discriminator in one batch (one forward per network and
    step, which DistributedDataParallel needs).
    """
    b = real.shape[0]
    videos = torch.cat([real, fake])  # (2B, 3, T, R, R)
    frames = random_frames(videos, rng)  # (2B, 3, R, R): one random frame per video
    v, i = dv(videos).float(), di(frames).float()  # (2B,), (2B,) logits
    ones, zeros = torch.ones_like(v[:b]), torch.zeros_like(v[:b])
    loss = (F.binary_cross_entropy_with_logits(v[:b], ones)
            + F.binary_cross_entropy_with_logits(v[b:], zeros)
            + F.binary_cross_entropy_with_logits(i[:b], ones)
            + F.binary_cross_entropy_with_logits(i[b:], zeros))
    logits = {"dv_real": v[:b].mean(), "dv_fake": v[b:].mean(),
              "di_real": i[:b].mean(), "di_fake": i[b:].mean()}
    return loss, logits


def generator_loss(dv: nn.Module, di: nn.Module, fake: torch.Tensor,
                   rng: torch.Generator) -> torch.Tensor:
    """``L_G``: the non-saturating loss, fakes ``(B, 3, T, R, R)`` labelled real."""
    v, i = dv(fake).float(), di(random_frames(fake, rng)).float()  # (B,), (B,)
    ones = torch.ones_like(v)
    return (F.binary_cross_entropy_with_logits(v, ones)
            + F.binary_cross_entropy_with_logits(i, ones))


def train_step(g: nn.Module, dv: nn.Module, di: nn.Module, opt_g: torch.optim.Optimizer,
               opt_d: torch.optim.Optimizer, real: torch.Tensor, rng: torch.Generator,
               length: int = 1, amp: torch.dtype | None = None) -> dict[str, torch.Tensor]:
    """One GAN step on real videos ``(B, 3, T, R, R)``: update D, then G. Returns the losses.

    ``fake = G(z)`` is computed once: detached for the D step, attached for the G step.
    ``amp`` (e.g. ``torch.bfloat16``) runs the forward passes under autocast.
    """
    autocast = torch.autocast(real.device.type, dtype=amp or torch.float32,
                              enabled=amp is not None)
    z_a, z_m = unwrap(g).sample_noise(real.shape[0], length, generator=rng, device=real.device)
    with autocast:
        fake = g(z_a, z_m)  # (B, 3, T, R, R)
        d_loss, logits = discriminator_loss(dv, di, real, fake.detach(), rng)
    opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    opt_d.step()

    with autocast:
        g_loss = generator_loss(dv, di, fake, rng)
    opt_g.zero_grad(set_to_none=True)
    g_loss.backward()  # also fills D's gradients; the next D step clears them
    opt_g.step()
    return {"d_loss": d_loss.detach(), "g_loss": g_loss.detach(),
            **{k: v.detach() for k, v in logits.items()}}


def amp_dtype(config: TrainConfig, device: torch.device) -> torch.dtype | None:
    """bf16 when ``amp`` is ``bf16``, or ``auto`` on CUDA; ``None`` (fp32) otherwise."""
    if config.amp == "bf16" or (config.amp == "auto" and device.type == "cuda"):
        return torch.bfloat16
    return None

"""The generators' input noise: one appearance code per video, a motion code per step.

G3AN and the MoCoGAN baseline draw their inputs the same way; only the number of motion steps
differs (G3AN: ``L`` steps that its temporal stream upsamples to ``T = 4(L+3)`` frames;
MoCoGAN: one noise vector per frame, ``T`` of them).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def sample_noise(batch: int, dim_za: int, dim_zm: int, steps: int,
                 generator: torch.Generator | None = None,
                 device: torch.device | str | None = None,
                 classes: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Standard-normal ``z_a (batch, dim_za)`` and ``z_m (batch, dim_zm, steps)``.

    ``z_a`` is drawn first, then ``z_m``, from ``generator`` (the global RNG if ``None``), so
    the same seed gives the same codes for both model families. ``classes = k > 0`` (the
    InfoGAN-style motion category, ``motion_classes``): ``z_m``'s last ``k`` channels are
    instead a one-hot category, uniform and the same at every step, drawn after the rest.
    """
    if steps < 1:
        raise ValueError(f"the motion code needs ≥ 1 step, got {steps}: pass length L ≥ 1 "
                         "(T = 4(L+3) frames).")
    if not 0 <= classes < dim_zm:
        raise ValueError(f"a motion category of {classes} classes needs dim_zm > {classes} "
                         f"(got dim_zm {dim_zm}): raise dim_zm or lower motion_classes.")
    z_a = torch.randn(batch, dim_za, generator=generator, device=device)
    z_m = torch.randn(batch, dim_zm, steps, generator=generator, device=device)
    if classes:
        c = torch.randint(classes, (batch,), generator=generator, device=device)
        z_m[:, dim_zm - classes:] = F.one_hot(c, classes).to(z_m.dtype)[:, :, None]
    return z_a, z_m


def motion_category(z_m: torch.Tensor, classes: int) -> torch.Tensor:
    """The category ``(B,)`` int64 in ``z_m (B, dim_zm, L)``'s last ``classes`` channels."""
    return z_m[:, z_m.shape[1] - classes:, 0].argmax(1)

"""The generators' input noise: one appearance code per video, a motion code per step.

G3AN and the MoCoGAN baseline draw their inputs the same way; only the number of motion steps
differs (G3AN: ``L`` steps that its temporal stream upsamples to ``T = 4(L+3)`` frames;
MoCoGAN: one noise vector per frame, ``T`` of them).
"""

from __future__ import annotations

import torch


def sample_noise(batch: int, dim_za: int, dim_zm: int, steps: int,
                 generator: torch.Generator | None = None,
                 device: torch.device | str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Standard-normal ``z_a (batch, dim_za)`` and ``z_m (batch, dim_zm, steps)``.

    ``z_a`` is drawn first, then ``z_m``, from ``generator`` (the global RNG if ``None``), so
    the same seed gives the same codes for both model families.
    """
    if steps < 1:
        raise ValueError(f"the motion code needs ≥ 1 step, got {steps}: pass length L ≥ 1 "
                         "(T = 4(L+3) frames).")
    z_a = torch.randn(batch, dim_za, generator=generator, device=device)
    z_m = torch.randn(batch, dim_zm, steps, generator=generator, device=device)
    return z_a, z_m

"""MoCoGAN (Tulyakov et al., CVPR 2018): the baseline G3AN claims to beat.

MoCoGAN splits the latent space in two, as G3AN does, but generates frame by frame:

- a **content code** ``z_C = z_a (B, dim_za)``: one vector per video, the same in every frame;
- a **motion code** per frame ``z_M^(t) (B, dim_zm)``, produced by a recurrent net (a GRU
  cell) from per-frame noise ``ε^(t) ~ N(0, I)``: ``h_t = GRU(ε^(t), h_{t-1})``, ``h_0 = 0``,
  ``z_M^(t) = h_t``;
- an **image generator** ``G_I`` (DCGAN-style 2D transposed convs) applied to each frame's
  ``[z_C, z_M^(t)]`` separately: frames share weights and see each other only through the
  motion codes.

It is trained with an image and a video discriminator; the course reuses G3AN's DI and DV
(``g3an_edu.discriminators``) so that the comparison changes the generator only.

For the trainer and the metrics, the interface is G3AN's: ``G(z_a, z_m)`` with
``z_m (B, dim_zm, T)`` the per-frame noise ``ε``, and ``sample_noise(batch, length)`` draws
``T = 4(length+3)`` noise steps, so ``length`` gives the same number of frames as in G3AN.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

from ..generator import RESOLUTIONS, frames_for_length
from ..noise import sample_noise
from ..validation import check_choice, check_tensor
from ..weights import init_batchnorm, sn


class MotionGRU(nn.Module):
    """Per-frame noise ``ε (B, dim_zm, T)`` -> motion codes ``z_M (B, dim_zm, T)`` by a GRU cell."""

    def __init__(self, dim_zm: int) -> None:
        super().__init__()
        self.cell = nn.GRUCell(dim_zm, dim_zm)

    def forward(self, eps: torch.Tensor) -> torch.Tensor:
        h = eps.new_zeros(eps.shape[0], eps.shape[1])  # h_0 = 0: (B, dim_zm)
        codes = []
        for t in range(eps.shape[2]):
            h = self.cell(eps[:, :, t], h)  # (B, dim_zm)
            codes.append(h)
        return torch.stack(codes, dim=2)  # (B, dim_zm, T)


class ImageGenerator(nn.Module):
    """DCGAN generator ``(N, dim_in) -> (N, 3, R, R)`` in [-1, 1].

    A ``4×4`` transposed conv makes a 4×4 map of ``ch·2^(n-1)`` channels; ``n = log2(R) - 2``
    stride-2 transposed convs then double the size and halve the channels, the last to RGB.
    Each conv but the last has BatchNorm and ReLU.
    """

    def __init__(self, dim_in: int, ch: int, resolution: int, spectral_norm: bool) -> None:
        super().__init__()
        n_up = int(math.log2(resolution)) - 2  # 32 -> 3, 64 -> 4, 128 -> 5
        widths = [ch * 2 ** (n_up - 1 - i) for i in range(n_up)]  # e.g. 8ch, 4ch, 2ch, ch
        layers: list[nn.Module] = [sn(nn.ConvTranspose2d(dim_in, widths[0], 4, 1, 0),
                                      spectral_norm)]
        for c_in, c_out in zip(widths[:-1], widths[1:], strict=True):
            layers += [init_batchnorm(nn.BatchNorm2d(c_in)), nn.ReLU(inplace=True),
                       sn(nn.ConvTranspose2d(c_in, c_out, 4, 2, 1), spectral_norm)]
        layers += [init_batchnorm(nn.BatchNorm2d(widths[-1])), nn.ReLU(inplace=True),
                   sn(nn.ConvTranspose2d(widths[-1], 3, 4, 2, 1), spectral_norm), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        return self.net(codes[:, :, None, None])  # (N, dim_in, 1, 1) -> (N, 3, R, R)


class MoCoGANGenerator(nn.Module):
    """MoCoGAN generator: ``G(z_a (B, dim_za), z_m (B, dim_zm, T)) -> (B, 3, T, R, R)``.

    ``z_a`` is the content code, ``z_m`` the per-frame noise the GRU turns into motion codes.
    ``ch`` is the width of the image generator's last hidden layer (the first has
    ``ch·R/8``); pick it with :func:`matched_width` to give G3AN's parameter count.
    """

    def __init__(self, dim_za: int = 128, dim_zm: int = 10, ch: int = 64,
                 resolution: int = 64, spectral_norm: bool = True) -> None:
        super().__init__()
        check_choice(resolution, "resolution", RESOLUTIONS)
        for name, value in (("dim_za", dim_za), ("dim_zm", dim_zm), ("ch", ch)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}.")
        self.dim_za, self.dim_zm, self.ch, self.resolution = dim_za, dim_zm, ch, resolution
        self.motion = MotionGRU(dim_zm)
        self.image = ImageGenerator(dim_za + dim_zm, ch, resolution, spectral_norm)

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        """``z_a (B, dim_za), z_m (B, dim_zm, T)`` -> video ``(B, 3, T, R, R)`` in [-1, 1]."""
        check_tensor(z_a, "z_a (content code)", ("B", self.dim_za))
        check_tensor(z_m, "z_m (per-frame motion noise)", (z_a.shape[0], self.dim_zm, "T"))
        b, t = z_m.shape[0], z_m.shape[2]
        motion = self.motion(z_m)  # (B, dim_zm, T)
        content = z_a[:, :, None].expand(b, self.dim_za, t)  # (B, dim_za, T): same every frame
        codes = torch.cat([content, motion], 1)  # (B, dim_za + dim_zm, T)
        codes = codes.permute(0, 2, 1).reshape(b * t, -1)  # (B·T, dim_za + dim_zm)
        frames = self.image(codes)  # (B·T, 3, R, R)
        r = self.resolution
        return frames.reshape(b, t, 3, r, r).permute(0, 2, 1, 3, 4)  # (B, 3, T, R, R)

    def sample_noise(
        self, batch: int, length: int = 1, generator: torch.Generator | None = None,
        device: torch.device | str | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``z_a (batch, dim_za)`` and per-frame noise ``z_m (batch, dim_zm, 4(length+3))``.

        ``length`` means what it means for G3AN, so both make the same number of frames.
        """
        if length < 1:
            raise ValueError(f"motion length L must be ≥ 1 (T = 4(L+3) frames), got {length}.")
        device = device if device is not None else next(self.parameters()).device
        return sample_noise(batch, self.dim_za, self.dim_zm, frames_for_length(length),
                            generator, device)


def count_parameters(module: nn.Module) -> int:
    """Trainable parameters (spectral norm adds buffers, not parameters)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def matched_width(target: int, resolution: int, dim_za: int = 128, dim_zm: int = 10) -> int:
    """The MoCoGAN width ``ch`` whose parameter count is closest to ``target``.

    >>> from g3an_edu import Generator
    >>> matched_width(count_parameters(Generator(ch=8, resolution=32)), 32)  # doctest: +SKIP
    """
    def size(ch: int) -> int:
        return count_parameters(MoCoGANGenerator(dim_za, dim_zm, ch, resolution, False))

    lo, hi = 1, 2
    while size(hi) < target:
        lo, hi = hi, hi * 2
    while hi - lo > 1:  # parameters grow with ch: bisect to the pair around target
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if size(mid) < target else (lo, mid)
    return min((lo, hi), key=lambda ch: abs(size(ch) - target))

"""A re-implementation of the authors' G3AN modules and training step, for timing only.

**Benchmark reference, not course code.** It rebuilds the *structure* of the authors' public
code (``model/ops.py``, ``model/networks.py``, ``trainer.py``; facts in
``shared/reference/g3an.md``) so that ``bench_train.py`` can time "one eager training step of
the authors' modules" next to ours. Written from those facts, not copied. What it keeps,
because it costs time:

- the hook-based ``torch.nn.utils.spectral_norm`` on every conv of the G3 modules, F-SA and
  both discriminators (``to_rgb`` is a plain ``Conv3d``);
- fusion by ``repeat`` (a copy), not a broadcast view;
- F-SA projections as 1×1×1 ``Conv3d`` on the 5-D map, ``permute(...).contiguous()`` layout
  copies, and materialised ``(N, L, L)`` score matrices with a separate softmax;
- the step of their ``trainer.py``: DV and DI each run on the real batch, then on the detached
  fakes (four discriminator forwards), three Adam optimisers (G, DV, DI), then DV and DI on
  the fakes again for G's loss.

What it does not keep: their F-SA's output reshape (``view(b, h, w, -1, t)``, which scrambles
axes; see the reference) is replaced by the correct inverse permutation, which costs the same
(both are views), so the timing is unchanged and the module computes a meaningful function.
Shapes are for 64×64×16 videos (``L = 1``); ``ch`` scales all three networks.
"""

from __future__ import annotations

import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm as hook_sn


def _up(c_in: int, c_out: int, kernel, stride, padding) -> list[nn.Module]:
    """Spectral-normed ConvTranspose3d, BatchNorm3d, ReLU: ``(B, c_in, T, H, W)`` in."""
    return [hook_sn(nn.ConvTranspose3d(c_in, c_out, kernel, stride, padding)),
            nn.BatchNorm3d(c_out), nn.ReLU(True)]


class AuthorsG3(nn.Module):
    """A G3 module in mode 1p2d: three streams, fused by ``repeat`` and ``cat``."""

    def __init__(self, c_s: int, c_v: int, c_t: int, c_out: int, k_s: int, k_t: int,
                 s_s: int, s_t: int, p_s: int, p_t: int) -> None:
        super().__init__()
        self.video = nn.Sequential(*_up(c_v, c_out, (k_t, 1, 1), (s_t, 1, 1), (p_t, 0, 0)),
                                   *_up(c_out, c_out, (1, k_s, k_s), (1, s_s, s_s), (0, p_s, p_s)))
        self.spatial = nn.Sequential(*_up(c_s, c_out, (1, k_s, k_s), (1, s_s, s_s), (0, p_s, p_s)))
        self.temporal = nn.Sequential(*_up(c_t, c_out, (k_t, 1, 1), (s_t, 1, 1), (p_t, 0, 0)))

    def forward(self, h_s, h_v, h_t):
        """``(B,c_s,1,H,W), (B,c_v,T,H,W), (B,c_t,T,1,1)`` -> the next block's three streams."""
        h_v, h_s, h_t = self.video(h_v), self.spatial(h_s), self.temporal(h_t)
        h_v = h_v + h_t.repeat(1, 1, 1, h_v.shape[3], h_v.shape[4])  # copies, as theirs
        return h_s, torch.cat([h_s.repeat(1, 1, h_v.shape[2], 1, 1), h_v], 1), h_t


class _AuthorsSA(nn.Module):
    """SAGAN attention with 1×1×1 conv projections and materialised scores; ``temporal``
    picks the sequences (one per pixel over time, or one per frame over pixels)."""

    def __init__(self, c: int, temporal: bool) -> None:
        super().__init__()
        self.temporal = temporal
        self.q = hook_sn(nn.Conv3d(c, c // 8, 1))
        self.k = hook_sn(nn.Conv3d(c, c // 8, 1))
        self.v = hook_sn(nn.Conv3d(c, c, 1))
        self.gamma = nn.Parameter(torch.zeros(1))

    def _seq(self, y: torch.Tensor) -> torch.Tensor:
        """``(B, C', T, H, W) -> (N, C', L)`` with a layout copy, as their ``contiguous().view``."""
        b, c, t, h, w = y.shape
        if self.temporal:
            return y.permute(0, 3, 4, 1, 2).contiguous().view(b * h * w, c, t)
        return y.transpose(1, 2).contiguous().view(b * t, c, h * w)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, t, h, w = x.shape
        key = self._seq(self.k(x))  # (N, C/8, L)
        query = self._seq(self.q(x)).transpose(1, 2)  # (N, L, C/8)
        value = self._seq(self.v(x)).transpose(1, 2)  # (N, L, C)
        attn = torch.softmax(query @ key, dim=2)  # (N, L, L), stored for backward
        out = attn @ value  # (N, L, C)
        if self.temporal:  # (B·H·W, T, C) -> (B, C, T, H, W), a view
            out = out.view(b, h, w, t, c).permute(0, 4, 3, 1, 2)
        else:  # (B·T, H·W, C) -> (B, C, T, H, W), a view
            out = out.view(b, t, h, w, c).permute(0, 4, 1, 2, 3)
        return self.gamma * out + x


class AuthorsGenerator(nn.Module):
    """Five G3 modules, F-SA after block 4, ``to_rgb`` without spectral norm: 64×64×16."""

    def __init__(self, ch: int = 64, dim_za: int = 128, dim_zm: int = 10) -> None:
        super().__init__()
        self.dim_za, self.dim_zm = dim_za, dim_zm
        self.blocks = nn.ModuleList([
            AuthorsG3(dim_za, dim_za + dim_zm, dim_zm, 8 * ch, 4, 4, 1, 1, 0, 0),
            AuthorsG3(8 * ch, 16 * ch, 8 * ch, 8 * ch, 4, 4, 2, 2, 1, 1),
            AuthorsG3(8 * ch, 16 * ch, 8 * ch, 4 * ch, 4, 4, 2, 2, 1, 1),
            AuthorsG3(4 * ch, 8 * ch, 4 * ch, 2 * ch, 4, 1, 2, 1, 1, 0),
            AuthorsG3(2 * ch, 4 * ch, 2 * ch, ch, 4, 1, 2, 1, 1, 0)])
        self.fsa = nn.Sequential(_AuthorsSA(4 * ch, True), _AuthorsSA(4 * ch, False))
        self.to_rgb = nn.Sequential(nn.Conv3d(2 * ch, 3, (1, 3, 3), 1, (0, 1, 1)), nn.Tanh())
        for m in self.modules():  # their init loop matches Conv3d and BatchNorm3d only
            if isinstance(m, nn.Conv3d):
                nn.init.normal_(m.weight, 0, 0.02)
            elif isinstance(m, nn.BatchNorm3d):
                nn.init.normal_(m.weight, 1.0, 0.02)
                nn.init.zeros_(m.bias)

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        """``z_a (B, dim_za, 1, 1, 1), z_m (B, dim_zm, 1, 1, 1) -> (B, 3, 16, 64, 64)``."""
        h_s, h_t = z_a, z_m
        h_v = torch.cat([z_a.repeat(1, 1, z_m.shape[2], 1, 1), z_m], 1)
        for i, block in enumerate(self.blocks):
            h_s, h_v, h_t = block(h_s, h_v, h_t)
            if i == 3:
                h_v = self.fsa(h_v)
        return self.to_rgb(h_v)


def _disc(layers: list[nn.Module], kind) -> nn.Sequential:
    net = nn.Sequential(*layers)
    for m in net.modules():
        if isinstance(m, kind):
            nn.init.normal_(m.weight, 0, 0.02)
    return net


def authors_video_discriminator(ch: int = 64) -> nn.Module:
    """DV: four (1,4,4)-stride-2 + (4,1,1) stages, then (1,4,4) and (4,1,1) to one logit."""
    layers: list[nn.Module] = []
    c_in = 3
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        layers += [hook_sn(nn.Conv3d(c_in, c, (1, 4, 4), (1, 2, 2), (0, 1, 1))),
                   nn.LeakyReLU(0.2, True), hook_sn(nn.Conv3d(c, c, (4, 1, 1))),
                   nn.LeakyReLU(0.2, True)]
        c_in = c
    layers += [hook_sn(nn.Conv3d(c_in, c_in, (1, 4, 4))), nn.LeakyReLU(0.2, True),
               hook_sn(nn.Conv3d(c_in, 1, (4, 1, 1))), nn.Flatten(0)]
    return _disc(layers, nn.Conv3d)


def authors_image_discriminator(ch: int = 64) -> nn.Module:
    """DI: four 4×4 stride-2 convs, then a 4×4 conv to one logit."""
    layers: list[nn.Module] = []
    c_in = 3
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        layers += [hook_sn(nn.Conv2d(c_in, c, 4, 2, 1)), nn.LeakyReLU(0.2, True)]
        c_in = c
    layers += [hook_sn(nn.Conv2d(c_in, 1, 4)), nn.Flatten(0)]
    return _disc(layers, nn.Conv2d)


class AuthorsStep:
    """One iteration of their ``trainer.py`` on a given real batch ``(B, 3, 16, 64, 64)``."""

    def __init__(self, ch: int = 16, seed: int = 0) -> None:
        torch.manual_seed(seed)
        self.g = AuthorsGenerator(ch)
        self.vd, self.id = authors_video_discriminator(ch), authors_image_discriminator(ch)
        betas = (0.5, 0.999)
        self.opt_g = torch.optim.Adam(self.g.parameters(), 2e-4, betas)
        self.opt_vd = torch.optim.Adam(self.vd.parameters(), 2e-4, betas)
        self.opt_id = torch.optim.Adam(self.id.parameters(), 2e-4, betas)
        self.rand = random.Random(seed)

    def __call__(self, real: torch.Tensor) -> tuple[float, float]:
        b, t = real.shape[0], real.shape[2]
        real_img = real[:, :, self.rand.randint(0, t - 1)]  # (B, 3, H, W)
        self.opt_vd.zero_grad()
        self.opt_id.zero_grad()
        vd_real, id_real = self.vd(real), self.id(real_img)
        z_a = torch.randn(b, self.g.dim_za, 1, 1, 1)
        z_m = torch.randn(b, self.g.dim_zm, 1, 1, 1)
        fake = self.g(z_a, z_m)  # (B, 3, 16, 64, 64)
        fake_img = fake[:, :, self.rand.randint(0, t - 1)]
        vd_fake, id_fake = self.vd(fake.detach()), self.id(fake_img.detach())
        ones, zeros = torch.ones_like(vd_real), torch.zeros_like(vd_fake)
        bce = F.binary_cross_entropy_with_logits
        err_vd = bce(vd_real, ones) + bce(vd_fake, zeros)
        err_id = bce(id_real, ones) + bce(id_fake, zeros)
        err_vd.backward()
        self.opt_vd.step()
        err_id.backward()
        self.opt_id.step()
        self.opt_g.zero_grad()
        err_g = bce(self.vd(fake), ones) + bce(self.id(fake_img), ones)
        err_g.backward()
        self.opt_g.step()
        return (err_vd + err_id).item(), err_g.item()  # their loop logs .item() every step

"""The G3 module: three streams (spatial, temporal, video) and their fusion."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .fusion import spatio_temporal_fusion
from .transposed_conv import FactorizedTransposedConv3d, up_block
from .validation import check_tensor


class G3Module(nn.Module):
    """One G3 block of the generator.

    - spatial stream: ``(1, k_s, k_s)`` transposed conv on ``h_s (B, c_s, 1, H, W)``;
    - temporal stream: ``(k_t, 1, 1)`` transposed conv on ``h_t (B, c_t, T, 1, 1)``;
    - video stream: a factorized transposed conv (``mode``) on ``h_v (B, c_v, T, H, W)``;
    - fusion: ``h_v <- concat(h_s, h_v + h_t)`` with both replicated (see ``fusion.py``).

    ``temporal_zero_mean`` (a departure from the paper, off by default) adds
    ``h_t - mean_T(h_t)`` instead of ``h_t`` in the fusion, so the motion stream cannot add
    the same offset to every frame (e.g. a colour): it can only change frames relative to
    each other. The temporal stream passed on to the next block is unchanged.
    ``static_video`` (another departure, off by default) replaces the video stream's output
    by its mean over time before the fusion, so this block's video features carry no motion
    of their own: the generator uses it in block 1, whose transposed conv would otherwise
    turn a single input step (``L = 1``) into a 4-frame pattern chosen by ``z_a``.
    ``spatial_global`` (a departure, off by default) fuses the spatial features averaged over
    space, ``mean_HW(h_s)`` replicated over ``(T, H, W)``: the appearance stream then gives
    every position the same per-channel values (a style: colours, texture statistics) and
    cannot say where anything is; the spatial stream passed on is unchanged.
    ``video_instance_norm`` (a departure, off by default) normalises the fused video half
    ``h_v + h_t`` per sample and channel over ``(T, H, W)`` (instance norm, no affine, as
    AdaIN's first half): the video stream keeps its patterns (where, when) and loses its
    per-channel level and contrast, which the appearance half alone can then set.
    ``appearance_modulation`` (a departure, off by default) scales and shifts that video half
    per channel by the appearance, ``v <- v ⊙ (1 + γ) + β`` with ``(γ, β) = A·mean_HW(h_s)``
    (``A`` a learned linear map, zero at init, so the block starts as without it; with
    ``video_instance_norm`` this is AdaIN). A concatenated constant can only *add* a colour
    everywhere (the background too); a gain on a channel that draws the shirt colours the
    shirt wherever the video stream puts it: appearance acting on a layout that motion draws.
    ``fuse_appearance=False`` (a departure; the paper fuses in every block) fuses zeros in
    place of the spatial features (same shapes) and does not modulate: this block's video
    stream does not see the appearance at all, so it cannot let ``z_a`` choose what moves.

    Returns ``(h_s, h_v, h_t)`` shaped ``(B, C, 1, H', W')``, ``(B, 2C, T', H', W')`` and
    ``(B, C, T', 1, 1)`` where ``C = c_out``.
    """

    def __init__(
        self, c_s: int, c_v: int, c_t: int, c_out: int, mode: str = "1p2d",
        k_s: int = 4, k_t: int = 4, s_s: int = 1, s_t: int = 1, p_s: int = 0, p_t: int = 0,
        spectral_norm: bool = True, temporal_zero_mean: bool = False,
        static_video: bool = False, spatial_global: bool = False,
        video_instance_norm: bool = False, appearance_modulation: bool = False,
        fuse_appearance: bool = True,
    ) -> None:
        super().__init__()
        self.c_s, self.c_v, self.c_t, self.c_out = c_s, c_v, c_t, c_out
        self.temporal_zero_mean, self.static_video = temporal_zero_mean, static_video
        self.spatial_global, self.video_instance_norm = spatial_global, video_instance_norm
        self.fuse_appearance = fuse_appearance
        self.spatial = up_block(c_s, c_out, (1, k_s, k_s), (1, s_s, s_s), (0, p_s, p_s),
                                spectral_norm)
        self.temporal = up_block(c_t, c_out, (k_t, 1, 1), (s_t, 1, 1), (p_t, 0, 0),
                                 spectral_norm)
        self.video = FactorizedTransposedConv3d(c_v, c_out, mode, k_s, k_t, s_s, s_t, p_s, p_t,
                                                spectral_norm)
        # (γ, β) from the pooled appearance; zero init, no spectral norm (σ of a zero map is 0)
        modulated = appearance_modulation and fuse_appearance
        self.modulation = nn.Linear(c_out, 2 * c_out) if modulated else None
        if self.modulation is not None:
            nn.init.zeros_(self.modulation.weight)
            nn.init.zeros_(self.modulation.bias)

    def forward(
        self, h_s: torch.Tensor, h_v: torch.Tensor, h_t: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(B,c_s,1,H,W), (B,c_v,T,H,W), (B,c_t,T,1,1)`` -> ``(h_s, h_v, h_t)`` (see class)."""
        check_tensor(h_s, "h_s (spatial stream)", ("B", self.c_s, 1, "H", "W"))
        check_tensor(h_v, "h_v (video stream)", ("B", self.c_v, "T", "H", "W"))
        check_tensor(h_t, "h_t (temporal stream)", ("B", self.c_t, "T", 1, 1))
        h_s = self.spatial(h_s)  # (B, C, 1, H', W')
        h_t = self.temporal(h_t)  # (B, C, T', 1, 1)
        h_v = self.video(h_v)  # (B, C, T', H', W')
        if self.static_video:
            h_v = h_v.mean(2, keepdim=True).expand_as(h_v)  # (B, C, T', H', W'), same each frame
        motion = h_t - h_t.mean(2, keepdim=True) if self.temporal_zero_mean else h_t
        if not self.fuse_appearance:
            looks = torch.zeros_like(h_s)  # (B, C, 1, H', W'): the video stream sees no z_a
        elif self.spatial_global:  # one value per channel at every position: a style
            looks = h_s.mean((3, 4), keepdim=True).expand_as(h_s)  # (B, C, 1, H', W')
        else:
            looks = h_s
        fused = spatio_temporal_fusion(looks, motion, h_v)  # (B, 2C, T', H', W')
        if not (self.video_instance_norm or self.modulation is not None):
            return h_s, fused, h_t
        c = self.c_out
        video = fused[:, c:]  # (B, C, T', H', W'): h_v + h_t
        if self.video_instance_norm:  # zero mean, unit variance per sample and channel
            video = F.instance_norm(video)
        if self.modulation is not None:  # per-channel gain and shift set by the appearance
            gamma, beta = self.modulation(h_s.mean((2, 3, 4))).chunk(2, 1)  # (B, C) each
            video = video * (1 + gamma[:, :, None, None, None]) + beta[:, :, None, None, None]
        return h_s, torch.cat([fused[:, :c], video], 1), h_t

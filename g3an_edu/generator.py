"""The G3AN generator: a stack of G3 modules, F-SA on a high-level feature map, and to_rgb.

Appearance noise ``z_a (B, dim_za)`` is one vector per video; motion noise
``z_m (B, dim_zm, L)`` is a short sequence. Block 1 (temporal kernel 4, stride 1, no
padding) turns ``L`` motion steps into ``L+3``; blocks 2 and 3 each double time; the rest
keep it, so a video has ``T = 4·(L+3)`` frames (``L = 1`` -> 16, the training length; longer
``z_m`` gives longer videos at test time).

Channels at ``ch = 64`` and 64×64 (block outputs before fusion; fusion doubles them)::

    block  out    T          H×W      kernel s,t  stride s,t  pad s,t
    1      8ch    L+3        4×4      4, 4        1, 1        0, 0
    2      8ch    2(L+3)     8×8      4, 4        2, 2        1, 1
    3      4ch    4(L+3)     16×16    4, 4        2, 2        1, 1
    4      2ch    4(L+3)     32×32    4, 1        2, 1        1, 0
    F-SA on block 4's fused output (4ch channels)
    5      ch     4(L+3)     64×64    4, 1        2, 1        1, 0
    to_rgb Conv3d(2ch, 3, (1,3,3)) + tanh (spectral-normed unless to_rgb_spectral_norm=False;
           the authors' is plain)

Resolution 32 drops block 5 (F-SA then sits after block 3, at 16×16); resolution 128 adds
a block 6 with ``ch/2`` channels (F-SA stays after block 4, at 32×32). So F-SA always sits on
the fused output of the block that reaches ``min(32, resolution/2)`` pixels.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

from .attention import FactorizedSelfAttention
from .g3 import G3Module
from .layered_output import LayeredOutput
from .noise import sample_noise
from .transposed_conv import MODES
from .validation import check_choice, check_tensor
from .weights import sn

RESOLUTIONS = (32, 64, 128)


def frames_for_length(length: int) -> int:
    """Number of frames the generator makes from a motion sequence of ``length`` steps."""
    return 4 * (length + 3)


class Generator(nn.Module):
    """G3AN generator: ``G(z_a (B, dim_za), z_m (B, dim_zm, L)) -> (B, 3, 4(L+3), R, R)``.

    Output values are in ``[-1, 1]`` (tanh). ``mode`` picks the video stream's factorized
    transposed conv (``1p2d``, ``2p1d``, ``3d``); ``attention`` switches F-SA on;
    ``spectral_norm`` wraps every conv of the G3 modules and F-SA in spectral norm, as the
    authors do, and ``to_rgb`` too while ``to_rgb_spectral_norm`` is true (the default, with
    which the shipped models were trained). The authors' ``to_rgb`` is a plain ``Conv3d``
    (``model/networks.py``): ``to_rgb_spectral_norm=False`` follows them (same parameters;
    spectral norm adds only buffers, so the state-dict keys of ``to_rgb`` differ).

    Departures from the paper, each off by default (the disentanglement study, docs/STUDY.md):
    ``zm_in_video=False`` feeds block 1's video stream ``concat(z_a, 0)`` instead of
    ``concat(z_a, z_m)`` (same shapes and parameters), so motion enters only through the
    temporal stream's fusion; ``temporal_zero_mean=True`` fuses the temporal features minus
    their mean over time (see :class:`~g3an_edu.g3.G3Module`); ``static_video_start=True``
    averages block 1's video stream over time before its fusion, so ``z_a`` (with
    ``zm_in_video=False`` its only input) sets a start without motion and every change over
    time comes from ``z_m``'s temporal stream (later blocks' time convs still mix frames).
    ``za_in_video=False`` is the mirror of ``zm_in_video=False``: block 1's video stream gets
    ``concat(0, z_m)``, so the layout that moves (the video stream's 4-frame start) is drawn
    by ``z_m`` alone, and ``z_a`` reaches the video only through the spatial stream, whose
    replicated features are the same in every frame (the fusion concatenates them; later
    time convs turn a constant into at most an even/odd flicker).
    ``appearance_global=True`` fuses the spatial stream's features averaged over space in
    every block (:class:`~g3an_edu.g3.G3Module`'s ``spatial_global``): ``z_a`` can set
    styles, not a layout; with ``za_in_video=False`` every layout (pose, motion) comes
    from ``z_m``'s video stream. ``video_instance_norm=True`` instance-normalises the fused
    video half in every block (patterns pass, per-channel levels do not).
    ``appearance_modulation=True`` scales and shifts that video half per channel by a learned
    map of the pooled spatial features in every block (zero at init; with
    ``video_instance_norm`` it is AdaIN): ``z_a`` multiplies the layout ``z_m`` draws, so it
    can colour a shirt, not only shift every pixel's colour. ``appearance_last_blocks=k``
    (``k > 0``) fuses the spatial stream only in the last ``k`` blocks (the others fuse zeros,
    same shapes and parameters): with ``za_in_video=False`` the blocks that make time
    (1–3) never see ``z_a``, so every motion is drawn before the appearance arrives, as
    StyleGAN's fine styles set colours after its coarse ones set the layout.
    ``layered_output=K`` (``K > 0``, with ``za_in_video=False``) replaces ``to_rgb`` by
    :class:`~g3an_edu.layered_output.LayeredOutput` and fuses the appearance in no block:
    the video stream draws ``K + 1`` soft masks, the spatial stream colours ``K`` parts and
    draws a still background (``layered_background="colour"``: a flat colour), so ``z_m``
    says where and ``z_a`` what colour.
    """

    def __init__(
        self, dim_za: int = 128, dim_zm: int = 10, ch: int = 64, mode: str = "1p2d",
        attention: bool = True, resolution: int = 64, spectral_norm: bool = True,
        zm_in_video: bool = True, temporal_zero_mean: bool = False, za_in_video: bool = True,
        appearance_global: bool = False, video_instance_norm: bool = False,
        appearance_modulation: bool = False, appearance_last_blocks: int = 0,
        layered_output: int = 0, layered_background: str = "image",
        static_video_start: bool = False,
        to_rgb_spectral_norm: bool = True,
        motion_classes: int = 0,
    ) -> None:
        super().__init__()
        check_choice(mode, "mode", MODES)
        check_choice(resolution, "resolution", RESOLUTIONS)
        if resolution == 128 and ch % 2:
            raise ValueError(f"resolution 128 needs an even ch (its last block has ch/2), got {ch}")
        for name, value in (("dim_za", dim_za), ("dim_zm", dim_zm), ("ch", ch)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}.")
        n_blocks = int(math.log2(resolution)) - 1  # 32 -> 4, 64 -> 5, 128 -> 6
        if not isinstance(appearance_last_blocks, int) or not 0 <= appearance_last_blocks \
                <= n_blocks:
            raise ValueError(f"appearance_last_blocks must be an int in 0..{n_blocks} (0: every "
                             f"block fuses the appearance, as the paper; resolution "
                             f"{resolution} has {n_blocks} blocks), got "
                             f"{appearance_last_blocks!r}.")
        if layered_output and (za_in_video or appearance_last_blocks):
            raise ValueError("layered_output gives z_a to the output layers alone: set "
                             "za_in_video=false and appearance_last_blocks=0 with it (got "
                             f"za_in_video={za_in_video}, appearance_last_blocks="
                             f"{appearance_last_blocks}).")
        self.dim_za, self.dim_zm, self.ch = dim_za, dim_zm, ch
        self.mode, self.attention, self.resolution = mode, attention, resolution
        self.zm_in_video, self.za_in_video = zm_in_video, za_in_video
        self.motion_classes = motion_classes  # z_m's last channels: a one-hot category

        outs = [8 * ch, 8 * ch, 4 * ch, 2 * ch, ch, ch // 2][:n_blocks]
        departures = {"temporal_zero_mean": temporal_zero_mean,
                     "spatial_global": appearance_global,
                     "video_instance_norm": video_instance_norm,
                     "appearance_modulation": appearance_modulation}
        first_fused = n_blocks - appearance_last_blocks if appearance_last_blocks else 0
        if layered_output:
            first_fused = n_blocks  # no block fuses the appearance
        blocks = [G3Module(dim_za, dim_za + dim_zm, dim_zm, outs[0], mode, k_s=4, k_t=4, s_s=1,
                           s_t=1, p_s=0, p_t=0, spectral_norm=spectral_norm,
                           static_video=static_video_start, fuse_appearance=first_fused == 0,
                           **departures)]
        for i in range(1, n_blocks):
            c_in = outs[i - 1]
            upsample_time = i < 3  # blocks 2 and 3 double T; later blocks keep it
            k_t, s_t, p_t = (4, 2, 1) if upsample_time else (1, 1, 0)
            blocks.append(G3Module(c_in, 2 * c_in, c_in, outs[i], mode, k_s=4, k_t=k_t, s_s=2,
                                   s_t=s_t, p_s=1, p_t=p_t, spectral_norm=spectral_norm,
                                   fuse_appearance=i >= first_fused, **departures))
        self.blocks = nn.ModuleList(blocks)
        # F-SA after the block whose output is min(32, R/2) pixels wide (block i outputs 2^(i+2)).
        self.attention_after = int(math.log2(min(32, resolution // 2))) - 2
        self.fsa = (FactorizedSelfAttention(2 * outs[self.attention_after], spectral_norm)
                    if attention else None)
        last_sn = spectral_norm and to_rgb_spectral_norm
        self.to_rgb = None if layered_output else sn(
            nn.Conv3d(2 * outs[-1], 3, (1, 3, 3), 1, (0, 1, 1)), last_sn)
        self.layers = (LayeredOutput(2 * outs[-1], outs[-1], layered_output, last_sn,
                                     layered_background) if layered_output else None)

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        """``z_a (B, dim_za), z_m (B, dim_zm, L)`` -> video ``(B, 3, 4(L+3), R, R)`` in [-1, 1]."""
        check_tensor(z_a, "z_a (appearance noise)", ("B", self.dim_za))
        check_tensor(z_m, "z_m (motion noise)", (z_a.shape[0], self.dim_zm, "L"))
        b, length = z_a.shape[0], z_m.shape[2]
        if length < 1:
            raise ValueError(f"motion length L must be ≥ 1 (T = 4(L+3) frames), got z_m of shape "
                             f"{tuple(z_m.shape)}.")
        h_s = z_a[:, :, None, None, None]  # (B, dim_za, 1, 1, 1)
        h_t = z_m[:, :, :, None, None]  # (B, dim_zm, L, 1, 1)
        motion_in = h_t if self.zm_in_video else torch.zeros_like(h_t)  # (B, dim_zm, L, 1, 1)
        appearance_in = h_s.expand(b, self.dim_za, length, 1, 1)  # (B, dim_za, L, 1, 1)
        if not self.za_in_video:
            appearance_in = torch.zeros_like(appearance_in)
        h_v = torch.cat([appearance_in, motion_in], 1)  # (B, dim_za + dim_zm, L, 1, 1)
        for i, block in enumerate(self.blocks):
            h_s, h_v, h_t = block(h_s, h_v, h_t)  # h_v: (B, 2·C_i, T_i, H_i, W_i)
            if self.fsa is not None and i == self.attention_after:
                h_v = self.fsa(h_v)
        if self.layers is not None:
            return self.layers(h_v, h_s)  # (B, 3, 4(L+3), R, R), already in [-1, 1]
        return torch.tanh(self.to_rgb(h_v))  # (B, 3, 4(L+3), R, R)

    def sample_noise(
        self, batch: int, length: int = 1, generator: torch.Generator | None = None,
        device: torch.device | str | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Standard-normal ``z_a (batch, dim_za)`` and ``z_m (batch, dim_zm, length)``."""
        if length < 1:
            raise ValueError(f"motion length L must be ≥ 1 (T = 4(L+3) frames), got {length}.")
        device = device if device is not None else next(self.parameters()).device
        return sample_noise(batch, self.dim_za, self.dim_zm, length, generator, device,
                            self.motion_classes)

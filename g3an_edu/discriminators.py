"""The two-stream discriminator: DV judges whole videos, DI single frames.

Both use LeakyReLU(0.2), spectral norm on every conv and no normalisation layers.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

from .generator import RESOLUTIONS
from .validation import check_choice, check_tensor
from .weights import sn


class VideoDiscriminator(nn.Module):
    """DV: factorized (2+1)D conv net, ``(B, 3, T, R, R) -> (B,)`` logits.

    Each stage is a ``(1,4,4)`` stride ``(1,2,2)`` conv in space then a ``(4,1,1)`` conv in
    time (no padding: each removes 3 frames), channels ``ch -> 2ch -> 4ch -> 8ch``. A final
    ``(1,4,4)`` and ``(4,1,1)`` conv reduce a 4×4 map to one logit. At 64×64 with 16 frames
    the net ends on exactly one logit, as the authors'. Resolution 32 has one stage fewer
    and 128 one more (without a time conv); longer clips, or the 32-pixel net, leave a few
    time positions, whose logits are averaged. Needs ``T ≥`` :attr:`min_frames`.

    ``time_padding=True`` (a departure, off by default) pads every time conv by 2 frames on
    both sides, so each frame feeds the same number of outputs: unpadded, the first and last
    frames reach the logit through few paths and get a small share of G's gradient (the
    shipped ``g3an-tiny``'s washed-out last frame was traced to this). ``channels``: input
    channels (6 for two clips stacked along channels, the pair discriminator).
    """

    def __init__(self, ch: int = 64, resolution: int = 64, spectral_norm: bool = True,
                 time_padding: bool = False, channels: int = 3) -> None:
        super().__init__()
        check_choice(resolution, "resolution", RESOLUTIONS)
        self.resolution, self.channels = resolution, channels
        pad_t = (2, 0, 0) if time_padding else 0
        n_stages = int(math.log2(resolution)) - 2  # 32 -> 3, 64 -> 4, 128 -> 5
        chans = [min(ch * 2**i, 8 * ch) for i in range(n_stages)]
        layers: list[nn.Module] = []
        c_in, time_convs = channels, 0
        for i, c in enumerate(chans):
            layers += [sn(nn.Conv3d(c_in, c, (1, 4, 4), (1, 2, 2), (0, 1, 1)), spectral_norm),
                       nn.LeakyReLU(0.2, inplace=True)]
            if i >= n_stages - 4:  # time convs in the last four stages at most
                layers += [sn(nn.Conv3d(c, c, (4, 1, 1), padding=pad_t), spectral_norm),
                           nn.LeakyReLU(0.2, inplace=True)]
                time_convs += 1
            c_in = c
        layers += [sn(nn.Conv3d(c_in, c_in, (1, 4, 4)), spectral_norm),
                   nn.LeakyReLU(0.2, inplace=True),
                   sn(nn.Conv3d(c_in, 1, (4, 1, 1), padding=pad_t), spectral_norm)]
        self.net = nn.Sequential(*layers)
        self.min_frames = 1 if time_padding else 3 * time_convs + 4

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        """``(B, C, T, R, R) -> (B,)`` logits (mean over the time positions left, if several)."""
        r = self.resolution
        check_tensor(video, "video", ("B", self.channels, "T", r, r))
        if video.shape[2] < self.min_frames:
            raise ValueError(f"VideoDiscriminator needs at least {self.min_frames} frames, got "
                             f"{video.shape[2]} (video shape {tuple(video.shape)}).")
        return self.net(video).flatten(1).mean(1)  # (B, 1, T', 1, 1) -> (B,)


class PairDiscriminator(nn.Module):
    """A siamese pair discriminator: two clips ``(B, 6, T, R, R)`` (stacked along channels)
    ``-> (B,)`` logits.

    One DV trunk (shared weights: DV without its last conv) embeds each clip ``x_k (B, 3, T,
    R, R)`` in a vector ``e_k (B, C)`` (its last feature map averaged over the time positions
    left, ``C = 8 ch`` at 64 px, ``4 ch`` at 32), and a two-layer head judges
    ``[e_1 + e_2, |e_1 - e_2|]``: symmetric in the two clips, and with the difference of the
    embeddings as an input, so that "the two clips show the same action" (a fake pair whose
    ``z_a`` decides the action) is one linear read-out away instead of a comparison that the
    stacked-channel DV (``channels = 6``) has to build from pixel-level channels.
    A departure (``pair_arch = "siamese"``); spectral norm everywhere, as DV.
    """

    def __init__(self, ch: int = 64, resolution: int = 64, spectral_norm: bool = True,
                 time_padding: bool = False) -> None:
        super().__init__()
        dv = VideoDiscriminator(ch, resolution, spectral_norm, time_padding, channels=3)
        self.trunk = dv.net[:-1]  # (N, 3, T, R, R) -> (N, C, T', 1, 1)
        self.resolution, self.min_frames = resolution, dv.min_frames
        c = dv.net[-1].in_channels  # the trunk's output channels
        self.head = nn.Sequential(sn(nn.Linear(2 * c, 2 * c), spectral_norm),
                                  nn.LeakyReLU(0.2, inplace=True),
                                  sn(nn.Linear(2 * c, 1), spectral_norm))

    def forward(self, pairs: torch.Tensor) -> torch.Tensor:
        """``(B, 6, T, R, R) -> (B,)`` logits."""
        r = self.resolution
        check_tensor(pairs, "pairs", ("B", 6, "T", r, r))
        if pairs.shape[2] < self.min_frames:
            raise ValueError(f"PairDiscriminator needs at least {self.min_frames} frames, got "
                             f"{pairs.shape[2]} (pairs shape {tuple(pairs.shape)}).")
        b = pairs.shape[0]
        clips = torch.cat([pairs[:, :3], pairs[:, 3:]])  # (2B, 3, T, R, R): one trunk pass
        e = self.trunk(clips).flatten(2).mean(2)  # (2B, C)
        e1, e2 = e[:b], e[b:]  # (B, C) each
        return self.head(torch.cat([e1 + e2, (e1 - e2).abs()], 1)).flatten()  # (B,)


class ImageDiscriminator(nn.Module):
    """DI: DCGAN-style 2D net on single frames, ``(B, 3, R, R) -> (B,)`` logits.

    ``4×4`` stride-2 convs ``3 -> ch -> 2ch -> 4ch -> 8ch`` (at 64×64; one fewer at 32, one
    more at 128), then a ``4×4`` conv on the 4×4 map to one logit.
    """

    def __init__(self, ch: int = 64, resolution: int = 64, spectral_norm: bool = True) -> None:
        super().__init__()
        check_choice(resolution, "resolution", RESOLUTIONS)
        self.resolution = resolution
        n_stages = int(math.log2(resolution)) - 2
        layers: list[nn.Module] = []
        c_in = 3
        for i in range(n_stages):
            c = min(ch * 2**i, 8 * ch)
            layers += [sn(nn.Conv2d(c_in, c, 4, 2, 1), spectral_norm),
                       nn.LeakyReLU(0.2, inplace=True)]
            c_in = c
        layers.append(sn(nn.Conv2d(c_in, 1, 4), spectral_norm))
        self.net = nn.Sequential(*layers)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        """``(B, 3, R, R) -> (B,)`` logits."""
        r = self.resolution
        check_tensor(frames, "frames", ("B", 3, r, r))
        return self.net(frames).flatten()  # (B, 1, 1, 1) -> (B,)


def random_frames(video: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """One random frame of each video: ``(B, C, T, H, W) -> (B, C, H, W)`` (what DI sees)."""
    check_tensor(video, "video", ("B", "C", "T", "H", "W"))
    b, t = video.shape[0], video.shape[2]
    idx = torch.randint(t, (b,), generator=generator, device=generator.device
                        if generator is not None else video.device)
    return video[torch.arange(b, device=video.device), :, idx.to(video.device)]  # (B, C, H, W)


def di_frames(video: torch.Tensor, generator: torch.Generator | None = None,
              edges: bool = False) -> torch.Tensor:
    """What DI judges: one random frame of each video, ``(B, C, T, H, W) -> (B, C, H, W)``,
    and with ``edges`` also every video's first and last frame, ``-> (3, B, C, H, W)``
    stacked as ``(3B, C, H, W)`` (random, first, last). The random draw is the same either
    way, so ``edges=False`` is :func:`random_frames` exactly.

    ``edges`` is a departure (config key ``di_edge_frames``): DV's unpadded time convs reach
    the first and last frames through few paths, so those frames get little of G's gradient
    and can wash out; DI judging them every step gives them a frame-level realism gradient of
    their own, without changing DV."""
    frames = random_frames(video, generator)  # (B, C, H, W)
    if not edges:
        return frames
    return torch.cat([frames, video[:, :, 0], video[:, :, -1]])  # (3B, C, H, W)

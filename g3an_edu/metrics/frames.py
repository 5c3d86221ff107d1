"""Frames that break from their video: the washed-out last frame, measured.

A video's frames share one background and one figure, so their mean brightness barely moves
over time (real synthetic videos: at most 0.02 apart, in the ``[-1, 1]`` pixel scale). A
*washed-out* frame is much brighter (or darker) than the rest of its own video. For videos
``x`` of shape ``(B, C, T, H, W)``, with ``b_t`` the mean of frame ``t`` over ``(C, H, W)``:

    outlier(t) = |b_t - median_s b_s| > threshold        (per video)
    washed_out_fraction = mean over videos of  [any t: outlier(t)]

``threshold = 0.15`` (7.5 % of the pixel range) is seven times the real data's largest
deviation; the shipped ``g3an-tiny`` has 25 % of its videos over it, all at the last frame
(seed 0, n = 256). The per-frame fractions (``outlier_fraction_by_frame``) say *where* in
time the outliers are: a DV that sees the edge frames through few paths (unpadded time
convolutions, ``dv_time_padding``) predicts them at the first and last frames.

A frame can also break in colour while its brightness holds (one channel up, another down:
the shipped model's broken last frames turn from white-cyan to green when its BatchNorm
statistics are recalibrated, :mod:`g3an_edu.batchnorm_statistics`). With ``m_{c,t}`` the
mean of channel ``c`` of frame ``t``,

    colour_outlier(t) = max_c |m_{c,t} - median_s m_{c,s}| > threshold

(real data: at most 0.04 apart). Every brightness outlier is a colour outlier (a mean over
channels moves no more than its largest channel), so ``colour_outlier_fraction`` ≥
``washed_out_fraction``.

A frame can break without changing its means at all: in small generators the figure of the
last frame can dissolve into noise on an unchanged background. What shows it is the jump
*into* that frame: with ``j_t = mean_{c,h,w} |x_t - x_{t-1}|`` (``t = 1 … T-1``),

    jump_ratio(t) = j_t / max(median_s j_s, 0.01)

is about 1 for every frame of a smooth, moving video, and large where one frame breaks from
its neighbours. Real data: 0.80–0.86 at every ``t`` on average over videos (below 1 because
nearly still videos divide by the floor), at most 2.7 in any video.
``jump_ratio_by_frame`` is its mean over videos (``T - 1`` values, for frames 1 … T-1) and
``last_jump_ratio`` the value at the last frame; the floor 0.01 (a third of the real data's
typical ``j``) keeps a still video from dividing by almost nothing.
"""

from __future__ import annotations

import torch

THRESHOLD = 0.15  # in the [-1, 1] pixel scale; real data stays within 0.02
JUMP_FLOOR = 0.01  # the least median frame-to-frame change a jump ratio divides by


def frame_brightness(videos: torch.Tensor) -> torch.Tensor:
    """Mean brightness of every frame: ``(B, C, T, H, W)`` → ``(B, T)``."""
    if videos.dim() != 5:
        raise ValueError(f"expected videos (B, C, T, H, W), got shape {tuple(videos.shape)}.")
    return videos.float().mean((1, 3, 4))  # (B, T)


def frame_outliers(videos: torch.Tensor, threshold: float = THRESHOLD) -> dict:
    """``washed_out_fraction`` (share of videos with an outlier frame) and
    ``outlier_fraction_by_frame`` (share of videos whose frame ``t`` is one), for videos
    ``(B, C, T, H, W)`` in ``[-1, 1]``; the same for colour outliers
    (``colour_outlier_fraction``, ``colour_outlier_fraction_by_frame``); and the mean
    brightness per frame."""
    b = frame_brightness(videos)  # (B, T)
    outlier = (b - b.median(dim=1, keepdim=True).values).abs() > threshold  # (B, T)
    m = videos.float().mean((3, 4))  # (B, C, T): each channel's frame means
    colour = ((m - m.median(dim=2, keepdim=True).values).abs().amax(dim=1)
              > threshold)  # (B, T)
    return {"washed_out_fraction": outlier.any(dim=1).float().mean().item(),
            "outlier_fraction_by_frame": outlier.float().mean(dim=0).tolist(),
            "colour_outlier_fraction": colour.any(dim=1).float().mean().item(),
            "colour_outlier_fraction_by_frame": colour.float().mean(dim=0).tolist(),
            **jump_ratios(videos),
            "brightness_by_frame": b.mean(dim=0).tolist()}


def jump_ratios(videos: torch.Tensor) -> dict:
    """``jump_ratio_by_frame`` (``T - 1`` values, frames 1 … T-1) and ``last_jump_ratio`` of
    videos ``(B, C, T, H, W)``, ``T ≥ 2``: each frame's change from the one before over its
    video's median change (module docstring)."""
    if videos.shape[2] < 2:
        raise ValueError(f"jump ratios need videos of at least 2 frames, got T = "
                         f"{videos.shape[2]} in shape {tuple(videos.shape)}.")
    j = (videos[:, :, 1:] - videos[:, :, :-1]).float().abs().mean((1, 3, 4))  # (B, T-1)
    ratio = j / j.median(dim=1, keepdim=True).values.clamp_min(JUMP_FLOOR)  # (B, T-1)
    by_frame = ratio.mean(dim=0)  # (T-1,)
    return {"jump_ratio_by_frame": by_frame.tolist(), "last_jump_ratio": by_frame[-1].item()}


@torch.no_grad()
def generator_frame_outliers(g: torch.nn.Module, length: int, n: int = 256, seed: int = 0,
                             batch: int = 64, threshold: float = THRESHOLD) -> dict:
    """:func:`frame_outliers` of ``n`` videos of ``g`` from noise seeded by ``seed`` (the
    caller's RNG untouched)."""
    rng = torch.Generator().manual_seed(seed)
    device = next(g.parameters()).device
    videos = [g(*(z.to(device) for z in g.sample_noise(min(batch, n - i), length,
                                                        generator=rng))).cpu()
              for i in range(0, n, batch)]
    return frame_outliers(torch.cat(videos), threshold)

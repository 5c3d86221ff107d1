"""Checks for the exercises of notebook 04 (the generator).

The references are the package's: ``frames_for_length`` and the generator itself (the
inputs its first G3 module receives, captured with a forward pre-hook).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..generator import Generator, frames_for_length
from . import check_tensor_close, fail, passed, unwrap_scalar


def check_ex1(num_frames: Callable) -> None:
    """Exercise 1: ``num_frames(L) -> T`` for several motion lengths."""
    name = "Exercise 1 (frames from L)"
    for length in (1, 2, 3, 5, 10):
        got, want = num_frames(length), frames_for_length(length)
        got = unwrap_scalar(got)
        if got != want:
            fail(name, f"num_frames({length}) is {got}, expected {want}",
                 "block 1 (k_t=4, s_t=1, p_t=0) gives L+3 steps; blocks 2 and 3 "
                 "(k_t=4, s_t=2, p_t=1) each double them; blocks 4 and 5 keep time.")
    passed(name)


def _first_block_inputs(z_a: torch.Tensor, z_m: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """What ``g3an_edu.Generator`` feeds its first G3 module: ``(h_s, h_v, h_t)``."""
    g = Generator(ch=1, attention=False, resolution=32, spectral_norm=False).eval()
    captured: list[tuple[torch.Tensor, ...]] = []
    hook = g.blocks[0].register_forward_pre_hook(lambda _, args: captured.append(args))
    with torch.no_grad():
        g(z_a, z_m)
    hook.remove()
    return captured[0]


def check_ex2(make_streams: Callable) -> None:
    """Exercise 2: ``make_streams(z_a (B,128), z_m (B,10,L)) -> (h_s, h_v, h_t)``."""
    name = "Exercise 2 (stream inputs)"
    g = torch.Generator().manual_seed(4)
    z_a, z_m = torch.randn(2, 128, generator=g), torch.randn(2, 10, 3, generator=g)
    got = make_streams(z_a, z_m)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(name, f"expected a tuple (h_s, h_v, h_t), got {type(got).__name__}"
             + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""))
    want = _first_block_inputs(z_a, z_m)
    hints = ("h_s = z_a with three singleton axes: z_a[:, :, None, None, None].",
             "h_v = concat over channels of z_a expanded to L steps, then z_m: "
             "(B, 128 + 10, L, 1, 1), appearance first.",
             "h_t = z_m with two singleton axes: z_m[:, :, :, None, None].")
    for label, g_, w, hint in zip(("h_s", "h_v", "h_t"), got, want, hints, strict=True):
        check_tensor_close(f"{name}, {label}", g_, w, hint=hint, atol=0, rtol=0)


def check_ex3(video_to_strip: Callable) -> None:
    """Exercise 3: ``video_to_strip(video (3, T, H, W) in [-1, 1]) -> (H, T·W, 3)`` in [0, 1]."""
    name = "Exercise 3 (frame strip)"
    g = torch.Generator().manual_seed(5)
    video = (1.2 * torch.randn(3, 4, 5, 6, generator=g)).clamp(-1, 1) * 0.8  # (3, T, H, W)
    want = ((video + 1) / 2).clamp(0, 1)  # (3, T, H, W)
    want = torch.cat([want[:, t].permute(1, 2, 0) for t in range(video.shape[1])], dim=1)
    got = video_to_strip(video.clone())
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        lo, hi = video.min(), video.max()
        stretched = (video - lo) / (hi - lo)
        stretched = torch.cat([stretched[:, t].permute(1, 2, 0) for t in range(4)], dim=1)
        if torch.allclose(got.float(), stretched, atol=1e-5):
            fail(name, "the values are stretched by the video's own min and max",
                 "use the fixed mapping (x + 1) / 2: min/max hides brightness errors.")
    check_tensor_close(name, got, want,
                       hint="(x + 1) / 2, then frame t goes to columns t·W ... (t+1)·W - 1: "
                            "permute to (H, T, W, 3) before reshaping to (H, T·W, 3).")

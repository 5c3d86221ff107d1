"""Checks for the exercises of ``00_tour``.

1. ``n_frames(L)``: how many frames the generator makes from ``L`` motion steps.
2. ``to_frames(video)``: a video ``(3, T, H, W)`` in [-1, 1] as images ``(T, H, W, 3)`` in [0, 1].
3. ``count_parameters(module)``: the number of trainable parameters of a module.

Each check compares the answer with the package or PyTorch (never a hard-coded number).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn as nn

from ..generator import Generator
from . import check_tensor_close, fail, passed, unwrap_scalar


def check_ex1(n_frames: Callable[[int], int]) -> None:
    """``n_frames(L)`` must equal the time length of a real generator's output."""
    name = "Exercise 1 (frames from motion length)"
    torch.manual_seed(0)
    g = Generator(ch=2, resolution=32, attention=False).eval()
    for length in (1, 2, 5):
        with torch.no_grad():
            want = g(*g.sample_noise(1, length)).shape[2]
        got = n_frames(length)
        if got != want:
            fail(name, f"n_frames({length}) returned {got!r}; the generator makes {want} frames "
                       f"from a motion sequence of length {length}.",
                 "block 1 (kernel 4, stride 1, no padding) turns L steps into L + 3; blocks 2 "
                 "and 3 each double time.")
    passed(name)


def check_ex2(to_frames: Callable[[torch.Tensor], torch.Tensor]) -> None:
    """``to_frames(video (3, T, H, W) in [-1, 1]) -> (T, H, W, 3) in [0, 1]``."""
    name = "Exercise 2 (video to frames)"
    gen = torch.Generator().manual_seed(3)
    video = (torch.rand(3, 4, 5, 6, generator=gen) * 1.6 - 0.8)  # never reaches -1 or 1
    want = (video.permute(1, 2, 3, 0) + 1) / 2  # (T, H, W, 3)
    got = to_frames(video.clone())
    hint = ("move the channel axis last (permute(1, 2, 3, 0)) and map [-1, 1] to [0, 1] with "
            "(x + 1) / 2 for every video alike (not by the video's own min and max, which "
            "hides brightness errors).")
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        stretched = (want - want.min()) / (want.max() - want.min())
        if torch.allclose(got, stretched, atol=1e-5):
            fail(name, "the values are stretched by the video's own min and max.", hint)
    check_tensor_close(name, got, want, hint)


def check_ex3(count_parameters: Callable[[nn.Module], int]) -> None:
    """``count_parameters(module)`` vs the sum of the sizes of its trainable parameters."""
    name = "Exercise 3 (count parameters)"
    frozen = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    frozen[2].weight.requires_grad_(False)
    for module in (nn.Conv3d(3, 5, (1, 3, 3)), Generator(ch=4, resolution=32), frozen):
        want = sum(p.numel() for p in module.parameters() if p.requires_grad)
        got = count_parameters(module)
        got = unwrap_scalar(got)
        if got != want:
            fail(name, f"for {type(module).__name__} got {got!r}, expected {want}.",
                 "sum p.numel() over module.parameters() with p.requires_grad; buffers (such "
                 "as BatchNorm's running mean) are not parameters.")
    passed(name)

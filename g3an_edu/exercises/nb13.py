"""Checks for the exercises of notebook 13 (your own videos: frame rate, range, crop).

References: the step that makes a clip of ``frames`` frames span a given time (a clip spans
``frames - 1`` gaps), ``VideoFolder``'s own pixel scaling (``resize_crop``) and its centre
crop, run on a frame whose pixels hold their column index.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..data.video_folder import resize_crop
from . import check_tensor_close, fail, passed, unwrap_scalar


def reference_step_for(fps: float, seconds: float, frames: int = 16) -> int:
    """The whole step (≥ 1) whose clip of ``frames`` frames spans closest to ``seconds``."""
    return max(1, round(seconds * fps / (frames - 1)))


def check_ex1(step_for: Callable) -> None:
    """Exercise 1: ``step_for(fps, seconds, frames=16) -> int``."""
    name = "Exercise 1 (step for a frame rate)"
    hint = ("a clip of F frames taken every s frames spans (F - 1)·s frames, i.e. "
            "(F - 1)·s / fps seconds: s = round(seconds · fps / (F - 1)), at least 1.")
    cases = ((25, 1.2, 16), (50, 1.2, 16), (30, 0.9, 16), (100, 0.9, 16), (25, 0.1, 16),
             (24, 2.0, 9), (60, 0.55, 16))
    for fps, seconds, frames in cases:
        want = reference_step_for(fps, seconds, frames)
        got = unwrap_scalar(step_for(fps, seconds, frames))
        what = f"step_for({fps}, {seconds}, {frames})"
        if isinstance(got, float) and got.is_integer():
            got = int(got)
        if not isinstance(got, int) or isinstance(got, bool):
            fail(name, f"{what} returned {got!r}: a step is a whole number of frames", hint)
        if got == want:
            continue
        if got == max(1, round(seconds * fps / frames)):
            fail(name, f"{what} = {got}, expected {want}: a clip of {frames} frames has "
                       f"{frames - 1} gaps between them, not {frames}", hint)
        if got == max(1, int(seconds * fps / (frames - 1))):
            fail(name, f"{what} = {got}, expected {want}: round to the nearest step, do not "
                       "truncate", hint)
        if got == 0 or got < 1:
            fail(name, f"{what} = {got}: the step must be at least 1", hint)
        fail(name, f"{what} = {got}, expected {want}", hint)
    passed(name)


def check_ex2(to_model_range: Callable) -> None:
    """Exercise 2: ``to_model_range(uint8 (T, H, W, 3)) -> float (3, T, H, W) in [-1, 1]``."""
    name = "Exercise 2 (pixels to the model's range)"
    hint = "x / 127.5 - 1 in float (0 -> -1, 255 -> 1), then permute (T, H, W, 3) -> (3, T, H, W)."
    g = torch.Generator().manual_seed(13)
    frames = torch.randint(0, 256, (5, 6, 7, 3), generator=g, dtype=torch.uint8)
    frames[0, 0, 0] = 0
    frames[0, 0, 1] = 255
    got = to_model_range(frames.clone())
    want = frames.permute(3, 0, 1, 2).float() / 127.5 - 1  # (3, T, H, W)
    if not isinstance(got, torch.Tensor):
        fail(name, f"expected a tensor, got {type(got).__name__}", hint)
    if tuple(got.shape) == tuple(frames.shape):
        fail(name, f"shape {tuple(got.shape)}: still (T, H, W, 3); the models want "
                   "(3, T, H, W)", hint)
    if not got.is_floating_point():
        fail(name, f"dtype {got.dtype}: uint8 arithmetic wraps around (and cannot hold "
                   "negative values); convert to float first", hint)
    if tuple(got.shape) == tuple(want.shape):
        g_min, g_max = got.min().item(), got.max().item()
        if abs(g_min) < 1e-6 and abs(g_max - 1) < 1e-6:
            fail(name, f"values in [{g_min:.3f}, {g_max:.3f}]: that is x / 255, in [0, 1]; "
                       "the generator's tanh output is in [-1, 1]", hint)
        if abs(g_min + 1) < 1e-6 and abs(g_max - 1) > 1e-4:
            fail(name, f"255 maps to {g_max:.4f}, not 1: divide by 127.5 (255 / 2)", hint)
    check_tensor_close(name, got, want, hint, atol=1e-6, rtol=0)
    # and it must agree with VideoFolder's own scaling (no resize at size = H = W)
    square = frames[:, :6, :6]  # (T, 6, 6, 3)
    same = resize_crop(square, 6)
    if not torch.allclose(to_model_range(square.clone()).float(), same, atol=1e-6):
        fail(name, "your scaling differs from VideoFolder's (resize_crop)", hint)


def reference_kept_columns(h: int, w: int) -> tuple[int, int]:
    """First and last original column kept by ``resize_crop`` at ``size = h``, measured."""
    if w > 255:
        raise ValueError("the reference encodes columns in 8 bits: w must be ≤ 255")
    columns = torch.arange(w, dtype=torch.uint8)  # (W,)
    frame = columns[None, None, :, None].expand(1, h, w, 3).contiguous()  # (1, H, W, 3)
    kept = (resize_crop(frame, h)[0, 0, 0] + 1) * 127.5  # (h,) column index of each kept column
    kept = kept.round().long()
    return int(kept[0]), int(kept[-1])


def check_ex3(kept_columns: Callable) -> None:
    """Exercise 3: ``kept_columns(h, w) -> (first, last)`` original columns kept."""
    name = "Exercise 3 (what the centre crop keeps)"
    hint = ("the crop keeps h columns starting at left = (w - h) // 2: columns left … "
            "left + h - 1.")
    for h, w in ((64, 128), (48, 64), (10, 21), (16, 16), (30, 35)):
        want = reference_kept_columns(h, w)
        got = kept_columns(h, w)
        try:
            got = tuple(int(unwrap_scalar(x)) for x in got)
        except (TypeError, ValueError):
            fail(name, f"kept_columns({h}, {w}) returned {got!r}: expected a pair of ints", hint)
        if len(got) != 2:
            fail(name, f"kept_columns({h}, {w}) returned {len(got)} values: expected "
                       "(first, last)", hint)
        if got == want:
            continue
        if got == (0, h - 1) and want != got:
            fail(name, f"kept_columns({h}, {w}) = {got}: that is a crop from the left; "
                       "VideoFolder crops the centre", hint)
        if got == (want[0], want[0] + h):
            fail(name, f"kept_columns({h}, {w}) = {got}: the last column is included, so "
                       "it is first + h - 1", hint)
        if got[0] == -(-(w - h) // 2):
            fail(name, f"kept_columns({h}, {w}) = {got}, expected {want}: when w - h is odd, "
                       "the crop starts at (w - h) // 2 (rounded down)", hint)
        fail(name, f"kept_columns({h}, {w}) = {got}, expected {want}", hint)
    passed(name)

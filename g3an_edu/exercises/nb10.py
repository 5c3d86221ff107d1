"""Checks for the exercises of notebook 10 (G3AN against MoCoGAN).

Each check runs the student's function on inputs chosen so that the usual mistakes give a
different answer, and names the mistake; exercise 3 is checked against a real
``MoCoGANGenerator``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn as nn

from ..baselines import MoCoGANGenerator
from . import check_tensor_close, fail, passed, unwrap_scalar


def check_ex1(gru_parameters: Callable) -> None:
    """Exercise 1: ``gru_parameters(n_in, n_hidden) -> int``, the parameters of
    ``nn.GRUCell(n_in, n_hidden)``."""
    name = "Exercise 1 (a GRU cell's parameters)"
    hint = ("three gates (reset, update, candidate), each with an input matrix (H × I), a state "
            "matrix (H × H) and two bias vectors (b_i and b_h, H each).")
    for n_in, n_hidden in ((10, 10), (7, 3), (138, 20)):
        got = unwrap_scalar(gru_parameters(n_in, n_hidden))
        if not isinstance(got, int) or isinstance(got, bool):
            fail(name, f"expected an int, got {type(got).__name__}", hint)
        want = sum(p.numel() for p in nn.GRUCell(n_in, n_hidden).parameters())
        if got == want:
            continue
        h, i = n_hidden, n_in
        mistakes = {
            4 * (h * i + h * h + 2 * h): "that is an LSTM cell: four gates (i, f, g, o); a GRU "
                                         "has three",
            3 * (h * i + h * h + h): "one bias per gate: PyTorch's GRU keeps two (b_i and b_h; "
                                     "b_hn sits inside r ⊙ (W_hn h + b_hn), so it cannot merge "
                                     "with b_in)",
            3 * (h * i + h * h): "the biases are missing",
            3 * (h * i + 2 * h): "the state matrices W_h (H × H) are missing",
            h * i + h * h + 2 * h: "one gate only: a GRU has three",
        }
        if got in mistakes:
            fail(name, f"gru_parameters({n_in}, {n_hidden}) = {got}: {mistakes[got]}", hint)
        fail(name, f"gru_parameters({n_in}, {n_hidden}) = {got}, expected {want}", hint)
    passed(name)


def check_ex2(to_video: Callable) -> None:
    """Exercise 2: ``to_video(frames (B·T, 3, R, R), b, t) -> (B, 3, T, R, R)`` for frames in
    video-major order (video 0's T frames first)."""
    name = "Exercise 2 (frames back into videos)"
    hint = ("the frames are ordered (video, time): reshape to (B, T, 3, R, R) first, then "
            "move the channels before time with permute(0, 2, 1, 3, 4).")
    b, t, r = 3, 5, 4
    video = torch.arange(b * 3 * t * r * r, dtype=torch.float32).reshape(b, 3, t, r, r)
    frames = video.permute(0, 2, 1, 3, 4).reshape(b * t, 3, r, r)  # (B·T, 3, R, R)
    got = to_video(frames, b, t)
    if not isinstance(got, torch.Tensor):
        fail(name, f"expected a tensor, got {type(got).__name__}", hint)
    if tuple(got.shape) == (b, 3, t, r, r) and not torch.equal(got, video):
        if torch.equal(got, frames.reshape(b, 3, t, r, r)):
            fail(name, "this is the buggy reshape: it reads (frame 0's channels, frame 1's "
                       "channels, …) as if they were (channel 0's frames, …)", hint)
        if torch.equal(got, frames.reshape(t, b, 3, r, r).permute(1, 2, 0, 3, 4)):
            fail(name, "you read the frames as time-major (frame 0 of every video first), but "
                       "they come video-major", hint)
    check_tensor_close(name, got, video, hint, atol=0, rtol=0)


def check_ex3(changed_frames: Callable) -> None:
    """Exercise 3: ``changed_frames(n_frames, t0) -> list[int]``, the frames of a MoCoGAN
    video that change when only the noise of frame ``t0`` changes; checked on a real
    ``MoCoGANGenerator``."""
    name = "Exercise 3 (which frames does new noise change?)"
    hint = ("z_M(t) = h_t, and h_t = GRU(ε(t), h_{t−1}): the new ε(t0) enters h_t0 and is "
            "carried forward by the state; no frame before t0 can see it.")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        g = MoCoGANGenerator(dim_za=8, dim_zm=4, ch=4, resolution=32, spectral_norm=False).eval()
    rng = torch.Generator().manual_seed(1)
    z_a, eps = g.sample_noise(1, 1, generator=rng)  # (1, 8), (1, 4, 16)
    n_frames = eps.shape[2]
    for t0 in (0, 6, n_frames - 1):
        other = eps.clone()
        other[:, :, t0] = torch.randn(1, 4, generator=rng)
        with torch.no_grad():
            diff = (g(z_a, eps) - g(z_a, other)).abs().amax((0, 1, 3, 4))  # (T,)
        want = [t for t in range(n_frames) if diff[t] > 0]
        got = changed_frames(n_frames, t0)
        if not isinstance(got, (list, tuple)):
            fail(name, f"expected a list of frame indices, got {type(got).__name__}", hint)
        got = sorted(int(x) for x in got)
        if got == want:
            continue
        if got == [t0]:
            fail(name, f"for t0 = {t0} you say only frame {t0} changes, but the GRU's state "
                       f"carries the new noise on: frames {want[0]}–{want[-1]} change", hint)
        if got == list(range(n_frames)):
            fail(name, f"for t0 = {t0} you say every frame changes, but frames before t0 "
                       "never see ε(t0): MoCoGAN is causal", hint)
        fail(name, f"for t0 = {t0} you return {got}, the generator changes {want}", hint)
    passed(name)

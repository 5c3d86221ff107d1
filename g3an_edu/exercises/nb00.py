"""Checks for the exercises of ``00_tour``.

1. ``n_frames(L)``: how many frames the generator makes from ``L`` motion steps.
2. ``a, b, c``: predicted display values of a mid-grey pixel under the course's mapping and under
   the authors' whole-batch min/max rescaling (``demo_random.py``, ``demo_nxm.py``).
3. ``count_parameters(module)``: the number of trainable parameters of a module, and
   ``to_rgb_params``: the parameters of the paper's ``to_rgb`` predicted by hand.

Each check compares the answer with the package or PyTorch (never a hard-coded number).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn as nn

from ..generator import Generator
from . import fail, passed, unwrap_scalar


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


def check_ex2(a: float, b: float, c: float) -> None:
    """Predicted display values of a 0.0 pixel: ``a`` course mapping, ``b`` authors' batch
    min/max over a batch of two, ``c`` authors' min/max of that video alone."""
    name = "Exercise 2 (what the screen shows)"
    # the batch of the exercise: video 0 spans [-0.04, 0.02], video 1 spans [-0.9, 0.6]
    v0 = torch.tensor([-0.04, 0.0, 0.02])
    v1 = torch.tensor([-0.9, 0.1, 0.6])
    batch = torch.stack([v0, v1])  # (B=2, values)
    want_a = ((v0[1] + 1) / 2).item()  # the course: (v + 1) / 2 for every video alike
    want_b = ((v0[1] - batch.min()) / (batch.max() - batch.min())).item()  # authors, batch
    want_c = ((v0[1] - v0.min()) / (v0.max() - v0.min())).item()  # authors, batch of one
    answers = {"a": unwrap_scalar(a), "b": unwrap_scalar(b), "c": unwrap_scalar(c)}
    for key, value in answers.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(name, f"{key} should be a number in [0, 1], got {value!r}.")
    hint = ("the course: (v + 1) / 2; the authors: (v - v.min()) / (v.max() - v.min()) where "
            "min and max run over the whole batch they are given.")
    if not math.isclose(answers["a"], want_a, abs_tol=1e-3):
        fail(name, f"a = {answers['a']:.3f}; the course's (v + 1) / 2 maps 0.0 to {want_a:.3f}.",
             hint)
    for key, want in (("b", want_b), ("c", want_c)):
        got = answers[key]
        if math.isclose(got, want, abs_tol=1e-3):
            continue
        if math.isclose(got, want_a, abs_tol=1e-3):
            fail(name, f"{key} = {got:.3f} is what (v + 1) / 2 gives; the authors' demos stretch "
                       "by the batch's own minimum and maximum instead.", hint)
        other = want_c if key == "b" else want_b
        if math.isclose(got, other, abs_tol=1e-3):
            fail(name, f"{key} = {got:.3f} uses the min and max of the wrong batch: for b the "
                       "batch holds both videos (min -0.9, max 0.6), for c only video 0 (min "
                       "-0.04, max 0.02).", hint)
        fail(name, f"{key} = {got:.3f} is not what the authors' rescaling shows.", hint)
    print(f"   a pixel that is mid-grey (0.0) shows as {want_a:.2f} for us, {want_b:.2f} next to "
          f"a bright video, {want_c:.2f} alone: the untrained generator's "
          f"{(v0.max() - v0.min()).item():.2f}-wide range is stretched to full contrast.")
    passed(name)


def check_ex3(count_parameters: Callable[[nn.Module], int], to_rgb_params: int) -> None:
    """``count_parameters(module)`` vs the trainable parameters; ``to_rgb_params`` vs the
    paper generator's ``to_rgb`` at ``ch = 64`` (built on the meta device: no memory)."""
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
    with torch.device("meta"):
        paper = Generator(ch=64)
    want = sum(p.numel() for p in paper.to_rgb.parameters())
    got = unwrap_scalar(to_rgb_params)
    c_in = paper.to_rgb.in_channels
    known = {c_in * 3 * 9: "the 3 biases (one per output colour) are missing.",
             64 * 3 * 9 + 3: f"the last fused video stream has 2·ch = {c_in} channels, not ch.",
             c_in * 3 * 27 + 3: "the kernel is 1 × 3 × 3 (one frame), not 3 × 3 × 3."}
    if isinstance(got, bool) or got != want:
        reason = known.get(got, f"expected {want}.") if isinstance(got, int) else \
            f"expected an int, got {type(got).__name__}."
        fail(name, f"to_rgb_params = {got!r}: {reason}",
             "a Conv3d has C_in · C_out · kT · kH · kW weights and C_out biases.")
    passed(name)

"""Checks for the exercises of notebook 11 (training at full size: memory and time).

References: the trainer's fixed state (fp32 weights, gradients and Adam's two moments of G
and the discriminators, plus the EMA copy of G), the largest batch that fits when every GPU
holds the whole state and its share of the activations, and a run's remaining time from its
logged seconds per step without the warm-up line.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable

from . import check_number, fail, passed, unwrap_scalar


def reference_state_bytes(n_g: int, n_d: int) -> int:
    """Weights, gradients and two Adam moments in fp32 for G and D, plus the EMA of G."""
    return 16 * (n_g + n_d) + 4 * n_g


def reference_largest_global_batch(gpu_bytes: float, state_bytes: float,
                                   per_video_bytes: float, world: int) -> int:
    """``world`` × the videos one GPU holds after the whole training state."""
    return world * int((gpu_bytes - state_bytes) // per_video_bytes)


def reference_hours_left(metrics: dict, target_step: int) -> float:
    """Median seconds per step of every logged line but the first × steps left, in hours."""
    sec = statistics.median(metrics["sec_per_step"][1:])
    return sec * (target_step - metrics["step"][-1]) / 3600


def _number(name: str, value: object, hint: str) -> float:
    value = unwrap_scalar(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(name, f"expected a number, got {type(value).__name__}", hint)
    return float(value)


def check_ex1(training_state_bytes: Callable) -> None:
    """Exercise 1: ``training_state_bytes(n_g, n_d) -> bytes``."""
    name = "Exercise 1 (training state)"
    hint = ("per parameter of G and D: the fp32 weight (4 bytes), its gradient (4) and Adam's "
            "two moments (4 + 4); plus the EMA copy of G (4 bytes per generator parameter).")
    for n_g, n_d in ((23_090_437, 11_111_746), (1000, 0), (0, 1000)):
        want = reference_state_bytes(n_g, n_d)
        got = _number(name, training_state_bytes(n_g, n_d), hint)
        n = n_g + n_d
        for value, what in (
            (16 * n, "you left out the EMA copy of G"),
            (20 * n, "the EMA copies only G, not the discriminators"),
            (12 * n + 4 * n_g, "you left out the gradients or one of Adam's two moments"),
            (8 * n + 4 * n_g, "you left out Adam's moments (two fp32 tensors per parameter)"),
            (8 * n + 2 * n_g, "you counted 2 bytes (bf16) per number: the trainer keeps "
             "weights, gradients and Adam's moments in fp32 (autocast only affects "
             "activations)"),
        ):
            if got != want and math.isclose(got, value):
                fail(name, f"{what} (got {got:.0f} for n_g={n_g}, n_d={n_d}, expected "
                           f"{want})", hint)
        check_number(f"{name}, n_g={n_g}, n_d={n_d}", got, want, hint, rel=1e-9)


def check_ex2(largest_global_batch: Callable) -> None:
    """Exercise 2: ``largest_global_batch(gpu_bytes, state_bytes, per_video_bytes, world)``."""
    name = "Exercise 2 (largest batch)"
    hint = ("each GPU: (gpu_bytes - state_bytes) // per_video_bytes videos (the whole state "
            "is on every GPU); the global batch is world times that.")
    gib = 2**30
    cases = ((80 * gib, 0.64 * gib, 0.37 * gib, 1), (16 * gib, 0.64 * gib, 0.37 * gib, 4),
             (40 * gib, 2.5 * gib, 1.3 * gib, 8), (10 * gib, 1 * gib, 3 * gib, 2))
    for gpu, state, per_video, world in cases:
        want = reference_largest_global_batch(gpu, state, per_video, world)
        got = _number(name, largest_global_batch(gpu, state, per_video, world), hint)
        args = f"gpu {gpu / gib:g} GiB, state {state / gib:g} GiB, {per_video / gib:g} " \
               f"GiB/video, world {world}"
        if got != int(got):
            fail(name, f"got {got} ({args}): a batch is a whole number of videos", hint)
        if got == want:
            continue
        per_gpu = (gpu - state) // per_video
        if world > 1 and got == per_gpu:
            fail(name, f"got {got} ({args}): that is one GPU's share; the global batch is "
                       "world times that", hint)
        if got == int((world * gpu - state) // per_video):
            fail(name, f"got {got} ({args}): you subtracted the state once for all GPUs; "
                       "each GPU holds its own copy of it", hint)
        if got == int(gpu // per_video) * world or got == int(gpu // per_video):
            fail(name, f"got {got} ({args}): the training state takes memory too", hint)
        if got == int(world * (gpu - state) / per_video):
            fail(name, f"got {got} ({args}): round down per GPU, then multiply: every GPU "
                       "gets the same whole number of videos", hint)
        fail(name, f"got {got}, expected {want} ({args})", hint)
    passed(name)


def check_ex3(hours_left: Callable) -> None:
    """Exercise 3: ``hours_left(metrics, target_step) -> hours``."""
    name = "Exercise 3 (time left)"
    hint = ("median of metrics['sec_per_step'][1:] (the first line holds the warm-up), times "
            "the steps still to do, target_step - metrics['step'][-1], divided by 3600.")
    metrics = {"step": [50, 100, 150, 200, 250, 300],
               "sec_per_step": [9.0, 0.21, 0.20, 0.35, 0.19, 0.20]}  # 9 s: compile, 0.35: a hiccup
    target = 100_000
    want = reference_hours_left(metrics, target)
    got = _number(name, hours_left({k: list(v) for k, v in metrics.items()}, target), hint)
    secs = metrics["sec_per_step"]
    left = target - metrics["step"][-1]
    for value, what in (
        (statistics.median(secs) * left / 3600, "you kept the first line (the warm-up)"),
        (statistics.mean(secs[1:]) * left / 3600, "that is the mean; use the median, which "
         "one slow line (0.35 s here) does not pull"),
        (statistics.mean(secs) * left / 3600, "that is the mean of all lines, warm-up "
         "included"),
        (statistics.median(secs[1:]) * target / 3600, "you counted all target_step steps; "
         f"{metrics['step'][-1]} are already done"),
        (statistics.median(secs[1:]) * left / 60, "that is in minutes; the answer is in hours"),
        (statistics.median(secs[1:]) * left, "that is in seconds; the answer is in hours"),
    ):
        if not math.isclose(got, want, rel_tol=1e-9) and math.isclose(got, value, rel_tol=1e-9):
            fail(name, f"{what} (got {got:.4g}, expected {want:.4g})", hint)
    check_number(name, got, want, hint, rel=1e-9)

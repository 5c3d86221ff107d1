"""Training speed, measured side by side: seconds per step of several variants in one process.

Each variant runs :func:`~g3an_edu.objective.train_step` (G forward once, D step, G step, as
the trainer) on one batch rendered beforehand, after warm-up steps, so it times the model and
not the data. :func:`compare` interleaves the variants in rounds and keeps each one's best
round, so a slower moment of a shared machine hits every variant alike: compare ratios, not
absolute times. ``benchmarks/bench_train.py`` and ``tools/paper_run.py`` use it.
"""

from __future__ import annotations

import time

import torch

from .config import load_config
from .data_source import build_data
from .objective import train_step
from .train import TrainState


def make_runner(name: str, device: torch.device, amp=None, compile_: bool = False,
                overrides: dict | None = None):
    """A function running ``n`` training steps of config ``name`` and returning the seconds."""
    config = load_config(name, overrides or {})
    state = TrainState.create(config, device)
    g, dv, di = state.g, state.dv, state.di
    if compile_:
        g, dv, di = (torch.compile(m) for m in (g, dv, di))
    source = build_data(config)
    real = source.batch(range(config.batch), device=device)["video"]  # (B, 3, T, R, R)
    rng = torch.Generator(device=device).manual_seed(0)

    def run(n: int) -> float:
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(n):
            train_step(g, dv, di, state.opt_g, state.opt_d, real, rng, config.length, amp)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    return config, run


def compare(variants: dict, steps: int, rounds: int = 3, warmup: int = 2) -> dict[str, float]:
    """Best seconds per step of each variant, measured in interleaved rounds."""
    for _, run in variants.values():
        run(warmup)
    best = {name: float("inf") for name in variants}
    for _ in range(rounds):
        for name, (_, run) in variants.items():
            best[name] = min(best[name], run(steps) / steps)
    return best

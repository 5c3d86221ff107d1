"""Training speed, measured side by side: seconds per step of several variants in one process.

Each variant runs :func:`~g3an_edu.objective.train_step` (G forward once, D step, G step, as
the trainer) after warm-up steps. By default on one batch rendered beforehand, so it times
the model and not the data; with ``as_trainer=True`` each step renders its own batch and
updates the EMA as :func:`g3an_edu.train.train` does (with its allocator setting), so it times
what ``g3an-edu train`` does per step. :func:`compare` interleaves the variants in rounds and
keeps each one's best round, so a slower moment of a shared machine hits every variant
alike: compare ratios, not absolute times. ``benchmarks/bench_train.py`` and
``tools/paper_run.py`` use it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

from .allocator import keep_freed_memory
from .config import TrainConfig, config_from_dict, load_config
from .data_source import batch_indices, build_data
from .ema import ema_beta, update_ema
from .objective import amp_dtype, train_step
from .train import TrainState, step_seed


def make_runner(name: str | TrainConfig, device: torch.device, amp=None, compile_: bool = False,
                overrides: dict | None = None,
                as_trainer: bool = False) -> tuple[TrainConfig, Callable[[int], float]]:
    """A function running ``n`` training steps of config ``name`` (a preset, a .toml file or a
    :class:`TrainConfig`) and returning the seconds.

    ``as_trainer``: render each step's batch, seed the step's RNG and update the EMA as the
    trainer does; ``amp`` then defaults to the config's (``amp_dtype``).
    """
    config = (config_from_dict(overrides or {}, base=name) if isinstance(name, TrainConfig)
              else load_config(name, overrides or {}))
    if as_trainer:
        keep_freed_memory()
        amp = amp if amp is not None else amp_dtype(config, device)
    state = TrainState.create(config, device)
    g, dv, di = state.g, state.dv, state.di
    if compile_:
        g, dv, di = (torch.compile(m) for m in (g, dv, di))
    source = build_data(config)
    fixed = source.batch(range(config.batch), device=device)["video"]  # (B, 3, T, R, R)
    rng = torch.Generator(device=device).manual_seed(0)

    def run(n: int) -> float:
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(n):
            real = fixed
            if as_trainer:
                idx = batch_indices(state.step, config.batch, len(source), config.data_seed)
                real = source.batch(idx, device=device)["video"]
                rng.manual_seed(step_seed(config.seed, state.step))
            train_step(g, dv, di, state.opt_g, state.opt_d, real, rng, config.length, amp)
            if as_trainer and state.g_ema is not None:
                update_ema(state.g_ema, state.g, ema_beta(config, state.step))
            state.step += 1
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

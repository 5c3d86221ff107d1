"""Training speed: steps per second of the ``tiny`` and ``cpu`` configs on this machine, and,
with a CUDA GPU, fp32 vs bf16 autocast vs torch.compile on the ``colab`` config.

    python benchmarks/bench_train.py [--steps N] [--gpu-config colab]

Each measurement runs ``train_step`` (G forward once, D step, G step, as the trainer) on a
batch rendered beforehand, after warm-up steps, so it times the model and not the data. The
variants of one comparison run side by side in one process, interleaved in rounds, and the
script prints their ratios.
"""

from __future__ import annotations

import argparse
import time

import torch

from g3an_edu.config import load_config
from g3an_edu.data_source import build_data
from g3an_edu.train import TrainState, train_step


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5, help="timed steps per round")
    parser.add_argument("--gpu-config", default="colab", help="config for the GPU comparison")
    args = parser.parse_args()
    cpu = torch.device("cpu")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name in ("tiny", "cpu"):
        variants = {name: make_runner(name, cpu)}
        sec = compare(variants, args.steps)[name]
        config = variants[name][0]
        print(f"CPU  {name:<6} {config.resolution}x{config.resolution}x{config.frames} "
              f"ch={config.ch} batch={config.batch}: {1 / sec:6.2f} steps/s "
              f"({sec:.3f} s/step, {config.batch / sec:6.1f} videos/s)")
    if not torch.cuda.is_available():
        print("no CUDA GPU: fp32 vs bf16 vs compile not measured")
        return
    gpu = torch.device("cuda")
    variants = {"fp32": make_runner(args.gpu_config, gpu),
                "bf16": make_runner(args.gpu_config, gpu, amp=torch.bfloat16),
                "bf16+compile": make_runner(args.gpu_config, gpu, torch.bfloat16, True)}
    best = compare(variants, args.steps * 4)
    config = variants["fp32"][0]
    print(f"GPU  {torch.cuda.get_device_name(0)}, config {args.gpu_config} "
          f"(ch={config.ch}, batch={config.batch}):")
    for name, sec in best.items():
        print(f"  {name:<13} {1 / sec:6.2f} steps/s  {config.batch / sec:7.1f} videos/s  "
              f"x{best['fp32'] / sec:.2f} vs fp32")


if __name__ == "__main__":
    main()

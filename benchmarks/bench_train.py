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

import torch

from g3an_edu.speed import compare, make_runner


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

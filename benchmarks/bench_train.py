"""Training speed: ``g3an-edu train`` against the authors' eager step, the ``tiny`` and ``cpu``
configs' steps/s, and, with a CUDA GPU, fp32 vs bf16 autocast vs torch.compile.

    python benchmarks/bench_train.py [--steps N] [--rounds N] [--threads N] [--gpu-config colab]

1. **Ours vs the authors** at 64×64×16, ch=16 (G, DV, DI), batch 4, F-SA on: one step of
   ``g3an-edu train`` with its defaults (each step renders its batch, seeds its RNG, trains
   and updates the EMA, as the trainer) against one eager step of the authors' modules
   (``authors_reference.py``, on a batch rendered beforehand). Each runs in its own worker
   process, so each has its own allocator settings (the trainer's ``keep_freed_memory`` is
   process-wide; the authors' code runs with glibc's defaults), and the parent alternates
   them in rounds, one at a time: a slower moment of a shared machine hits both alike.
   Prints both times (best round) and the ratio, and the authors' step once more with our
   allocator setting (a third worker), to show what the rest of our step gains.
2. ``tiny``, ``cpu`` (as the trainer runs them; the ``cpu`` preset's 7000 steps) and the
   64×64 size of 1., each in fp32 (a CPU's default) and with bf16 autocast (``--set
   amp=bf16``) side by side: bf16 pays on CPUs with AMX and is many times slower on CPUs
   without (RESULTS.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import time
import warnings
from pathlib import Path

import torch

from g3an_edu.allocator import keep_freed_memory
from g3an_edu.config import TrainConfig
from g3an_edu.speed import compare, make_runner

SIZE = {"resolution": 64, "ch": 16, "dv_ch": 16, "di_ch": 16, "batch": 4}  # F-SA on (default)


def _authors_reference():
    """``benchmarks/authors_reference.py`` (benchmark-only code, not part of the package),
    loaded from its file without touching ``sys.path``."""
    spec = importlib.util.spec_from_file_location(
        "authors_reference", Path(__file__).with_name("authors_reference.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _worker(kind: str, threads: int, conn) -> None:
    """Build ``kind`` ("ours", "authors" or "authors+alloc": the authors' step with our
    allocator setting) and answer ``n`` with the seconds of ``n`` steps."""
    warnings.filterwarnings("ignore")  # the authors' hook-based spectral_norm is deprecated
    torch.set_num_threads(threads)
    if kind == "authors+alloc":
        keep_freed_memory()
    if kind == "ours":
        _, run = make_runner(TrainConfig(), torch.device("cpu"), overrides=SIZE,
                             as_trainer=True)
    else:
        AuthorsStep = _authors_reference().AuthorsStep  # noqa: N806

        from g3an_edu.data import SyntheticActions

        step = AuthorsStep(ch=SIZE["ch"])
        real = SyntheticActions(size=64, frames=16).batch(range(SIZE["batch"]))["video"]

        def run(n: int) -> float:
            start = time.perf_counter()
            for _ in range(n):
                step(real)
            return time.perf_counter() - start
    conn.send("ready")
    while (n := conn.recv()) is not None:
        conn.send(run(n))


def _cpu_info() -> str:
    try:
        return Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux
        return ""


def _cpu_name() -> str:
    names = [line.split(":", 1)[1].strip() for line in _cpu_info().splitlines()
             if line.startswith("model name")]
    return names[0] if names else "unknown"


def _cpu_has(flag: str) -> bool:
    """Whether the CPU reports ``flag`` (bf16 autocast is fast only with AMX: RESULTS.md)."""
    return any(flag in line.split() for line in _cpu_info().splitlines()
               if line.startswith("flags"))


def ours_vs_authors(steps: int, rounds: int, threads: int) -> dict[str, float]:
    """Best seconds per step of each, measured alternately in three worker processes."""
    ctx = mp.get_context("spawn")
    workers = {}
    for kind in ("ours", "authors", "authors+alloc"):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(kind, threads, child), daemon=True)
        proc.start()
        workers[kind] = (proc, parent)
    for _, conn in workers.values():
        assert conn.recv() == "ready"
    best = {}
    for _, conn in workers.values():  # warm-up
        conn.send(2)
        conn.recv()
    for _ in range(rounds):
        for kind, (_, conn) in workers.items():
            conn.send(steps)
            best[kind] = min(best.get(kind, float("inf")), conn.recv() / steps)
    for proc, conn in workers.values():
        conn.send(None)
        proc.join()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=3, help="timed steps per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--gpu-config", default="colab", help="config for the GPU comparison")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cpu = torch.device("cpu")
    print(f"torch {torch.__version__}, {args.threads} threads")
    best = ours_vs_authors(args.steps, args.rounds, args.threads)
    ours, theirs, theirs_alloc = best["ours"], best["authors"], best["authors+alloc"]
    print(f"64x64x16 ch=16 batch 4 F-SA on: g3an-edu train (defaults) {ours:.3f} s/step, "
          f"authors' eager step {theirs:.3f} s/step: x{theirs / ours:.2f}\n"
          f"  (the authors' step with our allocator setting: {theirs_alloc:.3f} s/step, "
          f"x{theirs_alloc / ours:.2f})", flush=True)
    print(f"CPU: {_cpu_name()}, ISA {torch.backends.cpu.get_cpu_capability()}, "
          f"AMX-BF16: {'yes' if _cpu_has('amx_bf16') else 'no'}")
    configs = {"tiny": ("tiny", {}), "cpu": ("cpu", {}), "64x64": (TrainConfig(), SIZE)}
    for name, (base, size) in configs.items():  # fp32 (a CPU's default) against bf16 autocast
        variants = {"fp32": make_runner(base, cpu, overrides=size, as_trainer=True),
                    "bf16": make_runner(base, cpu, overrides={**size, "amp": "bf16"},
                                        as_trainer=True)}
        best = compare(variants, args.steps * (8 if name == "tiny" else 1), args.rounds)
        config = variants["fp32"][0]
        for amp, sec in best.items():
            extra = f", 7000 steps in {7000 * sec / 60:.0f} min" if name == "cpu" else ""
            print(f"CPU  {name:<6} {amp} {config.resolution}x{config.resolution}x{config.frames} "
                  f"ch={config.ch} batch={config.batch}: {1 / sec:6.2f} steps/s "
                  f"({sec:.3f} s/step, {config.batch / sec:6.1f} videos/s{extra}; "
                  f"x{best['fp32'] / sec:.2f} vs fp32)", flush=True)
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

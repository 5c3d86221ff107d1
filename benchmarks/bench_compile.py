"""``torch.compile`` of the trainer on this machine: cold and warm compile time, compiled
against eager losses, and whether exact resume survives compiling.

    python benchmarks/bench_compile.py [--preset tiny] [--steps 8] [--threads 1]

Every run is ``g3an_edu.train.train`` in its own process (``compile = true`` compiles G, DV
and DI with inductor), from the same config and seed:

1. **cold**: compiled, with an empty inductor cache (a fresh ``TORCHINDUCTOR_CACHE_DIR``):
   the wall time includes compiling from scratch;
2. **warm**: the same run again with that cache filled (what a second run on the machine pays);
3. **eager**: the same run without compiling; the compile cost is ``cold - eager`` and
   ``warm - eager``; the steady step time comes from the runs' own ``sec_per_step``;
4. **resumed**: compiled, stopped at half the steps, then resumed to the end in a new process.

It prints the times, the largest difference between the compiled and the eager losses
(``d_loss``, ``g_loss`` at every logged step), and whether the compiled run's final
checkpoint equals bit for bit the warm rerun's (compiled runs are deterministic) and the
resumed run's (exact resume holds under compile).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from g3an_edu.run_log import read_metrics

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import torch
from g3an_edu.config import load_config
from g3an_edu.train import train
torch.set_num_threads({threads})
config = load_config({preset!r}, {overrides!r})
train(config, {out!r}, steps={stop}, device="cpu", progress=False)
"""


def _run(out: Path, preset: str, overrides: list[str], threads: int, cache: Path,
         stop: int | None = None) -> float:
    """Train in a fresh process; the wall seconds it took."""
    env = {**os.environ, "TORCHINDUCTOR_CACHE_DIR": str(cache), "OMP_NUM_THREADS": str(threads),
           "PYTHONPATH": str(ROOT)}
    code = RUN.format(threads=threads, preset=preset, overrides=overrides, out=str(out),
                      stop=stop)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def _losses(out: Path) -> list[tuple[float, float]]:
    """``(d_loss, g_loss)`` at every logged step of a run."""
    metrics = read_metrics(out)
    return list(zip(metrics["d_loss"], metrics["g_loss"], strict=True))


def _sec_per_step(out: Path) -> float:
    values = read_metrics(out)["sec_per_step"]
    return min(values[1:] or values)  # the first logged window includes the compile


def _same_checkpoint(a: Path, b: Path) -> bool:
    from g3an_edu import checkpoint as ckpt

    sa, _ = ckpt.load_checkpoint(a)
    sb, _ = ckpt.load_checkpoint(b)
    return sa.keys() == sb.keys() and all(
        torch.equal(sa[k], sb[k]) if torch.is_tensor(sa[k]) else sa[k] == sb[k] for k in sa)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="tiny")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    common = [f"steps={args.steps}", "sample_every=0", "log_every=2",
              f"checkpoint_every={args.steps}", "keep_checkpoints=3"]
    compiled = [*common, "compile=true"]
    with tempfile.TemporaryDirectory(prefix="g3an-compile-") as tmp:
        tmp, cache = Path(tmp), Path(tmp) / "inductor-cache"
        times = {"cold": _run(tmp / "cold", args.preset, compiled, args.threads, cache),
                 "warm": _run(tmp / "warm", args.preset, compiled, args.threads, cache),
                 "eager": _run(tmp / "eager", args.preset, common, args.threads, cache)}
        _run(tmp / "resumed", args.preset, compiled, args.threads, cache, stop=args.steps // 2)
        times["resumed"] = _run(tmp / "resumed", args.preset, compiled, args.threads, cache)
        eager, comp = _losses(tmp / "eager"), _losses(tmp / "cold")
        diff = max(abs(e - c) for pair in zip(eager, comp, strict=True)
                   for e, c in zip(*pair, strict=True))
        print(f"preset {args.preset}, {args.steps} steps, {args.threads} thread(s), "
              f"torch {torch.__version__}")
        for name, seconds in times.items():
            print(f"  {name:8s} process wall time {seconds:7.1f} s")
        print(f"  compile cost: cold {times['cold'] - times['eager']:.1f} s, "
              f"warm cache {times['warm'] - times['eager']:.1f} s")
        print(f"  steady s/step: eager {_sec_per_step(tmp / 'eager'):.4f}, compiled "
              f"{_sec_per_step(tmp / 'cold'):.4f}")
        print(f"  largest |compiled - eager| loss over {len(eager)} logged steps: {diff:.3g}")
        print(f"  compiled run deterministic (cold == warm checkpoint): "
              f"{_same_checkpoint(tmp / 'cold', tmp / 'warm')}")
        print(f"  exact resume under compile (cold == stopped + resumed): "
              f"{_same_checkpoint(tmp / 'cold', tmp / 'resumed')}")


if __name__ == "__main__":
    main()

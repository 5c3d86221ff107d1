"""Model benchmark: our F-SA against attention that materialises every score matrix, and the
generator's forward+backward time, measured side by side in one run.

    python benchmarks/bench_model.py            # CPU (or CUDA if present)
    python benchmarks/bench_model.py --quick    # fewer repeats

Each variant runs in its own subprocess so that its peak memory is its own: on CPU the
peak resident-set growth during the first forward+backward (``ru_maxrss``), on CUDA
``torch.cuda.max_memory_allocated``. Times are the best of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time

import torch

from g3an_edu import FactorizedSelfAttention, Generator, pick_device


class NaiveFSA(torch.nn.Module):
    """The same F-SA weights, computed with explicit ``softmax(q kᵀ) v`` score matrices."""

    def __init__(self, fsa: FactorizedSelfAttention) -> None:
        super().__init__()
        self.fsa = fsa

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fsa(x, naive=True)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB -> MiB


def run_variant(name: str, device: str, repeats: int) -> dict:
    """Time forward+backward of one variant; report best time and peak memory growth."""
    torch.manual_seed(0)
    dev = torch.device(device)
    if name.startswith("fsa"):
        fsa = FactorizedSelfAttention(256).to(dev)
        with torch.no_grad():
            fsa.temporal.gamma.fill_(1.0)
            fsa.spatial.gamma.fill_(1.0)
        model = NaiveFSA(fsa) if name == "fsa_naive" else fsa
        x = torch.randn(2, 256, 16, 32, 32, device=dev, requires_grad=True)
        step = lambda: model(x).square().mean().backward()  # noqa: E731
    else:  # generator_ch{16,64}[_naive]
        ch = int(name.split("_ch")[1].split("_")[0])
        g = Generator(ch=ch).to(dev)
        if name.endswith("_naive"):
            g.fsa = NaiveFSA(g.fsa)
        batch = 4 if ch == 16 else 2
        z_a, z_m = g.sample_noise(batch, 1)
        step = lambda: g(z_a, z_m).square().mean().backward()  # noqa: E731

    if dev.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    else:
        base = _rss_mb()
    step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
        peak = (torch.cuda.max_memory_allocated() - base) / 2**20
    else:
        peak = _rss_mb() - base
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        if dev.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return {"variant": name, "seconds": min(times), "peak_mb": peak}


def measure(name: str, device: str, repeats: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, "--device", device, "--repeats", str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one repeat, skip ch=64")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, args.device, args.repeats)))
        return
    device = str(pick_device(args.device))
    repeats = 1 if args.quick else args.repeats
    print(
        f"machine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} "
        f"threads, torch {torch.__version__}, device {device}"
    )

    print("\nF-SA forward+backward at (B=2, C=256, T=16, H=32, W=32), gamma = 1")
    ours, naive = measure("fsa_fused", device, repeats), measure("fsa_naive", device, repeats)
    print(f"  {'variant':<34}{'time (s)':>10}{'peak (MB)':>12}")
    print(f"  {'ours (attend: SDPA)':<34}{ours['seconds']:>10.3f}{ours['peak_mb']:>12.0f}")
    print(
        f"  {'materialised score matrices':<34}{naive['seconds']:>10.3f}{naive['peak_mb']:>12.0f}"
    )
    print(
        f"  ratio naive/ours: time {naive['seconds'] / ours['seconds']:.2f}x, "
        f"peak memory {naive['peak_mb'] / max(ours['peak_mb'], 1e-9):.2f}x"
    )

    print("\nGenerator forward+backward, 64x64x16, with F-SA")
    print(f"  {'model':<34}{'time (s)':>10}{'peak (MB)':>12}")
    for ch in (16,) if args.quick else (16, 64):
        batch = 4 if ch == 16 else 2
        for suffix, label in (("", "ours"), ("_naive", "naive F-SA")):
            r = measure(f"generator_ch{ch}{suffix}", device, repeats)
            print(
                f"  {f'ch={ch}, batch {batch}, {label}':<34}{r['seconds']:>10.3f}"
                f"{r['peak_mb']:>12.0f}"
            )


if __name__ == "__main__":
    main()

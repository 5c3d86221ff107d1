"""The GPU recipe in one command: speed (fp32, bf16, torch.compile), a training run, its
metrics curve against time, and a sample grid.

    # on a CUDA GPU (an H100 trains `paper` at the sizes in benchmarks/RESULTS.md)
    python tools/paper_run.py --config paper --steps 20000 --out runs/g3an-paper
    # the same code on a CPU in seconds (the test suite runs this)
    python tools/paper_run.py --config tiny --steps 4 --out /tmp/paper-run --device cpu \\
        --bench-steps 1 --no-compile --n 16 --groups 2 --per-group 2

Writes into ``--out``: ``speed.json`` (steps/s of each variant, measured side by side),
the training run itself (``checkpoints/``, ``metrics.jsonl``, resumable: re-running the
command continues it), ``curve.json`` + ``metrics_curve.png`` (every kept checkpoint
evaluated, x axis = training minutes) and ``samples.gif``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from g3an_edu.config import load_config
from g3an_edu.device import pick_device
from g3an_edu.metrics.curves import curve, plot
from g3an_edu.models import load_generator
from g3an_edu.speed import compare, make_runner
from g3an_edu.train import train
from g3an_edu.viz import save_video


def speed(config: str, device: torch.device, steps: int, with_compile: bool) -> dict:
    """Seconds per training step of fp32, bf16 autocast and bf16 + torch.compile."""
    variants = {"fp32": make_runner(config, device),
                "bf16": make_runner(config, device, amp=torch.bfloat16)}
    if with_compile:
        variants["bf16+compile"] = make_runner(config, device, torch.bfloat16, True)
    best = compare(variants, steps, rounds=2, warmup=1)
    batch = variants["fp32"][0].batch
    return {name: {"sec_per_step": sec, "steps_per_sec": 1 / sec, "videos_per_sec": batch / sec,
                   "speedup_vs_fp32": best["fp32"] / sec} for name, sec in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="paper", help="preset or .toml (default paper)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--steps", type=int, required=True, help="train until this step")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--bench-steps", type=int, default=10, help="timed steps per round")
    parser.add_argument("--no-compile", action="store_true", help="skip the compile variant")
    parser.add_argument("--n", type=int, default=256, help="videos per evaluation")
    parser.add_argument("--groups", type=int, default=16)
    parser.add_argument("--per-group", type=int, default=8)
    args = parser.parse_args()

    device = pick_device(args.device)
    args.out.mkdir(parents=True, exist_ok=True)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    measured = speed(args.config, device, args.bench_steps, not args.no_compile)
    (args.out / "speed.json").write_text(json.dumps({"device": name, "config": args.config,
                                                     "torch": torch.__version__,
                                                     "variants": measured}, indent=1) + "\n")
    for variant, row in measured.items():
        print(f"{name} {args.config} {variant:<13} {row['steps_per_sec']:7.2f} steps/s "
              f"x{row['speedup_vs_fp32']:.2f} vs fp32", flush=True)

    keep = [] if any(s.startswith("keep_checkpoints=") for s in args.set) else [
        "keep_checkpoints=1000"]  # keep every checkpoint: each one is a point of the curve
    config = load_config(args.config, keep + args.set)
    train(config, args.out, steps=args.steps, device=args.device)
    rows = curve(args.out, args.n, 0, 1, [], args.groups, args.per_group, str(device))
    (args.out / "curve.json").write_text(json.dumps({args.out.name: rows}, indent=1) + "\n")
    plot({args.out.name: rows}, args.out / "metrics_curve.png", x="seconds")

    g, config = load_generator(args.out, device=device)
    noise = g.sample_noise(8, config.length, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        videos = g(*(z.to(device) for z in noise))  # (8, 3, T, R, R)
    print(f"wrote {save_video(args.out / 'samples.gif', videos)}")


if __name__ == "__main__":
    main()

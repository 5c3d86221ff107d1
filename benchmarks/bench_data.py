"""Data throughput, measured side by side: videos/s of SyntheticActions and clips/s of
VideoFolder.

    python benchmarks/bench_data.py                # eager renderer, 1 and 2 threads
    python benchmarks/bench_data.py --compile      # also torch.compile (one-time compile)
    python benchmarks/bench_data.py --device cuda  # on a GPU

Each figure is the best of ``--repeats`` timed batches (after one warm-up batch), so a
loaded machine disturbs it less; the script prints the machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import torch

from g3an_edu.data import SyntheticActions, VideoFolder


def videos_per_second(ds: SyntheticActions, batch: int, repeats: int, device: str) -> float:
    ds.batch(range(batch), device=device)  # warm-up (and compile, if compiled)
    best = float("inf")
    for r in range(repeats):
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        start = time.perf_counter()
        ds.batch(range((r + 1) * batch, (r + 2) * batch), device=device)["video"].sum().item()
        best = min(best, time.perf_counter() - start)
    return batch / best


def bench_synthetic(args) -> None:
    print(f"SyntheticActions, {args.frames} frames, batches of {args.batch}, best of "
          f"{args.repeats} (videos/s)")
    threads = [1, 2] if args.device == "cpu" else [torch.get_num_threads()]
    paths = ["eager"] + (["compiled"] if args.compile else [])
    print(f"  {'size':>5} " + " ".join(f"{p + f' {t}thr':>14}" for p in paths for t in threads))
    for size in args.sizes:
        row = []
        for path in paths:
            start = time.perf_counter()
            for t in threads:
                torch.set_num_threads(t)
                ds = SyntheticActions(size=size, frames=args.frames, compiled=path == "compiled")
                try:
                    speed = videos_per_second(ds, args.batch, args.repeats, args.device)
                    row.append(f"{speed:14.0f}")
                except Exception as err:  # say what failed, keep going
                    row.append(f"{'failed':>14}")
                    print(f"  ({path} failed: {type(err).__name__}: {str(err)[:100]})")
            if path == "compiled":
                print(f"  (size {size}, compiled path incl. its one-time compile: "
                      f"{time.perf_counter() - start:.0f} s)")
        print(f"  {size:>5} " + " ".join(row))


def bench_video_folder(args) -> None:
    from g3an_edu.viz import encode_video

    with tempfile.TemporaryDirectory() as tmp:
        ds = SyntheticActions(size=128, frames=96)
        for i in range(8):  # 8 videos of 96 frames at 128×128 (Weizmann: 180×144, ~80 frames)
            video = ds.batch([i])["video"][0]  # (3, T, H, W)
            frames = ((video.permute(1, 2, 3, 0) + 1) * 127.5).round().to(torch.uint8).numpy()
            (Path(tmp) / f"v{i}.mp4").write_bytes(encode_video(frames, "mp4", fps=25))
        folder = VideoFolder(tmp, frames=16, size=64, step=(2, 3))
        print("VideoFolder, 8 mp4 files 128×128×96 -> clips 64×64×16, batches of 8 (clips/s)")
        for workers in (0, 2):
            torch.set_num_threads(1)
            loader = torch.utils.data.DataLoader(folder, batch_size=8, num_workers=workers,
                                                 persistent_workers=workers > 0)
            next(iter(loader))
            start, n = time.perf_counter(), 0
            for _ in range(3):
                for batch in loader:
                    n += len(batch["video"])
            print(f"  num_workers={workers}: {n / (time.perf_counter() - start):.0f} clips/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 128])
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--compile", action="store_true", help="also time torch.compile")
    parser.add_argument("--skip-folder", action="store_true", help="skip the VideoFolder part")
    args = parser.parse_args()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    print(f"torch {torch.__version__}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPU cores, {gpu}; load average {os.getloadavg()[0]:.1f}")
    bench_synthetic(args)
    if not args.skip_folder:
        bench_video_folder(args)


if __name__ == "__main__":
    main()

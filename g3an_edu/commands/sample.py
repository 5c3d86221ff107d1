"""``g3an-edu sample``: videos from a trained generator, as .gif, .mp4 or .png."""

from __future__ import annotations

import argparse

import torch


def run_sample(args: argparse.Namespace) -> int:
    from ..device import pick_device
    from ..models import load_generator, resolve_source
    from ..viz import save_video

    if args.n < 1 or args.length < 1:
        raise ValueError(f"--n and --length must be ≥ 1, got --n {args.n} --length {args.length}.")
    if args.recalibrate_bn < 0:
        raise ValueError(f"--recalibrate-bn takes a number of videos ≥ 0 (e.g. 1024; 0: keep "
                         f"the stored statistics), got {args.recalibrate_bn}.")
    device = pick_device(args.device)
    source = resolve_source(args.checkpoint)
    print(f"loading {source.describe()}")
    g, config = load_generator(source.path, ema=not args.no_ema, device=device)
    if args.recalibrate_bn:
        from ..batchnorm_statistics import recalibrate_batchnorm

        recalibrate_batchnorm(g, args.recalibrate_bn, config.length, seed=args.seed)
    noise = g.sample_noise(args.n, args.length, device="cpu",
                           generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        videos = g(*(z.to(device) for z in noise))  # (n, 3, 4(L+3), R, R)
    path = save_video(args.out, videos, fps=args.fps)
    print(f"wrote {args.n} videos of {videos.shape[2]} frames to {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sample", help="generate videos from a checkpoint",
        description="Load a checkpoint and write n generated videos: .gif or .mp4 (the videos "
                    "tiled in a grid) or .png (one row of frames per video).",
    )
    parser.add_argument("--checkpoint", required=True, metavar="DIR|FILE",
                        help="a step_*.safetensors file, a training --out directory (its "
                             "newest checkpoint), or a shipped model's name (g3an-tiny, "
                             "mocogan-tiny); an existing path of that name wins, "
                             "shipped:NAME always means the shipped model")
    parser.add_argument("--n", type=int, default=8, help="number of videos (default 8)")
    parser.add_argument("--length", type=int, default=1, metavar="L",
                        help="motion steps L: videos get 4(L+3) frames (default 1 -> 16)")
    parser.add_argument("--seed", type=int, default=0, metavar="S",
                        help="seed of the noise (default 0)")
    parser.add_argument("--fps", type=int, default=8, help="frames per second (default 8)")
    parser.add_argument("--no-ema", action="store_true",
                        help="use the trained generator, not its moving average")
    parser.add_argument("--recalibrate-bn", type=int, default=0, metavar="N",
                        help="recompute G's BatchNorm statistics on N videos of its own first "
                             "(default 0: keep the stored ones, the raw G's)")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"),
                        help="where to run the generator (default auto)")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="output file ending in .gif, .mp4 or .png")
    parser.set_defaults(func=run_sample)

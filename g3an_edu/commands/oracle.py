"""``g3an-edu oracle``: train the evaluation oracle, or show the shipped one's accuracy."""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path

import torch

from ..device import pick_device
from ..metrics.oracle import default_oracle_path, load_oracle, save_oracle
from ..metrics.oracle_training import train_oracle

# Every class label of SyntheticActions; the shipped oracle reads them all at ≥ 95 % held out.
DEFAULT_FACTORS = ("action", "skin", "shirt", "trousers", "background", "texture")


def reproduce_command(args: argparse.Namespace) -> str:
    """The full command, every option spelled out, that trains this oracle again."""
    options = [("--out", args.out)] if Path(args.out) != default_oracle_path() else []
    options += [("--size", args.size), ("--frames", args.frames),
               ("--factors", args.factors), ("--n-train", args.n_train),
               ("--n-val", args.n_val), ("--steps", args.steps), ("--batch", args.batch),
               ("--lr", args.lr), ("--width", args.width), ("--dim", args.dim),
               ("--seed", args.seed), ("--data-seed", args.data_seed)]
    if args.augment:
        options.append(("--augment", args.augment))
    command = "g3an-edu oracle train " + " ".join(f"{k} {shlex.quote(str(v))}"
                                                  for k, v in options)
    return command + (" --recolour" if args.recolour else "")


def run_train(args: argparse.Namespace) -> int:
    from ..data import SyntheticActions

    if args.threads:
        torch.set_num_threads(args.threads)
    ds = SyntheticActions(size=args.size, frames=args.frames, seed=args.data_seed)
    oracle, report = train_oracle(ds, args.factors.split(","), args.n_train, args.n_val,
                                  args.steps, args.batch, args.lr, args.seed, args.width,
                                  args.dim, device=pick_device(args.device),
                                  augment=args.augment, recolour=args.recolour)
    report["data"] = {"SyntheticActions": {"size": args.size, "frames": args.frames,
                                           "seed": args.data_seed}}
    report["command"] = reproduce_command(args)
    report["torch"] = torch.__version__
    path = save_oracle(oracle.cpu(), args.out, report)
    print(json.dumps(report["held_out_accuracy"]))
    print(f"saved {path} and {path.with_suffix('.json')}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    _, info = load_oracle(args.path)
    print(json.dumps(info, indent=2, sort_keys=True))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("oracle", help="train or inspect the evaluation oracle")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    train = actions.add_parser(
        "train", help="train the oracle on SyntheticActions",
        description="Train the small video classifier used by `g3an-edu evaluate` to predict "
                    "the action and appearance classes of SyntheticActions clips; report its "
                    "accuracy on held-out clips and save it as safetensors + JSON.")
    train.add_argument("--out", default=str(default_oracle_path()))
    train.add_argument("--size", type=int, default=32, help="clip size (default 32)")
    train.add_argument("--frames", type=int, default=16)
    train.add_argument("--factors", default=",".join(DEFAULT_FACTORS),
                       help="comma-separated labels to predict (action first)")
    train.add_argument("--n-train", type=int, default=8192)
    train.add_argument("--n-val", type=int, default=1024)
    train.add_argument("--steps", type=int, default=3000)
    train.add_argument("--batch", type=int, default=32)
    train.add_argument("--lr", type=float, default=2e-3)
    train.add_argument("--width", type=int, default=16, help="first conv's channels")
    train.add_argument("--dim", type=int, default=128, help="feature size D")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--data-seed", type=int, default=0)
    train.add_argument("--augment", type=float, default=0.0,
                       help="degrade training clips (blur, noise, colour shift) at a strength "
                            "drawn from [0, AUGMENT] (default 0: clean clips only)")
    train.add_argument("--recolour", action="store_true",
                       help="recolour training clips at random (a colour map and contrast per "
                            "clip): the colour-blind action judge, with --factors action")
    train.add_argument("--device", default="auto")
    train.add_argument("--threads", type=int, default=0,
                       help="torch threads (0: torch's default); 1 is fastest on a busy CPU")
    train.set_defaults(func=run_train)
    info = actions.add_parser("info", help="print an oracle's accuracy and how it was made")
    info.add_argument("path", nargs="?", default=None)
    info.set_defaults(func=run_info)

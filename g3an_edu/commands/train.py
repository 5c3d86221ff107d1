"""``g3an-edu train``: train a config, resuming from the last checkpoint in ``--out``."""

from __future__ import annotations

import argparse
import os

from ..config import PRESETS, load_config, valid_keys


def run_train(args: argparse.Namespace) -> int:
    from ..train import train

    config = load_config(args.config, args.set)
    result = train(config, args.out, steps=args.steps, device=args.device,
                   progress=not args.no_progress)
    if not result.interrupted and os.environ.get("RANK", "0") == "0":
        print(f"trained to step {result.step}; checkpoint {result.checkpoint}; "
              f"metrics {result.metrics}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "train", help="train G3AN (resumes from --out by itself)",
        description="Train a G3AN config. Re-running the same command resumes from the last "
                    "checkpoint in --out (exactly: the result equals an uninterrupted run). "
                    "Ctrl-C or SIGTERM saves a checkpoint and stops. Multi-GPU: "
                    "torchrun --nproc_per_node=N -m g3an_edu train ...",
    )
    parser.add_argument("--config", required=True, metavar="NAME|FILE",
                        help=f"a preset ({', '.join(PRESETS)}), a .toml file of config keys, "
                             "or auto: the tier's config ($G3AN_TIER=fast -> tiny, "
                             "laptop -> cpu, gpu -> colab)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help=f"override one config key (repeatable); keys: {valid_keys()}")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="output directory: checkpoints/, samples/, metrics.jsonl, "
                             "config.json; resumed from if it holds a checkpoint")
    parser.add_argument("--steps", type=int, default=None, metavar="N",
                        help="train until step N (default: the config's steps)")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"),
                        help="where to train; cuda stops with an error if there is no GPU "
                             "(default: auto, CUDA when available)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(func=run_train)

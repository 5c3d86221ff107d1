"""``g3an-edu evaluate``: every metric of a trained generator, with the real data's ceiling."""

from __future__ import annotations

import argparse
import json

from ..metrics import evaluation
from ..models import resolve_source


def format_table(scores: dict) -> str:
    """The metrics as aligned text: one line per metric, the model's value and the real one."""
    real = scores.get("real", {})
    lines = [f"{'metric':<24} {'model':>10} {'real data':>10}"]
    for key in evaluation.KEYS:
        model, ceiling = scores.get(key), real.get(key)
        show = lambda v: "-" if v is None else f"{v:10.4f}"  # noqa: E731
        lines.append(f"{key:<24} {show(model):>10} {show(ceiling):>10}")
    lines.append(f"(n = {scores['n']} videos, {scores['n_groups']} groups of "
                 f"{scores['per_group']}; fd_* of 'real data' = two real samples)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    source = resolve_source(args.checkpoint)
    if not args.json:
        print(f"evaluating {source.describe()}")
    scores = evaluation.evaluate_checkpoint(args.checkpoint, args.n, args.groups, args.per_group,
                                 args.seed, args.oracle, args.device, not args.no_real,
                                 args.untrained, not args.no_ema)
    print(json.dumps(scores, sort_keys=True) if args.json else format_table(scores))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "evaluate", help="all metrics of a trained generator",
        description="Fréchet distances in the oracle's feature space (fd_video, fd_frame), "
                    "disentanglement (appearance/action consistency and spread, motion "
                    "diversity, action entropy) and the oracle's accuracy, for a checkpoint, "
                    "next to the same metrics of the real data (the ceiling).",
    )
    parser.add_argument("--checkpoint", required=True, metavar="DIR|FILE",
                        help="a step_*.safetensors file, a training --out directory, or a "
                             "shipped model's name (g3an-tiny, mocogan-tiny); an existing path "
                             "of that name wins, shipped:NAME always means the shipped model")
    parser.add_argument("--n", type=int, default=256, help="videos per sample (default 256)")
    parser.add_argument("--groups", type=int, default=16, help="groups for disentanglement")
    parser.add_argument("--per-group", type=int, default=8, help="videos per group")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oracle", default=None, help="oracle file (default: the shipped one)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda (default auto)")
    parser.add_argument("--no-real", action="store_true", help="skip the real-data ceiling")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--untrained", action="store_true",
                        help="evaluate the checkpoint's architecture at its initial weights "
                             "(what training must beat)")
    parser.add_argument("--no-ema", action="store_true",
                        help="evaluate the raw G, not its moving average")
    parser.set_defaults(func=run)

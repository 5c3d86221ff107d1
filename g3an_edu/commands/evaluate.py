"""``g3an-edu evaluate``: every metric of a trained generator, with the real data's ceiling."""

from __future__ import annotations

import argparse
import json

import torch

from ..device import pick_device
from ..metrics import evaluation
from ..metrics.disentanglement import GeneratorSource
from ..metrics.oracle import load_oracle
from ..metrics.real_data import real_source


def load_generator(path: str, device: torch.device, untrained: bool = False,
                   ema: bool = True):
    """``(G in eval mode, its training config)`` from a checkpoint file, ``--out`` dir or
    shipped model name; ``untrained``: the same architecture with its initial weights;
    ``ema=False``: the raw G instead of its moving average."""
    from ..train import build_models
    from ..train import load_generator as load

    g, config = load(path, ema=ema, device=device)
    if untrained:
        g = build_models(config)[0].to(device).eval()  # seeded by config.seed, never trained
    return g, config


def real_source_for(config):
    """The real videos of the data the checkpoint was trained on."""
    return real_source(config.data, config.resolution, config.frames, config.data_seed,
                       config.data_root)


def evaluate_checkpoint(checkpoint: str, n: int = 256, n_groups: int = 16, per_group: int = 8,
                        seed: int = 0, oracle_path: str | None = None,
                        device: str = "auto", with_real: bool = True,
                        untrained: bool = False, ema: bool = True) -> dict:
    """The metrics of ``checkpoint``'s generator (EMA weights when the run kept them, unless
    ``ema`` is False), or with ``untrained`` of the same architecture at its initial weights
    (the floor to beat)."""
    dev = pick_device(device)
    g, config = load_generator(checkpoint, dev, untrained, ema)
    oracle, info = load_oracle(oracle_path, dev)
    scores = evaluation.evaluate(oracle, GeneratorSource(g, config.length, device=dev),
                                 real_source_for(config), n, n_groups, per_group, seed,
                                 with_real)
    scores["oracle_held_out_accuracy"] = info.get("held_out_accuracy")
    scores["checkpoint"] = str(checkpoint)
    scores["arch"] = getattr(config, "arch", "g3an")
    scores["untrained"] = untrained
    scores["ema"] = ema and not untrained
    return scores


def _cell(value, ci=None) -> str:
    """``value [low, high]``: 1 decimal for distances, 3 for the rest; ``-`` if undefined."""
    if value is None:
        return "-"
    digits = 1 if abs(value) >= 10 else 3
    text = f"{value:.{digits}f}"
    return text if not ci else f"{text} [{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]"


def format_table(scores: dict) -> str:
    """The metrics as aligned text: one line per metric (and per factor of the per-factor
    ones), the model's value with its 95 % interval, the real data's, and the degraded real
    data's when evaluated."""
    columns = [("model", scores)] + [(title, scores[key]) for key, title in
                                     (("real", "real data"), ("real_degraded", "degraded real"))
                                     if key in scores]
    rows = [(key, [(block.get(key), block.get("ci", {}).get(key)) for _, block in columns])
            for key in evaluation.KEYS]
    for key in evaluation.BY_FACTOR_KEYS:
        for factor in scores.get(key) or {}:
            rows.append((f"{key.removesuffix('_by_factor')}[{factor}]",
                         [((block.get(key) or {}).get(factor),
                           (block.get("ci", {}).get(key) or {}).get(factor))
                          for _, block in columns]))
    width = max(len(name) for name, _ in rows)
    lines = [f"{'metric':<{width}}  " + "  ".join(f"{title + ' [95 % interval]':<30}"
                                                for title, _ in columns)]
    for name, cells in rows:
        lines.append(f"{name:<{width}}  " + "  ".join(f"{_cell(*c):<30}" for c in cells))
    lines.append(f"(n = {scores['n']} videos, {scores['n_groups']} groups of "
                 f"{scores['per_group']}; fd_* of 'real data' = two real samples)")
    lines.append("(95 % bootstrap intervals over groups or videos: call a difference only "
                 "when the intervals do not overlap)")
    if "real_degraded" in scores:
        lines.append(f"(degraded real: real videos blurred, noised and colour-shifted at "
                     f"strength {scores['real_degraded']['strength']:.3f}, fd_* against clean "
                     "real videos)")
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    scores = evaluate_checkpoint(args.checkpoint, args.n, args.groups, args.per_group,
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
                             "shipped model's name (g3an-tiny, mocogan-tiny)")
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

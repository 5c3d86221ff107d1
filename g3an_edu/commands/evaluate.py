"""``g3an-edu evaluate``: every metric of a trained generator, with the real data's ceiling."""

from __future__ import annotations

import argparse
import json

from ..metrics import evaluation
from ..models import resolve_source


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
    keys = [*evaluation.KEYS, *(k for k in evaluation.INVARIANT_KEYS if k in scores)]
    rows = [(key, [(block.get(key), block.get("ci", {}).get(key)) for _, block in columns])
            for key in keys]
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
    source = resolve_source(args.checkpoint)
    if not args.json:
        print(f"evaluating {source.describe()}")
    degraded = args.degraded
    if degraded not in (None, "match"):
        try:
            degraded = float(degraded)
        except ValueError:
            raise ValueError(f"--degraded takes a strength (a number ≥ 0, e.g. 0.9) or 'match', "
                             f"got {args.degraded!r}.") from None
    scores = evaluation.evaluate_checkpoint(
        args.checkpoint, args.n, args.groups, args.per_group, args.seed, args.oracle,
        args.device, not args.no_real, args.untrained, not args.no_ema, degraded,
        n_boot=args.bootstrap, n_boot_fd=min(args.bootstrap, evaluation.N_BOOT_FD),
        judge_path=args.judge, recalibrate_bn=args.recalibrate_bn)
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
    parser.add_argument("--judge", default=None, metavar="FILE|none",
                        help="colour-blind action judge for the *_invariant metrics (default: "
                             "the shipped one; 'none': skip them)")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda (default auto)")
    parser.add_argument("--no-real", action="store_true", help="skip the real-data ceiling")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--untrained", action="store_true",
                        help="evaluate the checkpoint's architecture at its initial weights "
                             "(what training must beat)")
    parser.add_argument("--degraded", default=None, metavar="STRENGTH|match",
                        help="also score real videos blurred, noised and colour-shifted at "
                             "this strength, or 'match': the strength whose frame FD equals "
                             "this generator's (how much of its gap the oracle explains)")
    parser.add_argument("--bootstrap", type=int, default=evaluation.N_BOOT, metavar="B",
                        help=f"bootstrap resamples for the 95%% intervals (default "
                             f"{evaluation.N_BOOT}; 0: no intervals)")
    parser.add_argument("--no-ema", action="store_true",
                        help="evaluate the raw G, not its moving average")
    parser.add_argument("--recalibrate-bn", type=int, default=0, metavar="N",
                        help="recompute G's BatchNorm statistics on N videos of its own first "
                             "(the EMA weights otherwise use the raw G's; default 0: keep "
                             "the stored ones)")
    parser.set_defaults(func=run)

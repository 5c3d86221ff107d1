"""Ship a trained generator with the course: export, hash, evaluate, record.

    python tools/ship_model.py --run runs/g3an-tiny --step 7000 --name g3an-tiny \\
        --command "g3an-edu train --config cpu --out runs/g3an-tiny --steps 7000" \\
        --machine "2-core x86_64 CPU, torch 2.13.0+cpu"

writes ``g3an_edu/assets/models/<name>.safetensors`` (the generator's EMA weights only, in the
checkpoint format, so ``load_generator`` reads it) and its record in ``models.json``: file,
SHA-256, size, step, seed, command, training wall time (summed from the run's
``metrics.jsonl``), machine, the departures from the paper its config switches on
(``config.departures``; ``{}`` for the paper's architecture), and the ``g3an-edu evaluate``
metrics (with the action judge's and their 95 % intervals) of the trained generator, of an
untrained one of the same config, and of the real data, plus the trained one's frame counts
(``metrics.frames``). ``--eval-seed`` draws the evaluation's noise afresh: when the checkpoint
was chosen by scores measured at seed 0, the record's scores at another seed carry no
selection bias. ``--name NAME --re-evaluate`` measures an already shipped model again with
today's metrics (its file and the rest of its record unchanged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from g3an_edu import checkpoint as ckpt
from g3an_edu.config import departures
from g3an_edu.metrics.evaluation import INVARIANT_KEYS, KEYS, evaluate_checkpoint
from g3an_edu.metrics.frames import generator_frame_outliers
from g3an_edu.models import load_generator
from g3an_edu.pretrained import INDEX, model_path, models_dir, sha256_of
from g3an_edu.run_log import seconds_at, training_seconds

MAX_BYTES = 25 * 1024 * 1024


def export(run: Path, step: int, out: Path, name: str) -> dict:
    """Write the generator of ``run``'s checkpoint ``step`` to ``out``; return its config."""
    path = ckpt.checkpoint_path(run, step)
    tensors, meta = ckpt.load_checkpoint(path)
    if ckpt.EMA not in ckpt.weight_sets(tensors):
        raise SystemExit(f"{path} holds no EMA generator (the run had ema = false); the course "
                         "ships EMA weights only.")
    shipped = {"step": meta["step"], "config": meta["config"], "torch": meta.get("torch"),
               "shipped_as": name}
    ckpt.save_generator_file(out, ckpt.generator_weights(tensors, ema=True, path=path), shipped)
    size = out.stat().st_size
    if size > MAX_BYTES:
        out.unlink()
        raise SystemExit(f"{out} would be {size} bytes, over the 25 MB limit.")
    return meta["config"]


RECORDED = (*KEYS, *INVARIANT_KEYS, "appearance_entropy_by_factor")
FRAME_KEYS = ("washed_out_fraction", "colour_outlier_fraction", "last_jump_ratio")


def pick(scores: dict) -> dict:
    """The recorded metrics of one ``evaluate`` result, with the intervals of those it has."""
    picked = {k: scores[k] for k in RECORDED if k in scores}
    intervals = {k: v for k, v in scores.get("ci", {}).items() if k in picked}
    return {**picked, "ci": intervals} if intervals else picked


def frame_counts(path: Path, n: int, seed: int) -> dict:
    """Washed-out and colour-broken videos and the last frame's jump ratio (EMA weights)."""
    g, config = load_generator(str(path), device="cpu")
    counts = generator_frame_outliers(g.eval(), config.length, n=n, seed=seed)
    return {k: counts[k] for k in FRAME_KEYS}


def evaluation(path: Path, n: int, seed: int) -> dict:
    """The record's ``evaluate`` block for the shipped file at ``path``."""
    trained = evaluate_checkpoint(str(path), n=n, device="cpu", seed=seed)
    untrained = evaluate_checkpoint(str(path), n=n, device="cpu", with_real=False,
                                    untrained=True, seed=seed)
    return {"n": n, "seed": seed, "trained": pick(trained), "untrained": pick(untrained),
            "real": pick(trained["real"]), "frames": frame_counts(path, n, seed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--name", required=True, help="shipped name, e.g. g3an-tiny")
    parser.add_argument("--run", type=Path, help="training --out directory")
    parser.add_argument("--step", type=int, help="checkpoint step to ship")
    parser.add_argument("--command", help="the command that trains it")
    parser.add_argument("--machine", help="where it was trained, in words")
    parser.add_argument("--notes", default="", help="anything a reader should know")
    parser.add_argument("--n", type=int, default=256, help="videos per evaluation")
    parser.add_argument("--eval-seed", type=int, default=0,
                        help="the evaluation's noise seed (another than the one the checkpoint "
                             "was chosen at, for scores without selection bias)")
    parser.add_argument("--re-evaluate", action="store_true",
                        help="keep an already shipped model's file and record; measure its "
                             "evaluate block (and departures) again with today's metrics")
    args = parser.parse_args()
    index = models_dir() / INDEX
    models = json.loads(index.read_text()) if index.is_file() else {}
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    if args.re_evaluate:
        if args.name not in models:
            raise SystemExit(f"no shipped model named {args.name!r} to re-evaluate; shipped: "
                             f"{', '.join(sorted(models)) or 'none'}.")
        path = model_path(args.name)  # checks the SHA-256
        _, meta = ckpt.load_checkpoint(path)
        record = {**models[args.name], "departures": departures(meta["config"]),
                  "evaluate": evaluation(path, args.n, args.eval_seed), "evaluated": now}
    else:
        missing = [f"--{k}" for k in ("run", "step", "command", "machine")
                   if getattr(args, k) is None]
        if missing:
            raise SystemExit(f"shipping a new model needs {', '.join(missing)} (or pass "
                             "--re-evaluate to measure an already shipped one again).")
        out = models_dir() / f"{args.name}.safetensors"
        config = export(args.run, args.step, out, args.name)
        record = {
            "file": out.name, "sha256": sha256_of(out), "bytes": out.stat().st_size,
            "arch": config["arch"], "config": config["name"], "step": args.step,
            "seed": config["seed"], "data_seed": config["data_seed"], "command": args.command,
            "train_seconds": seconds_at(training_seconds(args.run), args.step),
            "machine": args.machine, "notes": args.notes, "departures": departures(config),
            "evaluate": evaluation(out, args.n, args.eval_seed), "exported": now,
        }
    models[args.name] = record
    index.write_text(json.dumps(dict(sorted(models.items())), indent=1) + "\n")
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()

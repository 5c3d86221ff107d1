"""The ablation study: G3AN's variants and MoCoGAN, trained alike, evaluated alike, one table.

Variants (each trained from the same base preset, same steps, same seeds):

    g3an-1p2d          the paper's model: factorized (1+2)D video stream, with F-SA
    g3an-1p2d-nofsa    the same without F-SA
    g3an-2p1d(-nofsa)  space first, then time
    g3an-3d(-nofsa)    one full 3D transposed conv
    mocogan            the baseline, width matched to g3an-1p2d's parameter count

Each run lives in ``OUT/<variant>/seed<k>/`` (the trainer's ``--out`` directory); its metrics
go to ``scores.json`` there. A run whose ``scores.json`` exists is skipped and an interrupted
run resumes from its checkpoint, so the same command can be re-run until the table is full.
The table (mean ± sample standard deviation over seeds, and the real data's ceiling) is
written between markers in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

VARIANTS: dict[str, dict] = {
    "g3an-1p2d": {"arch": "g3an", "mode": "1p2d", "attention": True},
    "g3an-1p2d-nofsa": {"arch": "g3an", "mode": "1p2d", "attention": False},
    "g3an-2p1d": {"arch": "g3an", "mode": "2p1d", "attention": True},
    "g3an-2p1d-nofsa": {"arch": "g3an", "mode": "2p1d", "attention": False},
    "g3an-3d": {"arch": "g3an", "mode": "3d", "attention": True},
    "g3an-3d-nofsa": {"arch": "g3an", "mode": "3d", "attention": False},
    "mocogan": {"arch": "mocogan"},
}
COLUMNS = ("fd_video", "fd_frame", "appearance_consistency", "action_consistency",
           "action_spread", "appearance_spread", "motion_diversity", "action_entropy")
SHORT = {"fd_video": "FD video ↓", "fd_frame": "FD frame ↓",
         "appearance_consistency": "app. consist. ↑", "action_consistency": "act. consist. ↑",
         "action_spread": "act. spread", "appearance_spread": "app. spread",
         "motion_diversity": "motion div.", "action_entropy": "act. entropy"}
BEGIN, END = "<!-- ablations:begin -->", "<!-- ablations:end -->"


def run_dir(out: Path, variant: str, seed: int) -> Path:
    return Path(out) / variant / f"seed{seed}"


def run_one(out: Path, variant: str, seed: int, base: str, steps: int,
            train_fn: Callable, evaluate_fn: Callable, log: Callable = print) -> dict:
    """Train (or resume) one run and evaluate it; reuse its ``scores.json`` when present."""
    folder = run_dir(out, variant, seed)
    done = folder / "scores.json"
    if done.is_file():
        return json.loads(done.read_text())
    log(f"[{time.strftime('%H:%M:%S')}] {variant} seed {seed}: training {steps} steps")
    start = time.perf_counter()
    params = train_fn(folder, variant, seed, base, steps)
    train_seconds = time.perf_counter() - start
    scores = evaluate_fn(folder)
    scores.update(variant=variant, seed=seed, base=base, steps=steps,
                  train_seconds=round(train_seconds, 1), g_params=params)
    done.write_text(json.dumps(scores, indent=2, sort_keys=True) + "\n")
    log(f"  done in {train_seconds:.0f} s: fd_video {scores['fd_video']:.3f}, "
        f"appearance_consistency {scores['appearance_consistency']:.3f}")
    return scores


def summarise(values: list[float | None]) -> str:
    """``"0.512 ± 0.031"`` (mean ± sample standard deviation), or ``"-"``."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    mean = statistics.fmean(values)
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.3f} ± {spread:.3f}"


def table(results: dict[str, list[dict]], real: dict | None, note: str) -> str:
    """A Markdown table: one row per variant, one column per metric, the real data last."""
    head = ["variant", "G params", "s/step", *(SHORT[c] for c in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for variant, runs in results.items():
        if not runs:
            continue
        sec = statistics.fmean(r["train_seconds"] / max(1, r["steps"]) for r in runs)
        cells = [variant, f"{runs[0]['g_params']:,}", f"{sec:.2f}",
                 *(summarise([r.get(c) for r in runs]) for c in COLUMNS)]
        lines.append("| " + " | ".join(cells) + " |")
    if real:
        cells = ["real data (ceiling)", "", "",
                 *("-" if real.get(c) is None else f"{real[c]:.3f}" for c in COLUMNS)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\n" + note + "\n"


def write_results(path: Path, text: str) -> None:
    """Put ``text`` between the ablation markers of ``path`` (other sections stay)."""
    path = Path(path)
    block = f"{BEGIN}\n{text}{END}\n"
    old = path.read_text() if path.is_file() else "# Benchmark results\n\n"
    if BEGIN in old and END in old:
        before, rest = old.split(BEGIN, 1)
        new = before + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        new = old.rstrip("\n") + "\n\n## Ablations\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)


def run_ablations(out: Path, base: str, steps: int, seeds: list[int], variants: list[str],
                  train_fn: Callable, evaluate_fn: Callable, results_path: Path | None,
                  note: str = "", log: Callable = print) -> dict[str, list[dict]]:
    """Every (variant, seed) run, then the table; returns ``{variant: [scores per seed]}``."""
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown variants {unknown}; valid: {', '.join(VARIANTS)}.")
    results = {v: [run_one(out, v, s, base, steps, train_fn, evaluate_fn, log) for s in seeds]
               for v in variants}
    if results_path is not None:
        real = next(iter(results.values()))[0].get("real")
        write_results(results_path, table(results, real, note))
    return results


def read_table(path: Path) -> tuple[dict[str, dict[str, tuple[float, float]]], dict[str, float],
                                    int]:
    """The ablation table written by :func:`write_results`, read back from ``path``:
    ``({variant: {column: (mean, sd)}}, {column: real value}, seeds per variant)``.

    Columns are :data:`COLUMNS`' keys; a ``-`` cell is left out. The seed count comes from
    the note under the table (``seeds [0, 1]``). Raises ``ValueError`` when ``path`` holds no
    ablation table (run ``benchmarks/ablations.py`` first)."""
    text = Path(path).read_text()
    if BEGIN not in text or END not in text:
        raise ValueError(f"{path} holds no ablation table (no {BEGIN} … {END} block); "
                         "write one with `python benchmarks/ablations.py`.")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    lines = [line for line in block.splitlines() if line.startswith("|")]
    by_short = {v: k for k, v in SHORT.items()}
    head = [cell.strip() for cell in lines[0].strip("|").split("|")]
    columns = {i: by_short[h] for i, h in enumerate(head) if h in by_short}
    results: dict[str, dict[str, tuple[float, float]]] = {}
    real: dict[str, float] = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        for i, key in columns.items():
            if cells[i] in ("", "-"):
                continue
            if cells[0].startswith("real data"):
                real[key] = float(cells[i])
            else:
                mean, sd = (float(x) for x in cells[i].split("±"))
                results.setdefault(cells[0], {})[key] = (mean, sd)
    seeds = re.search(r"seeds \[([0-9, ]+)\]", block)
    return results, real, len(seeds[1].split(",")) if seeds else 0

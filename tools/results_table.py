"""Markdown tables of the shipped models (from ``models.json``) and of a metrics curve file.

    python tools/results_table.py [--curves docs/curves.json]

Prints the tables that docs/RESULTS.md shows, so the numbers there are copied by a program,
not by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from g3an_edu.pretrained import shipped_models

COLUMNS = (("fd_video", "FD video ↓", 0), ("fd_frame", "FD frame ↓", 0),
           ("appearance_disentanglement", "app. dis.", 3),
           ("action_disentanglement", "act. dis.", 3),
           ("appearance_consistency", "app. cons.", 3), ("appearance_spread", "app. spread", 3),
           ("action_consistency", "act. cons.", 3), ("action_spread", "act. spread", 3),
           ("motion_diversity", "motion div.", 1), ("action_entropy", "act. entropy", 3))


def cell(value, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def metrics_row(label: str, scores: dict) -> str:
    return f"| {label} | " + " | ".join(cell(scores.get(k), d) for k, _, d in COLUMNS) + " |"


def header(first: str) -> list[str]:
    return [f"| {first} | " + " | ".join(t for _, t, _ in COLUMNS) + " |",
            "|---" * (len(COLUMNS) + 1) + "|"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--curves", type=Path, default=None)
    args = parser.parse_args()
    models = shipped_models()
    print("| name | arch | config | step | train time | file | SHA-256 (first 12) | command |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in models.items():
        print(f"| `{name}` | {r['arch']} | `{r['config']}` | {r['step']} | "
              f"{r['train_seconds'] / 60:.0f} min | {r['bytes'] / 1e6:.1f} MB | "
              f"`{r['sha256'][:12]}` | `{r['command']}` |")
    print()
    lines = header("generator")
    first = next(iter(models.values()))
    for name, r in models.items():
        lines.append(metrics_row(f"{name}, untrained", r["evaluate"]["untrained"]))
        lines.append(metrics_row(f"**`{name}`**", r["evaluate"]["trained"]))
    lines.append(metrics_row("real data (ceiling)", first["evaluate"]["real"]))
    print("\n".join(lines))
    if args.curves:
        for run, rows in json.loads(args.curves.read_text()).items():
            print(f"\n**{run}**\n")
            lines = header("step (min)")
            for row in rows:
                minutes = "" if row["seconds"] is None else f" ({row['seconds'] / 60:.0f})"
                lines.append(metrics_row(f"{row['step']}{minutes}", row))
            print("\n".join(lines))


if __name__ == "__main__":
    main()

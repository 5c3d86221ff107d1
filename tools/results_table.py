"""Markdown tables of the shipped models (from ``models.json``) and of a metrics curve file.

    python tools/results_table.py [--curves docs/curves.json] [--shipped docs/shipped_metrics.json]

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


SHIPPED_COLUMNS = (("fd_video", "FD video ↓", 0), ("fd_frame", "FD frame ↓", 0),
                   ("appearance_variance_from_zm", "app. var. from z_m ↓", 2),
                   ("action_variance_from_za", "act. var. from z_a ↓", 2),
                   ("action_variance_from_zm", "act. var. from z_m ↑", 2),
                   ("appearance_variance_from_za", "app. var. from z_a ↑", 2),
                   ("appearance_kappa", "app. κ ↑", 2), ("action_kappa", "act. κ ↑", 2),
                   ("oracle_accuracy", "oracle acc.", 2))


def shipped_tables(path: Path) -> str:
    """Tables of ``tools/shipped_metrics.py``'s file: the measures with their 95 % intervals,
    then the per-factor shares and κ of the appearance groups."""
    data = json.loads(path.read_text())
    blocks = []  # (row label, scores)
    for name, entry in data["models"].items():
        if "untrained" in entry:
            blocks.append((f"{name}, untrained", entry["untrained"]))
        blocks.append((f"**`{name}`**", entry["trained"]))
        degraded = entry["trained"].get("real_degraded")
        if degraded:
            blocks.append((f"real, degraded to {name}'s FD frame (strength "
                           f"{degraded['strength']:.2f})", degraded))
    blocks.append(("real data (ceiling)", data["real"]))

    def table(columns, get) -> str:
        lines = ["| source | " + " | ".join(t for _, t, _ in columns) + " |",
                 "|---" * (len(columns) + 1) + "|"]
        for label, scores in blocks:
            cells = (cell(*get(scores, k), digits=d) for k, _, d in columns)
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def scalar(scores, key):
        value = scores.get(key)
        return value, (scores.get("ci") or {}).get(key)

    def by_factor(key):
        def get(scores, factor):
            return ((scores.get(key) or {}).get(factor),
                    ((scores.get("ci") or {}).get(key) or {}).get(factor))
        return get

    factors = list(data["real"]["appearance_variance_from_zm_by_factor"])
    parts = [table(SHIPPED_COLUMNS, scalar)]
    parts.append(table(tuple((f, f"z_m → {f} ↓", 2) for f in factors),
                       by_factor("appearance_variance_from_zm_by_factor")))
    parts.append(table(tuple((f, f"κ {f} ↑", 2) for f in factors),
                       by_factor("appearance_kappa_by_factor")))
    return "\n\n".join(parts)


def cell(value, ci=None, digits: int = 3) -> str:
    """``value [low, high]`` (just ``value`` without ``ci``); ``-`` when undefined."""
    if value is None:
        return "-"
    text = f"{value:.{digits}f}"
    return text if not ci else f"{text} [{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]"


def metrics_row(label: str, scores: dict) -> str:
    return f"| {label} | " + " | ".join(cell(scores.get(k), digits=d) for k, _, d in COLUMNS) + " |"


def header(first: str) -> list[str]:
    return [f"| {first} | " + " | ".join(t for _, t, _ in COLUMNS) + " |",
            "|---" * (len(COLUMNS) + 1) + "|"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--curves", type=Path, default=None)
    parser.add_argument("--shipped", type=Path, default=None,
                        help="tools/shipped_metrics.py's JSON: tables with 95 %% intervals")
    args = parser.parse_args()
    if args.shipped:
        print(shipped_tables(args.shipped))
        return
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

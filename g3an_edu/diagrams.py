"""Diagrams of the architecture for the notebooks, drawn with matplotlib (no image files)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

STREAM_COLOURS = {"spatial": "#4C72B0", "video": "#55A868", "temporal": "#C44E52"}


def _box(ax, x: float, y: float, text: str, colour: str, w: float = 1.3, h: float = 0.62,
         fontsize: int = 11) -> None:
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.04",
                                facecolor=colour, edgecolor="black", alpha=0.9))
    ax.text(x, y, text, ha="center", va="center", color="white", fontsize=fontsize,
            fontweight="bold")


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], colour: str = "black",
           style: str = "-|>") -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14,
                                 color=colour, linewidth=1.6, shrinkA=0, shrinkB=0))


def plot_three_streams(n_blocks: int = 5, attention_after: int = 4,
                       figsize: tuple[float, float] = (13, 5)) -> plt.Figure:
    """G3AN's generator as three streams through ``n_blocks`` G3 modules.

    Top row: the spatial stream (appearance ``z_a``, no time); bottom row: the temporal
    stream (motion ``z_m``, no space); middle row: the video stream, which receives both at
    every block (fusion: ``h_v <- concat(rep_T(h_s), h_v + rep_HW(h_t))``). F-SA sits after
    block ``attention_after`` (1-based). Returns the figure.
    """
    fig, ax = plt.subplots(figsize=figsize)
    rows = {"spatial": 2.0, "video": 1.0, "temporal": 0.0}
    xs = [1.6 + 1.9 * i for i in range(n_blocks)]
    ax.text(-0.35, rows["spatial"], "$z_a$\nappearance", ha="center", va="center", fontsize=13)
    ax.text(-0.35, rows["temporal"], "$z_m$\nmotion", ha="center", va="center", fontsize=13)
    _arrow(ax, (0.2, rows["spatial"]), (xs[0] - 0.7, rows["spatial"]), STREAM_COLOURS["spatial"])
    _arrow(ax, (0.2, rows["temporal"]), (xs[0] - 0.7, rows["temporal"]),
           STREAM_COLOURS["temporal"])
    _arrow(ax, (0.2, rows["spatial"] - 0.15), (xs[0] - 0.7, rows["video"] + 0.1), "grey")
    _arrow(ax, (0.2, rows["temporal"] + 0.15), (xs[0] - 0.7, rows["video"] - 0.1), "grey")
    labels = {"spatial": "$h_s$ (1,k,k)", "video": "$h_v$ (1+2)D", "temporal": "$h_t$ (k,1,1)"}
    for i, x in enumerate(xs):
        for stream, y in rows.items():
            _box(ax, x, y, labels[stream], STREAM_COLOURS[stream])
        # fusion: the pure streams feed the video stream of the same block
        _arrow(ax, (x + 0.35, rows["spatial"] - 0.31), (x + 0.55, rows["video"] + 0.31),
               STREAM_COLOURS["spatial"])
        _arrow(ax, (x + 0.35, rows["temporal"] + 0.31), (x + 0.55, rows["video"] - 0.31),
               STREAM_COLOURS["temporal"])
        ax.text(x, 2.55, f"G3 block {i + 1}", ha="center", fontsize=12)
        if i + 1 < n_blocks:
            nxt = xs[i + 1] - 0.65
            for stream, y in rows.items():
                _arrow(ax, (x + 0.65, y), (nxt, y), STREAM_COLOURS[stream])
            if i + 1 == attention_after:
                ax.text((x + 0.65 + nxt) / 2, rows["video"], "F-SA", ha="center", va="center",
                        fontsize=10, fontweight="bold", color="white",
                        bbox=dict(boxstyle="round,pad=0.2", facecolor="#8172B2"))
    end = xs[-1] + 0.65
    _arrow(ax, (end, rows["video"]), (end + 0.7, rows["video"]), STREAM_COLOURS["video"])
    ax.text(end + 0.8, rows["video"], "to_rgb\nvideo\n(3, T, H, W)", va="center", fontsize=12)
    ax.text(xs[0] - 0.1, -0.62, "fusion at every block: $h_v \\leftarrow \\mathrm{concat}"
            "(\\mathrm{rep}_T(h_s),\\ h_v + \\mathrm{rep}_{HW}(h_t))$", fontsize=12)
    ax.set_xlim(-1.0, end + 2.2)
    ax.set_ylim(-0.9, 2.8)
    ax.axis("off")
    fig.tight_layout()
    return fig

"""Figures of the disentanglement study: swap grids and the per-frame brightness profile.

    python tools/study_figures.py --variants paper,pair --seeds 0 --step 4000 \
        --root ~/g3an-runs/study --out docs/study/figures

For every run: ``<variant>-seed<k>_swap.gif`` (rows: 4 appearance codes, columns: 4 motion
codes, fixed noise, EMA weights at ``--step``). For all runs together:
``frame_profile.png``, per frame ``t``: the share of videos whose frame ``t`` is a washed-out
(brightness) outlier, the share that break in colour, the mean jump ratio into frame ``t`` and
the mean brightness (:mod:`g3an_edu.metrics.frames`), with the shipped
``g3an-tiny`` and the real data as references. With ``--curves docs/study`` the profiles come
from the committed curve files (every run of ``--variants`` there, evaluated at ``--step``),
so runs whose checkpoints are gone still appear; ``--pool`` draws one line per variant, the
mean over its runs and over the steps given (``--step 2000,3000,4000``), for a before/after:

    python tools/study_figures.py --curves docs/study --pool --step 2000,3000,4000 \
        --variants style-mod-pair-colour,style-mod-pair-colour-edges \
        --profile-out frame_profile_edges.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from g3an_edu import checkpoint as ckpt
from g3an_edu import load_pretrained
from g3an_edu.metrics.frames import frame_outliers, generator_frame_outliers
from g3an_edu.metrics.real_data import real_source_for
from g3an_edu.models import load_generator
from g3an_edu.study import at_step, curves_in, run_dir
from g3an_edu.viz import generator_swap_grid, save_video


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", required=True)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--step", default="4000",
                        help="checkpoint step; with --curves --pool, a comma-separated list")
    parser.add_argument("--root", type=Path, default=Path.home() / "g3an-runs" / "study")
    parser.add_argument("--out", type=Path, default=Path("docs/study/figures"))
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--curves", type=Path, default=None,
                        help="take the profiles from the curve files in DIR (the runs of "
                             "--variants there)")
    parser.add_argument("--pool", action="store_true",
                        help="with --curves: one profile per variant, the mean over its runs "
                             "and the steps in --step")
    parser.add_argument("--profile-out", default="frame_profile.png",
                        help="file name of the profile figure in --out")
    parser.add_argument("--frames", action="store_true",
                        help="also write <variant>-seed<k>-step<s>_frames.png: the swap grid's "
                             "16 videos as rows, every second frame as columns")
    parser.add_argument("--no-profile", action="store_true",
                        help="swap grids only (leave frame_profile.png as it is)")
    args = parser.parse_args()
    steps = [int(s) for s in args.step.split(",")]
    if len(steps) > 1 and not (args.curves and args.pool):
        parser.error(f"--step {args.step}: several steps need --curves DIR --pool; "
                     "give one step to draw swap grids from checkpoints")
    args.step = steps[0]
    args.out.mkdir(parents=True, exist_ok=True)
    profiles = {}
    config = None
    for variant in args.variants.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            path = ckpt.checkpoint_path(run_dir(args.root, variant, seed), args.step)
            if not path.is_file():
                print(f"{path}: missing, skipped")
                continue
            g, config = load_generator(str(path))
            name = f"{variant}-seed{seed}"
            grid = generator_swap_grid(g, config.length)
            save_video(args.out / f"{name}_swap.gif", grid, ncol=4)
            if args.frames:  # row i·4 + j: z_a i, z_m j
                save_video(args.out / f"{name}-step{args.step}_frames.png", grid[:, :, ::2])
            if args.no_profile:
                continue
            profiles[name] = generator_frame_outliers(g, config.length, args.n)
            print(name, f"washed_out_fraction {profiles[name]['washed_out_fraction']:.3f}")
    if args.no_profile:
        return
    if args.curves:
        wanted = args.variants.split(",")
        runs_of = {v: runs for v, runs in curves_in(args.curves).items() if v in wanted}
        profiles = (pooled_profiles(runs_of, steps) if args.pool else
                    {f"{variant}-seed{seed}": row
                     for variant, runs in runs_of.items()
                     for seed, rows in runs.items()
                     if (row := at_step(rows, args.step)) and "brightness_by_frame" in row})
    shipped, _ = load_pretrained("g3an-tiny")
    profiles["g3an-tiny (shipped, cpu preset)"] = generator_frame_outliers(shipped, 1, args.n)
    if config is None and args.curves:
        from g3an_edu.study import variant_config

        config = variant_config("paper", 0, args.step, args.step)
    if config is not None:
        real = real_source_for(config).sample(args.n, torch.Generator().manual_seed(0))["video"]
        profiles["real data"] = frame_outliers(real)
    plot_profiles(profiles, args.out / args.profile_out)


PROFILE_KEYS = ("outlier_fraction_by_frame", "colour_outlier_fraction_by_frame",
                "jump_ratio_by_frame", "brightness_by_frame")


def pooled_profiles(runs_of: dict[str, dict[int, list[dict]]], steps: list[int]) -> dict:
    """One profile per variant: the mean of each of ``PROFILE_KEYS`` over every (run, step)
    that has it (curves evaluated before the colour and jump counts existed lack those)."""
    pooled = {}
    for variant, runs in runs_of.items():
        rows = [row for rows in runs.values() for s in steps
                if (row := at_step(rows, s)) and "brightness_by_frame" in row]
        if not rows:
            continue
        pooled[f"{variant} ({len(runs)} runs × {len(steps)} steps)"] = {
            key: torch.tensor([row[key] for row in rows]).mean(0).tolist()
            for key in PROFILE_KEYS if all(key in row for row in rows)}
    return pooled


def plot_profiles(profiles: dict[str, dict], path: Path) -> None:
    """Four panels against frame ``t``: washed-out share, colour-outlier share, jump ratio
    into frame ``t`` (frames 1 … T-1) and mean brightness; a profile lacking a key (an old
    curve) is left out of that panel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("outlier_fraction_by_frame", "share of videos whose\nframe t is washed out"),
              ("colour_outlier_fraction_by_frame", "share of videos whose\nframe t breaks "
                                                   "in colour"),
              ("jump_ratio_by_frame", "jump ratio into frame t\n(mean over videos)"),
              ("brightness_by_frame", "mean brightness\n(pixel scale [-1, 1])")]
    panels = [(k, label) for k, label in panels if any(k in p for p in profiles.values())]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.4 * len(panels) + 1), sharex=True,
                             squeeze=False)
    axes = axes[:, 0]
    for ax, (key, label) in zip(axes, panels, strict=True):
        for i, (name, p) in enumerate(profiles.items()):
            if key not in p:
                continue
            style = ({"color": "black", "lw": 2} if name == "real data"
                     else {"color": f"C{i}"})
            first = 1 if key == "jump_ratio_by_frame" else 0  # the jump into frame 1 is first
            ax.plot(range(first, first + len(p[key])), p[key], marker="o", ms=3,
                    label=name, **style)
        ax.set_ylabel(label, fontsize=9)
    axes[-1].set_xlabel("frame t")
    axes[0].legend(fontsize=8, ncol=2)
    axes[0].set_title("Broken frames by frame t: off its video's median frame by > 0.15 "
                      "(brightness, any colour channel); jump ratio", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

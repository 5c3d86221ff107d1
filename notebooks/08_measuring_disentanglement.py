# %% [markdown]
# # 08 · Measuring disentanglement
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/08_measuring_disentanglement.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/08_measuring_disentanglement.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# G3AN's title is its claim: *disentangling appearance and motion*
# ([Wang et al., CVPR 2020, arXiv 1912.05523](https://arxiv.org/abs/1912.05523)). Keep
# $z_a$, change $z_m$: the same person does something else. Keep $z_m$, change $z_a$:
# someone else does the same thing. The paper's Section 4 supports it with Fréchet distances
# (notebook 07) and with **pictures** of generated videos where one code is kept and the other
# changed; the authors' code renders such a grid, one row per $z_a$, one column per $z_m$
# (`demo_nxm.py`). Neither gives a number for disentanglement, and a Fréchet distance cannot:
# notebook 07's stand-in whose $z_m$ does nothing scored like the real data.
#
# On our synthetic data an **oracle** reads every factor back (notebook 07), so we can turn
# the grid into measurements. You will
# 1. run the **swap test** on real data, where a swap is exact: one figure with other
#    figures' motions, one motion on other figures (the ceiling of every measure);
# 2. derive the **variance shares** (what share of a factor's variation a code causes:
#    `appearance_variance_from_zm`, `action_variance_from_za`, `action_variance_from_zm`),
#    **κ** (agreement corrected for chance) and their **bootstrap intervals**, step by step
#    on the real swaps, and match `g3an_edu.metrics`;
# 3. measure the shipped G3AN against the shipped MoCoGAN (Tulyakov et al., 2018), trained the
#    same way, with intervals;
# 4. measure a defect the swap grids show: frames that **wash out** (`g3an_edu.metrics.frames`).

# %%
# Setup: on Colab this installs the course package (a minute); locally it does nothing.
NEEDS_GPU = False  # this notebook also runs on a CPU (a GPU runtime makes it faster)
USE_DRIVE = False  # True: keep what you save (runs/) in your Google Drive across sessions
import os
import subprocess
import sys

if "google.colab" in sys.modules:
    from importlib.metadata import version

    # $G3AN_EDU_SOURCE (any pip requirement) replaces the course's address; asking for the
    # torch Colab already has keeps its CUDA build (pip never downloads another torch)
    source = os.environ.get("G3AN_EDU_SOURCE", "git+https://github.com/g3an-edu/g3an-edu@main")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", source,
                    f"torch=={version('torch')}"], check=True)
    from g3an_edu.colab import setup_colab

    setup_colab(needs_gpu=NEEDS_GPU, use_drive=USE_DRIVE)

# %%
# NBVAL_IGNORE_OUTPUT
# Prints the device, which differs between machines.
import itertools
import math

import matplotlib.pyplot as plt
import torch
from IPython.display import display

from g3an_edu import pick_device, viz
from g3an_edu.data import SyntheticActions
from g3an_edu.metrics import grouped
from g3an_edu.metrics.disentanglement import DatasetSource, GeneratorSource, point_values
from g3an_edu.metrics.evaluation import evaluate, real_scores
from g3an_edu.metrics.frames import THRESHOLD, frame_outliers
from g3an_edu.metrics.oracle import embed, load_oracle
from g3an_edu.metrics.real_data import render_pairs_of
from g3an_edu.models import load_pretrained
from g3an_edu.tier import by_tier, current_tier

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
if tier == "fast" and device.type == "cpu":
    # Small convolutions on a busy 2-core machine: one thread avoids waiting for the other
    # core at every parallel region (several times faster there), and fixes the summation order.
    torch.set_num_threads(1)
N_FD = by_tier(32, 256, 1024)  # videos for evaluate's Fréchet distances (not used here)
N_WASH = by_tier(128, 256, 1024)  # videos per source for the washed-out frames (section 6)
G, K = by_tier((16, 8), (32, 8), (64, 8))  # swap groups: G groups of K videos
N_BOOT = by_tier(300, 1000, 1000)  # bootstrap resamples of the groups
plt.rcParams.update({"font.size": 13})
print(f"tier: {tier} | groups: {G} × {K} | bootstrap: {N_BOOT} | washed-out: {N_WASH} videos")

# %% [markdown]
# ## 1 · The swap test on real data
#
# The oracle of notebook 07 predicts the action and five appearance factors (skin, shirt,
# trousers, background, texture) of a video. The data set can render any appearance with any
# motion: `ds.factors(items)` gives the appearance and the motion of items, `ds.render(looks,
# moves)` draws look $i$ doing motion $i$. The grid G3AN's paper shows, on real data: one row
# per figure, one column per motion.

# %%
oracle, info = load_oracle()  # the shipped oracle, in eval mode, on the CPU
APPEARANCE = tuple(f for f in info["spec"]["factors"] if f != "action")
ds = SyntheticActions(size=32, frames=16, seed=0)
ACTIONS = SyntheticActions.ACTIONS
looks, _ = ds.factors([10_000, 10_001, 10_002])  # 3 figures
_, moves = ds.factors([10_003, 10_004, 10_005, 10_006])  # 4 motions
real_grid = viz.appearance_motion_grid(ds.render, looks, moves)  # (3·4, 3, T, H, W)
print("grid:", tuple(real_grid.shape), "| row i, column j = figure i doing motion j")
grid_actions = embed(oracle, real_grid).predictions()["action"].reshape(3, 4)
print("predicted actions per column:", [[ACTIONS[a] for a in row] for row in grid_actions.tolist()])
assert (grid_actions == grid_actions[0]).all()  # every row: the same actions

# %%
# NBVAL_IGNORE_OUTPUT
# an animation (odd frames only, to keep the notebook small): the predicted actions above
# are the output the tests compare
viz.show_videos(real_grid[:, :, 1::2], ncol=4, scale=2, fps=4)


# %% [markdown]
# Every row is one figure, every column one action, and the oracle agrees: the same action
# down each column. That is what *disentangled* looks like. To measure it we need many such
# comparisons, drawn at random: **groups** of $K$ videos that share one code and differ in
# the other.
# - **appearance groups**: one figure (one $z_a$) per group, $K$ other motions ($K$ fresh
#   $z_m$). Ideal: the looks do not change within a group, the action does.
# - **motion groups**: one motion (one $z_m$) per group, $K$ other figures. Ideal: the
#   action does not change within a group, the looks do.
#
# We draw the item indices in the same order as the package's `DatasetSource.groups`
# (shared items first, then the varied ones), so that we can compare with it.

# %%
def swap_groups(n_groups: int, per_group: int, fixed: str,
                rng: torch.Generator) -> torch.Tensor:
    """``(G, K, 3, T, H, W)``: each group shares one item's ``fixed`` factors ("appearance" or
    "motion") and takes the other factors from ``K`` random items."""
    shared = torch.randint(len(ds), (n_groups,), generator=rng)  # (G,) one item per group
    varied = torch.randint(len(ds), (n_groups * per_group,), generator=rng)  # (G·K,)
    shared = shared[:, None].expand(n_groups, per_group).reshape(-1)  # (G·K,) each K times
    look_items, move_items = (shared, varied) if fixed == "appearance" else (varied, shared)
    group_looks, _ = ds.factors(look_items.tolist())  # appearance of the look items
    _, group_moves = ds.factors(move_items.tolist())  # motion of the move items
    video = ds.render(group_looks, group_moves)  # (G·K, 3, T, H, W): look i doing move i
    return video.reshape(n_groups, per_group, *video.shape[1:])  # (G, K, 3, T, H, W)


rng = torch.Generator().manual_seed(1)
app_out = embed(oracle, swap_groups(G, K, "appearance", rng).flatten(0, 1))  # G·K videos
mot_out = embed(oracle, swap_groups(G, K, "motion", rng).flatten(0, 1))  # G·K videos
print("appearance groups:", G, "×", K, "videos | motion groups:", G, "×", K, "videos")

# %% [markdown]
# ## 2 · Variance shares
#
# The oracle's **soft** predictions say how sure it is: for one factor, the softmax
# probabilities $p_{gk}$ (a vector of $C$ classes) of video $k$ in group $g$. If the kept code
# decides the factor, the probabilities do not move within a group; if the kept code does
# nothing, they move as much within a group as across groups. One-way ANOVA splits the
# variance:
#
# $$\mathrm{MSW} = \frac{\sum_g\sum_k \lVert p_{gk} - \bar p_g\rVert^2}{G(K-1)},\qquad
# \mathrm{MSB} = \frac{K\sum_g \lVert\bar p_g - \bar p\rVert^2}{G-1},\qquad
# \text{share} = \frac{\mathrm{MSW}}{\mathrm{MSW} + (\mathrm{MSB}-\mathrm{MSW})/K}.$$
#
# $\mathrm{MSW}$ estimates the within-group variance $\sigma_w^2$, and $\mathrm{MSB}$ estimates
# $\sigma_w^2 + K\sigma_b^2$, so the share estimates $\sigma_w^2 / (\sigma_w^2 + \sigma_b^2)$:
# the share of the factor's variance caused by the code that **varies** within the group.
# Three of them answer the paper's claim:
#
# | metric | groups | the varied code | ideal |
# |---|---|---|---|
# | `appearance_variance_from_zm` (mean over the 5 factors) | appearance | $z_m$ | 0: a new motion keeps the looks |
# | `action_variance_from_za` | motion | $z_a$ | 0: a new figure keeps the action |
# | `action_variance_from_zm` | appearance | $z_m$ | 1: a new motion changes the action |

# %%
def variance_share(probs: torch.Tensor) -> float:
    """ANOVA within-group share of the variance of ``probs (G, K, C)`` (formula above)."""
    n_groups, per_group = probs.shape[:2]
    p = probs.double()
    group_mean = p.mean(1)  # (G, C)
    msw = float((p - group_mean[:, None]).square().sum()) / (n_groups * (per_group - 1))
    msb = per_group * float((group_mean - group_mean.mean(0)).square().sum()) / (n_groups - 1)
    return msw / (msw + (msb - msw) / per_group)


def probabilities(out, factor: str) -> torch.Tensor:
    """The oracle's softmax probabilities of ``factor`` for ``G·K`` videos: ``(G, K, C)``."""
    return out.logits[factor].softmax(1).reshape(G, K, -1)


ours = {f"appearance_variance_from_zm[{f}]": variance_share(probabilities(app_out, f))
        for f in APPEARANCE}
ours["appearance_variance_from_zm"] = sum(ours.values()) / len(APPEARANCE)
ours["action_variance_from_za"] = variance_share(probabilities(mot_out, "action"))
ours["action_variance_from_zm"] = variance_share(probabilities(app_out, "action"))
for name, value in ours.items():
    print(f"{name:40s} {value:6.3f}")
assert ours["appearance_variance_from_zm"] < 0.1 and ours["action_variance_from_za"] < 0.1
assert ours["action_variance_from_zm"] > 0.9

# %% [markdown]
# On real data, a new motion causes almost none of the variation in the predicted looks, a new
# figure almost none of the variation in the predicted action, and a new motion nearly all of
# it: the measures read near 0, 0 and 1 for a disentangled source, even through an imperfect
# oracle. Why the corrected formula and not the plain ratio of sums of squares? On 400 groups
# of random probabilities that ignore the group, the share is about 1, as it should be,
# while the plain ratio is about $(K-1)/K$:

# %%
noise = torch.rand(400, K, 6, generator=torch.Generator().manual_seed(0)).softmax(2)
plain = float((noise - noise.mean(1, keepdim=True)).square().sum()
              / (noise - noise.mean((0, 1))).square().sum())
print(f"share {variance_share(noise):.2f}   plain ratio {plain:.2f}   (K-1)/K = {(K - 1) / K:.2f}")
assert abs(variance_share(noise) - 1) < 0.1 and abs(plain - (K - 1) / K) < 0.05

# %% [markdown]
# ## 3 · κ: agreement corrected for chance
#
# The simplest measure would be the argmax agreement $p_\text{same}$: how often two videos of
# a group get the same predicted class. It has no baseline: a generator that makes one video
# scores a perfect 1. Two videos of *different* groups share neither code (each video has its
# own varied code, and groups differ in the kept one), so their agreement $p_\text{chance}$ is
# what the classes agree by chance. Cohen's form compares the two:
#
# $$\kappa = \frac{p_\text{same} - p_\text{chance}}{1 - p_\text{chance}}.$$
#
# 1: the kept code decides the class. 0: sharing the code helps no more than sharing nothing.
# Undefined when every video gets the same class ($p_\text{chance} = 1$): a collapsed generator
# cannot be called consistent. Per factor, with explicit loops over the ordered pairs:

# %%
def pairs(n: int) -> list[tuple[int, int]]:
    """All ordered pairs ``(i, j)``, ``i ≠ j``, of ``range(n)``."""
    return list(itertools.permutations(range(n), 2))


def kappa(labels: torch.Tensor) -> tuple[float, float, float]:
    """``(κ, p_same, p_chance)`` of predicted classes ``labels (G, K)``."""
    n_groups, per_group = labels.shape
    within = [int(labels[g, i] == labels[g, j]) for g in range(n_groups)
              for i, j in pairs(per_group)]
    across = [int(labels[g, i] == labels[h, j]) for g, h in pairs(n_groups)
              for i in range(per_group) for j in range(per_group)]
    p_same, p_chance = sum(within) / len(within), sum(across) / len(across)
    return (p_same - p_chance) / (1 - p_chance), p_same, p_chance


kappas = {}
for f in APPEARANCE:  # appearance groups: the looks must agree
    kappas[f], p_same, p_chance = kappa(app_out.predictions()[f].reshape(G, K))
    print(f"appearance groups, {f:10s} agreement {p_same:.3f}  chance {p_chance:.3f}  "
          f"κ {kappas[f]:.3f}")
kappas["action"], p_same, p_chance = kappa(mot_out.predictions()["action"].reshape(G, K))
print(f"motion groups,     {'action':10s} agreement {p_same:.3f}  chance {p_chance:.3f}  "
      f"κ {kappas['action']:.3f}")
assert min(kappas.values()) > 0.8

# %% [markdown]
# **The package's version.** `evaluate` and `real_scores` compute all of these from
# per-group statistics (`g3an_edu/metrics/grouped.py`), which makes the bootstrap below
# cheap: `appearance_variance_from_zm_by_factor` and its mean `appearance_variance_from_zm`,
# `action_variance_from_za`, `action_variance_from_zm`, `appearance_kappa_by_factor`,
# `appearance_kappa` (all five factors at once) and `action_kappa`. On the same oracle
# outputs:

# %%
one = grouped.identity(G)  # (1, G): every group counted once, no resampling
app_stats = grouped.group_stats(app_out, G, K, APPEARANCE)
mot_stats = grouped.group_stats(mot_out, G, K, APPEARANCE)
package = point_values(grouped.group_metrics(app_stats, mot_stats, one, one, APPEARANCE))
for f in APPEARANCE:
    assert math.isclose(ours[f"appearance_variance_from_zm[{f}]"],
                        package["appearance_variance_from_zm_by_factor"][f], rel_tol=1e-6,
                        abs_tol=1e-9), f
    assert math.isclose(kappas[f], package["appearance_kappa_by_factor"][f], rel_tol=1e-6), f
for key in ("appearance_variance_from_zm", "action_variance_from_za", "action_variance_from_zm"):
    assert math.isclose(ours[key], package[key], rel_tol=1e-6, abs_tol=1e-9), key
assert math.isclose(kappas["action"], package["action_kappa"], rel_tol=1e-6)
print("our shares and κ == g3an_edu.metrics.grouped.group_metrics ✓")

# %% [markdown]
# ## 4 · Error bars: the bootstrap over groups
#
# With $G$ groups, another draw of groups gives other numbers. The bootstrap estimates by
# how much: draw $G$ of the groups *with replacement*, recompute, repeat, and take the 2.5 %
# and 97.5 % percentiles. By hand, for the three shares of the real data:

# %%
boot = torch.Generator().manual_seed(0)
app_probs = {f: probabilities(app_out, f) for f in (*APPEARANCE, "action")}
mot_action = probabilities(mot_out, "action")
resampled = {key: [] for key in ("appearance_variance_from_zm", "action_variance_from_za",
                                 "action_variance_from_zm")}
for _ in range(N_BOOT):
    pick_app = torch.randint(G, (G,), generator=boot)  # (G,) appearance groups, with repeats
    pick_mot = torch.randint(G, (G,), generator=boot)  # (G,) motion groups, independently
    resampled["appearance_variance_from_zm"].append(
        sum(variance_share(app_probs[f][pick_app]) for f in APPEARANCE) / len(APPEARANCE))
    resampled["action_variance_from_zm"].append(variance_share(app_probs["action"][pick_app]))
    resampled["action_variance_from_za"].append(variance_share(mot_action[pick_mot]))
by_hand = {}
for key, values in resampled.items():
    q = torch.tensor([0.025, 0.975], dtype=torch.float64)
    by_hand[key] = torch.quantile(torch.tensor(values, dtype=torch.float64), q).tolist()
    print(f"{key:30s} {ours[key]:.3f}, 95 % interval [{by_hand[key][0]:.3f}, "
          f"{by_hand[key][1]:.3f}]  (width {by_hand[key][1] - by_hand[key][0]:.3f})")
    assert by_hand[key][0] <= ours[key] <= by_hand[key][1]

# %% [markdown]
# `real_scores` (and `evaluate`, for a generator) draw their own groups and do the same with
# 1000 resamples (videos are resampled for the Fréchet distances). Its groups are not ours,
# so its values differ a little; its intervals should overlap ours:

# %%
real = DatasetSource(ds, render_pairs_of(ds))
SHARES = ["appearance_variance_from_zm", "action_variance_from_za", "action_variance_from_zm",
          "appearance_kappa", "action_kappa"]
ceiling = real_scores(oracle, real, N_FD, G, K, seed=0, n_boot=N_BOOT, n_boot_fd=20)
for key in SHARES[:3]:
    low, high = ceiling["ci"][key]
    print(f"real_scores {key:30s} {ceiling[key]:.3f} [{low:.3f}, {high:.3f}]")
    assert low <= by_hand[key][1] and by_hand[key][0] <= high, key

# %% [markdown]
# ## 5 · G3AN against MoCoGAN
#
# G3AN's paper argues against **MoCoGAN** (Tulyakov et al., 2018; in the package as
# `g3an_edu.baselines.mocogan.MoCoGANGenerator`): a content code per video, a motion code per
# frame from a GRU, and a 2D image generator applied frame by frame. The G3AN authors observe
# that MoCoGAN tends to generate similar motions for different motion codes. The course ships
# `g3an-tiny` and `mocogan-tiny`: the same data, discriminators, optimiser, batch and steps,
# MoCoGAN's width matched to G3AN's parameter count. Loading them by name checks each file's
# SHA-256. First, their swap grids: one row per $z_a$, one column per $z_m$.

# %%
shipped = {name: load_pretrained(name, device=device)[0].eval()
           for name in ("g3an-tiny", "mocogan-tiny")}
grids = {}
with torch.no_grad():
    for name, g in shipped.items():
        z_a, _ = g.sample_noise(2, 1, generator=torch.Generator().manual_seed(5), device="cpu")
        _, z_m = g.sample_noise(4, 1, generator=torch.Generator().manual_seed(6), device="cpu")
        render = lambda a, m, g=g: g(a.to(device), m.to(device)).float().cpu()  # noqa: E731
        grids[name] = viz.appearance_motion_grid(render, z_a, z_m)  # (2·4, 3, T, H, W)
print({name: tuple(v.shape) for name, v in grids.items()})

# %%
# NBVAL_IGNORE_OUTPUT
# an animation of generated videos (their pixels depend on the CPU; odd frames only, to keep
# the notebook small); the scores below are the checked output
print("rows 1-2: g3an-tiny, rows 3-4: mocogan-tiny; in each, one z_a per row, one z_m per column")
display(viz.show_videos(torch.cat(list(grids.values()))[:, :, 1::2], ncol=4, scale=2, fps=4))

# %% [markdown]
# Look along a row (one $z_a$, other $z_m$): do the looks stay? Down a column (one $z_m$,
# other $z_a$): does the motion stay? Now the same questions as numbers, from `evaluate` with
# this notebook's groups, with the real data as the ceiling. (`evaluate` also computes
# notebook 07's distances from `N_FD` videos; they are not used here, so the fast tier keeps
# that sample small: the groups cost enough.)

# %%
shipped_scores = {name: evaluate(oracle, GeneratorSource(g, 1, device=device), real, N_FD, G,
                                 K, seed=0, with_real=False, n_boot=N_BOOT, n_boot_fd=20)
                  for name, g in shipped.items()}
shipped_scores["real data"] = ceiling

# %%
# NBVAL_IGNORE_OUTPUT
# the trained models' rows depend on floating-point details of the CPU; the checks below do not
heads = ["app. from z_m ↓", "act. from z_a ↓", "act. from z_m ↑", "app. κ ↑", "act. κ ↑"]
print(f"{'':14s}" + "".join(f"{h:>19s}" for h in heads))
for name, s in shipped_scores.items():
    cells = [f"{s[k]:.2f} [{s['ci'][k][0]:.2f},{s['ci'][k][1]:.2f}]" for k in SHARES]
    print(f"{name:14s}" + "".join(f"{c:>19s}" for c in cells))


# %%
def apart(a: dict, b: dict, key: str) -> bool:
    """Whether the 95 % intervals of ``key`` in two score dicts do not overlap."""
    return a["ci"][key][1] < b["ci"][key][0] or b["ci"][key][1] < a["ci"][key][0]


g3an_s, moco_s = shipped_scores["g3an-tiny"], shipped_scores["mocogan-tiny"]
for key in ("appearance_variance_from_zm", "action_variance_from_za", "action_kappa"):
    assert apart(g3an_s, ceiling, key) and apart(moco_s, ceiling, key), key
assert apart(g3an_s, moco_s, "action_variance_from_za")
assert moco_s["action_variance_from_za"] > g3an_s["action_variance_from_za"]
print("both models are apart from the real data on both directions and on action κ ✓")
print("MoCoGAN's action depends on z_a more than G3AN's (intervals apart) ✓")

# %%
fig, axes = plt.subplots(1, len(SHARES), figsize=(18, 3.6), sharey=True)
names = list(shipped_scores)
ideal = {"appearance_variance_from_zm": 0, "action_variance_from_za": 0,
         "action_variance_from_zm": 1, "appearance_kappa": 1, "action_kappa": 1}
for ax, key, head in zip(axes, SHARES, heads, strict=True):
    for i, name in enumerate(names):
        s = shipped_scores[name]
        err = [[s[key] - s["ci"][key][0]], [s["ci"][key][1] - s[key]]]
        ax.errorbar(s[key], i, xerr=err, fmt="o", ms=8, capsize=4,
                    color="0.35" if name == "real data" else plt.cm.tab10(i))
    ax.axvline(ideal[key], color="0.6", ls="--")
    ax.set(xlim=(-0.1, 1.15), title=head)  # one scale for every panel: 0 to 1
axes[0].set_yticks(range(len(names)), names)
axes[0].invert_yaxis()
fig.suptitle(f"Shares and κ with 95 % intervals ({G} groups of {K}); dashed: ideal")
plt.tight_layout()
plt.show()

# %% [markdown]
# The committed evaluation (`docs/shipped_metrics.json`, written by `g3an-edu evaluate` at the
# same sizes, 1000 resamples) gives, for the record:

# %%
from g3an_edu.colab import course_json

committed = course_json("docs/shipped_metrics.json")
if committed is not None:
    rows = {name: committed["models"][name]["trained"] for name in ("g3an-tiny",
                                                                    "mocogan-tiny")}
    rows["real data"] = committed["real"]
    print(f"n = {committed['n']}, {committed['n_groups']} groups of "
          f"{committed['per_group']}, seed {committed['seed']}")
    print(f"{'':14s}" + "".join(f"{h:>19s}" for h in heads))
    for name, s in rows.items():
        cells = [f"{s[k]:.2f} [{s['ci'][k][0]:.2f},{s['ci'][k][1]:.2f}]" for k in SHARES]
        print(f"{name:14s}" + "".join(f"{c:>19s}" for c in cells))

# %% [markdown]
# How to read it (the committed rows; yours above are the same measurement on this machine):
# - **Real data**: the ceiling. Shares near 0, 0 and 1, κ near 1.
# - **`g3an-tiny`**: $z_m$ causes a sizeable share of the variation in the predicted looks,
#   and $z_a$ a large share of the variation in the action: entangled both ways, though the
#   action follows $z_m$ too.
# - **`mocogan-tiny`**: its looks depend on $z_m$ less than G3AN's, but its *content* code
#   decides its action almost entirely (action κ near 0): the paper's "similar motions for
#   different motion codes" criticism of MoCoGAN, measured.
# - **Neither is disentangled** at this size (`docs/RESULTS.md` follows it over training and
#   seeds). One training run per model: two data points, not a verdict on the architectures.
#
# ## 6 · Washed-out frames
#
# The swap grids show another defect: in some of `g3an-tiny`'s videos the last frame turns
# bright. A video's frames share one background and one figure, so their mean brightness
# $b_t$ (over channels and pixels) barely moves over time. A frame is an **outlier** when it
# is far from its own video's *median* brightness (the median, not the mean: one bright frame
# would drag the mean towards itself):
#
# $$\text{outlier}(t) = \lvert b_t - \operatorname{median}_s b_s\rvert > 0.15,\qquad
# \text{washed\_out\_fraction} = \text{share of videos with any outlier frame}.$$

# %%
def washed_out(videos: torch.Tensor, threshold: float = THRESHOLD) -> tuple[float, torch.Tensor]:
    """``(share of videos with an outlier frame, share of videos per frame (T,))`` of videos
    ``(B, 3, T, H, W)`` in [-1, 1]."""
    b = videos.float().mean((1, 3, 4))  # (B, T): mean brightness of every frame
    outlier = (b - b.median(dim=1, keepdim=True).values).abs() > threshold  # (B, T)
    return float(outlier.any(1).float().mean()), outlier.float().mean(0)


with torch.no_grad():
    samples = {name: GeneratorSource(g, 1, device=device).sample(
        N_WASH, torch.Generator().manual_seed(0))["video"] for name, g in shipped.items()}
samples["real data"] = real.sample(N_WASH, torch.Generator().manual_seed(0))["video"]
washed = {name: washed_out(v) for name, v in samples.items()}
for name, v in samples.items():
    package_value = frame_outliers(v)
    assert math.isclose(washed[name][0], package_value["washed_out_fraction"])
    assert torch.allclose(washed[name][1], torch.tensor(package_value["outlier_fraction_by_frame"]))
print("washed_out == g3an_edu.metrics.frames.frame_outliers ✓")
assert washed["real data"][0] == 0.0
print("real data: no video has an outlier frame ✓")

# %%
# NBVAL_IGNORE_OUTPUT
# generated videos: the fractions depend on floating-point details of the CPU
for name, (fraction, by_frame) in washed.items():
    worst = int(by_frame.argmax())
    where = (f"most often at frame {worst} ({by_frame[worst]:.3f} of the videos)"
             if fraction > 0 else "no outlier frame")
    print(f"{name:13s} washed-out fraction {fraction:.3f} | {where}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(15, 4.5))
bins = torch.linspace(0, 0.4, 41).tolist()  # one set of bins for every source
for i, (name, v) in enumerate(samples.items()):
    colour = "0.35" if name == "real data" else plt.cm.tab10(i)
    b = v.float().mean((1, 3, 4))  # (N, T)
    worst = (b - b.median(dim=1, keepdim=True).values).abs().amax(1)  # (N,) per video
    axes[0].hist(worst.clamp(max=0.4).numpy(), bins=bins, color=colour, alpha=0.6, label=name)
    axes[1].plot(washed[name][1], "o-", color=colour, label=name)
axes[0].axvline(THRESHOLD, color="k", ls="--", label=f"threshold {THRESHOLD}")
axes[0].set(xlabel="max over t of |b_t − median b| (one value per video; ≥ 0.4 in the last bin)",
            ylabel="videos",
            yscale="log", title="How far each video's most deviant frame is")
top = max(float(w[1].max()) for w in washed.values())
axes[1].set(xlabel="frame t", ylabel="share of videos", ylim=(-0.01, max(0.1, 1.3 * top)),
            title="Share of videos whose frame t is an outlier")
axes[0].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# If a model washes out, it does so at the edges of the video, where the video discriminator
# sees a frame through few of its temporal convolutions (`docs/STUDY.md` follows this over
# training). The real data have no outlier frame: the threshold is several times their
# largest deviation.
#
# ## What could go wrong
#
# - **Reading one direction only.** A generator that ignores $z_m$ has a perfect
#   `appearance_variance_from_zm` (0) and the worst `action_variance_from_zm` (0 too, where 1
#   is ideal): read the three shares together (Exercise 2).
# - **Mode collapse.** A generator with one output has no variance at all: its shares and κ
#   are undefined (`None`), and an argmax agreement would call it perfectly consistent. Check
#   the diversity first (notebook 07's distances, the action entropy).
# - **An oracle that misreads blurry videos.** Generated videos are off the oracle's training
#   distribution; its soft predictions move where a sharp video's would not. The shares of
#   real videos degraded to the model's frame distance (`evaluate(..., degraded="match")`,
#   `docs/RESULTS.md`) separate the oracle's noise from the generator's entanglement.
# - **Too few groups.** With 16 groups the intervals are wide; call a difference only where
#   the intervals do not overlap, and use more groups before a verdict.
# - **A planted bug.** The plain ratio of sums of squares looks right and gives $(K-1)/K$ for
#   a code that does nothing (section 2; Exercise 1).
#
# ## Summary
#
# - The paper's swap grid, one row per $z_a$ and one column per $z_m$, is a picture; groups
#   that share one code and vary the other turn it into measurements, and real data, where the
#   swap is exact, give their ceiling.
# - **Variance shares** of the oracle's soft predictions (one-way ANOVA, corrected so that a
#   code that does nothing scores 1): `appearance_variance_from_zm` (0 ideal),
#   `action_variance_from_za` (0 ideal), `action_variance_from_zm` (1 ideal).
# - **κ** compares the agreement within groups with the agreement of pairs that share no
#   code, so a collapsed generator cannot look consistent.
# - **Bootstrap intervals** over groups say whether a difference is larger than the
#   evaluation's own noise; `evaluate` and `real_scores` return them in `"ci"`, and equal our
#   derivation on the same outputs.
# - The shipped `g3an-tiny` and `mocogan-tiny` are both apart from the real data: neither
#   disentangles at this size; MoCoGAN's content code decides its action.
# - `g3an_edu.metrics.frames` measures the washed-out frames seen in the grids.
#
# ## Further reading
#
# - Y. Wang, P. Bilinski, F. Bremond, A. Dantcheva. *G3AN: Disentangling Appearance and
#   Motion for Video Generation.* CVPR 2020. [arXiv:1912.05523](https://arxiv.org/abs/1912.05523)
#   (Section 4: the experiments, the metrics reported and the swap grids).
# - S. Tulyakov, M.-Y. Liu, X. Yang, J. Kautz. *MoCoGAN: Decomposing Motion and Content for
#   Video Generation.* CVPR 2018 ([arXiv:1707.04993](https://arxiv.org/abs/1707.04993)).
# - M. Heusel et al. *GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
#   Equilibrium* (FID), NeurIPS 2017 ([arXiv:1706.08500](https://arxiv.org/abs/1706.08500)); T.
#   Unterthiner et al. *Towards Accurate Generative Models of Video* (FVD), 2018
#   ([arXiv:1812.01717](https://arxiv.org/abs/1812.01717)): the distances of notebook 07.
# - J. Cohen. *A coefficient of agreement for nominal scales.* Educational and Psychological
#   Measurement, 1960 (κ). B. Efron, R. Tibshirani. *An Introduction to the Bootstrap*, 1993.

# %% [markdown]
# ## Exercises
#
# Write your answer between the markers (or, in the student copy, in place of the
# `raise NotImplementedError` line), then run the cell: the check says whether it is right and,
# if not, what differs.

# %%
from g3an_edu.exercises.nb08 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (find the bug).** A colleague's variance share returns about 0.88 for
# probabilities that ignore the group entirely, where 1 is right:
#
# ```python
# def buggy_share(probs):  # probs (G, K, C)
#     p = probs.double()
#     within = (p - p.mean(1, keepdim=True)).square().sum()
#     total = (p - p.mean((0, 1))).square().sum()
#     return float(within / total)
# ```
#
# Explain the 0.88 ($K = 8$) and write `fixed_share(probs)` for `probs (G, K, C)`, without
# looking back at section 2.

# %%
def fixed_share(probs: torch.Tensor) -> float:
    ### BEGIN SOLUTION
    # within / total ignores the degrees of freedom: E[within] = G(K−1)σ_w², so noise gives
    # (K−1)/K. Mean squares, and σ_b² = (MSB − MSW)/K, fix it.
    g, k = probs.shape[:2]
    p = probs.double()
    mean = p.mean(1)  # (G, C)
    msw = float((p - mean[:, None]).square().sum()) / (g * (k - 1))
    msb = k * float((mean - mean.mean(0)).square().sum()) / (g - 1)
    return msw / (msw + (msb - msw) / k)
    ### END SOLUTION


check_ex1(fixed_share)

# %% [markdown]
# **Exercise 2 (predict).** Predict the three shares of three stand-ins, before measuring:
# - `"ignores z_m"`: renders real data, but both the looks and the motion come from $z_a$
#   ($z_m$ does nothing);
# - `"swapped"`: renders real data, the looks from $z_m$ and the motion from $z_a$;
# - `"one video"`: whatever the codes, the same real video (total mode collapse).
#
# Answer `{stand_in: {"appearance_variance_from_zm": ..., "action_variance_from_za": ...,
# "action_variance_from_zm": ...}}`, each `0`, `1`, or `None` where the share is undefined
# (nothing varies in the groups at all).

# %%
### BEGIN SOLUTION
# ignores z_m: in appearance groups (z_a kept) all K videos are the same video → no within
# variance: 0 for the looks and 0 for the action; in motion groups z_a varies and decides the
# action → 1. swapped: appearance groups vary z_m, which decides the looks → 1; the action
# comes from the kept z_a → 0; motion groups vary z_a, which decides the action → 1.
predicted = {
    "ignores z_m": {"appearance_variance_from_zm": 0, "action_variance_from_za": 1,
                    "action_variance_from_zm": 0},
    "swapped": {"appearance_variance_from_zm": 1, "action_variance_from_za": 1,
                "action_variance_from_zm": 0},
    "one video": {"appearance_variance_from_zm": None, "action_variance_from_za": None,
                  "action_variance_from_zm": None},  # 0 / 0: nothing varies anywhere
}
### END SOLUTION
check_ex2(predicted)

# %% [markdown]
# **Exercise 3 (find the bug).** This washed-out detector reports almost no washed-out videos
# for a model whose last frames are plainly white:
#
# ```python
# def buggy_washed_out(videos, threshold=0.15):  # videos (B, 3, T, H, W)
#     b = videos.mean((1, 3, 4))  # (B, T)
#     outlier = (b - b.median(dim=0, keepdim=True).values).abs() > threshold
#     return float(outlier.any(1).float().mean())
# ```
#
# Find the bug and write `washed_out_fraction(videos, threshold=0.15)`: the share of videos
# that have at least one frame whose brightness is more than `threshold` from **their own**
# median frame brightness.

# %%
def washed_out_fraction(videos: torch.Tensor, threshold: float = 0.15) -> float:
    ### BEGIN SOLUTION
    b = videos.float().mean((1, 3, 4))  # (B, T)
    outlier = (b - b.median(dim=1, keepdim=True).values).abs() > threshold  # over time
    return float(outlier.any(1).float().mean())
    ### END SOLUTION


check_ex3(washed_out_fraction)

# %% [markdown]
# **Open experiment: how small a change of $z_m$ moves the looks?** The shares above vary
# $z_m$ completely. Take `g3an-tiny`, one $z_a$ per group, and $z_m + \sigma\,\epsilon$ with
# $\epsilon \sim \mathcal N(0, I)$ for $\sigma$ = 0.05, 0.2, 0.5 and 1 (write a small
# `VideoSource` whose `groups` does this, and pass it to `draw_groups` and
# `grouped.group_metrics`). What to look for: does `appearance_variance_from_zm` grow
# smoothly with $\sigma$, or is it already large at 0.05 (the oracle's soft predictions
# flipping near a class boundary)? Compare with the same perturbation of `z_a` on the action,
# and with `mocogan-tiny`. A measure is only useful if it is near 0 for tiny changes: that is
# its noise floor.

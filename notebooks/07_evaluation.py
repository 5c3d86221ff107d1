# %% [markdown]
# # 07 · Evaluating a video GAN
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/07_evaluation.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/07_evaluation.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# A GAN has no loss that says how good it is: the discriminator's loss only says how the two
# players are doing against each other. So how do we know what a video generator learned?
# G3AN makes two claims, and we want to measure both:
#
# 1. **quality**: its videos look like the real ones (the paper reports FID on frames and a
#    Fréchet distance on video features);
# 2. **disentanglement**: $z_a$ controls appearance only and $z_m$ motion only. Keep $z_a$,
#    change $z_m$: the same person does something else. Keep $z_m$, change $z_a$: someone
#    else does the same thing.
#
# The standard tools are FID and FVD: fit a Gaussian to the features that a pretrained
# network (Inception for frames, I3D for videos) extracts from real and from generated
# samples, and report the **Fréchet distance** between the two Gaussians,
#
# $$d^2 = \lVert\mu_r - \mu_g\rVert^2
#   + \mathrm{Tr}\!\left(\Sigma_r + \Sigma_g - 2\,(\Sigma_r^{1/2}\Sigma_g\Sigma_r^{1/2})^{1/2}\right).$$
#
# We cannot use them here, and on our data we can do better (section 1). In this notebook
# you will
# 1. meet the course's **oracle**, a small classifier that reads every factor of a
#    synthetic video back, and use its features in place of Inception's and I3D's;
# 2. derive the Fréchet distance, implement it in a few lines, check it in closed form and
#    against `g3an_edu.metrics.frechet`, and see its **bias at finite sample size**;
# 3. define the **disentanglement metrics**, compute them step by step on real data (where
#    we can swap appearance and motion exactly: the ceiling), and match the package's
#    `disentanglement` and `real_scores`;
# 4. apply everything to generators: an untrained G3AN, a stand-in that ignores $z_m$, and a
#    briefly trained model, side by side with the real data.

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
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn as nn

from g3an_edu import pick_device
from g3an_edu.config import load_config
from g3an_edu.data import SyntheticActions
from g3an_edu.metrics import grouped
from g3an_edu.metrics.disentanglement import (
    DatasetSource,
    GeneratorSource,
    disentanglement,
    point_values,
)
from g3an_edu.metrics.evaluation import evaluate, real_scores
from g3an_edu.metrics.frechet import Gaussian, frechet_distance, frechet_distance_gaussians
from g3an_edu.metrics.oracle import embed, load_oracle
from g3an_edu.metrics.real_data import render_pairs_of
from g3an_edu.models import build_models, load_generator
from g3an_edu.tier import by_tier, current_tier
from g3an_edu.train import train

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
if tier == "fast" and device.type == "cpu":
    # Small convolutions on a busy 2-core machine: one thread avoids waiting for the other
    # core at every parallel region (several times faster there), and fixes the summation order.
    torch.set_num_threads(1)
N = by_tier(256, 512, 1024)  # videos per sample for the Fréchet distances
N_GROUPS, PER_GROUP = by_tier((16, 8), (32, 8), (64, 8))  # disentanglement groups
TRAIN = by_tier(("tiny", 40), ("tiny", 1500), ("colab", 1000))  # (config, steps) in section 5
BOOT_FD = by_tier(20, 100, 200)  # bootstrap resamples of the Fréchet distances (section 7)
plt.rcParams.update({"font.size": 13})
print(f"tier: {tier} | N = {N} | groups: {N_GROUPS} × {PER_GROUP} | training: {TRAIN}")

# %% [markdown]
# ## 1 · Why not FID and FVD, and why known factors are better
#
# - **The weights.** FID needs Inception-v3 trained on ImageNet, FVD needs I3D trained on
#   Kinetics (the G3AN authors used a 3D ResNeXt-101 trained on Kinetics). The course's
#   machines cannot download them.
# - **The domain.** Even with the weights: those networks learned natural photos and
#   YouTube clips at 224 pixels. Our videos are 32×32 rendered figures. Their features need
#   not separate a red shirt from a purple one or a jump from a skip; a distance in that
#   space measures *something*, but not clearly what we care about.
# - **One number.** FID/FVD mix sharpness, colours, diversity and motion into one number,
#   and say nothing about the paper's central claim: that $z_a$ and $z_m$ control different
#   things.
#
# Our data are **synthetic with known factors**: every real video comes with its action
# and its appearance classes (skin, shirt, trousers, background, texture). So we train our
# own feature network on them, the **oracle**, and use it twice: its *features* for the
# Fréchet distances (the course's FID and FVD), its *predictions* to measure
# disentanglement directly. Definitions: `docs/evaluation.md`.
#
# ## 2 · The oracle
#
# A small (2+1)D classifier, factorized like G3AN's discriminator: a 2D CNN per frame gives
# frame features $f_t \in \mathbb{R}^{128}$; their mean over time feeds the appearance
# heads; the frame features and their changes $f_t - f_{t-1}$ go through two temporal
# convolutions into the action head. The course ships one, trained once on 8192
# `SyntheticActions` clips; `oracle.json` records how well it does on 1024 clips it never saw
# and the exact command that trained it.

# %%
oracle, info = load_oracle()  # g3an_edu/assets/oracle.safetensors, in eval mode, on the CPU
print("factors (classes):", info["spec"]["factors"])
print("held-out accuracy on", info["n_val"], "clips:")
for factor, accuracy in info["held_out_accuracy"].items():
    print(f"  {factor:11s} {100 * accuracy:5.1f} %")
print("trained with:", info["command"])
print(f"{sum(p.numel() for p in oracle.parameters()):,} parameters")

# %% [markdown]
# The oracle saw items 0 to 9215 of `SyntheticActions(seed=0)`: 8192 to train on, 1024
# held out to measure its accuracy. We draw our "real" pool from items 10 000 on, so it has never seen
# them. Let us look at what it says about a few.

# %%
ds = SyntheticActions(size=32, frames=16, seed=0)
POOL_START = 10_000
pool = ds.batch(range(POOL_START, POOL_START + 2 * N))  # video (2N, 3, 16, 32, 32) + labels
pool_out = embed(oracle, pool["video"])  # logits, frame/motion/video features of each video
pool_pred = pool_out.predictions()  # factor -> (2N,) predicted class
print("pool:", tuple(pool["video"].shape))
for factor in info["spec"]["factors"]:
    accuracy = (pool_pred[factor] == pool[factor]).float().mean().item()
    print(f"  accuracy on the pool, {factor:11s} {100 * accuracy:5.1f} %")


# %%
def show_clips(videos: torch.Tensor, labels: list[str], n_frames: int = 6,
               title: str = "") -> None:
    """One row per video ``(B, 3, T, H, W)`` in [-1, 1]: ``n_frames`` evenly spaced frames."""
    b, _, t = videos.shape[:3]
    steps = torch.linspace(0, t - 1, n_frames).round().long().tolist()
    fig, axes = plt.subplots(b, n_frames, figsize=(1.9 * n_frames + 3, 1.9 * b), squeeze=False)
    for i in range(b):
        for j, step in enumerate(steps):
            frame = ((videos[i, :, step] + 1) / 2).permute(1, 2, 0).clamp(0, 1)  # (H, W, 3)
            axes[i, j].imshow(frame, interpolation="nearest")
            axes[i, j].set(xticks=[], yticks=[])
            if i == 0:
                axes[i, j].set_title(f"t = {step}")
        axes[i, 0].set_ylabel(labels[i], rotation=0, ha="right", va="center")
    fig.suptitle(title)
    plt.tight_layout()
    plt.show()


ACTIONS, SHIRTS = SyntheticActions.ACTIONS, SyntheticActions.SHIRT
shown = range(6)
labels = [f"{ACTIONS[pool['action'][i]]} → {ACTIONS[pool_pred['action'][i]]}\n"
          f"{SHIRTS[pool['shirt'][i]]} → {SHIRTS[pool_pred['shirt'][i]]}" for i in shown]
show_clips(pool["video"][list(shown)], labels,
           title="Real clips: true → predicted (action, shirt)")
assert all(pool_pred["action"][i] == pool["action"][i] for i in shown)

# %% [markdown]
# The oracle is not perfect (about 1 % of actions and skins are wrong), and every number
# below inherits its errors; that is why we always compute each metric on the real data
# too. Its outputs are what we measure with:
#
# | output | shape | used for |
# |---|---|---|
# | `frame_features` | $(B, T, 128)$ | the course's FID: `fd_frame` |
# | `video_features` | $(B, 256)$: mean frame feature, motion feature | the course's FVD: `fd_video` |
# | `motion_features` | $(B, 128)$ | motion diversity |
# | `predictions()` | factor $\to (B,)$ | disentanglement, action entropy |
#
# ## 3 · The Fréchet distance
#
# Fit a Gaussian to each set of features: $\mathcal N(\mu_1, \Sigma_1)$ to the real ones,
# $\mathcal N(\mu_2, \Sigma_2)$ to the generated ones. The **Fréchet** (2-Wasserstein)
# distance between two distributions is the smallest mean squared distance between paired
# samples, over all ways $\gamma$ of pairing them:
#
# $$d^2(P_1, P_2) = \min_{\gamma \in \Pi(P_1, P_2)} \mathbb E_{(x, y) \sim \gamma}
#   \lVert x - y \rVert^2 .$$
#
# For two Gaussians it has a closed form (Dowson and Landau, 1982):
#
# $$d^2 = \lVert\mu_1 - \mu_2\rVert^2
#   + \mathrm{Tr}\!\left(\Sigma_1 + \Sigma_2 - 2\,(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\right).$$
#
# Two cases to build intuition:
# - in 1D: $d^2 = (\mu_1 - \mu_2)^2 + (\sigma_1 - \sigma_2)^2$: the means and the **standard
#   deviations** are compared;
# - if $\Sigma_1$ and $\Sigma_2$ commute (e.g. both diagonal): the trace term is
#   $\lVert\Sigma_1^{1/2} - \Sigma_2^{1/2}\rVert_F^2$.
#
# **The matrix square root.** A symmetric positive semi-definite matrix is
# $A = V \operatorname{diag}(\lambda) V^\top$ with $\lambda \ge 0$, and
# $A^{1/2} = V \operatorname{diag}(\sqrt\lambda) V^\top$ is the one PSD matrix with
# $A^{1/2} A^{1/2} = A$. FID code often computes $(\Sigma_1\Sigma_2)^{1/2}$ instead, which
# has the same trace (the two matrices are similar) but is **not symmetric**: a general
# `sqrtm` then returns complex numbers from rounding noise. Sandwiching $\Sigma_2$ between
# $\Sigma_1^{1/2}$ keeps everything symmetric, so `eigh` (exact, real) does the work.

# %%
def sqrtm_psd(a: torch.Tensor) -> torch.Tensor:
    """``A^{1/2}`` of a symmetric PSD ``(D, D)`` matrix, by its eigendecomposition."""
    values, vectors = torch.linalg.eigh(a)  # (D,), (D, D): A = V diag(λ) Vᵀ
    return vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T  # rounding: λ ≥ 0


def frechet(x: torch.Tensor, y: torch.Tensor) -> float:
    """Squared Fréchet distance between Gaussians fitted to ``x (N, D)`` and ``y (M, D)``."""
    x, y = x.double(), y.double()
    mu_x, mu_y = x.mean(0), y.mean(0)  # (D,)
    cov_x, cov_y = torch.cov(x.T), torch.cov(y.T)  # (D, D), unbiased (divides by N - 1)
    root_x = sqrtm_psd(cov_x)
    cross = sqrtm_psd(root_x @ cov_y @ root_x)  # (Σx^½ Σy Σx^½)^½
    return float((mu_x - mu_y).square().sum()
                 + cov_x.trace() + cov_y.trace() - 2 * cross.trace())


a = torch.randn(200, 6, generator=torch.Generator().manual_seed(1))
spd = a.T @ a / 200  # (6, 6) symmetric positive definite
assert torch.allclose(sqrtm_psd(spd.double()) @ sqrtm_psd(spd.double()), spd.double())
print("sqrtm_psd(A) @ sqrtm_psd(A) == A ✓")

# %% [markdown]
# **Closed-form checks.** Three cases where we know the answer another way: 1D Gaussians,
# diagonal covariances, and a general pair, where
# $\mathrm{Tr}(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2} = \sum_i \sqrt{\lambda_i(\Sigma_1\Sigma_2)}$
# (the product is similar to a PSD matrix, so its eigenvalues are real and
# $\ge 0$). The package's `frechet_distance_gaussians` takes the parameters directly.

# %%
def gaussian(mu: list[float], cov: torch.Tensor) -> Gaussian:
    """``N(mu, cov)`` as the package's ``Gaussian`` (float64)."""
    return Gaussian(torch.tensor(mu, dtype=torch.float64), cov.double())


one_d = frechet_distance_gaussians(gaussian([0.0], torch.tensor([[1.0]])),
                                   gaussian([3.0], torch.tensor([[4.0]])))
print(f"1D: N(0, 1) vs N(3, 2²): {one_d:.6f}   expected (0-3)² + (1-2)² = 10")
assert math.isclose(one_d, 10.0, rel_tol=1e-9)

var_1, var_2 = torch.tensor([1.0, 4.0, 9.0]), torch.tensor([4.0, 4.0, 1.0])
diag = frechet_distance_gaussians(gaussian([0, 0, 0], torch.diag(var_1)),
                                  gaussian([1, 0, 2], torch.diag(var_2)))
expected = 1 + 4 + float((var_1.sqrt() - var_2.sqrt()).square().sum())
print(f"diagonal: {diag:.6f}   expected |Δμ|² + Σ(σ₁-σ₂)² = {expected:.6f}")
assert math.isclose(diag, expected, rel_tol=1e-9)

g = torch.Generator().manual_seed(2)
a1 = torch.randn(5, 5, generator=g, dtype=torch.float64)
a2 = torch.randn(5, 5, generator=g, dtype=torch.float64)
cov_1, cov_2 = a1 @ a1.T + 0.1 * torch.eye(5), a2 @ a2.T + 0.1 * torch.eye(5)  # SPD, not commuting
root_1 = sqrtm_psd(cov_1)
by_sandwich = sqrtm_psd(root_1 @ cov_2 @ root_1).trace().item()
by_eigenvalues = torch.linalg.eigvals(cov_1 @ cov_2).real.clamp(min=0).sqrt().sum().item()
print(f"general: Tr(Σ₁^½ Σ₂ Σ₁^½)^½ = {by_sandwich:.4f},  Σ √λ(Σ₁Σ₂) = {by_eigenvalues:.4f}")
assert math.isclose(by_sandwich, by_eigenvalues, rel_tol=1e-8)

# %% [markdown]
# **The package's version.** `g3an_edu.metrics.frechet_distance(features_a, features_b)` is
# the same computation (it also symmetrises the matrix before `eigh`, against rounding). On
# the oracle's video features of the two halves of our real pool:

# %%
def sig(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits. Features are float32, so distances differ
    between CPUs in the 5th digit: printing 3 keeps the saved outputs comparable."""
    return f"{float(f'{value:.{digits}g}'):g}"


real_a, real_b = pool_out.video_features[:N], pool_out.video_features[N:]  # (N, 256) each
mine, package = frechet(real_a, real_b), frechet_distance(real_a, real_b)
print(f"ours {sig(mine)}   package {sig(package)}")
assert math.isclose(mine, package, rel_tol=1e-6)
print("frechet == g3an_edu.metrics.frechet_distance on the same features ✓")


# %% [markdown]
# ### Frames and videos: the course's FID and FVD
#
# `fd_frame` fits one Gaussian to all $N \cdot T$ frame features (like FID, it cannot see
# time); `fd_video` fits one to the $N$ video features (like FVD). To see the difference,
# compare real videos with three corrupted copies: frames **shuffled** in time (every frame
# is real, the motion is nonsense), **frozen** (the first frame 16 times), and **tinted**
# (red channel +0.3).

# %%
def fd_pair(videos_a: torch.Tensor, videos_b: torch.Tensor) -> tuple[float, float]:
    """``(fd_video, fd_frame)`` between two sets of videos ``(N, 3, T, H, W)``."""
    out_a, out_b = embed(oracle, videos_a), embed(oracle, videos_b)
    return (frechet(out_a.video_features, out_b.video_features),
            frechet(out_a.frame_features.flatten(0, 1),  # (N·T, 128)
                    out_b.frame_features.flatten(0, 1)))


videos_a, videos_b = pool["video"][:N], pool["video"][N:]  # (N, 3, T, H, W) each
perm = torch.randperm(16, generator=torch.Generator().manual_seed(3))
tint = torch.tensor([0.3, 0.0, 0.0])[:, None, None, None]  # (3, 1, 1, 1)
corrupted = {
    "real (another sample)": videos_b,
    "shuffled in time": videos_b[:, :, perm],  # (N, 3, T, H, W), frames reordered
    "frozen (first frame)": videos_b[:, :, :1].expand_as(videos_b),  # (N, 3, T, H, W)
    "tinted red": (videos_b + tint).clamp(-1, 1),
}
fds = {name: fd_pair(videos_a, v) for name, v in corrupted.items()}
print(f"{'real vs':24s} {'fd_video':>9s} {'fd_frame':>9s}")
for name, (fd_v, fd_f) in fds.items():
    print(f"{name:24s} {sig(fd_v):>9s} {sig(fd_f):>9s}")
base_v, base_f = fds["real (another sample)"]
assert math.isclose(fds["shuffled in time"][1], base_f, rel_tol=1e-4)  # the same frames
assert fds["shuffled in time"][0] > 3 * base_v and fds["frozen (first frame)"][0] > 3 * base_v

# %% [markdown]
# Shuffling leaves `fd_frame` exactly where it was: the set of frames is the same, so a
# frame metric (FID) cannot see broken motion. `fd_video` sees it. Note also that the real
# sample does **not** score 0 against the other real sample.
#
# ### Sample-size bias
#
# The Fréchet distance is computed from *estimated* means and covariances. With $n$
# samples, $\hat\mu$ and $\hat\Sigma$ are noisy, and the noise always adds distance:
# $\mathbb E[d^2(\hat P_1, \hat P_2)] > d^2(P_1, P_2)$ even when $P_1 = P_2$. The excess
# shrinks roughly like $1/n$ (the mean term exactly: $\mathbb E\lVert\hat\mu_1 -
# \hat\mu_2\rVert^2 = 2\,\mathrm{Tr}\,\Sigma / n$). Two consequences: compare models **at
# the same $n$**, and read every score against the real-vs-real value at that $n$, which is
# what a perfect generator would get. The package reports it as the `real` column.

# %%
def fd_at(n: int, repeats: int = 5, seed: int = 4) -> dict[str, float]:
    """Mean over ``repeats`` random subsets of ``n`` videos from each real half: fd_video,
    fd_frame and the mean term of fd_video (features from ``pool_out``, no new rendering)."""
    rng = torch.Generator().manual_seed(seed)
    frames = pool_out.frame_features  # (2N, T, 128)
    out = {"fd_video": 0.0, "fd_frame": 0.0, "mean term": 0.0}
    for _ in range(repeats):
        ia = torch.randperm(N, generator=rng)[:n]  # (n,) videos of half A
        ib = N + torch.randperm(N, generator=rng)[:n]  # (n,) videos of half B
        va, vb = pool_out.video_features[ia].double(), pool_out.video_features[ib].double()
        out["fd_video"] += frechet(va, vb) / repeats
        out["fd_frame"] += frechet(frames[ia].flatten(0, 1), frames[ib].flatten(0, 1)) / repeats
        out["mean term"] += float((va.mean(0) - vb.mean(0)).square().sum()) / repeats
    return out


sizes = [s for s in (16, 32, 64, 128, 256, 512, 1024) if s <= N]
bias = {n: fd_at(n) for n in sizes}
for n in sizes:
    print(f"n = {n:4d}: " + "   ".join(f"{k} {sig(v):>6s}" for k, v in bias[n].items()))
assert bias[sizes[-1]]["fd_video"] < bias[sizes[0]]["fd_video"] / 4

# %%
trace = float(torch.cov(pool_out.video_features.double().T).trace())  # Tr Σ of real videos
fig, ax = plt.subplots(figsize=(9, 5.5))
for key, marker in (("fd_video", "o-"), ("fd_frame", "s-"), ("mean term", "^-")):
    ax.loglog(sizes, [bias[n][key] for n in sizes], marker, label=f"{key}, real vs real")
ax.loglog(sizes, [2 * trace / n for n in sizes], "k--", label="2 Tr Σ / n")
ax.set(xlabel="videos per sample n", ylabel="squared Fréchet distance",
       title="Two samples of the same real data: the distance shrinks with n")
ax.legend()
plt.show()

# %% [markdown]
# The mean term follows $2\,\mathrm{Tr}\,\Sigma / n$. The covariance term (the rest of
# `fd_video`) is larger and shrinks too: up to $n = 256$, the feature dimension, the estimated
# covariance (of rank at most $n - 1$) is singular, and far from the true one. (Each point is a mean over 5 random
# subsets; at $n = N$ the two halves are used whole.) This is why FID papers fix $n$ (often
# 50 000), and why an FD computed with a few hundred videos is only comparable with another
# computed the same way.
#
# ## 4 · Disentanglement
#
# Predictions let us test the paper's claim directly. We draw **groups** of $K$ videos that
# share one input and differ in the other:
# - **appearance groups** $\mathcal A$: one $z_a$ per group, $K$ fresh $z_m$ (real data: one
#   figure rendered with $K$ other videos' motions);
# - **motion groups** $\mathcal M$: one $z_m$ per group, $K$ fresh $z_a$ (real data: one
#   motion rendered on $K$ other figures).
#
# Within each of $G$ groups, compare all ordered pairs $i \ne j$ ($P = G\,K(K-1)$ pairs). With
# $\hat y(v)$ the oracle's predicted action of video $v$, $\hat a(v)$ the tuple of its
# predicted appearance classes (skin, shirt, trousers, background, texture), $m(v)$ its
# motion feature, and $\mathbb 1[\cdot]$ 1 when true:
#
# | metric | groups | definition | ideal |
# |---|---|---|---|
# | appearance consistency | $\mathcal A$ | $\frac1P\sum_{g}\sum_{i\ne j}\mathbb 1[\hat a(v_{gi}) = \hat a(v_{gj})]$ | 1: $z_m$ never changes the looks |
# | action spread | $\mathcal A$ | $\frac1P\sum_{g}\sum_{i\ne j}\mathbb 1[\hat y(v_{gi}) \ne \hat y(v_{gj})]$ | as real, $\approx 1-\sum_a p_a^2$: $z_m$ changes the action |
# | motion diversity | $\mathcal A$ | $\frac1P\sum_{g}\sum_{i\ne j}\lVert m(v_{gi}) - m(v_{gj})\rVert_2$ | as real; 0: $z_m$ is ignored |
# | action consistency | $\mathcal M$ | $\frac1P\sum_{g}\sum_{i\ne j}\mathbb 1[\hat y(v_{gi}) = \hat y(v_{gj})]$ | 1: $z_a$ never changes the action |
# | appearance spread | $\mathcal M$ | $\frac1P\sum_{g}\sum_{i\ne j}\mathbb 1[\hat a(v_{gi}) \ne \hat a(v_{gj})]$ | as real: $z_a$ changes the looks |
#
# and, over $N$ independent samples with $\hat p_a$ the fraction predicted as action $a$ (of
# $A = 10$),
#
# $$\text{action entropy} = \frac{-\sum_a \hat p_a \log \hat p_a}{\log A} \in [0, 1],$$
#
# 1 when every action is generated equally often, 0 when only one is. Consistency alone is
# not enough: a generator that makes the same grey blob for every input is perfectly
# "consistent". It must be read with the spreads, the diversity and the entropy.
#
# ### Real swaps: the ceiling
#
# On real data we can do the swap exactly: `ds.factors(indices)` gives the appearance and
# motion factors of any items, and `ds.render(looks, moves)` draws look $i$ doing motion $i$.
# We draw the item indices from a seeded generator in the same order as the package's
# `DatasetSource.groups` (shared items first, then the varied ones), so we can compare.

# %%
def swap_groups(n_groups: int, per_group: int, fixed: str,
                rng: torch.Generator) -> torch.Tensor:
    """``(G, K, 3, T, H, W)``: each group shares one item's ``fixed`` factors ("appearance" or
    "motion") and takes the other factors from ``K`` random items."""
    shared = torch.randint(len(ds), (n_groups,), generator=rng)  # (G,) one item per group
    varied = torch.randint(len(ds), (n_groups * per_group,), generator=rng)  # (G·K,)
    shared = shared[:, None].expand(n_groups, per_group).reshape(-1)  # (G·K,) each K times
    look_items, move_items = (shared, varied) if fixed == "appearance" else (varied, shared)
    looks, _ = ds.factors(look_items.tolist())  # appearance of the look items
    _, moves = ds.factors(move_items.tolist())  # motion of the move items
    video = ds.render(looks, moves)  # (G·K, 3, T, H, W): look i doing move i
    return video.reshape(n_groups, per_group, *video.shape[1:])  # (G, K, 3, T, H, W)


G, K = N_GROUPS, PER_GROUP
rng = torch.Generator().manual_seed(1)
app_groups = swap_groups(G, K, "appearance", rng)  # (G, K, 3, T, H, W)
motion_groups = swap_groups(G, K, "motion", rng)  # (G, K, 3, T, H, W)
print("appearance groups", tuple(app_groups.shape), "| motion groups", tuple(motion_groups.shape))

# %%
app_out = embed(oracle, app_groups.flatten(0, 1))  # G·K videos
app_pred = {f: p.reshape(G, K) for f, p in app_out.predictions().items()}  # factor -> (G, K)
show_clips(app_groups[0, :4], [ACTIONS[a] for a in app_pred["action"][0, :4]],
           title="An appearance group: one figure, other motions (predicted action)")

# %%
motion_out = embed(oracle, motion_groups.flatten(0, 1))
motion_pred = {f: p.reshape(G, K) for f, p in motion_out.predictions().items()}
show_clips(motion_groups[0, :4], [SHIRTS[s] + " shirt" for s in motion_pred["shirt"][0, :4]],
           title=f"A motion group: one motion ({ACTIONS[motion_pred['action'][0, 0]]}), "
                 "other figures")

# %% [markdown]
# Now each metric, written with explicit loops over the pairs so that every term of the
# definitions above is visible.

# %%
APPEARANCE = tuple(f for f in info["spec"]["factors"] if f != "action")


def pairs(per_group: int):
    """All ordered pairs ``(i, j)``, ``i ≠ j``, of a group."""
    return list(itertools.permutations(range(per_group), 2))


def agreement(pred: dict[str, torch.Tensor], factors: tuple[str, ...]) -> float:
    """Fraction of within-group pairs whose predictions agree on every factor in ``factors``."""
    n_groups, per_group = pred[factors[0]].shape
    same = [all(pred[f][g, i] == pred[f][g, j] for f in factors)
            for g in range(n_groups) for i, j in pairs(per_group)]
    return sum(same) / len(same)


def mean_distance(features: torch.Tensor) -> float:
    """Mean Euclidean distance between the feature vectors ``(G, K, D)`` of each pair."""
    n_groups, per_group = features.shape[:2]
    d = [float((features[g, i].double() - features[g, j].double()).norm())
         for g in range(n_groups) for i, j in pairs(per_group)]
    return sum(d) / len(d)


def action_entropy(actions: torch.Tensor, n_actions: int = 10) -> float:
    """Entropy of the histogram of ``actions (N,)`` divided by ``log(n_actions)``."""
    p = torch.bincount(actions, minlength=n_actions).double() / len(actions)  # (A,)
    p = p[p > 0]  # 0 · log 0 = 0
    return max(0.0, float(-(p * p.log()).sum()) / math.log(n_actions))


def show(name: str, value: float) -> str:
    """A metric for printing: distances to 3 significant digits, fractions to 3 decimals."""
    return sig(value) if name.startswith(("fd", "motion")) else f"{value:.3f}"


ours = {
    "appearance_consistency": agreement(app_pred, APPEARANCE),
    "action_spread": 1 - agreement(app_pred, ("action",)),
    "motion_diversity": mean_distance(app_out.motion_features.reshape(G, K, -1)),
    "action_consistency": agreement(motion_pred, ("action",)),
    "appearance_spread": 1 - agreement(motion_pred, APPEARANCE),
}
for name, value in ours.items():
    print(f"{name:24s} {show(name, value):>8s}")
p_action = torch.bincount(pool["action"], minlength=10).double() / len(pool["action"])
print(f"1 - Σ p_a² of the real actions: {1 - float(p_action.square().sum()):.3f}  "
      "(the action spread if the oracle were perfect)")

# %% [markdown]
# On real data, appearance consistency and action consistency are close to 1 but not
# exactly: when the oracle misreads one video of a pair (about 1 % of the time per factor,
# five appearance factors), the pair disagrees. This is the **ceiling**: no generator can be
# expected to beat it with this oracle.
#
# **The package's version.** `g3an_edu.metrics.disentanglement(oracle, source, G, K, rng)`
# takes any `VideoSource`: a `DatasetSource` for real data (it needs a `render_pairs` to swap,
# which `render_pairs_of(ds)` builds from `ds.factors` and `ds.render`) or a
# `GeneratorSource` for a generator. Same seed, same numbers:

# %%
real = DatasetSource(ds, render_pairs_of(ds))
package = disentanglement(oracle, real, G, K, rng=torch.Generator().manual_seed(1))
for name, value in ours.items():
    assert math.isclose(value, package[name], rel_tol=1e-6, abs_tol=1e-6), name
print("our loops == g3an_edu.metrics.disentanglement on the same swaps ✓")

# %% [markdown]
# ### Everything at once: `real_scores` and `evaluate`
#
# `evaluate(oracle, fake, real, n, n_groups, per_group, seed)` draws $n$ real and $n$ fake
# videos for the Fréchet distances and the action entropy, then groups of the fake source for
# disentanglement. `real_scores(...)` computes the same metrics for the real data: two
# independent real samples of size $n$ for the distances, real swaps for the rest. Rebuilt
# from our own functions, following its draws from the generator seeded with `seed + 1`:

# %%
def our_real_scores(n: int, n_groups: int, per_group: int, seed: int) -> dict[str, float]:
    """``real_scores`` from this notebook's functions (same draws, same order)."""
    rng = torch.Generator().manual_seed(seed + 1)
    batch_a = ds.batch(torch.randint(len(ds), (n,), generator=rng).tolist())
    batch_b = ds.batch(torch.randint(len(ds), (n,), generator=rng).tolist())
    fd_video, fd_frame = fd_pair(batch_a["video"], batch_b["video"])
    app = embed(oracle, swap_groups(n_groups, per_group, "appearance", rng).flatten(0, 1))
    mot = embed(oracle, swap_groups(n_groups, per_group, "motion", rng).flatten(0, 1))
    app_p = {f: p.reshape(n_groups, per_group) for f, p in app.predictions().items()}
    mot_p = {f: p.reshape(n_groups, per_group) for f, p in mot.predictions().items()}
    return {"fd_video": fd_video, "fd_frame": fd_frame,
            "appearance_consistency": agreement(app_p, APPEARANCE),
            "action_spread": 1 - agreement(app_p, ("action",)),
            "motion_diversity": mean_distance(
                app.motion_features.reshape(n_groups, per_group, -1)),
            "action_consistency": agreement(mot_p, ("action",)),
            "appearance_spread": 1 - agreement(mot_p, APPEARANCE),
            "action_entropy": action_entropy(
                embed(oracle, batch_a["video"]).predictions()["action"])}


ceiling = real_scores(oracle, real, N, G, K, seed=0, n_boot_fd=BOOT_FD)
rebuilt = our_real_scores(N, G, K, seed=0)
print(f"{'metric':24s} {'ours':>9s} {'package':>9s}")
for name, value in rebuilt.items():
    print(f"{name:24s} {show(name, value):>9s} {show(name, ceiling[name]):>9s}")
    assert math.isclose(value, ceiling[name], rel_tol=1e-5, abs_tol=1e-6), name
print("our metrics == g3an_edu.metrics.evaluation.real_scores ✓")

# %% [markdown]
# ## 5 · Applying it to generators
#
# Any object with `sample_noise(batch, length, generator=)` and `G(z_a, z_m) -> video` can be
# evaluated; `GeneratorSource` draws its noise (on the CPU, from the seed) and its groups
# (one $z_a$ with $K$ fresh $z_m$, and the reverse). We compare four:
#
# - **copy of the data** (a stand-in): $z_a$ picks a real item's appearance, $z_m$ another
#   item's motion, and it renders them. A perfect generator, by construction;
# - **copy that ignores $z_m$** (a stand-in): the motion also comes from $z_a$. Its videos
#   are all real, so its Fréchet distances are as good as the data's; only the
#   disentanglement metrics can tell that $z_m$ does nothing;
# - **an untrained G3AN** (the `tiny` configuration);
# - **a briefly trained G3AN**: the same configuration after a few training steps in the
#   fast tier (longer in the `laptop` and `gpu` tiers; notebook 06 trains for real).

# %%
class CopyOfData(nn.Module):
    """A stand-in "generator" that renders real items chosen by its noise.

    ``z_a (B, 128)`` picks the item whose appearance is drawn, ``z_m (B, 10, L)`` the item whose
    motion is drawn; with ``ignore_motion`` the motion item is picked by ``z_a`` as well.
    """

    def __init__(self, ignore_motion: bool = False) -> None:
        super().__init__()
        self.ignore_motion = ignore_motion

    def sample_noise(self, batch: int, length: int = 1, generator=None, device=None):
        z_a = torch.randn(batch, 128, generator=generator)  # (B, 128)
        z_m = torch.randn(batch, 10, length, generator=generator)  # (B, 10, L)
        return z_a, z_m

    @staticmethod
    def item(z: torch.Tensor, column: int) -> list[int]:
        """An item index per video from one column of its noise (a fixed hash)."""
        return ((z.flatten(1)[:, column].abs() * 1e6).long() % len(ds)).tolist()

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        looks, _ = ds.factors(self.item(z_a, 0))
        _, moves = ds.factors(self.item(z_a, 1) if self.ignore_motion else self.item(z_m, 0))
        return ds.render(looks, moves)  # (B, 3, T, H, W)


# %% [markdown]
# The briefly trained model: `g3an_edu.train.train` writes checkpoints to a directory and
# resumes from the last one, so a second run of this cell in the `laptop` tier reuses the
# model instead of training again. (To evaluate your own run from notebook 06, set
# `CHECKPOINT` to its directory.)

# %%
# NBVAL_IGNORE_OUTPUT
# Training time differs between machines.
CHECKPOINT = None  # e.g. "runs/06_training": evaluate your own run as well
config_name, steps = TRAIN
config = load_config(config_name)
run_dir = (Path(tempfile.mkdtemp()) if tier == "fast"
           else Path("runs") / f"07_{config_name}_{steps}")
result = train(config, run_dir, steps=steps, device=str(device), progress=tier != "fast")
trained, _ = load_generator(run_dir, device=device)  # the EMA weights, in eval mode
print(f"{config_name}: trained to step {result.step} in {run_dir}")

# %%
generators = {
    "copy of the data": CopyOfData(),
    "copy, ignores z_m": CopyOfData(ignore_motion=True),
    "G3AN, untrained": build_models(config)[0].to(device),
    f"G3AN, {steps} steps": trained,
}
if CHECKPOINT is not None:
    generators["your checkpoint"] = load_generator(CHECKPOINT, device=device)[0]
scores = {name: evaluate(oracle, GeneratorSource(g, config.length, device=device), real, N,
                         G, K, seed=0, with_real=False, n_boot_fd=BOOT_FD)
          for name, g in generators.items()}
scores["real data"] = ceiling

# %%
# NBVAL_IGNORE_OUTPUT
# The G3AN rows depend on floating-point details of the CPU; the checks below do not.
KEYS = ["fd_video", "fd_frame", "appearance_consistency", "action_spread", "motion_diversity",
        "action_consistency", "appearance_spread", "action_entropy"]
short = ["fd_video", "fd_frame", "app.cons", "act.spread", "mot.div", "act.cons",
         "app.spread", "act.entropy"]
print(f"{'':20s}" + "".join(f"{s:>12s}" for s in short))
for name, s in scores.items():
    print(f"{name:20s}" + "".join(f"{s[k]:12.0f}" if k.startswith("fd") else f"{s[k]:12.3f}"
                                  for k in KEYS))

# %%
copy, frozen = scores["copy of the data"], scores["copy, ignores z_m"]
untrained = scores["G3AN, untrained"]
assert frozen["motion_diversity"] == 0.0 and frozen["action_spread"] == 0.0
assert frozen["fd_video"] < 3 * ceiling["fd_video"]  # real videos: the FD cannot tell
assert copy["action_spread"] > 0.5 and copy["appearance_consistency"] > 0.8
assert untrained["fd_video"] > 10 * ceiling["fd_video"]
print("copy ignoring z_m: motion diversity 0 and action spread 0, yet an FD as good as "
      "real ✓")
print("untrained G3AN: fd_video more than 10× the real-vs-real value ✓")

# %%
fig, axes = plt.subplots(1, 3, figsize=(17, 5.5), gridspec_kw={"width_ratios": [2, 5, 1.3]})
names = list(scores)
colours = [plt.cm.tab10(i) for i in range(len(names) - 1)] + ["0.35"]  # real data: grey
for ax, keys, log in ((axes[0], KEYS[:2], True), (axes[1], KEYS[2:4] + KEYS[5:], False),
                      (axes[2], KEYS[4:5], False)):
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [scores[name][k] for k in keys]
        ax.bar([x + (i - (len(names) - 1) / 2) * width for x in range(len(keys))], values,
               width, color=colours[i], label=name, hatch="//" if name == "real data" else None)
    ax.set_xticks(range(len(keys)), [k.replace("_", "\n") for k in keys])
    if log:
        ax.set_yscale("log")
axes[0].set_title("Fréchet distances (lower is better)")
axes[1].set_title("Disentanglement (compare with the real data)")
axes[2].set_title("Motion diversity")
axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=len(names))
plt.tight_layout()
plt.show()

# %% [markdown]
# How to read it:
# - The **copy of the data** sits at the real data's values everywhere: the metrics do not
#   penalise a perfect generator.
# - The **copy that ignores $z_m$** has Fréchet distances as good as the data's, yet motion
#   diversity 0 and action spread 0: changing $z_m$ changes nothing. Its action consistency
#   is low too, since its action follows $z_a$. A Fréchet distance alone would have called
#   it perfect.
# - The **untrained G3AN** makes near-grey videos: huge Fréchet distances, and
#   consistencies of 1 only because every video looks the same (spreads and entropy near 0).
# - The **briefly trained G3AN** is not a good generator yet. After 40 steps (the fast tier)
#   colours appear, so `fd_frame` falls, but the videos are varied and wrong (`fd_video` can
#   rise) and noise changes everything at once: low consistencies. Disentanglement has to be
#   learned; the `laptop` tier trains for 1500 steps, notebook 06 longer.
#
# ## 6 · MoCoGAN, and the ablation table
#
# G3AN's paper argues against **MoCoGAN** (Tulyakov et al., 2018; in the package as
# `g3an_edu.baselines.mocogan.MoCoGANGenerator`): a content code per video, a motion code per
# frame from a GRU, and a 2D image generator applied frame by frame. The G3AN authors observe
# that MoCoGAN tends to generate similar motions for different motion codes. In our metrics
# that claim is a low **action spread** and **motion diversity** with a fixed $z_a$ (the copy that
# ignores $z_m$ is the extreme case). MoCoGAN has the same `G(z_a, z_m)` interface, so
# `evaluate` takes it unchanged; the `mocogan-*` configurations train it with the same
# discriminators, at a matched width.
#
# `benchmarks/ablations.py` trains G3AN with each factorization of the video stream (1p2d,
# 2p1d, 3d), with and without F-SA, and MoCoGAN, for the same steps and seeds, and writes one
# table of these metrics, next to the real data's, to `benchmarks/RESULTS.md` (one run on the
# command line: `g3an-edu evaluate --checkpoint RUN_DIR`). Read it with this notebook's
# lessons: the same $n$ for every row, the real row as the ceiling, and the disentanglement
# metrics together, never one alone.
#
# ### The shipped models: G3AN against MoCoGAN, trained the same way
#
# The course ships `g3an-tiny` and `mocogan-tiny` (notebook 00 shows their samples): the
# same data, discriminators, optimiser, batch and steps, MoCoGAN's width matched to G3AN's
# parameter count. Loading them by name checks each file's SHA-256. Here they are through the
# same `evaluate`, at this notebook's $n$, with the untrained G3AN and the real data as the
# floor and the ceiling. Two net scores read the consistencies and spreads together:
# `appearance_disentanglement` = appearance consistency + appearance spread − 1 (0 when a
# code is ignored, as for the untrained model whose consistencies are a trivial 1) and
# `action_disentanglement` likewise.

# %%
from g3an_edu.models import load_pretrained

shipped = {name: load_pretrained(name, device=device)[0] for name in ("g3an-tiny", "mocogan-tiny")}
shipped_scores = {name: evaluate(oracle, GeneratorSource(g, 1, device=device), real, N, G, K,
                                 seed=0, with_real=False, n_boot_fd=BOOT_FD)
                  for name, g in shipped.items()}
shipped_scores["G3AN, untrained"] = scores["G3AN, untrained"]
shipped_scores["real data"] = ceiling  # every score dict has the net scores too

# %%
# NBVAL_IGNORE_OUTPUT
# the trained models' rows depend on floating-point details of the CPU; the checks below do not
NET = ["fd_video", "fd_frame", "appearance_disentanglement", "action_disentanglement",
       "motion_diversity", "action_entropy"]
print(f"{'':18s}" + "".join(f"{k.replace('_disentanglement', ' dis.'):>18s}" for k in NET))
for name, s in shipped_scores.items():
    print(f"{name:18s}" + "".join(f"{s[k]:18.0f}" if k.startswith("fd") else f"{s[k]:18.3f}"
                                  for k in NET))

# %%
g3an_s = shipped_scores["g3an-tiny"]
assert g3an_s["fd_video"] < untrained["fd_video"] and g3an_s["fd_frame"] < untrained["fd_frame"]
assert g3an_s["motion_diversity"] > untrained["motion_diversity"]
print("g3an-tiny beats the untrained G3AN on both Fréchet distances and on motion diversity ✓")

# %% [markdown]
# How to read it (the numbers quoted are the fast tier's, $n = 256$; `docs/RESULTS.md` has
# them over four evaluation seeds and over training):
# - Both trained models are far above the untrained one and far below the real data: Fréchet
#   distances about 7–8× (videos) and 5–8× (frames) the real-vs-real floor.
# - **MoCoGAN** has the better Fréchet distances (about 1800 / 340 against G3AN's 2300 / 530)
#   and the higher appearance score: changing its $z_m$ keeps its looks more often.
# - **G3AN**'s action score is positive (about +0.1 to +0.2: the action follows $z_m$ more
#   than $z_a$), **MoCoGAN**'s is negative (about −0.35: its *content* code decides the action
#   more than its motion code does), and G3AN's motion diversity is almost twice MoCoGAN's.
#   That is the paper's "similar motions" criticism of MoCoGAN, measured.
# - **Neither is disentangled** at this size: G3AN's appearance consistency of about 0.3
#   means that a new $z_m$ changes the predicted looks in two pairs out of three.
# - One training run per model: these are two data points, not a verdict on the
#   architectures. A verdict needs several training seeds per model, as in
#   `benchmarks/ablations.py`.

# %% [markdown]
# ## 7 · Measures that hold up: variance shares, κ and error bars
#
# The argmax agreements above have three weaknesses. An argmax flips wherever the oracle sits
# near a decision boundary, which blurry generated videos often do: moving `g3an-tiny`'s $z_m$
# by only $\sigma = 0.05$ already drops "all five appearance factors agree" to 0.88.
# Requiring all five factors to agree multiplies those flips. And there is no chance
# baseline: a generator that makes one video scores a perfect 1.
#
# **Variance shares.** Use the oracle's *soft* predictions instead: for one factor, the
# softmax probabilities $p_{gk}$ (a vector of $C$ classes) of video $k$ in group $g$. If the
# kept code decides the factor, the probabilities do not move within a group; if the kept
# code does nothing, they move as much within a group as across groups. One-way ANOVA splits
# the variance:
#
# $$\mathrm{MSW} = \frac{\sum_g\sum_k \lVert p_{gk} - \bar p_g\rVert^2}{G(K-1)},\qquad
# \mathrm{MSB} = \frac{K\sum_g \lVert\bar p_g - \bar p\rVert^2}{G-1},\qquad
# \text{share} = \frac{\mathrm{MSW}}{\mathrm{MSW} + (\mathrm{MSB}-\mathrm{MSW})/K}.$$
#
# $\mathrm{MSW}$ estimates the within-group variance $\sigma_w^2$, and $\mathrm{MSB}$ estimates
# $\sigma_w^2 + K\sigma_b^2$, so the share estimates $\sigma_w^2 / (\sigma_w^2 + \sigma_b^2)$: 0
# when the kept code decides the factor, about 1 when it does nothing. (The plain ratio of
# within to total sums of squares would give $(K-1)/K$ for a code that does nothing, not 1.)
# In appearance groups ($z_a$ kept) the share of an appearance factor is **what $z_m$ causes**:
# 0 is ideal. We derive it on `g3an-tiny`'s appearance groups, drawn exactly as the package
# draws them.

# %%
def variance_share(probs: torch.Tensor) -> float:
    """ANOVA within-group share of the variance of ``probs (G, K, C)`` (formula above)."""
    n_groups, per_group = probs.shape[:2]
    p = probs.double()
    group_mean = p.mean(1)  # (G, C)
    msw = float((p - group_mean[:, None]).square().sum()) / (n_groups * (per_group - 1))
    msb = per_group * float((group_mean - group_mean.mean(0)).square().sum()) / (n_groups - 1)
    return msw / (msw + (msb - msw) / per_group)


g3an_source = GeneratorSource(shipped["g3an-tiny"], 1, device=device)
rng = torch.Generator().manual_seed(3)
g3an_app = embed(oracle, g3an_source.groups(G, K, "appearance", rng).flatten(0, 1))
g3an_mot = embed(oracle, g3an_source.groups(G, K, "motion", rng).flatten(0, 1))
probs = {f: logits.softmax(1).reshape(G, K, -1) for f, logits in g3an_app.logits.items()}
ours_share = {f: variance_share(probs[f]) for f in APPEARANCE}  # z_a kept, z_m varies
mot_action = g3an_mot.logits["action"].softmax(1).reshape(G, K, -1)  # (G, K, A)
ours_share["action, z_m varies"] = variance_share(probs["action"])
ours_share["action, z_a varies"] = variance_share(mot_action)

# %%
# NBVAL_IGNORE_OUTPUT
# a trained model's outputs: floating-point details of the CPU change the last digits
for name, value in ours_share.items():
    print(f"{name:20s} {value:.3f}")

# %% [markdown]
# The same formula on 400 groups of random probabilities that ignore the group: the share is
# about 1, while the plain ratio of sums of squares is about $(K-1)/K$.

# %%
noise = torch.rand(400, K, 6, generator=torch.Generator().manual_seed(0)).softmax(2)
plain = float((noise - noise.mean(1, keepdim=True)).square().sum()
              / (noise - noise.mean((0, 1))).square().sum())
print(f"share {variance_share(noise):.2f}   plain ratio {plain:.2f}   (K-1)/K = {(K - 1) / K:.2f}")
assert abs(variance_share(noise) - 1) < 0.1 and abs(plain - (K - 1) / K) < 0.05

# %% [markdown]
# **κ, a chance-corrected agreement.** Two videos of *different* groups share neither code
# (each video has its own varied code, and groups differ in the kept one), so their agreement
# $p_\text{chance}$ is what the argmax agrees by chance, for example because the generator
# makes few different videos. Cohen's form compares the agreement within groups with it:
#
# $$\kappa = \frac{p_\text{same} - p_\text{chance}}{1 - p_\text{chance}}.$$
#
# 1: the kept code decides the class. 0: sharing the code helps no more than sharing nothing.
# Undefined when every video gets the same class ($p_\text{chance} = 1$): a collapsed generator
# cannot be called consistent. Per factor, with explicit loops over the pairs:

# %%
def kappa(labels: torch.Tensor) -> tuple[float, float, float]:
    """``(κ, p_same, p_chance)`` of predicted classes ``labels (G, K)``."""
    n_groups, per_group = labels.shape
    within = [int(labels[g, i] == labels[g, j]) for g in range(n_groups)
              for i, j in pairs(per_group)]
    across = [int(labels[g, i] == labels[h, j]) for g, h in pairs(n_groups)
              for i in range(per_group) for j in range(per_group)]
    p_same, p_chance = sum(within) / len(within), sum(across) / len(across)
    return (p_same - p_chance) / (1 - p_chance), p_same, p_chance


app_labels = {f: p.reshape(G, K) for f, p in g3an_app.predictions().items()}
ours_kappa, kappa_rows = {}, []
for f in APPEARANCE:
    ours_kappa[f], p_same, p_chance = kappa(app_labels[f])
    kappa_rows.append(f"{f:10s} agreement {p_same:.3f}  chance {p_chance:.3f}  "
                      f"κ {ours_kappa[f]:.3f}")

# %%
# NBVAL_IGNORE_OUTPUT
# a trained model's outputs: floating-point details of the CPU change the last digits
print("\n".join(kappa_rows))

# %% [markdown]
# **The package's version.** `disentanglement` (and `evaluate`) draw the groups in the same
# order and compute these from per-group statistics (`g3an_edu/metrics/grouped.py`):
# `appearance_variance_from_zm_by_factor` and its mean over the factors
# `appearance_variance_from_zm`, `action_variance_from_zm`, `action_variance_from_za`,
# `appearance_kappa_by_factor`, `appearance_kappa` (all factors at once) and `action_kappa`.
# On the same oracle outputs (rendering the groups again would give the same videos, at the
# cost of another 15 seconds):

# %%
one = grouped.identity(G)  # (1, G): every group counted once, no resampling
package = point_values(grouped.group_metrics(grouped.group_stats(g3an_app, G, K, APPEARANCE),
                                             grouped.group_stats(g3an_mot, G, K, APPEARANCE),
                                             one, one, APPEARANCE))
for f in APPEARANCE:
    assert math.isclose(ours_share[f], package["appearance_variance_from_zm_by_factor"][f],
                        rel_tol=1e-6, abs_tol=1e-9), f
    assert math.isclose(ours_kappa[f], package["appearance_kappa_by_factor"][f],
                        rel_tol=1e-6, abs_tol=1e-9), f
assert math.isclose(ours_share["action, z_m varies"], package["action_variance_from_zm"],
                    rel_tol=1e-6)
assert math.isclose(ours_share["action, z_a varies"], package["action_variance_from_za"],
                    rel_tol=1e-6)
print("our shares and κ == g3an_edu.metrics (grouped.group_metrics) ✓")

# %% [markdown]
# **Error bars.** With 16 groups, another draw of groups gives other numbers. The bootstrap
# estimates by how much: draw $G$ of the groups *with replacement*, recompute, repeat, and take
# the 2.5 % and 97.5 % percentiles. By hand, for the shirt's share:

# %%
boot = torch.Generator().manual_seed(0)
resampled = [variance_share(probs["shirt"][torch.randint(G, (G,), generator=boot)])
             for _ in range(300)]
low, high = torch.quantile(torch.tensor(resampled, dtype=torch.float64),
                           torch.tensor([0.025, 0.975], dtype=torch.float64)).tolist()
assert low <= ours_share["shirt"] <= high
shirt_line = (f"shirt: z_m causes {ours_share['shirt']:.2f} of the variance, 95 % interval "
              f"[{low:.2f}, {high:.2f}]")

# %%
# NBVAL_IGNORE_OUTPUT
# a trained model's outputs: floating-point details of the CPU change the last digits
print(shirt_line)

# %% [markdown]
# `evaluate` does this for every metric (1000 resamples of per-group statistics, so it is
# cheap; videos are resampled for the Fréchet distances, the entropy and the oracle's
# accuracy) and returns the intervals in `"ci"`. Here are the shipped models of section 6 and
# the real data with their intervals. **Call a difference only where intervals do not
# overlap.**

# %%
# NBVAL_IGNORE_OUTPUT
# the trained models' rows depend on floating-point details of the CPU; the checks below do not
SHARES = ["appearance_variance_from_zm", "action_variance_from_za", "action_variance_from_zm",
          "appearance_kappa", "action_kappa"]
heads = ["app. from z_m ↓", "act. from z_a ↓", "act. from z_m ↑", "app. κ ↑", "act. κ ↑"]
print(f"{'':14s}" + "".join(f"{h:>19s}" for h in heads))
for name in ("g3an-tiny", "mocogan-tiny", "real data"):
    s = shipped_scores[name]
    cells = [f"{s[k]:.2f} [{s['ci'][k][0]:.2f},{s['ci'][k][1]:.2f}]" for k in SHARES]
    print(f"{name:14s}" + "".join(f"{c:>19s}" for c in cells))

# %%
def apart(a: dict, b: dict, key: str) -> bool:
    """Whether the 95 % intervals of ``key`` in two score dicts do not overlap."""
    return a["ci"][key][1] < b["ci"][key][0] or b["ci"][key][1] < a["ci"][key][0]


real_s = shipped_scores["real data"]
assert real_s["appearance_variance_from_zm"] < 0.05 and real_s["action_variance_from_za"] < 0.1
assert abs(real_s["action_variance_from_zm"] - 1) < 0.1
for key in ("appearance_variance_from_zm", "action_variance_from_za", "action_kappa"):
    assert apart(g3an_s, real_s, key), key
print("real data: z_m causes < 5 % of the appearance variation, z_a < 10 % of the action's ✓")
print("g3an-tiny is apart from the real data on both shares and on action κ ✓")

# %% [markdown]
# How to read it (fast tier, $n = 256$, 16 groups of 8; `docs/RESULTS.md` has the same
# measures from `g3an-edu evaluate`, and real videos degraded to each model's frame distance):
# - On real data, $z_m$ (another motion) causes under 1 % of the variation in the predicted
#   looks, and $z_a$ (another figure) about 2 % of the variation in the predicted action: the
#   measure is near 0 for a disentangled source, even through an imperfect oracle.
# - In **`g3an-tiny`**, $z_m$ causes about a third of the variation in the predicted looks
#   (shirt, skin and trousers most, background and texture least) and $z_a$ about 70 % of the
#   variation in the action. Both intervals are far from the real data's.
# - **`mocogan-tiny`**'s content code decides its action: nearly all of the action's
#   variation comes from $z_a$.
# - Is that the oracle misreading blurry videos? Real videos blurred, noised and colour-shifted
#   until their frame distance matches `g3an-tiny`'s (`evaluate(..., degraded="match")`) are
#   the test; `docs/RESULTS.md` gives their scores.

# %% [markdown]
# ## Summary
#
# - FID/FVD need downloaded networks trained on other domains and give one number; with
#   synthetic data and known factors, a small **oracle** gives both the feature space for
#   Fréchet distances and predictions for disentanglement.
# - The Fréchet distance between Gaussians is $\lVert\Delta\mu\rVert^2 + \mathrm{Tr}(\Sigma_1 +
#   \Sigma_2 - 2(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2})$; the symmetric form lets `eigh`
#   take the square root exactly. It is biased upwards at finite $n$: compare at the same $n$,
#   against the real-vs-real value.
# - Frame distances cannot see motion (shuffled frames score like real ones); video
#   distances can.
# - Disentanglement: appearance/action **consistency** (what must not change), action and
#   appearance **spread**, motion **diversity** and action **entropy** (what must change).
#   A generator that ignores $z_m$ can have perfect Fréchet distances and zero motion
#   diversity; a generator that ignores both codes has perfect consistencies, so read them
#   through the net scores (consistency + spread − 1).
# - The shipped `g3an-tiny` and `mocogan-tiny`, trained alike: MoCoGAN has the better
#   Fréchet distances and appearance score, G3AN the positive action score and twice the
#   motion diversity; neither disentangles appearance at this size.
# - Argmax agreements flip on blurry videos and have no chance baseline. **Variance shares**
#   of the soft predictions (ANOVA, per factor), **κ** (agreement against pairs that share
#   neither code) and **bootstrap intervals** over groups say what each code causes, and
#   whether a difference is larger than the evaluation's own noise.
# - `g3an_edu.metrics` computes all of it (`evaluate`, `real_scores`, `disentanglement`,
#   `frechet_distance`), and gives the same numbers as our derivation.

# %% [markdown]
# ## Exercises
#
# Write your answer between the markers (or, in the student copy, in place of the
# `raise NotImplementedError` line), then run the cell: the check says whether it is right and,
# if not, what differs.

# %%
from g3an_edu.exercises.nb07 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1.** When both covariances are diagonal, the Fréchet distance needs no matrix
# square root. Write `frechet_diagonal(mu_a, var_a, mu_b, var_b)` for Gaussians with means
# `(D,)` and per-dimension variances `(D,)`, returning the squared distance as a float.

# %%
def frechet_diagonal(mu_a: torch.Tensor, var_a: torch.Tensor, mu_b: torch.Tensor,
                     var_b: torch.Tensor) -> float:
    ### BEGIN SOLUTION
    mean_term = (mu_a - mu_b).square().sum()
    cov_term = (var_a.sqrt() - var_b.sqrt()).square().sum()  # (σ_a - σ_b)² per dimension
    return float(mean_term + cov_term)
    ### END SOLUTION


check_ex1(frechet_diagonal)

# %% [markdown]
# **Exercise 2.** The oracle's predictions for the appearance groups arrive as a dict
# `{factor: (G, K) tensor}`. Write `appearance_consistency(labels, factors)`: the fraction of
# ordered pairs `i ≠ j` within a group whose labels agree on **every** factor in `factors`.

# %%
def appearance_consistency(labels: dict[str, torch.Tensor], factors: tuple[str, ...]) -> float:
    ### BEGIN SOLUTION
    k = labels[factors[0]].shape[1]
    same = torch.ones(labels[factors[0]].shape + (k,), dtype=torch.bool)  # (G, K, K)
    for f in factors:
        same &= labels[f][:, :, None] == labels[f][:, None, :]  # (G, K, K)
    off_diagonal = ~torch.eye(k, dtype=torch.bool)  # (K, K): pairs i ≠ j
    return float(same[:, off_diagonal].float().mean())
    ### END SOLUTION


check_ex2(appearance_consistency)

# %% [markdown]
# **Exercise 3.** Write `action_entropy(actions, n_actions)`: the entropy of the histogram of
# the predicted actions `(N,)`, divided by its largest possible value, so that 1 means every
# action equally often and 0 a single action. (Why divide by $\log A$ rather than by the log
# of the number of actions that occur?)

# %%
def action_entropy_answer(actions: torch.Tensor, n_actions: int) -> float:
    ### BEGIN SOLUTION
    p = torch.bincount(actions, minlength=n_actions).double() / actions.numel()  # (A,)
    p = p[p > 0]  # 0 · log 0 = 0
    return float(-(p * p.log()).sum() / math.log(n_actions))
    ### END SOLUTION


check_ex3(action_entropy_answer)

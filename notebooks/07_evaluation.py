# %% [markdown]
# # 07 · Evaluating a video GAN: Fréchet distances
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/07_evaluation.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/07_evaluation.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# A GAN has no loss that says how good it is: the discriminator's loss only says how the two
# players are doing against each other. So how do we know what a video generator learned?
# G3AN makes two claims ([Wang et al., CVPR 2020, arXiv 1912.05523](https://arxiv.org/abs/1912.05523)):
#
# 1. **quality**: its videos look like the real ones. The paper's Section 4 (Experiments)
#    reports a Fréchet distance on frames (FID) and one on video features, computed by a
#    network pretrained on Kinetics;
# 2. **disentanglement**: $z_a$ controls appearance only and $z_m$ motion only (notebook 08).
#
# This notebook is about the first claim. The standard tools are FID and FVD: fit a
# Gaussian to the features that a pretrained network (Inception for frames, I3D for videos)
# extracts from real and from generated samples, and report the **Fréchet distance** between
# the two Gaussians,
#
# $$d^2 = \lVert\mu_r - \mu_g\rVert^2
#   + \mathrm{Tr}\!\left(\Sigma_r + \Sigma_g - 2\,(\Sigma_r^{1/2}\Sigma_g\Sigma_r^{1/2})^{1/2}\right).$$
#
# We cannot use them here, and on our data we can do better (section 1). You will
# 1. meet the course's **oracle**, a small classifier that reads every factor of a
#    synthetic video back, and use its features in place of Inception's and I3D's;
# 2. derive the Fréchet distance, implement it in a few lines, check it in closed form and
#    against `g3an_edu.metrics.frechet`;
# 3. see what a frame distance cannot see (motion), and that a distance is a **random
#    number**: it moves from draw to draw, and it is biased upwards at finite sample size;
# 4. score generators against the real data's own distance (the ceiling): stand-ins that copy
#    the data, an untrained G3AN, a briefly trained one and the shipped `g3an-tiny`.

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
import math
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn as nn

from g3an_edu import pick_device, viz
from g3an_edu.config import load_config
from g3an_edu.data import SyntheticActions
from g3an_edu.metrics.bootstrap import fd_samples, intervals
from g3an_edu.metrics.disentanglement import GeneratorSource
from g3an_edu.metrics.evaluation import DEBIASED
from g3an_edu.metrics.frechet import Gaussian, frechet_distance, frechet_distance_gaussians
from g3an_edu.metrics.oracle import OracleOutput, embed, load_oracle
from g3an_edu.models import build_models, load_generator, load_pretrained
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
DRAWS = by_tier(5, 8, 10)  # independent pairs of real samples of N videos (section 3)
TRAIN = by_tier(("tiny", 40), ("tiny", 1500), ("colab", 1000))  # (config, steps) in section 4
BOOT_FD = by_tier(20, 100, 200)  # bootstrap resamples of the Fréchet distances
plt.rcParams.update({"font.size": 13})
print(f"tier: {tier} | N = {N} | draws: {DRAWS} | training: {TRAIN}")

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
# Fréchet distances (the course's FID and FVD, this notebook), its *predictions* to measure
# disentanglement directly (notebook 08). Definitions: `docs/evaluation.md`.
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
# held out to measure its accuracy. Our "real" pool is drawn at random from items 10 000 on,
# so it has never seen them: $2 \cdot$ `DRAWS` samples of $N$ videos, rendered and embedded
# in chunks (only the oracle's outputs are kept).

# %%
ds = SyntheticActions(size=32, frames=16, seed=0)
POOL_START = 10_000
pool_items = (POOL_START + torch.randperm(len(ds) - POOL_START,
                                          generator=torch.Generator().manual_seed(0)))
pool_items = pool_items[:2 * DRAWS * N].tolist()  # distinct items, never seen by the oracle


def cat_outputs(parts: list[OracleOutput]) -> OracleOutput:
    """One ``OracleOutput`` from several, in order (videos along dimension 0)."""
    return OracleOutput({k: torch.cat([p.logits[k] for p in parts]) for k in parts[0].logits},
                        torch.cat([p.frame_features for p in parts]),
                        torch.cat([p.motion_features for p in parts]),
                        torch.cat([p.video_features for p in parts]))


first = ds.batch(pool_items[:N])  # kept whole: videos (N, 3, T, H, W) and labels
parts, labels = [embed(oracle, first["video"])], [first]
for i in range(N, len(pool_items), N):
    batch = ds.batch(pool_items[i:i + N])  # (N, 3, T, H, W), freed after embedding
    parts.append(embed(oracle, batch["video"]))
    labels.append({f: batch[f] for f in info["spec"]["factors"]})
pool_out = cat_outputs(parts)  # logits, frame (2·DRAWS·N, T, 128) and video features
pool_pred = pool_out.predictions()  # factor -> (2·DRAWS·N,) predicted class
print("pool:", len(pool_items), "videos | video features", tuple(pool_out.video_features.shape))
for factor in info["spec"]["factors"]:
    truth = torch.cat([lab[factor] for lab in labels])
    accuracy = (pool_pred[factor] == truth).float().mean().item()
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
shown = range(4)
clip_labels = [f"{ACTIONS[first['action'][i]]} → {ACTIONS[pool_pred['action'][i]]}\n"
               f"{SHIRTS[first['shirt'][i]]} → {SHIRTS[pool_pred['shirt'][i]]}" for i in shown]
show_clips(first["video"][list(shown)], clip_labels,
           title="Real clips: true → predicted (action, shirt)")
assert all(pool_pred["action"][i] == first["action"][i] for i in shown)

# %% [markdown]
# The oracle is not perfect (the accuracies above are not all 100 %), and every number
# below inherits its errors; that is why we always compute each metric on the real data
# too. Its outputs are what we measure with:
#
# | output | shape | used for |
# |---|---|---|
# | `frame_features` | $(B, T, 128)$ | the course's FID: `fd_frame` |
# | `video_features` | $(B, 256)$: mean frame feature, motion feature | the course's FVD: `fd_video` |
# | `motion_features` | $(B, 128)$ | motion diversity (notebook 08) |
# | `predictions()` | factor $\to (B,)$ | disentanglement (notebook 08) |
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
# the oracle's video features of the first two real samples of our pool:

# %%
def sig(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits. Features are float32, so distances differ
    between CPUs in the 5th digit: printing 3 keeps the saved outputs comparable."""
    return f"{float(f'{value:.{digits}g}'):g}"


def sample(k: int) -> slice:
    """The videos of real sample ``k`` of the pool (``N`` videos each)."""
    return slice(k * N, (k + 1) * N)


real_a, real_b = pool_out.video_features[sample(0)], pool_out.video_features[sample(1)]
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
# (red channel +0.3). Each distance is also shown **relative** to the real-vs-real one.

# %%
def fd_pair(out_a: OracleOutput, out_b: OracleOutput) -> tuple[float, float]:
    """``(fd_video, fd_frame)`` between the oracle's outputs for two sets of videos."""
    return (frechet(out_a.video_features, out_b.video_features),
            frechet(out_a.frame_features.flatten(0, 1),  # (N·T, 128)
                    out_b.frame_features.flatten(0, 1)))


videos_b = ds.batch(pool_items[N:2 * N])["video"]  # real sample 1, again: (N, 3, T, H, W)
out_a = OracleOutput({k: v[sample(0)] for k, v in pool_out.logits.items()},  # real sample 0
                     pool_out.frame_features[sample(0)], pool_out.motion_features[sample(0)],
                     pool_out.video_features[sample(0)])
perm = torch.randperm(16, generator=torch.Generator().manual_seed(3))
tint = torch.tensor([0.3, 0.0, 0.0])[:, None, None, None]  # (3, 1, 1, 1)
corrupted = {
    "real (another sample)": videos_b,
    "shuffled in time": videos_b[:, :, perm],  # (N, 3, T, H, W), frames reordered
    "frozen (first frame)": videos_b[:, :, :1].expand_as(videos_b),  # (N, 3, T, H, W)
    "tinted red": (videos_b + tint).clamp(-1, 1),
}
fds = {name: fd_pair(out_a, embed(oracle, v)) for name, v in corrupted.items()}
base_v, base_f = fds["real (another sample)"]
print(f"{'real vs':24s} {'fd_video':>9s} {'fd_frame':>9s} {'÷ real':>8s} {'÷ real':>8s}")
for name, (fd_v, fd_f) in fds.items():
    print(f"{name:24s} {sig(fd_v):>9s} {sig(fd_f):>9s} {fd_v / base_v:8.1f} {fd_f / base_f:8.1f}")
assert math.isclose(fds["shuffled in time"][1], base_f, rel_tol=1e-4)  # the same frames
assert fds["shuffled in time"][0] > 3 * base_v and fds["frozen (first frame)"][0] > 3 * base_v

# %% [markdown]
# What the two distances saw, as motion: one row per version, the same three videos.

# %%
# NBVAL_IGNORE_OUTPUT
# an animation: the table above is the output the tests compare
print(" / ".join(corrupted), "(one row each)")
viz.show_videos(torch.cat([v[:3] for v in corrupted.values()]), ncol=3, scale=2, fps=6)

# %% [markdown]
# Shuffling leaves `fd_frame` exactly where it was: the set of frames is the same, so a
# frame metric (FID) cannot see broken motion. `fd_video` sees it. Note also that the real
# sample does **not** score 0 against the other real sample. How far from 0, and how
# reliably?
#
# ### A distance is a random number: its spread
#
# Every Fréchet distance above was computed from *one* draw of $N$ videos on each side.
# Draw again and it moves. Our pool holds `DRAWS` independent pairs of real samples of $N$
# videos: the real-vs-real distance of each pair shows how much.

# %%
def features(k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Video ``(N, 256)`` and frame ``(N·T, 128)`` features of real sample ``k``."""
    return pool_out.video_features[sample(k)], pool_out.frame_features[sample(k)].flatten(0, 1)


draws = torch.tensor([[frechet(features(2 * r)[i], features(2 * r + 1)[i]) for i in (0, 1)]
                      for r in range(DRAWS)], dtype=torch.float64)  # (DRAWS, 2)
spread = {name: (float(draws[:, i].mean()), float(draws[:, i].std()), float(draws[:, i].min()),
                 float(draws[:, i].max())) for i, name in enumerate(("fd_video", "fd_frame"))}
for name, (mean, sd, low, high) in spread.items():
    print(f"real vs real, n = {N}, {DRAWS} independent draws: {name} = {sig(mean)} ± {sig(sd)} "
          f"(mean ± sd), from {sig(low)} to {sig(high)}: sd / mean = {sd / mean:.0%}")
assert all(sd > 0 for _, sd, _, _ in spread.values())

# %%
fig, ax = plt.subplots(figsize=(9, 3.2))
for i in range(2):  # fd_video, fd_frame
    relative = draws[:, i] / draws[:, i].mean()  # (DRAWS,) each draw ÷ the mean of the draws
    ax.plot(relative, [i] * DRAWS, "o", ms=9, alpha=0.7)
ax.axvline(1, color="0.5", ls="--")
ax.set(yticks=[0, 1], yticklabels=["fd_video", "fd_frame"], ylim=(-0.6, 1.6),
       xlabel="real-vs-real distance ÷ its mean over the draws",
       title=f"The same measurement, {DRAWS} independent draws of n = {N}")
plt.tight_layout()
plt.show()

# %% [markdown]
# One draw is not a measurement of "the" distance: report a distance **with its spread**.
# Independent draws are the honest way, but they cost new videos; the package's `evaluate`
# and `real_scores` use the **bootstrap** instead: resample the $N$ videos of each side with
# replacement, recompute, and take the 2.5 % and 97.5 % percentiles (centred on the measured
# value, since resampling adds bias of its own: `g3an_edu/metrics/bootstrap.py`). From one
# pair of samples it estimates the spread that the draws above show directly. It should
# contain their mean (checked below); with few resamples (`BOOT_FD`, 20 in the fast tier) its
# ends are themselves noisy, and a resample that repeats videos is less diverse than a real
# draw, which tends to widen it. `fd_with_ci` calls the package's bootstrap functions as
# `evaluate` does.

# %%
def fd_with_ci(out: OracleOutput, reference: OracleOutput, seed: int = 0) -> dict:
    """``fd_video``, ``fd_frame`` of ``out`` against ``reference`` and ``"ci"``: their 95 %
    bootstrap intervals (``BOOT_FD`` resamples of the videos, bias-centred, as ``evaluate``)."""
    values = dict(zip(("fd_video", "fd_frame"), fd_pair(out, reference), strict=True))
    samples = fd_samples(out, reference, BOOT_FD, torch.Generator().manual_seed(seed + 10_000))
    return {**values, "ci": intervals(samples, values, DEBIASED)}


def real_sample(k: int) -> OracleOutput:
    """The oracle's outputs for real sample ``k`` of the pool (``N`` videos)."""
    return OracleOutput({f: v[sample(k)] for f, v in pool_out.logits.items()},
                        pool_out.frame_features[sample(k)], pool_out.motion_features[sample(k)],
                        pool_out.video_features[sample(k)])


reference = real_sample(0)  # every distance from here on: against real sample 0
ceiling = fd_with_ci(real_sample(1), reference)  # what a perfect generator gets
for name in ("fd_video", "fd_frame"):
    low, high = ceiling["ci"][name]
    print(f"real vs real {name}: {sig(ceiling[name])}, 95 % bootstrap interval "
          f"[{sig(low)}, {sig(high)}] ({BOOT_FD} resamples); independent draws: "
          f"{sig(spread[name][2])} to {sig(spread[name][3])}")
    assert low <= ceiling[name] <= high and low <= spread[name][0] <= high

# %% [markdown]
# ### Sample-size bias
#
# The spread is not the only problem. The Fréchet distance is computed from *estimated*
# means and covariances. With $n$ samples, $\hat\mu$ and $\hat\Sigma$ are noisy, and the
# noise always adds distance: $\mathbb E[d^2(\hat P_1, \hat P_2)] > d^2(P_1, P_2)$ even when
# $P_1 = P_2$. The excess shrinks roughly like $1/n$ (the mean term exactly:
# $\mathbb E\lVert\hat\mu_1 - \hat\mu_2\rVert^2 = 2\,\mathrm{Tr}\,\Sigma / n$, since each
# $\hat\mu$ has covariance $\Sigma / n$). Two consequences: compare models **at the same
# $n$**, and read every score against the real-vs-real value at that $n$, which is what a
# perfect generator would get. We split the pool into two halves and draw subsets of each.

# %%
def fd_at(n: int, repeats: int = 5, seed: int = 4) -> dict[str, torch.Tensor]:
    """fd_video, fd_frame and the mean term of fd_video, ``(repeats,)`` each, of random subsets
    of ``n`` videos from each half of the pool (no new rendering)."""
    rng = torch.Generator().manual_seed(seed)
    half = len(pool_items) // 2
    frames = pool_out.frame_features  # (2·DRAWS·N, T, 128)
    out = {"fd_video": [], "fd_frame": [], "mean term": []}
    for _ in range(repeats):
        ia = torch.randperm(half, generator=rng)[:n]  # (n,) videos of half A
        ib = half + torch.randperm(half, generator=rng)[:n]  # (n,) videos of half B
        va, vb = pool_out.video_features[ia].double(), pool_out.video_features[ib].double()
        out["fd_video"].append(frechet(va, vb))
        out["fd_frame"].append(frechet(frames[ia].flatten(0, 1), frames[ib].flatten(0, 1)))
        out["mean term"].append(float((va.mean(0) - vb.mean(0)).square().sum()))
    return {k: torch.tensor(v, dtype=torch.float64) for k, v in out.items()}


sizes = [s for s in (16, 32, 64, 128, 256, 512, 1024) if s <= len(pool_items) // 2]
bias = {n: fd_at(n) for n in sizes}
for n in sizes:
    print(f"n = {n:4d}: " + "   ".join(f"{k} {sig(float(v.mean())):>6s}"
                                      for k, v in bias[n].items()))
assert bias[sizes[-1]]["fd_video"].mean() < bias[sizes[0]]["fd_video"].mean() / 4

# %%
trace = float(torch.cov(pool_out.video_features.double().T).trace())  # Tr Σ of real videos
fig, ax = plt.subplots(figsize=(9, 5.5))
for key, marker in (("fd_video", "o-"), ("fd_frame", "s-"), ("mean term", "^-")):
    ax.errorbar(sizes, [float(bias[n][key].mean()) for n in sizes],
                yerr=[float(bias[n][key].std()) for n in sizes], fmt=marker, capsize=3,
                label=f"{key}, real vs real (mean ± sd of 5)")
ax.plot(sizes, [2 * trace / n for n in sizes], "k--", label="2 Tr Σ / n")
ax.set(xscale="log", yscale="log", xlabel="videos per sample n",
       ylabel="squared Fréchet distance",
       title="Two samples of the same real data: the distance shrinks with n")
ax.legend()
plt.show()

# %% [markdown]
# The mean term follows $2\,\mathrm{Tr}\,\Sigma / n$. The covariance term (the rest of
# `fd_video`) is larger and shrinks too: up to $n = 256$, the feature dimension, the estimated
# covariance (of rank at most $n - 1$) is singular, and far from the true one. This is why FID
# papers fix $n$ (often 50 000), and why an FD computed with a few hundred videos is only
# comparable with another computed the same way, at the same $n$.
#
# ## 4 · Generators against the real ceiling
#
# Any object with `sample_noise(batch, length, generator=)` and `G(z_a, z_m) -> video` can be
# evaluated; `GeneratorSource(g).sample(n, rng)` draws its noise on the CPU from the seed.
# We draw $N$ videos of each, embed them, and compute both distances with `fd_with_ci`
# against the same real sample. (The package's `evaluate(oracle, fake, real, n, ...)` does
# this too, with a real sample of its own, and adds the disentanglement metrics of notebook
# 08.) We compare:
#
# - **copy of the data** (a stand-in): $z_a$ picks a real item's appearance, $z_m$ another
#   item's motion, and it renders them. A perfect generator, by construction;
# - **copy that ignores $z_m$** (a stand-in): the motion also comes from $z_a$. Its videos
#   are all real;
# - **copy of 8 videos** (a stand-in for **mode collapse**): whatever the noise, one of 8 real
#   videos;
# - **an untrained G3AN** (the `tiny` configuration), and **a briefly trained G3AN**: the same
#   configuration after a few training steps in the fast tier (longer in the `laptop` and
#   `gpu` tiers; notebook 06 trains for real);
# - the shipped **`g3an-tiny`**, trained for 7000 steps (notebook 00 shows its samples).

# %%
class CopyOfData(nn.Module):
    """A stand-in "generator" that renders real items chosen by its noise.

    ``z_a (B, 128)`` picks the item whose appearance is drawn, ``z_m (B, 10, L)`` the item whose
    motion is drawn; with ``ignore_motion`` the motion item is picked by ``z_a`` as well; with
    ``n_items`` only the first ``n_items`` items of the data set are ever drawn, whole.
    """

    def __init__(self, ignore_motion: bool = False, n_items: int | None = None) -> None:
        super().__init__()
        self.ignore_motion, self.n_items = ignore_motion, n_items

    def sample_noise(self, batch: int, length: int = 1, generator=None, device=None):
        z_a = torch.randn(batch, 128, generator=generator)  # (B, 128)
        z_m = torch.randn(batch, 10, length, generator=generator)  # (B, 10, L)
        return z_a, z_m

    def item(self, z: torch.Tensor, column: int) -> list[int]:
        """An item index per video from one column of its noise (a fixed hash)."""
        return ((z.flatten(1)[:, column].abs() * 1e6).long() % (self.n_items or len(ds))).tolist()

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        if self.n_items is not None:
            return ds.batch(self.item(z_a, 0))["video"]  # (B, 3, T, H, W): one of n_items
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
    "copy of the data": (CopyOfData(), 1),
    "copy, ignores z_m": (CopyOfData(ignore_motion=True), 1),
    "copy of 8 videos": (CopyOfData(n_items=8), 1),
    "G3AN, untrained": (build_models(config)[0].to(device), config.length),
    f"G3AN, {steps} steps": (trained, config.length),
    "g3an-tiny (shipped)": (load_pretrained("g3an-tiny", device=device)[0], 1),
}
if CHECKPOINT is not None:
    generators["your checkpoint"] = (load_generator(CHECKPOINT, device=device)[0], 1)
scores = {}
for name, (g, length) in generators.items():
    fake = GeneratorSource(g, length, device=device).sample(N, torch.Generator().manual_seed(0))
    scores[name] = fd_with_ci(embed(oracle, fake["video"]), reference)  # (N, 3, T, H, W) in
scores["real data"] = ceiling


# %%
# NBVAL_IGNORE_OUTPUT
# The G3AN rows depend on floating-point details of the CPU; the checks below do not.
def with_ci(s: dict, key: str) -> str:
    """``value [low, high]`` of ``key`` in a score dict, 3 significant digits."""
    return f"{sig(s[key])} [{sig(s['ci'][key][0])}, {sig(s['ci'][key][1])}]"


level = {name: spread[name][0] for name in ("fd_video", "fd_frame")}  # mean of the draws
print(f"{'':20s}{'fd_video [95 % CI]':>26s}{'÷ real':>8s}{'fd_frame [95 % CI]':>26s}{'÷ real':>8s}")
for name, s in scores.items():
    print(f"{name:20s}{with_ci(s, 'fd_video'):>26s}{s['fd_video'] / level['fd_video']:8.1f}"
          f"{with_ci(s, 'fd_frame'):>26s}{s['fd_frame'] / level['fd_frame']:8.1f}")


# %%
def apart(a: dict, b: dict, key: str) -> bool:
    """Whether the 95 % intervals of ``key`` in two score dicts do not overlap."""
    return a["ci"][key][1] < b["ci"][key][0] or b["ci"][key][1] < a["ci"][key][0]


copy, frozen = scores["copy of the data"], scores["copy, ignores z_m"]
collapsed, untrained = scores["copy of 8 videos"], scores["G3AN, untrained"]
shipped = scores["g3an-tiny (shipped)"]
for name in ("fd_video", "fd_frame"):
    assert not apart(copy, ceiling, name) and not apart(frozen, ceiling, name), name
    assert apart(collapsed, ceiling, name) and collapsed[name] > 3 * ceiling[name], name
    assert untrained[name] > 10 * ceiling[name] and shipped[name] < untrained[name], name
print("both copies: intervals overlap the real data's, on both distances ✓")
print("copy of 8 videos (collapse) and the untrained G3AN: far above the real data ✓")
print("shipped g3an-tiny: below the untrained G3AN on both distances ✓")

# %%
fig, axes = plt.subplots(1, 2, figsize=(15, 5.5), sharey=True)
names = list(scores)
colours = [plt.cm.tab10(i) for i in range(len(names) - 1)] + ["0.35"]  # real data: grey
for ax, key in zip(axes, ("fd_video", "fd_frame"), strict=True):
    real_level = spread[key][0]  # mean real-vs-real distance over the independent draws
    ratio = [scores[n][key] / real_level for n in names]
    low = [(scores[n][key] - scores[n]["ci"][key][0]) / real_level for n in names]
    high = [(scores[n]["ci"][key][1] - scores[n][key]) / real_level for n in names]
    ax.barh(range(len(names)), ratio, xerr=[low, high], color=colours, capsize=4)
    ax.axvline(1, color="0.35", ls="--")
    ax.set(xscale="log", xlabel=f"{key} ÷ mean real-vs-real {key} (log scale)",
           title=f"{key}, 95 % intervals, n = {N}")
axes[0].set_yticks(range(len(names)), names)
axes[0].invert_yaxis()
plt.tight_layout()
plt.show()

# %% [markdown]
# How to read it (every number in the table above; one shared reference, the "÷ real"
# columns and the dashed line: the mean real-vs-real distance over section 3's independent
# draws at the same $n$; the "real data" row is one of those draws, so it need not sit at 1):
# - The **copy of the data** sits at the real data's values: the distances do not penalise a
#   perfect generator.
# - The **copy that ignores $z_m$** sits there too: its videos are real, only *which* code
#   decides the motion is wrong. A Fréchet distance would call it perfect; notebook 08's
#   swap test exposes it.
# - The **copy of 8 videos** (collapse) shows every single video perfectly, yet both distances
#   are far above the real data's: its covariance is that of 8 points. Mode collapse is
#   visible in a Fréchet distance, through the covariance term.
# - The **untrained G3AN** makes near-grey videos: huge distances. A **briefly trained**
#   G3AN is not a good generator yet: after a few steps colours appear, so `fd_frame` falls,
#   but the videos are varied and wrong (`fd_video` can even rise).
# - The shipped **`g3an-tiny`** is far below the untrained model and still well above the
#   real data. The same model at the committed evaluation (`docs/shipped_metrics.json`,
#   written by `g3an-edu evaluate`, same $n$), beside the other shipped models: the MoCoGAN
#   baseline `mocogan-tiny` and `g3an-tiny-style-pairs`, a departure from the paper that gives
#   the action to $z_m$ (notebook 00, `docs/STUDY.md`) and pays for it with distances two to
#   three times `g3an-tiny`'s:

# %%
from g3an_edu.colab import course_json

committed = course_json("docs/shipped_metrics.json")
if committed is not None:
    rows = {model: entry["trained"] for model, entry in committed["models"].items()}
    for model, s in {**rows, "real data": committed["real"]}.items():
        print(f"{model:21s} n = {committed['n']}: fd_video {with_ci(s, 'fd_video')} "
              f"(÷ real {s['fd_video'] / committed['real']['fd_video']:.1f})  "
              f"fd_frame {with_ci(s, 'fd_frame')} "
              f"(÷ real {s['fd_frame'] / committed['real']['fd_frame']:.1f})")

# %% [markdown]
# ## What could go wrong
#
# - **A too-small $n$.** At $n = 32$ the real data are far from themselves (section 3). A
#   model evaluated with fewer videos than another looks worse for that reason alone: fix
#   $n$, and report the real-vs-real value at that $n$ next to every score.
# - **One draw reported as the truth.** Two draws of the same real data differ (the spread
#   above). Report an interval, and call two models different only when their intervals do
#   not overlap.
# - **Mode collapse.** A generator that makes a few good videos has a perfect-looking sample
#   but a tiny covariance; the trace term catches it (the copy of 8 videos). Look at the
#   samples too.
# - **A blind feature space.** The frame distance cannot see motion at all (shuffled frames
#   score as real); the video distance sees what the oracle's features encode and nothing
#   else. Neither sees which code controls what (the copy that ignores $z_m$).
# - **Another feature network, another number.** Our distances are in the oracle's features;
#   they cannot be compared with the paper's FID or FVD values, nor with distances from
#   another oracle.
#
# ## Summary
#
# - FID/FVD need downloaded networks trained on other domains and give one number; with
#   synthetic data and known factors, a small **oracle** gives the feature space for the
#   Fréchet distances (and, in notebook 08, predictions for disentanglement).
# - The Fréchet distance between Gaussians is $\lVert\Delta\mu\rVert^2 + \mathrm{Tr}(\Sigma_1 +
#   \Sigma_2 - 2(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2})$; the symmetric form lets `eigh`
#   take the square root exactly; `frechet_distance` computes the same.
# - Frame distances cannot see motion (shuffled frames score like real ones); video
#   distances can.
# - A distance is a random number: it moves between independent draws (report it with an
#   interval; `evaluate` bootstraps one), and it is biased upwards at finite $n$ (compare at
#   the same $n$, against the real-vs-real value).
# - Stand-ins that copy the data score like the real data, even one whose $z_m$ does nothing;
#   a collapsed one does not. The distances rank the untrained, the briefly trained and the
#   shipped G3AN; they cannot say whether $z_a$ and $z_m$ are disentangled: notebook 08.
#
# ## Further reading
#
# - Y. Wang, P. Bilinski, F. Bremond, A. Dantcheva. *G3AN: Disentangling Appearance and
#   Motion for Video Generation.* CVPR 2020. [arXiv:1912.05523](https://arxiv.org/abs/1912.05523)
#   (Section 4: the experiments and the metrics reported).
# - M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter. *GANs Trained by a Two
#   Time-Scale Update Rule Converge to a Local Nash Equilibrium.* NeurIPS 2017
#   ([arXiv:1706.08500](https://arxiv.org/abs/1706.08500)): FID.
# - T. Unterthiner, S. van Steenkiste, K. Kurach, R. Marinier, M. Michalski, S. Gelly.
#   *Towards Accurate Generative Models of Video: A New Metric & Challenges.* 2018
#   ([arXiv:1812.01717](https://arxiv.org/abs/1812.01717)): FVD.
# - S. Tulyakov, M.-Y. Liu, X. Yang, J. Kautz. *MoCoGAN: Decomposing Motion and Content for
#   Video Generation.* CVPR 2018 ([arXiv:1707.04993](https://arxiv.org/abs/1707.04993)).
# - D. C. Dowson, B. V. Landau. *The Fréchet distance between multivariate normal
#   distributions.* Journal of Multivariate Analysis, 1982.

# %% [markdown]
# ## Exercises
#
# Write your answer between the markers (or, in the student copy, in place of the
# `raise NotImplementedError` line), then run the cell: the check says whether it is right and,
# if not, what differs.

# %%
from g3an_edu.exercises.nb07 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (derive).** A generator whose features are the real ones shifted by
# $\delta$ and scaled about their mean by $s > 0$ has features $\mathcal N(\mu + \delta,
# s^2\Sigma)$ when the real ones are $\mathcal N(\mu, \Sigma)$. Derive the Fréchet distance
# in closed form (no matrix square root is needed: what is
# $(\Sigma^{1/2} s^2\Sigma\,\Sigma^{1/2})^{1/2}$?) and write
# `frechet_scaled(delta, cov, s)` for `delta (D,)`, `cov (D, D)` and a float `s`, returning
# the squared distance as a float.

# %%
def frechet_scaled(delta: torch.Tensor, cov: torch.Tensor, s: float) -> float:
    ### BEGIN SOLUTION
    # (Σ^½ s²Σ Σ^½)^½ = sΣ, so Tr(Σ + s²Σ − 2sΣ) = (1 − s)² Tr Σ
    return float(delta.square().sum() + (1 - s) ** 2 * cov.trace())
    ### END SOLUTION


check_ex1(frechet_scaled)

# %% [markdown]
# **Exercise 2 (derive).** Section 3 gave the bias of the mean term for two samples of the
# same size $n$. Evaluations often compare $n_g$ generated videos with a *larger* real set of
# $n_r$ videos. Write `mean_term_bias(trace, n_r, n_g)`: the expected mean term
# $\mathbb E\lVert\hat\mu_r - \hat\mu_g\rVert^2$ when both samples come from one distribution
# with $\mathrm{Tr}\,\Sigma$ = `trace`. (Then: how much does a real set of 50 000 videos
# lower it for $n_g = 256$?)

# %%
def mean_term_bias(trace: float, n_r: int, n_g: int) -> float:
    ### BEGIN SOLUTION
    # μ̂_r − μ̂_g has covariance Σ/n_r + Σ/n_g (independent samples); E‖x‖² = Tr Cov x
    return trace * (1 / n_r + 1 / n_g)
    ### END SOLUTION


check_ex2(mean_term_bias)

# %% [markdown]
# **Exercise 3 (predict).** Take two real samples of $N$ videos, A and B, and their
# distances `fd_frame` and `fd_video`. Predict what each of these changes to B does to each
# distance: `"same"` (exactly the same number), `"higher"` or `"lower"`. Answer with a dict
# `{change: {"fd_frame": ..., "fd_video": ...}}`.
# - `"mixed"`: at every time step $t$, the frames $t$ of the $N$ videos are shuffled among the
#   videos (video $i$ shows frame $t$ of video $\pi_t(i)$);
# - `"reordered"`: the $N$ videos of B are put in another order;
# - `"half"`: only $N/2$ of B's videos are kept (A keeps $N$).

# %%
### BEGIN SOLUTION
predictions = {
    "mixed": {"fd_frame": "same", "fd_video": "higher"},  # same frames, broken motion
    "reordered": {"fd_frame": "same", "fd_video": "same"},  # a Gaussian fit ignores order
    "half": {"fd_frame": "higher", "fd_video": "higher"},  # fewer samples: more bias
}
### END SOLUTION
check_ex3(predictions)

# %% [markdown]
# **Open experiment: how many videos does a verdict need?** The shipped `g3an-tiny` and the
# briefly trained G3AN are far apart; the copy of the data and the real data are not. Pick
# two generators of section 4 whose `fd_video` intervals are close (for example two
# checkpoints of your own run from notebook 06, or the copy that ignores $z_m$ and a copy of
# 64 videos: `CopyOfData(n_items=64)`) and evaluate both at $n$ = 64, 128, 256, 512. What to
# look for: at which $n$ the intervals stop overlapping; whether the *ratio* to the
# real-vs-real distance at the same $n$ is more stable across $n$ than the raw distance; how
# the interval's width shrinks with $n$ (like $1/\sqrt n$?). Bonus: compute a Fréchet
# distance on the oracle's `motion_features` alone and check which corruptions of section 3
# it sees.

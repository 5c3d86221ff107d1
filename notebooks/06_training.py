# %% [markdown]
# # 06 · Training G3AN
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/06_training.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/06_training.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# You have a generator $G$ and two discriminators: $D_V$ judges whole videos, $D_I$ one
# random frame of each video. Training plays them against each other. With real videos
# $x$, fakes $G(z)$, $z = (z_a, z_m)$, and $x_t$ one random frame of a video, the paper
# ([arXiv 1912.05523](https://arxiv.org/abs/1912.05523), Sec. 3, its objective; written here
# as the authors' code computes it) minimises, in turn,
#
# $$\mathcal{L}_D = \mathrm{BCE}(D_V(x), 1) + \mathrm{BCE}(D_V(G(z)), 0)
#   + \mathrm{BCE}(D_I(x_t), 1) + \mathrm{BCE}(D_I(G(z)_t), 0),$$
#
# $$\mathcal{L}_G = \mathrm{BCE}(D_V(G(z)), 1) + \mathrm{BCE}(D_I(G(z)_t), 1),$$
#
# where the discriminators output **logits** $\ell$ (not probabilities) and
# $\mathrm{BCE}(\ell, y) = -y \log \sigma(\ell) - (1 - y)\log(1 - \sigma(\ell))$ is averaged
# over the batch. Both players use Adam with learning rate $2\cdot10^{-4}$ and
# $\beta = (0.5, 0.999)$.
#
# > The generator's loss labels its fakes as **real** ("non-saturating" loss, Goodfellow et
# > al. 2014) instead of maximising the discriminator's loss: the same fixed point, but
# > useful gradients when the discriminator wins, which it does early on.
#
# In this notebook you will write both losses from first principles and check them against
# the package's, do one training step by hand and match `g3an_edu.train.train_step` bit for
# bit, see why samples come from an **exponential moving average** of $G$, call `train()`
# for a few steps, then read the **recorded 7000-step run of the shipped model** (its
# metrics over training and its samples), learn what can go wrong and where it shows,
# and interrupt and resume a run exactly.

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
import copy
import math
import shutil
import signal
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from g3an_edu import checkpoint as ckpt
from g3an_edu import pick_device
from g3an_edu.config import load_config
from g3an_edu.data import SyntheticActions
from g3an_edu.ema import ema_beta, update_ema
from g3an_edu.models import build_models, load_generator
from g3an_edu.objective import discriminator_loss, generator_loss, train_step
from g3an_edu.run_log import read_metrics
from g3an_edu.tier import by_tier, current_tier
from g3an_edu.train import TrainState, train
from g3an_edu.viz import frame_strip

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
if tier == "fast" and device.type == "cpu":
    # The tiny models run many small convolutions; on a busy 2-core machine one thread
    # avoids waiting for the other core: 40 steps of `tiny` took 13 s on one thread and
    # 52-86 s on two in our runs (shared machine, other jobs running).
    torch.set_num_threads(1)
cpu = torch.device("cpu")  # the by-hand checks run on the CPU: exact and cheap
RUNS = Path("runs") / "06_training"  # git-ignored
plt.rcParams.update({"font.size": 13})
print("tier:", tier)

# %% [markdown]
# ## 1 · The losses from first principles
#
# ### Binary cross-entropy on logits
#
# With $\sigma(\ell) = 1/(1+e^{-\ell})$: $-\log\sigma(\ell) = \log(1 + e^{-\ell})$ and
# $-\log(1 - \sigma(\ell)) = \log(1 + e^{\ell})$. So, with
# $\mathrm{softplus}(u) = \log(1 + e^u)$,
#
# $$\mathrm{BCE}(\ell, 1) = \mathrm{softplus}(-\ell), \qquad
#   \mathrm{BCE}(\ell, 0) = \mathrm{softplus}(\ell).$$
#
# Written this way it never computes $\log 0$: `softplus` is evaluated stably for any
# $\ell$. Computing $\sigma$ first and then its log is not stable: a confident
# discriminator ($\ell = -120$ on a real video) makes $\sigma(\ell)$ underflow to 0 in
# float32, and $-\log 0 = \infty$.

# %%
def bce_real(logits: torch.Tensor) -> torch.Tensor:
    """Mean of ``BCE(ℓ, 1) = softplus(-ℓ)`` over logits ``(B,)``."""
    return F.softplus(-logits).mean()


def bce_fake(logits: torch.Tensor) -> torch.Tensor:
    """Mean of ``BCE(ℓ, 0) = softplus(ℓ)`` over logits ``(B,)``."""
    return F.softplus(logits).mean()


logits = torch.tensor([-120.0, -5.0, 0.0, 2.0, 120.0])  # (5,)
for label, ours in ((1.0, bce_real), (0.0, bce_fake)):
    torch_bce = F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, label))
    assert_close(ours(logits), torch_bce)
naive = -torch.log(torch.sigmoid(logits)).mean()  # the same quantity as bce_real, in theory
print(f"BCE(ℓ, 1): ours {bce_real(logits).item():.4f} = PyTorch's | naive "
      f"-log σ(ℓ): {naive.item()}")

# %% [markdown]
# ### Why $G$ labels its fakes as real
#
# The original minimax game has $G$ minimise $-\mathrm{BCE}(D(G(z)), 0) =
# \log(1 - \sigma(\ell))$. Its gradient with respect to the fake's logit is
# $-\sigma(\ell)$: when $D$ confidently rejects a fake ($\ell \ll 0$), $\sigma(\ell)
# \approx 0$ and $G$ learns nothing. The non-saturating loss $\mathrm{BCE}(\ell, 1) =
# \mathrm{softplus}(-\ell)$ has gradient $-(1 - \sigma(\ell)) \approx -1$ there: strongest
# exactly when $G$ is worst. Autograd agrees:

# %%
ell = torch.linspace(-8, 8, 161, requires_grad=True)  # (161,) logits D gives to fakes
minimax = torch.log1p(-torch.sigmoid(ell))  # what G minimises in the original game
non_saturating = F.softplus(-ell)  # BCE(ℓ, 1)
(grad_minimax,) = torch.autograd.grad(minimax.sum(), ell)
(grad_ns,) = torch.autograd.grad(non_saturating.sum(), ell)
assert_close(grad_minimax, -torch.sigmoid(ell).detach())
assert_close(grad_ns, -(1 - torch.sigmoid(ell)).detach())

fig, ax = plt.subplots(figsize=(9, 4))
ax.plot(ell.detach(), grad_minimax.abs(), lw=2.5, label=r"minimax: $\log(1-\sigma(\ell))$")
ax.plot(ell.detach(), grad_ns.abs(), lw=2.5, label=r"non-saturating: $-\log\sigma(\ell)$")
ax.axvspan(-8, -2, color="0.9")
ax.text(-7.7, 0.5, "D rejects the fake\n(early training)", fontsize=12)
ax.set(xlabel="D's logit ℓ on a fake", ylabel="|dL_G / dℓ|",
       title="How hard G is pushed, as a function of D's verdict")
ax.legend(loc="center right")
plt.tight_layout()
plt.show()

# %% [markdown]
# ### The two losses, with both discriminators
#
# $D_V$ sees whole videos $(B, 3, T, R, R)$; $D_I$ one frame per video, drawn at random for
# every real **and** every fake video. Real and fake go through each discriminator in one
# batch of $2B$, and one `randint` call draws the $2B$ frame indices, as the package does,
# so that the same random generator gives the same frames. The fakes are **detached** for
# $\mathcal{L}_D$: the discriminator step must not send gradients into $G$.

# %%
def one_frame_each(videos: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """One random frame of each video: ``(B, C, T, H, W) -> (B, C, H, W)``."""
    b, t = videos.shape[0], videos.shape[2]
    idx = torch.randint(t, (b,), generator=rng)  # (B,): frame index of each video
    return videos[torch.arange(b), :, idx]  # (B, C, H, W)


def d_loss_ours(dv, di, real, fake, rng, bce=(bce_real, bce_fake)):
    """``L_D`` for real and fake videos ``(B, 3, T, R, R)``; ``fake`` is detached here."""
    to_real, to_fake = bce
    b = real.shape[0]
    videos = torch.cat([real, fake.detach()])  # (2B, 3, T, R, R)
    v = dv(videos)  # (2B,) video logits
    i = di(one_frame_each(videos, rng))  # (2B,) frame logits
    return to_real(v[:b]) + to_fake(v[b:]) + to_real(i[:b]) + to_fake(i[b:])


def g_loss_ours(dv, di, fake, rng, bce=(bce_real, bce_fake)):
    """``L_G``: fakes ``(B, 3, T, R, R)`` labelled real for both discriminators."""
    to_real, _ = bce
    return to_real(dv(fake)) + to_real(di(one_frame_each(fake, rng)))


# %% [markdown]
# **Check against the package.** We build the `tiny` preset's models (32×32 videos of 16
# frames, widths 8), render a batch of the course's synthetic actions and draw fakes.
# The discriminators go to eval mode for this check: in training mode every forward pass
# also runs one power-iteration step of spectral norm (notebook 05), so two consecutive
# calls would see slightly different weights.

# %%
config = load_config("tiny")
data = SyntheticActions(size=config.resolution, frames=config.frames, seed=config.data_seed)
G, DV, DI = build_models(config)  # seeded by config.seed
real = data.batch(range(config.batch))["video"]  # (4, 3, 16, 32, 32) in [-1, 1]
z_a, z_m = G.sample_noise(config.batch, config.length,
                          generator=torch.Generator().manual_seed(1))
with torch.no_grad():
    fake = G(z_a, z_m)  # (4, 3, 16, 32, 32)
DV.eval()
DI.eval()
with torch.no_grad():
    ours_d = d_loss_ours(DV, DI, real, fake, torch.Generator().manual_seed(2))
    pkg_d, mean_logits = discriminator_loss(DV, DI, real, fake, torch.Generator().manual_seed(2))
    ours_g = g_loss_ours(DV, DI, fake, torch.Generator().manual_seed(3))
    pkg_g = generator_loss(DV, DI, fake, torch.Generator().manual_seed(3))
assert_close(ours_d, pkg_d)
assert_close(ours_g, pkg_g)
print(f"L_D = {ours_d.item():.4f}, L_G = {ours_g.item():.4f}: "
      "equal to g3an_edu.train.discriminator_loss / generator_loss ✓")
print("mean logits:", {k: round(v.item(), 3) + 0.0 for k, v in mean_logits.items()})  # no -0.0

# %% [markdown]
# At initialisation all four mean logits are near 0: each discriminator says "50 %" to
# everything, and $\mathcal{L}_D \approx 4\log 2 = 2.77$, $\mathcal{L}_G \approx 2\log 2
# = 1.39$. Keep these two numbers in mind when reading loss curves.
#
# ## 2 · One training step, by hand
#
# A step of the package's trainer:
#
# 1. draw $z$, compute `fake = G(z)` **once**;
# 2. discriminator step: $\mathcal{L}_D$ on `fake.detach()`, backward, Adam step on $D_V$
#    and $D_I$ (one optimiser over both);
# 3. generator step: $\mathcal{L}_G$ on the same `fake` (still attached to $G$'s graph),
#    scored by the **just-updated** discriminators, backward, Adam step on $G$.
#
# Reusing `fake` saves a second forward pass of $G$ (and keeps $G$'s BatchNorm
# statistics updated once per step). $\mathcal{L}_G$'s backward also fills the
# discriminators' gradients; the next step's `zero_grad` clears them.
#
# We copy the freshly built training state (models + optimisers), run our step on one copy
# and `train_step` on the other, from the same random generator, and compare every weight
# and buffer. For a bit-for-bit match our losses use PyTorch's fused
# `binary_cross_entropy_with_logits` (equal to our softplus up to float rounding, as
# checked above): Adam's first step is about $\mathrm{lr}\cdot\mathrm{sign}(g)$, so
# rounding-level differences in a gradient that is almost zero can flip its sign and move
# a weight by up to $2 \cdot 10^{-4}$ (we saw $1.5 \cdot 10^{-4}$ with the softplus losses).

# %%
def torch_bce(target: float):
    """Mean ``BCE(ℓ, target)`` over logits ``(B,)``, PyTorch's fused version."""
    return lambda logits: F.binary_cross_entropy_with_logits(
        logits, torch.full_like(logits, target))


TORCH_BCE = (torch_bce(1.0), torch_bce(0.0))


def step_by_hand(state: TrainState, real: torch.Tensor, rng: torch.Generator) -> None:
    """One GAN step on real videos ``(B, 3, T, R, R)``: D, then G, as in the paper."""
    z_a, z_m = state.g.sample_noise(real.shape[0], state.config.length, generator=rng)
    fake = state.g(z_a, z_m)  # (B, 3, T, R, R), attached to G's graph
    d_loss = d_loss_ours(state.dv, state.di, real, fake, rng, TORCH_BCE)
    state.opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    state.opt_d.step()
    g_loss = g_loss_ours(state.dv, state.di, fake, rng, TORCH_BCE)
    state.opt_g.zero_grad(set_to_none=True)
    g_loss.backward()
    state.opt_g.step()


def differing(a: torch.nn.Module, b: torch.nn.Module) -> list[str]:
    """Names of the weights and buffers that are not bit-for-bit equal."""
    sa, sb = a.state_dict(), b.state_dict()
    return [k for k in sa if not torch.equal(sa[k], sb[k])]


ours = TrainState.create(config, cpu)
theirs = copy.deepcopy(ours)
before = copy.deepcopy(ours.g)
step_by_hand(ours, real, torch.Generator().manual_seed(5))
losses = train_step(theirs.g, theirs.dv, theirs.di, theirs.opt_g, theirs.opt_d, real,
                    torch.Generator().manual_seed(5))
for name in ("g", "dv", "di"):
    assert differing(getattr(ours, name), getattr(theirs, name)) == [], name
assert differing(before, ours.g) != []  # and the step did change G
n_state = sum(len(getattr(ours, n).state_dict()) for n in ("g", "dv", "di"))
print(f"after one step: all {n_state} tensors of G, D_V, D_I (weights, BatchNorm statistics, "
      "spectral-norm vectors) equal train_step's, bit for bit ✓")
print(f"train_step also returns: {sorted(losses)}")

# %% [markdown]
# ### What `train()` adds around the step
#
# - **Seeding per step.** Before step $s$ the random generator is re-seeded from
#   (seed, $s$), and batch $s$ of the data is a pure function of (data seed, $s$). So the
#   run from step $s$ on depends only on the state at step $s$: that is what makes resuming
#   exact (section 4).
# - **An EMA of $G$**, updated after every step (below), used for samples.
# - Logging to `metrics.jsonl`, fixed-noise sample GIFs, atomic checkpoints, a clean stop
#   on Ctrl-C, and a stop with advice when a loss becomes NaN.
#
# ### The moving average of $G$
#
# GAN training is a game, not a descent: the two players' updates often make the weights
# **circle** around an equilibrium instead of settling in it. The simplest such game,
# $\min_x \max_y\, x\,y$ (equilibrium at $0, 0$), shows it: alternating gradient steps,
# as in our D-then-G step, orbit forever. Their exponential moving average
# $\bar\theta \leftarrow \beta\bar\theta + (1-\beta)\theta$ sits near the centre.

# %%
x, y, lr = 1.0, 0.0, 0.1
x_bar, y_bar = x, y
path, path_bar = [], []
for step in range(600):
    y = y + lr * x  # the maximiser ("D") moves first
    x = x - lr * y  # then the minimiser ("G"), against the updated y
    beta = min(0.99, (1 + step) / (10 + step))  # the package's warm-up, with a 0.99 target
    x_bar, y_bar = beta * x_bar + (1 - beta) * x, beta * y_bar + (1 - beta) * y
    path.append((x, y))
    path_bar.append((x_bar, y_bar))
path, path_bar = torch.tensor(path), torch.tensor(path_bar)  # (600, 2) each
radius, radius_bar = path[-100:].norm(dim=1).mean(), path_bar[-100:].norm(dim=1).mean()
assert radius_bar < 0.2 * radius
print(f"last 100 steps, mean distance to the equilibrium: iterates {radius:.3f}, "
      f"EMA {radius_bar:.3f}")

fig, ax = plt.subplots(figsize=(6, 6))
ax.plot(path[:, 0], path[:, 1], color="0.6", lw=1, label="the players' weights")
ax.plot(path_bar[:, 0], path_bar[:, 1], color="C3", lw=2.5, label="their EMA")
ax.plot([0], [0], "k*", ms=16, label="equilibrium")
ax.set(xlabel="x (minimiser)", ylabel="y (maximiser)", aspect="equal",
       title="The game xy (x minimises, y maximises)")
ax.legend(loc="lower left", fontsize=11)
plt.tight_layout()
plt.show()

# %% [markdown]
# The package keeps `g_ema`, a copy of $G$, and after each step sets every parameter
# $\bar\theta \leftarrow \beta_s \bar\theta + (1 - \beta_s)\theta$ with
# $\beta_s = \min(0.999, \frac{1+s}{10+s})$: a short memory at first (else the average would
# stay stuck near the random initial weights for thousands of steps), 0.999 later.
# Buffers (BatchNorm statistics, spectral-norm vectors) are copied, not averaged. Training
# never uses `g_ema`; sampling does. By hand against `update_ema`:

# %%
g_ema = copy.deepcopy(before)  # the EMA starts as the initial G
expected = {k: ema_beta(config, 0) * p_ema + (1 - ema_beta(config, 0)) * p
            for (k, p_ema), p in zip(g_ema.named_parameters(), ours.g.parameters(), strict=True)}
update_ema(g_ema, ours.g, ema_beta(config, 0))
for k, p in g_ema.named_parameters():
    assert_close(p, expected[k])
for b_ema, b in zip(g_ema.buffers(), ours.g.buffers(), strict=True):
    assert torch.equal(b_ema, b)
print(f"β_0 = {ema_beta(config, 0):.3f}, β_100 = {ema_beta(config, 100):.3f}, "
      f"β_10000 = {ema_beta(config, 10_000):.3f}: our update equals update_ema ✓")

# %% [markdown]
# ## 3 · Training for real
#
# `train(config, out_dir)` runs the loop, writes everything into `out_dir` and resumes from
# it if it already holds a checkpoint. Here we call it to see the API and the files it
# writes; how much we train depends on the tier. The story of a *real* run comes after, from
# the recorded 7000-step run of the model the course ships.
#
# | tier | config | steps | what to expect |
# |---|---|---|---|
# | `fast` | `tiny` (32×32, widths 8, batch 4) | 40 | seconds; the API and its files, blobs |
# | `laptop` | `cpu` (32×32, widths 16, batch 16) | 1,500 | about 20–25 min on 2 quiet cores; first figure shapes |
# | `gpu` | `colab` (64×64, widths 32, batch 32) | 5,000 | a start; the preset runs 60,000 |
#
# In the `fast` tier the run folder is emptied first (the notebook must show the same thing
# every time). In the other tiers it is kept: run this cell again, or raise `STEPS`, and
# training **continues** from the last checkpoint.

# %%
PRESET, STEPS = by_tier(("tiny", 40), ("cpu", 1500), ("colab", 5000))
train_config = load_config(PRESET, {"steps": STEPS,
                                    "log_every": by_tier(1, 20, 50),
                                    "sample_every": by_tier(20, 250, 1000),
                                    "checkpoint_every": by_tier(20, 250, 1000)})
run_dir = RUNS / f"{PRESET}_{tier}"
if tier == "fast":
    shutil.rmtree(run_dir, ignore_errors=True)
print(f"config {train_config.name!r}: {train_config.resolution}×{train_config.resolution}×"
      f"{train_config.frames} videos, ch={train_config.ch}, batch {train_config.batch}, "
      f"{STEPS} steps -> {run_dir}")

# %%
# NBVAL_IGNORE_OUTPUT
# A progress bar with timings.
result = train(train_config, run_dir, device=device.type)
print(result)

# %%
assert result.step >= STEPS and not result.interrupted  # >: resumed a longer run
for path in sorted(p for p in run_dir.rglob("*") if p.is_file()):
    print(path.relative_to(run_dir))

# %% [markdown]
# - `config.json`: the config, readable;
# - `metrics.jsonl`: one JSON line every `log_every` steps: losses, the four mean logits,
#   seconds per step;
# - `samples/step_*.gif`: the same fixed noise through the EMA generator, every
#   `sample_every` steps: open them in order to watch training;
# - `checkpoints/step_*.safetensors`: the last `keep_checkpoints` (3) checkpoints.
#
# ### Loss curves
#
# `read_metrics` returns the columns of `metrics.jsonl`. The dashed lines are the values of
# a pair of discriminators that output logit 0 for everything (section 1).

# %%
m = read_metrics(run_dir)  # {"step": [...], "d_loss": [...], ...}
assert m["step"] and m["step"][-1] <= result.step
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(14, 4.5))
ax1.plot(m["step"], m["d_loss"], lw=2, label="$L_D$")
ax1.plot(m["step"], m["g_loss"], lw=2, label="$L_G$")
ax1.axhline(4 * math.log(2), color="C0", ls="--", lw=1)
ax1.axhline(2 * math.log(2), color="C1", ls="--", lw=1)
ax1.set(xlabel="step", ylabel="loss", title="Losses")
ax1.legend()
for key, style in (("dv_real", "C2-"), ("dv_fake", "C2--"), ("di_real", "C4-"),
                   ("di_fake", "C4--")):
    ax2.plot(m["step"], m[key], style, lw=2, label=key)
ax2.axhline(0, color="k", lw=0.8)
ax2.set(xlabel="step", ylabel="mean logit", title="What the discriminators say (real vs fake)")
ax2.legend(ncol=2)
plt.tight_layout()
plt.show()

# %% [markdown]
# ### Samples, before and after
#
# The same fixed noise through $G$ at initialisation (the same seed gives the same
# initial weights), through the trained $G$, and through its EMA. `load_generator` rebuilds
# a generator from a checkpoint alone: the config is stored with the weights. Real videos
# of the data set for comparison, 8 of the 16 frames each.

# %%
G_init = build_models(train_config)[0].to(device).eval()
G_last, _ = load_generator(run_dir, ema=False, device=device)
G_avg, _ = load_generator(run_dir, ema=True, device=device)
noise = G_init.sample_noise(2, train_config.length, generator=torch.Generator().manual_seed(7),
                            device=device)
with torch.no_grad():
    shown = torch.cat([G_init(*noise), G_last(*noise), G_avg(*noise)]).cpu()  # (6, 3, T, R, R)
real_data = SyntheticActions(size=train_config.resolution, frames=train_config.frames)
shown = torch.cat([shown, real_data.batch(range(2))["video"]])  # (8, 3, T, R, R)
titles = [f"{who} {i}" for who in ("init", f"G@{STEPS}", f"EMA@{STEPS}", "real")
          for i in range(2)]
fig = frame_strip(shown, frames=8, titles=titles, cell=1.2)
fig.suptitle(f"Fixed noise before and after {STEPS} steps of '{PRESET}'", y=0.93)
plt.show()

# %% [markdown]
# Two things to notice. The initial $G$ draws flat grey: in eval mode its BatchNorm layers
# use their running statistics, which still hold their initial values (mean 0, variance 1)
# while the real activations are tiny (weights drawn from $\mathcal{N}(0, 0.02)$), so
# the output is almost exactly 0. Training updates those statistics. And in the `fast` tier
# the EMA is close to $G$: by step 40 its decay has only warmed up to about 0.82; after
# thousands of steps it is 0.999 and averages over about a thousand steps.
#
# ### Training progress, animated
#
# Every `sample_every` steps the trainer renders the same fixed noise through the EMA
# generator into `samples/step_*.gif`. Played in order, they are the film of the run (here
# only a few steps long: in the fast tier expect coloured blobs).

# %%
# NBVAL_IGNORE_OUTPUT
# Animated GIFs written by the trainer: bytes, not worth comparing.
import base64

from IPython.display import HTML, display

gifs = sorted((run_dir / "samples").glob("step_*.gif"))
assert gifs, "the trainer wrote no sample GIF"
display(HTML("".join(
    f'<figure style="display:inline-block;margin:4px"><img style="width:280px;'
    f'image-rendering:pixelated" src="data:image/gif;base64,'
    f'{base64.b64encode(g.read_bytes()).decode()}"/><figcaption>{g.stem}</figcaption></figure>'
    for g in gifs)))

# %% [markdown]
# ### A real run: the shipped model's 7000 steps
#
# The course ships `g3an-tiny`, trained with `g3an-edu train --config cpu --steps 7000`
# (32×32×16 videos, $ch = 16$, batch 16) on a shared 2-core CPU. Every 500 steps its
# checkpoint was evaluated with the course's oracle metrics (notebook 07), and those curves
# are committed in `docs/curves.json` (`docs/RESULTS.md` tells how). The run's folder with
# its checkpoints and loss log is not committed, so we read the *metric* curves; the loss
# curves of a run look like the ones above, only longer.
#
# The file sits in the course repository; with only the package installed (Colab),
# `course_root` clones the course once from the git address the package was installed from.

# %%
import json

from g3an_edu.colab import course_root
from g3an_edu.pretrained import shipped_models

curves = json.loads((course_root(marker="docs/curves.json") / "docs" / "curves.json").read_text())
record = shipped_models()["g3an-tiny"]
ema_curve, raw_curve = curves["g3an-tiny"], curves["g3an-tiny (raw G)"]
print(f"g3an-tiny: {record['step']} steps, {record['train_seconds'] / 60:.0f} min of logged "
      f"training, `{record['command']}`")
print("evaluated at steps:", [p["step"] for p in ema_curve])
assert ema_curve[-1]["step"] == record["step"]

# %%
PANELS = (("fd_video", "FD video ↓ (log)", True), ("fd_frame", "FD frame ↓ (log)", True),
          ("motion_diversity", "motion diversity ↑", False),
          ("action_entropy", "action entropy ↑", False),
          ("appearance_disentanglement", "appearance disentanglement ↑", False),
          ("action_disentanglement", "action disentanglement ↑", False))
fig, axes = plt.subplots(2, 3, figsize=(15, 7.5))
for ax, (key, label, log) in zip(axes.flat, PANELS, strict=True):
    for curve, name, style in ((ema_curve, "EMA of G (sampled)", "C3o-"),
                               (raw_curve, "raw G", "C0s--")):
        ax.plot([p["step"] for p in curve], [p[key] for p in curve], style, lw=2, ms=5,
                label=name)
    ax.axhline(ema_curve[0]["real"][key], color="k", ls=":", lw=1.5, label="real data")
    ax.set(title=label, xlabel="step", yscale="log" if log else "linear")
axes[0, 0].legend(fontsize=10)
fig.suptitle("The shipped g3an-tiny over its 7000 training steps (n = 256 videos per point)")
plt.tight_layout()
plt.show()

# %%
first, last = ema_curve[0], ema_curve[-1]
for key, _, _ in PANELS:
    print(f"{key:28s} step 0: {first[key]:9.3f}  step {last['step']}: {last[key]:9.3f}  "
          f"real: {first['real'][key]:9.3f}")
peak = max(ema_curve, key=lambda p: p["appearance_disentanglement"])
print(f"appearance disentanglement peaks at step {peak['step']} "
      f"({peak['appearance_disentanglement']:.2f}), ends at {last['appearance_disentanglement']:.2f}")

# %% [markdown]
# How to read it:
#
# - **Quality** (the Fréchet distances, lower is better) drops most in the first couple of
#   thousand steps, then keeps falling slowly, with bumps, and ends far above the real
#   data's floor (the printed numbers): at this size the model is nowhere near converged.
# - **Diversity** (motion diversity, action entropy) starts near 0: the untrained generator
#   makes the same grey video for every code. It rises as $G$ learns to use its codes; a
#   curve that rose and then *fell back* would be the sign of mode collapse. This run shows
#   none.
# - **Disentanglement** is the noisiest: appearance disentanglement peaks early and falls
#   back while FD keeps improving, so one number at the end of a run hides its history
#   (`docs/RESULTS.md` gives bootstrap intervals: read them before reading a wiggle).
# - The EMA (what we sample) and the raw $G$ differ from point to point: one run and one
#   evaluation seed are two data points, not a trend.
#
# And what it makes: the shipped model's samples next to real videos of the data set.

# %%
from g3an_edu.models import load_pretrained
from g3an_edu.viz import show_videos

g_shipped, shipped_config = load_pretrained("g3an-tiny")
shipped_noise = g_shipped.sample_noise(4, 1, generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    shipped_videos = g_shipped(*shipped_noise)  # (4, 3, 16, 32, 32)
real_videos = SyntheticActions(size=32, frames=16).batch(range(4))["video"]
print("shipped samples:", tuple(shipped_videos.shape), "| real:", tuple(real_videos.shape))

# %%
# NBVAL_IGNORE_OUTPUT
# Animated GIF: bytes, not worth comparing. Top row: g3an-tiny; bottom row: real data.
show_videos(torch.cat([shipped_videos, real_videos]), ncol=4, scale=2)

# %% [markdown]
# Figures in poses that move, on the data's kinds of backgrounds, blurrier than the real
# ones; watch the last frames of some samples wash out (an artefact `docs/RESULTS.md` and
# notebook 00 discuss). Loss curves of a GAN do not go down to zero and do not tell you the
# samples are good: look at the sample GIFs, and measure (`g3an-edu evaluate --checkpoint RUN_DIR`, notebook
# 07).
#
# ## What could go wrong
#
# | symptom | where it shows | what to try |
# |---|---|---|
# | **$D$ overpowers $G$** | `metrics.jsonl`: real logits far above 0 and fake logits far below for long stretches, $\mathcal{L}_D \ll 4\log 2$, $\mathcal{L}_G \gg 2\log 2$, and samples that stop improving | some dominance is normal early (the non-saturating $\mathcal{L}_G$ keeps gradients alive); if samples stall: a smaller $D$ (`dv_ch`, `di_ch`), lower `lr_d` (two time-scale learning rates), `di_weight` < 1, or `loss=hinge` |
# | **Mode collapse** | samples alike for every $z$; in the metrics (above): motion diversity and action entropy falling back, appearance spread near 0 | an EMA snapshot from before the collapse (checkpoints), a lower learning rate, more $D$ capacity per step (`d_steps`) |
# | **Grey output** | the whole video near 0 in eval mode while training-mode samples vary: BatchNorm's running statistics are off (an untrained model, or BatchNorm buffers not loaded) | load the full state dict (buffers included), compare `G.train()` and `G.eval()` outputs, check the pixel standard deviation |
# | **NaN losses** | the trainer stops at the first non-finite loss, keeps the last good checkpoint and prints advice | resume from that checkpoint with a lower learning rate, fp32 (`amp=none`), spectral norm on; check the data for NaNs and the range $[-1, 1]$ |
# | **Flicker every other frame** | a period-2 pattern in time early in training | the stride-2 temporal transposed convs can make it: notebook 01's checkerboard section shows when overlap removes such patterns and when not (even overlap, uniform kernels only); watch whether it fades as training goes on |
#
# ## 4 · Interrupting and resuming, exactly
#
# Runs get interrupted: a laptop sleeps, Colab disconnects, you press ■. Ctrl-C (or the
# stop button, or SIGTERM) during `train()` sets a flag; the trainer finishes the current
# step, writes a checkpoint and returns with `interrupted=True`. Running the same call
# again resumes from the newest checkpoint.
#
# We simulate the stop button: a data source that sends the process a SIGINT (what ■ sends
# to the kernel) while the trainer fetches the batch of step 3. Then we resume to step 6
# and compare with a run that was never stopped.

# %%
class PressStopAt:
    """The synthetic data, but raising SIGINT (like Ctrl-C) when batch ``at`` is fetched."""

    def __init__(self, source: SyntheticActions, at: int) -> None:
        self.source, self.at, self.fetched = source, at, 0

    def __len__(self) -> int:
        return len(self.source)

    def batch(self, indices, device=None) -> dict[str, torch.Tensor]:
        self.fetched += 1
        if self.fetched == self.at:
            signal.raise_signal(signal.SIGINT)
        return self.source.batch(indices, device)


demo = load_config("tiny", {"sample_every": 0, "log_every": 1, "checkpoint_every": 100})
once, twice = RUNS / "resume_once", RUNS / "resume_twice"
for folder in (once, twice):
    shutil.rmtree(folder, ignore_errors=True)

train(demo, once, steps=6, device="cpu", data=data, progress=False)
stopped = train(demo, twice, steps=6, device="cpu", data=PressStopAt(data, at=3),
                progress=False)
assert stopped.interrupted and stopped.step == 3
print("checkpoints after the stop:", [p.name for p in ckpt.list_checkpoints(twice)])
resumed = train(demo, twice, steps=6, device="cpu", data=data, progress=False)
assert resumed.step == 6 and not resumed.interrupted

# %% [markdown]
# The trainer printed what it did. Now compare the two final checkpoints tensor by tensor:
# the weights of $G$, $D_V$, $D_I$ and the EMA, BatchNorm statistics, spectral-norm vectors
# and both optimisers' Adam moments. And the metrics: the resumed run's `metrics.jsonl`
# has each step once, with the same losses.

# %%
t_once, meta_once = ckpt.load_checkpoint(once)
t_twice, meta_twice = ckpt.load_checkpoint(twice)
model_keys = [k for k in t_once if not k.startswith("rng.")]  # RNG states differ by design
assert t_once.keys() == t_twice.keys() and meta_once["step"] == meta_twice["step"] == 6
different = [k for k in model_keys if not torch.equal(t_once[k], t_twice[k])]
assert different == []
assert read_metrics(once)["d_loss"] == read_metrics(twice)["d_loss"]
print(f"stopped at 3 + resumed to 6 == 6 steps in one go: all {len(model_keys)} tensors "
      "equal bit for bit ✓")
print("steps logged by the resumed run:", read_metrics(twice)["step"])

# %% [markdown]
# Bit for bit on the CPU. On a GPU some kernels (e.g. cuDNN's convolution backward) may
# add in a different order from run to run, so an interrupted run stays *statistically*
# the same but not bit-identical; the package does not force deterministic kernels, which
# would be slower.
#
# ### Inside a checkpoint
#
# A checkpoint is one [safetensors](https://huggingface.co/docs/safetensors) file: flat named
# tensors plus a JSON string in its header. Loading it runs no pickle, so a checkpoint from
# someone else cannot execute code on your machine.

# %%
groups: dict[str, list[int]] = {}
for key, tensor in t_twice.items():
    counts = groups.setdefault(key.split(".")[0], [0, 0])
    counts[0] += 1
    counts[1] += tensor.numel() * tensor.element_size()
print(f"{'prefix':8s} {'tensors':>8s} {'KB':>8s}")
for prefix, (n, size) in groups.items():
    print(f"{prefix:8s} {n:>8d} {size / 1024:>8.1f}")
print("\nJSON metadata:", sorted(meta_twice))
print("step:", meta_twice["step"], "| config:", {k: meta_twice["config"][k] for k in
      ("arch", "resolution", "ch", "mode", "attention", "batch", "lr_g", "beta1", "ema")})

# %% [markdown]
# `g`, `dv`, `di`, `g_ema`: the models' state dicts; `opt_g`, `opt_d`: Adam's step count
# and moments (two tensors the size of each parameter: the optimisers are the biggest
# part); `rng`: random-generator states. Because the **config travels with the weights**,
# `load_generator(path)` rebuilds the right generator with no other input, and resuming
# with a different architecture is refused, naming what differs (the authors' code had no
# such check: their documented training config and their sampling script built different
# generators).

# %%
other = TrainState.create(load_config("tiny", {"mode": "3d", "attention": False}), cpu)
try:
    other.load(t_twice, meta_twice)
except ValueError as err:
    print("ValueError:", err)
else:
    raise AssertionError("a checkpoint of another architecture must be refused")

# %% [markdown]
# ## 5 · Beyond this notebook: the command line, several GPUs, bf16
#
# The same trainer runs from a terminal (what you want for long runs):
#
# ```bash
# g3an-edu train --config cpu --out runs/cpu                 # resumes if runs/cpu has a checkpoint
# g3an-edu train --config tiny --out runs/t --set attention=false --set batch=8   # any key
# g3an-edu sample --checkpoint runs/cpu --n 8 --out samples.gif   # EMA weights; --no-ema for G
# torchrun --nproc_per_node=4 -m g3an_edu train --config paper --out runs/paper
# ```
#
# - **Several GPUs**: under `torchrun`, each process trains a `DistributedDataParallel` copy
#   on `batch / N` videos; batch $s$ is split by rank from the same global batch, so the run
#   sees the same data as one process would.
# - **On CUDA**, `amp = "auto"` runs the forward passes in **bf16** autocast (losses in
#   fp32; `--set amp=none` for fp32), `--set compile=true` wraps the three networks in
#   `torch.compile`, `--set channels_last=true` uses the `channels_last_3d` layout.
# - A NaN loss stops the run with suggestions (a lower learning rate, fp32, spectral norm)
#   and keeps the last good checkpoint.

# %% [markdown]
# ## Summary
#
# - $\mathcal{L}_D$: four binary cross-entropies on logits, real → 1 and fake → 0 for $D_V$
#   (whole videos) and $D_I$ (one random frame per video); $\mathcal{L}_G$: fakes → 1 for
#   both (non-saturating: strong gradients when $D$ wins). $\mathrm{BCE}(\ell, 1) =
#   \mathrm{softplus}(-\ell)$, stable for any logit. Ours equal the package's.
# - One step: `fake = G(z)` once; D step on the detached fakes, then G step against the
#   updated D. Our step equals `train_step` bit for bit; Adam with lr $2\cdot10^{-4}$,
#   $\beta = (0.5, 0.999)$ for both players.
# - `train()` adds per-step seeding (so resume is exact), an EMA of $G$ for sampling
#   (GAN weights orbit; their average is steadier), metrics, sample GIFs and safetensors
#   checkpoints that carry their config.
# - Loss values at logit 0: $4\log 2$ and $2\log 2$. Early training is dominated by the
#   discriminators; samples improve anyway. Judge by samples and metrics, not by loss.
# - The shipped model's recorded 7000-step run: FD falls fast, then slowly; diversity rises
#   without collapse; disentanglement is noisy and not monotone. The table "What could go
#   wrong" says where each failure shows and what to try.
#
# **Read further.** Wang et al., *G3AN*, CVPR 2020,
# [arXiv 1912.05523](https://arxiv.org/abs/1912.05523) (Sec. 3: the objective; Sec. 4: the
# experiments); Goodfellow et al., *Generative Adversarial Nets*, NeurIPS 2014
# ([arXiv 1406.2661](https://arxiv.org/abs/1406.2661)): the minimax game and the
# non-saturating generator loss; Miyato et al., *Spectral Normalization for GANs*, ICLR 2018
# ([arXiv 1802.05957](https://arxiv.org/abs/1802.05957)); Tulyakov et al., *MoCoGAN*, CVPR
# 2018 ([arXiv 1707.04993](https://arxiv.org/abs/1707.04993)): image + video discriminators;
# Tran et al., R(2+1)D, CVPR 2018 ([arXiv 1711.11248](https://arxiv.org/abs/1711.11248)).
#
# ## Exercises
#
# Each exercise checks your answer with `g3an_edu.exercises.nb06` and tells you what
# differs.

# %%
from g3an_edu.exercises.nb06 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1.** The **hinge loss** (Lim & Ye 2017, used by SAGAN and BigGAN) is a common
# alternative: for logits `real (B,)` on real data and `fake (B,)` on fakes,
#
# $$\mathcal{L}_D = \mathrm{mean}\,\max(0,\ 1 - D(x)) + \mathrm{mean}\,\max(0,\ 1 + D(G(z))),
#   \qquad \mathcal{L}_G = -\mathrm{mean}\, D(G(z)).$$
#
# Write both. (Why the $\max$: once a real logit is above $+1$, $D$ stops pushing it.)

# %%
def hinge_d_loss(real, fake):
    ### BEGIN SOLUTION
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    ### END SOLUTION


def hinge_g_loss(fake):
    ### BEGIN SOLUTION
    return -fake.mean()
    ### END SOLUTION


check_ex1(hinge_d_loss, hinge_g_loss)

# %% [markdown]
# **Exercise 2.** A lazy discriminator outputs the same logit $c$ for every input: $D_V$ and
# $D_I$ alike. Write `constant_d_loss(c)`: the value of $\mathcal{L}_D$ (all four terms) as
# a float. Which $c$ gives the smallest loss, and what is it?

# %%
def constant_d_loss(c):
    ### BEGIN SOLUTION
    return 2 * (math.log1p(math.exp(-c)) + math.log1p(math.exp(c)))
    ### END SOLUTION


check_ex2(constant_d_loss)

# %% [markdown]
# **Exercise 3 (find the bug).** A colleague's discriminator loss, written from the four
# batches of logits `(B,)` ($D_V$ on real and fake videos, $D_I$ on real and
# fake frames), has one planted bug. Which term is wrong (`"dv_real"`, `"dv_fake"`,
# `"di_real"` or `"di_fake"`)? Write the fixed loss. Before you fix it, predict what the bug
# would show in training: which of the four logged mean logits would drift the wrong way?

# %%
def buggy_d_loss(v_real, v_fake, i_real, i_fake):
    """L_D from logits (B,) each, with one planted bug."""
    return (F.softplus(-v_real).mean() + F.softplus(v_fake).mean()
            + F.softplus(-i_real).mean() + F.softplus(-i_fake).mean())


### BEGIN SOLUTION
bug = "di_fake"  # softplus(-ℓ) = BCE(ℓ, 1): it rewards D_I for calling fakes real


def fixed_d_loss(v_real, v_fake, i_real, i_fake):
    return (F.softplus(-v_real).mean() + F.softplus(v_fake).mean()
            + F.softplus(-i_real).mean() + F.softplus(i_fake).mean())
### END SOLUTION


check_ex3(bug, fixed_d_loss)

# %% [markdown]
# (The symptom: `di_fake`, $D_I$'s mean logit on fakes, climbs above 0 with `di_real`, as
# $D_I$ learns to call everything real, while $\mathcal{L}_D$ still looks healthy because
# three terms are right.)
#
# **Open experiment: which parts matter?** Train the `tiny` preset for 300 steps (a few
# minutes on 2 cores) with one change at a time against the default, each into its own
# folder: `{"attention": False}` (F-SA off), `{"mode": "3d"}` (full 3D kernels instead of
# 1p2d), `{"di_weight": 0.0}` (no image discriminator), `{"ema": False}`. What to look for:
# seconds per step (`metrics.jsonl`), the four mean logits (does one discriminator take
# over?), and the last sample GIFs side by side; then `g3an-edu evaluate --checkpoint
# RUN_DIR` for FD frame and FD video (notebook 07). Expect the differences after 300 steps
# to be small and noisy: rerun one setting with another `seed` to see how large the noise
# is before you believe a difference.

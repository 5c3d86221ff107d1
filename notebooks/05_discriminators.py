# %% [markdown]
# # 05 · The discriminators
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/05_discriminators.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/05_discriminators.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# A GAN's generator learns only through its critics. G3AN has two:
#
# - the **video discriminator** $D_V$ judges whole clips, $(3, 16, 64, 64) \to$ one logit:
#   are the motion and its consistency over time real?
# - the **image discriminator** $D_I$ judges **one random frame** of each clip,
#   $(3, 64, 64) \to$ one logit: does a single frame look real?
#
# Both are trained with the standard GAN discriminator loss, binary cross-entropy with real
# videos labelled 1 and fakes 0,
#
# $$\mathcal{L}_D = \mathrm{BCE}(D_V(x), 1) + \mathrm{BCE}(D_V(G(z)), 0)
#   + \mathrm{BCE}(D_I(x_t), 1) + \mathrm{BCE}(D_I(G(z)_t), 0),$$
#
# (the name "non-saturating" belongs to the *generator's* loss, which labels its fakes 1:
# notebook 06),
#
# and every convolution in them is **spectrally normalised**: its weight is divided by its
# largest singular value, $\bar W = W / \sigma(W)$, so no layer can stretch its input by
# more than a factor of 1.
#
# > The paper's idea ([arXiv 1912.05523](https://arxiv.org/abs/1912.05523), Sec. 3, the
# > discriminators): $D_V$ uses factorized **(2+1)D** convolutions (space, then time, as
# > R(2+1)D, Tran et al. 2018), the mirror image of the generator's (1+2)D transposed
# > convolutions; $D_I$ is a DCGAN-style 2D network on single frames (the pair of an image
# > and a video discriminator comes from MoCoGAN, Tulyakov et al. 2018).
#
# In this notebook you will trace $D_V$'s shapes from 16 frames to 1 logit, build both
# discriminators and match the package's, count their parameters against the authors' code,
# see why two discriminators (shuffle a real video's frames: one of them cannot tell), and
# derive spectral normalisation by power iteration and check it against PyTorch's.

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
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm
from torch.testing import assert_close

from g3an_edu import ImageDiscriminator, VideoDiscriminator, pick_device
from g3an_edu.discriminators import random_frames
from g3an_edu.tier import current_tier

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
# Power-iteration steps in the convergence plot (cheap: matrix-vector products).
N_ITERS = 100
plt.rcParams.update({"font.size": 13})
print("tier:", tier)

# %% [markdown]
# ## 1 · The video discriminator: (2+1)D convolutions
#
# Each stage of $D_V$ is a **spatial** conv, kernel $(1, 4, 4)$, stride $(1, 2, 2)$,
# padding $(0, 1, 1)$, which halves $H$ and $W$, then a **temporal** conv, kernel
# $(4, 1, 1)$, no padding, which removes 3 frames, each followed by LeakyReLU(0.2).
# Channels go $3 \to ch \to 2ch \to 4ch \to 8ch$. With the conv size rule
# $n' = \lfloor (n + 2p - k)/s \rfloor + 1$:
#
# $$T:\; 16 \to 13 \to 10 \to 7 \to 4, \qquad H:\; 64 \to 32 \to 16 \to 8 \to 4,$$
#
# and a last $(1,4,4)$ conv and $(4,1,1)$ conv turn the $4\times4\times4$ map into
# $1\times1\times1$: one logit. We build it from scratch, without spectral norm for now.

# %%
def video_discriminator(ch: int) -> nn.Sequential:
    """D_V at 64×64: ``(B, 3, 16, 64, 64) -> (B, 1, 1, 1, 1)``; (2+1)D stages, LeakyReLU(0.2)."""
    layers: list[nn.Module] = []
    c_in = 3
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        layers += [nn.Conv3d(c_in, c, (1, 4, 4), (1, 2, 2), (0, 1, 1)), nn.LeakyReLU(0.2),
                   nn.Conv3d(c, c, (4, 1, 1)), nn.LeakyReLU(0.2)]
        c_in = c
    layers += [nn.Conv3d(c_in, c_in, (1, 4, 4)), nn.LeakyReLU(0.2), nn.Conv3d(c_in, 1, (4, 1, 1))]
    return nn.Sequential(*layers)


dv_ours = video_discriminator(ch=64)
video = torch.randn(2, 3, 16, 64, 64, generator=torch.Generator().manual_seed(0))
print(f"{'layer':34s} output (B, C, T, H, W)")
h = video
with torch.no_grad():
    for layer in dv_ours:
        h = layer(h)
        if isinstance(layer, nn.Conv3d):
            kind = "space" if layer.kernel_size[0] == 1 else "time "
            print(f"{kind} conv {str(layer.kernel_size):10s} {layer.in_channels:>4} -> "
                  f"{layer.out_channels:<4}  {tuple(h.shape)}")
assert h.shape == (2, 1, 1, 1, 1)

# %% [markdown]
# **Check against the package.** `VideoDiscriminator` keeps the same layers in `.net`;
# built with `spectral_norm=False`, its weights load straight into ours. It also averages
# the logits over time positions (there is exactly one for 16 frames) and returns `(B,)`.

# %%
dv_pkg = VideoDiscriminator(ch=64, spectral_norm=False)
dv_ours.load_state_dict(dv_pkg.net.state_dict())
with torch.no_grad():
    assert_close(dv_pkg(video), dv_ours(video).flatten())
print("logits:", tuple(dv_pkg(video).shape), "| our D_V == g3an_edu.VideoDiscriminator ✓")

# %% [markdown]
# **Why (2+1)D?** A full 3D kernel $(4, 4, 4)$ mixing $c_{in} \to c$ channels has
# $64\,c_{in} c$ weights; the factorized pair has $16\,c_{in} c + 4\,c^2$, and a LeakyReLU
# in between: one more non-linearity per stage, as in the generator's (1+2)D convolutions.
# Let us count both per stage at $ch = 64$:

# %%
print(f"{'stage':6s} {'c_in -> c':>12s} {'full 3D':>12s} {'(2+1)D':>12s}")
c_in, total_3d, total_21 = 3, 0, 0
for i, c in enumerate((64, 128, 256, 512), start=1):
    full = 64 * c_in * c + c  # one (4,4,4) conv
    factored = (16 * c_in * c + c) + (4 * c * c + c)  # (1,4,4) then (4,1,1)
    total_3d, total_21 = total_3d + full, total_21 + factored
    print(f"{i:<6d} {f'{c_in} -> {c}':>12s} {full:>12,d} {factored:>12,d}")
    c_in = c
print(f"{'total':6s} {'':>12s} {total_3d:>12,d} {total_21:>12,d}")

# %% [markdown]
# Only in the first stage, where the time conv works on 64 channels while the input has
# just 3, is the factorized pair larger; over the four stages it is 2.7 times smaller.
#
# ## 2 · The image discriminator, on one random frame per video
#
# $D_I$ is a 2D net: $4\times4$ convs with stride 2, $3 \to ch \to 2ch \to 4ch \to 8ch$
# ($64 \to 32 \to 16 \to 8 \to 4$ pixels), then a $4\times4$ conv to one logit. Each video
# of the batch contributes **one frame, chosen at random** (`random_frames`): over training
# every frame gets judged, at the cost of a 2D net on $B$ images.
#
# To see which frame each video gave, we make videos whose frames are easy to tell apart: a
# bright bar that sweeps down the frame, so the bar's height tells the time.

# %%
def sweep_videos(batch: int, frames: int = 16, size: int = 64) -> torch.Tensor:
    """``(B, 3, T, S, S)`` in [-1, 1]: a bar of colour ``b`` at row ``4t`` in frame ``t``."""
    colours = torch.tensor([[1.0, 0.3, 0.3], [0.3, 1.0, 0.3], [0.3, 0.5, 1.0], [1.0, 0.9, 0.2]])
    video = -torch.ones(batch, 3, frames, size, size)
    for b in range(batch):
        for t in range(frames):
            row = t * size // frames
            video[b, :, t, row:row + 4] = colours[b % 4, :, None, None] * 2 - 1
    return video


videos = sweep_videos(4)
g = torch.Generator().manual_seed(0)
frames = random_frames(videos, generator=g)  # (B, 3, 64, 64)
chosen = torch.randint(16, (4,), generator=torch.Generator().manual_seed(0))
for b, t in enumerate(chosen.tolist()):  # the same draws: frame chosen[b] of video b
    assert torch.equal(frames[b], videos[b, :, t])
print("frames:", tuple(frames.shape), "| frame picked per video:", chosen.tolist())

fig, axes = plt.subplots(1, 4, figsize=(12, 3.4))
for b, ax in enumerate(axes):
    ax.imshow(((frames[b] + 1) / 2).permute(1, 2, 0))
    ax.set_title(f"video {b}: frame {chosen[b].item()}")
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("What D_I sees: one random frame of each video", fontsize=14)
plt.tight_layout()
plt.show()

# %%
def image_discriminator(ch: int) -> nn.Sequential:
    """D_I at 64×64: ``(B, 3, 64, 64) -> (B, 1, 1, 1)``; DCGAN-style, LeakyReLU(0.2)."""
    layers: list[nn.Module] = []
    c_in = 3
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        layers += [nn.Conv2d(c_in, c, 4, 2, 1), nn.LeakyReLU(0.2)]
        c_in = c
    layers.append(nn.Conv2d(c_in, 1, 4))
    return nn.Sequential(*layers)


di_ours, di_pkg = image_discriminator(64), ImageDiscriminator(ch=64, spectral_norm=False)
di_ours.load_state_dict(di_pkg.net.state_dict())
h = frames
with torch.no_grad():
    for layer in di_ours:
        h = layer(h)
        if isinstance(layer, nn.Conv2d):
            print(f"conv {layer.in_channels:>3} -> {layer.out_channels:<3}  {tuple(h.shape)}")
    assert_close(di_pkg(frames), di_ours(frames).flatten())
print("our D_I == g3an_edu.ImageDiscriminator ✓")

# %% [markdown]
# **Sizes against the authors' code.** Measured on their public code (the paper gives no
# counts): 8,347,009 parameters in $D_V$ and 2,764,737 in $D_I$ at $ch = 64$ (and the counts
# below at 32 and 16). Ours, with spectral norm (which adds buffers, not parameters):

# %%
def n_params(module: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in module.parameters())


AUTHORS = {64: (8_347_009, 2_764_737), 32: (2_088_641, 694_241), 16: (523_105, 175_089)}
print(f"{'ch':>3s} {'D_V ours':>11s} {'authors':>11s} {'D_I ours':>11s} {'authors':>11s}")
for ch, (dv_want, di_want) in AUTHORS.items():
    dv_n, di_n = n_params(VideoDiscriminator(ch)), n_params(ImageDiscriminator(ch))
    assert (dv_n, di_n) == (dv_want, di_want), ch
    print(f"{ch:>3d} {dv_n:>11,d} {dv_want:>11,d} {di_n:>11,d} {di_want:>11,d}  ✓")
assert n_params(dv_ours) == 8_347_009 and n_params(di_ours) == 2_764_737

# %% [markdown]
# ## 3 · Why two discriminators? Shuffle the frames
#
# Take a real video of the course's synthetic actions and shuffle its frames. Every frame is
# still a perfectly real image, so $D_I$, which judges one frame at a time, **cannot** tell:
# the set of frames it may draw is the same, so is the set of its logits. $D_V$ sees the
# order, and its logit moves. A generator trained against $D_I$ alone could make beautiful
# frames in any order; $D_V$ is what asks for motion. (And $D_V$ alone? It must judge
# appearance and motion at once from a few low-resolution channels; $D_I$ adds a dedicated
# critic of single-frame quality, cheaply.)
#
# The course ships only trained *generators* (`g3an_edu/assets/models`: the discriminators
# are not kept), so we use **untrained** discriminators at $ch = 32$: the argument is about
# what each network *can* see, which holds before training. Untrained, their logits are all
# close to 0, so we compare $D_V$'s change with its own size (relative change); a trained
# $D_V$ would also have learned to *care* about the order.

# %%
from g3an_edu.data import SyntheticActions

real_video = SyntheticActions(size=64, frames=16, seed=0).batch([0])["video"]  # (1,3,16,64,64)
torch.manual_seed(0)
dv_u, di_u = VideoDiscriminator(ch=32).eval(), ImageDiscriminator(ch=32).eval()
perms = [torch.randperm(16, generator=torch.Generator().manual_seed(s)) for s in range(8)]
with torch.no_grad():
    di_orig = di_u(real_video[0].transpose(0, 1))  # (16,) one logit per frame
    dv_orig = dv_u(real_video).item()
    dv_shuf, di_max_change = [], 0.0
    for perm in perms:
        shuffled = real_video[:, :, perm]  # (1, 3, 16, 64, 64)
        di_shuf = di_u(shuffled[0].transpose(0, 1))  # (16,)
        assert_close(di_shuf, di_orig[perm])  # the same logits, in the new order
        di_max_change = max(di_max_change, (di_shuf.sort().values
                                            - di_orig.sort().values).abs().max().item())
        dv_shuf.append(dv_u(shuffled).item())
dv_shuf = torch.tensor(dv_shuf)
rel = ((dv_shuf - dv_orig).abs() / abs(dv_orig)).mean().item()
print(f"D_I: largest change of its sorted per-frame logits over 8 shuffles: {di_max_change:.1e}")
print(f"D_V: logit {dv_orig:+.2e} in order; shuffled {dv_shuf.min():+.2e} to "
      f"{dv_shuf.max():+.2e} (mean relative change {rel:.0%})")
assert di_max_change < 1e-6 and (dv_shuf - dv_orig).abs().min() > 1e-5

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4))
ax1.plot(di_orig.sort().values, "o-", ms=8, label="frames in order")
for k, perm in enumerate(perms[:3]):
    ax1.plot(di_orig[perm].sort().values, "x", ms=8, label=f"shuffle {k + 1}")
ax1.set(xlabel="frame (sorted by logit)", ylabel="D_I logit",
        title="D_I: the same set of logits")
ax1.legend(fontsize=10)
ax2.axhline(dv_orig, color="k", lw=2, label="frames in order")
ax2.plot(range(1, 9), dv_shuf, "s", ms=9, color="C3", label="shuffled")
ax2.set(xlabel="shuffle", ylabel="D_V logit", title="D_V: the order changes its verdict")
ax2.legend(fontsize=10)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4 · Spectral normalisation, derived
#
# **Why.** A discriminator that can become arbitrarily steep gives the generator useless
# gradients: huge where it is confident, zero elsewhere, and training oscillates. Miyato et
# al. (2018) bound its steepness, its **Lipschitz constant**. For a linear layer
# $x \mapsto Wx$ that constant is the largest singular value
#
# $$\sigma(W) = \max_{x \neq 0} \frac{\lVert Wx \rVert}{\lVert x \rVert},$$
#
# LeakyReLU's is 1, and a composition's is at most the product. Dividing every weight by its
# own $\sigma$, $\bar W = W/\sigma(W)$, bounds the whole network by 1 (for a convolution,
# PyTorch and the paper use the weight reshaped to a matrix $(C_{out}, C_{in} k_t k_h k_w)$:
# a cheap stand-in for the exact operator norm of the convolution).
#
# **How: power iteration.** Computing $\sigma$ with an SVD at every step would be slow.
# Repeating
#
# $$v \leftarrow \frac{W^\top u}{\lVert W^\top u \rVert}, \qquad
#   u \leftarrow \frac{W v}{\lVert W v \rVert}, \qquad \sigma \approx u^\top W v$$
#
# makes $u, v$ converge to the top singular vectors (each step multiplies by $W W^\top$,
# which amplifies the top direction most). Let us run it on a real layer, $D_I$'s second
# convolution, and compare with the exact value.

# %%
def power_iteration(w: torch.Tensor, u: torch.Tensor, n_iters: int) -> list[float]:
    """Estimates of ``σ(w)`` for ``w (M, N)`` after 1..n_iters steps, from ``u (M,)``."""
    estimates = []
    for _ in range(n_iters):
        v = F.normalize(w.T @ u, dim=0)  # (N,)
        u = F.normalize(w @ v, dim=0)  # (M,)
        estimates.append(torch.dot(u, w @ v).item())
    return estimates


conv = di_pkg.net[2]  # Conv2d(64, 128, 4, 2, 1)
w = conv.weight.detach().flatten(1)  # (128, 64·4·4) = (C_out, C_in·k·k)
exact = torch.linalg.matrix_norm(w, ord=2).item()
u0 = F.normalize(torch.randn(w.shape[0], generator=torch.Generator().manual_seed(0)), dim=0)
estimates = power_iteration(w, u0, N_ITERS)
top = torch.linalg.svdvals(w)[:2]  # the two largest singular values
print(f"W: {tuple(w.shape)} | exact σ = {exact:.4f} (next: {top[1].item():.4f})")
for n in (1, 10, 30, N_ITERS):
    print(f"  after {n:>3} steps: {estimates[n - 1]:.4f} ({estimates[n - 1] / exact:.1%} of σ)")
assert abs(estimates[-1] - exact) < 1e-2 * exact
assert all(e <= exact * (1 + 1e-5) for e in estimates)  # estimates approach σ from below

# %%
fig, ax = plt.subplots(figsize=(9, 3.8))
ax.plot(range(1, N_ITERS + 1), estimates, "o-", label="power iteration")
ax.axhline(exact, color="k", ls="--", label="exact σ (SVD)")
ax.set(xlabel="iterations", ylabel="σ estimate",
       title="Power iteration on D_I's second conv (128 × 1024)")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# The estimate approaches $\sigma$ from below. At initialisation the weight is random and its
# two largest singular values are almost tied, the hardest case for power iteration: it
# takes dozens of steps from a random start. But during training $W$ moves only a little
# per step. So spectral norm keeps $u$ (and $v$) between steps and does **one**
# iteration per training forward: a warm start that tracks $\sigma$ almost for free.
#
# ### Check against `torch.nn.utils.parametrizations.spectral_norm`
#
# PyTorch stores the raw weight as `parametrizations.weight.original` and the vectors as
# buffers `_u`, `_v`. In training mode, each access to `.weight` does one step, in this
# order,
#
# $$u \leftarrow \frac{W v}{\lVert W v\rVert},\qquad v \leftarrow
#   \frac{W^\top u}{\lVert W^\top u\rVert},\qquad \sigma = u^\top W v,\qquad
#   \bar W = W / \sigma,$$
#
# (in eval mode it skips the update and uses the stored $u, v$). We reproduce one step by
# hand from the stored vectors.

# %%
torch.manual_seed(1)
layer = spectral_norm(nn.Conv2d(64, 128, 4, 2, 1))
param = layer.parametrizations.weight[0]
w_raw = layer.parametrizations.weight.original.detach()  # (128, 64, 4, 4)
w = w_raw.flatten(1)  # (128, 1024)
u, v = param._u.clone(), param._v.clone()  # the state before this step

u = F.normalize(w @ v, dim=0)  # (128,)
v = F.normalize(w.T @ u, dim=0)  # (1024,)
sigma = torch.dot(u, w @ v)
ours_weight = w_raw / sigma  # (128, 64, 4, 4)

layer.train()
with torch.no_grad():
    torch_weight = layer.weight  # one power-iteration step happens here
assert_close(param._u, u)
assert_close(param._v, v)
assert_close(torch_weight, ours_weight)
print(f"σ = {sigma.item():.4f}: same u, v, σ and normalised weight as PyTorch ✓")
s_max = torch.linalg.matrix_norm(torch_weight.flatten(1), ord=2).item()
print(f"largest singular value of the normalised weight: {s_max:.4f}")

# %% [markdown]
# After normalisation the weight's largest singular value is close to 1, not exactly 1: PyTorch
# starts with 15 power-iteration steps, and at initialisation that leaves the estimate a
# little low. Every convolution of the package's discriminators is wrapped this way. Here
# is $\sigma$ of each normalised weight (at $ch = 32$, to keep it quick), right after
# construction and after 50 training-mode forwards (50 warm-started steps, the weights
# unchanged). We compute $\sigma$ exactly as $\sqrt{\lambda_{max}(W W^\top)}$: the
# eigenvalues of the small Gram matrix are the squared singular values, and that is much
# cheaper than an SVD of a $512 \times 8192$ matrix.

# %%
def exact_sigma(w: torch.Tensor) -> float:
    """Largest singular value of ``w (M, N)`` from the smaller Gram matrix's top eigenvalue."""
    gram = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w  # (min(M,N), min(M,N))
    return torch.linalg.eigvalsh(gram)[-1].sqrt().item()


def normalised_sigmas(nets: dict[str, nn.Module]) -> dict[str, float]:
    """Exact σ of every spectrally normalised conv weight, as it is used now."""
    out = {}
    with torch.no_grad():
        for tag, net in nets.items():
            convs = [m for m in net if isinstance(m, (nn.Conv2d, nn.Conv3d))]
            for i, m in enumerate(convs, start=1):
                out[f"{tag} {i}"] = exact_sigma(m.weight.flatten(1))  # (C_out, C_in·k...)
    return out


torch.manual_seed(0)
dv_sn, di_sn = VideoDiscriminator(ch=32), ImageDiscriminator(ch=32)
nets = {"D_V": dv_sn.net, "D_I": di_sn.net}
dv_sn.eval()
di_sn.eval()
at_init = normalised_sigmas(nets)  # eval mode: no update, the stored u, v
dv_sn.train()
di_sn.train()
with torch.no_grad():
    for _ in range(50):  # each access to .weight in training mode is one step
        for net in nets.values():
            for m in net:
                if isinstance(m, (nn.Conv2d, nn.Conv3d)):
                    _ = m.weight
dv_sn.eval()
di_sn.eval()
warm = normalised_sigmas(nets)
assert all(abs(s - 1) < 0.1 for s in at_init.values())
assert all(abs(s - 1) < 0.02 for s in warm.values())

fig, ax = plt.subplots(figsize=(12, 3.8))
xs = torch.arange(len(at_init)).float()
ax.bar(xs - 0.2, list(at_init.values()), 0.4, label="after construction (15 steps)")
ax.bar(xs + 0.2, list(warm.values()), 0.4, label="after 50 more steps")
ax.axhline(1.0, color="k", ls="--")
ax.set_xticks(xs.tolist(), list(at_init), rotation=45, fontsize=11)
ax.set(ylim=(0.9, 1.06), ylabel="σ of normalised weight",
       title="Every discriminator conv is spectrally normalised")
ax.legend(loc="lower right", fontsize=11)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## What could go wrong
#
# - **The discriminators overpower the generator.** Visible in the logits training logs
#   (notebook 06): real logits far above 0 and fake logits far below, for long stretches.
#   Spectral norm is the first defence (it bounds how steep $D$ can get); next, a smaller
#   $D$ (`dv_ch`, `di_ch`), a lower `lr_d`, or down-weighting $D_I$ (`di_weight`).
# - **Spectral norm silently off.** A layer built without the wrapper, or a copy made with
#   `spectral_norm=False` for a check like ours, has an unbounded Lipschitz constant. The
#   bar chart of section 4 is the test: every normalised weight has $\sigma \approx 1$.
# - **Eval vs training mode.** In training mode every forward does one power-iteration step,
#   so two calls give slightly different weights; compare outputs in eval mode.
#
# ## Summary
#
# - $D_V$: four (2+1)D stages, space $(1,4,4)$ stride 2 then time $(4,1,1)$, channels
#   $ch \to 8ch$; $16 \times 64 \times 64$ frames shrink to one logit. The factorization
#   saves parameters and adds a non-linearity per stage.
# - $D_I$: a DCGAN-style 2D net on **one random frame** per video. It cannot see frame order
#   (shuffled frames give it the same logits); $D_V$ can. Two critics: one for single-frame
#   quality, one for motion.
# - Ours equal the package's for the same weights, and both match the parameter counts of
#   the authors' code (8,347,009 and 2,764,737 at $ch = 64$).
# - Spectral norm divides each weight by its largest singular value, estimated by power
#   iteration, one warm-started step per training forward; our hand-made step equals
#   PyTorch's `spectral_norm` exactly. It bounds the discriminators' Lipschitz constant,
#   which keeps the generator's gradients useful.
#
# **Read further.** Wang et al., *G3AN*, CVPR 2020,
# [arXiv 1912.05523](https://arxiv.org/abs/1912.05523) (Sec. 3: the discriminators and the
# objective); Miyato et al., *Spectral Normalization for GANs*, ICLR 2018
# ([arXiv 1802.05957](https://arxiv.org/abs/1802.05957)); Tran et al., *A Closer Look at
# Spatiotemporal Convolutions for Action Recognition* (R(2+1)D), CVPR 2018
# ([arXiv 1711.11248](https://arxiv.org/abs/1711.11248)); Tulyakov et al., *MoCoGAN*, CVPR
# 2018 ([arXiv 1707.04993](https://arxiv.org/abs/1707.04993)): the image + video
# discriminator pair; Goodfellow et al., *Generative Adversarial Nets*, NeurIPS 2014
# ([arXiv 1406.2661](https://arxiv.org/abs/1406.2661)).
#
# ## Exercises

# %%
from g3an_edu.exercises.nb05 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (predict).** $D_V$ at 64×64 accepts clips longer than 16 frames; it then leaves
# several time positions and averages their logits. Write `dv_time_positions(T)`: how many
# time positions its last layer outputs for a clip of `T` frames.

# %%
def dv_time_positions(T):
    ### BEGIN SOLUTION
    return T - 3 * 5  # five temporal convs with kernel 4 and no padding
    ### END SOLUTION


check_ex1(dv_time_positions)

# %% [markdown]
# **Exercise 2 (derive).** Write `dv_params(ch)`: the number of trainable parameters of $D_V$
# at 64×64 as a formula in `ch`, from the layer list of section 1 (do not build one). Predict
# $ch = 64$ on paper first: do you get the authors' 8,347,009?

# %%
def dv_params(ch):
    ### BEGIN SOLUTION
    c_in, n = 3, 0
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        n += (16 * c_in * c + c) + (4 * c * c + c)  # (1,4,4) then (4,1,1), with biases
        c_in = c
    return n + (16 * c_in * c_in + c_in) + (4 * c_in + 1)  # last (1,4,4), (4,1,1) -> 1
    ### END SOLUTION


print(f"D_V at ch = 64: {dv_params(64):,d}")
check_ex2(dv_params)

# %% [markdown]
# **Exercise 3 (predict).** Four changes to a real video: `"reverse"` (frames backwards),
# `"shuffle"` (frames in random order), `"static"` (frame 0 repeated 16 times), `"mirror"`
# (every frame flipped left-right). For each, can $D_I$'s verdict change (the set of
# per-frame logits it draws from), and can $D_V$'s? Answer with a pair of booleans
# `(D_I, D_V)` per change, before running anything; the check measures it.

# %%
### BEGIN SOLUTION
notices = {"reverse": (False, True), "shuffle": (False, True), "static": (True, True),
           "mirror": (True, True)}
### END SOLUTION
check_ex3(notices)

# %% [markdown]
# **Open experiment: train without $D_I$.** `TrainConfig` has `di_weight` (the weight of
# $D_I$'s loss terms). Train the `tiny` preset for 300 steps twice, with `di_weight=1.0` and
# `di_weight=0.0` (`train(load_config("tiny", {"di_weight": 0.0}), "runs/no_di", steps=300)`,
# a few minutes each on 2 cores; notebook 06 explains `train`). What to look for: open the
# last sample GIFs side by side; compare single frames (sharpness, colours, the figure's
# shape) and, separately, the motion. Then measure both with `g3an-edu evaluate` (notebook
# 07): if $D_I$ matters for frame quality, the frame FD should suffer more than the video
# FD. A 300-step run is noisy: repeat with another `seed` before you believe a difference.

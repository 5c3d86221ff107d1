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
# Both are trained with the non-saturating GAN loss
#
# $$\mathcal{L}_D = \mathrm{BCE}(D_V(x), 1) + \mathrm{BCE}(D_V(G(z)), 0)
#   + \mathrm{BCE}(D_I(x_t), 1) + \mathrm{BCE}(D_I(G(z)_t), 0),$$
#
# and every convolution in them is **spectrally normalised**: its weight is divided by its
# largest singular value, $\bar W = W / \sigma(W)$, so no layer can stretch its input by
# more than a factor of 1.
#
# > The paper's idea: $D_V$ uses factorized **(2+1)D** convolutions (space, then time), the
# > mirror image of the generator's (1+2)D transposed convolutions; $D_I$ is a DCGAN-style
# > 2D network on single frames.
#
# In this notebook you will trace $D_V$'s shapes from 16 frames to 1 logit, build both
# discriminators and match the package's, count their parameters against the authors', and
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
# **Sizes against the authors'.** Their code has 8,347,009 parameters in $D_V$ and 2,764,737
# in $D_I$ at $ch = 64$ (and the counts below at 32 and 16). Ours, with spectral norm (which
# adds buffers, not parameters):

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
# ## 3 · Spectral normalisation, derived
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
# ## Summary
#
# - $D_V$: four (2+1)D stages, space $(1,4,4)$ stride 2 then time $(4,1,1)$, channels
#   $ch \to 8ch$; $16 \times 64 \times 64$ frames shrink to one logit. The factorization
#   saves parameters and adds a non-linearity per stage.
# - $D_I$: a DCGAN-style 2D net on **one random frame** per video.
# - Ours equal the package's for the same weights, and both match the authors' parameter
#   counts (8,347,009 and 2,764,737 at $ch = 64$).
# - Spectral norm divides each weight by its largest singular value, estimated by power
#   iteration, one warm-started step per training forward; our hand-made step equals
#   PyTorch's `spectral_norm` exactly. It bounds the discriminators' Lipschitz constant,
#   which keeps the generator's gradients useful.
#
# ## Exercises

# %%
from g3an_edu.exercises.nb05 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1.** $D_V$ at 64×64 accepts clips longer than 16 frames; it then leaves several
# time positions and averages their logits. Write `dv_time_positions(T)`: how many time
# positions its last layer outputs for a clip of `T` frames.

# %%
def dv_time_positions(T):
    ### BEGIN SOLUTION
    return T - 3 * 5  # five temporal convs with kernel 4 and no padding
    ### END SOLUTION


check_ex1(dv_time_positions)

# %% [markdown]
# **Exercise 2.** Write `estimate_sigma(w, u, n_iters)`: run `n_iters` power-iteration steps
# on the matrix `w (M, N)` from the unit vector `u (M,)` (first $v$ from $u$, then $u$ from
# $v$, as in section 3) and return the estimate $u^\top W v$ as a float.

# %%
def estimate_sigma(w, u, n_iters):
    ### BEGIN SOLUTION
    for _ in range(n_iters):
        v = F.normalize(w.T @ u, dim=0)
        u = F.normalize(w @ v, dim=0)
    return torch.dot(u, w @ v).item()
    ### END SOLUTION


check_ex2(estimate_sigma)

# %% [markdown]
# **Exercise 3.** Write `normalise_like_torch(w, v)`: one training-mode step of PyTorch's
# spectral norm on a matrix `w (M, N)` whose stored right vector is `v (N,)`. Return the
# normalised weight $W/\sigma$. The check compares with `spectral_norm` itself.

# %%
def normalise_like_torch(w, v):
    ### BEGIN SOLUTION
    u = F.normalize(w @ v, dim=0)
    v = F.normalize(w.T @ u, dim=0)
    return w / torch.dot(u, w @ v)
    ### END SOLUTION


check_ex3(normalise_like_torch)

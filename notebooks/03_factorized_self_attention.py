# %% [markdown]
# # 03 · Factorized self-attention
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/03_factorized_self_attention.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/03_factorized_self_attention.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# Convolutions only see a small neighbourhood. To let a pixel in the last frame depend on a
# pixel far away, or on an earlier frame, G3AN adds **self-attention** to its generator, in
# the form introduced by SAGAN. On a feature map with $C$ channels,
#
# $$q = W_q x,\quad k = W_k x \;\;(C \to C/8), \qquad v = W_v x \;\;(C \to C),$$
# $$\mathrm{attn}(x) = \mathrm{softmax}\!\left(q k^\top\right) v, \qquad
#   y = \gamma\,\mathrm{attn}(x) + x,\quad \gamma \text{ learnable, initialised to } 0.$$
#
# Full attention over a video of $T \times H \times W$ positions costs $(THW)^2$ scores per
# video: at the size where G3AN uses it ($16 \times 32 \times 32$) that is 268 million. The
# paper's **factorized spatio-temporal self-attention (F-SA)** attends over time and over
# space separately:
#
# > "we decompose the self-attention into temporal self-attention (TSA) and spatial
# > self-attention (SSA)" — F-SA $=$ SSA$\,\circ\,$TSA.
#
# In this notebook you will
# 1. write SAGAN self-attention from scratch and match the package's `SelfAttention`;
# 2. apply it along time, then along space, and match `g3an_edu.FactorizedSelfAttention`;
# 3. count and measure what the factorization saves;
# 4. prove a property of any correct F-SA, **equivariance**, and use it to catch the
#    reshape bug of the authors' code;
# 5. open the shipped trained model and look at what its F-SA learned: its $\gamma$ values and
#    where its frames and pixels attend.
#
# **Read along:** [arXiv:1912.05523](https://arxiv.org/abs/1912.05523), Section 3 (the
# method), the paragraph and figure on factorized spatio-temporal self-attention; the
# attention layer itself is SAGAN's (Zhang et al., 2019, Section 3 there, with $\gamma$
# initialised to 0). The reshape bug is in the authors' `model/networks.py`.

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
from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from einops import rearrange
from torch.testing import assert_close
from torch.utils.benchmark import Timer

from g3an_edu import FactorizedSelfAttention, SelfAttention, pick_device
from g3an_edu.attention import attend, attend_naive
from g3an_edu.tier import by_tier, current_tier

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
# Size of the side-by-side measurement of full against factorized attention: (C, T, H, W).
MEASURE_SIZE = by_tier((32, 16, 16, 16), (32, 16, 24, 24), (64, 16, 32, 32))
plt.rcParams.update({"font.size": 13})
print("tier:", tier, "| measurement size (C, T, H, W):", MEASURE_SIZE)

# %% [markdown]
# ## 1 · Self-attention from scratch
#
# Self-attention works on a batch of **sequences** $x \in \mathbb{R}^{N \times L \times C}$:
# $N$ sequences of $L$ positions, each a vector of $C$ channels. (The paper writes the
# projections as $1\times1\times1$ convolutions; on a channel vector they are linear maps.)
#
# Step by step for one sequence:
# - project: $q = x W_q^\top + b_q \in \mathbb{R}^{L \times C/8}$, the same for $k$, and
#   $v = x W_v^\top + b_v \in \mathbb{R}^{L \times C}$;
# - scores: $s = q k^\top \in \mathbb{R}^{L \times L}$, one score per (query, key) pair.
#   SAGAN does **not** divide by $\sqrt{d}$, unlike the Transformer;
# - weights: $a = \mathrm{softmax}(s)$ along the keys, so each row sums to 1;
# - output: $y = \gamma\, a v + x$.

# %%
@dataclass
class SAWeights:
    """The parameters of one SAGAN self-attention layer on ``C`` channels."""

    wq: torch.Tensor  # (C/8, C)
    bq: torch.Tensor  # (C/8,)
    wk: torch.Tensor  # (C/8, C)
    bk: torch.Tensor  # (C/8,)
    wv: torch.Tensor  # (C, C)
    bv: torch.Tensor  # (C,)
    gamma: torch.Tensor  # (1,)


def random_sa_weights(c: int, gamma: float, generator: torch.Generator) -> SAWeights:
    """Random weights (std 0.2, so the attention is not uniform) and a chosen ``gamma``."""
    def r(*shape: int) -> torch.Tensor:
        return 0.2 * torch.randn(*shape, generator=generator)

    return SAWeights(r(c // 8, c), r(c // 8), r(c // 8, c), r(c // 8), r(c, c), r(c),
                     torch.tensor([gamma]))


def attention_weights(x: torch.Tensor, p: SAWeights) -> torch.Tensor:
    """``softmax(q kᵀ)``: ``(N, L, C) -> (N, L, L)``, row ``i`` = how query ``i`` mixes keys."""
    q = x @ p.wq.T + p.bq  # (N, L, C/8)
    k = x @ p.wk.T + p.bk  # (N, L, C/8)
    scores = q @ k.transpose(1, 2)  # (N, L, L), no 1/sqrt(d)
    return torch.softmax(scores, dim=-1)  # (N, L, L), each row sums to 1


def self_attention(x: torch.Tensor, p: SAWeights) -> torch.Tensor:
    """SAGAN self-attention ``γ·softmax(q kᵀ) v + x``: ``(N, L, C) -> (N, L, C)``."""
    v = x @ p.wv.T + p.bv  # (N, L, C)
    return p.gamma * (attention_weights(x, p) @ v) + x  # (N, L, C)


gen = torch.Generator().manual_seed(0)
C, N, L = 32, 4, 10
x_seq = torch.randn(N, L, C, generator=gen)
p = random_sa_weights(C, gamma=0.8, generator=gen)
a = attention_weights(x_seq, p)
y = self_attention(x_seq, p)
print("x:", tuple(x_seq.shape), "-> attention weights:", tuple(a.shape), "-> y:", tuple(y.shape))
assert_close(a.sum(-1), torch.ones(N, L))  # softmax rows sum to 1
print("rows of the attention weights sum to 1 ✓")

# %% [markdown]
# **Check: with $\gamma = 0$ the layer is the identity.** That is why SAGAN starts $\gamma$
# at 0: a freshly added attention layer does not disturb a network that already works, and
# training decides how much of it to let in.

# %%
p_zero = random_sa_weights(C, gamma=0.0, generator=gen)
assert torch.equal(self_attention(x_seq, p_zero), x_seq)
print("γ = 0: output == input ✓")

# %% [markdown]
# Here is what the weights look like for one sequence: row $i$ is the distribution with
# which position $i$ reads the others. With random (untrained) weights the pattern is
# arbitrary; training shapes it.

# %%
fig, ax = plt.subplots(figsize=(8, 5.5))
im = ax.imshow(a[0], cmap="viridis", vmin=0)
ax.set(xlabel="key position j", ylabel="query position i",
       title="softmax(q kᵀ) for one sequence")
fig.colorbar(im, ax=ax, label="weight")
plt.show()

# %% [markdown]
# ### The package's version computes the same function
#
# `g3an_edu.attention` has two implementations of $\mathrm{softmax}(qk^\top)v$:
# `attend_naive` (the formula above, materialising the $L\times L$ scores) and `attend`,
# which calls PyTorch's `scaled_dot_product_attention` (on a CPU, small problems take its
# plain path and large ones its fused kernel, which never stores the scores). That function
# divides by $\sqrt{d}$ by default; `scale=1.0` switches it off. Let us check both, and see what the
# default scaling would change.

# %%
q = x_seq @ p.wq.T + p.bq  # (N, L, C/8)
k = x_seq @ p.wk.T + p.bk  # (N, L, C/8)
v = x_seq @ p.wv.T + p.bv  # (N, L, C)
mine = attention_weights(x_seq, p) @ v  # (N, L, C)
assert_close(attend_naive(q, k, v), mine)
assert_close(attend(q, k, v), mine)
print("attend_naive == attend == our formula ✓")

# The Transformer's default: scores divided by sqrt(d_k). Padded to one head size as in attend.
pad = C - C // 8
scaled = F.scaled_dot_product_attention(
    F.pad(q, (0, pad)).unsqueeze(1), F.pad(k, (0, pad)).unsqueeze(1), v.unsqueeze(1)
).squeeze(1)  # (N, L, C), scaled by 1/sqrt(C)
print(f"with the default 1/sqrt(d) scaling the output differs by up to "
      f"{(scaled - mine).abs().max().item():.2f}: not SAGAN's function")

# %% [markdown]
# `SelfAttention(C)` holds the three projections and $\gamma$. We copy our weights into it
# and compare outputs. (We build it without spectral norm here; notebook 05 derives
# spectral normalisation, and the package wraps these projections in it.)

# %%
def load_sa(module: SelfAttention, p: SAWeights) -> SelfAttention:
    """Copy ``p`` into a ``SelfAttention`` built with ``spectral_norm=False``."""
    with torch.no_grad():
        for layer, w, b in ((module.query, p.wq, p.bq), (module.key, p.wk, p.bk),
                            (module.value, p.wv, p.bv)):
            layer.weight.copy_(w)
            layer.bias.copy_(b)
        module.gamma.copy_(p.gamma)
    return module


sa = load_sa(SelfAttention(C, spectral_norm=False), p)
with torch.no_grad():
    assert_close(sa(x_seq), self_attention(x_seq, p))
    assert_close(sa(x_seq, naive=True), self_attention(x_seq, p))
print("g3an_edu.SelfAttention == our self_attention for the same weights ✓")

# %% [markdown]
# ## 2 · Temporal, then spatial: F-SA on a video
#
# A video feature map is $(B, C, T, H, W)$. Attention needs sequences $(N, L, C)$; which
# axes become the sequence decides what attends to what:
#
# | | sequences $N$ | length $L$ | each position attends to |
# |---|---|---|---|
# | temporal SA (TSA) | $B\cdot H \cdot W$ (one per pixel) | $T$ | the same pixel in every frame |
# | spatial SA (SSA) | $B \cdot T$ (one per frame) | $H\cdot W$ | every pixel of its own frame |
#
# `einops.rearrange` names every axis, so the layout is written down rather than implied.

# %%
B, C, T, H, W = 2, 32, 6, 5, 7
x = torch.randn(B, C, T, H, W, generator=gen)
tokens_t = rearrange(x, "b c t h w -> (b h w) t c")  # (B·H·W, T, C): one sequence per pixel
tokens_s = rearrange(x, "b c t h w -> (b t) (h w) c")  # (B·T, H·W, C): one sequence per frame
print("video     ", tuple(x.shape))
print("TSA tokens", tuple(tokens_t.shape), "= (B·H·W, T, C)")
print("SSA tokens", tuple(tokens_s.shape), "= (B·T, H·W, C)")
# The sequence of pixel (b=1, h=2, w=3) is that pixel's channel vector in every frame:
assert torch.equal(tokens_t[1 * H * W + 2 * W + 3], x[1, :, :, 2, 3].T)
print("TSA sequence of pixel (b=1, h=2, w=3) == x[1, :, :, 2, 3]ᵀ ✓")

# %% [markdown]
# F-SA is TSA followed by SSA, each with its own weights and its own $\gamma$:
#
# $$\mathrm{F\text{-}SA}(x) = \mathrm{SSA}(\mathrm{TSA}(x)).$$

# %%
def fsa(x: torch.Tensor, p_t: SAWeights, p_s: SAWeights) -> torch.Tensor:
    """Factorized self-attention from scratch: ``(B, C, T, H, W) -> (B, C, T, H, W)``."""
    b, _, t, h, w = x.shape
    seq = rearrange(x, "b c t h w -> (b h w) t c")  # (B·H·W, T, C)
    seq = self_attention(seq, p_t)  # temporal attention, per pixel
    seq = rearrange(seq, "(b h w) t c -> (b t) (h w) c", b=b, h=h, w=w)  # (B·T, H·W, C)
    seq = self_attention(seq, p_s)  # spatial attention, per frame
    return rearrange(seq, "(b t) (h w) c -> b c t h w", b=b, t=t, h=h, w=w)  # (B, C, T, H, W)


p_t = random_sa_weights(C, gamma=1.0, generator=gen)
p_s = random_sa_weights(C, gamma=1.0, generator=gen)
y = fsa(x, p_t, p_s)
print("F-SA:", tuple(x.shape), "->", tuple(y.shape))

# %% [markdown]
# **Check against the package.** `FactorizedSelfAttention` has a `temporal` and a `spatial`
# `SelfAttention`; we load the same weights into both.

# %%
fsa_pkg = FactorizedSelfAttention(C, spectral_norm=False)
load_sa(fsa_pkg.temporal, p_t)
load_sa(fsa_pkg.spatial, p_s)
with torch.no_grad():
    # Two softmaxes in a row: allow float32 rounding differences of the summation order.
    assert_close(fsa_pkg(x), fsa(x, p_t, p_s), atol=1e-4, rtol=1e-4)
    assert_close(fsa_pkg(x, naive=True), fsa(x, p_t, p_s), atol=1e-4, rtol=1e-4)
print("g3an_edu.FactorizedSelfAttention == our fsa for the same weights ✓")
fresh = FactorizedSelfAttention(C)
with torch.no_grad():
    assert torch.equal(fresh(x), x)
print("a freshly built F-SA (both γ = 0) is the identity ✓")

# %% [markdown]
# ## 3 · What the factorization saves
#
# Count the score entries $q_i \cdot k_j$ (each is a dot product, and each is stored, with
# its softmax, for the backward pass when computed naively):
#
# $$\underbrace{B\,H W\, T^2}_{\text{TSA}} + \underbrace{B\,T\,(HW)^2}_{\text{SSA}}
# \quad\text{against}\quad \underbrace{B\,(T H W)^2}_{\text{full 3D}}.$$
#
# The ratio is about $T$ (for $HW \gg T$): attending within a frame, then along a pixel's
# time line, reaches every position in two steps instead of one.

# %%
def score_entries(b: int, t: int, h: int, w: int) -> dict[str, int]:
    """Number of attention scores of TSA, SSA, F-SA and full 3D attention."""
    tsa, ssa = b * h * w * t**2, b * t * (h * w) ** 2
    return {"TSA": tsa, "SSA": ssa, "F-SA": tsa + ssa, "full 3D": b * (t * h * w) ** 2}


paper = score_entries(1, 16, 32, 32)  # where G3AN applies F-SA: block 4, 16×32×32
for name, n in paper.items():
    print(f"{name:8s} {n:>13,d} scores  ({4 * n / 2**20:8.1f} MiB in float32)")
print(f"full / F-SA = {paper['full 3D'] / paper['F-SA']:.1f}×")

# %%
sizes = [(16, 8, 8), (16, 16, 16), (16, 32, 32), (16, 64, 64)]
counts = [score_entries(1, *s) for s in sizes]
fig, ax = plt.subplots(figsize=(9, 4))
xs = range(len(sizes))
ax.bar([i - 0.2 for i in xs], [c["F-SA"] for c in counts], 0.4, label="F-SA (TSA + SSA)")
ax.bar([i + 0.2 for i in xs], [c["full 3D"] for c in counts], 0.4, label="full 3D")
ax.set_yscale("log")
ax.set_xticks(list(xs), [f"{t}×{h}×{w}" for t, h, w in sizes])
ax.set(xlabel="feature map T×H×W", ylabel="score entries per video",
       title="Attention scores: factorized vs full")
ax.legend()
plt.show()

# %% [markdown]
# **Measured.** Now time both, forward and backward (median of repeated runs), at a small
# size, on the naive path (which stores the scores, as the authors' code does). For memory
# we count the bytes that autograd keeps for the backward pass, with a saved-tensors hook. Full 3D attention is just
# `SelfAttention` on one sequence of all $T\cdot H\cdot W$ positions.

# %%
def full_attention(x: torch.Tensor, sa: SelfAttention) -> torch.Tensor:
    """Unfactorized attention: ``(B, C, T, H, W)``, every position attends to every other."""
    b, _, t, h, w = x.shape
    seq = rearrange(x, "b c t h w -> b (t h w) c")  # (B, T·H·W, C)
    seq = sa(seq, naive=True)  # (B, T·H·W, C)
    return rearrange(seq, "b (t h w) c -> b c t h w", t=t, h=h, w=w)  # (B, C, T, H, W)


def measure(fn, x: torch.Tensor) -> tuple[float, int]:
    """Median seconds per forward+backward and bytes that autograd saves for backward."""
    saved = 0

    def pack(t: torch.Tensor) -> torch.Tensor:
        nonlocal saved
        saved += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn(x).sum().backward()
    # Timer synchronises CUDA and repeats the statement until 1 s has passed.
    timer = Timer("fn(x).sum().backward()", globals={"fn": fn, "x": x})
    return timer.blocked_autorange(min_run_time=1.0).median, saved


c, t, h, w = MEASURE_SIZE
xm = torch.randn(1, c, t, h, w, device=device, requires_grad=True)
fsa_m = FactorizedSelfAttention(c).to(device)
full_m = SelfAttention(c).to(device)
with torch.no_grad():
    fsa_m.temporal.gamma.fill_(1.0)
    fsa_m.spatial.gamma.fill_(1.0)
    full_m.gamma.fill_(1.0)
results = {"F-SA": measure(lambda v: fsa_m(v, naive=True), xm),
           "full 3D": measure(lambda v: full_attention(v, full_m), xm)}
assert results["F-SA"][1] < results["full 3D"][1]

# %%
# NBVAL_IGNORE_OUTPUT
# Measured times differ from machine to machine and run to run.
print(f"size C×T×H×W = {c}×{t}×{h}×{w} on {device}, forward + backward:")
for name, (sec, saved) in results.items():
    print(f"  {name:8s} {1e3 * sec:8.1f} ms   {saved / 2**20:8.1f} MiB saved for backward")
print(f"  full / F-SA: {results['full 3D'][0] / results['F-SA'][0]:.1f}× time, "
      f"{results['full 3D'][1] / results['F-SA'][1]:.1f}× memory")

# %% [markdown]
# ## 4 · Equivariance: a test that any correct F-SA passes
#
# Attention has no positional encoding: a position is identified only by its content. So
# if we shuffle the frames of the input, TSA sees the same sets of vectors in a different
# order and returns the same outputs in that order; SSA works within each frame and does not
# care which frame comes first. The same holds for shuffling the pixels (the same shuffle in
# every frame). Formally, for a permutation $\pi$ of the frames or of the pixels,
#
# $$\mathrm{F\text{-}SA}(\pi\, x) = \pi\, \mathrm{F\text{-}SA}(x).$$
#
# This is a property we can test without knowing the right output, and it fails loudly if
# any reshape puts a value in the wrong place.

# %%
def permute_frames(x: torch.Tensor, perm: torch.Tensor) -> torch.Tensor:
    """Reorder the frames: ``(B, C, T, H, W)``, frame ``i`` of the output is ``perm[i]``."""
    return x[:, :, perm]  # (B, C, T, H, W)


def permute_pixels(x: torch.Tensor, perm: torch.Tensor) -> torch.Tensor:
    """Reorder the ``H·W`` pixels the same way in every frame: ``(B, C, T, H, W)``."""
    b, c, t, h, w = x.shape
    flat = x.reshape(b, c, t, h * w)  # (B, C, T, H·W)
    return flat[..., perm].reshape(b, c, t, h, w)  # (B, C, T, H, W)


def equivariance_errors(module, x: torch.Tensor, generator: torch.Generator) -> dict[str, float]:
    """Largest ``|f(πx) - π f(x)|`` for a random frame and a random pixel permutation."""
    t, hw = x.shape[2], x.shape[3] * x.shape[4]
    perm_t = torch.randperm(t, generator=generator)
    perm_s = torch.randperm(hw, generator=generator)
    with torch.no_grad():
        y = module(x)
        err_t = module(permute_frames(x, perm_t)) - permute_frames(y, perm_t)
        err_s = module(permute_pixels(x, perm_s)) - permute_pixels(y, perm_s)
    return {"frames": err_t.abs().max().item(), "pixels": err_s.abs().max().item()}


errors = equivariance_errors(fsa_pkg, x, torch.Generator().manual_seed(1))
assert max(errors.values()) < 1e-4, errors
print("g3an_edu.FactorizedSelfAttention (γ = 1): equivariant to frame and pixel "
      "permutations (errors < 1e-4) ✓")

# %% [markdown]
# ## 5 · The authors' reshape bug, and how the test catches it
#
# The authors' TSA and SSA, after the attention product, bring the result back to a video
# with
#
# ```python
# out = out.view(b, h, w, -1, t).permute(0, 3, 4, 1, 2)
# ```
#
# But in TSA `out` is laid out $(b\cdot h\cdot w,\ t,\ c)$ in memory: `view` reads each
# pixel's block of $t \cdot c$ numbers as if it were $(c, t)$, mixing time with channels. In
# SSA `out` is $(b\cdot t,\ h\cdot w,\ c)$, and the same `view` mixes frames, pixels and
# channels. `view` never complains: the number of elements is right.
#
# To **see** what that does, take a feature map whose content we recognise, and do only the
# round trip "video → sequences → video", as if attention returned its values unchanged.
# Channel $c$ holds a disc of radius growing with $c$; the disc moves from left to right
# over time. We use $C = T$ so the misreading is easy to follow.

# %%
def disc_video(channels: int, frames: int, size: int) -> torch.Tensor:
    """``(1, C, T, S, S)``: channel ``c`` is a disc of radius ``3 + c`` moving right."""
    ys, xs = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    video = torch.zeros(1, channels, frames, size, size)
    for c in range(channels):
        for t in range(frames):
            cx = 5 + t * (size - 10) / (frames - 1)
            video[0, c, t] = (((xs - cx) ** 2 + (ys - size / 2) ** 2) <= (3 + c) ** 2).float()
    return video


def authors_unflatten_tsa(out: torch.Tensor, b: int, t: int, h: int, w: int) -> torch.Tensor:
    """The authors' reshape after TSA: ``out`` is ``(b·h·w, t, c)``, read as ``(b, h, w, c, t)``."""
    return out.reshape(b, h, w, -1, t).permute(0, 3, 4, 1, 2)  # (b, c?, t?, h, w): scrambled


def authors_unflatten_ssa(out: torch.Tensor, b: int, t: int, h: int, w: int) -> torch.Tensor:
    """The authors' reshape after SSA: ``out`` is ``(b·t, h·w, c)``, read as ``(b, h, w, c, t)``."""
    return out.reshape(b, h, w, -1, t).permute(0, 3, 4, 1, 2)  # (b, c?, t?, h?, w?): scrambled


vid = disc_video(channels=8, frames=8, size=32)
b, _, t, h, w = vid.shape
seq_t = rearrange(vid, "b c t h w -> (b h w) t c")  # (B·H·W, T, C)
seq_s = rearrange(vid, "b c t h w -> (b t) (h w) c")  # (B·T, H·W, C)
rows = {
    "input (channel 0)": vid,
    "correct round trip": rearrange(seq_t, "(b h w) t c -> b c t h w", b=b, h=h, w=w),
    "authors' TSA view": authors_unflatten_tsa(seq_t, b, t, h, w),
    "authors' SSA view": authors_unflatten_ssa(seq_s, b, t, h, w),
}
assert torch.equal(rows["correct round trip"], vid)
fig, axes = plt.subplots(len(rows), t, figsize=(12, 6.5))
for r, (name, v) in enumerate(rows.items()):
    for f in range(t):
        axes[r, f].imshow(v[0, 0, f], cmap="gray", vmin=0, vmax=1)
        axes[r, f].set_xticks([])
        axes[r, f].set_yticks([])
    axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=12)
for f in range(t):
    axes[0, f].set_title(f"frame {f}", fontsize=12)
fig.suptitle("Channel 0 of a feature map after each way back from sequences", fontsize=14)
plt.tight_layout()
plt.show()

# %% [markdown]
# The correct round trip gives the input back. The authors' TSA view swaps time and
# channels (with $C = T$ exactly): channel 0 now shows **frame 0 of every channel**, a disc
# that grows instead of moving. Their SSA view scatters pixels of different frames and
# channels across the image. The network can still train on such a layer (it is some
# fixed shuffle of the features), but it is not the attention the paper describes: time
# and space are no longer where the next layers expect them.
#
# Now the test. We give the authors' TSA and SSA the package's projections, so the only
# difference from `g3an_edu.FactorizedSelfAttention` is the reshape, and run the
# equivariance test on both, with $\gamma = 1$.

# %%
def authors_fsa(module: FactorizedSelfAttention, x: torch.Tensor) -> torch.Tensor:
    """F-SA with the authors' ``view(b, h, w, -1, t)`` after each attention product."""
    b, _, t, h, w = x.shape
    for sa, flatten, unflatten in (
        (module.temporal, "b c t h w -> (b h w) t c", authors_unflatten_tsa),
        (module.spatial, "b c t h w -> (b t) (h w) c", authors_unflatten_ssa),
    ):
        seq = rearrange(x, flatten)  # (B·H·W, T, C) or (B·T, H·W, C)
        out = attend_naive(sa.query(seq), sa.key(seq), sa.value(seq))  # same layout as seq
        x = sa.gamma * unflatten(out, b, t, h, w) + x  # (B, C, T, H, W), scrambled
    return x


table = {
    "g3an_edu.FactorizedSelfAttention": equivariance_errors(
        fsa_pkg, x, torch.Generator().manual_seed(1)),
    "authors' reshape": equivariance_errors(
        lambda v: authors_fsa(fsa_pkg, v), x, torch.Generator().manual_seed(1)),
}
assert max(table["g3an_edu.FactorizedSelfAttention"].values()) < 1e-4
assert min(table["authors' reshape"].values()) > 1.0
with torch.no_grad():
    scale = fsa_pkg(x).abs().max().item()  # the output's largest value
print("largest |f(πx) - π f(x)|, relative to max |f(x)|")
print(f"{'':34s} {'frame perm.':>12s} {'pixel perm.':>12s}")
for name, e in table.items():
    cells = ["< 1e-5" if v / scale < 1e-5 else f"{v / scale:.2f}"
             for v in (e["frames"], e["pixels"])]
    print(f"{name:34s} {cells[0]:>12s} {cells[1]:>12s}")

# %% [markdown]
# The correct module's errors are at float rounding level; the authors' reshape gives
# errors of the order of the output's largest values themselves. The package's test suite runs this
# test on `FactorizedSelfAttention` (`tests/test_attention.py`), and so do this notebook
# and the check of Exercise 3 below: a wrong reshape cannot slip back in unnoticed.
#
# ## 6 · What the shipped model's F-SA learned
#
# Everything above used random weights. The course ships a trained G3AN (`g3an-tiny`,
# notebook 00), with F-SA after its third block, on $16 \times 16$ feature maps of 16 frames.
# Two questions: did training open the gate, i.e. did $\gamma$ move away from 0? And where do
# the frames and pixels attend? We record F-SA's input with a forward hook while the model
# generates two videos, then recompute the attention weights from the module's own
# projections (`attention_weights`' formula, with the trained $W_q$, $W_k$).

# %%
from g3an_edu.models import load_pretrained

G_trained, trained_config = load_pretrained("g3an-tiny", device=device)
fsa_trained = G_trained.fsa
print(f"F-SA after block {G_trained.attention_after + 1}, on {fsa_trained.channels} channels")
print(f"learned gamma: TSA {fsa_trained.temporal.gamma.item():.3f}, "
      f"SSA {fsa_trained.spatial.gamma.item():.3f} (both started at 0)")

recorded_fsa: dict[str, torch.Tensor] = {}
hook = fsa_trained.register_forward_hook(
    lambda module, inputs, output: recorded_fsa.update(x=inputs[0].detach()))
z_a, z_m = G_trained.sample_noise(2, 1, generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    generated = G_trained(z_a.to(device), z_m.to(device)).cpu()  # (2, 3, 16, 32, 32)
hook.remove()
x_fsa = recorded_fsa["x"].cpu()  # (B, C, T, H, W): the fused video stream entering F-SA
fsa_cpu = fsa_trained.cpu()
b, c, t, h, w = x_fsa.shape
print("F-SA input:", tuple(x_fsa.shape))


# %%
def trained_weights(sa: SelfAttention, seq: torch.Tensor) -> torch.Tensor:
    """softmax(q kᵀ) of a trained layer: (N, L, C) -> (N, L, L)."""
    with torch.no_grad():
        return torch.softmax(sa.query(seq) @ sa.key(seq).transpose(1, 2), dim=-1)


def entropy(a: torch.Tensor) -> float:
    """Mean entropy (nats) of the rows of attention weights (..., L)."""
    return -(a * a.clamp_min(1e-12).log()).sum(-1).mean().item()


with torch.no_grad():
    seq_t = rearrange(x_fsa, "b c t h w -> (b h w) t c")  # (B·H·W, T, C)
    a_t = trained_weights(fsa_cpu.temporal, seq_t)  # (B·H·W, T, T)
    after_t = fsa_cpu.temporal(seq_t)  # (B·H·W, T, C)
    seq_s = rearrange(after_t, "(b h w) t c -> (b t) (h w) c", b=b, h=h, w=w)  # (B·T, H·W, C)
    a_s = trained_weights(fsa_cpu.spatial, seq_s)  # (B·T, H·W, H·W)
    after_s = fsa_cpu.spatial(seq_s)
for name, before, after, a_w in [("TSA", seq_t, after_t, a_t), ("SSA", seq_s, after_s, a_s)]:
    length = a_w.shape[-1]
    print(f"{name}: |gamma·attn(x)| / |x| = {(after - before).norm() / before.norm():.2f}; "
          f"attention entropy {entropy(a_w):.2f} nats (uniform over {length} positions: "
          f"{math.log(length):.2f})")

# %% [markdown]
# **Temporal attention: which frames does a frame read?** Row $i$ of a $T \times T$ map is the
# distribution with which frame $i$ reads the 16 frames at one pixel. Left: averaged over all
# pixels of video 0; middle and right: two single pixels. One colour scale for the three.

# %%
maps_t = a_t.view(b, h, w, t, t)[0]  # video 0: (H, W, T, T)
panels = [("mean over pixels", maps_t.mean((0, 1))), ("pixel (8, 8)", maps_t[8, 8]),
          ("pixel (2, 2)", maps_t[2, 2])]
fig, axes = plt.subplots(1, 3, figsize=(13, 4.3), layout="constrained")
for ax, (title, m) in zip(axes, panels, strict=True):
    im = ax.imshow(m, cmap="viridis", vmin=0, vmax=1)
    ax.set(title=title, xlabel="key frame j", ylabel="query frame i")
fig.colorbar(im, ax=axes, label="attention weight")
plt.show()

# %% [markdown]
# **Spatial attention: where does a pixel look within its frame?** For frame 8 of video 0, the
# generated frame (32 × 32 pixels) and, for three query positions of the $16 \times 16$
# feature map (white crosses), their attention over the whole frame, drawn over the frame
# (one feature position covers 2 × 2 pixels). One colour scale for the three.

# %%
frame_idx = 8
maps_s = a_s.view(b, t, h, w, h, w)[0, frame_idx]  # (H, W) queries x (H, W) keys
frame_img = ((generated[0, :, frame_idx] + 1) / 2).permute(1, 2, 0).clamp(0, 1)  # (32, 32, 3)
size = frame_img.shape[0]
scale = size / h  # pixels per feature position
extent = (-0.5, size - 0.5, size - 0.5, -0.5)  # feature maps stretched over the frame
queries = [(8, 8), (4, 12), (13, 3)]
fig, axes = plt.subplots(1, 4, figsize=(15, 4.2), layout="constrained")
axes[0].imshow(frame_img)
axes[0].set(title=f"generated frame {frame_idx}", xticks=[], yticks=[])
top = max(maps_s[qy, qx].max().item() for qy, qx in queries)
for ax, (qy, qx) in zip(axes[1:], queries, strict=True):
    ax.imshow(frame_img.mean(-1), cmap="gray", vmin=0, vmax=1)
    im = ax.imshow(maps_s[qy, qx], cmap="magma", vmin=0, vmax=top, alpha=0.75, extent=extent)
    ax.plot(scale * qx + scale / 2 - 0.5, scale * qy + scale / 2 - 0.5, "wx", markersize=12,
            markeredgewidth=3)
    ax.set(title=f"query ({qy}, {qx})", xticks=[], yticks=[])
fig.colorbar(im, ax=axes[1:], label="attention weight")
plt.show()

# %% [markdown]
# The three queries read (almost) the same place. Is that true of every position, frame and
# video? For frames of both videos: the key position that most queries attend to most, the
# share of the 256 queries for which it is the top key, and the mean weight they give it.

# %%
maps_all = a_s.view(b, t, h * w, h * w)  # (B, T, H·W queries, H·W keys)
for video in range(b):
    for f in (0, 8, 15):
        top_keys = maps_all[video, f].argmax(-1)  # (H·W,)
        key = int(top_keys.mode().values)
        share = (top_keys == key).float().mean().item()
        print(f"video {video}, frame {f:2d}: top key {divmod(key, w)} for {share:4.0%} of the "
              f"queries, mean weight on it {maps_all[video, f, :, key].mean().item():.2f}")

# %% [markdown]
# What you can read off (the numbers above are this model's; a differently seeded run would
# differ): both gates opened during training, and the spatial attention's contribution to
# the features is not small next to its input. The spatial weights are far from uniform:
# their entropy is a small fraction of $\log(HW)$. Rather than each pixel reading its own
# neighbourhood or its own object, nearly all positions of a frame read the **same** key
# position, which stays put through the video (in video 0 it lies on the figure, as the maps
# show; other videos pick other places): SSA has learned to broadcast one place's features to
# the whole frame, a global "what is in this frame" signal that the convolutions cannot pass
# across 16 positions. The temporal maps show a milder version: many pixels read mostly one
# or two frames (the first and the second to last in the mean). Whether this is useful or a
# shortcut of a small model is an open question; a model trained longer, or at the paper's
# size, may attend differently.
#
# ## What could go wrong
#
# - **$\gamma$ stuck at 0.** With $\gamma = 0$ the layer's output does not depend on
#   $W_q, W_k, W_v$, so their gradients are 0; only $\gamma$'s gradient is not. If $\gamma$
#   is not a registered `nn.Parameter`, is left out of the optimizer, or is pulled back by
#   strong weight decay, F-SA stays the identity and nothing complains. Print the learned
#   $\gamma$ (as above) after training.
# - **Attention over the wrong axis.** `softmax(scores, dim=1)` normalises over the queries:
#   the shapes are right, the columns sum to 1 instead of the rows (Exercise 2).
# - **Attending along the wrong axis of the video.** Flattening `(b t) (h w)` for TSA makes it
#   spatial attention; the equivariance test (frames vs pixels) tells the two apart.
# - **A reshape that reads memory in the wrong order** (section 5): caught only by a test such
#   as equivariance, never by a shape check.
# - **The Transformer's $1/\sqrt{d}$.** `scaled_dot_product_attention` scales by default;
#   SAGAN does not (`scale=1.0`).
#
# ## Summary
#
# - SAGAN self-attention: $y = \gamma\,\mathrm{softmax}(qk^\top)v + x$, with $q, k$ of
#   $C/8$ channels, $v$ of $C$, no $1/\sqrt{d}$, and $\gamma = 0$ at the start (identity).
# - F-SA = SSA ∘ TSA: TSA attends along time for each pixel ($B\cdot H\cdot W$ sequences of
#   $T$), SSA along space for each frame ($B\cdot T$ sequences of $H\cdot W$).
# - It needs $BHWT^2 + BT(HW)^2$ scores instead of $B(THW)^2$: about $T$ times fewer.
# - A correct F-SA is equivariant to permutations of frames and of pixels; that test catches
#   the authors' `view(b, h, w, -1, t)`, which scrambles time, space and channels.
# - Our from-scratch code equals `g3an_edu.SelfAttention` and `FactorizedSelfAttention`.
# - In the shipped `g3an-tiny`, both $\gamma$ moved away from 0 during training, and its
#   spatial attention is sharply peaked: each position reads from a few others.
#
# ## Further reading
#
# - Y. Wang et al., *G3AN*, CVPR 2020, [arXiv:1912.05523](https://arxiv.org/abs/1912.05523),
#   Section 3 (F-SA).
# - H. Zhang, I. Goodfellow, D. Metaxas, A. Odena, *Self-Attention Generative Adversarial
#   Networks*, ICML 2019, [arXiv:1805.08318](https://arxiv.org/abs/1805.08318): the layer,
#   $\gamma = 0$ at the start, no $1/\sqrt{d}$.
# - T. Miyato et al., *Spectral Normalization for GANs*, ICLR 2018,
#   [arXiv:1802.05957](https://arxiv.org/abs/1802.05957): wraps the projections (notebook 05).
# - A. Vaswani et al., *Attention Is All You Need*, NeurIPS 2017,
#   [arXiv:1706.03762](https://arxiv.org/abs/1706.03762): the scaled dot product that SAGAN
#   does not use.
#
# ## Exercises
#
# Each exercise checks your answer with `g3an_edu.exercises.nb03` and tells you what
# differs.

# %%
from g3an_edu.exercises.nb03 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (predict).** Without running anything, for a feature map `x` of shape
# `(B, C, T, H, W) = (2, 64, 8, 12, 10)` predict
#
# - `tsa_shape`: the shape of TSA's attention weights `softmax(q kᵀ)`;
# - `ssa_shape`: the shape of SSA's attention weights;
# - `ratio`: how many times more score entries full 3D attention computes than F-SA on this
#   `x` (a number).

# %%
### BEGIN SOLUTION
B_, T_, H_, W_ = 2, 8, 12, 10
tsa_shape = (B_ * H_ * W_, T_, T_)  # one sequence of T steps per pixel
ssa_shape = (B_ * T_, H_ * W_, H_ * W_)  # one sequence of H·W positions per frame
ratio = (B_ * (T_ * H_ * W_) ** 2) / (B_ * H_ * W_ * T_**2 + B_ * T_ * (H_ * W_) ** 2)
### END SOLUTION
check_ex1(tsa_shape, ssa_shape, ratio)

# %% [markdown]
# **Exercise 2 (find the bugs).** This attention product has two bugs; each keeps the output's
# shape right, so no shape check finds them. Find both (compare with section 1), then write
# `sagan_attend_fixed(q, k, v)` for `q, k (N, L, Dk)` and `v (N, L, Dv)`.

# %%
def sagan_attend_buggy(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(q kᵀ) v: (N, L, Dk), (N, L, Dk), (N, L, Dv) -> (N, L, Dv)."""
    scores = q @ k.transpose(1, 2) / q.shape[-1] ** 0.5  # (N, L, L)
    return torch.softmax(scores, dim=1) @ v  # (N, L, Dv)


q_bug, k_bug, v_bug = torch.randn(3, 7, 4), torch.randn(3, 7, 4), torch.randn(3, 7, 32)
print("buggy output shape:", tuple(sagan_attend_buggy(q_bug, k_bug, v_bug).shape), "(right)")


# %%
def sagan_attend_fixed(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    ### BEGIN SOLUTION
    scores = q @ k.transpose(1, 2)  # (N, L, L): SAGAN does not divide by sqrt(d)
    return torch.softmax(scores, dim=-1) @ v  # normalise over the keys: rows sum to 1
    ### END SOLUTION


check_ex2(sagan_attend_fixed)

# %% [markdown]
# **Exercise 3 (write the test that catches the bug).** Write the frame-permutation test: `frame_equivariance_error(module, x,
# perm)` returns the largest $|f(\pi x) - \pi f(x)|$ (a float) when $\pi$ reorders the frames
# of `x (B, C, T, H, W)` by `perm`. The check runs your test on a correct F-SA (it must
# pass) and on one with the authors' reshape (it must catch it).

# %%
def frame_equivariance_error(module, x, perm):
    ### BEGIN SOLUTION
    with torch.no_grad():
        return (module(x[:, :, perm]) - module(x)[:, :, perm]).abs().max().item()
    ### END SOLUTION


check_ex3(frame_equivariance_error)

# %% [markdown]
# ### Open experiment: switch the gates off
#
# Set the shipped model's gates to 0 (`G_trained.fsa.temporal.gamma.fill_(0)` and the same for
# `spatial`, inside `torch.no_grad()`; reload with `load_pretrained` afterwards) and generate
# the same videos from the same `z_a, z_m`. Then switch off only one of the two. Show the
# videos side by side with `g3an_edu.viz.show_videos` and measure the relative change
# `|new - old| / |old|` per frame. What to look for: does the figure, the background or the
# motion change? Does removing SSA (the larger contribution above) change more than removing
# TSA? The rest of the network was trained with F-SA in place, so "without attention" here is
# not a model trained without it: the authors' `use_attention` switch and notebook 07's
# ablation table answer that question.

# %% [markdown]
# # 04 · The generator
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/04_generator.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/04_generator.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# Notebooks 01–03 built the parts: factorized transposed convolutions, the G3 module with its
# three streams and their fusion, and factorized self-attention. Now we stack them into
# G3AN's generator
#
# $$G(z_a, z_m) \;\to\; \text{video} \in [-1, 1]^{3 \times T \times R \times R},
# \qquad z_a \in \mathbb{R}^{128},\;\; z_m \in \mathbb{R}^{10 \times L},\;\; T = 4(L+3).$$
#
# > The paper's idea ([arXiv 1912.05523](https://arxiv.org/abs/1912.05523), Sec. 3, the
# > generator and its architecture figure): appearance $z_a$ enters a **spatial** stream
# > that never sees time, motion $z_m$ a **temporal** stream that never sees space, and a
# > **video** stream sees both; five G3 modules grow $1\times1\times1$ codes into a
# > $16\times64\times64$ video, with F-SA on a high-level feature map. The paper describes
# > the architecture; the exact channel widths and the table below come from the authors'
# > public code (`model/networks.py`).
#
# | block | out channels | $T$ | $H\times W$ | kernel s, t | stride s, t | pad s, t |
# |---|---|---|---|---|---|---|
# | 1 | $8\,ch$ | $L+3$ | $4\times4$ | 4, 4 | 1, 1 | 0, 0 |
# | 2 | $8\,ch$ | $2(L+3)$ | $8\times8$ | 4, 4 | 2, 2 | 1, 1 |
# | 3 | $4\,ch$ | $4(L+3)$ | $16\times16$ | 4, 4 | 2, 2 | 1, 1 |
# | 4 | $2\,ch$ | $4(L+3)$ | $32\times32$ | 4, 1 | 2, 1 | 1, 0 |
# | F-SA | on block 4's fused output | | | | | |
# | 5 | $ch$ | $4(L+3)$ | $64\times64$ | 4, 1 | 2, 1 | 1, 0 |
# | to_rgb | 3, then $\tanh$ | | | $3\times3$ conv | | |
#
# In this notebook you will turn the noise into the three streams' inputs, build the table
# as code, stack the blocks, check the result against `g3an_edu.Generator` weight for weight,
# count its parameters against the authors' code, find out why the 32-pixel generator is
# *bigger* than the 64-pixel one, play longer videos from longer $z_m$, and look at what an
# untrained generator makes.

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
from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torch.testing import assert_close
from torchinfo import summary

from g3an_edu import FactorizedSelfAttention, G3Module, Generator, frames_for_length, pick_device
from g3an_edu.tier import by_tier, current_tier
from g3an_edu.weights import sn

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
# Width of the generators we run in the walk-through (the paper's is 64).
CH = by_tier(8, 16, 64)
plt.rcParams.update({"font.size": 13})
print("tier:", tier, "| ch for the walk-through:", CH)

# %% [markdown]
# ## 1 · From noise to the three streams
#
# $z_a$ is one vector per video; $z_m$ a short sequence of $L$ motion vectors. Both become
# 5-D tensors $(B, C, T, H, W)$ with singleton axes where the stream has no extent:
#
# - spatial stream: $h_s = z_a$ as $(B, 128, 1, 1, 1)$: no time;
# - temporal stream: $h_t = z_m$ as $(B, 10, L, 1, 1)$: no space;
# - video stream: $h_v = \mathrm{concat}_C(\mathrm{repeat}_T(z_a),\, z_m)$ as
#   $(B, 138, L, 1, 1)$: appearance copied to every motion step, next to the motion.

# %%
def stream_inputs(z_a: torch.Tensor, z_m: torch.Tensor):
    """``z_a (B, Za), z_m (B, Zm, L)`` -> ``h_s (B,Za,1,1,1), h_v (B,Za+Zm,L,1,1), h_t (B,Zm,L,1,1)``."""
    length = z_m.shape[2]
    h_s = z_a[:, :, None, None, None]  # (B, Za, 1, 1, 1)
    h_t = z_m[:, :, :, None, None]  # (B, Zm, L, 1, 1)
    h_v = torch.cat([h_s.expand(-1, -1, length, -1, -1), h_t], dim=1)  # (B, Za+Zm, L, 1, 1)
    return h_s, h_v, h_t


gen = torch.Generator().manual_seed(0)
z_a, z_m = torch.randn(2, 128, generator=gen), torch.randn(2, 10, 3, generator=gen)  # L = 3
h_s, h_v, h_t = stream_inputs(z_a, z_m)
for name, h in (("h_s", h_s), ("h_v", h_v), ("h_t", h_t)):
    print(f"{name}: {tuple(h.shape)}")
assert torch.equal(h_v[:, :128, 2, 0, 0], z_a)  # appearance is the same at every step
assert torch.equal(h_v[:, 128:, :, 0, 0], z_m)  # motion follows
print("h_v = [z_a at every step; z_m] ✓")

# %% [markdown]
# ## 2 · The table as code
#
# Each row of the table is one G3 module. Block 1 grows the $1\times1$ codes to
# $4\times4$ with a kernel of 4 and no padding; blocks 2–5 double $H$ and $W$ (kernel 4,
# stride 2, padding 1); only blocks 1–3 touch time. Since the fused video stream has twice
# the block's channels (notebook 02), block $i$ receives
# $(c_s, c_v, c_t) = (c_{i-1}, 2c_{i-1}, c_{i-1})$, and block 1 receives
# $(128, 138, 10)$.

# %%
@dataclass
class BlockSpec:
    """One G3 module: output channels and (kernel, stride, padding) in space and in time."""

    c_out: int
    k_s: int
    s_s: int
    p_s: int
    k_t: int
    s_t: int
    p_t: int


def block_specs(ch: int) -> list[BlockSpec]:
    """The five blocks of the 64×64 generator (the table above)."""
    return [
        BlockSpec(8 * ch, k_s=4, s_s=1, p_s=0, k_t=4, s_t=1, p_t=0),
        BlockSpec(8 * ch, k_s=4, s_s=2, p_s=1, k_t=4, s_t=2, p_t=1),
        BlockSpec(4 * ch, k_s=4, s_s=2, p_s=1, k_t=4, s_t=2, p_t=1),
        BlockSpec(2 * ch, k_s=4, s_s=2, p_s=1, k_t=1, s_t=1, p_t=0),
        BlockSpec(1 * ch, k_s=4, s_s=2, p_s=1, k_t=1, s_t=1, p_t=0),
    ]


def build_blocks(specs: list[BlockSpec], dim_za: int = 128, dim_zm: int = 10) -> nn.ModuleList:
    """One ``G3Module`` per spec, each fed by the previous block's outputs."""
    blocks, c_s, c_v, c_t = [], dim_za, dim_za + dim_zm, dim_zm
    for s in specs:
        blocks.append(G3Module(c_s, c_v, c_t, s.c_out, "1p2d", s.k_s, s.k_t, s.s_s, s.s_t,
                               s.p_s, s.p_t))
        c_s, c_v, c_t = s.c_out, 2 * s.c_out, s.c_out  # fusion doubles the video channels
    return nn.ModuleList(blocks)


def out_size(n: int, k: int, s: int, p: int) -> int:
    """Transposed-conv output size (notebook 01): ``(n - 1)·s - 2p + k``."""
    return (n - 1) * s - 2 * p + k


specs = block_specs(CH)
blocks = build_blocks(specs)
h_s, h_v, h_t = stream_inputs(torch.randn(1, 128, generator=gen),
                              torch.randn(1, 10, 1, generator=gen))  # L = 1
t_len, size = 1, 1
print(f"ch = {CH}, L = 1\nblock  {'h_s':20s} {'h_v':24s} h_t")
with torch.no_grad():
    for i, (spec, block) in enumerate(zip(specs, blocks, strict=True), start=1):
        h_s, h_v, h_t = block(h_s, h_v, h_t)
        t_len = out_size(t_len, spec.k_t, spec.s_t, spec.p_t)
        size = out_size(size, spec.k_s, spec.s_s, spec.p_s)
        assert h_v.shape == (1, 2 * spec.c_out, t_len, size, size)  # the size rule holds
        print(f"{i:>5}  {str(tuple(h_s.shape)):20s} {str(tuple(h_v.shape)):24s} "
              f"{tuple(h_t.shape)}")

# %% [markdown]
# The spatial stream stays at $T = 1$ and the temporal stream at $1\times1$ all the way; the
# video stream grows in both, and the size formula predicts every step.
#
# ## 3 · F-SA and the output layer
#
# Two pieces finish the generator:
# - **F-SA** (notebook 03) on block 4's fused output ($2\cdot 2ch$ channels at
#   $16\times32\times32$): high-level features, small enough that spatial attention over
#   $32\cdot32 = 1024$ positions is affordable;
# - **to_rgb**: a $1\times3\times3$ convolution from block 5's $2\,ch$ fused channels to 3
#   colours, then $\tanh$ to land in $[-1, 1]$, the range the training videos are scaled to.
#   The authors' `to_rgb` is a plain `Conv3d`; the package wraps it in spectral norm like
#   every other conv, by default (`to_rgb_spectral_norm=True`, what the shipped models were
#   trained with). We copy the package's default here; section 4 compares the two.
#
# We give our module the same attribute names as the package's (`blocks`, `fsa`,
# `to_rgb`), so the package's weights load into it with `strict=True`: the same names and
# the same shapes, parameter for parameter.

# %%
class OurGenerator(nn.Module):
    """Five G3 modules, F-SA after block 4, to_rgb: ``(B, 128), (B, 10, L) -> (B, 3, T, 64, 64)``."""

    def __init__(self, ch: int) -> None:
        super().__init__()
        self.blocks = build_blocks(block_specs(ch))
        self.fsa = FactorizedSelfAttention(4 * ch)  # block 4 outputs 2ch, fused 4ch
        self.to_rgb = sn(nn.Conv3d(2 * ch, 3, (1, 3, 3), 1, (0, 1, 1)))

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        h_s, h_v, h_t = stream_inputs(z_a, z_m)
        for i, block in enumerate(self.blocks, start=1):
            h_s, h_v, h_t = block(h_s, h_v, h_t)  # h_v: (B, 2·c_i, T_i, H_i, W_i)
            if i == 4:
                h_v = self.fsa(h_v)  # (B, 4ch, 4(L+3), 32, 32)
        return torch.tanh(self.to_rgb(h_v))  # (B, 3, 4(L+3), 64, 64)


ours, package = OurGenerator(CH), Generator(ch=CH)
print(ours.load_state_dict(package.state_dict(), strict=True))
with torch.no_grad():
    package.fsa.temporal.gamma.fill_(0.5)  # switch attention on, so it is compared too
    package.fsa.spatial.gamma.fill_(0.5)
    ours.load_state_dict(package.state_dict())
ours.eval()
package.eval()
z_a, z_m = package.sample_noise(2, length=1, generator=torch.Generator().manual_seed(1))
with torch.no_grad():
    video = ours(z_a, z_m)
    assert_close(video, package(z_a, z_m))
print("video:", tuple(video.shape), "| our generator == g3an_edu.Generator ✓")

# %% [markdown]
# ## 4 · The whole model at a glance, and its size
#
# `torchinfo.summary` runs one forward pass and lists each module with its output and its
# parameter count. We show the paper's width, $ch = 64$, two levels deep. (For a G3 module
# the "output shape" column shows its first output, $h_s$. We summarise a copy built without
# spectral norm, which has the same parameters, because torchinfo cannot count the
# multiply-adds of a parametrized convolution.)

# %%
g64 = Generator(ch=64, spectral_norm=False)
print(summary(g64, input_data=list(g64.sample_noise(1, 1)), depth=2, verbose=0,
              col_names=("output_size", "num_params"), row_settings=("var_names",)))

# %% [markdown]
# **Against the authors' code.** The paper does not list parameter counts; the numbers
# below were measured on the authors' public code (`model/networks.py`): 23,090,437 at
# $ch = 64$ (counted with `sum(p.numel() for p in model.parameters())`; spectral norm adds
# buffers, not parameters). A faithful implementation must have the same count, block by
# block.
# Building a model on PyTorch's `meta` device allocates no memory, so we can count even the
# 66-million-parameter full-3D variant in a moment.

# %%
def n_params(module: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in module.parameters())


AUTHORS_BLOCKS = {"block 1": 5_552_128, "block 2": 11_540_480, "block 3": 4_721_664,
                "block 4": 886_272, "block 5": 221_952, "F-SA": 164_482, "to_rgb": 3_459}
ours_blocks = {f"block {i}": n_params(b) for i, b in enumerate(g64.blocks, start=1)}
ours_blocks |= {"F-SA": n_params(g64.fsa), "to_rgb": n_params(g64.to_rgb)}
print(f"{'':8s} {'ours':>12s} {'authors':>12s}")
for name, want in AUTHORS_BLOCKS.items():
    assert ours_blocks[name] == want, name
    print(f"{name:8s} {ours_blocks[name]:>12,d} {want:>12,d}  ✓")
print(f"{'total':8s} {n_params(g64):>12,d} {23_090_437:>12,d}  ✓")
assert n_params(g64) == 23_090_437

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.barh(list(ours_blocks)[::-1], [v / 1e6 for v in ours_blocks.values()][::-1])
ax.set(xlabel="parameters (millions)", title="Where the 23 M parameters are (ch = 64)")
plt.tight_layout()
plt.show()

# %% [markdown]
# Blocks 1–2 hold almost three quarters of the parameters: they work on $8\,ch = 512$
# channels, and a transposed conv's weight grows with $c_{in} \cdot c_{out}$. F-SA, the
# idea that lets distant frames and pixels talk, costs under 1 %.
#
# The same check for the other variants of the authors' code:

# %%
AUTHORS_VARIANTS = {
    ("1p2d", True, 64): 23_090_437, ("1p2d", False, 64): 22_925_955,
    ("2p1d", True, 64): 27_219_205, ("3d", True, 64): 65_975_237,
    ("1p2d", True, 32): 6_115_973, ("1p2d", True, 16): 1_700_677,
}
print(f"{'mode':6s} {'F-SA':5s} {'ch':>3s} {'ours':>12s} {'authors':>12s}")
for (mode, attention, ch), want in AUTHORS_VARIANTS.items():
    with torch.device("meta"):
        got = n_params(Generator(ch=ch, mode=mode, attention=attention))
    assert got == want, (mode, attention, ch)
    print(f"{mode:6s} {str(attention):5s} {ch:>3d} {got:>12,d} {want:>12,d}  ✓")

# %% [markdown]
# The full 3D kernel costs almost three times the parameters of the (1+2)D factorization,
# for a model the paper's ablation finds worse.
#
# **`to_rgb` with or without spectral norm.** Spectral norm adds buffers (the power-iteration
# vectors, notebook 05), not parameters, so both choices have the authors' count; what
# changes is the names in the state dict, which is why a model trained with one cannot be
# loaded into the other, and why the package keeps the default its shipped models use.

# %%
authors_rgb = Generator(ch=CH, to_rgb_spectral_norm=False)  # to_rgb: a plain Conv3d
assert n_params(authors_rgb) == n_params(package)
print("package default:", sorted(k for k in package.state_dict() if k.startswith("to_rgb")))
print("authors' choice:", sorted(k for k in authors_rgb.state_dict() if k.startswith("to_rgb")))

# %% [markdown]
#
# ## 5 · Variable length: $T = 4(L+3)$
#
# Follow time through the blocks with the size rule $n' = (n-1)s - 2p + k$:
#
# - block 1: $k_t = 4, s_t = 1, p_t = 0$: $\;L \to (L-1) + 4 = L + 3$;
# - blocks 2 and 3: $k_t = 4, s_t = 2, p_t = 1$: $\;n \to 2(n-1) - 2 + 4 = 2n$;
# - blocks 4 and 5 keep time.
#
# So $T = 4(L+3)$: the authors train with $L = 1$ (16 frames) and feed a longer $z_m$ at test
# time to get longer videos from the same network.

# %%
small = Generator(ch=CH).eval()
print(" L   T = 4(L+3)   output shape")
with torch.no_grad():
    for length in range(1, 5):
        v = small(*small.sample_noise(1, length))
        assert v.shape[2] == frames_for_length(length) == 4 * (length + 3)
        print(f"{length:>2}   {frames_for_length(length):>10}   {tuple(v.shape)}")

# %% [markdown]
# Shapes are one thing; what do the extra frames look like? The course ships a trained
# G3AN (`g3an-tiny`: the paper's architecture at $32\times32$, $ch = 16$, trained for 7000
# steps with $L = 1$ on the course's synthetic actions; `docs/RESULTS.md`). We give it the
# same four appearances and motion codes of length 1 and 4, where the long $z_m$ starts
# with the short one's step. It never saw $L > 1$ in training: the longer clips show what
# the convolutions do with a sequence they were not trained on.

# %%
from IPython.display import HTML, display

from g3an_edu import load_pretrained
from g3an_edu.viz import show_videos

g_tiny, tiny_config = load_pretrained("g3an-tiny")  # eval mode, EMA weights, SHA-256 checked
rng = torch.Generator().manual_seed(3)
z_a4 = torch.randn(4, 128, generator=rng)
z_m4 = torch.randn(4, 10, 4, generator=rng)  # L = 4; its first step is the L = 1 code
with torch.no_grad():
    clips = {length: g_tiny(z_a4, z_m4[:, :, :length]) for length in (1, 4)}
for length, v in clips.items():
    step = (v[:, :, 1:] - v[:, :, :-1]).abs().mean().item()
    print(f"L = {length}: {tuple(v.shape)}, mean |frame(t+1) - frame(t)| = {step:.3f}")
assert clips[4].shape[2] == frames_for_length(4) == 28

# %%
# NBVAL_IGNORE_OUTPUT
# Animated GIFs (16 and 28 frames, 2 videos each): bytes, not worth comparing.
for length, v in clips.items():  # two of the four videos, to keep the notebook small
    display(HTML(f"<b>L = {length}: {v.shape[2]} frames</b>"))
    display(show_videos(v[:2], ncol=2, scale=2, fps=6))

# %% [markdown]
# ## 6 · Resolutions 32, 64 and 128
#
# Each block after the first doubles $H$ and $W$, so the resolution sets the number of
# blocks: $R = 4 \cdot 2^{n-1}$, i.e. 4 blocks for 32, 5 for 64, 6 for 128 (the sixth with
# $ch/2$ channels). F-SA stays on a map of at most $32\times32$ pixels, after the block
# that reaches $\min(32, R/2)$. (The authors' code always makes 64×64: its size option only
# resizes the data.)

# %%
print(" R   blocks   F-SA after block (map)   parameters   output shape")
with torch.no_grad():
    for r in (32, 64, 128):
        g = Generator(ch=CH, resolution=r).eval()
        v = g(*g.sample_noise(1, 1))
        assert v.shape == (1, 3, 16, r, r)
        k = g.attention_after + 1
        print(f"{r:>3}   {len(g.blocks):>6}   {k:>8} ({min(32, r // 2)}×{min(32, r // 2)})"
              f"          {n_params(g):>10,d}   {tuple(v.shape)}")

# %% [markdown]
# **Why is the 32-pixel generator bigger than the 64-pixel one?** Removing a block should
# make it smaller, and it does remove block 5. But F-SA must move: at 32 pixels it sits
# after block **3** (the $16\times16$ map), whose fused output has $2 \cdot 4ch = 8ch$
# channels, instead of after block 4 with $2 \cdot 2ch = 4ch$. F-SA's value projection is a
# $C \times C$ matrix, so its size grows with $C^2$: twice the channels, four times the
# parameters. (`to_rgb` doubles too: it reads block 4's fused $4ch$ channels instead of
# block 5's $2ch$, but it is tiny.) Part by part, at $ch = 64$ on the meta device:

# %%
with torch.device("meta"):
    g32, g64m = Generator(ch=64, resolution=32), Generator(ch=64, resolution=64)
parts = {
    "blocks 1-4": (sum(n_params(b) for b in g32.blocks[:4]),
                   sum(n_params(b) for b in g64m.blocks[:4])),
    "block 5": (0, n_params(g64m.blocks[4])),
    "F-SA": (n_params(g32.fsa), n_params(g64m.fsa)),
    "to_rgb": (n_params(g32.to_rgb), n_params(g64m.to_rgb)),
}
print(f"{'part':11s} {'R = 32':>11s} {'R = 64':>11s} {'32 - 64':>11s}")
for part, (a, b) in parts.items():
    print(f"{part:11s} {a:>11,d} {b:>11,d} {a - b:>+11,d}")
print(f"{'total':11s} {n_params(g32):>11,d} {n_params(g64m):>11,d} "
      f"{n_params(g32) - n_params(g64m):>+11,d}")
print(f"F-SA works on {g32.fsa.channels} channels at R = 32, {g64m.fsa.channels} at R = 64")
assert sum(a - b for a, b in parts.values()) == n_params(g32) - n_params(g64m)
assert n_params(g32.fsa) > 3.9 * n_params(g64m.fsa)  # twice the channels, ~4× the weights

# %% [markdown]
# F-SA's growth outweighs the whole of block 5. So "fewer pixels" does not mean "fewer
# parameters": where attention sits decides. (The shipped `g3an-tiny` is a 32-pixel model
# for this reason slightly bigger than the 64-pixel one at the same $ch$.)

# %% [markdown]
# ## 7 · What an untrained generator makes
#
# Before training, the weights are random ($\mathcal{N}(0, 0.02)$, then spectrally
# normalised). We sample two videos at $ch = 64$ in **training mode** (BatchNorm uses the
# batch's statistics, as it does during training: this is what the discriminators see at
# step 0) and in **eval mode** (BatchNorm's running statistics, still at their initial
# mean 0, variance 1).
#
# To show a video we map $[-1, 1] \to [0, 1]$ by $(x+1)/2$, the same for every video. We do
# **not** stretch each video by its own minimum and maximum: that would hide exactly the
# brightness and saturation errors we want to see.

# %%
def to_image(frame: torch.Tensor) -> torch.Tensor:
    """A frame ``(3, H, W)`` in [-1, 1] -> an image ``(H, W, 3)`` in [0, 1] for ``imshow``."""
    return ((frame + 1) / 2).clamp(0, 1).permute(1, 2, 0)  # (H, W, 3)


def show_strip(videos: dict[str, torch.Tensor], frames: list[int], title: str) -> None:
    """One row per video ``(3, T, H, W)``: the chosen frames, side by side."""
    fig, axes = plt.subplots(len(videos), len(frames), figsize=(12, 1.6 * len(videos) + 0.6),
                             squeeze=False)
    for r, (name, video) in enumerate(videos.items()):
        for c, t in enumerate(frames):
            axes[r, c].imshow(to_image(video[:, t]))
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
            if r == 0:
                axes[r, c].set_title(f"t = {t}", fontsize=12)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=12)
    fig.suptitle(title, fontsize=14)
    plt.tight_layout()
    plt.show()


g64 = Generator(ch=64)  # with spectral norm, as trained
z_a, z_m = g64.sample_noise(2, 1, generator=torch.Generator().manual_seed(0))
with torch.no_grad():
    train_videos = g64.train()(z_a, z_m)  # (2, 3, 16, 64, 64)
    eval_videos = g64.eval()(z_a, z_m)  # (2, 3, 16, 64, 64)
frames = list(range(0, 16, 2))
show_strip({"train mode, video 1": train_videos[0], "train mode, video 2": train_videos[1],
            "eval mode, video 1": eval_videos[0], "eval mode, video 2": eval_videos[1]},
           frames, "An untrained G3AN generator (ch = 64), pixels mapped by (x + 1) / 2")

# %% [markdown]
# In training mode the output is high-contrast coloured noise whose colour jumps from frame
# to frame, with a fine grid texture: nothing yet ties one frame to the next. (Where a grid
# texture can come from, and why an even kernel overlap does not by itself prevent it, is
# notebook 01's checkerboard section; we do not repeat it here.) In eval mode the output
# is almost uniformly grey: with running statistics at their initial values the activations
# stay tiny. The numbers say the same:

# %%
for name, v in (("train mode", train_videos), ("eval mode", eval_videos)):
    change = (v[:, :, 1:] - v[:, :, :-1]).abs().mean().item()
    print(f"{name:10s}: pixel std {v.std().item():.2f}, |x| > 0.9: "
          f"{(v.abs() > 0.9).float().mean().item():5.1%}, "
          f"mean |frame(t+1) - frame(t)| {change:.2f}")

# %% [markdown]
# Why the rule about min/max matters: here is the eval-mode frame stretched by its own
# minimum and maximum, as the authors' visualisation does. It invents a contrast the
# generator does not produce.

# %%
frame = eval_videos[0, :, 0]  # (3, 64, 64)
stretched = (frame - frame.min()) / (frame.max() - frame.min())  # (3, 64, 64) in [0, 1]
fig, axes = plt.subplots(1, 3, figsize=(12, 4))
axes[0].imshow(to_image(frame))
axes[0].set_title("(x + 1) / 2: what it is")
axes[1].imshow(stretched.permute(1, 2, 0))
axes[1].set_title("per-frame min/max: misleading")
axes[2].hist(eval_videos.flatten().numpy(), bins=100, range=(-1, 1))
axes[2].set(title="pixel values (eval mode)", xlabel="value")
for ax in axes[:2]:
    ax.set_xticks([])
    ax.set_yticks([])
plt.tight_layout()
plt.show()

# %% [markdown]
# ## What could go wrong
#
# - **Grey videos from a model that trained fine.** In eval mode BatchNorm uses its running
#   statistics; if they were never updated (a model built but not trained, or weights loaded
#   without the BatchNorm buffers), the output is the flat grey of section 7. Look at the
#   pixel standard deviation in eval mode and compare with training mode; load the whole
#   state dict (buffers included), as `load_generator` does.
# - **A checkpoint that refuses to load.** Different architectures have different state-dict
#   keys: F-SA on or off, another `mode`, or `to_rgb_spectral_norm` changed. Read the names
#   of the missing and unexpected keys; the package stores the config with the weights so
#   it can rebuild the right generator.
# - **Wrong frame counts.** A changed temporal kernel, stride or padding changes $T$ (exercise
#   3); the size rule $n' = (n-1)s - 2p + k$ predicts it before you run anything.
#
# ## Summary
#
# - $z_a$ becomes the spatial stream $(B, 128, 1, 1, 1)$, $z_m$ the temporal stream
#   $(B, 10, L, 1, 1)$, and their concatenation the video stream $(B, 138, L, 1, 1)$.
# - Five G3 modules grow these to $(B, 2ch, 4(L+3), 64, 64)$; F-SA sits on block 4's
#   $32\times32$ output; a $1\times3\times3$ conv and $\tanh$ make the RGB video.
# - Our stack equals `g3an_edu.Generator` weight for weight, and has the parameter counts of
#   the authors' code: 23,090,437 at $ch = 64$, and theirs for every variant. Their
#   `to_rgb` has no spectral norm; the package's has it by default (an option, same count).
# - $T = 4(L+3)$ frames for any motion length $L \ge 1$; 32, 64 or 128 pixels with 4, 5 or 6
#   blocks. The 32-pixel model is *bigger* than the 64-pixel one: F-SA moves to a map with
#   twice the channels, and its weights grow with $C^2$.
# - An untrained generator makes noise; show videos with $(x+1)/2$, never per-video min/max.
#
# **Read further.** Wang et al., *G3AN: Disentangling Appearance and Motion for Video
# Generation*, CVPR 2020, [arXiv 1912.05523](https://arxiv.org/abs/1912.05523) (Sec. 3: the
# G3 module, F-SA, the generator); Goodfellow et al., *Generative Adversarial Nets*, NeurIPS
# 2014 ([arXiv 1406.2661](https://arxiv.org/abs/1406.2661)); Miyato et al., *Spectral
# Normalization for GANs*, ICLR 2018 ([arXiv 1802.05957](https://arxiv.org/abs/1802.05957));
# Tran et al., *A Closer Look at Spatiotemporal Convolutions for Action Recognition* (R(2+1)D),
# CVPR 2018 ([arXiv 1711.11248](https://arxiv.org/abs/1711.11248)); Tulyakov et al.,
# *MoCoGAN*, CVPR 2018 ([arXiv 1707.04993](https://arxiv.org/abs/1707.04993)).
#
# ## Exercises
#
# Predict first, then check: each answer is a number or a formula you derive on paper.

# %%
from g3an_edu.exercises.nb04 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (derive).** Write `g3_params(c_s, c_v, c_t, c_out, k_s, k_t)`: the number of
# trainable parameters of a `1p2d` G3 module with those input channels (spatial, video,
# temporal), output channels and kernels, as a formula, without building one. Then use it
# to predict block 3 at $ch = 64$ (inputs $512, 1024, 512$, output $256$, $k_s = k_t = 4$)
# before the check compares with the package's module.

# %%
def g3_params(c_s, c_v, c_t, c_out, k_s, k_t):
    ### BEGIN SOLUTION
    weights = c_out * (k_s * k_s * c_s  # spatial (1, k_s, k_s)
                       + k_t * c_t  # temporal (k_t, 1, 1)
                       + k_t * c_v + k_s * k_s * c_out)  # video: time, then space
    return weights + 4 * c_out + 4 * 2 * c_out  # 4 conv biases, 4 BatchNorms (weight, bias)
    ### END SOLUTION


print(f"block 3 at ch = 64: {g3_params(512, 1024, 512, 256, 4, 4):,d}")
check_ex1(g3_params)

# %% [markdown]
# **Exercise 2 (derive).** Write `fsa_params(C)`: the parameters of F-SA on a `C`-channel
# map (notebook 03: temporal then spatial attention, each with its own query, key, value
# and $\gamma$). With it, explain the table of section 6: how much bigger is F-SA at 32
# pixels ($C = 8ch$) than at 64 ($C = 4ch$), for $ch = 64$?

# %%
def fsa_params(C):
    ### BEGIN SOLUTION
    e = C // 8
    one = 2 * (C * e + e) + (C * C + C) + 1  # query, key (C -> C/8), value (C -> C), γ
    return 2 * one  # temporal and spatial attention
    ### END SOLUTION


print(f"F-SA at 32 px: {fsa_params(512):,d}, at 64 px: {fsa_params(256):,d}")
check_ex2(fsa_params)

# %% [markdown]
# **Exercise 3 (predict).** A colleague changed block 2's temporal padding from 1 to 0
# (everything else as the table). How many frames does the generator now make for $L = 1$
# and for $L = 2$? Work it out with the size rule, then check; only then build such a stack
# if you want to see it.

# %%
### BEGIN SOLUTION
frames_l1 = 2 * ((1 + 3 - 1) * 2 + 4)  # block 1: 4; block 2 (p = 0): 10; block 3: 20
frames_l2 = 2 * ((2 + 3 - 1) * 2 + 4)  # block 1: 5; block 2: 12; block 3: 24
### END SOLUTION
check_ex3(frames_l1, frames_l2)

# %% [markdown]
# **Open experiment: F-SA off, and 3d instead of 1p2d.** Build `Generator(ch=16,
# attention=False)` and `Generator(ch=16, mode="3d")` next to the default and time one
# forward and backward pass of a batch of 4 each (`time.perf_counter`). Then train each for a
# few hundred steps (`g3an_edu.train.train` with `load_config("tiny", {"attention": False})`,
# or `--set mode=3d` on the command line, notebook 06). What to look for: F-SA costs under
# 1 % of the parameters but a large share of the time at 32×32 maps; the 3d model has about
# three times the parameters of 1p2d. Compare the sample GIFs at the same step: does the 3d
# model's motion look smoother or blurrier, and is it worth its cost? Write down what you
# expected before you run.

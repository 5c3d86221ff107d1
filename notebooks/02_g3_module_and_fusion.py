# %% [markdown]
# # 02 · The G3 module: three streams and their fusion
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/02_g3_module_and_fusion.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/02_g3_module_and_fusion.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# G3AN wants to **disentangle** appearance from motion: one noise vector $z_a$ for how the video
# looks, one sequence $z_m$ for how it moves. It builds that into the generator's structure.
# Each **G3 module** carries three streams:
#
# | stream | tensor | sees | up-sampled by |
# |---|---|---|---|
# | spatial | $h_s \in \mathbb{R}^{C \times 1 \times H \times W}$ | appearance only, no time | a $(1, k_s, k_s)$ transposed conv |
# | temporal | $h_t \in \mathbb{R}^{C \times T \times 1 \times 1}$ | motion only, no space | a $(k_t, 1, 1)$ transposed conv |
# | video | $h_v \in \mathbb{R}^{C \times T \times H \times W}$ | both | a (1+2)D transposed conv (notebook 01) |
#
# > **The paper's idea.** After the three convolutions, a *spatio-temporal fusion* injects the
# > two pure streams into the video stream: the temporal features are replicated over space and
# > added, the spatial features are replicated over time and concatenated,
#
# $$ h_v \leftarrow \operatorname{concat}_C\big(\operatorname{rep}_T(h_s),\; h_v + \operatorname{rep}_{HW}(h_t)\big),
# \qquad (C,1,H,W),\,(C,T,1,1),\,(C,T,H,W) \;\to\; (2C, T, H, W). $$
#
# ```
#   z_a ──► [spatial (1,k,k)] ──► h_s ─────────────── rep_T ──┐
#                                                              ├─ concat ─► h_v (2C channels)
#   z_a,z_m ► [video (1+2)D] ──► h_v ──► (+) ──────────────────┘
#                                         ▲
#   z_m ──► [temporal (k,1,1)] ─► h_t ── rep_HW
# ```
#
# In this notebook you will
# 1. follow the three inputs of block 1 and one module's three convolutions;
# 2. show that **the spatial stream carries no time and the temporal stream no space**, through the whole generator;
# 3. replicate with `expand` vs `repeat`: same values; what a view saves, and what it cannot;
# 4. write the fusion and a whole G3 module from scratch and check them against `g3an_edu`;
# 5. walk the shapes through all five G3 modules of the paper's generator.
#
# **Read along:** [arXiv:1912.05523](https://arxiv.org/abs/1912.05523), Section 3 (the
# method): the G3 module, its three streams and the spatio-temporal fusion, as drawn in the
# paper's figure of the G3 module. The paper writes $F_{S_n}, F_{T_n}, F_{V_n}$ for module
# $n$'s $h_s, h_t, h_v$ and $F^R$ for a replicated map; its fusion has the three steps used
# here: replicate, add $F^R_{T_n}$, concatenate $F^R_{S_n}$. The concatenation order follows
# the authors' code (`model/networks.py`).

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
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from g3an_edu import G3Module, Generator, spatio_temporal_fusion
from g3an_edu.device import pick_device
from g3an_edu.tier import by_tier, current_tier

torch.manual_seed(0)
plt.rcParams.update({"font.size": 13, "figure.dpi": 80})
device = pick_device(verbose=True)
tier = current_tier()
print("tier:", tier)

# %% [markdown]
# ## 1 · The three inputs of block 1
#
# The generator starts from $z_a \in \mathbb{R}^{128}$ (one vector per video) and
# $z_m \in \mathbb{R}^{10 \times L}$ (a short sequence; $L = 1$ in training). As 5-D tensors:
#
# - spatial stream: $z_a$ as a single pixel of a single frame, $(B, 128, 1, 1, 1)$;
# - temporal stream: $z_m$ as $L$ time steps of a single pixel, $(B, 10, L, 1, 1)$;
# - video stream: both, $z_a$ replicated over the $L$ steps and concatenated: $(B, 138, L, 1, 1)$.

# %%
B, L = 2, 1
z_a, z_m = torch.randn(B, 128), torch.randn(B, 10, L)
h_s0 = z_a[:, :, None, None, None]  # (B, 128, 1, 1, 1)
h_t0 = z_m[:, :, :, None, None]  # (B, 10, L, 1, 1)
h_v0 = torch.cat([h_s0.expand(B, 128, L, 1, 1), h_t0], dim=1)  # (B, 138, L, 1, 1)
for name, h in [("h_s", h_s0), ("h_t", h_t0), ("h_v", h_v0)]:
    print(f"{name}: {tuple(h.shape)}")

# %% [markdown]
# ## 2 · Each stream's convolution keeps its own axes
#
# A transposed conv with kernel size 1, stride 1 and padding 0 along an axis leaves that axis's
# size unchanged ($n' = (n-1)\cdot 1 - 0 + 1 = n$). So the spatial stream's $(1,4,4)$ kernel
# keeps $T = 1$ and the temporal stream's $(4,1,1)$ kernel keeps $H = W = 1$. Block 1
# ($k=4$, $s=1$, $p=0$) grows each stream's own axes from 1 to 4:

# %%
g3 = G3Module(c_s=128, c_v=138, c_t=10, c_out=32, k_s=4, k_t=4, s_s=1, s_t=1, p_s=0, p_t=0).eval()
with torch.no_grad():
    h_s1 = g3.spatial(h_s0)  # (B, C, 1, 4, 4)
    h_t1 = g3.temporal(h_t0)  # (B, C, 4, 1, 1)
    h_v1 = g3.video(h_v0)  # (B, C, 4, 4, 4)
for name, h in [("spatial  h_s", h_s1), ("temporal h_t", h_t1), ("video    h_v", h_v1)]:
    print(f"{name}: {tuple(h.shape)}")
assert h_s1.shape[2] == 1 and h_t1.shape[3:] == (1, 1)

# %% [markdown]
# ## 3 · Fusion by hand, and a picture of it
#
# Fusion needs both pure streams at the video stream's size. **Replication** does that:
# $\operatorname{rep}_T(h_s)$ copies the one frame of $h_s$ to all $T$ frames;
# $\operatorname{rep}_{HW}(h_t)$ copies each time step of $h_t$ to all $H \times W$ pixels.
# Written with `repeat`, the plainest way:

# %%
def fuse_by_hand(h_s: torch.Tensor, h_t: torch.Tensor, h_v: torch.Tensor) -> torch.Tensor:
    """(B,C,1,H,W), (B,C,T,1,1), (B,C,T,H,W) -> (B,2C,T,H,W), with explicit copies."""
    _, _, t, h, w = h_v.shape
    s_rep = h_s.repeat(1, 1, t, 1, 1)  # (B, C, T, H, W): the same frame T times
    t_rep = h_t.repeat(1, 1, 1, h, w)  # (B, C, T, H, W): the same value at every pixel
    return torch.cat([s_rep, h_v + t_rep], dim=1)  # (B, 2C, T, H, W)


fused = fuse_by_hand(h_s1, h_t1, h_v1)
assert_close(fused, spatio_temporal_fusion(h_s1, h_t1, h_v1))
print("fused:", tuple(fused.shape), "== g3an_edu.spatio_temporal_fusion")

# %% [markdown]
# To see it, take one channel with recognisable content: $h_s$ a disk (appearance), $h_t$ a
# brightness that rises and falls over time (motion), $h_v$ a small square moving right.
# Channel 0 of the fused tensor is the disk in every frame; channel 1 is the moving square
# plus a global brightness that follows $h_t$.

# %%
T, S = 6, 24
yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
disk = (((yy - 11.5) ** 2 + (xx - 11.5) ** 2) < 7**2).float()  # (H, W)
toy_s = disk[None, None, None]  # (1, 1, 1, H, W)
toy_t = torch.sin(torch.linspace(0, torch.pi, T))[None, None, :, None, None]  # (1, 1, T, 1, 1)
toy_v = torch.zeros(1, 1, T, S, S)  # (1, 1, T, H, W)
for t in range(T):
    toy_v[0, 0, t, 8:16, 2 + 3 * t: 8 + 3 * t] = 1.0
toy = fuse_by_hand(toy_s, toy_t, toy_v)  # (1, 2, T, H, W)

rows = [("rep_T(h_s)", toy[0, 0]), ("h_v", toy_v[0, 0]), ("h_v + rep_HW(h_t)", toy[0, 1])]
fig, axes = plt.subplots(3, T, figsize=(12, 6.5))
for r, (label, frames) in enumerate(rows):
    for t in range(T):
        axes[r, t].imshow(frames[t], cmap="magma", vmin=0, vmax=2)
        axes[r, t].set(xticks=[], yticks=[])
        if r == 0:
            axes[r, t].set_title(f"t = {t}")
    axes[r, 0].set_ylabel(label, fontsize=13)
fig.suptitle("Fusion, one channel each: appearance copied over time, motion added over space")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4 · `expand` vs `repeat`: what a view saves, and what it cannot
#
# `repeat` allocates a new tensor and copies. `expand` returns a **view**: the same storage,
# with stride 0 along the replicated axes, so every position along them reads the same
# number. The view itself copies nothing. Here are the sizes at G3AN's block 4 (256 channels
# of $16 \times 32 \times 32$ after fusion, so $C = 128$ per stream), for a batch of 2:

# %%
b, c, t, h, w = 2, 128, 16, 32, 32
h_t4 = torch.randn(b, c, t, 1, 1)
as_view = h_t4.expand(b, c, t, h, w)  # (B, C, T, H, W), a view
as_copy = h_t4.repeat(1, 1, 1, h, w)  # (B, C, T, H, W), a new tensor
assert torch.equal(as_view, as_copy)
for name, x in [("h_t", h_t4), ("expand", as_view), ("repeat", as_copy)]:
    shares = x.untyped_storage().data_ptr() == h_t4.untyped_storage().data_ptr()
    print(f"{name:>7}: shape {tuple(x.shape)}, strides {x.stride()}, "
          f"storage {x.untyped_storage().nbytes() / 2**20:6.2f} MiB, shares h_t's memory: {shares}")

# %% [markdown]
# The price of a view: you cannot write into it in place, since many positions alias one
# number. Fusion never needs to:

# %%
try:
    as_view.add_(1.0)
except RuntimeError as err:
    print("RuntimeError:", str(err).splitlines()[0][:95], "...")

# %% [markdown]
# But the view is only half of the story. Fusion ends in `torch.cat`, and a concatenation
# cannot return a view: it **writes** a new $(B, 2C, T, H, W)$ tensor, and in doing so it
# copies the replicated $h_s$ into every frame anyway. The addition `h_v + h_t` also writes a
# new tensor. So what does `expand` save? To count instead of guess, we log every tensor that
# each torch function returns in new memory (one that shares no storage with the function's
# inputs), with a `TorchFunctionMode`, PyTorch's public hook into every torch call:

# %%
from torch.overrides import TorchFunctionMode


def tensors_in(obj) -> list[torch.Tensor]:
    """All tensors in a (nested) argument: a tensor, a list, a tuple or a dict."""
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in tensors_in(item)]
    if isinstance(obj, dict):
        return [t for item in obj.values() for t in tensors_in(item)]
    return []


class AllocationLog(TorchFunctionMode):
    """Bytes of the new tensors each torch function returns, by function name."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes: dict[str, int] = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        inputs = {t.untyped_storage().data_ptr() for t in tensors_in((args, kwargs or {}))}
        for t in tensors_in(out):
            if t.untyped_storage().data_ptr() not in inputs:  # not a view of an input
                name = getattr(func, "__name__", str(func))
                self.bytes[name] = self.bytes.get(name, 0) + t.untyped_storage().nbytes()
        return out


h_s4, h_v4 = torch.randn(b, c, 1, h, w), torch.randn(b, c, t, h, w)
logs = {}
for name, fn in [("repeat", fuse_by_hand), ("expand", spatio_temporal_fusion)]:
    with AllocationLog() as log:
        fn(h_s4, h_t4, h_v4)
    logs[name] = log.bytes
one = h_v4.numel() * h_v4.element_size()  # one (B, C, T, H, W) float32 tensor
for name, per_op in logs.items():
    parts = ", ".join(f"{op} {n / one:.0f}" for op, n in per_op.items())
    print(f"{name}: {sum(per_op.values()) / 2**20:5.0f} MiB written = "
          f"{sum(per_op.values()) / one:.0f} x (B, C, T, H, W)  [{parts}]")
assert logs["repeat"]["repeat"] == 2 * one and "repeat" not in logs["expand"]
assert logs["expand"]["cat"] == logs["repeat"]["cat"] == 2 * one

# %% [markdown]
# Read the log. Both versions write the sum `h_v + h_t` (one tensor's worth) and the
# concatenation's result (two tensors' worth, since it has $2C$ channels). `repeat` also writes
# the two replicated intermediates; `expand` does not. So `expand` saves exactly those
# intermediates: their memory (they never exist) and the time to write and read them back. It
# does **not** save the output of `cat`, which holds the replicated $h_s$ in full, written
# once per frame: that copy is what the next block's convolution reads, and it is the same in
# both versions. The timing below shows the same: `expand` is faster, but by less than the
# "no copies" slogan suggests. (A fusion that writes only its result, with no intermediate
# sum either, is the open experiment at the end.)

# %%
# NBVAL_IGNORE_OUTPUT
# timings depend on the machine and its load
from torch.utils.benchmark import Timer  # repeats until the timing is stable; syncs CUDA

b_time = by_tier(2, 4, 16)
timing_inputs = {"h_s": torch.randn(b_time, c, 1, h, w, device=device),
                 "h_t": torch.randn(b_time, c, t, 1, 1, device=device),
                 "h_v": torch.randn(b_time, c, t, h, w, device=device)}
for name, fn in [("repeat (copies)", fuse_by_hand), ("expand (views)", spatio_temporal_fusion)]:
    timer = Timer("fn(h_s, h_t, h_v)", globals={"fn": fn, **timing_inputs})
    seconds = timer.blocked_autorange(min_run_time=0.3).median
    print(f"{name:>16}: {seconds * 1e3:6.1f} ms per fusion at batch {b_time}")

# %% [markdown]
# ## 5 · The spatial stream carries no time, the temporal stream no space
#
# By construction, $h_s$ is computed from $z_a$ alone, with kernels that never touch time;
# $h_t$ from $z_m$ alone, with kernels that never touch space. Fusion only *reads* them. So in
# the whole generator:
#
# - changing $z_m$ must leave **every** block's $h_s$ unchanged (bit for bit);
# - changing $z_a$ must leave **every** block's $h_t$ unchanged;
# - the video stream $h_v$ depends on both.
#
# Let's check it on a whole generator, recording the three streams at each block with forward
# hooks: the paper's width ($ch = 64$, 23 M parameters) in the laptop and GPU tiers, $ch = 16$ in
# the fast tier so the test suite stays quick (the structure makes the zeros, not the width).
# (Eval mode: in training mode BatchNorm mixes the samples of a batch, though still only within
# a stream.)

# %%
G = Generator(ch=by_tier(16, 64, 64)).eval()
print(f"generator with ch = {G.ch}: {sum(p.numel() for p in G.parameters()):,} parameters")
recorded: dict = {}
hooks = [block.register_forward_hook(
    lambda module, inputs, outputs, i=i: recorded.__setitem__(i, outputs))
    for i, block in enumerate(G.blocks)]


def streams(z_a: torch.Tensor, z_m: torch.Tensor) -> dict:
    """Run G and return {block index: (h_s, h_v, h_t), "video": G(z_a, z_m)}."""
    recorded.clear()
    with torch.no_grad():
        recorded["video"] = G(z_a, z_m)
    return dict(recorded)


gen = torch.Generator().manual_seed(1)
z_a, z_m = G.sample_noise(1, 1, generator=gen)
z_a2, z_m2 = G.sample_noise(1, 1, generator=gen)
base, new_motion, new_look = streams(z_a, z_m), streams(z_a, z_m2), streams(z_a2, z_m)
print("max |change| of each stream    new z_m:  h_s     h_v    new z_a:  h_t     h_v")
for i in range(len(G.blocks)):
    d = [(a - b_).abs().max().item() for a, b_ in zip(base[i], new_motion[i], strict=True)]
    e = [(a - b_).abs().max().item() for a, b_ in zip(base[i], new_look[i], strict=True)]
    print(f"  block {i + 1}                            {d[0]:.3f}   {d[1]:.3f}"
          f"              {e[2]:.3f}   {e[1]:.3f}")
    assert d[0] == 0.0 and e[2] == 0.0 and d[1] > 0 and e[1] > 0

# %% [markdown]
# The same at block 3, as pictures: one channel of $h_s$ and one frame of one channel of $h_v$,
# for the original and the new motion code, and their difference.

# %%
k = 3 - 1  # block 3
pictures = [("$h_s$", base[k][0][0, 0, 0], new_motion[k][0][0, 0, 0]),
            ("$h_v$, frame 8", base[k][1][0, -1, 8], new_motion[k][1][0, -1, 8])]
fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), layout="constrained")
diffs = [(after - before).abs() / max(before.abs().max(), after.abs().max())
         for _, before, after in pictures]  # relative to the row's largest activation
top = max(d.max().item() for d in diffs) or 1.0  # one scale for both difference panels
for row, ((label, before, after), diff) in enumerate(zip(pictures, diffs, strict=True)):
    lo, hi = min(before.min(), after.min()).item(), max(before.max(), after.max()).item()
    for col, (img, title) in enumerate([(before, "$z_m$"), (after, "new $z_m$")]):
        im = axes[row, col].imshow(img, cmap="viridis", vmin=lo, vmax=hi)  # one scale per row
        axes[row, col].set(xticks=[], yticks=[], title=f"{label}, {title}")
    fig.colorbar(im, ax=axes[row, 1], label="activation")
    im_d = axes[row, 2].imshow(diff, cmap="magma", vmin=0, vmax=top)
    axes[row, 2].set(xticks=[], yticks=[], title="relative |difference|",
                     xlabel=f"max {diff.max().item():.3f}")
fig.colorbar(im_d, ax=axes[:, 2], label="|difference| / max |activation|")
plt.show()

# %% [markdown]
# Exactly zero, at every block: appearance and motion can only meet in the video stream. This
# is the structure G3AN relies on for disentanglement; whether training actually puts
# appearance into $z_a$ and motion into $z_m$ is a separate question (see the training notebooks).
#
# ## 6 · The shape walk-through
#
# Shapes need no numbers. On PyTorch's **meta** device, tensors have a shape and a dtype but no
# values, and a forward pass computes only the shapes: instant, even for the paper's generator
# ($ch = 64$, $L = 1$). The same kind of hooks record the three streams after each block. Watch
# $T$ stop growing after block 3, $H \times W$ double at every block from block 2, and the video
# stream always have **twice** the channels of the others (fusion's concatenation).

# %%
for hook in hooks:
    hook.remove()
with torch.device("meta"):  # parameters without memory or values
    G_paper = Generator(ch=64)
shapes: dict[int, list[tuple[int, ...]]] = {}
for i, block in enumerate(G_paper.blocks):
    block.register_forward_hook(
        lambda module, inputs, outputs, i=i: shapes.__setitem__(i, [o.shape[1:] for o in outputs]))
with torch.no_grad():
    video = G_paper(*G_paper.sample_noise(1, 1))  # on the meta device: shapes only
print(f"{'block':<7}{'h_s (C, T, H, W)':<22}{'h_t (C, T, H, W)':<22}{'h_v after fusion':<22}")
for i, (h_s_shape, h_v_shape, h_t_shape) in shapes.items():
    print(f"{i + 1:<7}{str(tuple(h_s_shape)):<22}{str(tuple(h_t_shape)):<22}"
          f"{str(tuple(h_v_shape)):<22}")
print(f"F-SA after block {G_paper.attention_after + 1}; to_rgb + tanh -> video "
      f"{tuple(video.shape[1:])} on device {video.device.type!r}")

# %% [markdown]
# ## 7 · A whole G3 module from scratch
#
# Each stream's layer is transposed conv → BatchNorm → ReLU (the video stream has two of them,
# time then space). We rebuild the module's forward pass with `F.conv_transpose3d` (derived in
# notebook 01), BatchNorm written out, and our fusion, then compare with `G3Module` on the
# same weights. (One training-mode pass first, so BatchNorm's running statistics are not
# trivial; then eval mode, where BN uses them.)

# %%
def layer_by_hand(x: torch.Tensor, layer: torch.nn.Sequential) -> torch.Tensor:
    """conv-transpose -> BN (eval) -> ReLU with ``layer``'s weights: (B, C_in, T, H, W) -> (B, C, T', H', W')."""
    conv, bn, _ = layer
    y = F.conv_transpose3d(x, conv.weight, conv.bias, conv.stride, conv.padding)
    shape = (1, -1, 1, 1, 1)  # per-channel parameters broadcast over (B, C, T, H, W)
    y = (y - bn.running_mean.view(shape)) / torch.sqrt(bn.running_var.view(shape) + bn.eps)
    return torch.relu(y * bn.weight.view(shape) + bn.bias.view(shape))


def g3_by_hand(m: G3Module, h_s, h_v, h_t):
    """The G3 module's forward pass from its parts: returns (h_s, h_v, h_t)."""
    h_s = layer_by_hand(h_s, m.spatial)  # (B, C, 1, H', W')
    h_t = layer_by_hand(h_t, m.temporal)  # (B, C, T', 1, 1)
    for layer in m.video.layers:  # (1+2)D: time, then space
        h_v = layer_by_hand(h_v, layer)  # -> (B, C, T', H', W')
    return h_s, fuse_by_hand(h_s, h_t, h_v), h_t  # h_v: (B, 2C, T', H', W')


# a block-2-like module at reduced width: in (s, v, t) = (16, 32, 16) channels, out 12
m = G3Module(16, 32, 16, 12, k_s=4, k_t=4, s_s=2, s_t=2, p_s=1, p_t=1)
inputs = (torch.randn(3, 16, 1, 4, 4), torch.randn(3, 32, 4, 4, 4), torch.randn(3, 16, 4, 1, 1))
m.train()
with torch.no_grad():
    m(*inputs)  # updates BN running statistics and spectral norm's vectors
m.eval()
with torch.no_grad():
    theirs = m(*inputs)
    ours = g3_by_hand(m, *inputs)
for name, a, b_ in zip(("h_s", "h_v", "h_t"), ours, theirs, strict=True):
    assert_close(a, b_)
    print(f"{name}: {tuple(a.shape)}  our derivation == G3Module")

# %% [markdown]
# ## Summary
#
# - A G3 module runs three streams side by side: spatial $h_s$ $(C,1,H,W)$ with $(1,k,k)$
#   kernels, temporal $h_t$ $(C,T,1,1)$ with $(k,1,1)$ kernels, and video $h_v$ $(C,T,H,W)$
#   with a (1+2)D transposed conv.
# - Fusion: $h_v \leftarrow \operatorname{concat}_C(\operatorname{rep}_T(h_s),\, h_v + \operatorname{rep}_{HW}(h_t))$, so
#   the video stream has $2C$ channels.
# - Replicate with `expand` (a stride-0 view) rather than `repeat` (a full copy): the same
#   values, without the replicated intermediates. The concatenation still writes the replicated
#   $h_s$ into its $2C$-channel result: `expand` saves the intermediates, not the output.
# - Through the whole generator, $h_s$ does not change when $z_m$ changes and $h_t$ does not
#   change when $z_a$ changes, exactly: appearance and motion meet only in the video stream.
# - `g3an_edu.spatio_temporal_fusion` and `g3an_edu.G3Module` compute exactly the derivation.
#
# Next: [03 · Factorized self-attention](03_factorized_self_attention.ipynb), which sits on the
# fused video stream of block 4.

# %% [markdown]
# ## What could go wrong
#
# - **Motion added to the appearance half.** Adding $h_t$ after the concatenation (to all
#   $2C$ channels) gives the right shape and wrong values: the first $C$ channels then change
#   over time and with $z_m$ (Exercise 1). The test of section 5, run on the fused output's
#   first half, catches it.
# - **The halves in the other order.** `cat([h_v + h_t, h_s])` is a different network from the
#   authors' (their next block's weights would not load) though it trains the same way.
# - **Replicating by `view`/`reshape` instead of `expand`.** `h_t.reshape(B, C, T, H, W)` fails
#   for a $(B, C, T, 1, 1)$ tensor (wrong number of elements); a `view` of the wrong axes does
#   not fail and scrambles the features. Broadcasting (`h_v + h_t`) or `expand` name the axes.
# - **Writing into an expanded view in place.** Many positions alias one number; PyTorch
#   refuses (section 4).
# - **BatchNorm in training mode** mixes the samples of a batch, so "changing $z_m$ of one
#   video leaves $h_s$ unchanged" holds per sample only in eval mode (section 5).
#
# ## Further reading
#
# - Y. Wang et al., *G3AN*, CVPR 2020, [arXiv:1912.05523](https://arxiv.org/abs/1912.05523),
#   Section 3.
# - S. Tulyakov et al., *MoCoGAN*, CVPR 2018, [arXiv:1707.04993](https://arxiv.org/abs/1707.04993):
#   splits the latent into content and motion but has no separate streams in the generator.
# - PyTorch documentation, *Tensor Views* and `torch.Tensor.expand` (stride 0), and
#   *Extending torch with a Tensor-like type / modes* for `TorchFunctionMode`.

# %% [markdown]
# ## Exercises
#
# Write your answer between the markers (or, in the student copy, in place of the
# `raise NotImplementedError` line), then run the cell: the check says whether it is right and,
# if not, what differs.

# %%
from g3an_edu.exercises.nb02 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (find the bug, then fix it without copies).** A colleague's fusion gives the
# right shape, as the cell shows, but the generator built with it no longer keeps appearance
# and motion apart. Find what it computes wrong (hint: look at the first $C$ channels of its
# output over time), then write `fuse_fixed`: the correct fusion, **without replicated
# copies** (the check logs every allocation, as in section 4: only `h_v + h_t` and the result
# may be written, so no `repeat`, `contiguous` or `clone` of a replicated tensor), and without
# calling `spatio_temporal_fusion`.

# %%
def fuse_buggy(h_s: torch.Tensor, h_t: torch.Tensor, h_v: torch.Tensor) -> torch.Tensor:
    """(B,C,1,H,W), (B,C,T,1,1), (B,C,T,H,W) -> (B,2C,T,H,W)."""
    b, c, t, h, w = h_v.shape
    fused = torch.cat([h_s.repeat(1, 1, t, 1, 1), h_v], dim=1)  # (B, 2C, T, H, W)
    return fused + h_t.repeat(1, 2, 1, h, w)  # add the motion features


assert fuse_buggy(h_s1, h_t1, h_v1).shape == spatio_temporal_fusion(h_s1, h_t1, h_v1).shape
print("fuse_buggy: the right shape", tuple(fuse_buggy(h_s1, h_t1, h_v1).shape))


# %%
def fuse_fixed(h_s: torch.Tensor, h_t: torch.Tensor, h_v: torch.Tensor) -> torch.Tensor:
    ### BEGIN SOLUTION
    b, c, t, h, w = h_v.shape
    # the bug: h_t was added to all 2C channels, so the appearance half moved with z_m
    return torch.cat([h_s.expand(b, c, t, h, w), h_v + h_t], dim=1)  # (B, 2C, T, H, W)
    ### END SOLUTION


check_ex1(fuse_fixed)

# %% [markdown]
# **Exercise 2 (predict).** How much memory does fusion write for **one video** through the
# whole paper generator ($ch = 64$, $L = 1$), summed over its five G3 modules, in float32?
# Give `expand_mib` for the package's fusion (`expand`) and `repeat_mib` for `fuse_by_hand`
# (`repeat`), in MiB ($2^{20}$ bytes). Use section 4's log (which tensors each version writes,
# in units of one $(B, C, T, H, W)$ stream) and section 6's shape table (per-stream $C$ is half
# of the fused video stream's channels). Write arithmetic, not a measurement.

# %%
### BEGIN SOLUTION
per_stream = [(512, 4, 4, 4), (512, 8, 8, 8), (256, 16, 16, 16), (128, 16, 32, 32),
              (64, 16, 64, 64)]  # (C, T, H, W) of one stream after each block
elements = sum(c_ * t_ * h_ * w_ for c_, t_, h_, w_ in per_stream)
expand_mib = 3 * elements * 4 / 2**20  # h_v + h_t (1) and the concatenation (2)
repeat_mib = 5 * elements * 4 / 2**20  # plus the two replicated copies
### END SOLUTION
check_ex2(expand_mib, repeat_mib)

# %% [markdown]
# **Exercise 3 (derive).** Give the shapes `(h_s, h_v, h_t)` that a G3 module returns, for a
# batch `b`, `c_out` output channels, inputs with `t` frames of `h × h` pixels, and temporal / spatial
# kernel, stride and padding `k_t, s_t, p_t` / `k_s, s_s, p_s`. Return three tuples
# `(B, C, T, H, W)`.

# %%
def g3_output_shapes(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s):
    ### BEGIN SOLUTION
    t_out = (t - 1) * s_t - 2 * p_t + k_t
    h_out = (h - 1) * s_s - 2 * p_s + k_s
    return ((b, c_out, 1, h_out, h_out), (b, 2 * c_out, t_out, h_out, h_out),
            (b, c_out, t_out, 1, 1))
    ### END SOLUTION


check_ex3(g3_output_shapes)

# %% [markdown]
# ### Open experiment: a fusion that writes only its result
#
# Both fusions above write `h_v + h_t` into a temporary and then copy it into the
# concatenation. Write `fuse_into(h_s, h_t, h_v)` that allocates the $(B, 2C, T, H, W)$ result
# once (`torch.empty`) and fills its two halves directly: `out[:, :C].copy_(h_s.expand(...))`
# and `torch.add(h_v, h_t, out=out[:, C:])`. Check it against `spatio_temporal_fusion`, log it
# with `AllocationLog`, and time it against both versions with `Timer` at section 4's size.
# What to look for: the log should show only the result (2 units instead of 3 or 5); does the
# time drop in proportion to the bytes written, or is the time dominated by something else?
# Then try it inside the generator (`g3an_edu.g3.spatio_temporal_fusion` is the function
# `G3Module` calls): does autograd accept writes into slices of a fresh tensor during training,
# and what does the backward pass store?

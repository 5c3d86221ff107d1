# %% [markdown]
# # 01 · Transposed convolutions, from scratch to (1+2)D
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/01_transposed_convolutions.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/01_transposed_convolutions.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# G3AN's generator turns two small noise tensors into a video of shape $(3, T, H, W)$. Every
# step that makes the video *bigger* is a **transposed convolution**: block 1 turns a
# $1\times1\times1$ code into $4\times4\times4$ features, and each later block doubles time,
# height or width.
#
# The paper's video stream does not use one full 3D kernel. It **factorizes** it:
#
# > **The paper's idea.** Replace the 3D transposed convolution of the video stream by a 1D
# > *temporal* transposed convolution followed by a 2D *spatial* one: a transposed (1+2)D
# > convolution, with a non-linearity in between.
#
# $$
# \underbrace{k_t\times k_s\times k_s}_{\text{full 3D}}
# \;\longrightarrow\;
# \underbrace{k_t\times 1\times 1}_{\text{time}} \;\to\; \text{BN, ReLU} \;\to\;
# \underbrace{1\times k_s\times k_s}_{\text{space}} \;\to\; \text{BN, ReLU}
# $$
#
# In this notebook you will
# 1. write a transposed convolution **as scatter-add** and **as the gradient of a convolution**, and check both against PyTorch;
# 2. derive the **output-size formula** $n' = (n-1)\,s - 2p + k$;
# 3. go from 1D to 2D and 3D, and see what even overlap does and does not do against the
#    checkerboard artefact;
# 4. compare **(1+2)D, (2+1)D and full 3D**: parameters, FLOPs, and the extra non-linearity;
# 5. check that the package's `FactorizedTransposedConv3d` computes exactly your derivation.
#
# **Read along:** [arXiv:1912.05523](https://arxiv.org/abs/1912.05523), Section 3 (the
# method): the G3 module's video stream and its transposed (1+2)D convolution, and the
# ablation in the experiments section that compares it with (2+1)D and 3D. The factorization
# mirrors R(2+1)D (Tran et al., 2018) for recognition, with time and space in the other order.
# Transposed convolutions as matrix transposes and their output size follow Dumoulin and
# Visin (2016); the checkerboard section follows Odena et al. (2016).

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
from torch.utils.flop_counter import FlopCounterMode

from g3an_edu import FactorizedTransposedConv3d
from g3an_edu.device import pick_device
from g3an_edu.tier import by_tier, current_tier

torch.manual_seed(0)
plt.rcParams.update({"font.size": 13, "figure.dpi": 80})
device = pick_device(verbose=True)
tier = current_tier()
print("tier:", tier)

# %% [markdown]
# ## 1 · Transposed convolution as scatter-add
#
# A convolution *gathers*: each output is a weighted sum of a window of inputs. A transposed
# convolution *scatters*: each input value stamps a copy of the kernel, scaled by itself, into
# the output, and overlapping stamps add up. With stride $s$, neighbouring inputs stamp $s$
# positions apart:
#
# $$ y[i\,s + j] \mathrel{+}= x[i]\, w[j], \qquad i = 0..n-1,\; j = 0..k-1. $$
#
# With channels, $x$ is $(B, C_{in}, n)$, the kernel $w$ is $(C_{in}, C_{out}, k)$ (PyTorch's
# layout for transposed convs) and each stamp mixes channels: $y[:, :, is+j] \mathrel{+}= x[:, :, i]\, w[:, :, j]$.

# %%
def conv_transpose1d_scatter(x: torch.Tensor, w: torch.Tensor, stride: int = 1,
                             padding: int = 0) -> torch.Tensor:
    """Transposed 1D conv by scatter-add: x (B, C_in, n), w (C_in, C_out, k) -> (B, C_out, n')."""
    b, _, n = x.shape
    _, c_out, k = w.shape
    full = torch.zeros(b, c_out, (n - 1) * stride + k)  # (B, C_out, n' + 2p)
    for i in range(n):
        stamp = torch.einsum("bc,cok->bok", x[:, :, i], w)  # (B, C_out, k)
        full[:, :, i * stride: i * stride + k] += stamp
    return full[:, :, padding: full.shape[-1] - padding]  # crop p from both ends


x = torch.randn(2, 3, 5)
w = torch.randn(3, 4, 4)
for stride, padding in [(1, 0), (2, 1), (3, 2)]:
    ours = conv_transpose1d_scatter(x, w, stride, padding)
    assert_close(ours, F.conv_transpose1d(x, w, stride=stride, padding=padding))
    print(f"stride {stride}, padding {padding}: {tuple(x.shape)} -> {tuple(ours.shape)}  matches F.conv_transpose1d")

# %% [markdown]
# Look at the stamps. Three inputs, a kernel of length 4, stride 2: each input places its
# scaled kernel two steps further right, and where stamps overlap they add.

# %%
x1 = torch.tensor([[[1.0, 2.0, -1.0]]])  # (B=1, C=1, n=3)
w1 = torch.tensor([[[0.5, 1.0, 1.0, 0.5]]])  # (C_in=1, C_out=1, k=4)
fig, ax = plt.subplots(figsize=(11, 3.8))
n_out = (3 - 1) * 2 + 4
bottom_pos, bottom_neg = torch.zeros(n_out), torch.zeros(n_out)
for i, colour in zip(range(3), ["tab:blue", "tab:orange", "tab:green"], strict=True):
    stamp = torch.zeros(n_out)
    stamp[2 * i: 2 * i + 4] = x1[0, 0, i] * w1[0, 0]
    base = torch.where(stamp >= 0, bottom_pos, bottom_neg)
    ax.bar(range(n_out), stamp, bottom=base, color=colour, label=f"x[{i}] = {x1[0, 0, i]:.0f} times w")
    bottom_pos += stamp.clamp(min=0)
    bottom_neg += stamp.clamp(max=0)
y1 = conv_transpose1d_scatter(x1, w1, stride=2)[0, 0]
ax.plot(range(n_out), y1, "k_", markersize=30, markeredgewidth=3, label="sum y")
ax.set(xlabel="output position", ylabel="value", ylim=(-1.5, 3.2),
       title="Transposed conv = overlapping stamps (k=4, s=2)")
ax.legend(fontsize=11, loc="upper left", bbox_to_anchor=(1.01, 1))
plt.tight_layout()
plt.show()
print("y =", [f"{v:.1f}" for v in y1.tolist()])

# %% [markdown]
# ## 2 · Transposed convolution as the gradient of a convolution
#
# Why the name? A convolution $y = \mathrm{conv}(z)$ with stride $s$ is a linear map, a
# matrix $C$ applied to the flattened input. Its **transpose** $C^\top$ maps the *small* side
# back to the *big* side, which is what we want for up-sampling. And $C^\top x$ is exactly
# what backpropagation computes: for $L = \langle \mathrm{conv}(z), x\rangle$,
#
# $$ \frac{\partial L}{\partial z} = C^\top x = \mathrm{conv\_transpose}(x). $$
#
# So we can get a transposed convolution from autograd, in any number of dimensions, with no
# new code: build a dummy input $z$ of the *output's* size, convolve it, and take the gradient.

# %%
def conv_transpose_via_grad(conv, x: torch.Tensor, w: torch.Tensor, out_size: tuple[int, ...],
                            stride, padding) -> torch.Tensor:
    """Transposed conv as the gradient of ``conv`` (F.conv1d/2d/3d): d<conv(z), x>/dz.

    x (B, C_in, *small), w (C_in, C_out, *k) -> (B, C_out, *out_size).
    """
    z = torch.zeros(x.shape[0], w.shape[1], *out_size, requires_grad=True)  # (B, C_out, *big)
    y = conv(z, w, stride=stride, padding=padding)  # (B, C_in, *small): w read as (out, in, k)
    assert y.shape == x.shape, f"conv of the big side gives {tuple(y.shape)}, not {tuple(x.shape)}"
    (grad,) = torch.autograd.grad((y * x).sum(), z)
    return grad


ours = conv_transpose_via_grad(F.conv1d, x, w, (10,), stride=2, padding=1)
assert_close(ours, F.conv_transpose1d(x, w, stride=2, padding=1))
assert_close(ours, conv_transpose1d_scatter(x, w, 2, 1))
print("gradient of conv1d == scatter-add == F.conv_transpose1d:", tuple(ours.shape))

# %% [markdown]
# The matrix view makes this concrete. Below, $C$ is the matrix of a stride-2 convolution
# (length 10 → 5, kernel 4, padding 1); the transposed convolution's matrix, built column by
# column from one-hot inputs, is exactly $C^\top$.

# %%
def matrix_of(linear_fn, n_in: int) -> torch.Tensor:
    """The matrix of a linear map on length-n_in signals: column j = fn(one-hot j)."""
    eye = torch.eye(n_in).unsqueeze(1)  # (n_in, 1, n_in): a batch of one-hot signals
    return linear_fn(eye)[:, 0, :].T  # (n_out, n_in)


k1 = torch.tensor([[[1.0, 2.0, 3.0, 4.0]]])
C = matrix_of(lambda z: F.conv1d(z, k1, stride=2, padding=1), 10)  # (5, 10)
Ct = matrix_of(lambda z: F.conv_transpose1d(z, k1, stride=2, padding=1), 5)  # (10, 5)
assert_close(Ct, C.T)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [2, 1]})
for ax, m, title in [(axes[0], C, "conv (stride 2): $C$, 10 → 5"),
                     (axes[1], Ct, "transposed conv: $C^T$, 5 → 10")]:
    ax.imshow(m, cmap="Blues")
    ax.set(title=title, xlabel="input position", ylabel="output position")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 3 · The output-size formula
#
# From the scatter picture: $n$ inputs stamp $s$ apart, so the last stamp starts at
# $(n-1)\,s$ and ends $k$ later; then $p$ positions are cropped from each end:
#
# $$ n' = (n-1)\,s - 2p + k. $$
#
# (PyTorch's `output_padding` adds up to $s-1$ more at one end; G3AN never uses it.)
# G3AN's two kinds of blocks: $k=4, s=1, p=0$ turns $1 \to 4$ (block 1), and $k=4, s=2, p=1$
# doubles: $n' = 2n - 2 + 4 - 2 = 2n$.

# %%
def transposed_output_size(n: int, k: int, s: int, p: int) -> int:
    """Length after a transposed conv with kernel k, stride s, padding p."""
    return (n - 1) * s - 2 * p + k


cases = [(n, k, s, p) for n in (1, 3, 4, 8) for k in (1, 3, 4) for s in (1, 2, 3) for p in (0, 1)
         if (n - 1) * s - 2 * p + k > 0]
for n, k, s, p in cases:
    got = F.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p)
    assert got.shape[-1] == transposed_output_size(n, k, s, p)
print(f"formula matches PyTorch on {len(cases)} cases")
for n in (1, 4, 8, 16, 32):
    k, s, p = (4, 1, 0) if n == 1 else (4, 2, 1)
    print(f"  n = {n:2d}, k={k}, s={s}, p={p}  ->  n' = {transposed_output_size(n, k, s, p)}")

# %% [markdown]
# ## 4 · From 1D to 2D and 3D
#
# Nothing changes in more dimensions: the kernel is a $k_1 \times k_2 (\times k_3)$ stamp,
# the stride applies per axis, and the size formula holds per axis. The gradient construction
# works unchanged for `F.conv2d` and `F.conv3d`.

# %%
x2, w2 = torch.randn(2, 3, 4, 5), torch.randn(3, 2, 4, 4)  # (B, C_in, H, W), (C_in, C_out, kH, kW)
ours2 = conv_transpose_via_grad(F.conv2d, x2, w2, (8, 10), stride=2, padding=1)
assert_close(ours2, F.conv_transpose2d(x2, w2, stride=2, padding=1))
print("2D:", tuple(x2.shape), "->", tuple(ours2.shape))

x3, w3 = torch.randn(1, 3, 2, 4, 4), torch.randn(3, 2, 4, 4, 4)  # (B, C_in, T, H, W)
ours3 = conv_transpose_via_grad(F.conv3d, x3, w3, (4, 8, 8), stride=2, padding=1)
assert_close(ours3, F.conv_transpose3d(x3, w3, stride=2, padding=1))
print("3D:", tuple(x3.shape), "->", tuple(ours3.shape))

# %% [markdown]
# ### Overlap and the checkerboard artefact
#
# A 2D picture of the overlap. Feed an all-ones $8\times8$ image through a kernel of ones with
# stride 2 and padding 1 and count the stamps each output pixel receives. With $k = 4$ (a
# multiple of the stride) every inner pixel receives the same number; with $k = 3$ some receive
# 1, some 2, some 4. Odena, Dumoulin and Olah (2016, *Deconvolution and Checkerboard
# Artifacts*) call this **uneven overlap**: it prints a checkerboard into the output.

# %%
ones = torch.ones(1, 1, 8, 8)  # (B, C, H, W)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
stamp_counts = {k: F.conv_transpose2d(ones, torch.ones(1, 1, k, k), stride=2, padding=1)[0, 0]
                for k in (4, 3)}
top = max(c.max().item() for c in stamp_counts.values())
for ax, (k, counts) in zip(axes, stamp_counts.items(), strict=True):
    im = ax.imshow(counts, cmap="viridis", vmin=0, vmax=top)  # one colour scale for both
    ax.set(title=f"k={k}, s=2: stamps per pixel", xticks=[], yticks=[])
fig.colorbar(im, ax=axes, fraction=0.046, label="number of stamps")
plt.show()
inner = {k: c[2:-2, 2:-2] for k, c in stamp_counts.items()}  # away from the border
print({k: sorted(set(v.flatten().int().tolist())) for k, v in inner.items()},
      "distinct stamp counts in the interior")

# %% [markdown]
# G3AN uses $k = 4, s = 2$: even overlap. It is tempting to conclude that this *avoids* the
# checkerboard. It does not, in general. Even overlap only means every output pixel receives
# the same **number** of stamps; which kernel **entries** it receives depends on its position
# modulo the stride. A pixel at an even position sums some entries, its neighbour the others.
# So the output of a constant input is flat only if those sums agree, e.g. for a **uniform**
# kernel. A learned kernel is not uniform, and the artefact comes back as a pattern with the
# period of the stride.
#
# The demonstration: the same constant input through a uniform $4\times4$ kernel and through
# a random one with the same mean, on one colour scale, interior only (the border receives
# fewer stamps).

# %%
gen_cb = torch.Generator().manual_seed(0)
uniform = torch.full((1, 1, 4, 4), 1 / 4)  # every inner pixel sums 4 entries: output 1
random_kernel = uniform + 0.1 * torch.randn(1, 1, 4, 4, generator=gen_cb)  # (C_in, C_out, kH, kW)
outputs = {name: F.conv_transpose2d(ones, w_k, stride=2, padding=1)[0, 0, 2:-2, 2:-2]
           for name, w_k in [("uniform kernel", uniform), ("random kernel", random_kernel)]}
lo = min(o.min().item() for o in outputs.values())
hi = max(o.max().item() for o in outputs.values())
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
for ax, (name, out) in zip(axes, outputs.items(), strict=True):
    im = ax.imshow(out, cmap="RdBu_r", vmin=lo, vmax=hi)
    ax.set(title=f"{name}, k=4, s=2", xticks=[], yticks=[])
fig.colorbar(im, ax=axes, fraction=0.046, label="output of an all-ones input")
plt.show()
flat = outputs["uniform kernel"]
pattern = outputs["random kernel"]
assert torch.allclose(flat, torch.ones_like(flat))  # flat
assert torch.equal(pattern[2:, 2:], pattern[:-2, :-2])  # repeats every 2 pixels
assert pattern.std() > 0.05  # and is not flat
print(f"uniform kernel: interior in [{flat.min():.3f}, {flat.max():.3f}]")
print(f"random kernel:  interior in [{pattern.min():.3f}, {pattern.max():.3f}], "
      f"a 2x2 tile repeated: {sorted(round(v, 3) for v in pattern[:2, :2].flatten().tolist())}")

# %% [markdown]
# So for G3AN: $k = 4, s = 2$ removes the *counting* part of the checkerboard, not the
# artefact. Whether the trained generator shows a period-2 pattern depends on what its
# kernels learn; nothing in the architecture forbids it (notebooks 04 and 06 look for it in
# real samples, in space and in time, since the temporal convs have stride 2 as well). The
# remedy Odena et al. propose is to resize (nearest neighbour) and then apply an ordinary
# convolution, which has no phases. Exercise 3 asks you to derive the pattern's values from
# the kernel.

# %% [markdown]
# ## 5 · Factorizing the 3D kernel: (1+2)D, (2+1)D, full 3D
#
# A full 3D transposed conv from $C_{in}$ to $C_{out}$ channels with kernel
# $(k_t, k_s, k_s)$ has $C_{in} C_{out} k_t k_s^2$ weights. The factorized forms go through an
# intermediate of $C_{out}$ channels:
#
# | form | first conv | second conv | weights |
# |---|---|---|---|
# | (1+2)D, G3AN | time $(k_t,1,1)$ | space $(1,k_s,k_s)$ | $C_{in} C_{out} k_t + C_{out}^2 k_s^2$ |
# | (2+1)D | space $(1,k_s,k_s)$ | time $(k_t,1,1)$ | $C_{in} C_{out} k_s^2 + C_{out}^2 k_t$ |
# | 3D | $(k_t,k_s,k_s)$ | | $C_{in} C_{out} k_t k_s^2$ |
#
# Each conv also has a bias and a BatchNorm (weight and bias): $3\,C_{out}$ more parameters per
# conv. Let's check the formulas on the package's blocks at G3AN's block 2 (1024 → 512 channels).

# %%
def params_formula(mode: str, c_in: int, c_out: int, k_s: int, k_t: int) -> int:
    """Trainable parameters of one block: conv weights + (conv bias, BN weight, BN bias) per conv."""
    if mode == "1p2d":
        return c_in * c_out * k_t + c_out * c_out * k_s ** 2 + 2 * 3 * c_out
    if mode == "2p1d":
        return c_in * c_out * k_s ** 2 + c_out * c_out * k_t + 2 * 3 * c_out
    return c_in * c_out * k_t * k_s ** 2 + 3 * c_out


MODES = ("1p2d", "2p1d", "3d")
C_IN, C_OUT = 1024, 512
params = {}
for mode in MODES:
    block = FactorizedTransposedConv3d(C_IN, C_OUT, mode, k_s=4, k_t=4, s_s=2, s_t=2, p_s=1, p_t=1)
    params[mode] = sum(p.numel() for p in block.parameters())
    assert params[mode] == params_formula(mode, C_IN, C_OUT, 4, 4)
    print(f"{mode:>5}: {params[mode]:>12,} parameters  ({params[mode] / params['1p2d']:.2f} x 1p2d)")

# %% [markdown]
# **FLOPs.** In the scatter picture every input element stamps a $C_{out} \times$ kernel
# block, one multiply-add each: $\text{MACs} = N_{in} \cdot C_{in} \cdot C_{out} \cdot
# |k|$, where $N_{in}$ is the number of input positions. The order matters for the factorized
# forms: (1+2)D runs its spatial conv on the **time-upsampled** tensor, (2+1)D its temporal
# conv on the **space-upsampled** one. We count with the formula and check it against
# PyTorch's own `FlopCounterMode` (which counts 2 FLOPs per multiply-add), on block 2's
# input $(1024, 4, 4, 4) \to (512, 8, 8, 8)$.

# %%
def macs_formula(mode: str, c_in: int, c_out: int, t: int, h: int, k_s: int = 4, k_t: int = 4) -> int:
    """Multiply-adds of one block (stride 2, padding 1 in both axes) on a (c_in, t, h, h) input."""
    def conv(n_in, ci, co, kernel):
        return n_in * ci * co * kernel
    if mode == "1p2d":
        return conv(t * h * h, c_in, c_out, k_t) + conv(2 * t * h * h, c_out, c_out, k_s ** 2)
    if mode == "2p1d":
        return conv(t * h * h, c_in, c_out, k_s ** 2) + conv(t * 4 * h * h, c_out, c_out, k_t)
    return conv(t * h * h, c_in, c_out, k_t * k_s ** 2)


T0, H0 = 4, 4
macs = {}
x_block2 = torch.randn(1, C_IN, T0, H0, H0)  # (B, C, T, H, W)
for mode in MODES:
    block = FactorizedTransposedConv3d(C_IN, C_OUT, mode, 4, 4, 2, 2, 1, 1, spectral_norm=False).eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        out = block(x_block2)
    macs[mode] = macs_formula(mode, C_IN, C_OUT, T0, H0)
    assert counter.get_total_flops() == 2 * macs[mode]
    print(f"{mode:>5}: {tuple(x_block2.shape[1:])} -> {tuple(out.shape[1:])}  "
          f"{macs[mode] / 1e9:.3f} G multiply-adds")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
colours = ["tab:blue", "tab:orange", "tab:grey"]
axes[0].bar(MODES, [params[m] / 1e6 for m in MODES], color=colours)
axes[0].set(title="parameters (block 2)", ylabel="millions")
axes[1].bar(MODES, [macs[m] / 1e9 for m in MODES], color=colours)
axes[1].set(title="multiply-adds (block 2, one video)", ylabel="billions")
plt.tight_layout()
plt.show()

# %% [markdown]
# (1+2)D has the fewest parameters and FLOPs of the three here: (2+1)D pays for its temporal
# conv on the $4\times$ larger space-upsampled tensor, and full 3D pays $k_t k_s^2 = 64$
# weights per channel pair.
#
# Does the measured time follow the FLOPs? Measure it (the sizes grow with the tier, up to
# G3AN's block 2 on a GPU). At the fast tier's small sizes, per-layer overheads and memory
# traffic (BatchNorm and ReLU on the larger intermediate) weigh as much as the multiply-adds,
# so the order of (1+2)D and (2+1)D can flip; full 3D stays the slowest. Timings depend on the
# machine, so this output is not compared when the notebook is tested.

# %%
# NBVAL_IGNORE_OUTPUT
# timings depend on the machine and its load
from torch.utils.benchmark import Timer  # repeats until the timing is stable; syncs CUDA

c_in_t, c_out_t = by_tier((128, 64), (512, 256), (1024, 512))
x_t = torch.randn(by_tier(1, 2, 8), c_in_t, 4, 8, 8, device=device)
for mode in MODES:
    block = FactorizedTransposedConv3d(c_in_t, c_out_t, mode, 4, 4, 2, 2, 1, 1).to(device).eval()
    with torch.no_grad():
        seconds = Timer("block(x_t)", globals={"block": block, "x_t": x_t}).blocked_autorange(
            min_run_time=0.3).median
    print(f"{mode:>5}: {seconds * 1e3:7.1f} ms per forward "
          f"({c_in_t}->{c_out_t} channels, input {tuple(x_t.shape)})")

# %% [markdown]
# ### The extra non-linearity
#
# Fewer parameters could mean less power. But (1+2)D also puts **BN + ReLU between** the
# temporal and the spatial conv. Without that ReLU, the two convs would collapse into one
# linear 3D transposed conv, with kernel
#
# $$ W_{3D}[i, o, a, b, c] = \sum_m W_t[i, m, a]\; W_s[m, o, b, c], $$
#
# a full 3D kernel restricted to rank $\le C_{mid}$. Let's verify that collapse numerically
# (no bias, no BN), then see that the ReLU breaks it.

# %%
c_in, c_mid, c_out = 6, 5, 4
w_t = torch.randn(c_in, c_mid, 4, 1, 1)  # (C_in, C_mid, k_t, 1, 1)
w_s = torch.randn(c_mid, c_out, 1, 4, 4)  # (C_mid, C_out, 1, k_s, k_s)
x5 = torch.randn(2, c_in, 3, 5, 5)  # (B, C, T, H, W)


def two_step(x: torch.Tensor, nonlinearity=lambda h: h) -> torch.Tensor:
    h = F.conv_transpose3d(x, w_t, stride=(2, 1, 1), padding=(1, 0, 0))  # (B, C_mid, T', H, W)
    return F.conv_transpose3d(nonlinearity(h), w_s, stride=(1, 2, 2), padding=(0, 1, 1))


w_3d = torch.einsum("ima,mobc->ioabc", w_t[..., 0, 0], w_s[:, :, 0])  # (C_in, C_out, 4, 4, 4)
one_step = F.conv_transpose3d(x5, w_3d, stride=2, padding=1)
assert_close(two_step(x5), one_step)
gap = (two_step(x5, torch.relu) - one_step).abs().max().item()
print("without a non-linearity: (1+2)D == one 3D conv with the product kernel:", tuple(one_step.shape))
print(f"with ReLU in between: max difference to that 3D conv = {gap:.2f}, "
      f"{gap / one_step.abs().max().item():.0%} of its largest output")

# %% [markdown]
# So the factorized block is not just a cheaper 3D conv: it is a deeper one, with one more
# non-linearity between "how things move" and "how things look", at a lower cost.
#
# ## 6 · The package's version computes the same thing
#
# `g3an_edu.FactorizedTransposedConv3d(c_in, c_out, "1p2d", ...)` is time conv → BN → ReLU →
# space conv → BN → ReLU, with spectral norm on each conv. Let's rebuild its forward pass from
# our gradient-based transposed conv and its weights, and compare. (We run it once in training
# mode so that BatchNorm's running statistics are not trivial, then switch to eval mode, where
# BN uses them.)

# %%
block = FactorizedTransposedConv3d(8, 6, "1p2d", k_s=4, k_t=4, s_s=2, s_t=2, p_s=1, p_t=1)
block.train()
with torch.no_grad():
    block(torch.randn(4, 8, 2, 4, 4))  # updates BN running stats and spectral norm's vectors
block.eval()


def batchnorm_eval(h: torch.Tensor, bn: torch.nn.BatchNorm3d) -> torch.Tensor:
    """BN in eval mode: (h - mean) / sqrt(var + eps) * gamma + beta, per channel of (B, C, T, H, W)."""
    shape = (1, -1, 1, 1, 1)
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return (h - bn.running_mean.view(shape)) * scale.view(shape) + bn.bias.view(shape)


def our_1p2d(x: torch.Tensor) -> torch.Tensor:
    """(1+2)D from scratch with the block's weights: (B, C_in, T, H, W) -> (B, C_out, 2T, 2H, 2W)."""
    (time_conv, time_bn, _), (space_conv, space_bn, _) = block.layers
    b, _, t, h, w = x.shape
    c = time_conv.weight.shape[1]
    y = conv_transpose_via_grad(F.conv3d, x, time_conv.weight, (2 * t, h, w), (2, 1, 1), (1, 0, 0))
    y = torch.relu(batchnorm_eval(y + time_conv.bias.view(1, c, 1, 1, 1), time_bn))  # (B, C, 2T, H, W)
    y = conv_transpose_via_grad(F.conv3d, y, space_conv.weight, (2 * t, 2 * h, 2 * w), (1, 2, 2), (0, 1, 1))
    return torch.relu(batchnorm_eval(y + space_conv.bias.view(1, c, 1, 1, 1), space_bn))  # (B, C, 2T, 2H, 2W)


x6 = torch.randn(2, 8, 2, 4, 4)  # (B, C_in, T, H, W)
with torch.no_grad():
    theirs = block(x6)
ours6 = our_1p2d(x6).detach()
assert_close(ours6, theirs)
print("our (1+2)D == FactorizedTransposedConv3d:", tuple(x6.shape), "->", tuple(theirs.shape))

# %% [markdown]
# ## Summary
#
# - A transposed convolution **scatters**: every input stamps the kernel, scaled by itself, $s$
#   positions after its neighbour; overlapping stamps add. It is the **transpose** of a
#   convolution's matrix, which is why autograd computes it as the gradient of a convolution.
# - Output size per axis: $n' = (n-1)\,s - 2p + k$. G3AN uses $k=4, s=1, p=0$ ($1 \to 4$) and
#   $k=4, s=2, p=1$ (doubling). Since $k$ is a multiple of $s$ the overlap is even, but that
#   flattens the output of a constant input only for kernels whose entries sum alike in every
#   phase (a uniform kernel); a learned kernel can still print a period-2 checkerboard.
# - The video stream factorizes $(k_t, k_s, k_s)$ into time $(k_t,1,1)$ then space
#   $(1,k_s,k_s)$: at G3AN's block 2, fewer parameters and FLOPs than (2+1)D or full 3D, and one
#   more non-linearity, so it is not a low-rank 3D conv but a deeper one.
# - `g3an_edu.FactorizedTransposedConv3d` computes exactly the derivation above.
#
# Next: [02 · The G3 module and fusion](02_g3_module_and_fusion.ipynb) puts a spatial, a
# temporal and a video stream side by side.

# %% [markdown]
# ## What could go wrong
#
# - **A mistaken layout of the weight.** `ConvTranspose` weights are $(C_{in}, C_{out}, k\dots)$,
#   a `Conv`'s are $(C_{out}, C_{in}, k\dots)$. Copying weights between the two without
#   transposing the first two axes gives a wrong result (or a shape error when
#   $C_{in} \neq C_{out}$).
# - **Padding means cropping.** In a transposed conv, `padding` removes $p$ positions from each
#   end of the output; it does not add any. `output_padding` is the only thing that adds.
# - **Cropping with `[p:-p]`.** For $p = 0$ this slice is empty (Exercise 2).
# - **Believing that $k$ divisible by $s$ removes the checkerboard.** It removes uneven
#   overlap, not the period-$s$ pattern of a non-uniform kernel (section 4, Exercise 3).
#
# ## Further reading
#
# - Y. Wang et al., *G3AN*, CVPR 2020, [arXiv:1912.05523](https://arxiv.org/abs/1912.05523).
# - V. Dumoulin, F. Visin, *A guide to convolution arithmetic for deep learning*, 2016,
#   [arXiv:1603.07285](https://arxiv.org/abs/1603.07285).
# - A. Odena, V. Dumoulin, C. Olah, *Deconvolution and Checkerboard Artifacts*, Distill, 2016,
#   [doi:10.23915/distill.00003](https://distill.pub/2016/deconv-checkerboard/).
# - D. Tran, H. Wang, L. Torresani, J. Ray, Y. LeCun, M. Paluri, *A Closer Look at
#   Spatiotemporal Convolutions for Action Recognition* (R(2+1)D), CVPR 2018,
#   [arXiv:1711.11248](https://arxiv.org/abs/1711.11248).

# %% [markdown]
# ## Exercises
#
# Write your answer between the markers (or, in the student copy, in place of the
# `raise NotImplementedError` line), then run the cell: the check says whether it is right and,
# if not, what differs.

# %%
from g3an_edu.exercises.nb01 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (predict).** Without running any convolution, predict
#
# - `shape`: the shape of `F.conv_transpose3d(x, w, stride=(1, 2, 2), padding=(1, 1, 1))` for
#   `x` of shape `(2, 8, 5, 7, 9)` and `w` of shape `(8, 3, 3, 4, 4)`;
# - `doubling`: every pair `(k, p)` with $1 \le k \le 8$ and $0 \le p \le 3$ for which a
#   stride-2 transposed conv turns **every** length $n$ into exactly $2n$ (a set of tuples).

# %%
### BEGIN SOLUTION
shape = (2, 3, (5 - 1) * 1 - 2 + 3, (7 - 1) * 2 - 2 + 4, (9 - 1) * 2 - 2 + 4)
doubling = {(k, p) for k in range(1, 9) for p in range(4) if k - 2 * p == 2}  # 2n - 2 - 2p + k = 2n
### END SOLUTION
check_ex1(shape, doubling)

# %% [markdown]
# **Exercise 2 (find the bug).** A colleague wrote this scatter-add transposed conv with
# padding. It agrees with PyTorch on G3AN's doubling blocks ($k = 4$, $s = 2$, $p = 1$), as the
# cell shows. Find the case where it breaks (G3AN has one), then write a fixed version
# `conv_transpose1d_fixed(x, w, stride, padding)` below (still as a scatter-add: no
# `F.conv_transpose1d`, no autograd).

# %%
def conv_transpose1d_buggy(x: torch.Tensor, w: torch.Tensor, stride: int,
                           padding: int) -> torch.Tensor:
    """x (B, C_in, n), w (C_in, C_out, k) -> (B, C_out, n'), by scatter-add."""
    b, _, n = x.shape
    _, c_out, k = w.shape
    full = torch.zeros(b, c_out, (n - 1) * stride + k)  # (B, C_out, n' + 2p)
    for i in range(n):
        full[:, :, i * stride: i * stride + k] += torch.einsum("bc,cok->bok", x[:, :, i], w)
    return full[:, :, padding:-padding]  # crop p from both ends


x_bug, w_bug = torch.randn(2, 3, 5), torch.randn(3, 4, 4)
assert_close(conv_transpose1d_buggy(x_bug, w_bug, 2, 1), F.conv_transpose1d(x_bug, w_bug, stride=2, padding=1))
print("k=4, s=2, p=1: the colleague's version matches F.conv_transpose1d")


# %%
def conv_transpose1d_fixed(x: torch.Tensor, w: torch.Tensor, stride: int,
                           padding: int) -> torch.Tensor:
    ### BEGIN SOLUTION
    b, _, n = x.shape
    _, c_out, k = w.shape
    full = torch.zeros(b, c_out, (n - 1) * stride + k)  # (B, C_out, n' + 2p)
    for i in range(n):
        full[:, :, i * stride: i * stride + k] += torch.einsum("bc,cok->bok", x[:, :, i], w)
    return full[:, :, padding: full.shape[-1] - padding]  # [p:-p] is empty for p = 0
    ### END SOLUTION


check_ex2(conv_transpose1d_fixed)

# %% [markdown]
# **Exercise 3 (explain an observed output).** Section 4 showed that a random $k = 4$ kernel
# with stride 2 turns a constant input into a pattern that repeats every 2 pixels. Explain it
# in 1D: for an all-ones input `x` of shape `(1, 1, n)` and a kernel
# `w = [w0, w1, w2, w3]`, stride 2, padding 1, the output away from its two ends alternates
# between two values. Write `checkerboard_values(w)` returning `(even, odd)`: the value at the
# even output positions $2, 4, \dots$ and at the odd ones $1, 3, \dots$, from the kernel's
# entries (the check forbids running a transposed conv). Then: for which kernels is the
# output flat?

# %%
def checkerboard_values(w: torch.Tensor) -> tuple[float, float]:
    ### BEGIN SOLUTION
    # full position q = 2i + j receives w[j] for every j with the parity of q; padding 1
    # crops one position, so output o is full position o + 1
    even = w[1] + w[3]  # o even -> q odd -> j in {1, 3}
    odd = w[0] + w[2]  # o odd -> q even -> j in {0, 2}
    return even.item(), odd.item()
    ### END SOLUTION


check_ex3(checkerboard_values)

# %% [markdown]
# ### Open experiment: does the shipped generator print a checkerboard?
#
# Load the shipped model (`from g3an_edu.models import load_pretrained`;
# `G, _ = load_pretrained("g3an-tiny")`) and take the spatial transposed conv of block 2's video
# stream, `G.blocks[1].video.layers[1][0]` (a `ConvTranspose3d`, kernel $(1, 4, 4)$, stride
# $(1, 2, 2)$; read its effective weight as `conv.weight` in eval mode). For each pair of
# channels, its $4\times4$ kernel splits into four $2\times2$ phases (`kernel[0::2, 0::2]`,
# `kernel[0::2, 1::2]`, ...). What to look for: how different are the four phase sums, relative
# to their mean, and is that more or less than for a freshly initialised `Generator(ch=16,
# resolution=32)`? Then feed the block a constant input and look at the output's channels: do
# you see a 2-pixel pattern, and does BatchNorm + ReLU hide or keep it? Do the same in time
# with the temporal conv `G.blocks[1].video.layers[0][0]` (a stride-2 pattern in time shows as
# flicker between even and odd frames).

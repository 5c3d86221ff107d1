# %% [markdown]
# # 11 · Full training on a GPU
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/11_training_on_a_gpu.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/11_training_on_a_gpu.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# The paper trains G3AN on 64×64 videos of 16 frames with a generator of width 64; the
# authors' code (`cfg.py`) uses a batch of **96** videos, Adam $2\cdot10^{-4}$,
# $\beta = (0.5, 0.999)$, spread over several GPUs with `DataParallel`. Notebook 06
# trained the same objective with the same code on a CPU, with models a hundred times
# cheaper. This notebook is about the jump to full size:
#
# - the four presets of the one trainer (`tiny`, `cpu`, `colab`, `paper`) side by side, and
#   what `train()` does differently on a GPU (bf16 autocast, `torch.compile`,
#   `channels_last_3d`): all switches of the same code path, none a separate script;
# - **memory**: how much the `paper` preset needs, computed without a GPU (parameters,
#   optimiser state, and the activations autograd keeps, counted on PyTorch's *meta*
#   device, where tensors have shapes but no storage);
# - **time**: the step times recorded so far, per preset and device, and what a run
#   costs, estimated from them (and labelled as estimates);
# - the run itself, interrupted and resumed as a disconnected Colab session would be, with
#   its folder on Google Drive; and several GPUs with `torchrun`.
#
# On a CPU (and in the course's tests) the notebook trains a few steps of the `tiny` preset
# through exactly the code a GPU run takes, and says what the GPU run would do.

# %%
# Setup: on Colab this installs the course package (a minute); locally it does nothing.
NEEDS_GPU = True  # this notebook trains at full size: it stops here without a GPU runtime
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
import inspect
import io
import json
import shutil
import statistics
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch.utils.flop_counter import FlopCounterMode

from g3an_edu import pick_device
from g3an_edu.colab import setup_colab
from g3an_edu.config import RESUMABLE_KEYS, load_config
from g3an_edu.data_source import batch_indices
from g3an_edu.models import build_models, load_generator
from g3an_edu.objective import amp_dtype
from g3an_edu.run_log import read_metrics
from g3an_edu.tier import by_tier, current_tier
from g3an_edu.train import train
from g3an_edu.viz import frame_strip

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
if tier == "fast" and device.type == "cpu":
    torch.set_num_threads(1)  # tiny models on a busy 2-core machine: see notebook 06
RUNS = Path("runs") / "11_training_on_a_gpu"  # git-ignored; on Drive with USE_DRIVE = True
GIB = 2**30
plt.rcParams.update({"font.size": 13})
print("tier:", tier)

# %% [markdown]
# ## 1 · Four presets, one trainer
#
# A preset is a TOML file in `g3an_edu/configs/` listing only what differs from the
# paper's defaults (`TrainConfig`). We read all four, build their models and count the
# parameters. Then we move the models to the **meta device**, where every tensor keeps its
# shape and dtype but has no storage: what we run there later (even the `paper` model on
# a batch) costs no memory and no arithmetic, only bookkeeping of shapes.

# %%
PRESETS = ("tiny", "cpu", "colab", "paper")
configs = {name: load_config(name) for name in PRESETS}


def meta_models(config):
    """``(G, DV, DI)`` of ``config``, built on the CPU, moved to the meta device."""
    return tuple(m.to("meta") for m in build_models(config))


models = {name: meta_models(c) for name, c in configs.items()}
assert next(models["paper"][0].parameters()).device.type == "meta"
params = {}
print(f"{'preset':7s} {'video':>9s} {'ch':>4s} {'batch':>6s} {'steps':>8s} "
      f"{'G':>11s} {'DV':>10s} {'DI':>10s}")
for name, c in configs.items():
    params[name] = [sum(p.numel() for p in m.parameters()) for m in models[name]]
    print(f"{name:7s} {c.resolution:>3d}²×{c.frames:<3d} {c.ch:>4d} {c.batch:>6d} "
          f"{c.steps:>8,d} " + " ".join(f"{n:>10,d}" for n in params[name]))
assert params["paper"][0] == 23_090_437  # the authors' generator at ch=64 (notebook 04)
tiny, paper = configs["tiny"], configs["paper"]
print(f"\npaper / tiny: {paper.resolution**2 // tiny.resolution**2}× the pixels per frame, a "
      f"generator {params['paper'][0] / params['tiny'][0]:.0f}× larger, a batch "
      f"{paper.batch // tiny.batch}× larger, {paper.steps // tiny.steps}× the steps")

# %% [markdown]
# Same architecture, same objective, same `train()`: only the sizes change.
#
# ## 2 · What changes on a GPU, and what does not
#
# Three settings of the config change how a step runs, never what it computes:
#
# | key | default | what `train()` does with it |
# |---|---|---|
# | `amp` | `"auto"` | bf16 autocast for the forward passes on CUDA (losses in fp32); fp32 elsewhere; `"none"` forces fp32, `"bf16"` forces bf16 |
# | `compile` | `false` | wraps $G$, $D_V$, $D_I$ in `torch.compile` (after DDP wrapping) |
# | `channels_last` | `false` | converts $G$, $D_V$ and every real batch to the `channels_last_3d` layout |
#
# Here is the code that reads them, printed from the package itself (nothing else in the
# loop looks at the device):

# %%
for line in inspect.getsource(train).splitlines():
    if any(key in line for key in ("config.compile", "channels_last", "amp_dtype")):
        print(line.strip())
cuda = torch.device("cuda")  # a device object: creating it needs no GPU
for c in (configs["colab"], load_config("colab", {"amp": "none"})):
    print(f"amp={c.amp!r}: on the CPU {amp_dtype(c, torch.device('cpu'))}, "
          f"on CUDA {amp_dtype(c, cuda)}")
assert {"amp", "compile", "channels_last"} <= RESUMABLE_KEYS

# %% [markdown]
# All three are in `RESUMABLE_KEYS`: a run started in fp32 on a CPU can be resumed on a GPU
# with bf16 and `compile = true` (the weights do not depend on them), while changing the
# architecture is refused (notebook 06). What the batch size does is different: it is part
# of the optimisation, so changing it changes the run.
#
# **What each one buys, and what was measured.** bf16 halves the bytes of most activations
# and runs on tensor cores on GPUs that have bf16 ones (compute capability 8.0 and later:
# A100, L4, H100; *not* the T4, which Colab often gives for free: it has no bf16 tensor
# cores, so compare with `--set amp=none` there). `torch.compile` fuses the many small element-wise
# operations (BatchNorm, ReLU, the fusion of the streams) at the price of a compile at the
# start. On a CPU, bf16 depends on the chip: on the course's 2-core AMD CPU it made a step
# 18× *slower*, on a 2-core Intel Xeon with AMX (bf16 matrix units) 1.4× faster at the `cpu`
# preset; a cold compile did not finish within 7 minutes (benchmarks/RESULTS.md, "Training
# speed"), which is why the CPU presets keep both off (`--set amp=bf16` where it pays). **On a GPU none of the three has been measured yet**: no GPU
# has been lent to this project. `tools/paper_run.py` measures fp32, bf16 and bf16 +
# compile side by side (its `speed.json`).
#
# `channels_last` we can check on the CPU: a few steps of `tiny` in both layouts give the
# same losses, up to float rounding (another layout sums in another order).

# %%
layout_runs = {}
for flag in (False, True):
    run = RUNS / f"layout_channels_last_{flag}"
    shutil.rmtree(run, ignore_errors=True)
    c = load_config("tiny", {"channels_last": flag, "sample_every": 0, "log_every": 1})
    train(c, run, steps=3, device="cpu", progress=False)
    layout_runs[flag] = read_metrics(run)["d_loss"]
print("L_D, contiguous     :", [round(x, 4) for x in layout_runs[False]])
print("L_D, channels_last_3d:", [round(x, 4) for x in layout_runs[True]])
assert torch.allclose(torch.tensor(layout_runs[False]), torch.tensor(layout_runs[True]),
                      atol=1e-3)

# %% [markdown]
# ## 3 · Memory: what the `paper` preset needs
#
# GPU memory during training holds two things.
#
# **The training state**, fixed: every parameter in fp32 (4 bytes), its gradient (4), and
# Adam's two moments (8), so 16 bytes per parameter of $G$, $D_V$ and $D_I$, plus the EMA
# copy of $G$ (4 bytes per generator parameter). Exact, from the counts above.

# %%
def state_bytes(n_g: int, n_d: int) -> int:
    """Bytes of weights, gradients, Adam moments (fp32) of G and D, plus the EMA of G."""
    return 16 * (n_g + n_d) + 4 * n_g


for name in PRESETS:
    n_g, n_dv, n_di = params[name]
    print(f"{name:6s} training state: {state_bytes(n_g, n_dv + n_di) / GIB:6.3f} GiB")

# %% [markdown]
# Small: under a gigabyte even for `paper`. The rest is **activations**: every tensor the
# forward pass keeps for the backward pass, proportional to the batch. We count them with
# a `saved_tensors_hooks` pair, which autograd calls for each tensor it saves, on the meta
# device again (no memory is used, so we can count the `paper` model on this CPU). Each
# saved tensor is counted once, and we also count the floating-point operations of the
# forward and backward passes with `FlopCounterMode`, for section 4.
#
# One catch: on the meta device `scaled_dot_product_attention` takes its plain path, which
# stores the $(N, L, L)$ attention score matrices; on a GPU the fused kernel the package
# uses (notebook 03) never stores them. So we count the score matrices (the square 3-D
# tensors) apart and leave them out of the GPU estimate.

# %%
def count_saved(model, inputs) -> dict[str, float]:
    """Run ``model(*inputs)`` forward and backward on the meta device; return the bytes autograd
    saves for backward (``saved``; of which square 3-D score matrices: ``scores``) and the
    FLOPs of both passes (``flops``). Each saved tensor is counted once."""
    kept: dict[int, torch.Tensor] = {}  # id -> tensor

    def pack(x):
        kept[id(x)] = x
        return x

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda x: x):
        with FlopCounterMode(display=False) as flops:
            model(*inputs).float().sum().backward()
    size = lambda x: x.numel() * x.element_size()  # noqa: E731
    return {"saved": sum(size(x) for x in kept.values()),
            "scores": sum(size(x) for x in kept.values()
                          if x.dim() == 3 and x.shape[-1] == x.shape[-2] > 1),
            "flops": flops.get_total_flops()}


def model_inputs(config, g, b: int) -> dict[str, tuple]:
    """Meta inputs of batch ``b`` for G (noise), DV (videos) and DI (frames)."""
    t, r = config.frames, config.resolution
    return {"G": g.sample_noise(b, config.length, device="meta"),
            "DV": (torch.empty(b, 3, t, r, r, device="meta"),),
            "DI": (torch.empty(b, 3, r, r, device="meta"),)}


def count_per_video(config, g, dv, di) -> dict[str, dict[str, float]]:
    """For G, DV and DI: what grows with the batch (per video, the difference between
    batch 2 and batch 1) and what does not (``fixed_saved``: e.g. the normalised weights
    spectral norm saves, or the FLOPs of its power iteration)."""
    nets = {"G": g, "DV": dv, "DI": di}
    one, two = model_inputs(config, g, 1), model_inputs(config, g, 2)
    out = {}
    for name, net in nets.items():
        c1, c2 = count_saved(net, one[name]), count_saved(net, two[name])
        out[name] = {key: c2[key] - c1[key] for key in c1}
        out[name] |= {f"fixed_{key}": c1[key] - out[name][key] for key in c1}
    return out


per_video = {name: count_per_video(c, *models[name]) for name, c in configs.items()}
print(f"{'preset':6s}" + "".join(f" {m + ' MiB/video':>15s}" for m in ("G", "DV", "DI"))
      + f" {'G scores MiB':>13s} {'G fixed MiB':>12s}")
for name in PRESETS:
    row = per_video[name]
    print(f"{name:6s}" + "".join(f" {row[m]['saved'] / 2**20:15.2f}" for m in ("G", "DV", "DI"))
          + f" {row['G']['scores'] / 2**20:13.2f} {row['G']['fixed_saved'] / 2**20:12.2f}")
# score matrices depend on the number of positions, not on the width: a check that the
# square tensors found are the scores
assert per_video["tiny"]["G"]["scores"] == per_video["cpu"]["G"]["scores"] > 0
assert per_video["colab"]["G"]["scores"] == per_video["paper"]["G"]["scores"]

# %% [markdown]
# "Per video" assumes the counts grow linearly with the batch: a fixed part plus the same
# amount for every video. A check at batch 3 for the `tiny` models:

# %%
three = model_inputs(configs["tiny"], models["tiny"][0], 3)
for name, net in zip(("G", "DV", "DI"), models["tiny"], strict=True):
    row = per_video["tiny"][name]
    counted = count_saved(net, three[name])
    for key in ("saved", "scores", "flops"):
        assert counted[key] == row[f"fixed_{key}"] + 3 * row[key], (name, key)
print("batch 3 = fixed + 3 × per video, for G, DV and DI ✓")

# %% [markdown]
# **The peak of a step.** In `train_step` the fake batch $G(z)$ stays attached to $G$'s
# graph through the whole step, while the discriminator step runs $D_V$ and $D_I$ on
# $2B$ videos (real and fake) and frees their graph before the generator step (which needs
# them on only $B$). So the activations peak at about
# $B\cdot G + 2B\cdot(D_V + D_I)$, in fp32. This is an **estimate from counting**: it leaves
# out temporary buffers inside operations, cuDNN workspaces and the allocator's
# fragmentation (real peaks are typically somewhat higher), and bf16 autocast stores many
# of these tensors in 2 bytes instead of 4 (lower). Only a run measures it:
# `torch.cuda.max_memory_allocated()` (section 5 prints it when it runs on a GPU).

# %%
def peak_estimate_bytes(name: str, batch: int | None = None) -> dict[str, float]:
    """Estimated fp32 peak of a training step of preset ``name`` (GPU attention: no scores)."""
    batch = batch or configs[name].batch
    row = per_video[name]
    act = lambda m, b: (row[m]["fixed_saved"] - row[m]["fixed_scores"]  # noqa: E731
                        + b * (row[m]["saved"] - row[m]["scores"]))
    activations = act("G", batch) + act("DV", 2 * batch) + act("DI", 2 * batch)
    n_g, n_dv, n_di = params[name]
    state = state_bytes(n_g, n_dv + n_di)
    return {"state": state, "activations": activations, "total": state + activations}


estimates = {name: peak_estimate_bytes(name) for name in PRESETS}
print(f"{'preset':6s} {'batch':>5s} {'state GiB':>10s} {'activations GiB':>16s} {'total GiB':>10s}")
for name, e in estimates.items():
    print(f"{name:6s} {configs[name].batch:>5d} {e['state'] / GIB:>10.2f} "
          f"{e['activations'] / GIB:>16.2f} {e['total'] / GIB:>10.2f}")
paper_scores = configs["paper"].batch * per_video["paper"]["G"]["scores"]
print(f"\npaper with the attention scores stored (the authors' F-SA, or SDPA's plain path): "
      f"+{paper_scores / GIB:.1f} GiB")

# %% [markdown]
# How to read it (the numbers above are computed, not measured):
#
# - The `colab` preset's estimate is meant to sit inside a 16 GB T4 with room for what the
#   count leaves out; if a real run says `CUDA out of memory`, lower the batch
#   (`--set batch=16`) and expect a slightly different run.
# - The `paper` preset at batch 96 is far beyond one 16 GB card: by this estimate it needs
#   one large GPU (an 80 GB A100 or H100) or several. bf16 autocast (the default on CUDA)
#   lowers it, by how much is not measured. Under `torchrun` each of $N$ GPUs holds the
#   whole training state but only $B/N$ videos' activations (section 7).
# - Storing the attention scores, as the authors' code did, would add the last line above:
#   one reason they needed several GPUs, and why the package's F-SA uses the fused kernel.
#
# ## 4 · Step times recorded so far, and what a run costs
#
# The package ships the step times measured on real runs (`g3an_edu/assets/
# step_times.json`, transcribed from `benchmarks/RESULTS.md`, with the device, the load of
# the machine and the source of each). Where nothing ran, it says so.

# %%
recorded = json.loads(resources.files("g3an_edu").joinpath("assets", "step_times.json")
                      .read_text())["runs"]
print(f"{'preset':6s} {'device':44s} {'amp':5s} {'s/step':>7s} {'peak GB':>8s}  when, load")
for r in recorded:
    sec = f"{r['sec_per_step']:.3f}" if r["sec_per_step"] is not None else "—"
    mem = f"{r['peak_memory_gb']:.2f}" if r["peak_memory_gb"] is not None else "—"
    when = f"{r['date']}, {r['load']}" if r["date"] else r["source"]
    print(f"{r['preset']:6s} {r['device'][:44]:44s} {r['amp']:5s} {sec:>7s} {mem:>8s}  {when}")
assert all(r["sec_per_step"] is None for r in recorded if "GPU" in r["device"])

# %% [markdown]
# Every GPU row reads "not measured yet". What we *can* do is estimate.
#
# **FLOPs per step** (counted above): $G$ forward and backward on $B$ videos, $D_V$ and $D_I$
# forward and backward on $2B$ videos in the discriminator step and $B$ more in the
# generator step. Scaling the `cpu` preset's measured seconds per step by the ratio of
# FLOPs gives a first **estimate** of the larger presets on the same CPU. It assumes the CPU
# does every FLOP at the same rate, which it does not (larger convolutions use it better),
# so read it as an order of magnitude.

# %%
def flops_per_step(name: str) -> float:
    """FLOPs of one training step of preset ``name`` (forward + backward, all three nets)."""
    row, b = per_video[name], configs[name].batch
    g = row["G"]["fixed_flops"] + b * row["G"]["flops"]
    d = sum(2 * row[m]["fixed_flops"] + 3 * b * row[m]["flops"] for m in ("DV", "DI"))
    return g + d  # D runs twice per step: the D step (2B videos), the G step (B)


def hours(sec_per_step: float, steps: int) -> float:
    """Wall-clock hours of ``steps`` steps at ``sec_per_step``."""
    return sec_per_step * steps / 3600


quiet_cpu = next(r for r in recorded if r["preset"] == "cpu" and "quiet" in (r["load"] or ""))
cpu_rate = flops_per_step("cpu") / quiet_cpu["sec_per_step"]  # FLOP/s the CPU achieved
print(f"the `cpu` preset on the 2-core CPU: {flops_per_step('cpu') / 1e12:.2f} TFLOP per step "
      f"in {quiet_cpu['sec_per_step']} s = {cpu_rate / 1e9:.0f} GFLOP/s achieved\n")
print(f"{'preset':6s} {'TFLOP/step':>11s} {'s/step (2-core CPU)':>22s} {'full run':>22s}")
for name in PRESETS:
    measured = [r["sec_per_step"] for r in recorded if r["preset"] == name
                and "quiet" in (r["load"] or "")]
    sec = measured[0] if measured else flops_per_step(name) / cpu_rate
    label = "measured" if measured else "estimate"
    run_h = hours(sec, configs[name].steps)
    print(f"{name:6s} {flops_per_step(name) / 1e12:>11.3f} {sec:>12.2f} ({label}) "
          f"{run_h:>10.1f} h = {run_h / 24:5.1f} days")

# %% [markdown]
# The `paper` run would take years on this CPU: that is the whole reason for this
# notebook. On a GPU the same FLOPs run orders of magnitude faster, but how many orders
# depends on the card, the precision and how well the small convolutions of this model use
# it, so we do not guess a number: **measure it** on the first steps of your own run, then
# multiply. Section 5 does exactly that, on whatever device runs this notebook.
#
# ## 5 · The run: interrupted and resumed, as on Colab
#
# The tier picks the preset: `tiny` for a few steps in the `fast` tier (the tests), `cpu`
# on a laptop, and on a GPU `paper` when the card has at least 70 GB of memory (the
# estimate above, with room to spare) and `colab` otherwise. The run goes in two calls,
# the first stopping halfway, as a Colab session that disconnects would. Every call of
# `train()` with the same folder resumes from its newest checkpoint.

# %%
gpu_memory_gib = (torch.cuda.get_device_properties(0).total_memory / GIB
                  if device.type == "cuda" else 0.0)
gpu_preset = "paper" if gpu_memory_gib >= 70 else "colab"
PRESET, STEPS = by_tier(("tiny", 12), ("cpu", 1000), (gpu_preset, 4000))
run_config = load_config(PRESET, {"log_every": by_tier(2, 20, 50),
                                  "sample_every": by_tier(6, 250, 1000),
                                  "checkpoint_every": by_tier(6, 250, 1000)})
run_dir = RUNS / f"{PRESET}_{tier}"
if tier == "fast":
    shutil.rmtree(run_dir, ignore_errors=True)
print(f"preset {PRESET!r}: {run_config.resolution}²×{run_config.frames} videos, "
      f"ch={run_config.ch}, batch {run_config.batch}, amp on this device: "
      f"{amp_dtype(run_config, device)}; {STEPS} steps of its {run_config.steps:,d} -> {run_dir}")

# %%
# NBVAL_IGNORE_OUTPUT
# Progress bars and timings.
if device.type == "cuda":
    torch.cuda.reset_peak_memory_stats()
first = train(run_config, run_dir, steps=STEPS // 2, device=device.type)  # "disconnects"
second = train(run_config, run_dir, steps=STEPS, device=device.type)  # resumes from STEPS/2
if device.type == "cuda":
    print(f"peak GPU memory allocated: {torch.cuda.max_memory_allocated() / GIB:.2f} GiB "
          f"(estimate for batch {run_config.batch}: "
          f"{peak_estimate_bytes(PRESET)['total'] / GIB:.2f} GiB, fp32)")

# %%
assert first.step >= STEPS // 2 and second.step >= STEPS and not second.interrupted
logged = read_metrics(run_dir)
assert logged["step"] == sorted(set(logged["step"]))  # each step logged once across the stop
print(f"two calls, one run: steps logged {logged['step'][0]} … {logged['step'][-1]}, "
      f"{len(logged['step'])} lines, none twice")

# %% [markdown]
# **What this run costs**, from its own measured step time: the first logged line includes
# the warm-up (and, with `compile = true`, the compile), so we take the median of the others.
# Printed, not quoted: it depends on the machine and its load.

# %%
# NBVAL_IGNORE_OUTPUT
# Timings of this machine.
sec = statistics.median(logged["sec_per_step"][1:])
where = torch.cuda.get_device_name(0) if device.type == "cuda" else "this CPU"
print(f"measured on {where}: {sec:.3f} s/step for {PRESET!r} at batch {run_config.batch}")
print(f"estimate for the preset's full {run_config.steps:,d} steps: "
      f"{hours(sec, run_config.steps):.1f} h")

# %% [markdown]
# The fixed-noise samples of the EMA generator, at the last step. In the `fast` tier, a
# dozen steps of `tiny` draw coloured blobs (notebook 06 says what to expect when); on a GPU at
# 4000 steps of `colab` or `paper`, look for figures.

# %%
g_ema, _ = load_generator(run_dir, ema=True, device=device)
noise = g_ema.sample_noise(3, run_config.length, generator=torch.Generator().manual_seed(0),
                           device=device)
with torch.no_grad():
    shown = g_ema(*noise).float().cpu()  # (3, 3, T, R, R)
fig = frame_strip(shown, frames=8, cell=1.1)
fig.suptitle(f"EMA generator after {second.step} steps of '{PRESET}'", y=1.0)
plt.show()

# %% [markdown]
# ## 6 · On Colab: a GPU runtime, Drive, and a session that disconnects
#
# **A GPU runtime.** This notebook's setup cell has `NEEDS_GPU = True` (the course lists it
# in `gpu-notebooks` in `pyproject.toml`). On Colab without a GPU, `setup_colab` stops it
# with the fix; outside Colab the setup cell does nothing, so on your CPU the notebook runs
# the fast path above. Here is that check, called directly:

# %%
# NBVAL_IGNORE_OUTPUT
# Says what this machine has: differs between machines.
report = io.StringIO()
try:
    setup_colab(needs_gpu=True, out=report)
    print(report.getvalue().splitlines()[0])
except RuntimeError as err:
    print("RuntimeError:", err)

# %% [markdown]
# **Drive.** Colab recycles a runtime after a while (and sooner when idle), and everything
# in `/content` goes with it. Set `USE_DRIVE = True` in the setup cell: it mounts your
# Google Drive and works in `MyDrive/g3an-edu`, so `runs/11_training_on_a_gpu/` (the
# checkpoints, `metrics.jsonl`, the sample GIFs) is on the Drive.
#
# **After a disconnect**: reconnect, pick a GPU runtime again, and run all cells. The
# setup cell mounts the Drive again, and the training cell finds the newest checkpoint and
# continues from it (`resuming from …`), as the second call above did. You lose at most the
# steps since the last checkpoint (`checkpoint_every`: 2000 for `colab` and `paper`; lower
# it with `--set checkpoint_every=500` if your sessions are short). From a terminal the
# same is one command, re-run as often as needed:
#
# ```bash
# g3an-edu train --config colab --out /content/drive/MyDrive/g3an-edu/runs/colab
# ```
#
# **Exact?** On a CPU, resuming is exact bit for bit (notebook 06 checks it). On a GPU some
# kernels (cuDNN's convolution backward, atomics in reductions) add in a different order
# from run to run, so a resumed GPU run is the same run statistically, not bit for bit.
#
# ## 7 · Several GPUs: `torchrun`
#
# ```bash
# torchrun --nproc_per_node=4 -m g3an_edu train --config paper --out runs/paper
# ```
#
# Each of the 4 processes trains a `DistributedDataParallel` copy of $G$, $D_V$, $D_I$ on
# $96 / 4 = 24$ videos; gradients are averaged, so the update is that of batch 96. The
# data of step $s$ is the same global batch as in one process, split by rank:

# %%
step, batch, n, seed = 7, 96, 50_000, 0
one_process = batch_indices(step, batch, n, seed)
ranks = [batch_indices(step, batch, n, seed, rank=r, world=4) for r in range(4)]
assert sum(ranks, []) == one_process and all(len(r) == 24 for r in ranks)
print("4 ranks × 24 videos = the single process's batch of 96, in the same order ✓")
try:
    batch_indices(step, batch, n, seed, rank=0, world=5)
except ValueError as err:
    print("world 5:", err)

# %% [markdown]
# `tests/test_ddp.py` runs two such processes on the CPU (the `gloo` backend) and checks
# that both end with identical weights and that the step wrote its checkpoint; on GPUs the
# trainer picks `nccl`. Only rank 0 writes logs, samples and checkpoints, and the loop
# all-reduces the losses only at logging and checkpoint steps, so the processes do not wait
# for each other on every step. $G$'s BatchNorm normalises each process's videos with their
# own batch statistics; DDP broadcasts rank 0's running statistics at each forward.
#
# ## What could go wrong
#
# - **`CUDA out of memory`** at the first step: the batch is too large for the card.
#   Lower `batch` (or use more GPUs); `amp = "bf16"` helps on cards with bf16 support.
# - **The first steps are slow**: `torch.compile` compiles on the first step (minutes), and
#   cuDNN picks its algorithms; judge the speed after the first logged line (section 5).
# - **NaN losses** in bf16: the trainer stops with advice and keeps the last good
#   checkpoint; resume with `--set amp=none` (a resumable key).
# - **The run restarted from 0 on Colab**: the folder was in `/content`, not on Drive, or
#   the `--out` folder differs from the first session's.
#
# ## Summary
#
# - One trainer, four presets; `amp`, `compile` and `channels_last` change how a step runs,
#   not what it computes, and may change when resuming.
# - Memory = training state (16 bytes per parameter + 4 per generator parameter for the EMA:
#   under 1 GiB even for `paper`) + activations ∝ batch, counted on the meta device with
#   `saved_tensors_hooks`; the peak of a step is about $B\cdot G + 2B\cdot(D_V + D_I)$.
#   Estimates, to be checked with `torch.cuda.max_memory_allocated()`.
# - Step times: recorded ones are CPU only; every GPU row is "not measured yet". Estimate a
#   run's cost from your own first steps (median, without the warm-up line) × steps.
# - Colab: a GPU runtime (the setup cell checks), the run folder on Drive, and re-running
#   the same cell resumes. Several GPUs: `torchrun`, batch split by rank.
#
# ## Exercises
#
# Each exercise checks your answer with `g3an_edu.exercises.nb11` and tells you what
# differs.

# %%
from g3an_edu.exercises.nb11 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1.** Write `training_state_bytes(n_g, n_d)`: the bytes of the fixed training
# state for a generator with `n_g` parameters and discriminators with `n_d` in all, trained
# in fp32 with Adam and an EMA copy of the generator, as the trainer does. (Everything the
# optimiser needs counts; activations do not.)

# %%
def training_state_bytes(n_g, n_d):
    ### BEGIN SOLUTION
    return 4 * (n_g + n_d) * (1 + 1 + 2) + 4 * n_g  # weight, gradient, 2 Adam moments; EMA
    ### END SOLUTION


check_ex1(training_state_bytes)

# %% [markdown]
# **Exercise 2.** You have `world` GPUs of `gpu_bytes` each. Every GPU holds the whole
# training state (`state_bytes`) and the activations of its share of the batch,
# `per_video_bytes` per video. Write `largest_global_batch(gpu_bytes, state_bytes,
# per_video_bytes, world)`: the largest global batch that fits (each GPU gets the same
# number of videos).

# %%
def largest_global_batch(gpu_bytes, state_bytes, per_video_bytes, world):
    ### BEGIN SOLUTION
    return world * int((gpu_bytes - state_bytes) // per_video_bytes)
    ### END SOLUTION


check_ex2(largest_global_batch)

# %% [markdown]
# **Exercise 3.** A run's `metrics.jsonl` was read with `read_metrics` into `metrics` (a
# dict of lists: `"step"`, `"sec_per_step"`, …); its first line includes the compile time.
# Write `hours_left(metrics, target_step)`: the estimated hours until `target_step`, at the
# median seconds per step of all lines but the first.

# %%
def hours_left(metrics, target_step):
    ### BEGIN SOLUTION
    sec = statistics.median(metrics["sec_per_step"][1:])
    return sec * (target_step - metrics["step"][-1]) / 3600
    ### END SOLUTION


check_ex3(hours_left)

# %% [markdown]
# **Open experiment (on a GPU).** Run the recipe's speed measurement on your card:
#
# ```bash
# python tools/paper_run.py --config colab --steps 2000 --out runs/colab-speed
# ```
#
# and read `speed.json`: steps per second of fp32, bf16 and bf16 + `torch.compile`, measured
# side by side. What to look for: does bf16 help on your card (on a T4 it may not: no bf16
# tensor cores)? How much does compile add on top, and how many steps does its compile time
# take to pay back? Then compare `torch.cuda.max_memory_allocated()` with this notebook's
# estimate for the same batch: how far off is the count, and in which direction? If you
# measured numbers, they belong in `benchmarks/RESULTS.md` and
# `g3an_edu/assets/step_times.json`, with the device named.

# %% [markdown]
# # 00 · A tour of G3AN and of this course
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/00_tour.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/00_tour.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# **G3AN** (Wang, Bilinski, Bremond, Dantcheva, *G3AN: Disentangling Appearance and Motion for
# Video Generation*, CVPR 2020) is a GAN that generates short videos from two kinds of noise:
#
# - $z_a \in \mathbb{R}^{128}$, **appearance**: one vector per video (who, what it looks like);
# - $z_m \in \mathbb{R}^{10 \times L}$, **motion**: a short sequence (how it moves).
#
# $$ G(z_a, z_m) = \text{video} \in [-1, 1]^{3 \times T \times H \times W}, \qquad T = 4(L+3). $$
#
# > **The paper's idea.** Build the separation into the generator: three streams side by side.
# > A *spatial* stream sees only $z_a$ and only space, a *temporal* stream sees only $z_m$ and
# > only time, and a *video* stream combines both at every level. Keep $z_a$ and change $z_m$:
# > the same person does something else. Keep $z_m$ and change $z_a$: someone else does the
# > same thing.
#
# In this course you build every piece of G3AN yourself, check it against a small PyTorch
# package (`g3an_edu`), train it, and take apart what it learned. This first notebook checks
# your environment, gives you the map, and shows you the data.
#
# **Read along:** the paper is [arXiv:1912.05523](https://arxiv.org/abs/1912.05523). This
# notebook follows its abstract and introduction (the three streams, the two noises) and its
# method section's overview figure of the generator; the data sets are those of its
# experiments section. The authors' code is public (MIT licence); where the course departs
# from it, the notebooks say so.

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

# %% [markdown]
# ## 1 · Your environment
#
# Before anything else: `g3an-edu doctor` (here called from Python) prints the versions, the
# device and why it was chosen, and runs a tiny generator. If it says **NOT READY**, it also
# says how to fix it. Paste its output into any question you ask about the course.

# %%
# NBVAL_IGNORE_OUTPUT
# versions, paths and the device differ from machine to machine
from g3an_edu.commands.doctor import run_doctor

assert run_doctor() == 0

# %%
import matplotlib.pyplot as plt
import torch
from torch.testing import assert_close

from g3an_edu import Generator, frames_for_length
from g3an_edu.device import pick_device
from g3an_edu.diagrams import plot_three_streams
from g3an_edu.tier import by_tier, current_tier

torch.manual_seed(0)
plt.rcParams.update({"font.size": 13, "figure.dpi": 80})
device = pick_device(verbose=True)
tier = current_tier()
print("tier:", tier)

# %% [markdown]
# **Tiers.** One switch sets how big everything runs: the environment variable `G3AN_TIER`.
#
# | tier | for | what changes |
# |---|---|---|
# | `fast` | the test suite and CI (2 CPU cores) | every notebook runs in under 2 minutes; training runs are demos |
# | `laptop` | a student without a GPU | real learning in minutes to an hour |
# | `gpu` | a CUDA GPU (Colab or better) | the paper's sizes |
#
# Unset, it is `gpu` when CUDA is available and `laptop` otherwise. Notebooks pick their sizes
# with `by_tier(fast, laptop, gpu)`:

# %%
print(f"tier {tier!r}: by_tier('small', 'medium', 'large') -> {by_tier('small', 'medium', 'large')!r}")

# %% [markdown]
# ## 2 · The architecture in one picture
#
# Five **G3 modules** up-sample the noise to a $16 \times 64 \times 64$ video. In each, the
# spatial stream (blue) grows a single frame, the temporal stream (red) grows a single pixel's
# time series, and the video stream (green) grows the video with factorized (1+2)D transposed
# convolutions and receives both pure streams (**fusion**). Factorized self-attention (F-SA)
# sits on the video stream after block 4. Two discriminators judge the result: one sees whole
# videos, one sees single frames.

# %%
fig = plot_three_streams()
plt.show()

# %% [markdown]
# The package's generator, untrained, already has the right interface. A longer $z_m$ gives
# a longer video, $T = 4(L+3)$ frames:

# %%
G = Generator(ch=by_tier(8, 32, 64)).to(device).eval()
for length in (1, 2, 3):
    z_a, z_m = G.sample_noise(2, length, device=device)
    with torch.no_grad():
        video = G(z_a, z_m)
    assert video.shape[2] == frames_for_length(length)
    print(f"z_a {tuple(z_a.shape)}, z_m {tuple(z_m.shape)} -> video {tuple(video.shape)}")
print("untrained, every value is close to 0 (a grey video):", bool(video.abs().max() < 0.1))

# %% [markdown]
# ## 3 · The course map
#
# | notebook | you build | and check |
# |---|---|---|
# | **00 · Tour** (this one) | your environment, the map, a look at the data | the generator's interface |
# | **01 · Transposed convolutions** | transposed conv as scatter-add and as a gradient; 1D/2D/3D; (1+2)D vs (2+1)D vs 3D | output sizes, parameters, FLOPs, `FactorizedTransposedConv3d` |
# | **02 · The G3 module and fusion** | the three streams, replication (`expand` vs `repeat`), fusion | "no time in $h_s$, no space in $h_t$", `G3Module` |
# | **03 · Factorized self-attention** | self-attention from scratch, temporal then spatial | cost, equivariance, `FactorizedSelfAttention` |
# | **04 · The generator** | five G3 modules stacked | parameter count against the paper, variable length |
# | **05 · The discriminators** | the video and the image discriminator, spectral normalisation | power iteration against `torch.nn.utils` |
# | **06 · Training** | the GAN objective, one step by hand, the EMA of G, a training run | `train_step`, exact resume |
# | **07 · Evaluation** | an oracle for the known factors, Fréchet distances of frames and videos | the real data's floor and their spread |
# | **08 · Measuring disentanglement** | the swap test, variance shares with intervals, the washed-out frame | real data's values, the shipped G3AN vs MoCoGAN |
# | *Part 2* | | |
# | **09 · What makes it disentangle** | the disentanglement study: variants, seeds, curves; interpolation in $z_a$ and $z_m$ | verdicts computed from the study's runs |
# | **10 · G3AN against MoCoGAN** | MoCoGAN's generator step by step | equal to `g3an_edu.baselines`; the paper's claims over seeds |
# | **11 · Training on a GPU** | the same trainer at the `colab` and `paper` presets, memory and time, Colab with Drive, `torchrun` | the same code path on a CPU |
# | **12 · Playground** | sliders for the codes, the length, the model, swaps; find the $z_a$ of a chosen look | in JupyterLab, on Colab, and in a browser test |
# | **13 · Your own videos** | `VideoFolder` on clips you write, sampling pitfalls, a short training | evaluation without labels |
#
# Each notebook follows the same rhythm: **explain → code → check**. You derive a component
# from first principles, then check that the package's version gives the same output for the
# same weights, so notebook and library never drift apart. Each ends with exercises whose
# answers are checked automatically.

# %% [markdown]
# ## 4 · The data: synthetic actions with known factors
#
# The paper trains on real video sets: MUG (facial expressions), UvA-NEMO (smiles), Weizmann
# (ten actions by nine people) and UCF101 (101 sports and everyday actions). None of them can be
# downloaded without a licence agreement or a large transfer, so the course uses a
# **synthetic** set in the spirit of Weizmann: rendered figures doing ten actions,
# where every video's appearance (colours, body, background) and motion (action, speed, phase,
# direction) are **known**. That lets us later *measure* disentanglement instead of eyeballing
# it. Items are drawn on demand from a seed, so nothing has to be downloaded.

# %%
from g3an_edu.data import SyntheticActions

ds = SyntheticActions(size=64, frames=16, seed=0)
batch = ds.batch(range(4))
videos = batch["video"]  # (B, 3, T, H, W) in [-1, 1]
print(f"video {tuple(videos.shape)}, values in [{videos.min().item():.0f}, {videos.max().item():.0f}]")
print("actions:", [ds.ACTIONS[a] for a in batch["action"].tolist()])


# %%
def show_strips(videos: torch.Tensor, labels: list[str], n_frames: int = 8, title: str = "") -> None:
    """Frame strips, big enough to project: one row per video (B, 3, T, H, W) in [-1, 1]: n_frames evenly spaced frames."""
    b, _, t, _, _ = videos.shape
    steps = torch.linspace(0, t - 1, n_frames).round().long().tolist()
    fig, axes = plt.subplots(b, n_frames, figsize=(1.7 * n_frames, 1.8 * b), squeeze=False)
    for i in range(b):
        for j, step in enumerate(steps):
            frame = ((videos[i, :, step] + 1) / 2).permute(1, 2, 0).clamp(0, 1)  # (H, W, 3)
            axes[i, j].imshow(frame.cpu())
            axes[i, j].set(xticks=[], yticks=[])
            if i == 0:
                axes[i, j].set_title(f"t = {step}", fontsize=12)
        axes[i, 0].set_ylabel(labels[i], fontsize=12)
    fig.suptitle(title)
    plt.tight_layout()
    plt.show()


show_strips(videos, [ds.ACTIONS[a] for a in batch["action"].tolist()], title="Four training videos")

# %% [markdown]
# And moving (`g3an_edu.viz.show_videos` plays a batch inline as a looping GIF):

# %%
# NBVAL_IGNORE_OUTPUT
# an animation: the strips above are the output the tests compare
from g3an_edu import viz

viz.show_videos(videos, ncol=4, scale=2)

# %% [markdown]
# Because the factors are known, we can draw **any appearance with any motion**. This is
# exactly what G3AN should learn to do with $z_a$ and $z_m$:

# %%
appearance, motion = ds.factors([0, 1, 2, 3])
same_look = ds.render(appearance[[0, 0, 0]], motion[[0, 1, 2]])  # (3, 3, T, H, W)
names = [ds.ACTIONS[a] for a in motion.action.tolist()]
show_strips(same_look, names[:3], title="Same appearance, three motions (like fixing $z_a$)")

# %%
same_motion = ds.render(appearance[[0, 1, 2]], motion[[3, 3, 3]])  # (3, 3, T, H, W)
show_strips(same_motion, [f"look {i}" for i in range(3)],
            title=f"Same motion ({names[3]}), three appearances (like fixing $z_m$)")

# %% [markdown]
# ## 5 · The end result: a G3AN trained on this data
#
# The course ships three small trained generators, found by name: **`g3an-tiny`** (the paper's
# architecture at 32×32, `ch = 16`) and **`mocogan-tiny`** (the baseline of notebooks 08 and 10, same
# size), each trained for 7000 steps on a 2-core CPU, and **`g3an-tiny-style-pairs`**, a
# departure from the paper found by the course's study (below). `models.json` next to them records the
# exact command, the seed, the training time and the machine (g3an-tiny: about 1 s per step,
# under two hours alone on the two cores; its recorded 138 min include a stretch where it
# shared them with the MoCoGAN run), and every load checks the file's SHA-256 (a damaged
# file is refused). On the command line:
# `g3an-edu sample --checkpoint g3an-tiny --out samples.gif`.

# %%
from g3an_edu.models import load_pretrained
from g3an_edu.pretrained import shipped_models

G_trained, trained_config = load_pretrained("g3an-tiny", device=device)
record = shipped_models()["g3an-tiny"]
print(f"g3an-tiny: {trained_config.resolution}x{trained_config.resolution}x{trained_config.frames}, "
      f"ch={trained_config.ch}, step {record['step']}, {record['train_seconds'] / 60:.0f} min of training")
print("command:", record["command"])

# %%
noise = torch.Generator().manual_seed(0)
z_a, z_m = G_trained.sample_noise(4, 1, generator=noise)  # drawn on the CPU: same on any device
with torch.no_grad():
    fakes = G_trained(z_a.to(device), z_m.to(device)).cpu()  # (4, 3, 16, 32, 32)
assert fakes.shape == (4, 3, 16, 32, 32)
show_strips(fakes, [f"sample {i}" for i in range(4)], title="g3an-tiny: four generated videos")

# %% [markdown]
# The question of the whole course: does $z_a$ set the looks and $z_m$ the motion? Keep one,
# change the other, and watch it move: in the grid below **each row keeps one $z_a$ and each
# column keeps one $z_m$** (built with `viz.appearance_motion_grid`, which renders video
# $i \cdot M + j$ from $z_a^{(i)}$ and $z_m^{(j)}$). The diagonal holds samples 0, 1, 2 of the
# strips above. Along a row the figure and the background should stay while the movement
# changes; down a column the movement should stay while the looks change.

# %%
with torch.no_grad():
    swap_grid = viz.appearance_motion_grid(lambda a, m: G_trained(a, m).cpu(),
                                           z_a[:3].to(device), z_m[:3].to(device))
assert swap_grid.shape == (9, 3, 16, 32, 32)  # (N·M, 3, T, H, W), row i = z_a i, column j = z_m j
for i in range(3):  # the diagonal is the samples above: the same code gives the same video
    assert_close(swap_grid[4 * i], fakes[i], atol=1e-5, rtol=1e-4)
print("swap grid:", tuple(swap_grid.shape), "| its diagonal == samples 0, 1, 2 above")

# %%
# NBVAL_IGNORE_OUTPUT
# an animation (GIF) of the 3 x 3 swap grid; the assertion above is what the tests compare
viz.show_videos(swap_grid, ncol=3, scale=3, fps=6)

# %% [markdown]
# What you can see: along a row the figure moves differently and the background stays, so
# the grid looks half-separated. Eyes are easily fooled, so notebooks 07 and 08 build
# measures for exactly this, and with them the split is not the paper's: read by a judge
# that cannot see colours (notebook 08), `g3an-tiny`'s $z_a$ decides most of *which*
# action is done, its $z_m$ moves a third of the looks, and a quarter of its videos has a
# washed-out frame. Why, and what changes it, is the course's disentanglement study
# (`docs/STUDY.md`, notebook 09).
#
# The measures of every shipped model, recorded when it was shipped (`models.json`;
# `g3an-edu evaluate --checkpoint g3an-tiny` recomputes them): the Fréchet distances of
# notebook 07 (lower is better), then the share of the variation of the predicted looks
# that $z_m$ causes, and of the predicted action that $z_a$ and $z_m$ cause (notebook 08;
# for a disentangled generator 0, 0 and 1, as the real data), the variety of the looks (of
# the least varied part of the figure; 1: as varied as the real data, low: every figure
# dressed alike) and the share of videos with a broken frame (the larger of the washed-out
# and the off-colour counts, `g3an_edu.metrics.frames`).

# %%
models = shipped_models()
COLUMNS = {"fd_video": "FD video", "fd_frame": "FD frame",
           "appearance_variance_from_zm": "looks<-z_m", "action_variance_from_za_invariant":
           "action<-z_a", "action_variance_from_zm_invariant": "action<-z_m",
           "appearance_entropy": "variety"}


def measures(record: dict) -> dict:
    """A shipped model's recorded scores and its share of videos with a broken frame."""
    frames = record["evaluate"]["frames"]
    broken = max(frames["washed_out_fraction"], frames["colour_outlier_fraction"])
    return {**record["evaluate"]["trained"], "broken": broken}


rows = {name: measures(record) for name, record in models.items()}
rows["real data"] = {**models["g3an-tiny"]["evaluate"]["real"], "broken": 0.0}
print(f"{'':22s}" + "".join(f"{label:>12s}" for label in (*COLUMNS.values(), "broken")))
for name, row in rows.items():
    print(f"{name:22s}" + "".join(f"{row[k]:12.0f}" if k.startswith("fd") else f"{row[k]:12.2f}"
                                   for k in (*COLUMNS, "broken")))
untrained = models["g3an-tiny"]["evaluate"]["untrained"]
print(f"(an untrained G3AN of g3an-tiny's size: FD video {untrained['fd_video']:.0f}, "
      f"FD frame {untrained['fd_frame']:.0f})")

# %% [markdown]
# ### A departure from the paper: `g3an-tiny-style-pairs`
#
# Nothing in the paper's loss says which code should carry the looks and which the motion;
# the course's study (`docs/STUDY.md`) tried 44 changes to find out what does. The one
# established to take the action away from $z_a$ ships beside `g3an-tiny` under its own name.
# It changes three things, each a config key that its record lists: $z_a$ reaches the video
# only as a per-channel style (it can set colours, not draw where the figure stands); a third
# discriminator judges *pairs* of clips, two clips of one real figure against
# $G(z_a, z_m)$ and $G(z_a, z_m')$, so a kept $z_a$ must keep the looks; and a label-free
# loss asks videos that share $z_a$ to keep their colours when $z_m$ changes. Its swap grid,
# from the same codes as `g3an-tiny`'s above:

# %%
G_departure, _ = load_pretrained("g3an-tiny-style-pairs", device=device)
print("departures from the paper:", models["g3an-tiny-style-pairs"]["departures"])
with torch.no_grad():
    departure_grid = viz.appearance_motion_grid(lambda a, m: G_departure(a, m).cpu(),
                                                z_a[:3].to(device), z_m[:3].to(device))
assert departure_grid.shape == swap_grid.shape  # same codes and sizes: only G differs

# %%
# NBVAL_IGNORE_OUTPUT
# an animation (GIF) of its 3 x 3 swap grid: rows keep z_a, columns keep z_m
viz.show_videos(departure_grid, ncol=3, scale=3, fps=6)

# %% [markdown]
# What to look for, and what the table above measured over 256 videos: down each column the
# figure goes through the same movement in every row, so here $z_m$ decides the action (the
# judge gives $z_a$ 0.46 of it, against `g3an-tiny`'s 0.78, and $z_m$ all of it), and no
# video washes out. But the rows differ mostly in the background: the figures are blurrier
# and dressed almost alike (variety 0.20: nearly all wear the same trousers), $z_m$ still
# moves about as much of the looks as in `g3an-tiny` (0.39), and its Fréchet distances are
# two (frames) and three (videos) times `g3an-tiny`'s. It trades one failure of the title
# claim for others: the study's finding is that every change tried decides *which* code
# dominates, none makes the two separate at this size (`docs/STUDY.md`, "The answer so far"; how this checkpoint was
# chosen and measured: item AB).

# %% [markdown]
# ## What could go wrong
#
# - **Judging samples by a stretched display.** Rescaling by a batch's own minimum and maximum
#   (as the authors' demos do) makes a grey, untrained output look like a full-contrast
#   picture and makes one video's brightness depend on its neighbours (Exercise 2). Map
#   $[-1, 1] \to [0, 1]$ with `(v + 1) / 2`, the same for every video.
# - **Comparing samples across machines.** Noise drawn on a GPU differs from noise drawn on a
#   CPU with the same seed; this notebook draws $z_a, z_m$ on the CPU with a seeded
#   `torch.Generator` and then moves them, so the samples are the same everywhere.
# - **Reading disentanglement from one grid.** A few rows and columns can look separated by
#   chance; notebook 08 measures it over many draws.
#
# ## Summary
#
# - G3AN generates a video from appearance noise $z_a$ (one vector) and motion noise $z_m$
#   (a sequence of $L$ steps), $T = 4(L+3)$ frames.
# - Three streams (spatial, temporal, video) in five G3 modules, fused at every block, F-SA on
#   the video stream, a video and an image discriminator.
# - One switch, `G3AN_TIER` (`fast`, `laptop`, `gpu`), sizes every notebook for your machine.
# - The course data are synthetic actions whose appearance and motion are known, so any look
#   can be rendered with any motion (the paper's MUG, UvA-NEMO, Weizmann and UCF101 cannot be
#   shipped).
# - A trained G3AN ships with the course (`load_pretrained("g3an-tiny")`, or
#   `--checkpoint g3an-tiny` on the command line): the end point you will reach yourself. Its
#   swap grid is the course's central picture: rows share $z_a$, columns share $z_m$.
#   Measured, its $z_a$ decides most of the action; `g3an-tiny-style-pairs`, a departure
#   from the paper, gives the action to $z_m$ at the price of the looks' variety and its
#   frames.
#
# Next: [01 · Transposed convolutions](01_transposed_convolutions.ipynb).
#
# ## Further reading
#
# - Y. Wang, P. Bilinski, F. Bremond, A. Dantcheva, *G3AN: Disentangling Appearance and Motion
#   for Video Generation*, CVPR 2020, [arXiv:1912.05523](https://arxiv.org/abs/1912.05523).
# - S. Tulyakov, M.-Y. Liu, X. Yang, J. Kautz, *MoCoGAN: Decomposing Motion and Content for
#   Video Generation*, CVPR 2018, [arXiv:1707.04993](https://arxiv.org/abs/1707.04993): the
#   baseline G3AN is compared with (notebooks 08 and 10).
# - H. Zhang, I. Goodfellow, D. Metaxas, A. Odena, *Self-Attention Generative Adversarial
#   Networks*, ICML 2019, [arXiv:1805.08318](https://arxiv.org/abs/1805.08318): the attention
#   that F-SA factorizes (notebook 03).
# - T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida, *Spectral Normalization for Generative
#   Adversarial Networks*, ICLR 2018, [arXiv:1802.05957](https://arxiv.org/abs/1802.05957)
#   (notebook 05).
# - D. Tran, H. Wang, L. Torresani, J. Ray, Y. LeCun, M. Paluri, *A Closer Look at
#   Spatiotemporal Convolutions for Action Recognition*, CVPR 2018,
#   [arXiv:1711.11248](https://arxiv.org/abs/1711.11248): the (2+1)D factorization that G3AN's
#   (1+2)D transposed convs mirror (notebook 01).

# %% [markdown]
# ## Exercises
#
# Write your answer between the markers (or, in the student copy, in place of the
# `raise NotImplementedError` line), then run the cell: the check says whether it is right and,
# if not, what differs.

# %%
from g3an_edu.exercises.nb00 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1 (derive).** How many frames does the generator make from a motion sequence of
# length `L`? Derive it without calling `frames_for_length`: along time, block 1 is a
# transposed conv with kernel 4, stride 1 and no padding; blocks 2 and 3 double the length; the
# other blocks keep it. (Notebook 01 derives the output size of a transposed conv.)

# %%
def n_frames(L: int) -> int:
    ### BEGIN SOLUTION
    return 4 * (L + 3)
    ### END SOLUTION


check_ex1(n_frames)

# %% [markdown]
# **Exercise 2 (predict, then check).** A generator's output lies in $[-1, 1]$ and the screen
# wants $[0, 1]$. This course maps every video alike, `(v + 1) / 2`. The authors' demos
# (`demo_random.py`, `demo_nxm.py`) instead stretch the **whole batch** `v` by its own minimum
# and maximum: `(v - v.min()) / (v.max() - v.min())`.
#
# Take a batch of two videos: video 0 comes from an untrained generator, all its values in
# $[-0.04, 0.02]$; video 1 is a trained sample whose values span $[-0.9, 0.6]$. Without running
# anything, predict what a pixel of value $0.0$ in video 0 shows as (a number in $[0, 1]$):
#
# - `a`: with the course's mapping;
# - `b`: with the authors' rescaling of this batch of two;
# - `c`: with the authors' rescaling when video 0 is the only video in the batch.
#
# Then say in a sentence why `c` makes an untrained generator look like it draws something,
# and why `b` makes one video's brightness depend on the others in its batch.

# %%
### BEGIN SOLUTION
a = (0.0 + 1) / 2
b = (0.0 - -0.9) / (0.6 - -0.9)
c = (0.0 - -0.04) / (0.02 - -0.04)
### END SOLUTION
check_ex2(a, b, c)

# %% [markdown]
# **Exercise 3 (predict, then count).** Write `count_parameters(module)`: the number of
# **trainable** parameters of a module (frozen ones, with `requires_grad = False`, and
# buffers such as BatchNorm's running mean do not count). Before you run it, predict by hand
# `to_rgb_params`: the number of parameters of the paper's last layer, `to_rgb`, at
# `ch = 64`: a `Conv3d` with bias from the last fused video stream ($2 \cdot ch$ channels) to 3
# colours with a $1 \times 3 \times 3$ kernel. Write it as an arithmetic expression, not by
# counting.

# %%
def count_parameters(module: torch.nn.Module) -> int:
    ### BEGIN SOLUTION
    return sum(p.numel() for p in module.parameters() if p.requires_grad)
    ### END SOLUTION


### BEGIN SOLUTION
to_rgb_params = (2 * 64) * 3 * (1 * 3 * 3) + 3  # weights + one bias per colour
### END SOLUTION
check_ex3(count_parameters, to_rgb_params)

# %% [markdown]
# ### Open experiment: walk from one motion code to another
#
# Take two motion codes `z_m[0]` and `z_m[1]`, keep `z_a[0]`, and render the shipped model on
# eight codes in between, `(1 - s) * z_m[0] + s * z_m[1]` for `s` from 0 to 1 (show them with
# `viz.show_videos(..., ncol=4)`). Then do the same with two appearance codes and a fixed
# `z_m`. What to look for: does the action change gradually or jump from one to the other at
# some `s`? Does anything besides the movement change along the motion walk (background,
# colours: the signs of entanglement seen above)? Is the appearance walk smoother or rougher
# than the motion walk? Notebook 08 turns these impressions into numbers.

# %% [markdown]
# # 13 · Your own videos
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/13_your_own_videos.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/13_your_own_videos.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# The paper trains on real video sets: facial expressions (MUG), smiles (UvA-NEMO), human
# actions (Weizmann) and UCF101. Its training clips are 16 frames of 64×64 pixels, taken
# every 2nd or 3rd frame of a video from a random start, scaled to $[-1, 1]$ (the authors'
# data loader). The course's `g3an_edu.data.VideoFolder` reads any folder of videos that
# way, and the trainer takes it with `data = "folder"`.
#
# In this notebook you will write a small video data set yourself (rendered, so that we
# know exactly what is in it), load it with `VideoFolder`, and meet the pitfalls of real
# video one at a time, each with a small demonstration: lossy coding, **frame rate**,
# **aspect ratio**, **normalisation** and videos that are too short. Then you train G3AN
# on the folder with the same trainer as before, evaluate it without any factor labels
# (what a Fréchet distance can and cannot tell you then), and pick a capstone project.

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
import dataclasses
import shutil
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from PIL import Image

from g3an_edu import pick_device
from g3an_edu.config import load_config
from g3an_edu.data import SyntheticActions, VideoFolder
from g3an_edu.data.video_folder import resize_crop
from g3an_edu.metrics.frechet import frechet_distance
from g3an_edu.metrics.oracle import embed, load_oracle
from g3an_edu.models import load_generator
from g3an_edu.tier import by_tier, current_tier
from g3an_edu.train import train
from g3an_edu.viz import encode_video, frame_strip, show_videos, to_uint8

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
if tier == "fast" and device.type == "cpu":
    torch.set_num_threads(1)  # tiny models on a busy 2-core machine: see notebook 06
ROOT = Path("runs") / "13_your_own_videos"  # git-ignored; on Drive with USE_DRIVE = True
plt.rcParams.update({"font.size": 13})
print("tier:", tier)

# %% [markdown]
# ## 1 · A folder of videos, written by us
#
# `VideoFolder` expects one sub-folder per class (the folder name is the label), each video
# either a file (`.mp4`, `.avi`, `.webm`, `.mov`, `.mkv`) or a folder of frame images
# (`.png`, `.jpg`, …), e.g. the Weizmann layout:
#
# ```
# data/videos/weizmann/        root: one sub-folder per class
#     walk/daria_walk.avi
#     bend/denis_bend.avi
#     ...
# ```
#
# We write such a folder ourselves: a few clips of three actions of the course's synthetic
# figures, 48 frames each, "filmed" at 25 frames per second, as H.264 `.mp4` files, and
# one class as folders of PNG frames (the other layout).

# %%
CLASSES = ("bend", "jack", "jump")
PER_CLASS = by_tier(3, 8, 20)  # videos per class
FPS, LENGTH = 25, 48  # frames per second of the files we write; frames per video
VIDEOS = ROOT / "videos"
shutil.rmtree(VIDEOS, ignore_errors=True)

camera = SyntheticActions(size=64, frames=LENGTH, seed=13)
_, motion = camera.factors(range(500))
actions = [camera.ACTIONS[int(a)] for a in motion.action]
chosen = {c: [i for i, a in enumerate(actions) if a == c][:PER_CLASS] for c in CLASSES}
assert all(len(ids) == PER_CLASS for ids in chosen.values())


def write_mp4(path: Path, video: torch.Tensor, fps: int) -> Path:
    """One video ``(3, T, H, W)`` in [-1, 1] as an H.264 ``.mp4`` file."""
    frames = to_uint8(video).permute(1, 2, 3, 0).numpy()  # (T, H, W, 3) uint8
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_video(frames, "mp4", fps=fps))
    return path


def write_frames(folder: Path, video: torch.Tensor) -> Path:
    """One video ``(3, T, H, W)`` in [-1, 1] as a folder of PNG frames 1.png, 2.png, …"""
    folder.mkdir(parents=True, exist_ok=True)
    for k, frame in enumerate(to_uint8(video).permute(1, 2, 3, 0).numpy()):
        Image.fromarray(frame).save(folder / f"{k + 1}.png")
    return folder


rendered = {}  # path -> the video we rendered (3, T, H, W), before any coding
for c, ids in chosen.items():
    videos = camera.batch(ids)["video"]  # (PER_CLASS, 3, 48, 64, 64)
    for k, video in zip(ids, videos, strict=True):
        path = (write_frames(VIDEOS / c / f"person{k}", video) if c == "bend"
                else write_mp4(VIDEOS / c / f"person{k}.mp4", video, FPS))
        rendered[path] = video
for c in CLASSES:
    names = sorted(p.name for p in (VIDEOS / c).iterdir())
    print(f"{c}/: {', '.join(names[:3])}{', …' if len(names) > 3 else ''}")

# %% [markdown]
# Now the loader. Every video is checked when the data set is built (it can be opened, it
# is long enough for one clip); frame folders are read only per clip.

# %%
ds = VideoFolder(VIDEOS, frames=16, size=64, step=(2, 3))
print("classes:", ds.classes, "| videos:", len(ds))
for e in ds.entries[:: PER_CLASS]:
    kind = "frame folder" if e.frame_files else "video file"
    print(f"  {e.path.relative_to(VIDEOS)}: {e.n_frames} frames, label {e.label} "
          f"({ds.classes[e.label]}), {kind}")
assert ds.classes == sorted(CLASSES) and len(ds) == len(CLASSES) * PER_CLASS
assert all(e.n_frames == LENGTH for e in ds.entries)
item = ds[0]
print("a clip:", {k: tuple(v.shape) for k, v in item.items()},
      f"values in [{item['video'].min():.2f}, {item['video'].max():.2f}]")

# %% [markdown]
# **What the model sees is not what you filmed.** `clip_indices` draws a clip's frames
# (global RNG: re-seed to get the same ones), so we can compare a clip with the rendered
# frames it came from. PNG is lossless: only the 8-bit rounding remains. H.264 is lossy
# (CRF 18, and `yuv420p` stores colour at half resolution): most pixels move by a few
# levels, and pixels at sharp colour edges by far more. Nor is it reproducible: in our
# runs the encoder (libx264 through PyAV) wrote different bytes for the same frames from
# one run to the next, so everything computed from these mp4 clips moves in the last
# digits between runs. The cells that print such numbers say so; their checks do not
# depend on it.

# %%
# NBVAL_IGNORE_OUTPUT
# The mp4 files differ slightly between runs (see above): the error's digits with them.
for entry in (next(e for e in ds.entries if not e.frame_files),
              next(e for e in ds.entries if e.frame_files)):
    j = ds.entries.index(entry)
    torch.manual_seed(1)
    idx = ds.clip_indices(entry.n_frames)
    torch.manual_seed(1)
    clip = ds[j]["video"]  # (3, 16, 64, 64)
    original = rendered[entry.path][:, idx]  # the same 16 frames, before coding
    levels = (clip - original).abs() * 127.5  # error in 8-bit levels
    kind = "png frames" if entry.frame_files else "H.264 mp4"
    print(f"{kind:10s}: frames {idx[:4]}… (step {idx[1] - idx[0]}); error mean "
          f"{levels.mean():.2f}, max {levels.max():.1f} levels of 255")
    if entry.frame_files:
        assert levels.max() <= 0.5 + 1e-3  # rounding to 8 bits, nothing else
    else:
        assert 0 < levels.mean() < 8  # lossy, but close

# %%
torch.manual_seed(2)
shown = torch.stack([ds[i]["video"] for i in range(0, len(ds), PER_CLASS)])  # (3, 3, 16, 64, 64)
fig = frame_strip(shown, frames=8, titles=[ds.classes[e.label] for e in
                                           ds.entries[::PER_CLASS]], cell=1.1)
fig.suptitle("One clip of each class, as VideoFolder serves them (8 of 16 frames)", y=1.0)
plt.show()

# %% [markdown]
# ## 2 · Pitfalls, one demonstration each
#
# ### Frame rate
#
# `VideoFolder` counts frames, not seconds: a clip of 16 frames taken every `step` frames
# spans $(16 - 1)\cdot\text{step}/\text{fps}$ seconds. The same action filmed at 50 fps
# instead of 25 moves half as far between two frames of a clip, so a generator trained
# on a mix learns a mix of speeds. We film the same three motions at 50 fps (twice the
# frames, half the speed per frame) and check that every second frame is the 25 fps video
# (exactly, for the figures that stay in place; the renderer centres a travelling
# figure's path on the middle frame, which shifts the jumper by a fraction of a pixel).
# Then we measure the mean change between consecutive clip frames. These files are PNG
# frame folders: lossless, so coding noise (which adds its own frame-to-frame change)
# does not blur the comparison.

# %%
ids = [chosen[c][0] for c in CLASSES]
looks, moves = camera.factors(ids)
at_25 = camera.render(looks, moves)  # (3, 3, 48, 64, 64)
camera_50 = SyntheticActions(size=64, frames=2 * LENGTH, seed=13)
at_50 = camera_50.render(looks, dataclasses.replace(moves, speed=moves.speed / 2))  # 96 frames
apart = (at_50[:, :, ::2] - at_25).abs().mean(dim=(1, 2, 3, 4))  # (3,): 50 fps, every 2nd frame
per_frame = at_25.diff(dim=2).abs().mean(dim=(1, 2, 3, 4))  # (3,): change per 25 fps frame
for c, x, y in zip(CLASSES, apart, per_frame, strict=True):
    print(f"{c:6s}: every 2nd frame at 50 fps vs 25 fps differ by {x:.4f}; a 25 fps frame "
          f"changes by {y:.4f}")
assert (apart < 0.25 * per_frame).all()  # the same motion, sampled twice as often

folders = {}
for fps, videos in ((25, at_25), (50, at_50)):
    folders[fps] = ROOT / f"camera_{fps}fps"
    shutil.rmtree(folders[fps], ignore_errors=True)
    for c, video in zip(CLASSES, videos, strict=True):
        write_frames(folders[fps] / c / "clip", video)


def motion_per_frame(folder: Path, step, n: int = 24) -> float:
    """Mean |frame t+1 - frame t| over ``n`` clips of ``folder`` (values in [-1, 1])."""
    torch.manual_seed(3)
    data = VideoFolder(folder, frames=16, size=64, step=step)
    clips = torch.stack([data[i % len(data)]["video"] for i in range(n)])  # (n, 3, 16, 64, 64)
    return clips.diff(dim=2).abs().mean().item()


print(f"{'files':>6s} {'step':>7s} {'clip spans':>11s} {'change per clip frame':>22s}")
change = {}
for fps, step in ((25, (2, 3)), (50, (2, 3)), (50, (4, 6))):
    seconds = "/".join(f"{15 * s / fps:.1f}" for s in step)
    change[fps, step] = motion_per_frame(folders[fps], step)
    print(f"{fps:>3d}fps {str(step):>7s} {seconds + ' s':>11s} {change[fps, step]:>22.4f}")
slow = change[50, (2, 3)] / change[25, (2, 3)]
restored = change[50, (4, 6)] / change[25, (2, 3)]
print(f"50 fps / 25 fps at the same steps: {slow:.2f}; with steps (4, 6): {restored:.2f}")
assert slow < 0.8 and abs(restored - 1) < 0.1

# %% [markdown]
# At 50 fps with the paper's steps (2, 3) each clip frame changes much less than at 25 fps
# (not exactly half: the change of anti-aliased pixels is not proportional to the
# distance moved); steps (4, 6) restore it. One `VideoFolder` has one `step` for all its videos, so
# keep one frame rate per folder: re-encode first (`ffmpeg -i in.mp4 -r 25 out.mp4`) or
# build one `VideoFolder` per frame rate. Know your files' frame rate before you choose a
# step: PyAV tells you, `av.open(path).streams.video[0].average_rate`.
#
# ### Aspect ratio
#
# A clip is resized so that its **short** side is `size`, then centre-cropped to a square.
# Most cameras film 4:3 or 16:9, so the crop drops the sides; if the action happens there,
# it is gone. We put a figure into the left part of a 2:1 frame:

# %%
video = at_25[2]  # (3, 48, 64, 64): the jumping figure
background = video[:, :, :, -1:].expand(-1, -1, -1, 80)  # (3, 48, 64, 80): its last column
wide = torch.cat([video[..., 16:], background], dim=3)  # (3, 48, 64, 128): figure on the left
wide_u8 = to_uint8(wide).permute(1, 2, 3, 0)  # (T, H, W, 3), what a decoder gives
cropped = resize_crop(wide_u8, 64)  # (3, 48, 64, 64): what VideoFolder serves
side = max(wide_u8.shape[1:3])  # letterbox: pad to a square first, then resize
pad = to_uint8(video[:, :, :1, :1]).permute(1, 2, 3, 0).expand(LENGTH, side, side, 3).clone()
top = (side - wide_u8.shape[1]) // 2
pad[:, top:top + wide_u8.shape[1]] = wide_u8
letterboxed = resize_crop(pad, 64)  # (3, 48, 64, 64)

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), gridspec_kw={"width_ratios": [2, 1, 1]})
for ax, frame, title in zip(axes, (wide[:, 20], cropped[:, 20], letterboxed[:, 20]),
                            ("the video (2:1)", "centre crop (VideoFolder)", "letterboxed"),
                            strict=True):
    ax.imshow(((frame + 1) / 2).clamp(0, 1).permute(1, 2, 0))
    ax.set(title=title, xticks=[], yticks=[])
plt.tight_layout()
plt.show()
h, w = wide_u8.shape[1:3]
print(f"a {w}×{h} frame keeps the middle {h / w:.0%} of its width")

# %% [markdown]
# The centre crop lost the figure. Fixes: crop around the action yourself before training
# (the same window for every frame of a video, or the figure jumps), or letterbox (pad to a
# square, as on the right: nothing is lost, but the figure is smaller and the bars are part
# of the data the generator learns).
#
# ### Normalisation
#
# The generator ends in `tanh`: its videos are in $[-1, 1]$, and `VideoFolder` scales real
# clips to the same range ($x/127.5 - 1$). A loader of your own that stops at $[0, 1]$
# (`x / 255`, as many image pipelines do) hands the discriminator a free clue: no real
# pixel is ever below 0. It also looks washed out in every tool of the course, which
# assumes $[-1, 1]$:

# %%
torch.manual_seed(4)
png = next(j for j, e in enumerate(ds.entries) if e.frame_files)  # lossless: reproducible
right = ds[png]["video"]  # (3, 16, 64, 64) in [-1, 1]
wrong = (right + 1) / 2  # the same clip in [0, 1], as x / 255 gives
for name, clip in (("x / 127.5 - 1", right), ("x / 255", wrong)):
    print(f"{name:14s}: range [{clip.min():.2f}, {clip.max():.2f}], mean {clip.mean():+.3f}, "
          f"pixels below 0: {(clip < 0).float().mean():.0%}")
fig = frame_strip(torch.stack([right, wrong]), frames=6, titles=["[-1, 1]", "[0, 1]"], cell=1.1)
plt.show()

# %% [markdown]
# ### Videos too short for a clip
#
# A clip of 16 frames at step 2 needs $(16-1)\cdot 2 + 1 = 31$ frames. A shorter video
# stops the loader with a message naming it; `skip_bad=True` drops it with a warning.

# %%
short_root = ROOT / "with_a_short_video"
shutil.rmtree(short_root, ignore_errors=True)
write_mp4(short_root / "jump" / "long.mp4", at_25[2], FPS)
write_mp4(short_root / "jump" / "short.mp4", at_25[2][:, :20], FPS)
try:
    VideoFolder(short_root, frames=16, size=64, step=(2, 3))
except ValueError as err:
    print("ValueError:", str(err).replace(str(short_root), "ROOT"))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    kept = VideoFolder(short_root, frames=16, size=64, step=(2, 3), skip_bad=True)
print(f"skip_bad=True: {len(kept)} video kept, {len(caught)} warning")
assert len(kept) == 1 and len(caught) == 1

# %% [markdown]
# ## 3 · Training on your folder
#
# The trainer reads a folder when the config says `data = "folder"` and `data_root`; it
# builds the `VideoFolder` at the config's resolution and frames (16, steps 2 or 3) and
# reads it through a `DataLoader` with `workers` processes. Everything else is the
# trainer of notebook 06. From a terminal:
#
# ```bash
# g3an-edu train --config colab --out runs/weizmann \
#     --set data=folder --set data_root=data/videos/weizmann --set workers=2
# ```
#
# One difference: clip sampling uses the global random generator, so a resumed run on a
# folder is not bit-exact (it is on the synthetic data). The `fast` tier trains a few
# steps of `tiny` (32×32: the folder's 64×64 clips are resized); the others train long
# enough to see figures.

# %%
PRESET, STEPS = by_tier(("tiny", 8), ("cpu", 1500), ("colab", 5000))
config = load_config(PRESET, {"data": "folder", "data_root": str(VIDEOS),
                              "workers": by_tier(0, 2, 2), "log_every": by_tier(2, 20, 50),
                              "sample_every": by_tier(0, 250, 1000),
                              "checkpoint_every": by_tier(8, 250, 1000)})
run_dir = ROOT / f"run_{PRESET}_{tier}"
if tier == "fast":
    shutil.rmtree(run_dir, ignore_errors=True)
print(f"{PRESET!r} on {config.data_root}: {config.resolution}²×{config.frames}, "
      f"batch {config.batch}, {STEPS} steps -> {run_dir}")

# %%
# NBVAL_IGNORE_OUTPUT
# A progress bar with timings.
result = train(config, run_dir, steps=STEPS, device=device.type)
print(result)

# %%
assert result.step >= STEPS and not result.interrupted
g_ema, trained = load_generator(run_dir, ema=True, device=device)
assert trained.data == "folder"  # the config travels with the weights
noise = g_ema.sample_noise(3, trained.length, generator=torch.Generator().manual_seed(0),
                           device=device)
with torch.no_grad():
    fakes = g_ema(*noise).float().cpu()  # (3, 3, 16, R, R)
fig = frame_strip(fakes, frames=8, cell=1.1)
fig.suptitle(f"EMA generator after {result.step} steps on the folder", y=1.0)
plt.show()

# %%
# NBVAL_IGNORE_OUTPUT
# An animation (a GIF in the page): its bytes differ between library versions.
show_videos(fakes, fps=8, scale=2)

# %% [markdown]
# ## 4 · Evaluating without factor labels
#
# Notebook 07's disentanglement metrics need what a folder of videos does not have: the
# appearance and action of every real video, and a way to render one look with another
# motion (the real side of the comparison). What remains is the **Fréchet distance**
# between real and generated clips in the oracle's features (`fd_video`, `fd_frame`).
#
# Two things to keep in mind. The distance at finite $n$ is not 0 even for two samples of
# the same real data, so we always print that floor. And the oracle's features were
# **trained on the synthetic figures**: they respond to what separated those figures'
# looks and actions. Our folder is made of such figures, so here the features fit; on
# your own videos they are features of another world. To see what that means we also
# measure three transformed copies of the real clips: frozen (every frame the first one:
# no motion), colour-inverted (same motion, another look), and mirrored (what a person
# would call the same data).

# %%
# NBVAL_IGNORE_OUTPUT
# Distances of clips decoded from mp4 files, which differ slightly between runs (section 1);
# the asserts at the end check the relations the text relies on.
oracle, oracle_info = load_oracle()
N = by_tier(48, 128, 256)  # clips per sample
folder_32 = VideoFolder(VIDEOS, frames=trained.frames, size=trained.resolution)


def clips(data, n: int, seed: int) -> torch.Tensor:
    """``n`` random clips ``(n, 3, T, R, R)`` of a ``VideoFolder`` (seeded)."""
    torch.manual_seed(seed)
    return torch.stack([data[int(i)]["video"] for i in torch.randint(len(data), (n,))])


def fd(a: torch.Tensor, b: torch.Tensor) -> tuple[float, float]:
    """``(fd_video, fd_frame)`` between two sets of videos ``(N, 3, T, R, R)``."""
    ea, eb = embed(oracle, a), embed(oracle, b)
    return (frechet_distance(ea.video_features, eb.video_features),
            frechet_distance(ea.frame_features.flatten(0, 1), eb.frame_features.flatten(0, 1)))


real_a, real_b = clips(folder_32, N, 10), clips(folder_32, N, 11)
with torch.no_grad():
    z = g_ema.sample_noise(N, trained.length, generator=torch.Generator().manual_seed(12),
                           device=device)
    generated = g_ema(*z).float().cpu()  # (N, 3, T, R, R)
compared = {
    "real vs real (the floor)": real_b,
    "frozen (no motion)": real_b[:, :, :1].expand_as(real_b),
    "colour-inverted": -real_b,
    "mirrored left-right": real_b.flip(-1),
    f"G3AN after {result.step} steps": generated,
}
scores = {name: fd(real_a, videos) for name, videos in compared.items()}
print(f"n = {N} clips per side\n{'':28s} {'fd_video':>9s} {'fd_frame':>9s}")
for name, (v, f) in scores.items():
    print(f"{name:28s} {v:9.2f} {f:9.2f}")
floor_v, floor_f = scores["real vs real (the floor)"]
assert scores["frozen (no motion)"][0] > floor_v  # lost motion shows in the video features
assert scores["colour-inverted"][1] > floor_f  # another look shows in the frame features
frozen_v, frozen_f = scores["frozen (no motion)"]
assert frozen_v / floor_v > frozen_f / floor_f  # frozen: the video distance grows far more

# %% [markdown]
# How to read it:
#
# - **It can tell** whether generated clips are far from the real ones *in these
#   features*, and compare two generators trained on the **same** folder, measured with the
#   same $n$ against the same real clips, relative to the floor. Frozen clips show the
#   split of the two features: every frame is a real frame, so the frame distance moves
#   far less than the video distance, whose motion features see no change at all.
# - **It cannot tell** whether a change matters to a person. Inverting the colours keeps
#   every motion and is measured as a large distance; what mirroring costs depends only on
#   what the features happened to learn.
#   On your own videos (faces, real people, real backgrounds) the features were never
#   trained on anything like them: a distance can rank models on one data set, but not
#   compare data sets, and not measure realism or disentanglement.
# - What to do instead on real data: look at samples (always), at swaps (fix $z_a$, change
#   $z_m$, and the reverse: notebook 07's grids need no labels), and if you have class
#   labels, train a feature extractor on **your** data (capstone 3 below).
#
# ## What could go wrong
#
# - `ValueError: … no videos found`: the files are not where `VideoFolder` looks, or have
#   an extension it does not read (`.gif` is not one: convert it).
# - `cannot read this video`: a codec PyAV's FFmpeg cannot decode, or a broken file;
#   re-encode with `ffmpeg -i in -c:v libx264 out.mp4`, or `skip_bad=True`.
# - Training is slow and the CPU is busy: decoding runs in the training process with
#   `workers = 0`; set `--set workers=2` (or more).
# - Samples are washed out or too dark: your own loader's range is not $[-1, 1]$.
#
# ## Capstone project ideas
#
# 1. **Weizmann actions.** Download the Weizmann action videos (10 actions, 9 people) from
#    their authors' page, put them in `data/videos/weizmann/<action>/`, check their frame
#    rate and size with PyAV, crop each video around the person (a fixed window per
#    video), choose the step, and train `colab` on a GPU (notebook 11). Compare your samples with the paper's figures; report the
#    real-vs-real floor with every distance.
# 2. **Your own phone.** Film one action (waving, clapping) in front of a plain wall,
#    20-50 short clips, a fixed camera, one frame rate. Which pitfall of section 2 bit you?
# 3. **A feature extractor for your data.** The oracle's code (`g3an_edu.metrics.oracle`
#    and `oracle_training`) trains on synthetic labels; adapt it to the class labels of a
#    `VideoFolder` and recompute the distances. How does the ranking of checkpoints change?
# 4. **G3AN against MoCoGAN on the same folder** (`--config mocogan-colab --set
#    data=folder …`): same data, same budget, samples and distances side by side.
# 5. **Longer videos.** The generator makes $T = 4(L+3)$ frames; train with `length=2`
#    (20 frames) on a folder whose videos are long enough, or sample longer videos from a
#    model trained with $L = 1$ and watch where it breaks.
#
# ## Summary
#
# - `VideoFolder(root, frames, size, step)`: one sub-folder per class, video files or
#   folders of frames; clips of `frames` frames every `step` frames from a random start,
#   short side to `size`, centre crop, $[-1, 1]$. Bad or short videos are named.
# - Pitfalls: lossy coding changes every pixel a little; the step counts frames, so keep one
#   frame rate per folder (or scale the step with it); the centre crop drops the sides of
#   wide videos (crop around the action or letterbox); data in $[0, 1]$ gives the
#   discriminator a free clue.
# - Training: `data = "folder"` and `data_root` in the config, the same trainer.
# - Without labels: Fréchet distances against a real-vs-real floor, comparing models on one
#   data set; the oracle's features come from the synthetic data, so they neither measure
#   realism on real video nor disentanglement.
#
# ## Exercises
#
# Each exercise checks your answer with `g3an_edu.exercises.nb13` and tells you what
# differs.

# %%
from g3an_edu.exercises.nb13 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1.** Your videos were filmed at `fps` frames per second. Write
# `step_for(fps, seconds, frames=16)`: the whole-number step that makes a clip of `frames`
# frames span closest to `seconds` seconds (at least 1).

# %%
def step_for(fps, seconds, frames=16):
    ### BEGIN SOLUTION
    return max(1, round(seconds * fps / (frames - 1)))
    ### END SOLUTION


check_ex1(step_for)

# %% [markdown]
# **Exercise 2.** Write `to_model_range(frames)`: decoded frames, uint8 `(T, H, W, 3)`, to
# what the generator and discriminators expect: float `(3, T, H, W)` in $[-1, 1]$, with 0
# → -1 and 255 → 1.

# %%
def to_model_range(frames):
    ### BEGIN SOLUTION
    return (frames.permute(3, 0, 1, 2).float() / 127.5 - 1).contiguous()
    ### END SOLUTION


check_ex2(to_model_range)

# %% [markdown]
# **Exercise 3.** Predict what survives the centre crop. Write `kept_columns(h, w)`: for
# frames `h` pixels high and `w ≥ h` wide, loaded with `size = h` (so nothing is resized),
# the first and the last column of the original frame (counting from 0, both included)
# that `VideoFolder` keeps, as a pair of ints.

# %%
def kept_columns(h, w):
    ### BEGIN SOLUTION
    left = (w - h) // 2
    return left, left + h - 1
    ### END SOLUTION


check_ex3(kept_columns)

# %% [markdown]
# **Open experiment.** Train `tiny` (or `cpu` on a laptop) twice, on the 25 fps folder of
# section 2 and on the 50 fps one, with the same steps, and compare the samples'
# motion: compute the mean change per frame of 64 generated clips (as
# `motion_per_frame` does for real ones). What to look for: does the generator trained
# on 50 fps move half as fast? Then train on both folders mixed (one root with both) and
# look at the distribution of speeds in its samples: one speed, two, or a blur between?

# %% [markdown]
# # 12 · Playground: drive z_a and z_m by hand
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/12_playground.ipynb) this notebook, solutions included ·
# [![Open the exercises (student copy) in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/g3an-edu/g3an-edu/blob/main/notebooks/student/12_playground.ipynb) the exercises (student copy), solutions removed
#
# ## What you will build and why
#
# G3AN's promise (Wang et al., CVPR 2020, arXiv 1912.05523) is a generator
# $G(z_a, z_m)$ whose two inputs mean different things: the appearance code
# $z_a \in \mathbb{R}^{128}$ enters the **spatial stream** and is the same for every frame,
# the motion code $z_m \in \mathbb{R}^{10 \times L}$ enters the **temporal stream** and is a
# short sequence. Keep $z_a$ and change $z_m$: the same figure should do something else.
# Feed a longer $z_m$: the video gets longer, $T = 4(L+3)$ frames (notebook 04), although
# the model only ever trained on $L = 1$.
#
# Metrics (notebooks 07 and 08) say how well that works on average. Here you **play** with it: move
# sliders and watch the video change, with the models the course ships (`g3an-tiny`, the
# MoCoGAN baseline `mocogan-tiny`, and `g3an-tiny-style-pairs`, a departure from the paper
# whose $z_m$ takes the action: notebook 00). You will
# 1. turn one seed per code into $z_a$, $z_m$ and a video, for any length $L$;
# 2. find **directions worth a slider**: a random direction in 128 dimensions barely changes
#    anything, so, like GANSpace (Härkönen et al., NeurIPS 2020), take the principal
#    components of the generated videos and regress them back onto the codes;
# 3. build the **playground**: ipywidgets sliders and menus for model, seeds, directions,
#    length and a swap view (one $z_a$ with several $z_m$, or the reverse), the video
#    updating live, for JupyterLab 4 (ipywidgets 8) and Colab (ipywidgets 7.7);
# 4. **find the $z_a$ of a look** you pick with the synthetic data's appearance factors
#    (say, a red shirt): search the code whose videos the shipped oracle reads as that look,
#    then animate it with any $z_m$.
#
# Everything lives in `g3an_edu.playground`; the widgets only call its functions, so every
# step is also shown as plain code with a static picture (what this notebook's tests compare;
# widgets do not render outside a live notebook).

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
from IPython.display import display

from g3an_edu import pick_device
from g3an_edu import playground as pg
from g3an_edu.generator import frames_for_length
from g3an_edu.metrics.oracle import load_oracle
from g3an_edu.tier import by_tier, current_tier
from g3an_edu.viz import frame_strip

torch.manual_seed(0)
device = pick_device(verbose=True)
tier = current_tier()
if tier == "fast" and device.type == "cpu":
    # Small convolutions on a busy 2-core machine: one thread avoids waiting for the other
    # core at every parallel region, and fixes the summation order.
    torch.set_num_threads(1)
N_DIRECTIONS = by_tier(32, 128, 256)  # videos behind each set of principal directions
# the look to find, and the search's size (section 4)
LOOK = by_tier({"shirt": "red"}, {"shirt": "red", "background": "sky"},
               {"shirt": "red", "background": "sky", "trousers": "olive"})
SEARCH = by_tier(dict(candidates=32, steps=10), dict(candidates=64, steps=40, motions=4),
                 dict(candidates=256, steps=100, motions=8, checks=16))
plt.rcParams.update({"font.size": 11, "figure.dpi": 64})  # small PNGs keep the notebook small
print(f"tier: {tier} | directions from {N_DIRECTIONS} videos | look: {LOOK} | search: {SEARCH}")


def strip(videos, titles, title, frames=6):
    """A static frame strip (one row per video), what the tests compare."""
    fig = frame_strip(videos, frames=frames, titles=titles, cell=1.0)
    fig.suptitle(title, y=1.0 + 0.3 / len(videos))
    plt.show()


# %% [markdown]
# ## 1 · A video from two seeds
#
# The playground names a video by **one seed per code**: `seed_a` draws
# $z_a \sim \mathcal{N}(0, I_{128})$, `seed_m` draws $z_m$, each from its own
# `torch.Generator`, so moving one slider never changes the other code (and never touches
# the notebook's global random stream). $z_m$ is drawn **step by step**: a longer code of the
# same seed starts with the shorter one, so the length slider extends the motion code rather
# than replacing it.
#
# The two models want different motion codes for the same $T$: G3AN's temporal stream
# upsamples $L$ steps to $4(L+3)$ frames, MoCoGAN's GRU needs one noise vector per frame.
# `pg.motion_steps` knows which.

# %%
g3an = pg.load_model("g3an-tiny", device)  # shipped, SHA-256 checked, in eval mode
moco = pg.load_model("mocogan-tiny", device)
for name, g in (("g3an-tiny", g3an), ("mocogan-tiny", moco)):
    print(f"{name:13s} z_a {g.dim_za}, z_m {g.dim_zm} per step | "
          + " | ".join(f"L={L}: {pg.motion_steps(g, L)} steps -> "
                       f"{pg.render(g, length=L, device=device).shape[2]} frames"
                       for L in (1, 2, 4)))

short, long = pg.motion_code(10, 1, seed=3), pg.motion_code(10, 4, seed=3)
assert torch.equal(long[:, :1], short)  # the same seed, extended
assert all(pg.render(g3an, length=L, device=device).shape[2] == frames_for_length(L)
           for L in range(1, 5))

# %% [markdown]
# `pg.render` is nothing more than the generator on those codes: check it against calling
# $G$ yourself.

# %%
settings = pg.Settings(seed_a=3, seed_m=5, length=2)
z_a, z_m = pg.make_codes(g3an, settings)  # (1, 128), (1, 10, 2)
assert torch.equal(z_a[0], pg.appearance_code(128, 3)) and z_m.shape == (1, 10, 2)
with torch.no_grad():
    by_hand = g3an(z_a.to(device), z_m.to(device)).cpu()
assert torch.equal(pg.render(g3an, settings, device=device), by_hand)
videos = torch.cat([pg.render(g3an, settings, length=L, device=device)[:, :, :16]
                    for L in (1, 2, 4)])  # the first 16 frames of each
strip(videos, ["L=1", "L=2", "L=4"], "g3an-tiny, seeds (3, 5): the first 16 frames at three lengths")
drift = (videos[1:] - videos[:1]).abs().mean((0, 1, 3, 4))  # (16,): |L>1 - L=1| per frame
assert drift[0] < drift[-1]  # close at the start, apart at the end

# %% [markdown]
# The longer videos differ from the $L = 1$ one a little at the start and more towards the
# end: the temporal convolutions and F-SA's temporal attention let every motion step reach
# other frames, so a longer $z_m$ is not the short video continued. The model only ever saw $L = 1$ in training; long videos are
# extrapolation (watch them in the playground).
#
# ## 2 · Directions worth a slider
#
# 128 sliders for $z_a$ would be useless: most random directions change the video a little
# and all at once. GANSpace finds the directions that change the output the most. Our
# version, for $z_a$:
#
# 1. draw $n$ codes $z_a^{(i)}$ with one fixed $z_m$, render them, and keep what appearance
#    should change: each video's **mean over time** $x_i$ ($3 \cdot H \cdot W$ numbers);
# 2. PCA of the $x_i$: scores $s_i \in \mathbb{R}^k$ of the top $k$ components, scaled to unit
#    variance;
# 3. least squares $z_a^{(i)} - \bar z_a \approx s_i D$: row $j$ of $D$ is the code change that
#    moves component $j$ by one standard deviation; scaled to unit length, a slider step of 1
#    is one standard deviation of the code along it.
#
# For $z_m$ the same with one fixed $z_a$, the **motion** (each video minus its mean over
# time) as $x_i$, and $z_m$'s mean over its steps as the code.

# %%
dir_a = pg.principal_directions(g3an, "z_a", n=N_DIRECTIONS)
dir_m = pg.principal_directions(g3an, "z_m", n=N_DIRECTIONS)
for d in (dir_a, dir_m):
    assert torch.allclose(d.vectors.norm(dim=1), torch.ones(len(d.vectors)), atol=1e-5)
    print(f"{d.code}: directions {tuple(d.vectors.shape)}, share of the variance of the "
          f"{'time-mean' if d.code == 'z_a' else 'motion'} held by each component: "
          + ", ".join(f"{x:.2f}" for x in d.explained.tolist()))

# %% [markdown]
# Walk along the first direction of each code, from $-2$ to $+2$ standard deviations:

# %%
walk = [-2.0, 0.0, 2.0]
along_a = torch.cat([pg.render(g3an, settings, dir_a, dir_m, steps_a=(s, 0.0), device=device)
                     for s in walk])
along_m = torch.cat([pg.render(g3an, settings, dir_a, dir_m, steps_m=(s, 0.0), device=device)
                     for s in walk])
strip(along_a, [f"{s:+.0f}·PC1" for s in walk], "z_a along its first principal direction")
strip(along_m, [f"{s:+.0f}·PC1" for s in walk], "z_m along its first principal direction")

# %% [markdown]
# How much does each walk change the **appearance** (the time-mean frame) and the
# **motion** (what is left)? In a disentangled model the $z_a$ walk would change mostly the
# first, the $z_m$ walk mostly the second.

# %%
def change(videos):
    """Mean absolute change between the walk's ends: (time-mean, motion)."""
    mean = videos.mean(2, keepdim=True)  # (3, 3, 1, H, W)
    motion = videos - mean
    return ((mean[2] - mean[0]).abs().mean().item(), (motion[2] - motion[0]).abs().mean().item())


for code, videos in (("z_a", along_a), ("z_m", along_m)):
    appearance, motion = change(videos)
    print(f"{code} walk: time-mean changes by {appearance:.2f}, motion by {motion:.2f} "
          f"(mean |difference| in [-1, 1] units)")

# %% [markdown]
# Read the two lines against each other: the $z_m$ walk typically moves the time-mean frame
# too (the shirt or background shifts while the figure moves): notebook 08's metrics said
# the shipped model is far from disentangled, and here you can see where.
#
# ## 3 · The playground
#
# `pg.Playground` puts it all under sliders: the model, a seed and two principal directions
# per code, the length $L$ (and so $T = 4(L+3)$), and the **view**: one video, or a row
# that keeps $z_a$ and takes the next seeds of $z_m$ (a motion swap), or the reverse.
# *new seeds* jumps to other seeds, *reset* back to the start. The sliders render when you
# let go; a 32×32 model takes well under a second per row on a CPU.
#
# It uses only what ipywidgets 7.7 (Colab) and 8 (JupyterLab 4) share. Running the cell in a
# live notebook shows the controls; in a static copy (GitHub, the website, this notebook's
# tests) they do not render, so the cells after it show the same state as text and frames.

# %%
# NBVAL_IGNORE_OUTPUT
# live widgets: a static copy shows no controls (the next cells print the same state)
play = pg.Playground(directions={"g3an-tiny": (dir_a, dir_m)}, directions_n=N_DIRECTIONS,
                     device=device, scale=2)  # scale: pixels per model pixel (try 4)
display(play.widget)

# %%
print(play.describe())
strip(play.video, ["video"], "the playground's video now")

# %% [markdown]
# Setting a control's `value` from code does what moving it does (the widget above follows,
# if it is live). Take the motion swap view: one $z_a$, four motion codes.

# %%
before = play.video.clone()
play.controls["view"].value = "same_za"
play.controls["seed_m"].value = 7
assert play.video.shape[0] == 4 and not torch.equal(play.video[:1], before)
print(play.describe())
strip(play.video, [f"z_m seed {7 + i}" for i in range(4)], "same z_a, four z_m")

# %% [markdown]
# Does the figure keep its looks across the row? Ask the oracle of notebook 07, which reads
# each factor of a video back (its classes are the synthetic data's):

# %%
oracle, _ = load_oracle(device=device)


def read(videos):
    """The oracle's class names for each video: {factor: [name, ...]}."""
    with torch.no_grad():
        logits = oracle(videos.to(device)).logits
    names = {"action": pg.SyntheticActions.ACTIONS, **pg.LOOK_CLASSES}
    return {f: [names[f][i] for i in logits[f].argmax(1).tolist()] for f in names}


for factor, classes in read(play.video).items():
    print(f"{factor:10s} {' | '.join(f'{c:9s}' for c in classes)}")

# %% [markdown]
# Ideally the five appearance rows are constant and only the action changes. Now the
# reverse view (one $z_m$, four $z_a$), and a longer video:

# %%
play.set(view="same_zm", seed_a=0, length=4)
print(play.describe())
assert play.video.shape[2] == frames_for_length(4)
strip(play.video, [f"z_a seed {i}" for i in range(4)], "same z_m, four z_a, L = 4", frames=8)
for factor, classes in read(play.video).items():
    print(f"{factor:10s} {' | '.join(f'{c:9s}' for c in classes)}")

# %% [markdown]
# The same with the MoCoGAN baseline (its directions are computed when it is first shown):

# %%
play.set(model="mocogan-tiny", view="same_za", length=1)
print(play.describe())
strip(play.video, [f"z_m seed {7 + i}" for i in range(4)], "mocogan-tiny: same z_a, four z_m")

# %%
# NBVAL_IGNORE_OUTPUT
# an animation of the current state (the strips above are what the tests compare)
display(play.image)

# %% [markdown]
# ## 4 · Find the z_a of a look
#
# The synthetic data have named appearance classes (skin, shirt, trousers, background,
# texture). Which $z_a$ gives, say, a red shirt? Nothing in the generator says; but the
# oracle reads the shirt's class from a video, so we can **search**:
#
# 1. screen random $z_a$ with one $z_m$, keep the one the oracle finds most "red shirt"
#    (lowest $-\log p$ of the target classes);
# 2. refine it by gradient descent through $G$ and the oracle on the loss averaged over a few
#    $z_m$ (the look should hold whatever the motion), plus a prior
#    $(\lVert z_a \rVert / \sqrt{128} - 1)^2$ that keeps $z_a$ where Gaussian codes live;
# 3. check it with motion codes the search never used: the **agreement** is the fraction of
#    those videos whose every target factor the oracle reads right.
#
# Only $z_a$ gets gradients (`torch.autograd.grad`): neither network changes.

# %%
result = pg.find_appearance(g3an, oracle, LOOK, **SEARCH)
print(f"look {LOOK}: loss of the best screened code {result.losses[0]:.2f}, after "
      f"{len(result.losses) - 1} refinement steps {min(result.losses):.2f}")
print(f"agreement on {SEARCH.get('checks', 4)} motions the search never used: "
      f"{result.agreement:.2f}; the oracle's mean probability of each target class:")
print(result.describe())

# %% [markdown]
# Now animate it with any motion, next to the synthetic data's own clip of that look (left,
# the figure and motion of one data item with the chosen classes):

# %%
z_m4 = torch.stack([pg.motion_code(10, 1, seed) for seed in range(3)])  # (3, 10, 1)
found = pg.render_codes(g3an, result.z_a[None].expand(3, -1), z_m4)
real = pg.real_look(LOOK, motion_index=0)
strip(torch.cat([real, found]), ["data", "z_m 0", "z_m 1", "z_m 2"],
      f"the look {LOOK}: the data's clip, then the found z_a with three z_m")
for factor, classes in read(found).items():
    print(f"{factor:10s} {' | '.join(f'{c:9s}' for c in classes)}")

# %% [markdown]
# The same as a widget: pick the classes, press *find z_a*, then move the motion seed and
# the length. (It searches with this notebook's tier settings.)

# %%
# NBVAL_IGNORE_OUTPUT
# live widgets; the search result is already shown above
finder = pg.LookFinder("g3an-tiny", target=LOOK, device=device, columns=2, scale=2, **SEARCH)
finder.result = result
finder.animate()
display(finder.widget)

# %% [markdown]
# ## What could go wrong
#
# - **The oracle can be fooled.** The search optimises what a classifier says, not what the
#   video looks like: with many steps it can find a $z_a$ the oracle calls "red" that you would
#   not. Always look at the frames next to the data's clip; the agreement on motions the
#   search never used is the honest number.
# - **Codes off the shell.** Gaussian codes in 128 dimensions have norm close to
#   $\sqrt{128}$; scale one up and the generator sees inputs it never trained on:

# %%
far = pg.render_codes(g3an, torch.stack([pg.appearance_code(128, 0) * s for s in (1, 3)]),
                      pg.motion_code(10, 1, 0)[None].expand(2, -1, -1))
strip(far, ["‖z_a‖ ≈ √128", "3 × that"], "the same z_a at its usual norm and three times it")

# %% [markdown]
# - **Directions are the model's, and the sample's.** They come from `N_DIRECTIONS` videos:
#   few videos give noisy directions, and each model (and each retraining) has its own.
# - **Long videos extrapolate.** $L > 1$ was never trained: expect drift and repetition.
#
# ## Summary
#
# - A video is named by one seed per code: `pg.appearance_code`, `pg.motion_code` (step by
#   step, so longer codes extend shorter ones) and `pg.render`, which is just $G(z_a, z_m)$;
#   G3AN takes $L$ motion steps for $T = 4(L+3)$ frames, MoCoGAN $T$ per-frame steps.
# - Principal directions (PCA of the videos regressed onto the codes, GANSpace-style) give a
#   few sliders that change a lot; the $z_a$ walk should change the time-mean frame, the
#   $z_m$ walk the motion.
# - `pg.Playground` shows model, seeds, directions, length and swap views live with
#   ipywidgets 7.7 and 8; setting `controls[...].value` from code does the same.
# - `pg.find_appearance` finds the $z_a$ of a chosen look through the oracle; its agreement
#   on unseen motions measures, for one look, what notebook 08's appearance consistency
#   measures on average.
#
# ## Exercises

# %%
from g3an_edu.exercises.nb12 import check_ex1, check_ex2, check_ex3

# %% [markdown]
# **Exercise 1.** Write `steps_for(arch, L)`: how many motion-code steps the generator
# `arch` (`"g3an"` or `"mocogan"`) needs to make a video of $T = 4(L+3)$ frames. Derive it
# from how each model turns $z_m$ into frames.

# %%
def steps_for(arch, L):
    ### BEGIN SOLUTION
    return L if arch == "g3an" else 4 * (L + 3)
    ### END SOLUTION


check_ex1(steps_for)

# %% [markdown]
# **Exercise 2.** Write `directions(codes, features, k)`: from `codes (n, d)` and the
# `features (n, f)` they produced, the `(k, d)` code directions of the features' top $k$
# principal components, as in section 2: centre both, take the top-$k$ PCA scores of the
# features scaled to unit variance, solve `codes ≈ scores @ D` by least squares, scale each
# row of `D` to unit length and flip it so that its largest |entry| is positive.

# %%
def directions(codes, features, k):
    ### BEGIN SOLUTION
    x = features - features.mean(0)
    z = codes - codes.mean(0)
    u, _, _ = torch.linalg.svd(x, full_matrices=False)
    scores = u[:, :k] * (len(x) - 1) ** 0.5
    d = torch.linalg.lstsq(scores, z).solution
    d = d / d.norm(dim=1, keepdim=True)
    return d * torch.sign(d.gather(1, d.abs().argmax(1, keepdim=True)))
    ### END SOLUTION


check_ex2(directions)

# %% [markdown]
# **Exercise 3.** The search's **agreement**: write `agreement(predicted, target)` where
# `predicted` maps each factor to the oracle's predicted class of $M$ videos (`(M,)` int
# tensors) and `target` maps some factors to the wanted class. Return the fraction of videos
# whose **every** target factor is right (factors not in `target` are free). Before you run
# the check, predict: is it larger or smaller than the mean of the per-factor accuracies?

# %%
def agreement(predicted, target):
    ### BEGIN SOLUTION
    right = torch.ones(len(next(iter(predicted.values()))), dtype=torch.bool)
    for factor, c in target.items():
        right &= predicted[factor] == c
    return right.float().mean().item()
    ### END SOLUTION


check_ex3(agreement)

# %% [markdown]
# ### Open experiment: where does the shirt live?
#
# Use the playground and the look finder to locate appearance in the codes.
#
# - Find the $z_a$ of a red shirt, then of a blue one, and interpolate between the two codes
#   (`pg.render_codes` on `(1 - t) z_red + t z_blue`): does the shirt change colour smoothly,
#   and does anything else (background, action) change on the way? Read it with `read(...)`.
# - In the motion swap view, count how often the oracle's shirt class changes along a row
#   for `g3an-tiny`, `mocogan-tiny` and `g3an-tiny-style-pairs` (try 10 seeds each). Which
#   model keeps its looks best when only $z_m$ changes, and does that match the shares that
#   notebook 00's table records for each?
# - Compute the principal directions from 32 and from 256 videos, and from two seeds
#   (`principal_directions(..., seed=1)`): how similar are they (the cosine of matching
#   rows)? How many videos do you need before the first direction stops moving?
#
# What to look for: a disentangled generator would change only the shirt along the
# interpolation, keep every appearance class along a motion-swap row, and have stable
# directions. Write down which of these the shipped models do, and which they do not.

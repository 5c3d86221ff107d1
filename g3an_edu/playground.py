"""The playground: drive a trained generator's appearance and motion codes by hand.

Everything works without widgets; the widgets only call it:

- :func:`appearance_code`, :func:`motion_code`, :func:`make_codes`: ``z_a (B, dim_za)`` and
  ``z_m (B, dim_zm, S)`` from one seed per code, plus steps along principal directions;
  ``S = L`` motion steps for G3AN (``T = 4(L+3)`` frames) and ``S = T`` per-frame noise steps
  for MoCoGAN (:func:`motion_steps`);
- :func:`render_codes` and :func:`render`: the video ``(B, 3, T, H, W)`` in [-1, 1] of given
  codes, or of :class:`Settings` (model, seeds, steps, length, view);
- :func:`principal_directions` (and its core :func:`directions_from`): directions in ``z_a``
  or ``z_m`` along which the output changes most, GANSpace-style (Härkönen et al., NeurIPS
  2020): PCA of the videos, regressed back onto the codes;
- :func:`find_appearance`: the ``z_a`` whose videos the shipped oracle reads as a chosen look
  (skin, shirt, trousers, background, texture of ``SyntheticActions``), by screening random
  codes and refining the best by gradient descent; :func:`real_look` renders that look from
  the synthetic data for comparison;
- :class:`Playground` and :class:`LookFinder`: ipywidgets controls around the above. They use
  only API that ipywidgets 7.7 (Colab) and 8 (JupyterLab 4) share: ``observe``, ``Image``
  with GIF bytes, ``Dropdown`` with ``(label, value)`` options, ``Button.on_click``.

Codes are drawn from their own seeded ``torch.Generator`` and models are loaded through
:func:`g3an_edu.models.load_pretrained`: nothing here moves the caller's random stream.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from .baselines import MoCoGANGenerator
from .data.synthetic import (
    BACKGROUND,
    SHIRT,
    SKIN,
    TEXTURES,
    TROUSERS,
    Appearance,
    SyntheticActions,
)
from .generator import frames_for_length
from .validation import check_choice, check_tensor
from .viz import encode_video, video_grid

MODELS = ("g3an-tiny", "mocogan-tiny", "g3an-tiny-style-pairs")  # the shipped models
# view -> what the batch holds
VIEWS = {
    "single": "one video",
    "same_za": "same z_a, a new z_m in each column (motion swap)",
    "same_zm": "same z_m, a new z_a in each column (appearance swap)",
}
MAX_LENGTH = 8  # the length slider's maximum L (T = 4(L+3) = 44 frames)
N_DIRECTIONS = 2  # principal directions per code in the playground
# The oracle's appearance factors and their class names, in the order of their labels.
LOOK_CLASSES: dict[str, tuple[str, ...]] = {
    "skin": tuple(SKIN), "shirt": tuple(SHIRT), "trousers": tuple(TROUSERS),
    "background": tuple(BACKGROUND), "texture": tuple(TEXTURES),
}


# ----------------------------------------------------------------------------- codes


def motion_steps(g: nn.Module, length: int) -> int:
    """Motion-code steps ``S`` that give ``T = 4(length+3)`` frames: ``length`` for G3AN (its
    temporal stream upsamples them), ``T`` for MoCoGAN (one noise vector per frame)."""
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        raise ValueError(f"length L must be an int ≥ 1 (T = 4(L+3) frames), got {length!r}.")
    return frames_for_length(length) if isinstance(g, MoCoGANGenerator) else length


def appearance_code(dim_za: int, seed: int) -> torch.Tensor:
    """The appearance code of ``seed``: ``(dim_za,)`` standard normal."""
    return torch.randn(dim_za, generator=torch.Generator().manual_seed(_seed(seed)))


def motion_code(dim_zm: int, steps: int, seed: int) -> torch.Tensor:
    """The motion code of ``seed``: ``(dim_zm, steps)`` standard normal.

    Drawn step by step, so a longer code of the same seed starts with the shorter one: moving
    the length slider extends the motion instead of replacing it.
    """
    if steps < 1:
        raise ValueError(f"a motion code needs ≥ 1 step, got {steps}.")
    rng = torch.Generator().manual_seed(_seed(seed))
    return torch.stack([torch.randn(dim_zm, generator=rng) for _ in range(steps)], 1)


def _seed(seed: int) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seeds are ints ≥ 0, got {seed!r}.")
    return seed


@dataclass(frozen=True)
class Settings:
    """What the playground shows.

    ``model``: a shipped model's name; ``seed_a`` / ``seed_m``: one seed per code;
    ``steps_a`` / ``steps_m``: how far to move along each principal direction of ``z_a`` /
    ``z_m`` (in standard deviations of the code); ``length``: ``L``, so ``T = 4(L+3)``;
    ``view``: a key of :data:`VIEWS`; ``columns``: videos per row in the swap views.
    """

    model: str = "g3an-tiny"
    seed_a: int = 0
    seed_m: int = 0
    steps_a: tuple[float, ...] = (0.0,) * N_DIRECTIONS
    steps_m: tuple[float, ...] = (0.0,) * N_DIRECTIONS
    length: int = 1
    view: str = "single"
    columns: int = 4

    def __post_init__(self) -> None:
        check_choice(self.view, "view", tuple(VIEWS))
        _seed(self.seed_a)
        _seed(self.seed_m)
        if not isinstance(self.length, int) or not 1 <= self.length <= 64:
            raise ValueError(f"length L must be an int in 1..64 (T = 4(L+3)), got "
                             f"{self.length!r}.")
        if not isinstance(self.columns, int) or not 1 <= self.columns <= 16:
            raise ValueError(f"columns must be an int in 1..16, got {self.columns!r}.")

    @property
    def frames(self) -> int:
        """``T = 4(L+3)``."""
        return frames_for_length(self.length)

    def seeds(self) -> tuple[list[int], list[int]]:
        """The ``z_a`` and ``z_m`` seed of each video of the batch, by :attr:`view`."""
        n = 1 if self.view == "single" else self.columns
        new = list(range(n))
        seeds_a = [self.seed_a + (i if self.view == "same_zm" else 0) for i in new]
        seeds_m = [self.seed_m + (i if self.view == "same_za" else 0) for i in new]
        return seeds_a, seeds_m


@dataclass(frozen=True)
class Directions:
    """Principal directions of one code: ``vectors (k, dim)`` unit rows, ``explained (k,)``
    the fraction of the output's variance each PCA component holds, ``code`` ``"z_a"`` or
    ``"z_m"``."""

    code: str
    vectors: torch.Tensor
    explained: torch.Tensor


def make_codes(g: nn.Module, settings: Settings, directions_a: Directions | None = None,
               directions_m: Directions | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """``z_a (B, dim_za)`` and ``z_m (B, dim_zm, S)`` of ``settings`` for generator ``g``.

    Each video's codes come from its seeds (:meth:`Settings.seeds`), then move by
    ``steps_a[k] · directions_a.vectors[k]`` (and the same for ``z_m``, added at every step).
    """
    seeds_a, seeds_m = settings.seeds()
    steps = motion_steps(g, settings.length)
    z_a = torch.stack([appearance_code(g.dim_za, s) for s in seeds_a])  # (B, dim_za)
    z_m = torch.stack([motion_code(g.dim_zm, steps, s) for s in seeds_m])  # (B, dim_zm, S)
    z_a = z_a + _offset(directions_a, settings.steps_a, g.dim_za, "z_a")[None]
    z_m = z_m + _offset(directions_m, settings.steps_m, g.dim_zm, "z_m")[None, :, None]
    return z_a, z_m


def _offset(directions: Directions | None, steps: tuple[float, ...], dim: int,
            name: str) -> torch.Tensor:
    """``Σ_k steps[k] · vectors[k]``: ``(dim,)``."""
    if directions is None:
        if any(s != 0 for s in steps):
            raise ValueError(f"steps along {name}'s principal directions ({steps}) need its "
                             "directions: pass principal_directions(g, ...) for it.")
        return torch.zeros(dim)
    if len(steps) > len(directions.vectors) or directions.vectors.shape[1] != dim:
        raise ValueError(f"{len(steps)} steps along {name} need ≥ {len(steps)} directions of "
                         f"size {dim}; got directions of shape "
                         f"{tuple(directions.vectors.shape)}.")
    out = torch.zeros(dim)
    for s, v in zip(steps, directions.vectors, strict=False):
        out += float(s) * v.float()
    return out


# ----------------------------------------------------------------------------- rendering


_LOADED: dict[tuple[str, str], nn.Module] = {}


def load_model(name: str, device: torch.device | str = "cpu") -> nn.Module:
    """The shipped generator ``name`` (cached: the playground loads each model once)."""
    from .models import load_pretrained

    key = (name, str(device))
    if key not in _LOADED:
        _LOADED[key] = load_pretrained(name, device)[0]
    return _LOADED[key]


@torch.no_grad()
def render_codes(g: nn.Module, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
    """``G(z_a (B, dim_za), z_m (B, dim_zm, S))`` -> video ``(B, 3, T, H, W)`` in [-1, 1], on
    the CPU (computed on ``g``'s device)."""
    check_tensor(z_a, "z_a", ("B", g.dim_za))
    check_tensor(z_m, "z_m", (z_a.shape[0], g.dim_zm, "S"))
    device = next(g.parameters()).device
    return g(z_a.to(device), z_m.to(device)).float().cpu()


def render(model: str | nn.Module = "g3an-tiny", settings: Settings | None = None,
           directions_a: Directions | None = None, directions_m: Directions | None = None,
           device: torch.device | str = "cpu", **changes: Any) -> torch.Tensor:
    """The video ``(B, 3, 4(L+3), H, W)`` of ``settings`` (default :class:`Settings`, with
    ``changes`` applied, e.g. ``render("mocogan-tiny", seed_a=3, length=2)``).

    ``model``: a shipped name (loaded with :func:`load_model`) or a generator.
    """
    settings = replace(settings or Settings(), **changes)
    g = load_model(model, device) if isinstance(model, str) else model
    return render_codes(g, *make_codes(g, settings, directions_a, directions_m))


def gif_bytes(videos: torch.Tensor, ncol: int | None = None, scale: int = 3,
              fps: int = 8) -> bytes:
    """Videos ``(B, 3, T, H, W)`` in [-1, 1] as one animated GIF, tiled ``ncol`` per row,
    each pixel repeated ``scale`` times."""
    grid = video_grid(videos, ncol)  # (T, GH, GW, 3) in [0, 1]
    grid = grid.repeat_interleave(scale, 1).repeat_interleave(scale, 2)
    return encode_video((grid * 255).round().to(torch.uint8).numpy(), "gif", fps)


# ----------------------------------------------------------------------------- directions


def directions_from(codes: torch.Tensor, features: torch.Tensor,
                    k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Code-space directions of the top ``k`` principal components of ``features``.

    ``codes (n, d)`` made ``features (n, f)``. PCA of the centred features gives scores
    ``(n, k)``; standardised to unit variance, least squares finds ``D (k, d)`` with
    ``codes - mean ≈ scores · D``: row ``j`` is the code change that moves component ``j`` by
    one standard deviation. Returns the rows of ``D`` scaled to unit length (sign: largest
    entry positive) and each component's share of the feature variance ``(k,)``.
    """
    check_tensor(codes, "codes", ("n", "d"))
    check_tensor(features, "features", (codes.shape[0], "f"))
    n = codes.shape[0]
    if not 1 <= k < n:
        raise ValueError(f"k must be in 1..n-1 = 1..{n - 1} (n = {n} samples), got {k}.")
    x = features.double() - features.double().mean(0)  # (n, f)
    z = codes.double() - codes.double().mean(0)  # (n, d)
    u, s, _ = torch.linalg.svd(x, full_matrices=False)  # u (n, r), s (r,)
    scores = u[:, :k] * math.sqrt(n - 1)  # (n, k): unit-variance PCA scores
    d = torch.linalg.lstsq(scores, z).solution  # (k, d)
    d = d / d.norm(dim=1, keepdim=True).clamp_min(1e-12)
    biggest = d.abs().argmax(1)  # SVD signs are arbitrary: make the largest entry positive
    d = d * torch.sign(d.gather(1, biggest[:, None]))
    explained = s[:k] ** 2 / (s**2).sum()
    return d.float(), explained.float()


def principal_directions(g: nn.Module, code: str = "z_a", k: int = N_DIRECTIONS, n: int = 64,
                         seed: int = 0, batch: int = 16) -> Directions:
    """The ``k`` directions of ``code`` (``"z_a"`` or ``"z_m"``) that change ``g``'s videos
    most, from ``n`` samples (L = 1).

    For ``z_a``: ``n`` appearance codes with one motion code; the feature is each video's mean
    over time ``(3·H·W)`` (what appearance should change). For ``z_m``: ``n`` motion codes
    with one appearance code; the feature is the video minus its mean over time
    ``(3·T·H·W)`` (the motion), and the code is ``z_m``'s mean over its steps ``(dim_zm,)``.
    See :func:`directions_from`.
    """
    check_choice(code, "code", ("z_a", "z_m"))
    if n < k + 2:
        raise ValueError(f"n = {n} samples cannot give {k} directions: use n ≥ {k + 2} "
                         "(dozens for stable ones).")
    steps = motion_steps(g, 1)
    if code == "z_a":
        codes = torch.stack([appearance_code(g.dim_za, 10_000 + seed * n + i) for i in range(n)])
        z_m = motion_code(g.dim_zm, steps, seed)[None].expand(n, -1, -1)
        z_a = codes
    else:
        z_m = torch.stack([motion_code(g.dim_zm, steps, 10_000 + seed * n + i)
                           for i in range(n)])  # (n, dim_zm, S)
        z_a = appearance_code(g.dim_za, seed)[None].expand(n, -1)
        codes = z_m.mean(2)  # (n, dim_zm)
    feats = []
    for i in range(0, n, batch):
        v = render_codes(g, z_a[i:i + batch], z_m[i:i + batch])  # (b, 3, T, H, W)
        mean = v.mean(2)  # (b, 3, H, W)
        feats.append((mean if code == "z_a" else v - mean[:, :, None]).flatten(1))
    vectors, explained = directions_from(codes, torch.cat(feats), k)
    return Directions(code, vectors, explained)


# ----------------------------------------------------------------------------- looks


def parse_look(target: dict[str, str | int]) -> dict[str, int]:
    """``{"shirt": "red", "background": 2}`` -> ``{factor: class index}``, checked against
    :data:`LOOK_CLASSES` (factors left out are free)."""
    if not isinstance(target, dict) or not target:
        raise ValueError("a look is a non-empty dict {factor: class}, e.g. {'shirt': 'red'}; "
                         f"factors: {', '.join(LOOK_CLASSES)}.")
    out = {}
    for factor, value in target.items():
        check_choice(factor, "appearance factor", tuple(LOOK_CLASSES))
        names = LOOK_CLASSES[factor]
        if isinstance(value, str):
            check_choice(value, f"{factor} class", names)
            out[factor] = names.index(value)
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
            out[factor] = value
        else:
            raise ValueError(f"{factor} must be one of {', '.join(names)} (or its index "
                             f"0..{len(names) - 1}), got {value!r}.")
    return out


def real_look(target: dict[str, str | int], motion_index: int = 0, length: int = 1,
              size: int = 32, seed: int = 0) -> torch.Tensor:
    """The synthetic data's video ``(1, 3, 4(L+3), size, size)`` of a look: item
    ``motion_index`` of ``SyntheticActions(seed=seed)`` (its body, position and motion) with
    the classes of ``target`` in their exact class colours."""
    look = parse_look(target)
    ds = SyntheticActions(size=size, frames=frames_for_length(length), seed=seed)
    app, motion = ds.factors([motion_index])
    tables = {"skin": SKIN, "shirt": SHIRT, "trousers": TROUSERS, "background": BACKGROUND}
    colours = app.colours.clone()  # (1, 4, 3)
    values = {f: getattr(app, f).clone() for f in LOOK_CLASSES}
    for j, (factor, table) in enumerate(tables.items()):
        if factor in look:
            values[factor][0] = look[factor]
            colours[0, j] = torch.tensor(list(table.values())[look[factor]])
    if "texture" in look:
        values["texture"][0] = look["texture"]
    app = Appearance(colours=colours, proportions=app.proportions, position=app.position,
                     scale=app.scale, **values)
    return ds.render(app, motion)


@dataclass
class LookResult:
    """What :func:`find_appearance` found: ``z_a (dim_za,)``; ``target`` ``{factor: class}``;
    ``probability`` ``{factor: p}`` the oracle's mean probability of the target class over
    the check motions; ``agreement`` the fraction of check videos whose every target factor
    the oracle reads right; ``losses`` the loss before each refinement step and after the
    last (``z_a`` is the code of the lowest)."""

    z_a: torch.Tensor
    target: dict[str, int]
    probability: dict[str, float]
    agreement: float
    losses: list[float] = field(default_factory=list)

    def describe(self) -> str:
        """One line per factor: ``shirt  red  p = 0.97``."""
        return "\n".join(f"{f:10s} {LOOK_CLASSES[f][c]:8s} p = {self.probability[f]:.2f}"
                         for f, c in self.target.items())


def look_loss(oracle: nn.Module, videos: torch.Tensor, target: dict[str, int]) -> torch.Tensor:
    """Mean over videos ``(B, 3, T, H, W)`` of ``Σ_factor -log p_oracle(target class)``: ``()``."""
    logits = oracle(videos).logits
    return sum(F.cross_entropy(logits[f], torch.full((len(videos),), c, dtype=torch.long,
                                                     device=videos.device))
               for f, c in target.items())


def look_agreement(g: nn.Module, oracle: nn.Module, z_a: torch.Tensor, target: dict[str, int],
                   z_m: torch.Tensor) -> tuple[float, dict[str, float]]:
    """Render ``z_a (dim_za,)`` with each motion of ``z_m (M, dim_zm, S)``; returns the
    fraction of the ``M`` videos whose every target factor the oracle reads right, and the
    oracle's mean probability of each target class."""
    with torch.no_grad():
        videos = render_codes(g, z_a[None].expand(len(z_m), -1), z_m)
        logits = oracle(videos.to(next(oracle.parameters()).device)).logits
    right = torch.ones(len(z_m), dtype=torch.bool)
    probability = {}
    for f, c in target.items():
        right &= logits[f].argmax(1).cpu() == c
        probability[f] = logits[f].softmax(1)[:, c].mean().item()
    return right.float().mean().item(), probability


def find_appearance(g: nn.Module, oracle: nn.Module, target: dict[str, str | int],
                    candidates: int = 64, steps: int = 30, motions: int = 2, checks: int = 4,
                    lr: float = 0.05, prior: float = 1.0, seed: int = 0) -> LookResult:
    """The ``z_a (dim_za,)`` whose videos the oracle reads as ``target``, with any motion.

    1. Screen ``candidates`` random appearance codes, each with one motion code: keep the one
       with the lowest :func:`look_loss`.
    2. Refine it for ``steps`` Adam steps on the loss averaged over ``motions`` motion codes
       (the look must hold whatever the motion) plus ``prior · (‖z_a‖/√dim_za − 1)²``, which
       keeps ``z_a`` on the shell where standard-normal codes live (off it, the generator never
       trained).
       The code with the lowest loss seen is kept (Adam's steps can overshoot).
    3. Check it with ``checks`` other motion codes (:func:`look_agreement`).

    Only ``z_a`` gets gradients (``torch.autograd.grad``): the weights of ``g`` and ``oracle``
    are neither changed nor given ``.grad``. Deterministic for a given ``seed``.
    """
    look = parse_look(target)
    for name, value in (("candidates", candidates), ("motions", motions), ("checks", checks)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int ≥ 1, got {value!r}.")
    if not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an int ≥ 0, got {steps!r}.")
    device = next(g.parameters()).device
    s = motion_steps(g, 1)
    z_m = torch.stack([motion_code(g.dim_zm, s, seed * 1000 + i) for i in range(motions)])
    pool = torch.stack([appearance_code(g.dim_za, 20_000 + seed * candidates + i)
                        for i in range(candidates)])  # (candidates, dim_za)
    with torch.no_grad():
        scores = torch.cat([
            _per_video_loss(oracle, render_codes(g, pool[i:i + 16],
                                                 z_m[:1].expand(len(pool[i:i + 16]), -1, -1)),
                            look) for i in range(0, candidates, 16)])
    z_a = pool[scores.argmin()].clone().to(device).requires_grad_(True)
    z_m = z_m.to(device)
    opt = torch.optim.Adam([z_a], lr=lr)
    losses: list[float] = []
    best = z_a.detach().clone()
    for _ in range(steps + 1):
        videos = g(z_a[None].expand(motions, -1), z_m)  # (M, 3, T, H, W)
        shell = (z_a.norm() / math.sqrt(g.dim_za) - 1) ** 2
        loss = look_loss(oracle, videos, look) + prior * shell
        if not losses or loss.item() < min(losses):  # Adam's steps can overshoot: keep the best
            best = z_a.detach().clone()
        losses.append(loss.item())
        if len(losses) > steps:
            break
        (grad,) = torch.autograd.grad(loss, z_a)
        z_a.grad = grad
        opt.step()
    z_a = best.cpu()
    check_m = torch.stack([motion_code(g.dim_zm, s, 50_000 + seed * checks + i)
                           for i in range(checks)])
    agreement, probability = look_agreement(g, oracle, z_a, look, check_m)
    return LookResult(z_a, look, probability, agreement, losses)


def _per_video_loss(oracle: nn.Module, videos: torch.Tensor,
                    target: dict[str, int]) -> torch.Tensor:
    logits = oracle(videos.to(next(oracle.parameters()).device)).logits
    return sum(F.cross_entropy(logits[f], torch.full((len(videos),), c, dtype=torch.long,
                                                     device=logits[f].device), reduction="none")
               for f, c in target.items()).cpu()


# ----------------------------------------------------------------------------- widgets


class Playground:
    """Sliders and menus for a shipped model's codes, and the video they give, live.

    ``playground.widget`` is the box to display; ``playground.controls`` the controls by name
    (``model``, ``seed_a``, ``pc_a1``.., ``seed_m``, ``pc_m1``.., ``length``, ``view``);
    ``playground.video`` the current video ``(B, 3, T, H, W)``; :meth:`describe` the state as
    text (what a static copy of the notebook shows). Setting a control's ``value`` from code
    updates the video, as moving it does. Each model's principal directions are computed from
    ``directions_n`` samples when it is first shown, unless ``directions`` holds them.
    """

    def __init__(self, models: tuple[str, ...] = MODELS, settings: Settings | None = None,
                 device: torch.device | str = "cpu", directions_n: int = 64, scale: int = 3,
                 fps: int = 8,
                 directions: dict[str, tuple[Directions, Directions]] | None = None) -> None:
        import ipywidgets as w

        settings = settings or Settings(model=models[0])
        check_choice(settings.model, "model", models)
        self.device, self.directions_n, self.scale, self.fps = device, directions_n, scale, fps
        # model -> (z_a's, z_m's) directions; pass ones you computed to skip computing them
        self._directions: dict[str, tuple[Directions, Directions]] = dict(directions or {})
        self._hold = False
        style = {"description_width": "initial"}
        slider = dict(continuous_update=False, style=style)
        c: dict[str, Any] = {
            "model": w.Dropdown(options=list(models), value=settings.model,
                                description="model", style=style),
            "seed_a": w.IntSlider(value=settings.seed_a, min=0, max=99,
                                  description="z_a seed", **slider),
            "seed_m": w.IntSlider(value=settings.seed_m, min=0, max=99,
                                  description="z_m seed", **slider),
            "length": w.IntSlider(value=settings.length, min=1, max=MAX_LENGTH,
                                  description="L (z_m steps)", **slider),
            "view": w.Dropdown(options=[(label, key) for key, label in VIEWS.items()],
                               value=settings.view, description="view", style=style),
        }
        for code, values in (("a", settings.steps_a), ("m", settings.steps_m)):
            for k in range(N_DIRECTIONS):
                c[f"pc_{code}{k + 1}"] = w.FloatSlider(
                    value=values[k] if k < len(values) else 0.0, min=-3.0, max=3.0, step=0.25,
                    description=f"z_{code} PC{k + 1}", readout_format=".2f", **slider)
        self.controls = c
        self.new_seeds = w.Button(description="new seeds")
        self.reset = w.Button(description="reset")
        self.new_seeds.on_click(lambda _: self._set(seed_a=(c["seed_a"].value + 17) % 100,
                                                    seed_m=(c["seed_m"].value + 29) % 100))
        self.reset.on_click(lambda _: self._set(**self._values(Settings(model=c["model"].value))))
        self.image = w.Image(format="gif")
        self.info = w.HTML()
        for control in c.values():
            control.observe(self._changed, names="value")
        pcs = lambda code: [c[f"pc_{code}{k + 1}"] for k in range(N_DIRECTIONS)]  # noqa: E731
        column = lambda children: w.VBox(children)  # noqa: E731
        self.widget = w.VBox([
            w.HBox([c["model"], c["view"]]),
            w.HBox([column([c["seed_a"], *pcs("a")]), column([c["seed_m"], *pcs("m"),
                                                               c["length"]])]),
            w.HBox([self.new_seeds, self.reset]),
            self.image, self.info,
        ])
        self.video = torch.empty(0)
        self.update()

    @property
    def settings(self) -> Settings:
        """The controls' current values as :class:`Settings`."""
        c = self.controls
        return Settings(
            model=c["model"].value, seed_a=c["seed_a"].value, seed_m=c["seed_m"].value,
            steps_a=tuple(c[f"pc_a{k + 1}"].value for k in range(N_DIRECTIONS)),
            steps_m=tuple(c[f"pc_m{k + 1}"].value for k in range(N_DIRECTIONS)),
            length=c["length"].value, view=c["view"].value)

    def directions(self, model: str) -> tuple[Directions, Directions]:
        """``z_a``'s and ``z_m``'s principal directions for ``model`` (computed once)."""
        if model not in self._directions:
            g = load_model(model, self.device)
            self._directions[model] = (
                principal_directions(g, "z_a", n=self.directions_n),
                principal_directions(g, "z_m", n=self.directions_n))
        return self._directions[model]

    def update(self) -> torch.Tensor:
        """Render the controls' settings into :attr:`video` and the image; returns the video."""
        s = self.settings
        g = load_model(s.model, self.device)
        self.video = render_codes(g, *make_codes(g, s, *self.directions(s.model)))
        self.image.value = gif_bytes(self.video, ncol=len(self.video), scale=self.scale,
                                     fps=self.fps)
        self.info.value = f"<pre>{self.describe()}</pre>"
        return self.video

    def describe(self) -> str:
        """The current state and video shape, as deterministic text."""
        s = self.settings
        steps = lambda xs: " ".join(f"{x:+.2f}" for x in xs)  # noqa: E731
        b, _, t, h, w = self.video.shape
        return (f"model {s.model} | view: {VIEWS[s.view]}\n"
                f"z_a: seed {s.seed_a}, PC steps {steps(s.steps_a)}\n"
                f"z_m: seed {s.seed_m}, PC steps {steps(s.steps_m)}, "
                f"L = {s.length} -> T = 4(L+3) = {s.frames} frames\n"
                f"video: {b} × (3, {t}, {h}, {w})")

    def _values(self, settings: Settings) -> dict[str, Any]:
        values = {"model": settings.model, "seed_a": settings.seed_a,
                  "seed_m": settings.seed_m, "length": settings.length, "view": settings.view}
        for k in range(N_DIRECTIONS):
            values[f"pc_a{k + 1}"] = settings.steps_a[k]
            values[f"pc_m{k + 1}"] = settings.steps_m[k]
        return values

    def _set(self, **values: Any) -> None:
        """Set several controls, then render once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}; the playground has "
                             f"{', '.join(self.controls)}.")
        self._hold = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._hold = False
        self.update()

    def set(self, **values: Any) -> torch.Tensor:
        """Move controls by name (``set(seed_m=3, length=2)``) and return the new video."""
        self._set(**values)
        return self.video

    def _changed(self, _change: dict) -> None:
        if not self._hold:
            self.update()


class LookFinder:
    """Pick a look (menus for skin, shirt, trousers, background, texture; "any" leaves a
    factor free), press *find z_a*, and watch the found code with several motions next to the
    synthetic data's clip of that look.

    ``finder.widget`` is the box to display; ``finder.result`` the last :class:`LookResult`;
    ``finder.video`` the last shown videos ``(1 + columns, 3, T, H, W)`` (the real clip
    first); :meth:`find` does what the button does.
    """

    def __init__(self, model: str = "g3an-tiny", target: dict[str, str] | None = None,
                 device: torch.device | str = "cpu", columns: int = 3, scale: int = 3,
                 fps: int = 8, **search: Any) -> None:
        import ipywidgets as w

        from .metrics.oracle import load_oracle

        self.g = load_model(model, device)
        self.oracle = load_oracle(device=device)[0]
        self.columns, self.scale, self.fps, self.search = columns, scale, fps, search
        target = target or {"shirt": "red"}
        parse_look(target)
        style = {"description_width": "initial"}
        self.controls: dict[str, Any] = {
            f: w.Dropdown(options=["any", *names], value=target.get(f, "any"),
                          description=f, style=style)
            for f, names in LOOK_CLASSES.items()}
        self.controls["seed_m"] = w.IntSlider(value=0, min=0, max=99, description="z_m seed",
                                              continuous_update=False, style=style)
        self.controls["length"] = w.IntSlider(value=1, min=1, max=MAX_LENGTH,
                                              description="L (z_m steps)",
                                              continuous_update=False, style=style)
        self.button = w.Button(description="find z_a")
        self.button.on_click(lambda _: self.find())
        for name in ("seed_m", "length"):
            self.controls[name].observe(lambda _: self.animate(), names="value")
        self.image = w.Image(format="gif")
        self.info = w.HTML("<pre>pick a look and press 'find z_a'</pre>")
        looks = [self.controls[f] for f in LOOK_CLASSES]
        self.widget = w.VBox([w.HBox(looks[:3]), w.HBox(looks[3:]),
                              w.HBox([self.controls["seed_m"], self.controls["length"],
                                      self.button]), self.image, self.info])
        self.result: LookResult | None = None
        self.video = torch.empty(0)

    def target(self) -> dict[str, str]:
        """The chosen look: ``{factor: class name}`` of the menus not set to "any"."""
        return {f: self.controls[f].value for f in LOOK_CLASSES
                if self.controls[f].value != "any"}

    def find(self) -> LookResult:
        """Search the ``z_a`` of the chosen look (:func:`find_appearance`), then animate it."""
        self.info.value = "<pre>searching ...</pre>"
        self.result = find_appearance(self.g, self.oracle, self.target(), **self.search)
        self.animate()
        return self.result

    def animate(self) -> torch.Tensor:
        """Show the real clip of the look, then the found ``z_a`` with ``columns`` motion codes
        from the ``z_m seed`` on; returns those videos."""
        if self.result is None:
            return self.video
        seed, length = self.controls["seed_m"].value, self.controls["length"].value
        s = motion_steps(self.g, length)
        z_m = torch.stack([motion_code(self.g.dim_zm, s, seed + i) for i in range(self.columns)])
        found = render_codes(self.g, self.result.z_a[None].expand(self.columns, -1), z_m)
        real = real_look(self.result.target, seed, length, size=found.shape[-1])
        self.video = torch.cat([real, found])
        self.image.value = gif_bytes(self.video, ncol=len(self.video), scale=self.scale,
                                     fps=self.fps)
        self.info.value = (f"<pre>left: the data's clip of the look; then z_a with z_m seeds "
                           f"{seed}..{seed + self.columns - 1}\n"
                           f"oracle on the search's check motions: agreement "
                           f"{self.result.agreement:.2f}\n"
                           f"{self.result.describe()}</pre>")
        return self.video

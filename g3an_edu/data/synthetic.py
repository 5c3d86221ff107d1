"""``SyntheticActions``: rendered human-action videos whose appearance and motion are known.

Each video shows one articulated figure (head, torso, two-segment arms and legs, feet)
doing one of ten actions modelled on the Weizmann set. Its factors:

- **appearance** (constant within a video): skin, shirt, trouser and background colour
  classes (each with a little jitter), background texture, body proportions, position and
  scale;
- **motion**: action, speed (cycles per frame), phase (where in the cycle it starts) and
  direction (which way the figure faces or travels).

Item ``i`` is a pure function of ``(seed, i)``: the factors are drawn on the CPU from a
generator seeded with a hash of both, and the video is quantised to 8-bit levels.
:meth:`SyntheticActions.render` draws any appearance with any motion, which is how the
course measures disentanglement.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import torch

from ..validation import check_choice
from .poses import ACTIONS, SIDE_VIEW, pose_angles, skeleton
from .render import background, part_radii, render_figures

SIZES = (32, 64, 128)
# Colour classes (RGB in [0, 1]), far apart so that a small classifier can tell them at 32 px.
SKIN = {"light": (0.96, 0.80, 0.69), "tan": (0.85, 0.64, 0.46), "brown": (0.60, 0.40, 0.26),
        "dark": (0.34, 0.22, 0.14)}
SHIRT = {"red": (0.85, 0.12, 0.12), "blue": (0.12, 0.30, 0.85), "green": (0.10, 0.62, 0.18),
         "yellow": (0.95, 0.80, 0.08), "purple": (0.55, 0.18, 0.70), "cyan": (0.05, 0.72, 0.78)}
TROUSERS = {"navy": (0.10, 0.13, 0.36), "charcoal": (0.22, 0.22, 0.22),
            "maroon": (0.45, 0.08, 0.14), "olive": (0.36, 0.40, 0.12)}
BACKGROUND = {"sky": (0.74, 0.85, 0.96), "mint": (0.78, 0.92, 0.76), "sand": (0.94, 0.87, 0.70),
              "grey": (0.80, 0.80, 0.80), "rose": (0.96, 0.79, 0.82), "lilac": (0.83, 0.78, 0.95)}
TEXTURES = ("plain", "floor", "stripes", "tiles")
COLOUR_JITTER = 0.04  # each channel moves by up to this much around its class colour

# Ranges of the continuous factors.
PROPORTIONS = (0.88, 1.12)  # limb length, build, head size multipliers
POSITION_X, GROUND_Y = (0.35, 0.65), (0.86, 0.95)  # fractions of the frame
SCALE = (0.58, 0.74)  # figure height / frame height
SPEED = (0.055, 0.095)  # motion cycles per frame
N_UNIFORMS = 16


def _stack(rows: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack(rows) if rows else torch.empty(0)


@dataclass
class Appearance:
    """Appearance factors of ``B`` videos (constant within a video).

    ``skin``, ``shirt``, ``trousers``, ``background`` (B,) int64 colour classes (indices
    into ``SKIN``, ``SHIRT``, ``TROUSERS``, ``BACKGROUND``); ``colours`` (B, 4, 3) the exact
    RGB in [0, 1] of (skin, shirt, trousers, background), class colour plus jitter;
    ``texture`` (B,) int64 index into ``TEXTURES``; ``proportions`` (B, 3) limb length,
    build and head size multipliers; ``position`` (B, 2) x of the body and y of the ground as
    fractions of the frame; ``scale`` (B,) figure height / frame height.
    """

    skin: torch.Tensor
    shirt: torch.Tensor
    trousers: torch.Tensor
    background: torch.Tensor
    colours: torch.Tensor
    texture: torch.Tensor
    proportions: torch.Tensor
    position: torch.Tensor
    scale: torch.Tensor

    def __len__(self) -> int:
        return len(self.skin)

    def __getitem__(self, idx) -> Appearance:
        """Select videos: ``app[[0, 0, 3]]`` or ``app[2:5]``."""
        return _select(self, idx)

    def to(self, device) -> Appearance:
        return type(self)(**{f.name: getattr(self, f.name).to(device) for f in fields(self)})


@dataclass
class Motion:
    """Motion factors of ``B`` videos.

    ``action`` (B,) int64 index into ``ACTIONS``; ``speed`` (B,) motion cycles per frame;
    ``phase`` (B,) in [0, 1), the cycle position of frame 0; ``direction`` (B,) int64 ±1,
    the way the figure faces (side view) or travels (+1: to the right).
    """

    action: torch.Tensor
    speed: torch.Tensor
    phase: torch.Tensor
    direction: torch.Tensor

    def __len__(self) -> int:
        return len(self.action)

    def __getitem__(self, idx) -> Motion:
        """Select videos: ``motion[[1, 1, 2]]`` or ``motion[:4]``."""
        return _select(self, idx)

    def to(self, device) -> Motion:
        return type(self)(**{f.name: getattr(self, f.name).to(device) for f in fields(self)})


def _select(factors, idx):
    if isinstance(idx, int):
        idx = [idx]
    if isinstance(idx, list):
        idx = torch.tensor(idx, dtype=torch.long)
    return type(factors)(**{f.name: getattr(factors, f.name)[idx] for f in fields(factors)})


def _index_seed(seed: int, index: int) -> int:
    """A 63-bit seed for item ``index`` (SplitMix64 finaliser of both numbers)."""
    z = (seed * 0x9E3779B97F4A7C15 + index + 1) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) & 0x7FFFFFFFFFFFFFFF


def _between(u: torch.Tensor, lo_hi: tuple[float, float]) -> torch.Tensor:
    return lo_hi[0] + (lo_hi[1] - lo_hi[0]) * u


def draw_factors(seed: int, indices: list[int]) -> tuple[Appearance, Motion]:
    """The factors of items ``indices`` of the data set with ``seed``, drawn on the CPU."""
    u = _stack([torch.rand(N_UNIFORMS, generator=torch.Generator().manual_seed(
        _index_seed(seed, i)), dtype=torch.float64) for i in indices]).reshape(-1, N_UNIFORMS)
    u = u.float()  # (B, 16)

    def pick(col: int, n: int) -> torch.Tensor:
        return (u[:, col] * n).long().clamp(max=n - 1)

    classes = [pick(0, len(SKIN)), pick(1, len(SHIRT)), pick(2, len(TROUSERS)),
               pick(3, len(BACKGROUND))]
    tables = [torch.tensor(list(t.values())) for t in (SKIN, SHIRT, TROUSERS, BACKGROUND)]
    base = torch.stack([table[c] for table, c in zip(tables, classes, strict=True)], dim=1)
    jitter_u = torch.stack([torch.rand(12, generator=torch.Generator().manual_seed(
        _index_seed(seed, i) ^ 0x5DEECE66D)) for i in indices]).reshape(-1, 4, 3)
    colours = (base + COLOUR_JITTER * (2 * jitter_u - 1)).clamp(0, 1)  # (B, 4, 3)
    appearance = Appearance(
        skin=classes[0], shirt=classes[1], trousers=classes[2], background=classes[3],
        colours=colours, texture=pick(4, len(TEXTURES)),
        proportions=_between(u[:, 5:8], PROPORTIONS),
        position=torch.stack([_between(u[:, 8], POSITION_X), _between(u[:, 9], GROUND_Y)], 1),
        scale=_between(u[:, 10], SCALE),
    )
    motion = Motion(action=pick(11, len(ACTIONS)), speed=_between(u[:, 12], SPEED),
                    phase=u[:, 13], direction=torch.where(u[:, 14] < 0.5, -1, 1).long())
    return appearance, motion


def joints(appearance: Appearance, motion: Motion, size: int = 64,
           frames: int = 16) -> torch.Tensor:
    """Joint positions ``(B, T, len(JOINTS), 2)`` in pixels (x right, y down) of
    ``appearance`` doing ``motion``: the skeleton the renderer draws."""
    if len(appearance) != len(motion):
        raise ValueError(f"appearance has {len(appearance)} videos but motion has "
                         f"{len(motion)}; select matching ones, e.g. app[[i] * n] with motion.")
    # float64, then rounded to float32: sin/cos may differ in the last bit between the
    # vectorised and the scalar code paths (so with the batch size); in float64 that
    # difference vanishes in the rounding, and every joint is the same in any batch.
    f64 = torch.float64
    angles = pose_angles(motion.action, motion.speed.to(f64), motion.phase.to(f64), frames)
    points = skeleton(angles, motion.action, motion.direction.to(f64), motion.speed.to(f64),
                      appearance.proportions.to(f64), appearance.position.to(f64),
                      appearance.scale.to(f64), size)  # (B, T, J, 2)
    return points.float()


def render(appearance: Appearance, motion: Motion, size: int = 64, frames: int = 16,
           device: torch.device | str | None = None, compiled: bool = False) -> torch.Tensor:
    """Videos ``(B, 3, T, H, W)`` in [-1, 1] (8-bit levels) of ``appearance`` doing ``motion``.

    ``appearance`` and ``motion`` must hold the same number of videos ``B``; video ``b`` shows
    appearance ``b`` performing motion ``b``. ``compiled`` paints with ``torch.compile``
    (faster after a one-time compile; bit-exact reproducibility is promised for the eager
    path, the compiled one may differ from it by one 8-bit level in rare pixels).
    """
    check_choice(size, "size", SIZES)
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}.")
    device = torch.device(device) if device is not None else appearance.skin.device
    app, mot = appearance.to(device), motion.to(device)
    points = joints(app, mot, size, frames)  # (B, T, J, 2)
    side_view = SIDE_VIEW.to(device)[mot.action]
    radii_e, radii_d = part_radii(app.proportions, side_view, app.scale, size)
    backgrounds = background(app.colours[:, 3], app.texture, app.position[:, 1], size)
    return render_figures(points, app.colours, backgrounds, radii_e, radii_d,
                          compiled=compiled)  # (B, 3, T, H, W)


class SyntheticActions(torch.utils.data.Dataset):
    """Procedurally rendered human-action videos with known appearance and motion factors.

    ``ds[i]`` is a dict (every value a tensor):

    - ``video`` float32 ``(3, T, H, W)`` in [-1, 1];
    - ``index`` the item's index;
    - motion: ``action`` (int, index into :attr:`ACTIONS`), ``speed`` (cycles per frame),
      ``phase`` (in [0, 1)), ``direction`` (int ±1);
    - appearance classes (int): ``skin``, ``shirt``, ``trousers``, ``background``,
      ``texture``; continuous appearance: ``colours`` ``(4, 3)`` exact RGB of skin, shirt,
      trousers, background; ``proportions`` ``(3,)`` limb length, build, head size;
      ``position`` ``(2,)`` body x and ground y as frame fractions; ``scale`` figure height
      / frame height.

    :meth:`batch` renders many items at once on any device (what a trainer calls);
    :meth:`factors` and :meth:`render` mix the appearance of some items with the motion of
    others. ``length`` is the nominal size (items are drawn on demand, nothing is stored).
    ``compiled=True`` renders through ``torch.compile`` (see :func:`render`).
    """

    ACTIONS = ACTIONS
    SKIN, SHIRT, TROUSERS, BACKGROUND = (tuple(d) for d in (SKIN, SHIRT, TROUSERS, BACKGROUND))
    TEXTURES = TEXTURES
    CLASS_LABELS = ("action", "skin", "shirt", "trousers", "background", "texture")

    def __init__(self, size: int = 64, frames: int = 16, seed: int = 0,
                 length: int = 50_000, compiled: bool = False) -> None:
        check_choice(size, "size", SIZES)
        if frames < 1:
            raise ValueError(f"frames must be at least 1, got {frames}.")
        if length < 1:
            raise ValueError(f"length must be at least 1, got {length}.")
        self.size, self.frames, self.seed, self.length = size, frames, seed, length
        self.compiled = compiled

    def __len__(self) -> int:
        return self.length

    def _check_indices(self, indices) -> list[int]:
        if isinstance(indices, torch.Tensor):
            indices = indices.tolist()
        out = []
        for i in indices:
            i = int(i)
            if not -self.length <= i < self.length:
                raise IndexError(f"index {i} is out of range for SyntheticActions of length "
                                 f"{self.length} (pass length= to make it longer).")
            out.append(i % self.length)
        return out

    def factors(self, indices) -> tuple[Appearance, Motion]:
        """Appearance and motion factors (on the CPU) of the items ``indices``."""
        return draw_factors(self.seed, self._check_indices(indices))

    def render(self, appearance: Appearance, motion: Motion,
               device: torch.device | str | None = None) -> torch.Tensor:
        """Videos ``(B, 3, T, H, W)``: video ``b`` shows ``appearance[b]`` doing ``motion[b]``.

        ``ds.render(app_i, mot_j)`` gives item i's look doing item j's motion.
        """
        return render(appearance, motion, self.size, self.frames, device, self.compiled)

    def joints(self, appearance: Appearance, motion: Motion) -> torch.Tensor:
        """Joint positions ``(B, T, len(JOINTS), 2)`` in pixels (x right, y down); the joint
        names are ``g3an_edu.data.poses.JOINTS``."""
        return joints(appearance, motion, self.size, self.frames)

    def batch(self, indices, device: torch.device | str | None = None) -> dict[str, torch.Tensor]:
        """Items ``indices`` rendered together on ``device``: ``video`` ``(B, 3, T, H, W)``,
        each label ``(B, ...)`` (see the class docstring for the keys)."""
        idx = self._check_indices(indices)
        app, mot = draw_factors(self.seed, idx)
        out = {"video": self.render(app, mot, device)}
        dev = out["video"].device
        out["index"] = torch.tensor(idx, dtype=torch.long, device=dev)
        for f in fields(mot):
            out[f.name] = getattr(mot, f.name).to(dev)
        for f in fields(app):
            out[f.name] = getattr(app, f.name).to(dev)
        return out

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {k: v[0] for k, v in self.batch([i]).items()}

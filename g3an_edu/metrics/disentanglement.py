"""Disentanglement metrics: does ``z_a`` control appearance only and ``z_m`` motion only?

The oracle (``g3an_edu.metrics.oracle``) predicts each video's action and appearance
classes. We draw *groups* of ``K`` videos that share one input and differ in the other:

- **appearance groups**: one ``z_a`` per group, ``K`` fresh ``z_m`` (real data: one figure
  rendered with the motions of ``K`` other videos);
- **motion groups**: one ``z_m`` per group, ``K`` fresh ``z_a`` (real data: one motion
  rendered on ``K`` other figures).

Within a group, every pair ``(i, j)``, ``i ≠ j``, is compared. The metrics, each in [0, 1]
unless stated:

``appearance_consistency``
    appearance groups: the fraction of pairs whose predicted appearance (every appearance
    factor: shirt, background, ...) is the same. 1 = changing ``z_m`` never changes looks.
``action_spread``
    appearance groups: the fraction of pairs whose predicted actions differ. 0 = ``z_m``
    does not change the action (MoCoGAN's "similar motions" failure); real data sits near
    ``1 - Σ_a p_a²``.
``action_consistency``
    motion groups: the fraction of pairs whose predicted action is the same. 1 = changing
    ``z_a`` never changes the action.
``appearance_spread``
    motion groups: the fraction of pairs whose predicted appearance differs (in any factor).
    0 = ``z_a`` does not change the looks.
``motion_diversity``
    appearance groups: the mean Euclidean distance between the oracle's motion features of
    the pairs (not in [0, 1]; compare with the real data's value). 0 = ``z_m`` is ignored.
``appearance_disentanglement``
    ``appearance_consistency + appearance_spread - 1``, in [-1, 1]: how much more often the
    looks stay the same when ``z_m`` changes than when ``z_a`` changes. 0 for a generator
    that ignores both inputs (its consistencies are a trivial 1 and its spreads 0), negative
    when ``z_m`` controls the looks more than ``z_a`` does.
``action_disentanglement``
    ``action_consistency + action_spread - 1``, in [-1, 1]: the same for the action (how much
    more often it stays when ``z_a`` changes than when ``z_m`` changes).
``action_entropy``
    over ``N`` independent samples: the entropy of the predicted-action histogram divided by
    ``log(number of actions)``. 1 = all actions equally often; 0 = one action only.

These argmax metrics flip wherever the oracle's prediction sits near a decision boundary
(likely on blurry generated videos), and requiring all appearance factors to agree
multiplies the flips. ``grouped.py`` adds per-factor agreement, a chance-corrected agreement
(κ) and variance shares of the oracle's soft predictions, computed from the same groups
(``draw_groups``), and ``bootstrap.py`` their intervals.
"""

from __future__ import annotations

import math
from typing import Protocol

import torch
import torch.nn as nn

from .grouped import GroupStats, group_metrics, group_stats, identity
from .oracle import embed

APPEARANCE, MOTION = "appearance", "motion"


class CannotRenderSwaps(ValueError):
    """A data set without ``render_pairs`` (a ``VideoFolder``): its swap groups do not exist."""


class VideoSource(Protocol):
    """Where videos come from: a generator or a data set."""

    def sample(self, n: int, rng: torch.Generator) -> dict[str, torch.Tensor]:
        """``{"video": (n, 3, T, H, W)}`` (plus ``(n,)`` labels for a labelled data set)."""

    def groups(self, n_groups: int, per_group: int, fixed: str,
               rng: torch.Generator) -> torch.Tensor:
        """``(n_groups, per_group, 3, T, H, W)``: each group shares ``fixed`` (appearance or
        motion) and varies the other."""


class GeneratorSource:
    """Videos of a generator ``G(z_a, z_m)`` with ``G.sample_noise(n, length, generator=)``.

    Puts ``G`` in eval mode (BatchNorm uses its running statistics, as when sampling). Noise
    is drawn on the CPU from the caller's ``torch.Generator``, so the videos depend on the
    seed only, not on the device.
    """

    def __init__(self, g: nn.Module, length: int = 1, batch: int = 32,
                 device: torch.device | str | None = None) -> None:
        param = next(g.parameters(), None)
        self.device = torch.device(device) if device is not None else (
            param.device if param is not None else torch.device("cpu"))
        self.g, self.length, self.batch = g.eval(), length, batch

    @torch.no_grad()
    def _render(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        out = [self.g(z_a[i:i + self.batch].to(self.device), z_m[i:i + self.batch]
                      .to(self.device)).float().cpu() for i in range(0, len(z_a), self.batch)]
        return torch.cat(out)  # (N, 3, T, R, R)

    def sample(self, n: int, rng: torch.Generator) -> dict[str, torch.Tensor]:
        z_a, z_m = self.g.sample_noise(n, self.length, generator=rng, device="cpu")
        return {"video": self._render(z_a, z_m)}

    def groups(self, n_groups: int, per_group: int, fixed: str,
               rng: torch.Generator) -> torch.Tensor:
        check_fixed(fixed)
        g, k = n_groups, per_group
        z_a, z_m = self.g.sample_noise(g * k, self.length, generator=rng, device="cpu")
        if fixed == APPEARANCE:  # one z_a per group: (G, 1, dim_za) -> (G·K, dim_za)
            z_a = z_a[:g, None].expand(g, k, z_a.shape[1]).reshape(g * k, -1)
        else:  # one z_m per group: (G, 1, dim_zm, L) -> (G·K, dim_zm, L)
            z_m = z_m[:g, None].expand(g, k, *z_m.shape[1:]).reshape(g * k, *z_m.shape[1:])
        video = self._render(z_a, z_m)  # (G·K, 3, T, R, R)
        return video.reshape(g, k, *video.shape[1:])  # (G, K, 3, T, R, R)


class DatasetSource:
    """Real videos of a data set: ``ds.batch(indices)`` (or ``ds[i]``) gives videos and labels.

    ``render_pairs(appearance_indices, motion_indices) -> (N, 3, T, H, W)`` renders item
    ``a``'s appearance with item ``m``'s motion; without it (e.g. a ``VideoFolder``), the
    disentanglement metrics of the real data are not defined and ``groups`` raises.
    ``indices`` restricts the items drawn (e.g. a held-out range).
    """

    def __init__(self, ds, render_pairs=None, indices: range | None = None) -> None:
        self.ds, self.render_pairs = ds, render_pairs
        self.indices = indices if indices is not None else range(len(ds))

    def _pick(self, n: int, rng: torch.Generator) -> list[int]:
        pos = torch.randint(len(self.indices), (n,), generator=rng)
        return [self.indices[int(p)] for p in pos]

    def sample(self, n: int, rng: torch.Generator) -> dict[str, torch.Tensor]:
        idx = self._pick(n, rng)
        if hasattr(self.ds, "batch"):
            return dict(self.ds.batch(idx))
        items = [self.ds[i] for i in idx]  # e.g. a VideoFolder: {"video": (3, T, H, W), ...}
        out = {"video": torch.stack([item["video"] for item in items])}  # (n, 3, T, H, W)
        for key, value in items[0].items():  # integer labels, if the items have any
            if key != "video" and _is_integer_label(value):
                out[key] = torch.tensor([int(item[key]) for item in items])  # (n,)
        return out

    def groups(self, n_groups: int, per_group: int, fixed: str,
               rng: torch.Generator) -> torch.Tensor:
        check_fixed(fixed)
        if self.render_pairs is None:
            raise CannotRenderSwaps("this data set cannot render one item's appearance with "
                                    "another's motion, so its disentanglement ceiling is "
                                    "undefined; pass render_pairs= (SyntheticActions has one).")
        g, k = n_groups, per_group
        shared = torch.tensor(self._pick(g, rng))[:, None].expand(g, k).reshape(-1)  # (G·K,)
        varied = torch.tensor(self._pick(g * k, rng))  # (G·K,)
        a, m = (shared, varied) if fixed == APPEARANCE else (varied, shared)
        video = self.render_pairs(a.tolist(), m.tolist())  # (G·K, 3, T, H, W)
        return video.reshape(g, k, *video.shape[1:])  # (G, K, 3, T, H, W)


def _is_integer_label(value: object) -> bool:
    """An ``int`` (not a bool) or a 0-dim integer tensor: a class label worth batching."""
    if isinstance(value, torch.Tensor):
        return value.dim() == 0 and not value.is_floating_point()
    return isinstance(value, int) and not isinstance(value, bool)


def check_fixed(fixed: str) -> None:
    if fixed not in (APPEARANCE, MOTION):
        raise ValueError(f"fixed must be {APPEARANCE!r} or {MOTION!r}, got {fixed!r}.")


# ----------------------------------------------------------------------------- the metrics


def pair_agreement(labels: dict[str, torch.Tensor], names: tuple[str, ...]) -> float:
    """Fraction of within-group pairs ``i ≠ j`` whose labels agree on every factor in ``names``.

    ``labels[name]`` is ``(G, K)``: group ``g``'s ``K`` predicted classes.
    """
    if not names:
        raise ValueError("pair_agreement needs at least one factor name.")
    same = None
    for name in names:
        x = labels[name]  # (G, K)
        eq = x[:, :, None] == x[:, None, :]  # (G, K, K)
        same = eq if same is None else same & eq
    k = same.shape[1]
    if k < 2:
        raise ValueError(f"groups need at least 2 videos to form pairs, got {k}.")
    off_diagonal = ~torch.eye(k, dtype=torch.bool)  # (K, K)
    return float(same[:, off_diagonal].float().mean())


def mean_pair_distance(features: torch.Tensor) -> float:
    """Mean Euclidean distance between the ``K`` feature vectors of each group, ``(G, K, D)``."""
    dist = torch.cdist(features.double(), features.double())  # (G, K, K)
    k = features.shape[1]
    off_diagonal = ~torch.eye(k, dtype=torch.bool)  # (K, K)
    return float(dist[:, off_diagonal].mean())


def normalised_entropy(labels: torch.Tensor, n_classes: int) -> float:
    """Entropy of the histogram of ``labels (N,)`` over ``n_classes``, divided by its maximum."""
    if n_classes < 2:
        return 0.0
    p = torch.bincount(labels.flatten(), minlength=n_classes).double() / labels.numel()
    p = p[p > 0]
    return max(0.0, float(-(p * p.log()).sum() / math.log(n_classes)))  # no -0.0


def draw_groups(oracle: nn.Module, source: VideoSource, n_groups: int = 32,
                per_group: int = 8, rng: torch.Generator | None = None,
                judge: nn.Module | None = None) -> tuple[GroupStats, ...]:
    """``(appearance groups, motion groups)`` of ``source`` as per-group statistics of the
    oracle's outputs (``grouped.GroupStats``), drawn in that order from ``rng``. With a
    ``judge`` (a second oracle, e.g. the colour-blind action judge) the same videos' statistics
    under it follow: ``(appearance, motion, judge's appearance, judge's motion)``; the draws
    from ``rng`` are the same with or without it."""
    rng = rng if rng is not None else torch.Generator().manual_seed(0)
    appearance = oracle.spec.appearance_factors
    stats, judged = [], []
    for fixed in (APPEARANCE, MOTION):
        videos = source.groups(n_groups, per_group, fixed, rng)  # (G, K, 3, T, H, W)
        out = embed(oracle, videos.flatten(0, 1))  # G·K videos
        stats.append(group_stats(out, n_groups, per_group, appearance))
        if judge is not None:
            judged.append(group_stats(embed(judge, videos.flatten(0, 1)), n_groups, per_group,
                                      judge.spec.appearance_factors))
    return (*stats, *judged)


def disentanglement(oracle: nn.Module, source: VideoSource, n_groups: int = 32,
                    per_group: int = 8, rng: torch.Generator | None = None) -> dict:
    """Every group metric of ``source`` (``None`` where undefined): the argmax ones of this
    module's docstring (``appearance_consistency``, ``action_spread``, ``motion_diversity``,
    ``action_consistency``, ``appearance_spread``, the net scores), and per-factor
    agreement, κ and variance shares (``grouped.py``)."""
    app, mot = draw_groups(oracle, source, n_groups, per_group, rng)
    one = identity(n_groups)  # (1, G): every group counted once
    return point_values(group_metrics(app, mot, one, one, oracle.spec.appearance_factors))


def point_values(metrics: dict) -> dict:
    """``(1,)`` tensors (or factor -> ``(1,)``) to floats, NaN to ``None``."""
    def value(t: torch.Tensor) -> float | None:
        v = float(t[0])
        return None if math.isnan(v) else v
    return {key: ({f: value(v) for f, v in t.items()} if isinstance(t, dict) else value(t))
            for key, t in metrics.items()}


def net_disentanglement(scores: dict[str, float]) -> dict[str, float]:
    """``appearance_disentanglement`` and ``action_disentanglement`` from the four pair scores.

    A consistency alone is a trivial 1 for a generator whose output never changes; subtracting
    how often the factor stays the same when the *other* code changes (1 - spread) removes that.
    """
    return {"appearance_disentanglement": scores["appearance_consistency"]
            + scores["appearance_spread"] - 1.0,
            "action_disentanglement": scores["action_consistency"] + scores["action_spread"] - 1.0}

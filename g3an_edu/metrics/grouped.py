"""Group metrics from per-group statistics: point values and a cheap bootstrap over groups.

Every disentanglement metric is a sum over groups of a few per-group statistics (class
counts, mean probabilities, sums of squares, pair distances). We compute those once; a
metric is then a function of the *multiplicities* ``m (B, G)``: how often each group is
counted. ``m = 1`` everywhere gives the measured value; rows of ``m`` drawn as a bootstrap
over groups (``G`` groups drawn with replacement) give ``B`` resampled values at the cost
of a few matrix products.

Notation: ``G`` groups of ``K`` videos, ``C`` classes of a factor, ``p_gk`` the oracle's
softmax probabilities of video ``k`` of group ``g`` for one factor (a vector of ``C``).

**Argmax agreement** (``pair_agreement`` of ``disentanglement.py``): with ``n_gc`` videos of
group ``g`` predicted as class ``c``, the ordered pairs ``i ≠ j`` of the group that agree
number ``Σ_c n_gc (n_gc - 1)``, out of ``K (K - 1)``.

**Chance agreement** ``p_chance``: the agreement of pairs of videos from *different* groups.
In appearance groups each video has its own ``z_m`` and its group's ``z_a``, so two videos
of different groups share neither code (real data: neither item). With pooled counts
``N_c = Σ_g m_g n_gc``, pairs of copies of the same group are taken out:
``(Σ_c N_c² - Σ_g m_g² Σ_c n_gc²) / ((K Σ_g m_g)² - K² Σ_g m_g²)``.

**κ** (chance-corrected agreement, Cohen's form): ``(p_same - p_chance) / (1 - p_chance)``.
1 = the kept code decides the class; 0 = sharing the code helps no more than sharing
nothing; undefined (``None``) when ``p_chance = 1``: every video gets the same class, so
a collapsed generator cannot be called consistent.

**Variance share** (one-way random-effects ANOVA on ``p``): the within-group mean square
``MSW = Σ_g Σ_k ||p_gk - p̄_g||² / (G (K - 1))`` estimates the within-group variance
``σ_w²`` without bias; ``MSB = K Σ_g ||p̄_g - p̄||² / (G - 1)`` has expectation
``σ_w² + K σ_b²``, so ``σ_b² ≈ (MSB - MSW) / K``. The share is

    share = σ_w² / (σ_w² + σ_b²) = MSW / (MSW + (MSB - MSW) / K)      (= 1 - ICC(1))

0 when the kept code decides the factor's probabilities, about 1 when it does nothing (not
``(K - 1)/K`` as the plain ratio of sums of squares would give), and it may exceed 1 a little
by sampling noise (it is not clipped, so that averages and intervals stay unbiased). Undefined
(``None``) when the probabilities do not vary at all (a generator with a constant output).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .oracle import ACTION, OracleOutput

JOINT = "all_appearance"  # the joint class of every appearance factor at once
_TINY = 1e-12  # variances and probabilities below this count as 0


@dataclass
class GroupStats:
    """What the group metrics need from ``G`` groups of ``K`` videos (float64 tensors)."""

    per_group: int  # K
    counts: dict[str, torch.Tensor]  # factor or JOINT -> (G, C) predicted-class counts
    prob_mean: dict[str, torch.Tensor]  # factor -> (G, C) group mean of softmax probabilities
    prob_ss: dict[str, torch.Tensor]  # factor -> (G,) Σ_k ||p_gk - p̄_g||²
    distance: torch.Tensor  # (G,) mean distance between the group's motion features

    @property
    def n_groups(self) -> int:
        return int(self.distance.shape[0])


def group_stats(out: OracleOutput, n_groups: int, per_group: int,
                appearance: tuple[str, ...]) -> GroupStats:
    """Per-group statistics of the oracle's outputs on ``G·K`` videos (group-major order)."""
    g, k = n_groups, per_group
    if k < 2:
        raise ValueError(f"groups need at least 2 videos to form pairs, got {k}; "
                         "use per_group >= 2.")
    preds = {name: p.reshape(g, k) for name, p in out.predictions().items()}  # (G, K) each
    counts = {name: _counts(p, out.logits[name].shape[1]) for name, p in preds.items()}
    if appearance:
        joint = torch.stack([preds[f].flatten() for f in appearance], 1)  # (G·K, F)
        ids = torch.unique(joint, dim=0, return_inverse=True)[1].reshape(g, k)  # (G, K)
        counts[JOINT] = _counts(ids, int(ids.max()) + 1)
    prob_mean, prob_ss = {}, {}
    for name, logits in out.logits.items():
        p = logits.double().softmax(1).reshape(g, k, -1)  # (G, K, C)
        prob_mean[name] = p.mean(1)  # (G, C)
        prob_ss[name] = (p - prob_mean[name][:, None]).square().sum((1, 2))  # (G,)
    feats = out.motion_features.double().reshape(g, k, -1)  # (G, K, D)
    off_diagonal = ~torch.eye(k, dtype=torch.bool)  # (K, K)
    distance = torch.cdist(feats, feats)[:, off_diagonal].mean(1)  # (G,)
    return GroupStats(k, counts, prob_mean, prob_ss, distance)


def _counts(labels: torch.Tensor, n_classes: int) -> torch.Tensor:
    """``(G, C)`` float64 counts of the classes ``labels (G, K)``."""
    out = torch.zeros(labels.shape[0], n_classes, dtype=torch.float64)
    return out.scatter_add_(1, labels.long(), torch.ones_like(labels, dtype=torch.float64))


def identity(n_groups: int) -> torch.Tensor:
    """``(1, G)`` multiplicities that count every group once: the measured value."""
    return torch.ones(1, n_groups, dtype=torch.float64)


def resample(n_groups: int, n_boot: int, rng: torch.Generator) -> torch.Tensor:
    """``(B, G)`` multiplicities of ``B`` bootstrap draws of ``G`` groups with replacement."""
    picks = torch.randint(n_groups, (n_boot, n_groups), generator=rng)  # (B, G)
    m = torch.zeros(n_boot, n_groups, dtype=torch.float64)
    return m.scatter_add_(1, picks, torch.ones_like(picks, dtype=torch.float64))


# ----------------------------------------------------------------------------- statistics
# Each takes the statistics of one set of groups and multiplicities m (B, G); returns (B,).


def agreement(counts: torch.Tensor, m: torch.Tensor, k: int) -> torch.Tensor:
    """Fraction of within-group pairs ``i ≠ j`` predicted as the same class."""
    same = (counts * (counts - 1)).sum(1)  # (G,) agreeing ordered pairs per group
    return (m @ same) / (m.sum(1) * k * (k - 1))


def chance_agreement(counts: torch.Tensor, m: torch.Tensor, k: int) -> torch.Tensor:
    """Fraction of pairs from different groups predicted as the same class (NaN for 1 group)."""
    pooled = m @ counts  # (B, C): N_c
    same = pooled.square().sum(1) - m.square() @ counts.square().sum(1)  # (B,)
    pairs = (k * m.sum(1)).square() - k * k * m.square().sum(1)  # (B,)
    return torch.where(pairs > 0, same / pairs.clamp(min=1), torch.nan)


def kappa(counts: torch.Tensor, m: torch.Tensor, k: int) -> torch.Tensor:
    """``(p_same - p_chance) / (1 - p_chance)``; NaN where ``p_chance = 1``."""
    p, chance = agreement(counts, m, k), chance_agreement(counts, m, k)
    room = 1 - chance
    return torch.where(room > _TINY, (p - chance) / room.clamp(min=_TINY), torch.nan)


def variance_share(mean: torch.Tensor, ss: torch.Tensor, m: torch.Tensor,
                   k: int) -> torch.Tensor:
    """Within-group share of the probabilities' variance (ANOVA estimator, module docstring).

    ``mean (G, C)`` group means, ``ss (G,)`` within-group sums of squares. NaN when nothing
    varies."""
    g = m.sum(1)  # (B,)
    msw = (m @ ss) / (g * (k - 1))  # (B,)
    grand = (m @ mean) / g[:, None]  # (B, C)
    between = m @ mean.square().sum(1) - g * grand.square().sum(1)  # (B,) Σ m_g ||p̄_g - p̄||²
    msb = k * between.clamp(min=0) / (g - 1)  # (B,)
    total = msw + (msb - msw) / k  # (B,) σ_w² + σ_b²
    return torch.where(total > _TINY, msw / total.clamp(min=_TINY), torch.nan)


def mean_distance(distance: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    """Mean over (counted) groups of the mean pair distance."""
    return (m @ distance) / m.sum(1)


# ----------------------------------------------------------------------------- the metrics


def group_metrics(app: GroupStats, mot: GroupStats, m_app: torch.Tensor,
                  m_mot: torch.Tensor, appearance: tuple[str, ...]) -> dict:
    """Every group metric, each ``(B,)`` (or factor -> ``(B,)``), for multiplicities
    ``m_app (B, G)`` of the appearance groups and ``m_mot (B, G)`` of the motion groups.

    Keys: see ``docs/evaluation.md`` (``disentanglement.py`` for the argmax ones)."""
    k, k2 = app.per_group, mot.per_group
    ones = torch.ones(m_app.shape[0], dtype=torch.float64)  # (B,)
    zeros = torch.zeros_like(ones)
    share_zm = {f: variance_share(app.prob_mean[f], app.prob_ss[f], m_app, k)
                for f in appearance}
    share_za = {f: variance_share(mot.prob_mean[f], mot.prob_ss[f], m_mot, k2)
                for f in appearance}
    out = {
        "appearance_consistency": agreement(app.counts[JOINT], m_app, k) if appearance else ones,
        "action_spread": 1 - agreement(app.counts[ACTION], m_app, k),
        "motion_diversity": mean_distance(app.distance, m_app),
        "action_consistency": agreement(mot.counts[ACTION], m_mot, k2),
        "appearance_spread": (1 - agreement(mot.counts[JOINT], m_mot, k2)) if appearance
        else zeros,
        "appearance_agreement_by_factor": {f: agreement(app.counts[f], m_app, k)
                                           for f in appearance},
        "appearance_chance_agreement": _nan_if(not appearance,
                                               lambda: chance_agreement(app.counts[JOINT],
                                                                        m_app, k), ones),
        "appearance_kappa": _nan_if(not appearance,
                                    lambda: kappa(app.counts[JOINT], m_app, k), ones),
        "appearance_kappa_by_factor": {f: kappa(app.counts[f], m_app, k) for f in appearance},
        "action_chance_agreement": chance_agreement(mot.counts[ACTION], m_mot, k2),
        "action_kappa": kappa(mot.counts[ACTION], m_mot, k2),
        "appearance_variance_from_zm": _nanmean(share_zm.values(), ones),
        "appearance_variance_from_zm_by_factor": share_zm,
        "appearance_variance_from_za": _nanmean(share_za.values(), ones),
        "action_variance_from_zm": variance_share(app.prob_mean[ACTION], app.prob_ss[ACTION],
                                                  m_app, k),
        "action_variance_from_za": variance_share(mot.prob_mean[ACTION], mot.prob_ss[ACTION],
                                                  m_mot, k2),
    }
    out["appearance_disentanglement"] = (out["appearance_consistency"]
                                         + out["appearance_spread"] - 1)
    out["action_disentanglement"] = out["action_consistency"] + out["action_spread"] - 1
    return out


def _nan_if(undefined: bool, value, like: torch.Tensor) -> torch.Tensor:
    return torch.full_like(like, torch.nan) if undefined else value()


def _nanmean(values, like: torch.Tensor) -> torch.Tensor:
    """Mean over factors ignoring undefined ones; NaN if all are (or there are none)."""
    values = list(values)
    if not values:
        return torch.full_like(like, torch.nan)
    return torch.stack(values).nanmean(0)

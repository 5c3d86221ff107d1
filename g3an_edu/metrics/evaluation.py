"""All metrics of a generator at once, and the real data's own scores as the ceiling.

``evaluate(oracle, fake, real)`` draws ``n`` videos from each source and returns

- ``fd_video``: Fréchet distance between the oracle's video features of fake and real videos
  (the course's FVD); ``fd_frame``: the same on single-frame features (the course's FID);
- the disentanglement metrics of ``g3an_edu.metrics.disentanglement`` and ``action_entropy``;
- ``appearance_entropy``: the normalised entropy of the predicted classes of each appearance
  factor (``appearance_entropy_by_factor``), worst factor: low when many videos share one
  shirt colour (a collapse the variance shares cannot see; compare with ``real``'s);
- ``oracle_accuracy``: the oracle's accuracy on the real videos drawn, worst factor (and
  ``oracle_accuracy_by_factor``), so a reader sees how far its labels can be trusted;
- with a ``judge`` (the colour-blind action judge, ``metrics.recolour``; shipped and used by
  default in :func:`evaluate_checkpoint`): ``action_variance_from_za_invariant``,
  ``action_variance_from_zm_invariant`` and ``action_kappa_invariant``, the action's group
  metrics read by the judge on the same videos. The oracle's action reading changes with
  colours on faint generated figures; the judge's much less (``docs/evaluation.md``).

``real_scores(oracle, real)`` computes the same metrics for the real data: ``fd_*`` between
two independent real samples of the same size (the distance a perfect generator would get,
which is not 0 at finite ``n``), the rest on real videos and real swaps (the ceiling).

Both also return the group metrics of ``grouped.py`` (per-factor agreement, κ, variance
shares) and ``"ci"``: key -> ``[low, high]``, a 95 % bootstrap interval for every metric
(``bootstrap.py``). Call two values different only when their intervals do not overlap.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

from ..batchnorm_statistics import recalibrate_batchnorm
from ..device import pick_device
from ..models import load_generator
from .bootstrap import (
    accuracy_samples,
    entropy_by_factor_samples,
    entropy_samples,
    fd_samples,
    intervals,
)
from .degrade import DegradedSource, calibrate_strength
from .disentanglement import (
    CannotRenderSwaps,
    GeneratorSource,
    VideoSource,
    draw_groups,
    normalised_entropy,
    point_values,
)
from .frechet import frechet_distance
from .grouped import GroupStats, group_metrics, identity, resample
from .oracle import ACTION, OracleOutput, embed, load_judge, load_oracle
from .real_data import real_source_for

KEYS = ("fd_video", "fd_frame", "appearance_consistency", "action_consistency",
        "motion_diversity", "action_spread", "appearance_spread", "appearance_disentanglement",
        "action_disentanglement", "action_entropy", "oracle_accuracy",
        "appearance_variance_from_zm", "appearance_variance_from_za",
        "action_variance_from_za", "action_variance_from_zm", "appearance_kappa",
        "action_kappa", "appearance_chance_agreement", "action_chance_agreement",
        "appearance_entropy")
GROUP_BY_FACTOR_KEYS = ("appearance_variance_from_zm_by_factor",
                        "appearance_agreement_by_factor", "appearance_kappa_by_factor")
BY_FACTOR_KEYS = (*GROUP_BY_FACTOR_KEYS, "appearance_entropy_by_factor")
GROUP_KEYS = ("appearance_consistency", "action_spread", "motion_diversity",
              "action_consistency", "appearance_spread", "appearance_disentanglement",
              "action_disentanglement", "appearance_variance_from_zm",
              "appearance_variance_from_za", "action_variance_from_za",
              "action_variance_from_zm", "appearance_kappa", "action_kappa",
              "appearance_chance_agreement", "action_chance_agreement", *GROUP_BY_FACTOR_KEYS)
INVARIANT_KEYS = ("action_variance_from_za_invariant", "action_variance_from_zm_invariant",
                  "action_kappa_invariant")
DEBIASED = {"fd_video": (0.0, math.inf), "fd_frame": (0.0, math.inf),
            "action_entropy": (0.0, 1.0),
            "appearance_entropy": (0.0, 1.0)}  # bias-shifted intervals and ranges: bootstrap.py
N_BOOT, N_BOOT_FD = 1000, 100  # an FD resample costs two eigendecompositions


def _fd(a: OracleOutput, b: OracleOutput) -> tuple[float, float]:
    frames_a = a.frame_features.flatten(0, 1)  # (N·T, D)
    frames_b = b.frame_features.flatten(0, 1)  # (N·T, D)
    return frechet_distance(a.video_features, b.video_features), frechet_distance(frames_a,
                                                                                  frames_b)


def correct_by_factor(oracle: nn.Module, out: OracleOutput,
                      batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """factor -> ``(N,)`` booleans: the oracle's prediction equals the label in ``batch``."""
    preds = out.predictions()
    return {name: preds[name] == batch[name].cpu() for name in oracle.spec.factors
            if name in batch}


def oracle_accuracy(oracle: nn.Module, out: OracleOutput,
                    batch: dict[str, torch.Tensor]) -> dict[str, float]:
    """Accuracy per factor of the oracle's predictions against the labels in ``batch``."""
    return {name: float(c.float().mean())
            for name, c in correct_by_factor(oracle, out, batch).items()}


def scores_with_ci(oracle: nn.Module, out: OracleOutput, reference: OracleOutput,
                   labelled: tuple[OracleOutput, dict[str, torch.Tensor]],
                   groups: tuple[GroupStats, ...] | None, seed: int,
                   n_boot: int = N_BOOT, n_boot_fd: int = N_BOOT_FD) -> dict:
    """Every metric and its interval: ``fd_*`` of ``out`` against ``reference``, the action
    entropy of ``out``, the oracle's accuracy on the ``labelled`` videos, the group metrics of
    ``groups`` (``None``: undefined; four entries: the judge's two follow, giving the
    ``INVARIANT_KEYS``, bootstrapped over the same groups). ``n_boot = 0`` skips the
    intervals (``ci`` is empty)."""
    fd_video, fd_frame = _fd(out, reference)
    n_actions = oracle.spec.factors[ACTION]
    predictions = out.predictions()
    actions = predictions[ACTION]
    appearance = oracle.spec.appearance_factors
    looks = {k: predictions[k] for k in appearance}  # factor -> (N,) predicted classes
    looks_entropy = {k: normalised_entropy(v, oracle.spec.factors[k]) for k, v in looks.items()}
    correct = correct_by_factor(oracle, *labelled)
    accuracy = {name: float(c.float().mean()) for name, c in correct.items()}
    values = {"fd_video": fd_video, "fd_frame": fd_frame,
              "action_entropy": normalised_entropy(actions, n_actions),
              "oracle_accuracy": min(accuracy.values()) if accuracy else None,
              "oracle_accuracy_by_factor": accuracy,
              "appearance_entropy": min(looks_entropy.values()),
              "appearance_entropy_by_factor": looks_entropy}
    if groups is None:
        values.update(dict.fromkeys(GROUP_KEYS))
    else:
        one = identity(groups[0].n_groups)  # (1, G)
        values.update(point_values(group_metrics(*groups[:2], one, one, appearance)))
        if len(groups) == 4:
            values.update(point_values(_invariant(groups[2:], one, one)))
    if n_boot <= 0:
        return {**values, "ci": {}}
    rng = torch.Generator().manual_seed(seed + 10_000)  # not the draws' generator
    samples = {**fd_samples(out, reference, n_boot_fd, rng),
               "action_entropy": entropy_samples(actions, n_actions, n_boot, rng),
               "oracle_accuracy": accuracy_samples(correct, n_boot, rng)}
    if groups is not None:
        m_app = resample(groups[0].n_groups, n_boot, rng)  # (B, G)
        m_mot = resample(groups[1].n_groups, n_boot, rng)  # (B, G)
        samples.update(group_metrics(*groups[:2], m_app, m_mot, appearance))
        if len(groups) == 4:  # the same resampled groups: paired intervals, no extra draws
            samples.update(_invariant(groups[2:], m_app, m_mot))
    by_factor = entropy_by_factor_samples(  # drawn last: the earlier intervals stay as they were
        looks, {k: oracle.spec.factors[k] for k in looks}, n_boot, rng)
    samples["appearance_entropy_by_factor"] = by_factor
    samples["appearance_entropy"] = torch.stack(list(by_factor.values())).amin(0)
    return {**values, "ci": intervals(samples, values, DEBIASED)}


def _invariant(judged: tuple[GroupStats, ...], m_app: torch.Tensor,
               m_mot: torch.Tensor) -> dict:
    """The ``INVARIANT_KEYS`` from the judge's group statistics, each ``(B,)``."""
    metrics = group_metrics(*judged, m_app, m_mot, ())
    return {f"{key}_invariant": metrics[key] for key in
            ("action_variance_from_za", "action_variance_from_zm", "action_kappa")}


def evaluate(oracle: nn.Module, fake: VideoSource, real: VideoSource, n: int = 256,
             n_groups: int = 16, per_group: int = 8, seed: int = 0,
             with_real: bool = True, n_boot: int = N_BOOT, n_boot_fd: int = N_BOOT_FD,
             degraded: float | str | None = None, judge: nn.Module | None = None) -> dict:
    """Every metric of ``fake`` against ``real`` (see the module docstring) with its 95 %
    bootstrap interval in ``"ci"`` (key -> ``[low, high]``); ``with_real`` adds
    ``"real": real_scores(...)``; ``degraded`` adds ``"real_degraded": degraded_scores(...)``
    at that strength, or with ``"match"`` at the strength whose ``fd_frame`` matches this
    generator's (``degrade.calibrate_strength``; about twice the time); ``judge`` adds the
    ``INVARIANT_KEYS`` (module docstring). Deterministic given ``seed``; the judge changes no
    other value."""
    rng = torch.Generator().manual_seed(seed)
    real_batch = real.sample(n, rng)
    real_out = embed(oracle, real_batch["video"])
    fake_out = embed(oracle, fake.sample(n, rng)["video"])
    groups = draw_groups(oracle, fake, n_groups, per_group, rng, judge)
    scores = scores_with_ci(oracle, fake_out, real_out, (real_out, real_batch), groups, seed,
                            n_boot, n_boot_fd)
    scores.update({"n": n, "n_groups": n_groups, "per_group": per_group, "seed": seed})
    if with_real:
        scores["real"] = real_scores(oracle, real, n, n_groups, per_group, seed, n_boot,
                                     n_boot_fd, judge)
    if degraded is not None:
        if degraded == "match":
            degraded = calibrate_strength(oracle, real, scores["fd_frame"], n, seed)
        elif isinstance(degraded, str):
            raise ValueError(f"degraded must be a strength (a number >= 0) or 'match', got "
                             f"{degraded!r}.")
        scores["real_degraded"] = degraded_scores(oracle, real, float(degraded), n, n_groups,
                                                  per_group, seed, n_boot, n_boot_fd, judge)
    return scores


def degraded_scores(oracle: nn.Module, real: VideoSource, strength: float, n: int = 256,
                    n_groups: int = 16, per_group: int = 8, seed: int = 0,
                    n_boot: int = N_BOOT, n_boot_fd: int = N_BOOT_FD,
                    judge: nn.Module | None = None) -> dict:
    """The metrics of real videos degraded at ``strength`` (``degrade.py``), as if they were
    a generator's: ``fd_*`` against clean real videos, the oracle's accuracy on the degraded
    videos (``oracle_accuracy_by_factor``), and the group metrics of degraded real swaps,
    each with ``ci``. What a perfectly disentangled generator of that image quality scores.
    """
    rng = torch.Generator().manual_seed(seed + 2)
    source = DegradedSource(real, strength)
    clean_out = embed(oracle, real.sample(n, rng)["video"])
    batch = source.sample(n, rng)
    out = embed(oracle, batch["video"])
    try:
        groups = draw_groups(oracle, source, n_groups, per_group, rng, judge)
    except CannotRenderSwaps:
        groups = None
    scores = scores_with_ci(oracle, out, clean_out, (out, batch), groups, seed + 2, n_boot,
                            n_boot_fd)
    return {**scores, "strength": strength}


def real_scores(oracle: nn.Module, real: VideoSource, n: int = 256, n_groups: int = 16,
                per_group: int = 8, seed: int = 0, n_boot: int = N_BOOT,
                n_boot_fd: int = N_BOOT_FD, judge: nn.Module | None = None) -> dict:
    """The real data's own metrics (with ``ci``): the ceiling a generator is compared with.

    Group metrics are ``None`` when ``real`` cannot render swaps (a ``VideoFolder``).
    """
    rng = torch.Generator().manual_seed(seed + 1)
    batch_a, batch_b = real.sample(n, rng), real.sample(n, rng)
    out_a, out_b = embed(oracle, batch_a["video"]), embed(oracle, batch_b["video"])
    try:
        groups = draw_groups(oracle, real, n_groups, per_group, rng, judge)
    except CannotRenderSwaps:
        groups = None
    return scores_with_ci(oracle, out_a, out_b, (out_a, batch_a), groups, seed + 1, n_boot,
                          n_boot_fd)


def evaluate_checkpoint(checkpoint: str, n: int = 256, n_groups: int = 16, per_group: int = 8,
                        seed: int = 0, oracle_path: str | None = None,
                        device: str = "auto", with_real: bool = True,
                        untrained: bool = False, ema: bool = True,
                        degraded: float | str | None = None, n_boot: int = N_BOOT,
                        n_boot_fd: int = N_BOOT_FD, judge_path: str | None = None,
                        recalibrate_bn: int = 0) -> dict:
    """:func:`evaluate` for a checkpoint file, ``--out`` directory or shipped model's name.

    The generator is the EMA one when ``ema`` (else the raw G), or with ``untrained`` the same
    architecture at its initial weights (the floor to beat); the real data is what the
    checkpoint was trained on; ``degraded`` (a strength, or ``"match"``: the strength whose
    frame FD matches this generator's) adds the scores of degraded real videos. The
    colour-blind action judge is the shipped one (``judge_path``: another file, or ``"none"``
    for no ``INVARIANT_KEYS``). ``recalibrate_bn``: recompute G's BatchNorm statistics on that
    many videos of its own first (:mod:`g3an_edu.batchnorm_statistics`; 0: keep the stored
    ones). ``g3an-edu evaluate`` prints what this returns.
    """
    dev = pick_device(device)
    g, config = load_generator(checkpoint, ema=ema, device=dev, untrained=untrained)
    if recalibrate_bn:
        recalibrate_batchnorm(g, recalibrate_bn, config.length, seed=seed)
    oracle, info = load_oracle(oracle_path, dev)
    judge, judge_info = (None, {}) if judge_path == "none" else load_judge(judge_path, dev)
    scores = evaluate(oracle, GeneratorSource(g, config.length, device=dev),
                      real_source_for(config), n, n_groups, per_group, seed, with_real,
                      n_boot, n_boot_fd, degraded, judge)
    scores["oracle_held_out_accuracy"] = info.get("held_out_accuracy")
    if judge is not None:
        scores["judge_held_out_accuracy"] = judge_info.get("held_out_accuracy")
        scores["judge_held_out_accuracy_recoloured"] = judge_info.get(
            "held_out_accuracy_recoloured")
    scores["checkpoint"] = str(checkpoint)
    scores["arch"] = config.arch
    scores["untrained"] = untrained
    scores["ema"] = ema and not untrained
    scores["bn_recalibrated"] = recalibrate_bn
    return scores

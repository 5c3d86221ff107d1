"""All metrics of a generator at once, and the real data's own scores as the ceiling.

``evaluate(oracle, fake, real)`` draws ``n`` videos from each source and returns

- ``fd_video``: Fréchet distance between the oracle's video features of fake and real videos
  (the course's FVD); ``fd_frame``: the same on single-frame features (the course's FID);
- the disentanglement metrics of ``g3an_edu.metrics.disentanglement`` and ``action_entropy``;
- ``oracle_accuracy``: the oracle's accuracy on the real videos drawn, worst factor (and
  ``oracle_accuracy_by_factor``), so a reader sees how far its labels can be trusted.

``real_scores(oracle, real)`` computes the same metrics for the real data: ``fd_*`` between
two independent real samples of the same size (the distance a perfect generator would get,
which is not 0 at finite ``n``), the rest on real videos and real swaps (the ceiling).
"""

from __future__ import annotations

import torch
import torch.nn as nn

from ..device import pick_device
from ..models import load_generator
from .disentanglement import (
    CannotRenderSwaps,
    GeneratorSource,
    VideoSource,
    disentanglement,
    normalised_entropy,
)
from .frechet import frechet_distance
from .oracle import ACTION, OracleOutput, embed, load_oracle
from .real_data import real_source_for

KEYS = ("fd_video", "fd_frame", "appearance_consistency", "action_consistency",
        "motion_diversity", "action_spread", "appearance_spread", "appearance_disentanglement",
        "action_disentanglement", "action_entropy", "oracle_accuracy")


def _fd(a: OracleOutput, b: OracleOutput) -> tuple[float, float]:
    frames_a = a.frame_features.flatten(0, 1)  # (N·T, D)
    frames_b = b.frame_features.flatten(0, 1)  # (N·T, D)
    return frechet_distance(a.video_features, b.video_features), frechet_distance(frames_a,
                                                                                  frames_b)


def oracle_accuracy(oracle: nn.Module, out: OracleOutput,
                    batch: dict[str, torch.Tensor]) -> dict[str, float]:
    """Accuracy per factor of the oracle's predictions against the labels in ``batch``."""
    preds = out.predictions()
    return {name: float((preds[name] == batch[name].cpu()).float().mean())
            for name in oracle.spec.factors if name in batch}


def evaluate(oracle: nn.Module, fake: VideoSource, real: VideoSource, n: int = 256,
             n_groups: int = 16, per_group: int = 8, seed: int = 0,
             with_real: bool = True) -> dict:
    """Every metric of ``fake`` against ``real`` (see the module docstring); ``with_real``
    adds ``"real": real_scores(...)``. Deterministic given ``seed``."""
    rng = torch.Generator().manual_seed(seed)
    real_batch = real.sample(n, rng)
    real_out = embed(oracle, real_batch["video"])
    fake_out = embed(oracle, fake.sample(n, rng)["video"])
    fd_video, fd_frame = _fd(fake_out, real_out)
    accuracy = oracle_accuracy(oracle, real_out, real_batch)
    scores = {
        "fd_video": fd_video,
        "fd_frame": fd_frame,
        **disentanglement(oracle, fake, n_groups, per_group, rng),
        "action_entropy": normalised_entropy(fake_out.predictions()[ACTION],
                                             oracle.spec.factors[ACTION]),
        "oracle_accuracy": min(accuracy.values()) if accuracy else None,
        "oracle_accuracy_by_factor": accuracy,
        "n": n, "n_groups": n_groups, "per_group": per_group, "seed": seed,
    }
    if with_real:
        scores["real"] = real_scores(oracle, real, n, n_groups, per_group, seed)
    return scores


def real_scores(oracle: nn.Module, real: VideoSource, n: int = 256, n_groups: int = 16,
                per_group: int = 8, seed: int = 0) -> dict:
    """The real data's own metrics: the ceiling a generator is compared with.

    Disentanglement metrics are ``None`` when ``real`` cannot render swaps (a ``VideoFolder``).
    """
    rng = torch.Generator().manual_seed(seed + 1)
    batch_a, batch_b = real.sample(n, rng), real.sample(n, rng)
    out_a, out_b = embed(oracle, batch_a["video"]), embed(oracle, batch_b["video"])
    fd_video, fd_frame = _fd(out_a, out_b)
    try:
        dis = disentanglement(oracle, real, n_groups, per_group, rng)
    except CannotRenderSwaps:
        dis = dict.fromkeys(("appearance_consistency", "action_spread", "motion_diversity",
                             "action_consistency", "appearance_spread",
                             "appearance_disentanglement", "action_disentanglement"))
    accuracy = oracle_accuracy(oracle, out_a, batch_a)
    return {"fd_video": fd_video, "fd_frame": fd_frame, **dis,
            "action_entropy": normalised_entropy(out_a.predictions()[ACTION],
                                                 oracle.spec.factors[ACTION]),
            "oracle_accuracy": min(accuracy.values()) if accuracy else None,
            "oracle_accuracy_by_factor": accuracy}


def evaluate_checkpoint(checkpoint: str, n: int = 256, n_groups: int = 16, per_group: int = 8,
                        seed: int = 0, oracle_path: str | None = None,
                        device: str = "auto", with_real: bool = True,
                        untrained: bool = False, ema: bool = True) -> dict:
    """:func:`evaluate` for a checkpoint file, ``--out`` directory or shipped model's name.

    The generator is the EMA one when ``ema`` (else the raw G), or with ``untrained`` the same
    architecture at its initial weights (the floor to beat); the real data is what the
    checkpoint was trained on. ``g3an-edu evaluate`` prints what this returns.
    """
    dev = pick_device(device)
    g, config = load_generator(checkpoint, ema=ema, device=dev, untrained=untrained)
    oracle, info = load_oracle(oracle_path, dev)
    scores = evaluate(oracle, GeneratorSource(g, config.length, device=dev),
                      real_source_for(config), n, n_groups, per_group, seed, with_real)
    scores["oracle_held_out_accuracy"] = info.get("held_out_accuracy")
    scores["checkpoint"] = str(checkpoint)
    scores["arch"] = config.arch
    scores["untrained"] = untrained
    scores["ema"] = ema and not untrained
    return scores

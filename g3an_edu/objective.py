"""The paper's objective and one optimisation step of G3AN (or any generator with the same API).

The objective (non-saturating GAN loss with logits, as the authors'): with real videos ``x``,
fakes ``G(z)``, and ``x_t`` one random frame of each video (what DI sees; with the departure
``di_edge_frames`` also the first and last frames, DI's terms then the mean over the three),

    L_D = BCE(DV(x), 1) + BCE(DV(G(z)), 0) + BCE(DI(x_t), 1) + BCE(DI(G(z)_t), 0)
    L_G = BCE(DV(G(z)), 1) + BCE(DI(G(z)_t), 1)

optimised with Adam (lr 2e-4, betas (0.5, 0.999)) for G and for both discriminators.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import TrainConfig
from .discriminators import di_frames
from .models import unwrap
from .noise import motion_category


@dataclass(frozen=True)
class Objective:
    """What one step optimises; the defaults are the paper's.

    ``loss``: ``"bce"`` (the paper: non-saturating, with logits) or ``"hinge"``
    (``L_D = relu(1 - D(x)) + relu(1 + D(G(z)))``, ``L_G = -D(G(z))``); ``di_weight``: the
    weight of DI's terms against DV's; ``d_steps``: discriminator updates per generator
    update (the extra ones on fresh fakes and the same real batch); ``pair_weight``: the
    weight of the pair discriminator's terms (0: no pair discriminator; see :func:`pair_up`);
    ``pair_shares``: the code that the two fakes of a pair share (``"z_m"`` pairs them with
    real pairs of one motion in two looks, ``pair_real = "same_motion"``); ``info_weight``
    and ``motion_classes``: the InfoGAN-style recovery of ``z_m``'s category by ``Q``
    (0: none; :mod:`g3an_edu.code_recovery`); ``mode_seeking_weight``: the weight of
    :func:`mode_seeking_loss` on fakes that share ``z_m`` (0: none); ``colour_ratio_weight``:
    the weight of :func:`colour_ratio_loss` (0: none) and ``colour_ratio_target`` the ratio
    below which it is not penalised (0: the whole ratio); ``di_edge_frames``: DI also judges
    every video's first and last frame (:func:`~g3an_edu.discriminators.di_frames`).
    """

    loss: str = "bce"
    di_weight: float = 1.0
    d_steps: int = 1
    pair_weight: float = 0.0
    pair_shares: str = "z_a"  # which code a fake pair shares: "z_a", "z_m" (same_motion), or
    # "by_step" (pair_real = "both": train() passes z_a at even steps, z_m at odd ones)
    info_weight: float = 0.0  # > 0: recover z_m's motion category (code_recovery.py)
    motion_classes: int = 0
    mode_seeking_weight: float = 0.0
    colour_ratio_weight: float = 0.0
    di_edge_frames: bool = False
    colour_ratio_target: float = 0.0

    @classmethod
    def from_config(cls, config: TrainConfig) -> Objective:
        shares = {"same_motion": "z_m", "both": "by_step"}.get(config.pair_real, "z_a")
        info = config.info_weight if config.motion_classes > 0 else 0.0
        return cls(config.loss, config.di_weight, config.d_steps, config.pair_weight, shares,
                   info, config.motion_classes, config.mode_seeking_weight,
                   config.colour_ratio_weight, config.di_edge_frames,
                   config.colour_ratio_target)


def _real_fake(real_logits: torch.Tensor, fake_logits: torch.Tensor, loss: str) -> torch.Tensor:
    """The discriminator's loss on ``(N,)`` logits of real and of fake inputs."""
    if loss == "hinge":
        return F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


def _fooled(fake_logits: torch.Tensor, loss: str) -> torch.Tensor:
    """The generator's loss on ``(N,)`` logits of its fakes."""
    if loss == "hinge":
        return -fake_logits.mean()
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def discriminator_loss(dv: nn.Module, di: nn.Module, real: torch.Tensor, fake: torch.Tensor,
                       rng: torch.Generator, objective: Objective = Objective()
                       ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """``L_D`` on real and (detached) fake videos ``(B, 3, T, R, R)``, and the mean logits.

    Real and fake go through each discriminator in one batch (one forward per network and
    step, which DistributedDataParallel needs).
    """
    b = real.shape[0]
    videos = torch.cat([real, fake])  # (2B, 3, T, R, R)
    frames = di_frames(videos, rng, objective.di_edge_frames)  # (k·2B, 3, R, R), k = 1 or 3
    v = dv(videos).float()  # (2B,) logits
    i = di(frames).float().view(-1, 2 * b)  # (k, 2B): random frames [, first, last]
    loss = (_real_fake(v[:b], v[b:], objective.loss)
            + objective.di_weight * _real_fake(i[:, :b].flatten(), i[:, b:].flatten(),
                                               objective.loss))
    logits = {"dv_real": v[:b].mean(), "dv_fake": v[b:].mean(),
              "di_real": i[0, :b].mean(), "di_fake": i[0, b:].mean()}
    return loss, logits


def generator_loss(dv: nn.Module, di: nn.Module, fake: torch.Tensor,
                   rng: torch.Generator, objective: Objective = Objective()) -> torch.Tensor:
    """``L_G``: the non-saturating loss (or hinge), fakes ``(B, 3, T, R, R)`` labelled real."""
    v = dv(fake).float()  # (B,)
    i = di(di_frames(fake, rng, objective.di_edge_frames)).float()  # (k·B,), k = 1 or 3
    return _fooled(v, objective.loss) + objective.di_weight * _fooled(i, objective.loss)


def pair_up(videos: torch.Tensor) -> torch.Tensor:
    """Video ``b`` and video ``b + B/2`` side by side in channels: ``(B, 3, T, R, R) ->
    (B/2, 6, T, R, R)``: what the pair discriminator judges.

    Fakes are drawn so that these two share ``z_a`` and differ in ``z_m``
    (:func:`shared_first_half`); a real pair shows one person in two clips (one look, two
    motions; see ``g3an_edu.data_source.pair_batch``). To tell them apart the pair
    discriminator can only use what differs between the pairs: a fake pair whose looks drift
    with ``z_m``, or whose motions do not differ as real ones do. No labels are used.
    """
    half = videos.shape[0] // 2
    return torch.cat([videos[:half], videos[half:2 * half]], 1)  # (B/2, 6, T, R, R)


def shared_first_half(z: torch.Tensor) -> torch.Tensor:
    """Codes ``(B, ...)`` whose second half repeats the first (pairs for :func:`pair_up`):
    ``z_a (B, dim_za)`` for pairs of one look, ``z_m (B, dim_zm, L)`` for pairs of one
    motion."""
    half = z.shape[0] // 2
    return torch.cat([z[:half], z[:half], z[2 * half:]])  # (B, ...)


def seeking_pairs(batch: int, paired: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices ``(i, j)`` of the fakes that :func:`share_motion` gave one ``z_m``.

    Without the pair discriminator (``paired = False``) video ``b`` and ``b + B/2``; with it
    the batch's halves already pair one ``z_a`` (:func:`shared_first_half`), so inside each
    half its first quarter and second quarter share ``z_m``: a crossed 2 × 2 design, every
    video in one pair of each kind."""
    if not paired:
        half = batch // 2
        return torch.arange(half), torch.arange(half) + half
    q = batch // 4
    first = torch.cat([torch.arange(q), torch.arange(q) + 2 * q])  # first quarter of each half
    return first, first + q


def share_motion(z_m: torch.Tensor, paired: bool) -> torch.Tensor:
    """``z_m (B, ...)`` with the second video of every :func:`seeking_pairs` pair given the
    first one's code."""
    i, j = seeking_pairs(z_m.shape[0], paired)
    out = z_m.clone()
    out[j] = z_m[i]
    return out


def mode_seeking_loss(fake: torch.Tensor, z_a: torch.Tensor, paired: bool,
                      eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor]:
    """MSGAN's mode-seeking term, on ``z_a`` only: ``(loss, ratio)`` with

        ratio = mean |x̄_i − x̄_j| / mean |z_a,i − z_a,j|,   loss = 1 / (ratio + eps)

    over the :func:`seeking_pairs` of ``fake (B, 3, T, R, R)``, ``x̄`` a video's frames
    averaged over time ``(3, R, R)``. The pairs share ``z_m``, so G lowers the loss only by
    letting ``z_a`` change what a video looks like on average: its colours and layout, not
    how it moves. Against one shirt colour for every ``z_a`` (Mao et al. 2019)."""
    i, j = seeking_pairs(fake.shape[0], paired)
    mean_frames = fake.float().mean(2)  # (B, 3, R, R)
    ratio = ((mean_frames[i] - mean_frames[j]).abs().mean()
             / (z_a[i] - z_a[j]).abs().mean().clamp(min=eps))
    return 1.0 / (ratio + eps), ratio


def colour_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """``(N,)``: per channel, the 1-Wasserstein distance between the pixel values of videos
    ``a`` and ``b (N, 3, T, R, R)`` (the mean gap between their sorted values), averaged over
    the channels. Blind to where a pixel is: a figure that moves its arms barely changes it, a
    shirt that changes colour does. Real data (`tiny`): about 0.014 for two clips of one
    person, 0.21 for two people."""
    sorted_a = a.float().flatten(2).sort(-1).values  # (N, 3, T·R·R)
    sorted_b = b.float().flatten(2).sort(-1).values
    return (sorted_a - sorted_b).abs().mean((1, 2))


def colour_ratio_loss(fake: torch.Tensor, eps: float = 1e-4,
                      target: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """``(loss, ratio)``: how much ``z_m`` changes the colours, relative to ``z_a``,

        ratio = mean colour_distance(same z_a) / mean colour_distance(same z_m)

    over ``fake (B, 3, T, R, R)`` drawn as crossed 2 × 2 blocks (:func:`shared_first_half` on
    ``z_a``, :func:`share_motion` on ``z_m``): videos ``b`` and ``b + B/2`` share ``z_a``, the
    :func:`seeking_pairs` share ``z_m``. Lowering it makes ``z_m`` keep a figure's colour
    distribution and ``z_a`` change it, while saying nothing about where the pixels are, so
    about pose and movement. Scale-free, like :func:`mode_seeking_loss`; real data: about
    0.07. With ``target > 0`` the loss is ``relu(ratio - target)``: no push below the real
    data's ratio, so ``z_m`` may change colours as much as real motion does (in the study's
    ``paper-colour`` the plain ratio reached the real data's by step ~1000; docs/STUDY.md). A
    departure: the paper has no such term."""
    half = fake.shape[0] // 2
    same_za = colour_distance(fake[:half], fake[half:2 * half]).mean()
    i, j = seeking_pairs(fake.shape[0], True)
    same_zm = colour_distance(fake[i], fake[j]).mean()
    ratio = same_za / (same_zm + eps)
    return (F.relu(ratio - target) if target > 0 else ratio), ratio


def train_step(g: nn.Module, dv: nn.Module, di: nn.Module, opt_g: torch.optim.Optimizer,
               opt_d: torch.optim.Optimizer, real: torch.Tensor, rng: torch.Generator,
               length: int = 1, amp: torch.dtype | None = None,
               objective: Objective = Objective(), dp: nn.Module | None = None,
               real_pairs: torch.Tensor | None = None,
               dq: nn.Module | None = None) -> dict[str, torch.Tensor]:
    """One GAN step on real videos ``(B, 3, T, R, R)``: update D, then G. Returns the losses.

    ``fake = G(z)`` is computed once: detached for the D step, attached for the G step.
    ``amp`` (e.g. ``torch.bfloat16``) runs the forward passes under autocast. With
    ``objective.pair_weight > 0``, ``dp`` (a :class:`~g3an_edu.VideoDiscriminator` with 6
    input channels, updated by ``opt_d``) judges ``real_pairs (B/2, 6, T, R, R)`` against
    pairs of fakes that share ``z_a``. With ``objective.info_weight > 0``, ``dq`` (a
    :class:`~g3an_edu.code_recovery.MotionCodeRecovery`, updated by ``opt_d``) learns to
    read ``z_m``'s category from detached fakes and ``G`` to make it readable.
    """
    autocast = torch.autocast(real.device.type, dtype=amp or torch.float32,
                              enabled=amp is not None)
    pairs = objective.pair_weight > 0
    if pairs and (dp is None or real_pairs is None):
        raise ValueError("pair_weight > 0 needs the pair discriminator dp and real_pairs.")
    if pairs and objective.pair_shares not in ("z_a", "z_m"):
        raise ValueError(f"pair_shares {objective.pair_shares!r} must be 'z_a' or 'z_m' in one "
                         "step (train.step_objective resolves 'by_step').")
    seek = objective.mode_seeking_weight > 0
    colour = objective.colour_ratio_weight > 0
    if (seek or colour) and pairs and objective.pair_shares != "z_a":
        raise ValueError("mode seeking and the colour ratio need fake pairs that share z_a "
                         "(pair_shares 'z_a').")
    crossed = pairs or colour  # the batch's halves share z_a: 2 × 2 blocks with seek/colour
    info = objective.info_weight > 0
    if info and dq is None:
        raise ValueError("info_weight > 0 with motion_classes > 0 needs the recovery net dq.")

    def noise() -> tuple[torch.Tensor, torch.Tensor]:
        z_a, z_m = unwrap(g).sample_noise(real.shape[0], length, generator=rng,
                                          device=real.device)
        if pairs and objective.pair_shares == "z_m":
            return z_a, shared_first_half(z_m)
        if seek or colour:
            z_m = share_motion(z_m, crossed)
        return (shared_first_half(z_a) if crossed else z_a), z_m

    def d_update(fake: torch.Tensor, category: torch.Tensor | None
                 ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        with autocast:
            d_loss, logits = discriminator_loss(dv, di, real, fake, rng, objective)
            if info:
                q_loss = F.cross_entropy(dq(fake).float(), category)
                d_loss = d_loss + objective.info_weight * q_loss
                logits["info_loss"] = q_loss
            if pairs:
                p = dp(torch.cat([real_pairs, pair_up(fake)])).float()  # (B, ) logits
                n = real_pairs.shape[0]
                d_loss = d_loss + objective.pair_weight * _real_fake(p[:n], p[n:],
                                                                     objective.loss)
                logits |= {"dp_real": p[:n].mean(), "dp_fake": p[n:].mean()}
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        return d_loss, logits

    def category(z_m: torch.Tensor) -> torch.Tensor | None:
        return motion_category(z_m, objective.motion_classes) if info else None

    for _ in range(objective.d_steps - 1):  # extra D steps, each on fresh fakes
        z_a, z_m = noise()
        with torch.no_grad(), autocast:
            extra = g(z_a, z_m)  # (B, 3, T, R, R)
        d_update(extra, category(z_m))
    z_a, z_m = noise()
    with autocast:
        fake = g(z_a, z_m)  # (B, 3, T, R, R)
    d_loss, logits = d_update(fake.detach(), category(z_m))

    with autocast:
        g_loss = generator_loss(dv, di, fake, rng, objective)
        if pairs:
            g_loss = g_loss + objective.pair_weight * _fooled(dp(pair_up(fake)).float(),
                                                              objective.loss)
        if info:
            g_loss = g_loss + objective.info_weight * F.cross_entropy(dq(fake).float(),
                                                                      category(z_m))
        if seek:
            ms_loss, logits["seek_ratio"] = mode_seeking_loss(fake, z_a, crossed)
            g_loss = g_loss + objective.mode_seeking_weight * ms_loss
        if colour:
            c_loss, logits["colour_ratio"] = colour_ratio_loss(
                fake, target=objective.colour_ratio_target)
            g_loss = g_loss + objective.colour_ratio_weight * c_loss
    opt_g.zero_grad(set_to_none=True)
    g_loss.backward()  # also fills D's gradients; the next D step clears them
    opt_g.step()
    return {"d_loss": d_loss.detach(), "g_loss": g_loss.detach(),
            **{k: v.detach() for k, v in logits.items()}}


def amp_dtype(config: TrainConfig, device: torch.device) -> torch.dtype | None:
    """bf16 when ``amp`` is ``bf16``, or ``auto`` on CUDA; ``None`` (fp32) otherwise."""
    if config.amp == "bf16" or (config.amp == "auto" and device.type == "cuda"):
        return torch.bfloat16
    return None

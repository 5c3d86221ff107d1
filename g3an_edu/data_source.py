"""Where the trainer's batches come from, so that batch ``s`` is a pure function of (seed, s).

The trainer accepts two kinds of data:

- a *batch source*: anything with ``.batch(indices, device) -> {"video": (B, 3, T, R, R)}``
  and ``len()`` (``g3an_edu.data.SyntheticActions`` renders a batch on the device);
- a map-style ``Dataset`` whose items are ``{"video": (3, T, R, R)}`` (``VideoFolder``),
  read through a ``DataLoader`` whose batch sampler is :class:`StepBatches`.

Both read the same indices: step ``s`` of a run with global batch ``B`` takes the positions
``s·B … (s+1)·B - 1`` of an endless sequence of epochs, each epoch a permutation of the
data seeded by (seed, epoch). Under ``torchrun`` rank ``r`` of ``W`` takes its ``B/W`` slice
of those positions, so a multi-process run sees the same data as a single process.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import torch

from .config import TrainConfig


@lru_cache(maxsize=4)  # a run reads the same epoch's order for many steps
def epoch_permutation(n: int, seed: int, epoch: int) -> torch.Tensor:
    """The order of ``n`` items in epoch ``epoch``: ``(n,)`` int64, a pure function of its args."""
    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n, generator=g)


def batch_indices(step: int, batch: int, n: int, seed: int, rank: int = 0,
                  world: int = 1) -> list[int]:
    """Indices of rank ``rank``'s share (``batch/world`` items) of global batch ``step``."""
    if batch % world:
        raise ValueError(f"the global batch ({batch}) must be divisible by the number of "
                         f"processes ({world}); change --set batch=… or --nproc_per_node.")
    per_rank = batch // world
    first = step * batch + rank * per_rank
    out, perms = [], {}
    for position in range(first, first + per_rank):
        epoch, k = divmod(position, n)
        if epoch not in perms:
            perms[epoch] = epoch_permutation(n, seed, epoch)
        out.append(int(perms[epoch][k]))
    return out


class StepBatches(torch.utils.data.Sampler):
    """Batch sampler for a ``DataLoader``: yields :func:`batch_indices` for steps ``start, …``."""

    def __init__(self, n: int, batch: int, seed: int, start: int, stop: int,
                 rank: int = 0, world: int = 1) -> None:
        self.n, self.batch, self.seed = n, batch, seed
        self.start, self.stop, self.rank, self.world = start, stop, rank, world

    def __iter__(self) -> Iterator[list[int]]:
        for step in range(self.start, self.stop):
            yield batch_indices(step, self.batch, self.n, self.seed, self.rank, self.world)

    def __len__(self) -> int:
        return max(0, self.stop - self.start)


def build_data(config: TrainConfig):
    """The data source a config names: ``SyntheticActions`` (rendered on the training device)
    or a ``VideoFolder`` (clips decoded by DataLoader workers; its clip sampling uses the global
    RNG, so resuming on folder data is not bit-exact)."""
    from .data import SyntheticActions, VideoFolder

    if config.data == "synthetic":
        return SyntheticActions(size=config.resolution, frames=config.frames,
                                seed=config.data_seed)
    return VideoFolder(config.data_root, frames=config.frames, size=config.resolution)


def iterate_batches(source, config: TrainConfig, start: int, stop: int,
                    device: torch.device, rank: int = 0,
                    world: int = 1) -> Iterator[torch.Tensor]:
    """Real videos ``(B/world, 3, T, R, R)`` on ``device`` for steps ``start … stop-1``."""
    n = len(source)
    if hasattr(source, "batch"):
        for step in range(start, stop):
            idx = batch_indices(step, config.batch, n, config.data_seed, rank, world)
            yield source.batch(idx, device=device)["video"]
        return
    sampler = StepBatches(n, config.batch, config.data_seed, start, stop, rank, world)
    loader = torch.utils.data.DataLoader(source, batch_sampler=sampler,
                                         num_workers=config.workers,
                                         pin_memory=device.type == "cuda")
    for item in loader:
        yield item["video"].to(device, non_blocking=True)


def pair_batch(source, config: TrainConfig, step: int, real: torch.Tensor, rank: int = 0,
               world: int = 1) -> torch.Tensor:
    """Real pairs for the pair discriminator: ``(B/2, 6, T, R, R)``, a pure function of step.

    The first half of step ``step``'s real batch ``real (B, 3, T, R, R)``, each video beside
    a second clip of the same person: ``pair_real = "same_person"`` renders the same look
    doing the motion of another item of the data (drawn from a second, independent order of
    the data); ``"same_video"`` the same look and action a quarter to three quarters of a
    cycle later (two clips of one video at different times); ``"same_motion"`` the same
    motion (action, speed, phase, direction) in the look of another item: two people
    moving alike, the counterpart of fake pairs that share ``z_m``; ``"both"`` alternates
    the first and the last by step (:func:`pair_kind`). Needs a data set that
    renders a look with any motion (``SyntheticActions``).
    """
    if not (hasattr(source, "factors") and hasattr(source, "render")):
        raise ValueError("pair_weight > 0 needs a data set that can render one look with "
                         "another motion (SyntheticActions); this one cannot.")
    half = real.shape[0] // 2
    n = len(source)
    kind = pair_kind(config.pair_real, step)
    idx = batch_indices(step, config.batch, n, config.data_seed, rank, world)[:half]
    looks, motion = source.factors(idx)
    if kind in ("same_person", "same_motion"):
        other = batch_indices(step, config.batch, n, config.data_seed + 1, rank, world)[:half]
        if kind == "same_person":
            motion = source.factors(other)[1]
        else:
            looks = source.factors(other)[0]
    else:
        shift = torch.Generator().manual_seed(step_seed_for_pairs(config.data_seed, step, rank))
        motion.phase = (motion.phase + 0.25 + 0.5 * torch.rand(half, generator=shift)) % 1.0
    second = source.render(looks, motion, device=real.device)  # (B/2, 3, T, R, R)
    return torch.cat([real[:half], second.to(real.dtype)], 1)  # (B/2, 6, T, R, R)


def pair_kind(pair_real: str, step: int) -> str:
    """The kind of real pairs at ``step``: ``pair_real``, or for ``"both"`` one look in two
    motions (``"same_person"``) at even steps and one motion in two looks
    (``"same_motion"``) at odd steps."""
    if pair_real != "both":
        return pair_real
    return "same_person" if step % 2 == 0 else "same_motion"


def step_seed_for_pairs(data_seed: int, step: int, rank: int) -> int:
    """The seed of the phase shifts of step ``step``'s ``same_video`` pairs."""
    return ((data_seed + 7) * 1_000_003 + step) * 1024 + rank

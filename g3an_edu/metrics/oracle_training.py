"""Training the oracle on a labelled data set, and measuring its held-out accuracy.

The data set gives ``ds.batch(indices) -> {"video": (B, 3, T, S, S), "action": (B,), ...}``
(``SyntheticActions`` does). We render ``n_train`` items for training and the next ``n_val``
items, never seen in training, for the held-out accuracy; both are kept in memory as uint8
(32×32×16 clips: 49 KB each, 400 MB for the default 8192), so each step costs the network only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

from .degrade import degrade
from .oracle import ACTION, Oracle, OracleSpec, embed
from .recolour import recolour as recolour_videos


def render_set(ds, indices: Sequence[int], factors: Sequence[str],
               chunk: int = 64) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """``(videos uint8 (N, 3, T, S, S), {factor: (N,) int64})`` of ``ds``'s items ``indices``."""
    videos, labels = [], {name: [] for name in factors}
    for start in range(0, len(indices), chunk):
        batch = ds.batch(list(indices[start:start + chunk]))
        missing = [name for name in factors if name not in batch]
        if missing:
            raise ValueError(f"the data set's batches have no {missing} labels; they have "
                             f"{sorted(batch)}. Pick --factors among those.")
        videos.append(to_uint8(batch["video"].cpu()))  # (chunk, 3, T, S, S)
        for name in factors:
            labels[name].append(torch.as_tensor(batch[name]).long().cpu())
    return torch.cat(videos), {k: torch.cat(v) for k, v in labels.items()}


def to_uint8(video: torch.Tensor) -> torch.Tensor:
    """``[-1, 1]`` float -> ``[0, 255]`` uint8 (the storage format of the training set)."""
    return ((video.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)


def to_float(video: torch.Tensor) -> torch.Tensor:
    """``[0, 255]`` uint8 -> ``[-1, 1]`` float32."""
    return video.float() / 127.5 - 1


def accuracy(oracle: Oracle, videos: torch.Tensor,
             labels: dict[str, torch.Tensor]) -> dict[str, float]:
    """Accuracy per factor of ``oracle`` on uint8 ``videos (N, 3, T, S, S)``."""
    was_training = oracle.training
    oracle.eval()
    out = torch.cat([to_float(videos[i:i + 256]) for i in range(0, len(videos), 256)])
    preds = embed(oracle, out).predictions()
    oracle.train(was_training)
    return {name: float((preds[name] == labels[name]).float().mean()) for name in labels}


def train_oracle(ds, factors: Sequence[str] = (ACTION, "shirt", "background"),
                 n_train: int = 8192, n_val: int = 1024, steps: int = 3000, batch: int = 32,
                 lr: float = 2e-3, seed: int = 0, width: int = 16, dim: int = 128,
                 device: torch.device | str = "cpu",
                 log: Callable[[str], None] | None = print,
                 augment: float = 0.0, recolour: bool = False) -> tuple[Oracle, dict]:
    """Train an oracle on items ``0..n_train-1`` of ``ds``; return it (eval mode) and a report.

    The report holds the held-out accuracy per factor (items ``n_train..n_train+n_val-1``),
    the training accuracy, the number of classes found per factor, steps and seconds.
    ``augment > 0``: each batch is degraded (``metrics.degrade``: blur, noise, colour shift)
    at a strength drawn uniformly from ``[0, augment]``, so the oracle also reads blurry,
    generated-looking videos; the report then adds ``held_out_accuracy_degraded``, the
    held-out accuracy at strength ``augment / 2``. ``recolour``: each batch is first
    recoloured (``metrics.recolour``: a random colour map and contrast per video), so the
    action head learns to read the motion whatever the colours (the colour-blind action
    judge; train it with ``factors=("action",)``: colours are what the other heads read); the
    report then adds ``held_out_accuracy_recoloured``.
    """
    if ACTION not in factors:
        raise ValueError(f"the oracle must predict {ACTION!r}; got factors {list(factors)}.")
    if len(ds) < n_train + n_val:
        raise ValueError(f"the data set has {len(ds)} items, fewer than n_train + n_val = "
                         f"{n_train + n_val}; lower --n-train/--n-val.")
    start = time.perf_counter()
    train_x, train_y = render_set(ds, range(n_train), factors)
    val_x, val_y = render_set(ds, range(n_train, n_train + n_val), factors)
    classes = {name: int(max(train_y[name].max(), val_y[name].max())) + 1 for name in factors}
    size = train_x.shape[-1]
    if log:
        log(f"rendered {n_train} + {n_val} clips {tuple(train_x.shape[1:])} in "
            f"{time.perf_counter() - start:.0f} s; classes {classes}")

    torch.manual_seed(seed)
    oracle = Oracle(OracleSpec(factors=classes, size=size, width=width, dim=dim)).to(device)
    opt = torch.optim.AdamW(oracle.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    rng = torch.Generator().manual_seed(seed)
    oracle.train()
    for step in range(1, steps + 1):
        idx = torch.randint(n_train, (batch,), generator=rng)  # (batch,)
        clips = to_float(train_x[idx])  # (batch, 3, T, S, S)
        if recolour:
            clips = recolour_videos(clips, rng)
        if augment > 0:
            strength = float(torch.rand((), generator=rng)) * augment
            clips = degrade(clips, strength, rng)
        out = oracle(clips.to(device))
        loss = sum(F.cross_entropy(out.logits[name], train_y[name][idx].to(device))
                   for name in factors)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        if log and (step % 100 == 0 or step == steps):
            log(f"step {step}/{steps}  loss {loss.item():.4f}  "
                f"{time.perf_counter() - start:.0f} s")
    oracle.eval()
    report = {"held_out_accuracy": accuracy(oracle, val_x, val_y),
              "train_accuracy": accuracy(oracle, train_x[:n_val], {k: v[:n_val] for k, v in
                                                                   train_y.items()}),
              "classes": classes, "n_train": n_train, "n_val": n_val, "steps": steps,
              "batch": batch, "lr": lr, "seed": seed, "augment": augment, "recolour": recolour,
              "seconds": round(time.perf_counter() - start, 1)}
    if augment > 0:
        report["held_out_accuracy_degraded"] = degraded_accuracy(oracle, val_x, val_y,
                                                                 augment / 2)
    if recolour:
        report["held_out_accuracy_recoloured"] = recoloured_accuracy(oracle, val_x, val_y)
    return oracle, report


def recoloured_accuracy(oracle: Oracle, videos: torch.Tensor, labels: dict[str, torch.Tensor],
                        seed: int = 0) -> dict[str, float]:
    """Accuracy per factor of ``oracle`` on uint8 ``videos (N, 3, T, S, S)`` recoloured
    (``metrics.recolour``, every video, none kept; seeded by ``seed``)."""
    rng = torch.Generator().manual_seed(seed)
    out = torch.cat([recolour_videos(to_float(videos[i:i + 256]), rng, keep=0.0)
                     for i in range(0, len(videos), 256)])  # (N, 3, T, S, S)
    preds = embed(oracle, out).predictions()
    return {name: float((preds[name] == labels[name]).float().mean()) for name in labels}


def degraded_accuracy(oracle: Oracle, videos: torch.Tensor, labels: dict[str, torch.Tensor],
                      strength: float, seed: int = 0) -> dict[str, float]:
    """Accuracy per factor of ``oracle`` on uint8 ``videos (N, 3, T, S, S)`` degraded at
    ``strength`` (``metrics.degrade``, noise seeded by ``seed``)."""
    rng = torch.Generator().manual_seed(seed)
    noisy = torch.cat([degrade(to_float(videos[i:i + 256]), strength, rng)
                       for i in range(0, len(videos), 256)])  # (N, 3, T, S, S) in [-1, 1]
    preds = embed(oracle, noisy).predictions()
    return {name: float((preds[name] == labels[name]).float().mean()) for name in labels}

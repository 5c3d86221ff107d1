"""Training G3AN: the paper's loss, one step, and a loop that resumes exactly.

The objective (non-saturating GAN loss with logits, as the authors'): with real videos ``x``,
fakes ``G(z)``, and ``x_t`` one random frame of each video (what DI sees),

    L_D = BCE(DV(x), 1) + BCE(DV(G(z)), 0) + BCE(DI(x_t), 1) + BCE(DI(G(z)_t), 0)
    L_G = BCE(DV(G(z)), 1) + BCE(DI(G(z)_t), 1)

optimised with Adam (lr 2e-4, betas (0.5, 0.999)) for G and for both discriminators.

Exact resume: batch ``s`` is a pure function of (data seed, s) (see ``data_source``), and
every random draw of step ``s`` (noise ``z``, DI's frame choice) comes from a generator
re-seeded with (seed, s, rank) at the start of the step. So a checkpoint (weights, spectral-
norm vectors, BatchNorm statistics, Adam moments, step) determines the rest of the run: on
CPU, 3 steps + resume + 3 steps give bit for bit the weights of 6 steps.
"""

from __future__ import annotations

import copy
import json
import math
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoint as ckpt
from ._video_writer import save_video
from .baselines import MoCoGANGenerator
from .config import TrainConfig, architecture_mismatch, config_from_dict
from .data_source import build_data, iterate_batches
from .device import pick_device
from .discriminators import ImageDiscriminator, VideoDiscriminator, random_frames
from .generator import Generator

FORMAT_VERSION = 1


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; the last good checkpoint is kept."""


# ----------------------------------------------------------------------------- models


def build_models(config: TrainConfig) -> tuple[nn.Module, nn.Module, nn.Module]:
    """``(G, DV, DI)`` for ``config.arch``, initialised from ``config.seed``.

    Another model family plugs in with one more ``if config.arch == ...`` branch.
    """
    torch.manual_seed(config.seed)
    if config.arch == "g3an":
        g = Generator(dim_za=config.dim_za, dim_zm=config.dim_zm, ch=config.ch,
                      mode=config.mode, attention=config.attention,
                      resolution=config.resolution, spectral_norm=config.spectral_norm)
    elif config.arch == "mocogan":  # the baseline: another generator, the same discriminators
        g = MoCoGANGenerator(dim_za=config.dim_za, dim_zm=config.dim_zm, ch=config.ch,
                             resolution=config.resolution, spectral_norm=config.spectral_norm)
    else:
        raise ValueError(f"unknown arch {config.arch!r}; build_models knows: 'g3an', 'mocogan'.")
    dv = VideoDiscriminator(ch=config.dv_ch, resolution=config.resolution,
                            spectral_norm=config.spectral_norm)
    di = ImageDiscriminator(ch=config.di_ch, resolution=config.resolution,
                            spectral_norm=config.spectral_norm)
    return g, dv, di


def build_optimizers(config: TrainConfig, g: nn.Module, dv: nn.Module,
                     di: nn.Module) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    """Adam for G, and one Adam over both discriminators' parameters."""
    betas = (config.beta1, config.beta2)
    opt_g = torch.optim.Adam(g.parameters(), lr=config.lr_g, betas=betas)
    opt_d = torch.optim.Adam([*dv.parameters(), *di.parameters()], lr=config.lr_d, betas=betas)
    return opt_g, opt_d


def unwrap(module: nn.Module) -> nn.Module:
    """The plain module inside a ``DistributedDataParallel`` and/or ``torch.compile`` wrapper."""
    module = getattr(module, "_orig_mod", module)  # torch.compile
    return getattr(module, "module", module)  # DistributedDataParallel


# ----------------------------------------------------------------------------- loss and step


def discriminator_loss(dv: nn.Module, di: nn.Module, real: torch.Tensor, fake: torch.Tensor,
                       rng: torch.Generator) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """``L_D`` on real and (detached) fake videos ``(B, 3, T, R, R)``, and the mean logits.

    Real and fake go through each discriminator in one batch (one forward per network and
    step, which DistributedDataParallel needs).
    """
    b = real.shape[0]
    videos = torch.cat([real, fake])  # (2B, 3, T, R, R)
    frames = random_frames(videos, rng)  # (2B, 3, R, R): one random frame per video
    v, i = dv(videos).float(), di(frames).float()  # (2B,), (2B,) logits
    ones, zeros = torch.ones_like(v[:b]), torch.zeros_like(v[:b])
    loss = (F.binary_cross_entropy_with_logits(v[:b], ones)
            + F.binary_cross_entropy_with_logits(v[b:], zeros)
            + F.binary_cross_entropy_with_logits(i[:b], ones)
            + F.binary_cross_entropy_with_logits(i[b:], zeros))
    logits = {"dv_real": v[:b].mean(), "dv_fake": v[b:].mean(),
              "di_real": i[:b].mean(), "di_fake": i[b:].mean()}
    return loss, logits


def generator_loss(dv: nn.Module, di: nn.Module, fake: torch.Tensor,
                   rng: torch.Generator) -> torch.Tensor:
    """``L_G``: the non-saturating loss, fakes ``(B, 3, T, R, R)`` labelled real."""
    v, i = dv(fake).float(), di(random_frames(fake, rng)).float()  # (B,), (B,)
    ones = torch.ones_like(v)
    return (F.binary_cross_entropy_with_logits(v, ones)
            + F.binary_cross_entropy_with_logits(i, ones))


def train_step(g: nn.Module, dv: nn.Module, di: nn.Module, opt_g: torch.optim.Optimizer,
               opt_d: torch.optim.Optimizer, real: torch.Tensor, rng: torch.Generator,
               length: int = 1, amp: torch.dtype | None = None) -> dict[str, torch.Tensor]:
    """One GAN step on real videos ``(B, 3, T, R, R)``: update D, then G. Returns the losses.

    ``fake = G(z)`` is computed once: detached for the D step, attached for the G step.
    ``amp`` (e.g. ``torch.bfloat16``) runs the forward passes under autocast.
    """
    autocast = torch.autocast(real.device.type, dtype=amp or torch.float32,
                              enabled=amp is not None)
    z_a, z_m = unwrap(g).sample_noise(real.shape[0], length, generator=rng, device=real.device)
    with autocast:
        fake = g(z_a, z_m)  # (B, 3, T, R, R)
        d_loss, logits = discriminator_loss(dv, di, real, fake.detach(), rng)
    opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    opt_d.step()

    with autocast:
        g_loss = generator_loss(dv, di, fake, rng)
    opt_g.zero_grad(set_to_none=True)
    g_loss.backward()  # also fills D's gradients; the next D step clears them
    opt_g.step()
    return {"d_loss": d_loss.detach(), "g_loss": g_loss.detach(),
            **{k: v.detach() for k, v in logits.items()}}


@torch.no_grad()
def update_ema(ema: nn.Module, g: nn.Module, beta: float) -> None:
    """``ema ← beta·ema + (1 - beta)·g`` for parameters; buffers (BN, spectral norm) copied."""
    for p_ema, p in zip(ema.parameters(), g.parameters(), strict=True):
        p_ema.lerp_(p, 1.0 - beta)
    for b_ema, b in zip(ema.buffers(), g.buffers(), strict=True):
        b_ema.copy_(b)


def ema_beta(config: TrainConfig, step: int) -> float:
    """EMA decay at ``step``, warmed up so early averages are not stuck at the initial weights."""
    return min(config.ema_beta, (1.0 + step) / (10.0 + step))


def step_seed(seed: int, step: int, rank: int = 0) -> int:
    """The seed of step ``step``'s random draws on process ``rank`` (fits in 63 bits)."""
    return (seed * 1_000_003 + step) * 1024 + rank


def amp_dtype(config: TrainConfig, device: torch.device) -> torch.dtype | None:
    """bf16 when ``amp`` is ``bf16``, or ``auto`` on CUDA; ``None`` (fp32) otherwise."""
    if config.amp == "bf16" or (config.amp == "auto" and device.type == "cuda"):
        return torch.bfloat16
    return None


# ----------------------------------------------------------------------------- state


@dataclass
class TrainState:
    """Everything a checkpoint holds: plain (unwrapped) modules, optimisers and the step."""

    config: TrainConfig
    g: nn.Module
    dv: nn.Module
    di: nn.Module
    g_ema: nn.Module | None
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer
    step: int = 0

    @classmethod
    def create(cls, config: TrainConfig, device: torch.device) -> TrainState:
        g, dv, di = (m.to(device) for m in build_models(config))
        g_ema = copy.deepcopy(g).eval().requires_grad_(False) if config.ema else None
        return cls(config, g, dv, di, g_ema, *build_optimizers(config, g, dv, di))

    def tensors_and_meta(self, rng: torch.Generator | None = None) -> tuple[dict, dict]:
        tensors = {**ckpt.prefixed("g", self.g.state_dict()),
                   **ckpt.prefixed("dv", self.dv.state_dict()),
                   **ckpt.prefixed("di", self.di.state_dict())}
        if self.g_ema is not None:
            tensors.update(ckpt.prefixed("g_ema", self.g_ema.state_dict()))
        opt_g, meta_g = ckpt.flatten_optimizer("opt_g", self.opt_g)
        opt_d, meta_d = ckpt.flatten_optimizer("opt_d", self.opt_d)
        tensors.update(opt_g | opt_d)
        tensors["rng.torch_cpu"] = torch.get_rng_state()
        if rng is not None:
            tensors["rng.step"] = rng.get_state()
        meta = {"format": FORMAT_VERSION, "step": self.step, "config": self.config.to_dict(),
                "opt_g": meta_g, "opt_d": meta_d, "torch": torch.__version__}
        return tensors, meta

    def load(self, tensors: dict, meta: dict) -> None:
        """Restore from a checkpoint's ``(tensors, meta)``; refuse another architecture."""
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"checkpoint format {meta.get('format')!r} is not the format this "
                             f"version writes ({FORMAT_VERSION}).")
        diff = architecture_mismatch(meta["config"], self.config)
        if diff:
            raise ValueError("the checkpoint was trained with another config: "
                             + "; ".join(diff) + ". Use the same config to resume, or another "
                             "--out directory to start a new run.")
        self.g.load_state_dict(ckpt.subdict(tensors, "g"))
        self.dv.load_state_dict(ckpt.subdict(tensors, "dv"))
        self.di.load_state_dict(ckpt.subdict(tensors, "di"))
        if self.g_ema is not None:
            self.g_ema.load_state_dict(ckpt.subdict(tensors, "g_ema"))
        self.opt_g.load_state_dict(ckpt.unflatten_optimizer("opt_g", tensors, meta["opt_g"]))
        self.opt_d.load_state_dict(ckpt.unflatten_optimizer("opt_d", tensors, meta["opt_d"]))
        torch.set_rng_state(tensors["rng.torch_cpu"].cpu())
        self.step = int(meta["step"])

    def save(self, out_dir: str | Path) -> Path:
        tensors, meta = self.tensors_and_meta()
        return ckpt.save_checkpoint(out_dir, self.step, tensors, meta,
                                    keep=self.config.keep_checkpoints)


def load_generator(path: str | Path, ema: bool = True,
                   device: torch.device | str = "cpu") -> tuple[nn.Module, TrainConfig]:
    """The generator of a checkpoint in eval mode, and its config.

    ``path``: a ``step_*.safetensors`` file, a training ``--out`` directory, or the name of a
    model shipped with the course (``"g3an-tiny"``, see :mod:`g3an_edu.pretrained`; its
    SHA-256 is checked first). ``ema`` picks the EMA weights when the run kept them.
    """
    from .pretrained import is_shipped_name, model_path

    if is_shipped_name(path):
        path = model_path(path)
    tensors, meta = ckpt.load_checkpoint(path, device)
    config = config_from_dict(meta["config"])
    g = build_models(config)[0].to(device)
    prefix = "g_ema" if ema and any(k.startswith("g_ema.") for k in tensors) else "g"
    g.load_state_dict(ckpt.subdict(tensors, prefix))
    return g.eval(), config


def read_metrics(out_dir: str | Path) -> dict[str, list[float]]:
    """``metrics.jsonl`` of a run as columns: ``{"step": [...], "d_loss": [...], ...}``."""
    rows = [json.loads(line) for line in
            (Path(out_dir) / "metrics.jsonl").read_text().splitlines() if line.strip()]
    return {key: [row[key] for row in rows] for key in (rows[0] if rows else {})}


# ----------------------------------------------------------------------------- loop helpers


class StopRequest:
    """Turns Ctrl-C (SIGINT) and SIGTERM into a flag the loop checks after each step.

    Installed only in the main thread (``signal`` allows nothing else); a second signal
    raises ``KeyboardInterrupt`` at once.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopRequest:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.requested:  # a second Ctrl-C: stop now, without the checkpoint
            raise KeyboardInterrupt
        self.requested = True
        print(f"\n{signal.Signals(signum).name}: saving a checkpoint after this step "
              "(press Ctrl-C again to quit without it)", flush=True)

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


@dataclass
class TrainResult:
    """What :func:`train` did: the step reached, where things are, and whether it was stopped."""

    step: int
    out_dir: Path
    checkpoint: Path | None
    metrics: Path
    interrupted: bool = False


def _distributed(device_request: str) -> tuple[int, int, torch.device, bool]:
    """``(rank, world, device, we_initialised)`` from torchrun's environment variables."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return 0, 1, pick_device(device_request), False
    local = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(device_request)
    if device.type == "cuda":
        device = torch.device("cuda", local)
        torch.cuda.set_device(device)
    started = not dist.is_initialized()
    if started:
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return dist.get_rank(), world, device, started


def _trim_metrics(path: Path, step: int) -> None:
    """Drop metric lines after ``step`` (steps lost since the checkpoint a run resumes from)."""
    if path.exists():
        keep = [line for line in path.read_text().splitlines()
                if line.strip() and json.loads(line)["step"] <= step]
        path.write_text("".join(line + "\n" for line in keep))


def _save_samples(state: TrainState, noise: tuple[torch.Tensor, torch.Tensor],
                  out_dir: Path) -> Path:
    g = state.g_ema if state.g_ema is not None else state.g
    was_training = g.training
    g.eval()
    with torch.no_grad():
        videos = g(*(z.to(next(g.parameters()).device) for z in noise))  # (N, 3, T, R, R)
    g.train(was_training)
    return save_video(out_dir / "samples" / f"step_{state.step:08d}.gif", videos)


def _nan_message(step: int, losses: dict, out_dir: Path) -> str:
    last = ckpt.latest_checkpoint(out_dir)
    kept = f"the last good checkpoint ({last}) is kept" if last else "no checkpoint was written"
    shown = ", ".join(f"{k}={v:.4g}" for k, v in losses.items())
    return (f"a loss became NaN or infinite at step {step} ({shown}); stopped, {kept}. "
            "Try: a lower learning rate (--set lr_g=1e-4 --set lr_d=1e-4), fp32 instead of "
            "bf16 (--set amp=none), spectral norm on (--set spectral_norm=true), or check the "
            "data for NaN values. Re-running the same command resumes from the checkpoint.")


# ----------------------------------------------------------------------------- the loop


def train(config: TrainConfig, out_dir: str | Path, steps: int | None = None,
          device: str = "auto", data=None, progress: bool = True) -> TrainResult:
    """Train ``config`` until step ``steps`` (default ``config.steps``), resuming from ``out_dir``.

    Writes ``out_dir/checkpoints/step_*.safetensors``, ``metrics.jsonl`` (one JSON object per
    logged step) and ``samples/step_*.gif`` (fixed noise). ``data`` overrides the config's data
    source (anything :func:`~g3an_edu.data_source.iterate_batches` accepts). Ctrl-C / SIGTERM
    save a checkpoint and return with ``interrupted=True``. Under ``torchrun`` it trains with
    DistributedDataParallel, each process on ``batch / world`` videos.
    """
    from tqdm.auto import tqdm

    out_dir = Path(out_dir)
    stop_at = config.steps if steps is None else steps
    rank, world, dev, started_dist = _distributed(device)
    try:
        state = TrainState.create(config, dev)
        last = ckpt.latest_checkpoint(out_dir)
        if last is not None:
            state.load(*ckpt.load_checkpoint(last, dev))
            if rank == 0 and progress:
                print(f"resuming from {last} (step {state.step})")
        metrics = out_dir / "metrics.jsonl"
        if rank == 0:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / "config.json").write_text(json.dumps(config.to_dict(), indent=2) + "\n")
            _trim_metrics(metrics, state.step)
        result = TrainResult(state.step, out_dir, last, metrics)
        if state.step >= stop_at:
            return result

        g, dv, di = state.g, state.dv, state.di  # what the step runs: maybe wrapped
        if config.channels_last:  # 5-D weights only: G and DV (DI is 2-D)
            g, dv = (m.to(memory_format=torch.channels_last_3d) for m in (g, dv))
        if world > 1:
            ddp = torch.nn.parallel.DistributedDataParallel
            g, dv, di = (ddp(m, device_ids=[dev.index] if dev.type == "cuda" else None)
                         for m in (g, dv, di))
        if config.compile:
            g, dv, di = (torch.compile(m) for m in (g, dv, di))
        amp = amp_dtype(config, dev)
        rng = torch.Generator(device=dev)
        noise = state.g.sample_noise(config.n_samples, config.length, device="cpu",
                                     generator=torch.Generator().manual_seed(config.seed + 1))
        source = data if data is not None else build_data(config)
        batches = iterate_batches(source, config, state.step, stop_at, dev, rank, world)
        bar = tqdm(total=stop_at, initial=state.step, desc="train", unit="step",
                   disable=not progress or rank != 0, dynamic_ncols=True)
        tick, tick_step = time.perf_counter(), state.step
        with StopRequest() as stop:
            for real in batches:
                if config.channels_last:
                    real = real.contiguous(memory_format=torch.channels_last_3d)
                rng.manual_seed(step_seed(config.seed, state.step, rank))
                out = train_step(g, dv, di, state.opt_g, state.opt_d, real, rng,
                                 config.length, amp)
                if state.g_ema is not None:
                    update_ema(state.g_ema, state.g, ema_beta(config, state.step))
                state.step += 1
                shared = torch.stack([out["d_loss"], out["g_loss"],
                                      torch.tensor(float(stop.requested), device=dev)])
                if world > 1:  # every process sees the same losses and stop request
                    dist.all_reduce(shared)
                    shared = shared / world
                d_loss, g_loss, stop_flag = shared.tolist()
                if not (math.isfinite(d_loss) and math.isfinite(g_loss)):
                    bar.close()
                    raise TrainingDiverged(_nan_message(state.step, {"d_loss": d_loss,
                                                                     "g_loss": g_loss}, out_dir))
                bar.update(1)
                if rank == 0 and state.step % config.log_every == 0:
                    now = time.perf_counter()
                    sec = (now - tick) / max(1, state.step - tick_step)
                    tick, tick_step = now, state.step
                    line = {"step": state.step, "d_loss": d_loss, "g_loss": g_loss,
                            **{k: v.item() for k, v in out.items() if k not in
                               ("d_loss", "g_loss")},
                            "sec_per_step": sec, "videos_per_sec": config.batch / sec}
                    with open(metrics, "a") as f:
                        f.write(json.dumps(line) + "\n")
                    bar.set_postfix(d=f"{d_loss:.3f}", g=f"{g_loss:.3f}")
                if rank == 0 and config.sample_every and state.step % config.sample_every == 0:
                    _save_samples(state, noise, out_dir)
                interrupted = stop_flag > 0
                if rank == 0 and (state.step % config.checkpoint_every == 0 or interrupted
                                  or state.step == stop_at):
                    result.checkpoint = state.save(out_dir)
                if interrupted:
                    result.interrupted = True
                    break
        bar.close()
        if world > 1:
            dist.barrier()
        result.step = state.step
        if result.interrupted and rank == 0:
            print(f"stopped at step {state.step}; checkpoint saved to {result.checkpoint}. "
                  "Run the same command again to resume.")
        return result
    finally:
        if started_dist:
            dist.destroy_process_group()

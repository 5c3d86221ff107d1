"""Training G3AN: the state a checkpoint holds, and a loop that resumes exactly.

The objective and one step live in :mod:`g3an_edu.objective`, the models in
:mod:`g3an_edu.models`, the checkpoint format in :mod:`g3an_edu.checkpoint`, the run's log in
:mod:`g3an_edu.run_log`; this module puts them together.

Exact resume: batch ``s`` is a pure function of (data seed, s) (see ``data_source``), and
every random draw of step ``s`` (noise ``z``, DI's frame choice) comes from a generator
re-seeded with (seed, s, rank) at the start of the step. So a checkpoint (weights, spectral-
norm vectors, BatchNorm statistics, Adam moments, step) determines the rest of the run: on
CPU, 3 steps + resume + 3 steps give bit for bit the weights of 6 steps.

Speed: the loop waits for the device (and, under ``torchrun``, all-reduces) only at logging,
sample and checkpoint steps: that is where it reads the losses, checks them for NaN (a flag
kept on the device names the first bad step; no checkpoint is written after it) and agrees on
a stop request. ``train`` also sets glibc's allocator to keep freed memory
(:mod:`g3an_edu.allocator`).
"""

from __future__ import annotations

import copy
import json
import os
import signal
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn as nn

from . import checkpoint as ckpt
from .allocator import keep_freed_memory
from .config import TrainConfig, architecture_mismatch
from .data_source import build_data, iterate_batches, pair_batch, pair_kind
from .device import pick_device
from .ema import ema_beta, update_ema
from .models import build_code_recovery, build_models, build_pair_discriminator
from .objective import Objective, amp_dtype, train_step
from .run_log import append_metrics, trim_metrics
from .viz import save_video


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; the last good checkpoint is kept."""


def build_optimizers(config: TrainConfig, g: nn.Module, dv: nn.Module, di: nn.Module,
                     dp: nn.Module | None = None, dq: nn.Module | None = None
                     ) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    """Adam for G, and one Adam over every discriminator's parameters (DV, DI, the pair
    discriminator DP and the code recovery net Q when there are)."""
    betas = (config.beta1, config.beta2)
    opt_g = torch.optim.Adam(g.parameters(), lr=config.lr_g, betas=betas)
    d_params = [*dv.parameters(), *di.parameters(), *(dp.parameters() if dp else ()),
                *(dq.parameters() if dq else ())]
    opt_d = torch.optim.Adam(d_params, lr=config.lr_d, betas=betas)
    return opt_g, opt_d


def step_objective(objective: Objective, config: TrainConfig, step: int) -> Objective:
    """The objective of step ``step``: with ``pair_real = "both"``, fake pairs share ``z_a``
    at the steps whose real pairs are one look in two motions, ``z_m`` at the others."""
    if objective.pair_shares != "by_step":
        return objective
    kind = pair_kind(config.pair_real, step)
    return replace(objective, pair_shares="z_a" if kind == "same_person" else "z_m")


def step_seed(seed: int, step: int, rank: int = 0) -> int:
    """The seed of step ``step``'s random draws on process ``rank`` (fits in 63 bits)."""
    return (seed * 1_000_003 + step) * 1024 + rank


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
    dp: nn.Module | None = None  # the pair discriminator, when config.pair_weight > 0
    dq: nn.Module | None = None  # the code recovery net, when config.motion_classes > 0

    @classmethod
    def create(cls, config: TrainConfig, device: torch.device) -> TrainState:
        g, dv, di = (m.to(device) for m in build_models(config))
        dp, dq = (m.to(device) if m is not None else None
                  for m in (build_pair_discriminator(config), build_code_recovery(config)))
        g_ema = copy.deepcopy(g).eval().requires_grad_(False) if config.ema else None
        return cls(config, g, dv, di, g_ema, *build_optimizers(config, g, dv, di, dp, dq),
                   dp=dp, dq=dq)

    def tensors_and_meta(self, rng: torch.Generator | None = None) -> tuple[dict, dict]:
        tensors = {**ckpt.prefixed("g", self.g.state_dict()),
                   **ckpt.prefixed("dv", self.dv.state_dict()),
                   **ckpt.prefixed("di", self.di.state_dict())}
        if self.g_ema is not None:
            tensors.update(ckpt.prefixed("g_ema", self.g_ema.state_dict()))
        for name in ("dp", "dq"):
            if getattr(self, name) is not None:
                tensors.update(ckpt.prefixed(name, getattr(self, name).state_dict()))
        opt_g, meta_g = ckpt.flatten_optimizer("opt_g", self.opt_g)
        opt_d, meta_d = ckpt.flatten_optimizer("opt_d", self.opt_d)
        tensors.update(opt_g | opt_d)
        tensors["rng.torch_cpu"] = torch.get_rng_state()
        if rng is not None:
            tensors["rng.step"] = rng.get_state()
        meta = {"format": ckpt.FORMAT_VERSION, "step": self.step, "config": self.config.to_dict(),
                "opt_g": meta_g, "opt_d": meta_d, "torch": torch.__version__}
        return tensors, meta

    def load(self, tensors: dict, meta: dict) -> None:
        """Restore from a checkpoint's ``(tensors, meta)``; refuse another architecture."""
        ckpt.check_format(meta)
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
        for name in ("dp", "dq"):
            if getattr(self, name) is not None:
                getattr(self, name).load_state_dict(ckpt.subdict(tensors, name))
        self.opt_g.load_state_dict(ckpt.unflatten_optimizer("opt_g", tensors, meta["opt_g"]))
        self.opt_d.load_state_dict(ckpt.unflatten_optimizer("opt_d", tensors, meta["opt_d"]))
        torch.set_rng_state(tensors["rng.torch_cpu"].cpu())
        self.step = int(meta["step"])

    def save(self, out_dir: str | Path) -> Path:
        tensors, meta = self.tensors_and_meta()
        return ckpt.save_checkpoint(out_dir, self.step, tensors, meta,
                                    keep=self.config.keep_checkpoints)


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


def _save_samples(state: TrainState, noise: tuple[torch.Tensor, torch.Tensor],
                  out_dir: Path) -> Path:
    g = state.g_ema if state.g_ema is not None else state.g
    was_training = g.training
    g.eval()
    with torch.no_grad():
        videos = g(*(z.to(next(g.parameters()).device) for z in noise))  # (N, 3, T, R, R)
    g.train(was_training)
    return save_video(out_dir / "samples" / f"step_{state.step:08d}.gif", videos)


def _first_nonfinite(bad_step: torch.Tensor, losses: torch.Tensor, step: int) -> torch.Tensor:
    """``bad_step`` (a 0-d long tensor, 0 while all is well), or ``step`` if it is 0 and a loss
    in ``losses`` is NaN or infinite: computed on the device, so no step waits for it."""
    now = torch.where(torch.isfinite(losses).all(), 0, step)
    return torch.where(bad_step > 0, bad_step, now)


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
    keep_freed_memory()  # reuse freed blocks instead of faulting them in every step
    try:
        state = TrainState.create(config, dev)
        last = ckpt.latest_checkpoint(out_dir)
        torch.manual_seed(config.seed)  # a run owns the global RNG; a resume restores it below
        if last is not None:
            # to the CPU first: load_state_dict moves weights and Adam's moments to their
            # parameters' device but leaves Adam's `step` where it is, and a CUDA `step`
            # would cost a host-device sync per parameter per step
            state.load(*ckpt.load_checkpoint(last, "cpu"))
            if rank == 0 and progress:
                print(f"resuming from {last} (step {state.step})")
        metrics = out_dir / "metrics.jsonl"
        if rank == 0:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / "config.json").write_text(json.dumps(config.to_dict(), indent=2) + "\n")
            trim_metrics(metrics, state.step)
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
        dp = state.dp
        if dp is not None and world > 1:
            dp = torch.nn.parallel.DistributedDataParallel(
                dp, device_ids=[dev.index] if dev.type == "cuda" else None)
        objective = Objective.from_config(config)
        amp = amp_dtype(config, dev)
        rng = torch.Generator(device=dev)
        noise = state.g.sample_noise(config.n_samples, config.length, device="cpu",
                                     generator=torch.Generator().manual_seed(config.seed + 1))
        source = data if data is not None else build_data(config)
        batches = iterate_batches(source, config, state.step, stop_at, dev, rank, world)
        bar = tqdm(total=stop_at, initial=state.step, desc="train", unit="step",
                   disable=not progress or rank != 0, dynamic_ncols=True)
        tick, tick_step = time.perf_counter(), state.step
        bad_step = torch.zeros((), dtype=torch.long, device=dev)  # first non-finite step, or 0
        with StopRequest() as stop:
            for real in batches:
                if config.channels_last:
                    real = real.contiguous(memory_format=torch.channels_last_3d)
                rng.manual_seed(step_seed(config.seed, state.step, rank))
                pairs = (pair_batch(source, config, state.step, real, rank, world)
                         if dp is not None else None)
                out = train_step(g, dv, di, state.opt_g, state.opt_d, real, rng,
                                 config.length, amp, step_objective(objective, config, state.step),
                                 dp, pairs, state.dq)
                if state.g_ema is not None:
                    update_ema(state.g_ema, state.g, ema_beta(config, state.step))
                state.step += 1
                losses = torch.stack([out["d_loss"], out["g_loss"]])  # (2,), no sync
                bad_step = _first_nonfinite(bad_step, losses, state.step)
                bar.update(1)
                log_now = state.step % config.log_every == 0
                save_now = state.step % config.checkpoint_every == 0 or state.step == stop_at
                sample_now = bool(config.sample_every) and state.step % config.sample_every == 0
                if not (log_now or save_now or sample_now or (world == 1 and stop.requested)):
                    continue  # no host-device sync (and no all_reduce) on the other steps
                # sync point: every process learns the losses, a NaN and a stop request
                shared = torch.cat([losses, bad_step.to(losses.dtype)[None],
                                    torch.tensor([float(stop.requested)], device=dev)])
                if world > 1:
                    shared_max = shared[2:].clone()
                    dist.all_reduce(shared)
                    dist.all_reduce(shared_max, op=dist.ReduceOp.MAX)
                    shared = torch.cat([shared[:2] / world, shared_max])
                d_loss, g_loss, bad_at, stop_flag = shared.tolist()
                if bad_at > 0:  # before any save: the last checkpoint stays a good one
                    bar.close()
                    raise TrainingDiverged(_nan_message(int(bad_at), {"d_loss": d_loss,
                                                                      "g_loss": g_loss}, out_dir))
                if rank == 0 and log_now:
                    now = time.perf_counter()
                    sec = (now - tick) / max(1, state.step - tick_step)
                    tick, tick_step = now, state.step
                    line = {"step": state.step, "d_loss": d_loss, "g_loss": g_loss,
                            **{k: v.item() for k, v in out.items() if k not in
                               ("d_loss", "g_loss")},
                            "sec_per_step": sec, "videos_per_sec": config.batch / sec}
                    append_metrics(metrics, line)
                    bar.set_postfix(d=f"{d_loss:.3f}", g=f"{g_loss:.3f}")
                if rank == 0 and sample_now:
                    _save_samples(state, noise, out_dir)
                interrupted = stop_flag > 0
                if rank == 0 and (save_now or interrupted):
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

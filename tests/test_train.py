"""The trainer: the paper's loss lowers, resume is exact, NaN and mismatches stop cleanly."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from g3an_edu import checkpoint as ckpt
from g3an_edu.config import load_config
from g3an_edu.data import SyntheticActions
from g3an_edu.data_source import batch_indices
from g3an_edu.discriminators import random_frames
from g3an_edu.objective import discriminator_loss, train_step
from g3an_edu.run_log import read_metrics
from g3an_edu.train import TrainingDiverged, TrainState, train

# small and fast: F-SA costs most of a step on CPU (test_checkpoint round-trips its state)
QUIET = {"ch": 8, "dv_ch": 8, "di_ch": 8, "batch": 2, "sample_every": 0, "log_every": 1,
         "attention": False}


def actions(**kwargs) -> SyntheticActions:
    """The course's synthetic data at the tiny config's size."""
    return SyntheticActions(size=32, frames=16, **kwargs)


def tiny(**overrides):
    return load_config("tiny", {**QUIET, **overrides})


def test_a_discriminator_step_lowers_the_discriminator_loss_on_a_fixed_batch():
    state = TrainState.create(tiny(), torch.device("cpu"))
    real = actions().batch(range(4))["video"]  # (4, 3, 16, 32, 32): rendered figures
    with torch.no_grad():
        fake = state.g(*state.g.sample_noise(4, 1, generator=torch.Generator().manual_seed(1)))

    def loss() -> float:  # eval mode: spectral norm does not update its vectors
        state.dv.eval(), state.di.eval()
        with torch.no_grad():
            value = discriminator_loss(state.dv, state.di, real, fake,
                                       torch.Generator().manual_seed(2))[0].item()
        state.dv.train(), state.di.train()
        return value

    before = loss()
    for _ in range(3):
        d_loss, _ = discriminator_loss(state.dv, state.di, real, fake,
                                       torch.Generator().manual_seed(2))
        state.opt_d.zero_grad()
        d_loss.backward()
        state.opt_d.step()
    assert loss() < before - 1e-3


def test_di_sees_one_frame_of_each_video():
    video = torch.arange(2 * 5, dtype=torch.float32).reshape(2, 1, 5, 1, 1)  # frame ids
    video = video.expand(2, 3, 5, 4, 4)  # (2, 3, 5, 4, 4)
    frames = random_frames(video, torch.Generator().manual_seed(0))  # (2, 3, 4, 4)
    assert frames.shape == (2, 3, 4, 4)
    assert 0 <= frames[0, 0, 0, 0] < 5 and 5 <= frames[1, 0, 0, 0] < 10


def test_batch_of_a_step_is_a_pure_function_of_seed_and_step():
    a = batch_indices(7, 4, 10, seed=3)
    assert a == batch_indices(7, 4, 10, seed=3)
    assert a != batch_indices(7, 4, 10, seed=4)
    two_ranks = batch_indices(7, 4, 10, 3, rank=0, world=2) + batch_indices(7, 4, 10, 3, 1, 2)
    assert two_ranks == a  # a multi-process run sees the single-process batch


def final_tensors(out_dir):
    tensors, meta = ckpt.load_checkpoint(out_dir)
    return {k: v for k, v in tensors.items() if not k.startswith("rng.")}, meta


@pytest.mark.slow
@pytest.mark.parametrize("fast", [{}, {"amp": "bf16", "attention": True}],
                         ids=["fp32", "bf16-autocast-with-fsa"])
def test_resume_equals_uninterrupted_run(tmp_path, fast):
    """Also for bf16 autocast on the CPU (the fast path on CPUs with AMX; benchmarks/RESULTS.md),
    with F-SA, whose attention runs in bf16 there."""
    config, data = tiny(checkpoint_every=100, **fast), actions(length=10)
    train(config, tmp_path / "once", steps=6, device="cpu", data=data, progress=False)
    train(config, tmp_path / "twice", steps=3, device="cpu", data=data, progress=False)
    assert ckpt.latest_checkpoint(tmp_path / "twice").name == "step_00000003.safetensors"
    train(config, tmp_path / "twice", steps=6, device="cpu", data=data, progress=False)
    once, meta_once = final_tensors(tmp_path / "once")
    twice, meta_twice = final_tensors(tmp_path / "twice")
    assert meta_once["step"] == meta_twice["step"] == 6
    assert once.keys() == twice.keys() and any(k.startswith("g_ema.") for k in once)
    different = [k for k in once if not torch.equal(once[k], twice[k])]
    assert different == []  # bit for bit: weights, EMA, BN and spectral-norm buffers, Adam
    metrics = read_metrics(tmp_path / "twice")
    assert metrics["step"] == [1, 2, 3, 4, 5, 6]
    assert metrics["d_loss"] == read_metrics(tmp_path / "once")["d_loss"]


class NaNAfter:
    """SyntheticActions whose batches turn to NaN after the first ``good`` calls."""

    def __init__(self, good: int) -> None:
        self.source, self.good, self.calls = actions(), good, 0

    def __len__(self) -> int:
        return len(self.source)

    def batch(self, indices, device=None):
        self.calls += 1
        out = self.source.batch(indices, device)
        return out if self.calls <= self.good else {"video": out["video"] * float("nan")}


def test_a_nan_loss_stops_training_and_keeps_the_last_good_checkpoint(tmp_path):
    config = tiny(checkpoint_every=1)
    with pytest.raises(TrainingDiverged, match="NaN or infinite at step 3.*lower learning rate"):
        train(config, tmp_path, steps=10, device="cpu", data=NaNAfter(2), progress=False)
    assert ckpt.latest_checkpoint(tmp_path).name == "step_00000002.safetensors"
    tensors, meta = ckpt.load_checkpoint(tmp_path)
    assert all(torch.isfinite(v).all() for k, v in tensors.items() if v.is_floating_point())


def test_a_nan_is_caught_at_the_next_logging_step_before_any_save(tmp_path):
    """The loop checks finiteness only where it syncs (logging and checkpoint steps), but it
    names the first bad step and never saves a checkpoint after it."""
    config = tiny(log_every=4, checkpoint_every=4)
    with pytest.raises(TrainingDiverged, match="NaN or infinite at step 6"):
        train(config, tmp_path, steps=20, device="cpu", data=NaNAfter(5), progress=False)
    assert ckpt.latest_checkpoint(tmp_path).name == "step_00000004.safetensors"


def test_resume_reads_the_checkpoint_on_the_cpu(tmp_path, monkeypatch):
    """So ``load_state_dict`` leaves Adam's ``step`` on the CPU on every device (a CUDA
    ``step`` costs a sync per parameter per step); moments and weights move to the device."""
    config = tiny(checkpoint_every=100)
    train(config, tmp_path, steps=2, device="cpu", data=actions(), progress=False)
    devices, load = [], ckpt.load_checkpoint

    def recording_load(path, device="cpu"):
        devices.append(str(device))
        return load(path, device)

    monkeypatch.setattr(ckpt, "load_checkpoint", recording_load)
    state = {}
    monkeypatch.setattr(TrainState, "save", lambda self, out: state.setdefault("s", self))
    train(config, tmp_path, steps=3, device="cpu", data=actions(), progress=False)
    assert devices == ["cpu"]
    steps = [s["step"] for s in state["s"].opt_g.state.values()]
    assert steps and all(t.device.type == "cpu" and float(t) == 3 for t in steps)


def test_a_checkpoint_of_another_architecture_is_refused_naming_the_keys(tmp_path):
    TrainState.create(tiny(), torch.device("cpu")).save(tmp_path)
    with pytest.raises(ValueError, match="mode: checkpoint '1p2d', config '3d'"):
        train(tiny(mode="3d"), tmp_path, steps=2, device="cpu", data=actions(), progress=False)


def test_bf16_autocast_step_runs_and_updates_weights_on_cpu():
    state = TrainState.create(tiny(), torch.device("cpu"))
    before = [p.detach().clone() for p in state.g.parameters()]
    real = actions().batch(range(2))["video"]
    out = train_step(state.g, state.dv, state.di, state.opt_g, state.opt_d, real,
                     torch.Generator().manual_seed(0), amp=torch.bfloat16)
    assert torch.isfinite(out["d_loss"]) and torch.isfinite(out["g_loss"])
    assert out["d_loss"].dtype == torch.float32  # losses in fp32 under autocast
    assert any(not torch.equal(a, b) for a, b in zip(before, state.g.parameters(), strict=True))


@pytest.mark.slow
def test_sigterm_saves_a_checkpoint_and_exits_cleanly(tmp_path):
    cmd = [sys.executable, "-m", "g3an_edu", "train", "--config", "tiny", "--out", str(tmp_path),
           "--steps", "10000", "--device", "cpu", "--no-progress",
           *[f"--set={k}={v}" for k, v in QUIET.items()]]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    metrics = tmp_path / "metrics.jsonl"
    deadline = time.time() + 60
    while not (metrics.exists() and metrics.read_text().strip()) and time.time() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "Run the same command again to resume" in stdout
    step = ckpt.load_checkpoint(tmp_path)[1]["step"]
    assert 1 <= step < 10000


def test_channels_last_3d_training_step_computes_the_same_losses(tmp_path):
    data, logged = actions(), {}
    for name, flag in (("plain", False), ("cl", True)):
        train(tiny(channels_last=flag), tmp_path / name, steps=1, device="cpu", data=data,
              progress=False)
        lines = (tmp_path / name / "metrics.jsonl").read_text().splitlines()
        logged[name] = [json.loads(line) for line in lines]
    for plain, cl in zip(logged["plain"], logged["cl"], strict=True):
        for key in ("d_loss", "g_loss", "dv_real", "dv_fake", "di_real", "di_fake"):
            assert cl[key] == pytest.approx(plain[key], rel=1e-3, abs=1e-5), key

"""Checkpoints: safetensors + JSON, no pickle on load, atomic writes, the last few kept."""

import os
import pickle
import signal
import subprocess
import sys
import textwrap

import pytest
import torch

from g3an_edu import checkpoint as ckpt
from g3an_edu.config import load_config
from g3an_edu.train import TrainState


def small_state(**overrides) -> TrainState:
    config = load_config("tiny", {"ch": 8, "batch": 2, **overrides})
    return TrainState.create(config, torch.device("cpu"))


def test_checkpoint_round_trip_restores_every_tensor_and_the_step(tmp_path):
    state = small_state()
    with torch.no_grad():
        for p in state.g.parameters():
            p.add_(1.0)  # differ from a fresh build
    state.step = 7
    state.save(tmp_path)
    fresh = small_state()
    fresh.load(*ckpt.load_checkpoint(tmp_path))
    assert fresh.step == 7
    for (name, a), b in zip(state.g.state_dict().items(), fresh.g.state_dict().values(),
                            strict=True):
        assert torch.equal(a, b), name


def test_loading_uses_no_pickle(tmp_path, monkeypatch):
    small_state().save(tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("pickle used on the load path")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(torch, "load", refuse)
    small_state().load(*ckpt.load_checkpoint(tmp_path))


def test_only_the_last_few_checkpoints_are_kept(tmp_path):
    state = small_state(keep_checkpoints=2)
    for step in (1, 2, 3):
        state.step = step
        state.save(tmp_path)
    names = [p.name for p in ckpt.list_checkpoints(tmp_path)]
    assert names == ["step_00000002.safetensors", "step_00000003.safetensors"]


def test_a_leftover_tmp_file_is_ignored_and_removed_by_the_next_save(tmp_path):
    state = small_state()
    state.save(tmp_path)
    partial = ckpt.checkpoint_path(tmp_path, 5).with_suffix(".safetensors.tmp")
    partial.write_bytes(b"\x00garbage")
    assert ckpt.latest_checkpoint(tmp_path).name == "step_00000000.safetensors"
    state.step = 1
    state.save(tmp_path)
    assert not partial.exists()


KILLED_WHILE_SAVING = textwrap.dedent("""
    import os, sys, time, torch
    from g3an_edu.config import load_config
    from g3an_edu.train import TrainState
    state = TrainState.create(load_config("tiny", {"batch": 2}), torch.device("cpu"))
    state.save(sys.argv[1])                       # a good checkpoint at step 0
    def hang(fd):                                 # the new file is half on disk ...
        print("saving", flush=True)
        time.sleep(60)                            # ... when SIGKILL arrives
    os.fsync = hang
    state.step = 1
    state.save(sys.argv[1])
""")


def test_sigkill_while_saving_leaves_the_previous_checkpoint_loadable(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WHILE_SAVING, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "saving"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list((tmp_path / "checkpoints").glob("*.tmp"))  # the save was really cut off
    latest = ckpt.latest_checkpoint(tmp_path)
    assert latest.name == "step_00000000.safetensors"
    state = small_state()
    state.load(*ckpt.load_checkpoint(tmp_path))
    assert state.step == 0


def test_a_non_checkpoint_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        ckpt.load_checkpoint(tmp_path)

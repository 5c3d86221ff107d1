"""Multi-process training: DistributedDataParallel on CPU (gloo), as torchrun would run it."""

import os
import socket

import pytest
import torch
import torch.multiprocessing as mp
from safetensors.torch import load_file, save_file

from g3an_edu.config import load_config
from g3an_edu.data import SyntheticActions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(rank: int, world: int, port: int, out_dir: str) -> None:
    """One torchrun-like process: the environment torchrun sets, then the trainer."""
    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world),
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    from g3an_edu.train import TrainState, train

    captured = {}
    original = TrainState.create.__func__

    def create(cls, config, device):  # keep a handle on this rank's models
        captured["state"] = original(cls, config, device)
        return captured["state"]

    TrainState.create = classmethod(create)
    config = load_config("tiny", {"ch": 8, "dv_ch": 8, "di_ch": 8, "batch": 4,
                                  "sample_every": 0, "attention": False})
    data = SyntheticActions(size=32, frames=16)
    train(config, out_dir, steps=2, device="cpu", data=data, progress=False)
    state = captured["state"]
    tensors = {f"{name}.{k}": v for name, m in (("g", state.g), ("dv", state.dv),
                                                ("di", state.di))
               for k, v in m.state_dict().items()}
    save_file({k: v.contiguous() for k, v in tensors.items()},
              os.path.join(out_dir, f"rank{rank}.safetensors"))


@pytest.mark.slow
def test_ddp_on_gloo_leaves_identical_weights_on_both_ranks(tmp_path):
    mp.spawn(worker, args=(2, free_port(), str(tmp_path)), nprocs=2, join=True)
    rank0 = load_file(str(tmp_path / "rank0.safetensors"))
    rank1 = load_file(str(tmp_path / "rank1.safetensors"))
    # BatchNorm statistics are per process (DDP broadcasts rank 0's at each forward)
    params = [k for k in rank0 if "running" not in k and "num_batches" not in k]
    assert params and all(torch.equal(rank0[k], rank1[k]) for k in params)
    initial = load_config("tiny", {"ch": 8, "dv_ch": 8, "di_ch": 8, "attention": False})
    from g3an_edu.models import build_models

    g0 = build_models(initial)[0].state_dict()
    assert any(not torch.equal(g0[k[2:]], rank0[k]) for k in rank0 if k.startswith("g."))
    assert (tmp_path / "checkpoints" / "step_00000002.safetensors").exists()

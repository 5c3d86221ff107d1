"""Checkpoints: one safetensors file per save, written atomically, no pickle on the load path.

A checkpoint ``DIR/checkpoints/step_00001000.safetensors`` holds flat tensors

    g.<name>, dv.<name>, di.<name>, g_ema.<name>     model state dicts (weights, spectral-norm
                                                      vectors, BatchNorm statistics)
    opt_g.<i>.<name>, opt_d.<i>.<name>               Adam state of parameter i (step, moments)
    rng.<name>                                       random-generator states (uint8)

and, in the safetensors header's metadata, one JSON string with the config, the step and the
optimisers' hyper-parameters. Both are read back with ``safetensors`` and ``json`` only.

Saving writes ``step_….safetensors.tmp``, flushes it to disk and renames it: a rename is
atomic, so a process killed while saving leaves the previous checkpoints intact and at
worst a ``.tmp`` file, which loading ignores and the next save removes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file
from safetensors.torch import save as safetensors_bytes

CHECKPOINT_DIR = "checkpoints"
_NAME = re.compile(r"^step_(\d{8})\.safetensors$")


def checkpoint_path(out_dir: str | Path, step: int) -> Path:
    return Path(out_dir) / CHECKPOINT_DIR / f"step_{step:08d}.safetensors"


def list_checkpoints(out_dir: str | Path) -> list[Path]:
    """Complete checkpoints in ``out_dir``, oldest first (``.tmp`` leftovers excluded)."""
    folder = Path(out_dir) / CHECKPOINT_DIR
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: int(_NAME.match(p.name).group(1)))


def latest_checkpoint(out_dir: str | Path) -> Path | None:
    """The newest complete checkpoint in ``out_dir``, or ``None``."""
    found = list_checkpoints(out_dir)
    return found[-1] if found else None


def resolve_checkpoint(path: str | Path) -> Path:
    """A checkpoint file, or the newest one of a training output directory."""
    path = Path(path)
    if path.is_file():
        return path
    latest = latest_checkpoint(path) if path.is_dir() else None
    if latest is None:
        raise FileNotFoundError(f"no checkpoint at {path}: expected a step_*.safetensors file, "
                                f"a training --out directory containing {CHECKPOINT_DIR}/, or "
                                "the name of a shipped model (g3an-edu doctor lists them).")
    return latest


def flatten_optimizer(prefix: str, optimizer: torch.optim.Optimizer) -> tuple[dict, dict]:
    """Split ``optimizer.state_dict()`` into tensors ``{prefix.i.name}`` and JSON-able rest."""
    state = optimizer.state_dict()
    tensors, scalars = {}, {}
    for index, entries in state["state"].items():
        for name, value in entries.items():
            if isinstance(value, torch.Tensor):
                tensors[f"{prefix}.{index}.{name}"] = value
            else:
                scalars[f"{index}.{name}"] = value
    return tensors, {"param_groups": state["param_groups"], "scalars": scalars}


def unflatten_optimizer(prefix: str, tensors: dict, meta: dict) -> dict:
    """The inverse of :func:`flatten_optimizer`: a state dict for ``load_state_dict``."""
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        if key.startswith(prefix + "."):
            index, name = key[len(prefix) + 1:].split(".", 1)
            state.setdefault(int(index), {})[name] = value
    for key, value in meta["scalars"].items():
        index, name = key.split(".", 1)
        state.setdefault(int(index), {})[name] = value
    return {"state": state, "param_groups": meta["param_groups"]}


def save_checkpoint(out_dir: str | Path, step: int, tensors: dict[str, torch.Tensor],
                    meta: dict, keep: int = 3) -> Path:
    """Write ``tensors`` + ``meta`` (JSON-able) atomically as step ``step``; keep the last ``keep``.

    Returns the path written. Tensors are copied to CPU and made contiguous first.
    """
    final = checkpoint_path(out_dir, step)
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob("*.tmp"):  # left by a process killed while saving
        stale.unlink()
    cpu = {k: v.detach().to("cpu").contiguous().clone() for k, v in tensors.items()}
    data = safetensors_bytes(cpu, metadata={"g3an_edu": json.dumps(meta, sort_keys=True)})
    tmp = final.with_name(final.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())  # the bytes are on disk before the rename makes them visible
    os.replace(tmp, final)  # atomic: readers see the old state or the complete new file
    for old in list_checkpoints(out_dir)[:-keep]:
        old.unlink()
    return final


def load_checkpoint(path: str | Path, device: torch.device | str = "cpu") -> tuple[dict, dict]:
    """``(tensors, meta)`` of a checkpoint file or of the newest one in a directory."""
    path = resolve_checkpoint(path)
    try:
        with safe_open(str(path), framework="pt") as f:
            header = f.metadata() or {}
        tensors = load_file(str(path), device=str(device))
    except Exception as err:  # safetensors raises its own error types
        raise RuntimeError(f"checkpoint {path} cannot be read ({err}); delete it to resume "
                           "from the one before.") from err
    if "g3an_edu" not in header:
        raise RuntimeError(f"{path} is a safetensors file but not a g3an-edu checkpoint "
                           "(no 'g3an_edu' metadata).")
    return tensors, json.loads(header["g3an_edu"])


def subdict(tensors: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    """``{"g.a": x, "dv.b": y}, "g" -> {"a": x}``."""
    n = len(prefix) + 1
    return {k[n:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}


def prefixed(prefix: str, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """``"g", {"a": x} -> {"g.a": x}``."""
    return {f"{prefix}.{k}": v for k, v in state.items()}

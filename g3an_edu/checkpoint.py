"""Checkpoints: one safetensors file per save, written atomically, no pickle on the load path.

A checkpoint ``DIR/checkpoints/step_00001000.safetensors`` holds flat tensors

    g.<name>, dv.<name>, di.<name>, g_ema.<name>     model state dicts (weights, spectral-norm
                                                      vectors, BatchNorm statistics)
    opt_g.<i>.<name>, opt_d.<i>.<name>               Adam state of parameter i (step, moments)
    rng.<name>                                       random-generator states (uint8)

and, in the safetensors header's metadata, one JSON string (``meta``) with the format version,
the config, the step and the optimisers' hyper-parameters. Both are read back with
``safetensors`` and ``json`` only. A *generator file* (what ``tools/ship_model.py`` writes and
the course ships) has the same layout with one weight set only (``g_ema.*`` or ``g.*``).

Weight sets: a training checkpoint holds the raw generator ``g`` and, when the run kept an
EMA, ``g_ema``. :func:`generator_weights` picks one and says which sets a file holds when the
one asked for is missing; it never silently falls back to the other.

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
FORMAT_VERSION = 1  # bump when the layout changes; readers refuse newer versions
EMA, RAW = "g_ema", "g"  # the two generator weight sets
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
    meta = json.loads(header["g3an_edu"])
    check_format(meta, path)
    return tensors, meta


class CheckpointFormatError(ValueError):
    """A checkpoint written in a format version this version of g3an-edu cannot read."""


def check_format(meta: dict, path: str | Path = "the checkpoint") -> None:
    """Refuse a checkpoint whose ``meta["format"]`` is not :data:`FORMAT_VERSION`."""
    found = meta.get("format")
    if found == FORMAT_VERSION:
        return
    if isinstance(found, int) and found > FORMAT_VERSION:
        fix = ("it was written by a newer g3an-edu: upgrade this one "
               "(pip install -U g3an-edu, or git pull in your clone) to read it.")
    else:
        fix = ("it is not a checkpoint format this g3an-edu knows: re-create it with "
               "g3an-edu train, or load it with the version that wrote it.")
    raise CheckpointFormatError(f"{path} has checkpoint format {found!r}, but this version "
                                f"reads format {FORMAT_VERSION}; {fix}")


def weight_sets(tensors: dict[str, torch.Tensor]) -> list[str]:
    """The generator weight sets a checkpoint holds, of ``["g_ema", "g"]``."""
    return [name for name in (EMA, RAW) if any(k.startswith(name + ".") for k in tensors)]


def generator_weights(tensors: dict[str, torch.Tensor], ema: bool,
                      path: str | Path = "the checkpoint") -> dict[str, torch.Tensor]:
    """The generator state dict of weight set ``g_ema`` (``ema=True``) or ``g`` (``ema=False``).

    A missing set is an error that names what the file holds, never a silent fallback.
    """
    want, held = (EMA if ema else RAW), weight_sets(tensors)
    if want in held:
        return subdict(tensors, want)
    if not held:
        raise ValueError(f"{path} holds no generator weights (no g.* or g_ema.* tensors).")
    if ema:
        raise ValueError(f"{path} holds only the raw generator (the run kept no EMA, "
                         "ema = false): load it with ema=False (g3an-edu ... --no-ema).")
    raise ValueError(f"{path} holds only the EMA generator (a shipped model or an exported "
                     "file keeps just its moving average): load it with ema=True (drop "
                     "--no-ema).")


def save_generator_file(path: str | Path, weights: dict[str, torch.Tensor], meta: dict,
                        ema: bool = True) -> Path:
    """Write one generator weight set as a g3an-edu file that every loader reads.

    ``weights``: the generator's state dict; ``meta``: the checkpoint's meta (config, step,
    ...), to which the format version and ``weights`` (the set's name) are added.
    """
    path = Path(path)
    name = EMA if ema else RAW
    tensors = {k: v.detach().to("cpu").contiguous() for k, v in prefixed(name, weights).items()}
    meta = {**meta, "format": FORMAT_VERSION, "weights": name}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(safetensors_bytes(tensors, metadata={"g3an_edu": json.dumps(meta,
                                                                                  sort_keys=True)}))
    return path


def subdict(tensors: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    """``{"g.a": x, "dv.b": y}, "g" -> {"a": x}``."""
    n = len(prefix) + 1
    return {k[n:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}


def prefixed(prefix: str, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """``"g", {"a": x} -> {"g.a": x}``."""
    return {f"{prefix}.{k}": v for k, v in state.items()}

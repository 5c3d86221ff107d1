"""Building models from a config and loading trained generators: the one place for both.

Building: :func:`build_generator` and :func:`build_discriminators` make the networks a
:class:`~g3an_edu.config.TrainConfig` describes, initialised from ``config.seed``. They draw
the initial weights inside :func:`torch.random.fork_rng`, so building or loading a model never
moves the caller's random stream: ``torch.manual_seed(1); load_pretrained(...); torch.rand(3)``
gives the numbers ``torch.manual_seed(1); torch.rand(3)`` gives. Only :func:`g3an_edu.train.
train` seeds the global generator, when it starts a run.

Loading: :func:`load_generator` takes any of

    a checkpoint file       runs/tiny/checkpoints/step_00001000.safetensors
    a training --out dir    runs/tiny            (its newest checkpoint)
    a shipped model's name  g3an-tiny            (see g3an_edu.pretrained; SHA-256 checked)

and builds only the generator. An existing path wins over a shipped name spelt the same
(``--out g3an-tiny`` then ``--checkpoint g3an-tiny`` loads your run); ``shipped:g3an-tiny``
always means the shipped model. :func:`resolve_source` says which one it picked, and the
commands print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn as nn

from . import checkpoint as ckpt
from . import pretrained
from .baselines import MoCoGANGenerator
from .code_recovery import MotionCodeRecovery
from .config import ARCHS, TrainConfig, config_from_dict
from .discriminators import ImageDiscriminator, PairDiscriminator, VideoDiscriminator
from .generator import Generator


def _build_generator(config: TrainConfig) -> nn.Module:
    if config.arch == "g3an":
        return Generator(dim_za=config.dim_za, dim_zm=config.dim_zm, ch=config.ch,
                         mode=config.mode, attention=config.attention,
                         resolution=config.resolution, spectral_norm=config.spectral_norm,
                         zm_in_video=config.zm_in_video, za_in_video=config.za_in_video,
                         appearance_global=config.appearance_global,
                         video_instance_norm=config.video_instance_norm,
                         appearance_modulation=config.appearance_modulation,
                         appearance_last_blocks=config.appearance_last_blocks,
                         layered_output=config.layered_output,
                         layered_background=config.layered_background,
                         temporal_zero_mean=config.temporal_zero_mean,
                         static_video_start=config.static_video_start,
                         to_rgb_spectral_norm=config.to_rgb_spectral_norm,
                         motion_classes=config.motion_classes)
    if config.arch == "mocogan":  # the baseline: another generator, the same discriminators
        return MoCoGANGenerator(dim_za=config.dim_za, dim_zm=config.dim_zm, ch=config.ch,
                                resolution=config.resolution, spectral_norm=config.spectral_norm)
    raise ValueError(f"unknown arch {config.arch!r}; valid values are: "
                     f"{', '.join(map(repr, ARCHS))}.")


def _build_discriminators(config: TrainConfig) -> tuple[nn.Module, nn.Module]:
    dv = VideoDiscriminator(ch=config.dv_ch, resolution=config.resolution,
                            spectral_norm=config.spectral_norm,
                            time_padding=config.dv_time_padding)
    di = ImageDiscriminator(ch=config.di_ch, resolution=config.resolution,
                            spectral_norm=config.spectral_norm)
    return dv, di


def build_models(config: TrainConfig) -> tuple[nn.Module, nn.Module, nn.Module]:
    """``(G, DV, DI)`` for ``config.arch``, initialised from ``config.seed``.

    G is drawn first, then DV, then DI, from one stream seeded with ``config.seed`` (so G's
    weights do not depend on the discriminators' sizes). The caller's RNG is left untouched.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        g = _build_generator(config)
        dv, di = _build_discriminators(config)
    return g, dv, di


def build_pair_discriminator(config: TrainConfig) -> nn.Module | None:
    """The pair discriminator when ``config.pair_weight > 0``, else ``None``: DV's
    architecture on 6 channels (two clips side by side; ``pair_arch = "stacked"``) or a
    :class:`~g3an_edu.discriminators.PairDiscriminator` (``"siamese"``), ``pair_ch`` wide
    (0: ``dv_ch``). Drawn from its own seed, so G, DV and DI start from the same weights with
    or without it."""
    if config.pair_weight <= 0:
        return None
    ch = config.pair_ch or config.dv_ch
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed + 1)
        if config.pair_arch == "siamese":
            return PairDiscriminator(ch=ch, resolution=config.resolution,
                                     spectral_norm=config.spectral_norm,
                                     time_padding=config.dv_time_padding)
        return VideoDiscriminator(ch=ch, resolution=config.resolution,
                                  spectral_norm=config.spectral_norm,
                                  time_padding=config.dv_time_padding, channels=6)


def build_code_recovery(config: TrainConfig) -> nn.Module | None:
    """``Q``, the net that reads the motion category back (:mod:`g3an_edu.code_recovery`),
    ``dv_ch`` wide, when ``config.motion_classes > 0`` and ``info_weight > 0``, else ``None``.
    Drawn from its own seed, so the other networks start from the same weights either way."""
    if config.motion_classes <= 0 or config.info_weight <= 0:
        return None
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed + 2)
        return MotionCodeRecovery(config.motion_classes, ch=config.dv_ch,
                                  resolution=config.resolution)


def build_generator(config: TrainConfig) -> nn.Module:
    """G alone, with the same initial weights as ``build_models(config)[0]``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        return _build_generator(config)


def unwrap(module: nn.Module) -> nn.Module:
    """The plain module inside a ``DistributedDataParallel`` and/or ``torch.compile`` wrapper."""
    module = getattr(module, "_orig_mod", module)  # torch.compile
    return getattr(module, "module", module)  # DistributedDataParallel


SHIPPED_PREFIX = "shipped:"


@dataclass(frozen=True)
class Source:
    """What :func:`load_generator` reads: ``kind`` is ``"path"`` or ``"shipped"``; ``shadows``
    is true when a path was taken although a shipped model has the same name."""

    kind: str
    path: Path
    name: str
    shadows: bool = False

    def describe(self) -> str:
        if self.kind == "shipped":
            return f"shipped model {self.name!r} ({self.path})"
        if self.shadows:
            return (f"{self.path} (your local {self.name!r}, not the shipped model of that "
                    f"name; for that one pass {SHIPPED_PREFIX}{self.name})")
        return str(self.path)


def resolve_source(source: str | Path) -> Source:
    """Which file ``source`` means: ``shipped:NAME`` is a shipped model; otherwise an existing
    path first, then a shipped model's name.

    A local folder or file named like a shipped model (``--out g3an-tiny``) wins: the course
    never loads a shipped model when the user's own run is there, and says so.
    """
    text = str(source)
    if text.startswith(SHIPPED_PREFIX):
        name = text[len(SHIPPED_PREFIX):]
        return Source("shipped", pretrained.model_path(name), name)
    if Path(text).exists():
        return Source("path", ckpt.resolve_checkpoint(text), text,
                      shadows=pretrained.is_shipped_name(text))
    if pretrained.is_shipped_name(text):
        return Source("shipped", pretrained.model_path(text), text)
    return Source("path", ckpt.resolve_checkpoint(text), text)  # raises, naming the fix


def _generator_from(path: Path, label: str, ema: bool, device: torch.device | str,
                    untrained: bool = False) -> tuple[nn.Module, TrainConfig]:
    """G of the checkpoint file ``path`` (called ``label`` in errors) in eval mode, and its
    config; only G is built."""
    tensors, meta = ckpt.load_checkpoint(path, device)
    config = config_from_dict(meta["config"])
    g = build_generator(config).to(device)
    if not untrained:
        g.load_state_dict(ckpt.generator_weights(tensors, ema, label))
    return g.eval(), config


def load_generator(source: str | Path, ema: bool = True, device: torch.device | str = "cpu",
                   untrained: bool = False) -> tuple[nn.Module, TrainConfig]:
    """The generator of ``source`` in eval mode, and its config.

    ``source``: a checkpoint file, a training ``--out`` directory or a shipped model's name
    (see the module docstring). ``ema`` picks the EMA weights (``True``) or the raw G; a file
    without that set is refused with a message naming the sets it holds. ``untrained``: the
    same architecture at its initial weights (what training must beat).
    """
    where = resolve_source(source)
    return _generator_from(where.path, where.describe(), ema, device, untrained)


def load_pretrained(name: str,
                    device: torch.device | str = "cpu") -> tuple[nn.Module, TrainConfig]:
    """``(G in eval mode, its TrainConfig)`` of shipped model ``name``, SHA-256 checked.

    Unlike :func:`load_generator`, ``name`` is always a shipped name, even if a local folder
    of that name exists.
    """
    return _generator_from(pretrained.model_path(name), f"shipped model {name!r}", True, device)


def load_discriminators(source: str | Path,
                        device: torch.device | str = "cpu") -> tuple[nn.Module, nn.Module]:
    """``(DV, DI)`` of a training checkpoint (file or ``--out`` directory), in eval mode.

    Shipped models hold only the generator: for them this raises, saying so.
    """
    where = resolve_source(source)
    tensors, meta = ckpt.load_checkpoint(where.path, device)
    if not any(k.startswith("dv.") for k in tensors):
        raise ValueError(f"{where.describe()} holds no discriminators (shipped models and "
                         "exported files keep only the generator): pass a training checkpoint.")
    config = config_from_dict(meta["config"])
    with torch.random.fork_rng(devices=[]):
        dv, di = _build_discriminators(config)
    dv.load_state_dict(ckpt.subdict(tensors, "dv"))
    di.load_state_dict(ckpt.subdict(tensors, "di"))
    return dv.to(device).eval(), di.to(device).eval()

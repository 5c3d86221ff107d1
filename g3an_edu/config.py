"""Training configs: one plain dataclass, named presets as TOML files, ``key=value`` overrides.

A config holds everything a run depends on: the architecture (so a checkpoint can rebuild
its models and refuse a mismatch), the optimiser, the data and the bookkeeping. Presets
live in ``g3an_edu/configs/<name>.toml`` and only list what differs from the defaults below:

    tiny    32×32, ch=8, batch 4:     trains visibly on 2 CPU cores; the test suite's config
    cpu     32×32, ch=16, batch 16:   real learning on a 2-core laptop in about an hour
    colab   64×64, ch=32, batch 32:   one T4-class GPU
    paper   64×64, ch=64, batch 96:   the authors' setting

and ``mocogan-tiny``, ``mocogan-cpu``, ``mocogan-colab``, ``mocogan-paper``: the MoCoGAN
baseline (``arch = "mocogan"``) with the same data, discriminators and optimisation, its
width ``ch`` chosen to match G3AN's parameter count at that size (within 20 %).

>>> cfg = load_config("tiny", ["batch=8", "attention=false"])
>>> cfg.batch, cfg.attention
(8, False)
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

from .generator import RESOLUTIONS, frames_for_length
from .tier import current_tier
from .transposed_conv import MODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PRESETS = ("tiny", "cpu", "colab", "paper", "mocogan-tiny", "mocogan-cpu", "mocogan-colab",
           "mocogan-paper")

# Keys a resumed run may change; every other key must equal the checkpoint's.
RESUMABLE_KEYS = frozenset({
    "name", "steps", "log_every", "sample_every", "checkpoint_every", "keep_checkpoints",
    "n_samples", "amp", "compile", "channels_last", "workers",
})

# Keys of the departures from the paper (docs/STUDY.md): each is off at its default.
DEPARTURE_KEYS = (
    "zm_in_video", "za_in_video", "appearance_global", "video_instance_norm",
    "appearance_modulation", "appearance_last_blocks", "layered_output", "layered_background",
    "temporal_zero_mean", "static_video_start", "dv_time_padding", "di_edge_frames",
    "pair_weight", "pair_real", "pair_arch", "pair_ch", "mode_seeking_weight",
    "colour_ratio_weight", "colour_ratio_target", "motion_classes", "info_weight",
)


@dataclass
class TrainConfig:
    """Every setting of a training run. Defaults are the paper's where the paper has one."""

    name: str = "custom"
    # architecture: build_models(config) reads these
    arch: str = "g3an"  # model family: "g3an", or "mocogan" (the baseline; ch = its width)
    resolution: int = 64  # R: videos are (B, 3, T, R, R); 32, 64 or 128
    length: int = 1  # L: motion steps of z_m; the generator makes T = 4(L+3) frames
    ch: int = 64  # generator width
    mode: str = "1p2d"  # video stream's transposed conv: 1p2d, 2p1d or 3d
    attention: bool = True  # F-SA in the generator
    dim_za: int = 128  # appearance noise size
    dim_zm: int = 10  # motion noise size per step
    dv_ch: int = 64  # video discriminator width
    di_ch: int = 64  # image discriminator width
    spectral_norm: bool = True  # on every conv of G's blocks and F-SA, DV and DI, as the authors
    to_rgb_spectral_norm: bool = True  # and on G's to_rgb (the authors' is a plain Conv3d:
    # false follows them; true is what the shipped models were trained with)
    # departures from the paper (off by default; the disentanglement study, docs/STUDY.md)
    zm_in_video: bool = True  # false: block 1's video stream gets concat(z_a, 0), not z_m
    za_in_video: bool = True  # false: it gets concat(0, z_m): z_a reaches the video stream
    # only through the fused spatial features, which are constant over time
    appearance_global: bool = False  # fuse the spatial features averaged over space: z_a
    # gives per-channel styles (colours), not a layout (where the figure is, how it stands)
    video_instance_norm: bool = False  # instance-normalise the fused video half h_v + h_t
    # in every block: patterns pass, per-channel levels (colours) do not
    appearance_modulation: bool = False  # scale and shift that video half per channel by a
    # learned map of the pooled spatial features (with video_instance_norm: AdaIN)
    appearance_last_blocks: int = 0  # k > 0: only the last k blocks fuse the spatial stream
    # (the others fuse zeros); 0: every block, as the paper
    layered_output: int = 0  # K > 0: to_rgb replaced by K coloured parts and a background
    # (colours and background from z_a's spatial stream, masks from the video stream)
    layered_background: str = "image"  # its background: a still image, or "colour" (flat)
    temporal_zero_mean: bool = False  # fuse h_t minus its mean over time (no constant offset)
    static_video_start: bool = False  # block 1's video stream averaged over time: its start
    # carries no motion, every change over time comes through the fused temporal stream
    dv_time_padding: bool = False  # pad DV's time convs: edge frames get a fair gradient
    di_edge_frames: bool = False  # DI also judges every video's first and last frame
    pair_weight: float = 0.0  # > 0: a pair discriminator on (G(z_a, z_m), G(z_a, z_m')) pairs
    pair_real: str = "same_person"  # its real pairs: one look in two motions, or one video
    # at two times ("same_video": same action, another phase), or one motion in two looks
    # ("same_motion": fakes then share z_m, not z_a; uses the renderer's motion factors), or
    # "both": same_person pairs at even steps, same_motion pairs at odd steps
    pair_arch: str = "stacked"  # the pair discriminator: DV on 6 channels, or "siamese"
    # (one DV trunk per clip, a head on the two embeddings' sum and absolute difference)
    pair_ch: int = 0  # its width (0: dv_ch)
    mode_seeking_weight: float = 0.0  # > 0: G is pushed to make fakes that share z_m and
    # differ in z_a look different (their time-averaged frames; MSGAN's term on z_a only)
    colour_ratio_weight: float = 0.0  # > 0: G is pushed to make fakes that share z_a keep
    # their colour distribution when z_m changes, relative to how much it moves with z_a
    # (objective.colour_ratio_loss: sorted pixel values, blind to where pixels are)
    colour_ratio_target: float = 0.0  # > 0: only the ratio above this is penalised (a hinge;
    # real videos: about 0.07), so z_m need not be more colour-invariant than real motion is
    motion_classes: int = 0  # k > 0: z_m's last k channels are a one-hot category that a net
    # Q must read back from the video's frame differences (InfoGAN-style; code_recovery.py)
    info_weight: float = 1.0  # the weight of that recovery loss, for G and for Q
    # optimisation (the paper: Adam 2e-4, betas (0.5, 0.999), batch 96)
    batch: int = 96  # global batch (split across processes under torchrun)
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    loss: str = "bce"  # "bce" (the paper's non-saturating loss) or "hinge"
    d_steps: int = 1  # discriminator updates per generator update
    di_weight: float = 1.0  # weight of DI's loss terms against DV's
    steps: int = 100_000  # train until this step
    seed: int = 0  # weights, noise, DI's frame choice
    ema: bool = True  # keep an exponential moving average of G's weights for sampling
    ema_beta: float = 0.999
    amp: str = "auto"  # "auto" (bf16 on CUDA, fp32 elsewhere), "bf16" or "none"
    compile: bool = False  # torch.compile G and both discriminators
    channels_last: bool = False  # channels_last_3d memory format for G and DV
    # data
    data: str = "synthetic"  # "synthetic" (SyntheticActions) or "folder" (VideoFolder)
    data_root: str = ""  # folder of videos when data = "folder"
    data_seed: int = 0  # the data's own seed; batch s is a pure function of (data_seed, s)
    workers: int = 0  # DataLoader workers for data = "folder"
    # bookkeeping
    log_every: int = 10  # write a metrics line every N steps
    sample_every: int = 500  # save a GIF of fixed-noise samples every N steps (0: never)
    checkpoint_every: int = 1000  # save a checkpoint every N steps (and at the end)
    keep_checkpoints: int = 3  # how many recent checkpoints to keep
    n_samples: int = 8  # videos in each sample GIF

    @property
    def frames(self) -> int:
        """Frames per training video, ``T = 4(L+3)``."""
        return frames_for_length(self.length)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


ARCHS = ("g3an", "mocogan")  # model families g3an_edu.models can build
CHOICES = {
    "arch": ARCHS,
    "resolution": RESOLUTIONS,
    "mode": MODES,
    "amp": ("auto", "bf16", "none"),
    "data": ("synthetic", "folder"),
    "loss": ("bce", "hinge"),
    "pair_real": ("same_person", "same_video", "same_motion", "both"),
    "pair_arch": ("stacked", "siamese"),
}
POSITIVE = ("length", "ch", "dim_za", "dim_zm", "dv_ch", "di_ch", "batch", "log_every",
            "checkpoint_every", "keep_checkpoints", "n_samples", "d_steps")


def valid_keys() -> str:
    """``"arch (str), resolution (int), ..."``: the keys a config accepts, for error messages."""
    return ", ".join(f"{f.name} ({f.type})" for f in fields(TrainConfig))


def _convert(key: str, value: object, kind: str) -> object:
    """Check (from TOML) or parse (from a ``--set`` string) ``value`` for a field of ``kind``."""
    if isinstance(value, str) and kind != "str":
        text = value.strip().lower()
        try:
            if kind == "bool":
                if text not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError
                return text in ("true", "1", "yes")
            return int(text) if kind == "int" else float(text)
        except ValueError:
            raise ValueError(f"config key {key!r} takes a value of type {kind}, "
                             f"got {value!r}.") from None
    ok = {"str": isinstance(value, str),
          "bool": isinstance(value, bool),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, (int, float)) and not isinstance(value, bool)}[kind]
    if not ok:
        raise ValueError(f"config key {key!r} takes a value of type {kind}, got {value!r} "
                         f"({type(value).__name__}).")
    return float(value) if kind == "float" else value


def config_from_dict(values: dict, base: TrainConfig | None = None) -> TrainConfig:
    """``base`` (default: the defaults) with ``values`` applied, type-checked and validated."""
    kinds = {f.name: f.type for f in fields(TrainConfig)}
    out = dataclasses.asdict(base or TrainConfig())
    for key, value in values.items():
        if key not in kinds:
            raise ValueError(f"unknown config key {key!r}; valid keys are: {valid_keys()}.")
        out[key] = _convert(key, value, kinds[key])
    config = TrainConfig(**out)
    check_config(config)
    return config


def check_config(config: TrainConfig) -> None:
    """Raise ``ValueError`` on values no run can use (naming the key and the valid values)."""
    for key, choices in CHOICES.items():
        value = getattr(config, key)
        if value not in choices:
            raise ValueError(f"config key {key!r} is {value!r}; valid values are: "
                             f"{', '.join(map(repr, choices))}.")
    for key in POSITIVE:
        if getattr(config, key) < 1:
            raise ValueError(f"config key {key!r} must be ≥ 1, got {getattr(config, key)}.")
    if config.steps < 0 or config.sample_every < 0:
        raise ValueError("config keys 'steps' and 'sample_every' must be ≥ 0.")
    if not 0.0 <= config.ema_beta < 1.0:
        raise ValueError(f"config key 'ema_beta' must be in [0, 1), got {config.ema_beta}.")
    if config.pair_ch < 0:
        raise ValueError(f"config key 'pair_ch' must be ≥ 0 (0: dv_ch), got {config.pair_ch}.")
    if config.motion_classes and not (2 <= config.motion_classes < config.dim_zm
                                      and config.arch == "g3an"):
        raise ValueError(f"motion_classes = {config.motion_classes} needs 2 ≤ motion_classes < "
                         f"dim_zm (got dim_zm {config.dim_zm}) and arch 'g3an' (got "
                         f"{config.arch!r}): e.g. --set dim_zm=20 motion_classes=10.")
    for key in ("di_weight", "pair_weight", "info_weight", "mode_seeking_weight",
                "colour_ratio_weight", "colour_ratio_target"):
        if getattr(config, key) < 0:
            raise ValueError(f"config key {key!r} must be ≥ 0, got {getattr(config, key)}.")
    if config.pair_weight > 0 and (config.batch % 2 or config.data != "synthetic"):
        raise ValueError("pair_weight > 0 pairs the batch's first half with its second, and "
                         "renders real pairs with SyntheticActions: use an even batch and "
                         "data = 'synthetic' (got batch "
                         f"{config.batch}, data {config.data!r}).")
    if config.colour_ratio_weight > 0 and (
            config.batch % 4 or (config.pair_weight > 0
                                 and config.pair_real not in ("same_person", "same_video"))):
        raise ValueError("colour_ratio_weight > 0 draws the batch as crossed 2 × 2 blocks (two "
                         "z_a × two z_m): it needs a batch divisible by 4 (got "
                         f"{config.batch}) and, with the pair discriminator, fake pairs that "
                         "share z_a (pair_real 'same_person' or 'same_video', got "
                         f"{config.pair_real!r}).")
    if config.mode_seeking_weight > 0:
        group = 4 if config.pair_weight > 0 or config.colour_ratio_weight > 0 else 2
        if config.batch % group or (config.pair_weight > 0
                                    and config.pair_real not in ("same_person", "same_video")):
            raise ValueError(f"mode_seeking_weight > 0 pairs fakes that share z_m: it needs a "
                             f"batch divisible by {group} (got {config.batch}) and, with the "
                             f"pair discriminator, fake pairs that share z_a (pair_real "
                             f"'same_person' or 'same_video', got {config.pair_real!r}).")
    if config.data == "folder" and not config.data_root:
        raise ValueError("data = 'folder' needs data_root: add --set data_root=PATH/TO/VIDEOS.")


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """``["batch=8", "mode=3d"] -> {"batch": "8", "mode": "3d"}`` (values stay strings)."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set expects key=value, got {pair!r} (e.g. --set batch=8).")
        out[key.strip()] = value
    return out


def _read_toml(name_or_file: str) -> dict:
    """The values of a preset or TOML file; ``inherit = "tiny"`` starts from another preset."""
    path = Path(name_or_file)
    if name_or_file in PRESETS:
        text = resources.files("g3an_edu").joinpath(f"configs/{name_or_file}.toml").read_text()
        values = tomllib.loads(text)
    elif path.suffix == ".toml" and path.is_file():
        values = tomllib.loads(path.read_text())
    else:
        values = None
    if values is not None:
        parent = values.pop("inherit", None)
        return {**_read_toml(parent), **values} if parent else values
    raise ValueError(f"unknown config {name_or_file!r}: give a preset ({', '.join(PRESETS)}), "
                     "auto (the config of the tier $G3AN_TIER) or the path of a .toml file.")


def load_config(name_or_file: str, overrides: list[str] | dict | None = None) -> TrainConfig:
    """A preset name, ``auto`` (the tier's config) or a TOML file, then ``overrides``.

    ``overrides`` is ``["key=value", ...]`` (as ``--set`` gives them) or a dict.
    """
    if name_or_file == "auto":
        config = config_for_tier()
    else:
        values = _read_toml(name_or_file)
        values.setdefault("name", Path(name_or_file).stem)
        config = config_from_dict(values)
    extra = overrides if isinstance(overrides, dict) else parse_overrides(overrides)
    return config_from_dict(extra, base=config)


def config_for_tier(tier: str | None = None) -> TrainConfig:
    """The config the notebooks and the CLI use by default in a tier.

    ``fast`` -> ``tiny`` for 20 steps (CI), ``laptop`` -> ``cpu``, ``gpu`` -> ``colab``.
    """
    tier = tier or current_tier()
    if tier == "fast":
        return load_config("tiny", {"steps": 20, "sample_every": 10, "checkpoint_every": 10})
    return load_config({"laptop": "cpu", "gpu": "colab"}[tier])


def departures(config: TrainConfig | dict) -> dict:
    """``{key: value}`` of every departure from the paper that ``config`` switches on.

    A key counts when it differs from its default (the paper's); ``{}`` means the paper's
    architecture and objective. Keys that only act together with another (``pair_real``
    with ``pair_weight > 0``) are listed when set, so the record says what was trained.

    >>> departures(load_config("cpu", ["pair_weight=1", "za_in_video=false"]))
    {'za_in_video': False, 'pair_weight': 1.0}
    """
    values = config.to_dict() if isinstance(config, TrainConfig) else config
    defaults = TrainConfig().to_dict()
    return {key: values[key] for key in DEPARTURE_KEYS
            if key in values and values[key] != defaults[key]}


def architecture_mismatch(saved: dict, current: TrainConfig) -> list[str]:
    """``["ch: checkpoint 16, config 8", ...]`` for every key a resume may not change."""
    now, defaults = current.to_dict(), TrainConfig().to_dict()
    saved = {**defaults, **saved}  # keys added after the checkpoint was written: their defaults
    return [f"{key}: checkpoint {saved.get(key)!r}, config {now[key]!r}"
            for key in now if key not in RESUMABLE_KEYS and saved.get(key) != now[key]]

"""The oracle: a small video classifier that reads the synthetic data's factors back.

FID and FVD need a feature network (Inception, I3D) that must be downloaded. On synthetic
data we know what every video shows, so we train our own network to predict it: the action
and each appearance class (shirt colour, background, ...). Its features replace Inception's
for the Fréchet distances, and its predictions measure disentanglement directly.

Architecture, factorized like G3AN's discriminator ((2+1)D, space then time):

    frames (B·T, 3, S, S) --2D CNN (3 stride-2 convs) + linear--> frame features (B, T, D)
    frame features --mean over time--> appearance features (B, D) --linear--> appearance logits
    [frame features, their change from the previous frame] (B, T, 2D)
                   --2 temporal convs + mean over time--> motion features (B, D)
                                                    --linear--> action logits
    video features = [appearance features, motion features] (B, 2D)

Videos of another size are resized (area) to ``S×S`` first, so one oracle (``S = 32``)
evaluates 32- and 64-pixel generators alike.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from ..validation import check_tensor

ACTION = "action"
DEFAULT_ASSET = "oracle.safetensors"
JUDGE_ASSET = "action_judge.safetensors"  # the colour-blind action judge (metrics.recolour)


@dataclass
class OracleSpec:
    """What an oracle predicts and at which size: everything needed to rebuild it."""

    factors: dict[str, int] = field(default_factory=lambda: {ACTION: 6})  # name -> classes
    size: int = 32  # S: frames are resized to S×S
    width: int = 16  # channels of the first conv (then 2×, 4×)
    dim: int = 128  # D: frame and motion feature size

    @property
    def appearance_factors(self) -> tuple[str, ...]:
        """Every factor but the action: what must not change when only ``z_m`` changes."""
        return tuple(name for name in self.factors if name != ACTION)


@dataclass
class OracleOutput:
    """The oracle's view of ``B`` videos of ``T`` frames."""

    logits: dict[str, torch.Tensor]  # factor -> (B, classes)
    frame_features: torch.Tensor  # (B, T, D): one vector per frame (the course's FID space)
    motion_features: torch.Tensor  # (B, D): what the action head reads
    video_features: torch.Tensor  # (B, 2D): appearance and motion (the course's FVD space)

    def predictions(self) -> dict[str, torch.Tensor]:
        """factor -> predicted class ``(B,)``."""
        return {name: logits.argmax(1) for name, logits in self.logits.items()}


class Oracle(nn.Module):
    """Video classifier ``(B, 3, T, H, W) -> OracleOutput`` (see the module docstring)."""

    def __init__(self, spec: OracleSpec) -> None:
        super().__init__()
        if ACTION not in spec.factors:
            raise ValueError(f"an oracle must predict {ACTION!r}; got factors {spec.factors}.")
        self.spec = spec
        w, d, s = spec.width, spec.dim, spec.size
        self.frame_encoder = nn.Sequential(
            nn.Conv2d(3, w, 4, 2, 1), nn.BatchNorm2d(w), nn.ReLU(inplace=True),  # S/2
            nn.Conv2d(w, 2 * w, 4, 2, 1), nn.BatchNorm2d(2 * w), nn.ReLU(inplace=True),  # S/4
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1), nn.BatchNorm2d(4 * w), nn.ReLU(inplace=True),
            nn.Flatten(), nn.Linear(4 * w * (s // 8) ** 2, d), nn.ReLU(inplace=True),
        )
        self.temporal = nn.Sequential(
            nn.Conv1d(2 * d, d, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv1d(d, d, 3, padding=1), nn.ReLU(inplace=True),
        )
        self.heads = nn.ModuleDict({name: nn.Linear(d, n) for name, n in spec.factors.items()})

    def forward(self, video: torch.Tensor) -> OracleOutput:
        check_tensor(video, "video", ("B", 3, "T", "H", "W"))
        b, _, t, h, w = video.shape
        s = self.spec.size
        frames = video.permute(0, 2, 1, 3, 4).reshape(b * t, 3, h, w)  # (B·T, 3, H, W)
        if (h, w) != (s, s):
            frames = F.interpolate(frames, size=(s, s), mode="area")  # (B·T, 3, S, S)
        per_frame = self.frame_encoder(frames).reshape(b, t, -1)  # (B, T, D)
        appearance = per_frame.mean(1)  # (B, D)
        change = torch.diff(per_frame, dim=1, prepend=per_frame[:, :1])  # (B, T, D): f_t - f_{t-1}
        steps = torch.cat([per_frame, change], 2).transpose(1, 2)  # (B, 2D, T)
        motion = self.temporal(steps).mean(2)  # (B, D, T) -> (B, D)
        logits = {name: head(motion if name == ACTION else appearance)
                  for name, head in self.heads.items()}
        return OracleOutput(logits, per_frame, motion, torch.cat([appearance, motion], 1))


# ----------------------------------------------------------------------------- saving


def save_oracle(oracle: Oracle, path: str | Path, info: dict | None = None) -> Path:
    """Weights as safetensors (spec and ``info`` in its metadata) and ``info`` + spec as JSON.

    Writes ``path`` and ``path.with_suffix(".json")``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"spec": asdict(oracle.spec), **(info or {})}
    state = {k: v.detach().cpu().contiguous() for k, v in oracle.state_dict().items()}
    save_file(state, str(path), metadata={"g3an_edu_oracle": json.dumps(meta, sort_keys=True)})
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return path


def default_oracle_path() -> Path:
    """The oracle shipped with the package: ``g3an_edu/assets/oracle.safetensors``."""
    return Path(str(resources.files("g3an_edu").joinpath("assets", DEFAULT_ASSET)))


def load_oracle(path: str | Path | None = None,
                device: torch.device | str = "cpu") -> tuple[Oracle, dict]:
    """``(oracle in eval mode, info)`` from ``path`` (default: the shipped oracle).

    ``info`` holds the spec, the held-out accuracy per factor and the command that trained it.
    """
    path = Path(path) if path is not None else default_oracle_path()
    if not path.is_file():
        raise FileNotFoundError(f"no oracle at {path}; train one with `g3an-edu oracle train "
                                f"--out {path}` (a few minutes on a CPU).")
    with safe_open(str(path), framework="pt") as f:
        header = f.metadata() or {}
    if "g3an_edu_oracle" not in header:
        raise ValueError(f"{path} is not a g3an-edu oracle (no 'g3an_edu_oracle' metadata).")
    info = json.loads(header["g3an_edu_oracle"])
    oracle = Oracle(OracleSpec(**info["spec"]))
    oracle.load_state_dict(load_file(str(path)))
    return oracle.to(device).eval(), info


def load_judge(path: str | Path | None = None,
               device: torch.device | str = "cpu") -> tuple[Oracle, dict]:
    """The colour-blind action judge: an oracle that reads only the action, trained on
    recoloured videos (``g3an-edu oracle train --factors action --recolour``); default: the
    shipped ``g3an_edu/assets/action_judge.safetensors``."""
    path = Path(path) if path is not None else default_oracle_path().with_name(JUDGE_ASSET)
    if not path.is_file():
        raise FileNotFoundError(f"no action judge at {path}; train one with `g3an-edu oracle "
                                f"train --factors action --recolour --augment 1 --out {path}` "
                                "(about 30 minutes on one CPU core), or pass --judge none.")
    judge, info = load_oracle(path, device)
    if judge.spec.appearance_factors:
        raise ValueError(f"{path} predicts {list(judge.spec.factors)}; a judge reads only the "
                         f"action. Train one with `g3an-edu oracle train --factors action "
                         f"--recolour --out {path}`.")
    return judge, info


@torch.no_grad()
def embed(oracle: Oracle, videos: torch.Tensor, batch: int = 64) -> OracleOutput:
    """The oracle's outputs on ``videos (N, 3, T, H, W)`` in chunks of ``batch``, on the CPU."""
    param = next(oracle.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    parts = [oracle(videos[i:i + batch].to(device)) for i in range(0, len(videos), batch)]
    cat = lambda xs: torch.cat([x.float().cpu() for x in xs])  # noqa: E731
    return OracleOutput({k: cat([p.logits[k] for p in parts]) for k in parts[0].logits},
                        cat([p.frame_features for p in parts]),
                        cat([p.motion_features for p in parts]),
                        cat([p.video_features for p in parts]))

"""Per-frame diagnostics of a trained run: where in time do generated videos go wrong?

    python tools/frame_profile.py runs/g3an-tiny --step 7000

Prints, per frame index t:
- the mean pixel value of generated (EMA G, eval mode) and real videos;
- how strongly the run's video discriminator DV reacts to frame t: the mean |∂DV/∂x_t| on
  real videos, relative to the largest (DV's unpadded time convolutions see the first and
  last frames through few paths);
and the metrics with the last frame replaced by the one before it, to measure how much of the
Fréchet distances and disentanglement scores one bad frame costs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
import torch.nn as nn

from g3an_edu import checkpoint as ckpt
from g3an_edu.metrics import evaluation
from g3an_edu.metrics.disentanglement import GeneratorSource
from g3an_edu.metrics.oracle import load_oracle
from g3an_edu.metrics.real_data import real_source_for
from g3an_edu.models import load_discriminators, load_generator


class LastFrameRepeated(nn.Module):
    """``G`` with its last frame replaced by the frame before it (a diagnostic, not a fix)."""

    def __init__(self, g: nn.Module) -> None:
        super().__init__()
        self.g = g

    def sample_noise(self, *args, **kwargs):
        return self.g.sample_noise(*args, **kwargs)

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        video = self.g(z_a, z_m)  # (B, 3, T, R, R)
        return torch.cat([video[:, :, :-1], video[:, :, -2:-1]], dim=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path, help="training --out directory")
    parser.add_argument("--step", type=int, required=True)
    parser.add_argument("--n", type=int, default=256)
    args = parser.parse_args()
    path = ckpt.checkpoint_path(args.run, args.step)
    g, config = load_generator(path)
    real = real_source_for(config)
    rng = torch.Generator().manual_seed(0)
    with torch.no_grad():
        fake = g(*g.sample_noise(64, config.length, generator=rng))  # (64, 3, T, R, R)
    real_videos = real.sample(64, rng)["video"].requires_grad_(True)

    dv, _ = load_discriminators(path)
    dv(real_videos).sum().backward()
    sensitivity = real_videos.grad.abs().mean((0, 1, 3, 4))
    sensitivity = sensitivity / sensitivity.max()

    print(f"{'t':>3} {'fake mean':>10} {'real mean':>10} {'DV |grad|':>10}")
    for t in range(fake.shape[2]):
        print(f"{t:3d} {fake[:, :, t].mean():10.3f} {real_videos[:, :, t].mean():10.3f} "
              f"{sensitivity[t]:10.3f}")
    oracle, _ = load_oracle()
    for label, model in (("as generated", g), ("last frame := frame T-2", LastFrameRepeated(g))):
        scores = evaluation.evaluate(oracle, GeneratorSource(model, config.length), real,
                                     args.n, 16, 8, 0, with_real=False)
        shown = ", ".join(f"{k} {scores[k]:.3f}" for k in evaluation.KEYS[:-1])
        print(f"{label}: {shown}")


if __name__ == "__main__":
    main()

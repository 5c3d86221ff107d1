"""Stand-ins with known answers for the evaluation tests.

``LabelledSquares``: a square of one of 3 colours ("shirt") on one of 3 backgrounds moves in
one of 4 directions ("action"), 0.5 px per frame, 32×32×16. Item ``i`` is a pure function of
``i``; ``render_pairs`` draws item ``a``'s colours with item ``m``'s motion.

``ExactOracle``: reads the factors back from the pixels exactly (median colour = background,
the rest = the square, centroid trajectory = motion), with the ``Oracle`` interface.

Generators that copy the data: ``CopyGenerator`` maps ``z_a`` to an item's appearance and
``z_m`` to an item's motion; ``mode="ignore_motion"`` takes the motion from ``z_a`` too,
``mode="ignore_appearance"`` takes the appearance from ``z_m``, and ``mode="shirt_from_motion"``
takes the background from ``z_a`` but the shirt from ``z_m`` (half entangled).

Collapsed generators: ``Frozen`` gives one video whatever the noise; ``TwoVideos`` gives one of
two videos (different in every factor), chosen by a hash of both codes together, so neither
code alone decides anything.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from g3an_edu.metrics.oracle import OracleOutput, OracleSpec

SIZE, FRAMES, SIDE = 32, 16, 8
BACKGROUNDS = torch.tensor([[-0.8, -0.8, -0.8], [0.8, 0.8, 0.6], [-0.6, 0.2, 0.8]])
SHIRTS = torch.tensor([[0.9, -0.9, -0.9], [-0.9, 0.9, -0.9], [0.9, 0.9, -0.9]])
DIRECTIONS = torch.tensor([[0, 1], [0, -1], [1, 0], [-1, 0]])  # (dy, dx) per action


class LabelledSquares:
    def __init__(self, n: int = 4096, seed: int = 0) -> None:
        self.n, self.seed = n, seed

    def __len__(self) -> int:
        return self.n

    def factors(self, i: int) -> dict[str, int]:
        g = torch.Generator().manual_seed(self.seed * 1_000_003 + i)
        action, shirt, background = (int(torch.randint(k, (1,), generator=g)) for k in (4, 3, 3))
        along = int(torch.randint(10, 15, (1,), generator=g))
        across = int(torch.randint(0, SIZE - SIDE + 1, (1,), generator=g))
        return {"action": action, "shirt": shirt, "background": background,
                "along": along, "across": across}

    def render_pairs(self, appearance: list[int], motion: list[int],
                     shirt: list[int] | None = None) -> torch.Tensor:
        """Item ``appearance[n]``'s colours with item ``motion[n]``'s motion: (N, 3, T, S, S);
        with ``shirt``, the shirt colour of item ``shirt[n]`` instead."""
        looks = [self.factors(a) for a in appearance]
        moves = [self.factors(m) for m in motion]
        shirts = looks if shirt is None else [self.factors(i) for i in shirt]
        bg = BACKGROUNDS[[f["background"] for f in looks]]  # (N, 3)
        fg = SHIRTS[[f["shirt"] for f in shirts]]  # (N, 3)
        d = DIRECTIONS[[f["action"] for f in moves]]  # (N, 2)
        along = torch.tensor([f["along"] for f in moves], dtype=torch.float32)  # (N,)
        across = torch.tensor([f["across"] for f in moves])  # (N,)
        t = torch.arange(FRAMES, dtype=torch.float32)
        step = (along[:, None] + 0.5 * t * d.sum(1, keepdim=True)).long()  # (N, T)
        vertical = (d[:, 0] != 0)[:, None]  # (N, 1)
        y = torch.where(vertical, step, across[:, None])  # (N, T) top edge
        x = torch.where(vertical, across[:, None], step)  # (N, T) left edge
        grid = torch.arange(SIZE)
        in_y = (grid >= y[..., None]) & (grid < y[..., None] + SIDE)  # (N, T, S)
        in_x = (grid >= x[..., None]) & (grid < x[..., None] + SIDE)  # (N, T, S)
        mask = (in_y[..., :, None] & in_x[..., None, :])[:, None]  # (N, 1, T, S, S)
        return torch.where(mask, fg[:, :, None, None, None], bg[:, :, None, None, None])

    def batch(self, indices, device=None) -> dict[str, torch.Tensor]:
        indices = [int(i) for i in indices]
        facts = [self.factors(i) for i in indices]
        out = {"video": self.render_pairs(indices, indices).to(device)}
        for key in ("action", "shirt", "background"):
            out[key] = torch.tensor([f[key] for f in facts], device=device)
        return out


class ExactOracle(nn.Module):
    """Reads ``LabelledSquares`` factors exactly; the ``Oracle`` interface."""

    def __init__(self) -> None:
        super().__init__()
        self.spec = OracleSpec(factors={"action": 4, "shirt": 3, "background": 3})

    def forward(self, video: torch.Tensor) -> OracleOutput:
        b, _, t = video.shape[:3]
        bg = video.flatten(2).median(2).values  # (B, 3)
        dist = (video - bg[:, :, None, None, None]).abs().sum(1)  # (B, T, S, S)
        mask = (dist > 0.5).float()  # (B, T, S, S)
        area = mask.sum((2, 3)).clamp(min=1)  # (B, T)
        shirt = (video * mask[:, None]).sum((2, 3, 4)) / area.sum(1)[:, None]  # (B, 3)
        coords = torch.arange(video.shape[-1], dtype=torch.float32)
        cy = (mask.sum(3) * coords).sum(2) / area  # (B, T)
        cx = (mask.sum(2) * coords).sum(2) / area  # (B, T)
        track = torch.stack([cy, cx], 2) / SIZE  # (B, T, 2), in image widths
        move = track[:, -1] - track[:, 0]  # (B, 2)
        one_hot = lambda score: 10.0 * nn.functional.one_hot(score.argmax(1), score.shape[1])  # noqa: E731
        logits = {"action": one_hot(move @ DIRECTIONS.T.float()),
                  "shirt": one_hot(-torch.cdist(shirt, SHIRTS)),
                  "background": one_hot(-torch.cdist(bg, BACKGROUNDS))}
        frame = torch.cat([bg[:, None].expand(b, t, 3), shirt[:, None].expand(b, t, 3), track],
                          2)  # (B, T, 8)
        motion = (track - track[:, :1]).flatten(1)  # (B, 2T)
        return OracleOutput(logits, frame, motion, torch.cat([bg, shirt, move, track[:, 0]], 1))


class CopyGenerator(nn.Module):
    """A "generator" that renders data items chosen by its noise (see the module docstring)."""

    def __init__(self, ds: LabelledSquares, mode: str = "copy", dim_za: int = 4,
                 dim_zm: int = 3) -> None:
        super().__init__()
        self.ds, self.mode, self.dim_za, self.dim_zm = ds, mode, dim_za, dim_zm

    def sample_noise(self, batch, length=1, generator=None, device=None):
        z_a = torch.randn(batch, self.dim_za, generator=generator)
        z_m = torch.randn(batch, self.dim_zm, length, generator=generator)
        return z_a, z_m

    def _index(self, z: torch.Tensor) -> list[int]:
        return [int(abs(float(v)) * 1e6) % len(self.ds) for v in z.flatten(1)[:, 0]]

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        look, move = self._index(z_a), self._index(z_m)
        if self.mode == "ignore_motion":
            move = self._index(z_a[:, 1:])
        if self.mode == "ignore_appearance":
            look = self._index(z_m[:, 1:])
        if self.mode == "shirt_from_motion":
            return self.ds.render_pairs(look, move, shirt=self._index(z_m[:, 1:]))
        return self.ds.render_pairs(look, move)


class Frozen(nn.Module):
    """The same video (item 0) whatever the noise: like an untrained, collapsed G."""

    def __init__(self, ds: LabelledSquares) -> None:
        super().__init__()
        self.ds = ds

    def sample_noise(self, batch, length=1, generator=None, device=None):
        return torch.randn(batch, 4, generator=generator), torch.randn(batch, 3, length,
                                                                       generator=generator)

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        return self.ds.batch([0] * z_a.shape[0])["video"]


class TwoVideos(Frozen):
    """One of two items that differ in every factor, picked by a hash of ``(z_a, z_m)``."""

    def __init__(self, ds: LabelledSquares) -> None:
        super().__init__(ds)
        first = ds.factors(0)
        self.items = [0, next(i for i in range(1, len(ds)) if all(
            ds.factors(i)[k] != first[k] for k in ("action", "shirt", "background")))]

    def forward(self, z_a: torch.Tensor, z_m: torch.Tensor) -> torch.Tensor:
        mixed = z_a[:, 0] * 7.31 + z_m.flatten(1)[:, 0] * 3.17  # (B,)
        pick = [self.items[int(abs(float(v)) * 1e6) % 2] for v in mixed]
        return self.ds.batch(pick)["video"]

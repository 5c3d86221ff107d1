"""Checks for the exercises of notebook 05 (the discriminators and spectral norm).

References: the package's ``VideoDiscriminator`` (run on small clips and counted), and both
discriminators run on a video and on changed copies of it (what each can notice).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..discriminators import ImageDiscriminator, VideoDiscriminator
from . import fail, passed, unwrap_scalar


def check_ex1(dv_time_positions: Callable) -> None:
    """Exercise 1: time positions left by D_V (64×64) for a clip of ``T`` frames."""
    name = "Exercise 1 (D_V time positions)"
    dv = VideoDiscriminator(ch=1, spectral_norm=False).eval()
    for frames in (16, 19, 24):
        with torch.no_grad():
            want = dv.net(torch.zeros(1, 3, frames, 64, 64)).shape[2]  # (1, 1, T', 1, 1)
        got = dv_time_positions(frames)
        got = unwrap_scalar(got)
        if got != want:
            fail(name, f"dv_time_positions({frames}) is {got}, expected {want}",
                 "each (4,1,1) conv without padding removes 3 frames; count the temporal "
                 "convs: one per stage, plus the last layer.")
    passed(name)


def check_ex2(dv_params: Callable) -> None:
    """Exercise 2: ``dv_params(ch)`` -> trainable parameters of D_V at 64×64."""
    name = "Exercise 2 (parameters of D_V)"
    hint = ("four stages: a (1,4,4) conv c_in -> c then a (4,1,1) conv c -> c, with c = ch, "
            "2ch, 4ch, 8ch and c_in = 3 first; then a (1,4,4) conv 8ch -> 8ch and a (4,1,1) "
            "conv 8ch -> 1. Every conv has a bias.")
    for ch in (64, 8, 3):
        got = unwrap_scalar(dv_params(ch))
        if isinstance(got, float) and got.is_integer():
            got = int(got)
        if not isinstance(got, int):
            fail(name, f"expected an int, got {type(got).__name__}", hint)
        with torch.device("meta"):
            want = sum(p.numel() for p in VideoDiscriminator(ch).parameters())
        if got == want:
            continue
        chans, c_in, full, no_bias = (ch, 2 * ch, 4 * ch, 8 * ch), 3, 0, 0
        for c in chans:
            full += 64 * c_in * c + c
            no_bias += 16 * c_in * c + 4 * c * c
            c_in = c
        last = 16 * c_in * c_in + c_in + 4 * c_in + 1
        slips = {
            no_bias + 16 * c_in * c_in + 4 * c_in: "the biases are missing",
            want - last: "the last two convs (to one logit) are missing",
            full + last: "those are full (4,4,4) kernels; D_V factorizes each stage",
        }
        fail(name, f"dv_params({ch}) is {got:,d}, expected {want:,d}: "
             f"{slips.get(got, 'the count differs')}", hint)
    passed(name)


CHANGES = ("reverse", "shuffle", "static", "mirror")


def _changed(video: torch.Tensor, how: str) -> torch.Tensor:
    """``video (B, 3, T, H, W)`` reversed in time, shuffled, frozen at frame 0 or mirrored."""
    t = video.shape[2]
    if how == "reverse":
        return video.flip(2)
    if how == "shuffle":
        return video[:, :, torch.randperm(t, generator=torch.Generator().manual_seed(1))]
    if how == "static":
        return video[:, :, :1].expand_as(video)
    return video.flip(4)  # mirror: every frame left-right


def reference_notices() -> dict[str, tuple[bool, bool]]:
    """For each change: (can D_I's verdict change, can D_V's), measured on untrained nets.

    D_I judges one random frame, so its verdict is a draw from the set of per-frame logits:
    it "changes" when that set (sorted) changes. D_V's single logit changes or not.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        dv = VideoDiscriminator(ch=4, resolution=32).eval()
        di = ImageDiscriminator(ch=4, resolution=32).eval()
        video = torch.rand(1, 3, 16, 32, 32) * 2 - 1  # (1, 3, T, H, W)
    out = {}
    with torch.no_grad():
        def per_frame(v: torch.Tensor) -> torch.Tensor:  # (T,) sorted D_I logits
            return di(v[0].transpose(0, 1)).sort().values

        for how in CHANGES:
            changed = _changed(video, how)
            di_changes = not torch.allclose(per_frame(video), per_frame(changed), atol=1e-6)
            dv_changes = not torch.allclose(dv(video), dv(changed), atol=1e-6)
            out[how] = (di_changes, dv_changes)
    return out


def check_ex3(notices: dict) -> None:
    """Exercise 3: ``{change: (D_I can tell, D_V can tell)}`` for the four changes."""
    name = "Exercise 3 (which discriminator notices?)"
    if not isinstance(notices, dict) or set(notices) != set(CHANGES):
        fail(name, f"expected a dict with the keys {CHANGES}, got "
             f"{sorted(notices) if isinstance(notices, dict) else type(notices).__name__}")
    want = reference_notices()
    for how in CHANGES:
        got = notices[how]
        if not (isinstance(got, (tuple, list)) and len(got) == 2
                and all(isinstance(x, bool) for x in got)):
            fail(name, f"notices[{how!r}] should be a pair of bools (D_I, D_V), got {got!r}")
        di_got, dv_got = got
        di_want, dv_want = want[how]
        if di_got != di_want:
            why = ("D_I looks at one frame at a time: reordering the frames leaves the set of "
                   "frames it can draw unchanged" if not di_want else
                   "the frames themselves changed (D_I draws from a different set of images)")
            fail(name, f"{how}: D_I {'can' if di_want else 'cannot'} tell", why)
        if dv_got != dv_want:
            fail(name, f"{how}: D_V {'can' if dv_want else 'cannot'} tell",
                 "D_V's temporal (4,1,1) kernels weigh neighbouring frames differently, so "
                 "order matters to it, and so does the content of every frame.")
    passed(name)

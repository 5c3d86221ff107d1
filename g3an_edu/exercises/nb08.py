"""Checks for the exercises of notebook 08 (measuring disentanglement).

Each check compares the student's answer with the package (``g3an_edu.metrics.grouped``,
``g3an_edu.metrics.frames``) on inputs chosen so that the usual mistakes give a different
number, and names the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ..metrics.frames import frame_outliers
from . import fail, passed, unwrap_scalar


def _as_float(name: str, got: object, hint: str) -> float:
    got = unwrap_scalar(got)
    if not isinstance(got, (int, float)):
        fail(name, f"expected a number (float), got {type(got).__name__}", hint)
    if math.isnan(got):
        fail(name, "got NaN", hint)
    return float(got)


def _anova(probs: torch.Tensor) -> dict[str, float]:
    """Sums of squares and mean squares of ``probs (G, K, C)``; the share and its variants."""
    g, k = probs.shape[:2]
    p = probs.double()
    mean = p.mean(1)  # (G, C)
    ssw = float((p - mean[:, None]).square().sum())
    ssb = k * float((mean - mean.mean(0)).square().sum())
    msw, msb = ssw / (g * (k - 1)), ssb / (g - 1)
    return {"share": msw / (msw + (msb - msw) / k),
            "plain": ssw / (ssw + ssb),
            "msw over msb": msw / msb,
            "msw over total": msw / (msw + msb),
            "msb over g": (ssw / (g * (k - 1))) / ((ssw / (g * (k - 1)))
                                                   + (ssb / g - ssw / (g * (k - 1))) / k),
            "msw over gk": (ssw / (g * k)) / ((ssw / (g * k)) + (msb - ssw / (g * k)) / k)}


def check_ex1(fixed_share: Callable) -> None:
    """Exercise 1: ``fixed_share(probs (G, K, C)) -> float``, the ANOVA within-group share."""
    name = "Exercise 1 (the variance share, bug fixed)"
    hint = ("use mean squares: MSW = SS_within / (G(K−1)), MSB = SS_between / (G−1) with "
            "SS_between = K Σ_g ||p̄_g − p̄||²; then share = MSW / (MSW + (MSB − MSW)/K).")
    gen = torch.Generator().manual_seed(11)
    # Groups that partly decide the probabilities: a group effect plus noise, 6 groups of 5.
    effect = torch.randn(6, 1, 4, generator=gen)  # (G, 1, C)
    probs = (effect + 0.8 * torch.randn(6, 5, 4, generator=gen)).softmax(2)  # (G, K, C)
    ref = _anova(probs)
    got = _as_float(name, fixed_share(probs.clone()), hint)
    names = {"plain": "the plain ratio of sums of squares (the planted bug): without degrees "
                      "of freedom, a code that does nothing scores (K−1)/K, not 1",
             "msw over msb": "MSW / MSB: MSB estimates σ_w² + Kσ_b², not the total variance",
             "msw over total": "MSW / (MSW + MSB): MSB already contains σ_w², and Kσ_b²",
             "msb over g": "SS_between divided by G: it has G − 1 degrees of freedom",
             "msw over gk": "SS_within divided by G·K: it has G(K − 1) degrees of freedom"}
    for key, what in names.items():
        if math.isclose(got, ref[key], rel_tol=1e-6) and not math.isclose(
                ref[key], ref["share"], rel_tol=1e-4):
            fail(name, f"you return {got:.4f}: {what}", hint)
    if not math.isclose(got, ref["share"], rel_tol=1e-6, abs_tol=1e-9):
        fail(name, f"on 6 groups of 5 you return {got:.5g}, expected {ref['share']:.5g}", hint)
    # Probabilities that ignore the group: about 1.
    noise = torch.rand(400, 8, 6, generator=gen).softmax(2)  # (G, K, C)
    got = _as_float(name, fixed_share(noise), hint)
    if not math.isclose(got, _anova(noise)["share"], rel_tol=1e-6):
        fail(name, f"on probabilities that ignore the group you return {got:.4f}, expected "
                   f"{_anova(noise)['share']:.4f} (about 1)", hint)
    # The kept code decides everything: 0.
    decided = effect.softmax(2).expand(6, 5, 4)  # (G, K, C): no variation within a group
    got = _as_float(name, fixed_share(decided.clone()), hint)
    if abs(got) > 1e-9:
        fail(name, f"when every group's videos have the same probabilities you return "
                   f"{got:.4g}, expected 0", hint)
    passed(name)


SHARES = ("appearance_variance_from_zm", "action_variance_from_za", "action_variance_from_zm")
EXPECTED = {
    "ignores z_m": ({"appearance_variance_from_zm": 0, "action_variance_from_za": 1,
                     "action_variance_from_zm": 0},
                    {"appearance_variance_from_zm": "in an appearance group z_a is kept and "
                                                    "z_m does nothing: the K videos are one "
                                                    "video, no variance within the group",
                     "action_variance_from_za": "in a motion group z_a varies, and z_a "
                                                "decides the motion: all the variance is "
                                                "within groups",
                     "action_variance_from_zm": "in an appearance group nothing varies: the "
                                                "action too stays (0, where 1 is ideal: read "
                                                "the shares together)"}),
    "swapped": ({"appearance_variance_from_zm": 1, "action_variance_from_za": 1,
                 "action_variance_from_zm": 0},
                {"appearance_variance_from_zm": "the looks come from z_m, which varies within "
                                                "an appearance group",
                 "action_variance_from_za": "the motion comes from z_a, which varies within a "
                                            "motion group",
                 "action_variance_from_zm": "the motion comes from z_a, which is kept within "
                                            "an appearance group"}),
    "one video": ({key: None for key in SHARES},
                  dict.fromkeys(SHARES, "nothing varies within or across groups: the share "
                                        "is 0 / 0, undefined (None), not 0")),
}


def _normalise(value: object) -> object:
    value = unwrap_scalar(value)
    if value is None or (isinstance(value, str) and value.strip().lower() in ("none",
                                                                             "undefined")):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return "invalid"
    return 0 if abs(value) < 0.25 else 1 if abs(value - 1) < 0.25 else "between"


def check_ex2(predicted: object) -> None:
    """Exercise 2: ``{stand_in: {share: 0, 1 or None}}`` for the stand-ins ``ignores z_m``,
    ``swapped`` and ``one video``."""
    name = "Exercise 2 (predict the shares of stand-ins)"
    hint = ("in appearance groups z_a is kept and z_m varies; in motion groups the reverse. A "
            "share is (variance within groups) / (total variance).")
    if not isinstance(predicted, dict):
        fail(name, f"expected a dict, got {type(predicted).__name__}", hint)
    missing = [s for s in EXPECTED if s not in predicted]
    if missing:
        fail(name, f"no prediction for {missing}", hint)
    wrong = []
    for stand_in, (want, why) in EXPECTED.items():
        got = predicted[stand_in]
        if not isinstance(got, dict) or set(got) != set(SHARES):
            fail(name, f"predicted[{stand_in!r}] must be a dict with the keys {list(SHARES)}",
                 hint)
        for key in SHARES:
            value = _normalise(got[key])
            if value in ("invalid", "between"):
                fail(name, f"predicted[{stand_in!r}][{key!r}] is {got[key]!r}: answer 0, 1 or "
                           "None", hint)
            if value != want[key]:
                wrong.append(f"{stand_in} → {key}: you say {got[key]!r}, it is {want[key]!r}: "
                             f"{why[key]}")
    if wrong:
        fail(name, f"{len(wrong)} of 9 predictions differ:\n  " + "\n  ".join(wrong), hint)
    passed(name)


def _videos_with_bright_frames() -> torch.Tensor:
    """``(6, 3, 8, 4, 4)`` videos of different base brightness; some with bright frames."""
    base = torch.tensor([-0.8, -0.4, 0.0, 0.3, 0.6, -0.2])  # (B,) very different videos
    videos = base[:, None, None, None, None].expand(6, 3, 8, 4, 4).clone()
    videos[1, :, -1] += 0.5  # video 1: the last frame washes out
    videos[3, :, 0] -= 0.4  # video 3: the first frame darkens
    videos[5, :, 3:5] += 0.1  # video 5: a small change, under the threshold
    return videos


def check_ex3(washed_out_fraction: Callable) -> None:
    """Exercise 3: ``washed_out_fraction(videos (B, 3, T, H, W), threshold) -> float``."""
    name = "Exercise 3 (washed-out frames, bug fixed)"
    hint = ("b = videos.mean((1, 3, 4)) is (B, T); compare every frame with the median over "
            "time of ITS OWN video (dim=1), take |·| > threshold, and count the videos with "
            "any outlier frame.")
    videos = _videos_with_bright_frames()
    want = frame_outliers(videos)["washed_out_fraction"]  # 2 of 6
    got = _as_float(name, washed_out_fraction(videos.clone(), 0.15), hint)
    b = videos.mean((1, 3, 4))  # (B, T)
    by_batch = float(((b - b.median(dim=0, keepdim=True).values).abs() > 0.15).any(1)
                     .float().mean())
    by_mean = float(((b - b.mean(1, keepdim=True)).abs() > 0.15).any(1).float().mean())
    by_frame = float(((b - b.median(dim=1, keepdim=True).values).abs() > 0.15).float().mean())
    brighter = float(((b - b.median(dim=1, keepdim=True).values) > 0.15).any(1).float().mean())
    if math.isclose(got, by_batch) and not math.isclose(by_batch, want):
        fail(name, f"you return {got:.3f}: each frame is compared with the median of the "
                   "batch (dim=0), so a dark or bright video counts as washed out as a whole",
             "the median must be over time (dim=1): each video against itself.")
    if math.isclose(got, by_frame) and not math.isclose(by_frame, want):
        fail(name, f"you return {got:.3f}: the share of outlier frames, not of videos",
             "a video counts once when any of its frames is an outlier: .any(1).")
    if math.isclose(got, brighter) and not math.isclose(brighter, want):
        fail(name, f"you return {got:.3f}: only frames brighter than the median count",
             "a frame that darkens breaks from its video too: take the absolute value.")
    if not math.isclose(got, want, abs_tol=1e-9):
        fail(name, f"on 6 test videos (2 with an outlier frame) you return {got:.3f}, "
                   f"expected {want:.3f}", hint)
    # The median, not the mean: a long washed-out stretch moves the mean onto every frame.
    long = torch.zeros(2, 3, 8, 4, 4)
    long[0, :, 4:] += 0.25  # four of eight frames washed out by 0.25
    want = frame_outliers(long)["washed_out_fraction"]  # video 0 counts
    got = _as_float(name, washed_out_fraction(long.clone(), 0.15), hint)
    b = long.mean((1, 3, 4))
    by_mean = float(((b - b.mean(1, keepdim=True)).abs() > 0.15).any(1).float().mean())
    if math.isclose(got, by_mean) and not math.isclose(by_mean, want):
        fail(name, f"on a video with 4 of 8 frames washed out you return {got:.3f}: the mean "
                   "brightness is dragged towards the bright frames",
             "compare with the median over time, which the outlier frames cannot move.")
    if not math.isclose(got, want, abs_tol=1e-9):
        fail(name, f"on a video with 4 of 8 frames washed out you return {got:.3f}, expected "
                   f"{want:.3f}", hint)
    got = _as_float(name, washed_out_fraction(long.clone(), 0.3), hint)
    if not math.isclose(got, 0.0, abs_tol=1e-9):
        fail(name, f"with threshold 0.3 (above the 0.25 change) you return {got:.3f}, expected "
                   "0: use the threshold argument", hint)
    passed(name)

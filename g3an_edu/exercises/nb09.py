"""Checks for the exercises of notebook 09 (what makes a small G3AN disentangle).

Each check runs the student's function on inputs chosen so that the usual mistakes give a
different answer, and names the mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ..metrics import grouped
from ..study import T95
from . import check_number, fail, passed, unwrap_scalar


def _as_float(name: str, got: object, hint: str) -> float:
    got = unwrap_scalar(got)
    if not isinstance(got, (int, float)):
        fail(name, f"expected a number (float), got {type(got).__name__}", hint)
    if math.isnan(got):
        fail(name, "got NaN", hint)
    return float(got)


def _reference_share(probs_flat: torch.Tensor, n_groups: int, per_group: int) -> float:
    """The package's share (``grouped.variance_share``) of group-major ``(G·K, C)``."""
    p = probs_flat.double().reshape(n_groups, per_group, -1)  # (G, K, C)
    mean = p.mean(1)  # (G, C)
    ss = (p - mean[:, None]).square().sum((1, 2))  # (G,)
    return float(grouped.variance_share(mean, ss, grouped.identity(n_groups), per_group)[0])


def _probs(n_groups: int, per_group: int, within: float, seed: int) -> torch.Tensor:
    """Group-major ``(G·K, 6)`` probabilities: one class per group, ``within`` noise."""
    g = torch.Generator().manual_seed(seed)
    centre = torch.randn(n_groups, 1, 6, generator=g) * 3  # (G, 1, C): the group's class
    noise = torch.randn(n_groups, per_group, 6, generator=g) * within  # (G, K, C)
    return (centre + noise).softmax(2).reshape(n_groups * per_group, 6)


def check_ex1(share_fixed: Callable) -> None:
    """Exercise 1: ``share_fixed(probs_flat (G·K, C), n_groups, per_group) -> float``, the
    variance share of group-major probabilities."""
    name = "Exercise 1 (the variance share's grouping)"
    hint = ("the videos come group-major: the first K rows are group 0. reshape(G, K, C) "
            "puts one group per row; reshape(K, G, C) mixes the groups.")
    g, k = 12, 5
    tight = _probs(g, k, 0.05, seed=0)  # the kept code decides the factor: share near 0
    got = _as_float(name, share_fixed(tight, g, k), hint)
    want = _reference_share(tight, g, k)
    swapped = _reference_share(tight.reshape(g, k, -1).transpose(0, 1).reshape(g * k, -1), k, g)
    p = tight.double().reshape(g, k, -1)
    plain = float((p - p.mean(1, keepdim=True)).square().sum()
                  / (p - p.mean((0, 1))).square().sum())
    if math.isclose(got, swapped, rel_tol=1e-4) or got > 0.5:
        fail(name, f"on groups whose kept code decides the class you return {got:.3f} "
                   f"(expected {want:.3f}): the groups are mixed", hint)
    if not math.isclose(got, want, rel_tol=1e-4, abs_tol=1e-6) and \
            math.isclose(got, plain, rel_tol=1e-4, abs_tol=1e-6):
        fail(name, "you return the plain ratio of within to total sums of squares",
             "keep the ANOVA estimator: MSW / (MSW + (MSB − MSW) / K); the plain ratio gives "
             "(K−1)/K, not 1, for a code that does nothing.")
    if not math.isclose(got, want, rel_tol=1e-4, abs_tol=1e-6):
        fail(name, f"on well-separated groups you return {got:.4f}, expected {want:.4f}", hint)
    loose = _probs(g, k, 3.0, seed=1)  # a code that does little: share near 1
    check_number(name, share_fixed(loose, g, k), _reference_share(loose, g, k), hint, rel=1e-4)


def check_ex2(verdict: Callable) -> None:
    """Exercise 2: ``verdict(a, b)`` of two ``(mean, low, high)`` tuples -> ``"screen"``,
    ``"differ"`` or ``"not apart"``."""
    name = "Exercise 2 (do two variants differ?)"
    nan = math.nan
    cases = [
        ((0.30, 0.10, 0.50), (0.70, 0.55, 0.85), "differ",
         "intervals [0.10, 0.50] and [0.55, 0.85] do not overlap"),
        ((0.70, 0.55, 0.85), (0.30, 0.10, 0.50), "differ",
         "the same two intervals, in the other order: the answer must not depend on it"),
        ((0.30, 0.05, 0.60), (0.70, 0.45, 0.95), "not apart",
         "means 0.30 and 0.70 are far apart, but [0.05, 0.60] and [0.45, 0.95] overlap"),
        ((0.30, nan, nan), (0.90, 0.85, 0.95), "screen",
         "a variant with one seed has no interval (nan bounds): it is a screen"),
        ((0.30, 0.29, 0.31), (0.31, nan, nan), "screen",
         "the second variant has one seed (nan bounds): no verdict"),
        ((0.50, 0.40, 0.60), (0.52, 0.45, 0.70), "not apart",
         "overlapping intervals"),
    ]
    for a, b, want, why in cases:
        got = verdict(a, b)
        if got != want:
            hint = ("check for nan bounds first: any comparison with nan is False, so a "
                    "one-seed variant would otherwise look 'not apart' or 'differ' by "
                    "accident." if want == "screen" else
                    "two intervals are apart when one's high is below the other's low; the "
                    "means alone ignore how much seeds disagree.")
            fail(name, f"verdict({a}, {b}) returned {got!r}, expected {want!r}: {why}", hint)
    passed(name)


def _reference_seeds(sd: float, half_width: float) -> int:
    n = 2
    while T95.get(n - 1, 2.45) * sd / math.sqrt(n) > half_width:
        n += 1
    return n


def check_ex3(seeds_needed: Callable) -> None:
    """Exercise 3: ``seeds_needed(sd, half_width) -> int``, the smallest ``n ≥ 2`` with
    ``t_{n-1} · sd / √n ≤ half_width``."""
    name = "Exercise 3 (how many seeds?)"
    hint = ("try n = 2, 3, …: the half-width is T95[n − 1] · sd / √n (t with n − 1 degrees "
            "of freedom, 2.45 beyond 5).")
    for sd, half in ((0.2, 0.2), (0.2, 0.3), (0.2, 0.15), (0.1, 0.5), (0.3, 0.25)):
        got = unwrap_scalar(seeds_needed(sd, half))
        if not isinstance(got, int) or isinstance(got, bool):
            fail(name, f"expected an int (a number of seeds), got {type(got).__name__}", hint)
        want = _reference_seeds(sd, half)
        if got == want:
            continue
        normal = next(n for n in range(2, 100) if 1.96 * sd / math.sqrt(n) <= half)
        by_n = next(n for n in range(2, 100) if T95.get(n, 2.45) * sd / math.sqrt(n) <= half)
        root = next(n for n in range(2, 100)
                    if T95.get(n - 1, 2.45) * sd / math.sqrt(n - 1) <= half)
        if got == normal and normal != want:
            fail(name, f"seeds_needed({sd}, {half}) = {got}: that is the normal's 1.96",
                 "with a handful of seeds the standard deviation is itself uncertain: use "
                 "t with n − 1 degrees of freedom (12.71 for two seeds).")
        if got == by_n and by_n != want:
            fail(name, f"seeds_needed({sd}, {half}) = {got}: t with n degrees of freedom",
                 "n seeds give n − 1 degrees of freedom: T95[n − 1].")
        if got == root and root != want:
            fail(name, f"seeds_needed({sd}, {half}) = {got}: you divide by √(n − 1)",
                 "the standard error of a mean of n values is sd / √n.")
        fail(name, f"seeds_needed({sd}, {half}) = {got}, expected {want}", hint)
    passed(name)

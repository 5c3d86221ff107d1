"""Notebook 09's exercise checks accept the reference solutions and name the usual mistakes."""

import math

import pytest

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb09 import check_ex1, check_ex2, check_ex3
from g3an_edu.study import T95


def share(probs_flat, n_groups, per_group, layout="group-major", plain=False):
    if layout == "group-major":
        p = probs_flat.double().reshape(n_groups, per_group, -1)
    else:  # the planted bug: K rows of G
        p = probs_flat.double().reshape(per_group, n_groups, -1)
    mean_g = p.mean(1)
    if plain:
        return float((p - mean_g[:, None]).square().sum() / (p - p.mean((0, 1))).square().sum())
    g, k = p.shape[:2]
    msw = float((p - mean_g[:, None]).square().sum()) / (g * (k - 1))
    msb = k * float((mean_g - mean_g.mean(0)).square().sum()) / (g - 1)
    return msw / (msw + (msb - msw) / k)


def verdict(a, b):
    if any(math.isnan(x) for x in (*a[1:], *b[1:])):
        return "screen"
    return "differ" if a[2] < b[1] or b[2] < a[1] else "not apart"


def seeds_needed(sd, half_width, t=lambda n: T95.get(n - 1, 2.45), root=lambda n: n):
    n = 2
    while t(n) * sd / math.sqrt(root(n)) > half_width:
        n += 1
    return n


def test_reference_solutions_pass(capsys):
    check_ex1(share)
    check_ex2(verdict)
    check_ex3(seeds_needed)
    assert capsys.readouterr().out.count("correct") == 3


def test_ex1_catches_the_planted_grouping_bug():
    with pytest.raises(ExerciseFailed, match="groups are mixed"):
        check_ex1(lambda p, g, k: share(p, g, k, layout="K-major"))


def test_ex1_names_the_plain_ratio():
    with pytest.raises(ExerciseFailed, match="plain ratio"):
        check_ex1(lambda p, g, k: share(p, g, k, plain=True))


def test_ex1_rejects_a_constant():
    with pytest.raises(ExerciseFailed):
        check_ex1(lambda p, g, k: 0.0)


def test_ex2_rejects_comparing_means():
    with pytest.raises(ExerciseFailed, match="overlap"):
        check_ex2(lambda a, b: "differ" if abs(a[0] - b[0]) > 0.2 else "not apart")


def test_ex2_names_a_missing_nan_check():
    def no_nan_check(a, b):
        return "differ" if a[2] < b[1] or b[2] < a[1] else "not apart"

    with pytest.raises(ExerciseFailed, match="nan"):
        check_ex2(no_nan_check)


def test_ex2_rejects_an_order_dependent_test():
    with pytest.raises(ExerciseFailed, match="other order"):
        check_ex2(lambda a, b: "screen" if math.isnan(a[1] + b[1])
                  else ("differ" if a[2] < b[1] else "not apart"))


def test_ex3_names_the_normal_quantile():
    with pytest.raises(ExerciseFailed, match="1.96"):
        check_ex3(lambda sd, h: seeds_needed(sd, h, t=lambda n: 1.96))


def test_ex3_names_n_degrees_of_freedom():
    with pytest.raises(ExerciseFailed, match="n − 1 degrees"):
        check_ex3(lambda sd, h: seeds_needed(sd, h, t=lambda n: T95.get(n, 2.45)))


def test_ex3_names_the_wrong_standard_error():
    with pytest.raises(ExerciseFailed, match="√"):
        check_ex3(lambda sd, h: seeds_needed(sd, h, root=lambda n: n - 1))


def test_ex3_wants_an_integer():
    with pytest.raises(ExerciseFailed, match="int"):
        check_ex3(lambda sd, h: float(seeds_needed(sd, h)))

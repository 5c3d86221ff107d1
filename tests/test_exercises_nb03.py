"""Notebook 03's exercise checks accept the reference solutions and explain wrong answers."""

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb03 import check_ex1, check_ex2, check_ex3


def sagan_attend(q, k, v):
    return torch.softmax(q @ k.transpose(1, 2), dim=-1) @ v


def frame_equivariance_error(module, x, perm):
    with torch.no_grad():
        return (module(x[:, :, perm]) - module(x)[:, :, perm]).abs().max().item()


TSA, SSA = (240, 8, 8), (16, 120, 120)
RATIO = (2 * 960**2) / (2 * 120 * 64 + 2 * 8 * 120**2)


def test_reference_solutions_pass(capsys):
    check_ex1(TSA, SSA, RATIO)
    check_ex2(sagan_attend)
    check_ex3(frame_equivariance_error)
    assert capsys.readouterr().out.count("correct") == 3


@pytest.mark.parametrize(("tsa", "ssa", "ratio", "message"), [
    (SSA, TSA, RATIO, "swapped"),
    ((240, 8, 64), SSA, RATIO, "shape of the sequences"),
    (TSA, (16, 120, 64), RATIO, "shape of the sequences"),
    ((2, 8, 8), SSA, RATIO, "the weights are \\(240, 8, 8\\)"),
    (TSA, SSA, 1 / RATIO, "inverted"),
    (TSA, SSA, 8, "approximation"),
    (TSA, SSA, 64.0, "score counts give"),
    (TSA, SSA, "7.5", "should be a number"),
])
def test_ex1_names_the_usual_mistakes(tsa, ssa, ratio, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(tsa, ssa, ratio)


def test_ex2_names_each_planted_bug():
    def both(q, k, v):
        return torch.softmax(q @ k.transpose(1, 2) / q.shape[-1] ** 0.5, dim=1) @ v

    def scaled(q, k, v):
        return torch.softmax(q @ k.transpose(1, 2) / q.shape[-1] ** 0.5, dim=-1) @ v

    def wrong_axis(q, k, v):
        return torch.softmax(q @ k.transpose(1, 2), dim=1) @ v

    for fn, message in [(both, "both planted bugs"), (scaled, "sqrt"), (wrong_axis, "dim 1")]:
        with pytest.raises(ExerciseFailed, match=message):
            check_ex2(fn)


def test_ex2_reports_a_wrong_shape_and_other_wrong_values():
    with pytest.raises(ExerciseFailed, match="shape"):
        check_ex2(lambda q, k, v: torch.softmax(q @ k.transpose(1, 2), dim=-1))
    with pytest.raises(ExerciseFailed, match="values differ"):
        check_ex2(lambda q, k, v: torch.sigmoid(q @ k.transpose(1, 2)) @ v)


def test_ex3_rejects_a_test_that_permutes_only_the_input():
    def one_sided(module, x, perm):
        with torch.no_grad():
            return (module(x[:, :, perm]) - module(x)).abs().max().item()

    with pytest.raises(ExerciseFailed, match="correct F-SA"):
        check_ex3(one_sided)


def test_ex3_rejects_a_test_that_cannot_catch_the_bug():
    def mean_signed(module, x, perm):
        with torch.no_grad():
            return (module(x[:, :, perm]) - module(x)[:, :, perm]).mean().item()

    with pytest.raises(ExerciseFailed, match="does not catch"):
        check_ex3(mean_signed)

"""Exercise checks of notebook 11: reference solutions pass, typical mistakes are named."""

import statistics

import pytest

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb11 import check_ex1, check_ex2, check_ex3


def state(n_g, n_d):
    return 4 * (n_g + n_d) * 4 + 4 * n_g


def largest(gpu, st, per_video, world):
    return world * int((gpu - st) // per_video)


def hours_left(metrics, target):
    return statistics.median(metrics["sec_per_step"][1:]) * (target - metrics["step"][-1]) / 3600


def test_reference_solutions_pass(capsys):
    check_ex1(state)
    check_ex2(largest)
    check_ex3(hours_left)
    assert capsys.readouterr().out.count("correct") == 3 + 1 + 1


@pytest.mark.parametrize("wrong, message", [
    (lambda g, d: 16 * (g + d), "left out the EMA"),
    (lambda g, d: 20 * (g + d), "copies only G"),
    (lambda g, d: 12 * (g + d) + 4 * g, "gradients or one of Adam"),
    (lambda g, d: 8 * (g + d) + 2 * g, "bf16"),
    (lambda g, d: "a lot", "expected a number"),
])
def test_ex1_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda gpu, st, v, w: int((gpu - st) // v), "one GPU's share"),
    (lambda gpu, st, v, w: int((w * gpu - st) // v), "subtracted the state once"),
    (lambda gpu, st, v, w: w * int(gpu // v), "state takes memory"),
    (lambda gpu, st, v, w: w * (gpu - st) / v, "whole number of videos"),
    (lambda gpu, st, v, w: int(w * (gpu - st) / v), "round down per GPU"),
    (lambda gpu, st, v, w: w * int((gpu - st) // v) + 1, "expected"),
])
def test_ex2_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex2(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda m, t: statistics.median(m["sec_per_step"]) * (t - m["step"][-1]) / 3600, "warm-up"),
    (lambda m, t: statistics.mean(m["sec_per_step"][1:]) * (t - m["step"][-1]) / 3600, "mean"),
    (lambda m, t: statistics.median(m["sec_per_step"][1:]) * t / 3600, "already done"),
    (lambda m, t: statistics.median(m["sec_per_step"][1:]) * (t - m["step"][-1]) / 60,
     "minutes"),
])
def test_ex3_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex3(wrong)

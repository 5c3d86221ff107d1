"""Notebook 04's exercise checks accept the reference solutions and explain wrong answers."""

import pytest

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb04 import check_ex1, check_ex2, check_ex3


def g3_params(c_s, c_v, c_t, c_out, k_s, k_t):
    weights = c_out * (k_s * k_s * c_s + k_t * c_t + k_t * c_v + k_s * k_s * c_out)
    return weights + 4 * c_out + 4 * 2 * c_out  # 4 biases, 4 BatchNorms


def fsa_params(c):
    one = 2 * (c * (c // 8) + c // 8) + c * c + c + 1
    return 2 * one


def test_reference_solutions_pass(capsys):
    check_ex1(g3_params)
    check_ex2(fsa_params)
    check_ex3(20, 24)
    assert capsys.readouterr().out.count("correct") == 3


@pytest.mark.parametrize("wrong, message", [
    (lambda *a: g3_params(*a) - 4 * a[3], "biases are missing"),
    (lambda *a: g3_params(*a) - 8 * a[3], "BatchNorm weights and biases are missing"),
    (lambda *a: g3_params(*a) - 12 * a[3], "biases and BatchNorm are both missing"),
    (lambda *a: g3_params(*a) - a[3] * a[4] ** 2 * a[3] - 3 * a[3], "second .spatial. conv"),
    (lambda c_s, c_v, c_t, c_out, k_s, k_t: g3_params(c_s, c_v // 2, c_t, c_out, k_s, k_t),
     "c_v channels"),
    (lambda *a: g3_params(*a) + 1, "the count differs"),
])
def test_ex1_names_the_usual_slips(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(wrong)


def test_ex1_recognises_a_full_3d_video_conv():
    def full_3d(c_s, c_v, c_t, c_out, k_s, k_t):
        return (c_out * (k_s * k_s * c_s + k_t * c_t + k_t * k_s * k_s * c_v)
                + 3 * c_out + 3 * 2 * c_out)

    with pytest.raises(ExerciseFailed, match="full 3D"):
        check_ex1(full_3d)


@pytest.mark.parametrize("wrong, message", [
    (lambda c: fsa_params(c) // 2, "one attention"),
    (lambda c: fsa_params(c) - 2, "γ scalars are missing"),
    (lambda c: fsa_params(c) - 2 * (2 * (c // 8) + c), "biases are missing"),
    (lambda c: 2 * (3 * (c * c + c) + 1), "C/8 channels, not C"),
    (lambda c: 2 * (3 * (c * (c // 8) + c // 8) + 1), "value keeps C"),
    (lambda c: 2.5 * c * c, "the count differs|expected an int"),
])
def test_ex2_names_the_usual_slips(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex2(wrong)


@pytest.mark.parametrize("l1, l2, message", [
    (16, 20, "unchanged generator"),
    (10, 12, "after block 2"),
    (18, 22, "doubles those too"),
    (21, 24, "L = 1 you predicted 21"),
    (20, 28, "L = 2 you predicted 28"),
    ("20", 24, "expected an int"),
])
def test_ex3_rejects_wrong_predictions(l1, l2, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex3(l1, l2)

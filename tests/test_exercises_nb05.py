"""Notebook 05's exercise checks accept the reference solutions and explain wrong answers."""

import pytest

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb05 import check_ex1, check_ex2, check_ex3


def dv_params(ch):
    c_in, n = 3, 0
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        n += (16 * c_in * c + c) + (4 * c * c + c)  # (1,4,4) then (4,1,1), with biases
        c_in = c
    return n + (16 * c_in * c_in + c_in) + (4 * c_in + 1)


NOTICES = {"reverse": (False, True), "shuffle": (False, True), "static": (True, True),
           "mirror": (True, True)}


def test_reference_solutions_pass(capsys):
    check_ex1(lambda frames: frames - 15)
    check_ex2(dv_params)
    check_ex3(dict(NOTICES))
    assert capsys.readouterr().out.count("correct") == 3


def test_ex1_catches_forgetting_the_last_time_conv():
    with pytest.raises(ExerciseFailed, match="expected 1"):
        check_ex1(lambda frames: frames - 12)


def _no_bias(ch):
    c_in, n = 3, 0
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        n += 16 * c_in * c + 4 * c * c
        c_in = c
    return n + 16 * c_in * c_in + 4 * c_in


def _full_3d(ch):
    c_in, n = 3, 0
    for c in (ch, 2 * ch, 4 * ch, 8 * ch):
        n += 64 * c_in * c + c
        c_in = c
    return n + (16 * c_in * c_in + c_in) + (4 * c_in + 1)


@pytest.mark.parametrize("wrong, message", [
    (_no_bias, "biases are missing"),
    (lambda ch: dv_params(ch) - (16 * 64 * ch * ch + 8 * ch) - (32 * ch + 1), "last two convs"),
    (_full_3d, "full .4,4,4. kernels"),
    (lambda ch: dv_params(ch) + 1, "the count differs"),
    (lambda ch: "many", "expected an int"),
])
def test_ex2_names_the_usual_slips(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex2(wrong)


@pytest.mark.parametrize("change, answer, message", [
    ("shuffle", (True, True), "shuffle: D_I cannot tell"),
    ("reverse", (True, True), "reverse: D_I cannot tell"),
    ("reverse", (False, False), "reverse: D_V can tell"),
    ("static", (False, True), "static: D_I can tell"),
    ("mirror", (True, False), "mirror: D_V can tell"),
    ("mirror", ("yes", True), "pair of bools"),
])
def test_ex3_rejects_wrong_predictions(change, answer, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex3({**NOTICES, change: answer})


def test_ex3_wants_all_four_changes():
    with pytest.raises(ExerciseFailed, match="keys"):
        check_ex3({"shuffle": (False, True)})

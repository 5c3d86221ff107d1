"""Notebook 10's exercise checks accept the reference solutions and name the usual mistakes."""

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb10 import check_ex1, check_ex2, check_ex3


def gru_parameters(n_in, n_hidden):
    return 3 * (n_hidden * n_in + n_hidden * n_hidden + 2 * n_hidden)


def to_video(frames, b, t):
    r = frames.shape[-1]
    return frames.reshape(b, t, 3, r, r).permute(0, 2, 1, 3, 4)


def test_reference_solutions_pass(capsys):
    check_ex1(gru_parameters)
    check_ex2(to_video)
    check_ex3(lambda n, t0: list(range(t0, n)))
    assert capsys.readouterr().out.count("correct") == 3


@pytest.mark.parametrize("wrong, message", [
    (lambda i, h: 4 * (h * i + h * h + 2 * h), "LSTM"),
    (lambda i, h: 3 * (h * i + h * h + h), "one bias per gate"),
    (lambda i, h: 3 * (h * i + h * h), "biases are missing"),
    (lambda i, h: 3 * (h * i + 2 * h), "state matrices"),
    (lambda i, h: float(gru_parameters(i, h)), "expected an int"),
])
def test_ex1_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(wrong)


def test_ex1_a_square_only_formula_fails_on_a_non_square_cell():
    with pytest.raises(ExerciseFailed):
        check_ex1(lambda i, h: 3 * (2 * h * h + 2 * h))  # right only when n_in = n_hidden


def test_ex2_catches_the_planted_reshape_bug():
    with pytest.raises(ExerciseFailed, match="buggy reshape"):
        check_ex2(lambda frames, b, t: frames.reshape(b, 3, t, *frames.shape[-2:]))


def test_ex2_names_time_major_order():
    def time_major(frames, b, t):
        r = frames.shape[-1]
        return frames.reshape(t, b, 3, r, r).permute(1, 2, 0, 3, 4)

    with pytest.raises(ExerciseFailed, match="time-major"):
        check_ex2(time_major)


def test_ex2_rejects_a_forgotten_permute():
    with pytest.raises(ExerciseFailed, match="shape"):
        check_ex2(lambda frames, b, t: frames.reshape(b, t, 3, *frames.shape[-2:]))


def test_ex3_names_a_frame_only_answer():
    with pytest.raises(ExerciseFailed, match="carries the new noise"):
        check_ex3(lambda n, t0: [t0])


def test_ex3_names_an_everything_changes_answer():
    with pytest.raises(ExerciseFailed, match="causal"):
        check_ex3(lambda n, t0: list(range(n)))


def test_ex3_leaves_the_callers_rng_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    check_ex3(lambda n, t0: list(range(t0, n)))
    assert torch.equal(torch.rand(1), before)

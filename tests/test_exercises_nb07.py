"""Notebook 07's exercise checks accept the reference solutions and name the usual mistakes."""

import math

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb07 import check_ex1, check_ex2, check_ex3


def frechet_scaled(delta, cov, s):
    return float(delta.square().sum() + (1 - s) ** 2 * cov.trace())


def mean_term_bias(trace, n_r, n_g):
    return trace * (1 / n_r + 1 / n_g)


PREDICTIONS = {"mixed": {"fd_frame": "same", "fd_video": "higher"},
               "reordered": {"fd_frame": "same", "fd_video": "same"},
               "half": {"fd_frame": "higher", "fd_video": "higher"}}


def test_reference_solutions_pass(capsys):
    check_ex1(frechet_scaled)
    check_ex2(mean_term_bias)
    check_ex3(PREDICTIONS)
    assert capsys.readouterr().out.count("correct") == 3


def test_ex1_names_variances_used_as_standard_deviations():
    def variances(delta, cov, s):
        return float(delta.square().sum() + (1 - s * s) ** 2 * cov.trace())

    with pytest.raises(ExerciseFailed, match="standard deviations"):
        check_ex1(variances)


def test_ex1_names_a_missing_cross_term():
    with pytest.raises(ExerciseFailed, match="cross term"):
        check_ex1(lambda delta, cov, s: float(delta.square().sum() + (1 + s * s) * cov.trace()))


def test_ex1_names_an_identity_covariance_assumed():
    with pytest.raises(ExerciseFailed, match="identity"):
        check_ex1(lambda delta, cov, s: float(delta.square().sum() + (1 - s) ** 2 * len(delta)))


def test_ex1_names_an_unsquared_mean_term():
    with pytest.raises(ExerciseFailed, match="norm"):
        check_ex1(lambda delta, cov, s: float(delta.norm() + (1 - s) ** 2 * cov.trace()))


def test_ex1_rejects_a_wrong_sign_of_the_mean_term():
    with pytest.raises(ExerciseFailed, match="with s = 0.3|only the means"):
        check_ex1(lambda delta, cov, s: float(-delta.square().sum()
                                              + (1 - s) ** 2 * cov.trace()))


@pytest.mark.parametrize(("wrong", "message"), [
    (lambda t, nr, ng: 2 * t / (nr + ng), "pooled"),
    (lambda t, nr, ng: t / ng, "real sample's noise"),
    (lambda t, nr, ng: t * (1 / nr**2 + 1 / ng**2), "Σ/n²"),
    (lambda t, nr, ng: math.sqrt(t * (1 / nr + 1 / ng)), "square root"),
    (lambda t, nr, ng: 2 * t / min(nr, ng), "min"),
])
def test_ex2_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex2(wrong)


def test_ex2_rejects_any_other_formula():
    with pytest.raises(ExerciseFailed, match="expected"):
        check_ex2(lambda t, nr, ng: t * (1 / nr + 2 / ng))


def test_ex3_explains_that_mixed_frames_keep_fd_frame():
    wrong = {**PREDICTIONS, "mixed": {"fd_frame": "higher", "fd_video": "higher"}}
    with pytest.raises(ExerciseFailed, match="(?s)1 of 6.*same N·T frames"):
        check_ex3(wrong)


def test_ex3_explains_the_bias_of_a_smaller_sample():
    wrong = {**PREDICTIONS, "half": {"fd_frame": "same", "fd_video": "same"}}
    with pytest.raises(ExerciseFailed, match="(?s)2 of 6.*fewer samples"):
        check_ex3(wrong)


def test_ex3_rejects_malformed_answers():
    with pytest.raises(ExerciseFailed, match="no prediction"):
        check_ex3({"mixed": PREDICTIONS["mixed"]})
    with pytest.raises(ExerciseFailed, match="'same', 'higher' or 'lower'"):
        check_ex3({**PREDICTIONS, "reordered": {"fd_frame": "same", "fd_video": "up"}})
    with pytest.raises(ExerciseFailed, match="expected a dict"):
        check_ex3(["same", "higher"])


def test_checks_do_not_touch_the_global_rng():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    check_ex1(frechet_scaled)
    check_ex2(mean_term_bias)
    assert torch.equal(torch.rand(1), before)

"""Exercise checks of notebook 06: reference solutions pass, typical mistakes are named."""

import math

import pytest
import torch.nn.functional as F

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb06 import (
    check_ex1,
    check_ex2,
    check_ex3,
    reference_constant_d_loss,
)


def hinge_d(real, fake):
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def hinge_g(fake):
    return -fake.mean()


def constant_d_loss(c):
    return 2 * (math.log1p(math.exp(-c)) + math.log1p(math.exp(c)))


def test_reference_solutions_pass(capsys):
    check_ex1(hinge_d, hinge_g)
    check_ex2(constant_d_loss)
    check_ex3("di_fake", fixed_d_loss)
    assert capsys.readouterr().out.count("correct") == 2 + 3 + 1


def test_a_discriminator_that_cannot_tell_has_loss_four_log_two():
    assert reference_constant_d_loss(0.0) == pytest.approx(4 * math.log(2), rel=1e-6)


def test_ex1_catches_a_missing_clamp():
    with pytest.raises(ExerciseFailed, match=r"no max\(0, ·\)"):
        check_ex1(lambda r, f: (1 - r).mean() + (1 + f).mean(), hinge_g)


def test_ex1_catches_a_generator_loss_with_the_wrong_sign():
    with pytest.raises(ExerciseFailed, match="wrong sign"):
        check_ex1(hinge_d, lambda f: f.mean())


def test_ex2_catches_counting_one_discriminator():
    with pytest.raises(ExerciseFailed, match="you counted one discriminator"):
        check_ex2(lambda c: constant_d_loss(c) / 2)


def test_ex2_catches_the_wrong_targets():
    with pytest.raises(ExerciseFailed, match="c = 2.0: got"):
        check_ex2(lambda c: 4 * math.log1p(math.exp(-c)))  # every term labelled real


def fixed_d_loss(v_real, v_fake, i_real, i_fake):
    sp = F.softplus
    return sp(-v_real).mean() + sp(v_fake).mean() + sp(-i_real).mean() + sp(i_fake).mean()


@pytest.mark.parametrize("bug, message", [
    ("dv_fake", "'dv_fake' term is right"),
    ("di_real", "'di_real' term is right"),
    ("the fake one", "should be one of"),
])
def test_ex3_rejects_the_wrong_term(bug, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex3(bug, fixed_d_loss)


def test_ex3_rejects_a_minus_sign_instead_of_the_right_target():
    def minus(v_real, v_fake, i_real, i_fake):
        sp = F.softplus
        return sp(-v_real).mean() + sp(v_fake).mean() + sp(-i_real).mean() - sp(-i_fake).mean()

    with pytest.raises(ExerciseFailed, match="minus sign"):
        check_ex3("di_fake", minus)


def test_ex3_rejects_dropping_the_term():
    def dropped(v_real, v_fake, i_real, i_fake):
        sp = F.softplus
        return sp(-v_real).mean() + sp(v_fake).mean() + sp(-i_real).mean()

    with pytest.raises(ExerciseFailed, match="dropped"):
        check_ex3("di_fake", dropped)


def test_ex3_rejects_the_buggy_loss_itself():
    def buggy(v_real, v_fake, i_real, i_fake):
        sp = F.softplus
        return sp(-v_real).mean() + sp(v_fake).mean() + sp(-i_real).mean() + sp(-i_fake).mean()

    with pytest.raises(ExerciseFailed):
        check_ex3("di_fake", buggy)

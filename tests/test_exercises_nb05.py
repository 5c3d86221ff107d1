"""Notebook 05's exercise checks accept the reference solutions and explain wrong answers."""

import pytest
import torch
import torch.nn.functional as F

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb05 import check_ex1, check_ex2, check_ex3


def estimate_sigma(w, u, n_iters):
    for _ in range(n_iters):
        v = F.normalize(w.T @ u, dim=0)
        u = F.normalize(w @ v, dim=0)
    return torch.dot(u, w @ v).item()


def normalise_like_torch(w, v):
    u = F.normalize(w @ v, dim=0)
    v = F.normalize(w.T @ u, dim=0)
    return w / torch.dot(u, w @ v)


def test_reference_solutions_pass(capsys):
    check_ex1(lambda frames: frames - 15)
    check_ex2(estimate_sigma)
    check_ex3(normalise_like_torch)
    assert capsys.readouterr().out.count("correct") == 4


def test_ex1_catches_forgetting_the_last_time_conv():
    with pytest.raises(ExerciseFailed, match=r"dv_time_positions\(16\) is 4, expected 1"):
        check_ex1(lambda frames: frames - 12)


def test_ex2_catches_a_missing_normalisation():
    def unnormalised(w, u, n_iters):
        for _ in range(n_iters):
            v = w.T @ u
            u = w @ v
        return torch.dot(u, w @ v).item()

    with pytest.raises(ExerciseFailed, match="one step: got"):
        check_ex2(unnormalised)


def test_ex2_explains_a_transpose_mix_up():
    def transposed(w, u, n_iters):
        for _ in range(n_iters):
            v = F.normalize(w @ u, dim=0)
            u = F.normalize(w.T @ v, dim=0)
        return torch.dot(u, w @ v).item()

    with pytest.raises(ExerciseFailed, match="raised RuntimeError"):
        check_ex2(transposed)


def test_ex3_rejects_the_exact_sigma():
    def exact(w, v):
        return w / torch.linalg.matrix_norm(w, ord=2)

    with pytest.raises(ExerciseFailed, match="exact σ"):
        check_ex3(exact)


def test_ex3_catches_the_frobenius_norm():
    with pytest.raises(ExerciseFailed, match="values differ"):
        check_ex3(lambda w, v: w / w.norm())


def test_ex2_lets_the_student_stub_raise_its_own_message():
    def stub(w, u, n_iters):
        raise NotImplementedError("Exercise 2: replace this line with your solution")

    with pytest.raises(NotImplementedError, match="Exercise 2"):
        check_ex2(stub)

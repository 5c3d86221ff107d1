"""Notebook 03's exercise checks accept the reference solutions and explain wrong answers."""

import pytest
import torch
from einops import rearrange

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb03 import check_ex1, check_ex2, check_ex3


def sagan_attend(q, k, v):
    return torch.softmax(q @ k.transpose(1, 2), dim=-1) @ v


def to_temporal(x):
    return rearrange(x, "b c t h w -> (b h w) t c")


def from_temporal(seq, b, h, w):
    return rearrange(seq, "(b h w) t c -> b c t h w", b=b, h=h, w=w)


def frame_equivariance_error(module, x, perm):
    with torch.no_grad():
        return (module(x[:, :, perm]) - module(x)[:, :, perm]).abs().max().item()


def test_reference_solutions_pass(capsys):
    check_ex1(sagan_attend)
    check_ex2(to_temporal, from_temporal)
    check_ex3(frame_equivariance_error)
    assert capsys.readouterr().out.count("correct") == 4


def test_ex1_names_the_sqrt_d_scaling():
    def scaled(q, k, v):
        return torch.softmax(q @ k.transpose(1, 2) / q.shape[-1] ** 0.5, dim=-1) @ v

    with pytest.raises(ExerciseFailed, match="sqrt"):
        check_ex1(scaled)


def test_ex1_names_the_softmax_axis():
    def wrong_axis(q, k, v):
        return torch.softmax(q @ k.transpose(1, 2), dim=1) @ v

    with pytest.raises(ExerciseFailed, match="dim 1"):
        check_ex1(wrong_axis)


def test_ex1_reports_a_wrong_shape():
    with pytest.raises(ExerciseFailed, match="shape"):
        check_ex1(lambda q, k, v: torch.softmax(q @ k.transpose(1, 2), dim=-1))


def test_ex2_catches_a_plain_reshape():
    def plain_reshape(x):
        b, c, t, h, w = x.shape
        return x.reshape(b * h * w, t, c)  # right shape, wrong layout

    with pytest.raises(ExerciseFailed, match="values differ"):
        check_ex2(plain_reshape, from_temporal)


def test_ex2_catches_the_authors_view_on_the_way_back():
    def authors_view(seq, b, h, w):
        return seq.reshape(b, h, w, -1, seq.shape[1]).permute(0, 3, 4, 1, 2)

    with pytest.raises(ExerciseFailed, match="from_temporal"):
        check_ex2(to_temporal, authors_view)


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

"""Exercise checks of notebook 01: the reference solutions pass, wrong answers say what differs."""

from __future__ import annotations

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb01 import check_ex1, check_ex2, check_ex3


def scatter_reference(x: torch.Tensor, w: torch.Tensor, stride: int) -> torch.Tensor:
    b, _, n = x.shape
    _, c_out, k = w.shape
    y = torch.zeros(b, c_out, (n - 1) * stride + k)
    for i in range(n):
        y[:, :, i * stride: i * stride + k] += torch.einsum("bc,cok->bok", x[:, :, i], w)
    return y


def test_ex1_accepts_the_transposed_conv_size_rule(capsys):
    check_ex1(lambda n, k, s, p: (n - 1) * s - 2 * p + k)
    assert "correct" in capsys.readouterr().out


def test_ex1_names_the_failing_case_for_the_conv_rule():
    expected = r"output_size\(n=1, kernel=4, stride=1, padding=0\) returned -2"
    with pytest.raises(ExerciseFailed, match=expected):
        check_ex1(lambda n, k, s, p: (n + 2 * p - k) // s + 1)  # a convolution's rule


def test_ex2_accepts_a_scatter_add_loop(capsys):
    check_ex2(scatter_reference)
    assert "correct" in capsys.readouterr().out


def test_ex2_reports_the_shape_when_the_output_is_too_short():
    def too_short(x, w, stride):
        return scatter_reference(x, w, stride)[..., :-1]

    with pytest.raises(ExerciseFailed, match="shape is"):
        check_ex2(too_short)


def test_ex2_reports_values_when_the_kernel_is_flipped():
    with pytest.raises(ExerciseFailed, match="values differ"):
        check_ex2(lambda x, w, s: scatter_reference(x, w.flip(-1), s))


def test_ex3_accepts_the_parameter_count_of_2p1d(capsys):
    check_ex3(lambda ci, co, ks, kt: ci * co * ks * ks + co * co * kt + 6 * co)
    assert "correct" in capsys.readouterr().out


def test_ex3_rejects_forgetting_batchnorm():
    with pytest.raises(ExerciseFailed, match="expected"):
        check_ex3(lambda ci, co, ks, kt: ci * co * ks * ks + co * co * kt + 2 * co)

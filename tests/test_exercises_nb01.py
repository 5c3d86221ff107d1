"""Exercise checks of notebook 01: the reference solutions pass, wrong answers say what differs."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb01 import check_ex1, check_ex2, check_ex3

SHAPE = (2, 3, 5, 14, 18)
DOUBLING = {(2, 0), (4, 1), (6, 2), (8, 3)}


def test_ex1_accepts_the_derived_shape_and_pairs(capsys):
    check_ex1(SHAPE, DOUBLING)
    check_ex1(list(SHAPE), [(2, 0), (4, 1), (6, 2), (8, 3)])
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(("shape", "message"), [
    ((2, 8, 5, 14, 18), "w.shape\\[1\\] = 3 channels"),
    ((2, 3, 5, 3, 4), "ordinary convolution"),
    ((2, 3, 5, 14, 16), "PyTorch gives \\(2, 3, 5, 14, 18\\)"),
    ((3, 14, 18), "5 numbers"),
])
def test_ex1_names_the_usual_shape_mistakes(shape, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(shape, DOUBLING)


def test_ex1_rejects_missing_and_wrong_pairs():
    with pytest.raises(ExerciseFailed, match="missing"):
        check_ex1(SHAPE, {(4, 1)})  # G3AN's pair only
    with pytest.raises(ExerciseFailed, match=r"\(3, 1\) does not double"):
        check_ex1(SHAPE, DOUBLING | {(3, 1)})
    with pytest.raises(ExerciseFailed, match="set of"):
        check_ex1(SHAPE, 4)


def scatter(x, w, stride, padding, crop):
    b, _, n = x.shape
    _, c_out, k = w.shape
    full = torch.zeros(b, c_out, (n - 1) * stride + k)
    for i in range(n):
        full[:, :, i * stride: i * stride + k] += torch.einsum("bc,cok->bok", x[:, :, i], w)
    return crop(full, padding)


def test_ex2_accepts_the_fixed_crop(capsys):
    check_ex2(lambda x, w, s, p: scatter(x, w, s, p, lambda f, p: f[:, :, p: f.shape[-1] - p]))
    check_ex2(lambda x, w, s, p: F.pad(scatter(x, w, s, 0, lambda f, p: f), (-p, -p)))
    assert "correct" in capsys.readouterr().out


def test_ex2_catches_the_planted_bug_and_a_one_sided_crop():
    with pytest.raises(ExerciseFailed, match="planted bug"):
        check_ex2(lambda x, w, s, p: scatter(x, w, s, p, lambda f, p: f[:, :, p:-p]))
    with pytest.raises(ExerciseFailed, match="one end only"):
        check_ex2(lambda x, w, s, p: scatter(x, w, s, p, lambda f, p: f[:, :, p:]))


def test_ex2_rejects_stamps_placed_kernel_apart():
    def wrong_step(x, w, s, p):
        b, _, n = x.shape
        _, c_out, k = w.shape
        full = torch.zeros(b, c_out, (n - 1) * s + k)
        for i in range(n):
            full[:, :, i * s: i * s + k] += torch.einsum("bc,cok->bok", x[:, :, 0], w)
        return full[:, :, p: full.shape[-1] - p]

    with pytest.raises(ExerciseFailed, match="values differ"):
        check_ex2(wrong_step)


def test_ex3_accepts_the_phase_sums(capsys):
    check_ex3(lambda w: ((w[1] + w[3]).item(), (w[0] + w[2]).item()))
    assert "flat exactly when" in capsys.readouterr().out


def test_ex3_says_when_the_phases_are_swapped_or_equal():
    with pytest.raises(ExerciseFailed, match="swapped"):
        check_ex3(lambda w: ((w[0] + w[2]).item(), (w[1] + w[3]).item()))
    with pytest.raises(ExerciseFailed, match="uniform kernel"):
        check_ex3(lambda w: (w.sum().item() / 2, w.sum().item() / 2))


def test_ex3_forbids_running_the_transposed_conv():
    def by_running(w):
        y = F.conv_transpose1d(torch.ones(1, 1, 8), w.view(1, 1, 4), stride=2, padding=1)[0, 0]
        return y[2].item(), y[3].item()

    with pytest.raises(RuntimeError, match="derive them"):
        check_ex3(by_running)

"""Exercise checks of notebook 13: reference solutions pass, typical mistakes are named."""

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb13 import check_ex1, check_ex2, check_ex3, reference_kept_columns


def step_for(fps, seconds, frames=16):
    return max(1, round(seconds * fps / (frames - 1)))


def to_model_range(frames):
    return frames.permute(3, 0, 1, 2).float() / 127.5 - 1


def kept_columns(h, w):
    left = (w - h) // 2
    return left, left + h - 1


def test_reference_solutions_pass(capsys):
    check_ex1(step_for)
    check_ex2(to_model_range)
    check_ex3(kept_columns)
    assert capsys.readouterr().out.count("correct") == 3


def test_the_reference_crop_is_videofolders_centre_crop():
    assert reference_kept_columns(64, 128) == (32, 95)
    assert reference_kept_columns(16, 16) == (0, 15)
    assert reference_kept_columns(10, 21) == (5, 14)


@pytest.mark.parametrize("wrong, message", [
    (lambda fps, s, f=16: max(1, round(s * fps / f)), "gaps"),
    (lambda fps, s, f=16: max(1, int(s * fps / (f - 1))), "do not truncate"),
    (lambda fps, s, f=16: s * fps / (f - 1), "whole number"),
    (lambda fps, s, f=16: round(s * fps / (f - 1)), "at least 1"),
])
def test_ex1_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda x: x.permute(3, 0, 1, 2).float() / 255, r"x / 255"),
    (lambda x: x.float() / 127.5 - 1, "still"),
    (lambda x: x.permute(3, 0, 1, 2) * 2 - 1, "uint8 arithmetic"),
    (lambda x: x.permute(3, 0, 1, 2).float() / 128 - 1, "divide by 127.5"),
    (lambda x: x.permute(3, 0, 2, 1).float() / 127.5 - 1, "shape"),
    (lambda x: x.flip(0).permute(3, 0, 1, 2).float() / 127.5 - 1, "values differ"),
])
def test_ex2_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex2(wrong)


@pytest.mark.parametrize("wrong, message", [
    (lambda h, w: (0, h - 1), "from the left"),
    (lambda h, w: ((w - h) // 2, (w - h) // 2 + h), "first \\+ h - 1"),
    (lambda h, w: (-(-(w - h) // 2), -(-(w - h) // 2) + h - 1), "rounded down"),
    (lambda h, w: (w - h) // 2, "pair of ints"),
])
def test_ex3_names_the_usual_mistakes(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex3(wrong)


def test_ex2_accepts_an_equivalent_formula():
    check_ex2(lambda x: (x.permute(3, 0, 1, 2).to(torch.float64) - 127.5) / 127.5)

"""Exercise checks of notebook 02: the reference solutions pass, wrong answers say what differs."""

from __future__ import annotations

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb02 import check_ex1, check_ex2, check_ex3


def fuse_reference(h_s, h_t, h_v):
    b, c, t, h, w = h_v.shape
    return torch.cat([h_s.expand(b, c, t, h, w), h_v + h_t], dim=1)


def shapes_reference(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s):
    t2, h2 = (t - 1) * s_t - 2 * p_t + k_t, (h - 1) * s_s - 2 * p_s + k_s
    return (b, c_out, 1, h2, h2), (b, 2 * c_out, t2, h2, h2), (b, c_out, t2, 1, 1)


def test_ex1_accepts_fusion_with_expand(capsys):
    check_ex1(fuse_reference)
    assert "correct" in capsys.readouterr().out


def test_ex1_says_when_the_streams_are_swapped():
    with pytest.raises(ExerciseFailed, match="swapped"):
        check_ex1(lambda h_s, h_t, h_v: fuse_reference(h_s, h_t, h_v).roll(3, dims=1))


def test_ex1_says_when_the_temporal_stream_is_missing():
    with pytest.raises(ExerciseFailed, match="not added"):
        check_ex1(lambda h_s, h_t, h_v: fuse_reference(h_s, torch.zeros_like(h_t), h_v))


def test_ex1_reports_the_shape_when_channels_are_not_concatenated():
    with pytest.raises(ExerciseFailed, match="shape is"):
        check_ex1(lambda h_s, h_t, h_v: h_v + h_t + h_s)


def test_ex2_accepts_four_bytes_per_element(capsys):
    check_ex2(lambda b, c, t, h, w: 4 * b * c * t * h * w)
    assert "correct" in capsys.readouterr().out


def test_ex2_rejects_counting_elements_not_bytes():
    with pytest.raises(ExerciseFailed, match="allocates"):
        check_ex2(lambda b, c, t, h, w: b * c * t * h * w)


def test_ex3_accepts_the_shape_rule(capsys):
    check_ex3(shapes_reference)
    assert "correct" in capsys.readouterr().out


def test_ex3_rejects_forgetting_that_fusion_doubles_channels():
    def single(*args):
        s, v, t = shapes_reference(*args)
        return s, (v[0], v[1] // 2, *v[2:]), t

    with pytest.raises(ExerciseFailed, match="G3Module returns"):
        check_ex3(single)

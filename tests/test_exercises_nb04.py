"""Notebook 04's exercise checks accept the reference solutions and explain wrong answers."""

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb04 import check_ex1, check_ex2, check_ex3


def make_streams(z_a, z_m):
    h_s = z_a[:, :, None, None, None]
    h_t = z_m[:, :, :, None, None]
    return h_s, torch.cat([h_s.expand(-1, -1, z_m.shape[2], -1, -1), h_t], dim=1), h_t


def video_to_strip(video):
    return ((video + 1) / 2).clamp(0, 1).permute(2, 1, 3, 0).reshape(video.shape[2], -1, 3)


def test_reference_solutions_pass(capsys):
    check_ex1(lambda length: 4 * (length + 3))
    check_ex2(make_streams)
    check_ex3(video_to_strip)
    assert capsys.readouterr().out.count("correct") == 5


def test_ex1_names_the_length_that_is_wrong():
    with pytest.raises(ExerciseFailed, match=r"num_frames\(2\) is 16, expected 20"):
        check_ex1(lambda length: 16)


def test_ex2_catches_motion_before_appearance():
    def motion_first(z_a, z_m):
        h_s, h_v, h_t = make_streams(z_a, z_m)
        return h_s, torch.cat([h_v[:, 128:], h_v[:, :128]], dim=1), h_t

    with pytest.raises(ExerciseFailed, match="h_v.*values differ"):
        check_ex2(motion_first)


def test_ex2_reports_a_missing_axis():
    def flat_h_s(z_a, z_m):
        _, h_v, h_t = make_streams(z_a, z_m)
        return z_a[:, :, None, None], h_v, h_t

    with pytest.raises(ExerciseFailed, match=r"h_s.*shape is \(2, 128, 1, 1\)"):
        check_ex2(flat_h_s)


def test_ex3_rejects_min_max_stretching():
    def stretched(video):
        v = (video - video.min()) / (video.max() - video.min())
        return v.permute(2, 1, 3, 0).reshape(video.shape[2], -1, 3)

    with pytest.raises(ExerciseFailed, match="min and max"):
        check_ex3(stretched)


def test_ex3_catches_frames_laid_out_wrongly():
    def plain_reshape(video):
        return ((video + 1) / 2).clamp(0, 1).permute(2, 3, 1, 0).reshape(video.shape[2], -1, 3)

    with pytest.raises(ExerciseFailed, match="values differ"):
        check_ex3(plain_reshape)

"""Exercise checks of notebook 00: the reference solutions pass, wrong answers say what differs."""

from __future__ import annotations

import pytest

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb00 import check_ex1, check_ex2, check_ex3


def test_ex1_accepts_four_times_l_plus_three(capsys):
    check_ex1(lambda length: 4 * (length + 3))
    assert "correct" in capsys.readouterr().out


def test_ex1_names_the_length_and_the_true_frame_count():
    with pytest.raises(ExerciseFailed, match=r"n_frames\(2\) returned 16; the generator makes 20"):
        check_ex1(lambda length: 16)  # right for L = 1 only: must fail on L = 2
    with pytest.raises(ExerciseFailed, match=r"n_frames\(1\) returned 8; the generator makes 16"):
        check_ex1(lambda length: 2 * (length + 3))


def test_ex2_accepts_permute_and_affine_rescale(capsys):
    check_ex2(lambda v: (v.permute(1, 2, 3, 0) + 1) / 2)
    assert "correct" in capsys.readouterr().out


def test_ex2_says_when_the_video_is_stretched_by_its_own_min_and_max():
    def stretched(v):
        f = v.permute(1, 2, 3, 0)
        return (f - f.min()) / (f.max() - f.min())

    with pytest.raises(ExerciseFailed, match="own min and max"):
        check_ex2(stretched)


def test_ex2_reports_the_shape_when_channels_stay_first():
    with pytest.raises(ExerciseFailed, match=r"shape is \(3, 4, 5, 6\)"):
        check_ex2(lambda v: (v + 1) / 2)


def test_ex3_accepts_counting_trainable_parameters(capsys):
    check_ex3(lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad))
    assert "correct" in capsys.readouterr().out


def test_ex3_rejects_counting_frozen_parameters_and_buffers():
    with pytest.raises(ExerciseFailed, match="Sequential"):
        check_ex3(lambda m: sum(p.numel() for p in m.parameters()))
    with pytest.raises(ExerciseFailed, match="expected"):
        check_ex3(lambda m: sum(t.numel() for t in m.state_dict().values()))


def test_diagram_draws_one_box_per_stream_and_block():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from g3an_edu.diagrams import plot_three_streams

    fig = plot_three_streams(n_blocks=4, attention_after=3)
    boxes = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyBboxPatch"]
    assert len(boxes) == 3 * 4
    plt.close(fig)

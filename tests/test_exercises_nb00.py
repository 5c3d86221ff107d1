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


def test_ex2_accepts_the_three_predictions(capsys):
    check_ex2(0.5, 0.9 / 1.5, 0.04 / 0.06)
    assert "correct" in capsys.readouterr().out


def test_ex2_says_when_the_course_mapping_is_given_for_the_authors_rescaling():
    with pytest.raises(ExerciseFailed, match=r"b = 0\.500 is what \(v \+ 1\) / 2 gives"):
        check_ex2(0.5, 0.5, 0.5)


def test_ex2_says_when_b_and_c_use_the_wrong_batch():
    with pytest.raises(ExerciseFailed, match="wrong batch"):
        check_ex2(0.5, 0.04 / 0.06, 0.9 / 1.5)


def test_ex2_rejects_a_wrong_course_mapping_and_non_numbers():
    with pytest.raises(ExerciseFailed, match=r"a = 0\.000"):
        check_ex2(0.0, 0.6, 2 / 3)
    with pytest.raises(ExerciseFailed, match="should be a number"):
        check_ex2(0.5, "0.6", 2 / 3)


def count_trainable(m):
    return sum(p.numel() for p in m.parameters() if p.requires_grad)


def test_ex3_accepts_counting_trainable_parameters(capsys):
    check_ex3(count_trainable, 128 * 3 * 9 + 3)
    assert "correct" in capsys.readouterr().out


def test_ex3_rejects_counting_frozen_parameters_and_buffers():
    with pytest.raises(ExerciseFailed, match="Sequential"):
        check_ex3(lambda m: sum(p.numel() for p in m.parameters()), 3459)
    with pytest.raises(ExerciseFailed, match="expected"):
        check_ex3(lambda m: sum(t.numel() for t in m.state_dict().values()), 3459)


@pytest.mark.parametrize(("guess", "reason"), [
    (128 * 3 * 9, "biases"), (64 * 3 * 9 + 3, "2·ch"), (128 * 3 * 27 + 3, "1 × 3 × 3"),
    (1000, "expected 3459"), (3459.5, "expected"),
])
def test_ex3_names_the_usual_mistakes_of_the_to_rgb_prediction(guess, reason):
    with pytest.raises(ExerciseFailed, match=reason):
        check_ex3(count_trainable, guess)


def test_diagram_draws_one_box_per_stream_and_block():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from g3an_edu.diagrams import plot_three_streams

    fig = plot_three_streams(n_blocks=4, attention_after=3)
    boxes = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyBboxPatch"]
    assert len(boxes) == 3 * 4
    plt.close(fig)

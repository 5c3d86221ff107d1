"""Notebook 08's exercise checks accept the reference solutions and name the usual mistakes."""

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb08 import check_ex1, check_ex2, check_ex3


def fixed_share(probs):
    g, k = probs.shape[:2]
    p = probs.double()
    mean = p.mean(1)
    msw = float((p - mean[:, None]).square().sum()) / (g * (k - 1))
    msb = k * float((mean - mean.mean(0)).square().sum()) / (g - 1)
    return msw / (msw + (msb - msw) / k)


def buggy_share(probs):  # the notebook's planted bug
    p = probs.double()
    within = (p - p.mean(1, keepdim=True)).square().sum()
    total = (p - p.mean((0, 1))).square().sum()
    return float(within / total)


PREDICTED = {
    "ignores z_m": {"appearance_variance_from_zm": 0, "action_variance_from_za": 1,
                    "action_variance_from_zm": 0},
    "swapped": {"appearance_variance_from_zm": 1, "action_variance_from_za": 1,
                "action_variance_from_zm": 0},
    "one video": {"appearance_variance_from_zm": None, "action_variance_from_za": None,
                  "action_variance_from_zm": None},
}


def washed_out_fraction(videos, threshold=0.15):
    b = videos.float().mean((1, 3, 4))
    outlier = (b - b.median(dim=1, keepdim=True).values).abs() > threshold
    return float(outlier.any(1).float().mean())


def test_reference_solutions_pass(capsys):
    check_ex1(fixed_share)
    check_ex2(PREDICTED)
    check_ex3(washed_out_fraction)
    assert capsys.readouterr().out.count("correct") == 3


def test_ex1_names_the_planted_bug():
    with pytest.raises(ExerciseFailed, match="planted bug"):
        check_ex1(buggy_share)


def _share_with(within_df, between_df):
    def share(probs):
        g, k = probs.shape[:2]
        p = probs.double()
        mean = p.mean(1)
        msw = float((p - mean[:, None]).square().sum()) / within_df(g, k)
        msb = k * float((mean - mean.mean(0)).square().sum()) / between_df(g, k)
        return msw / (msw + (msb - msw) / k)
    return share


@pytest.mark.parametrize(("wrong", "message"), [
    (_share_with(lambda g, k: g * (k - 1), lambda g, k: g), "G − 1 degrees"),
    (_share_with(lambda g, k: g * k, lambda g, k: g - 1), r"G\(K − 1\) degrees"),
])
def test_ex1_names_wrong_degrees_of_freedom(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex1(wrong)


def test_ex1_names_msw_over_msb():
    def ratio(probs):
        g, k = probs.shape[:2]
        p = probs.double()
        mean = p.mean(1)
        msw = float((p - mean[:, None]).square().sum()) / (g * (k - 1))
        msb = k * float((mean - mean.mean(0)).square().sum()) / (g - 1)
        return msw / msb

    with pytest.raises(ExerciseFailed, match="MSW / MSB"):
        check_ex1(ratio)


def test_ex2_explains_reading_one_direction():
    wrong = {**PREDICTED, "ignores z_m": {**PREDICTED["ignores z_m"],
                                          "action_variance_from_zm": 1}}
    with pytest.raises(ExerciseFailed, match="(?s)1 of 9.*read the shares together"):
        check_ex2(wrong)


def test_ex2_explains_that_a_collapsed_generator_is_undefined():
    wrong = {**PREDICTED, "one video": dict.fromkeys(PREDICTED["one video"], 0)}
    with pytest.raises(ExerciseFailed, match="(?s)3 of 9.*undefined"):
        check_ex2(wrong)


def test_ex2_rejects_malformed_answers():
    with pytest.raises(ExerciseFailed, match="no prediction"):
        check_ex2({"swapped": PREDICTED["swapped"]})
    with pytest.raises(ExerciseFailed, match="answer 0, 1 or None"):
        check_ex2({**PREDICTED, "swapped": {**PREDICTED["swapped"],
                                            "action_variance_from_zm": 0.5}})
    with pytest.raises(ExerciseFailed, match="keys"):
        check_ex2({**PREDICTED, "swapped": {"appearance_variance_from_zm": 1}})


def test_ex2_accepts_undefined_spelled_as_text_and_near_values():
    spelled = {**PREDICTED, "one video": dict.fromkeys(PREDICTED["one video"], "undefined"),
               "swapped": {"appearance_variance_from_zm": 0.98, "action_variance_from_za": 1.0,
                           "action_variance_from_zm": 0.02}}
    check_ex2(spelled)


def test_ex3_names_the_median_over_the_batch():
    def by_batch(videos, threshold=0.15):
        b = videos.mean((1, 3, 4))
        outlier = (b - b.median(dim=0, keepdim=True).values).abs() > threshold
        return float(outlier.any(1).float().mean())

    with pytest.raises(ExerciseFailed, match="median of the batch"):
        check_ex3(by_batch)


def test_ex3_names_the_mean_over_time():
    def by_mean(videos, threshold=0.15):
        b = videos.mean((1, 3, 4))
        return float(((b - b.mean(1, keepdim=True)).abs() > threshold).any(1).float().mean())

    with pytest.raises(ExerciseFailed, match="dragged"):
        check_ex3(by_mean)


def test_ex3_names_counting_frames_and_a_missing_absolute_value():
    def frames(videos, threshold=0.15):
        b = videos.mean((1, 3, 4))
        return float(((b - b.median(dim=1, keepdim=True).values).abs() > threshold)
                     .float().mean())

    def brighter(videos, threshold=0.15):
        b = videos.mean((1, 3, 4))
        return float(((b - b.median(dim=1, keepdim=True).values) > threshold).any(1)
                     .float().mean())

    with pytest.raises(ExerciseFailed, match="outlier frames, not of videos"):
        check_ex3(frames)
    with pytest.raises(ExerciseFailed, match="absolute value"):
        check_ex3(brighter)


def test_ex3_names_an_ignored_threshold():
    with pytest.raises(ExerciseFailed, match="threshold"):
        check_ex3(lambda videos, threshold=0.15: washed_out_fraction(videos, 0.15))


def test_checks_do_not_touch_the_global_rng():
    torch.manual_seed(5)
    before = torch.rand(1)
    torch.manual_seed(5)
    check_ex1(fixed_share)
    check_ex3(washed_out_fraction)
    assert torch.equal(torch.rand(1), before)

"""The washed-out-frame measure: real-like videos score 0, one bright frame is found where it is."""

import pytest
import torch

from g3an_edu import Generator
from g3an_edu.metrics.frames import THRESHOLD, frame_outliers, generator_frame_outliers


def steady_videos(b: int = 8, t: int = 16) -> torch.Tensor:
    """Videos ``(B, 3, T, 8, 8)`` whose frames keep their brightness (a moving dot)."""
    videos = torch.full((b, 3, t, 8, 8), -0.5)
    for k in range(t):
        videos[:, :, k, 2, k % 8] = 0.5  # a dot moving along a row
    return videos


def test_steady_videos_have_no_outlier_frame():
    out = frame_outliers(steady_videos())
    assert out["washed_out_fraction"] == 0.0
    assert out["outlier_fraction_by_frame"] == [0.0] * 16


def test_a_washed_out_last_frame_is_counted_at_the_last_frame_only():
    videos = steady_videos()
    videos[:2, :, -1] += 2 * THRESHOLD  # two of eight videos: the last frame washes out
    out = frame_outliers(videos)
    assert out["washed_out_fraction"] == pytest.approx(0.25)
    assert out["outlier_fraction_by_frame"][-1] == pytest.approx(0.25)
    assert sum(out["outlier_fraction_by_frame"][:-1]) == 0.0
    assert out["brightness_by_frame"][-1] > out["brightness_by_frame"][0]


def test_a_change_below_the_threshold_is_not_an_outlier():
    videos = steady_videos()
    videos[:, :, -1] += 0.5 * THRESHOLD
    assert frame_outliers(videos)["washed_out_fraction"] == 0.0


def test_a_colour_break_at_constant_brightness_is_a_colour_outlier_only():
    videos = steady_videos()
    videos[:3, 0, -1] += 2 * THRESHOLD  # red up, green down: the frame's brightness holds
    videos[:3, 1, -1] -= 2 * THRESHOLD
    out = frame_outliers(videos)
    assert out["washed_out_fraction"] == 0.0
    assert out["colour_outlier_fraction"] == pytest.approx(3 / 8)
    assert out["colour_outlier_fraction_by_frame"][-1] == pytest.approx(3 / 8)
    assert sum(out["colour_outlier_fraction_by_frame"][:-1]) == 0.0


def test_every_washed_out_frame_is_also_a_colour_outlier():
    videos = steady_videos()
    videos[:2, :, 5] += 2 * THRESHOLD
    out = frame_outliers(videos)
    assert out["washed_out_fraction"] == out["colour_outlier_fraction"] == pytest.approx(0.25)
    assert out["colour_outlier_fraction_by_frame"] == out["outlier_fraction_by_frame"]


def test_a_frame_that_dissolves_at_constant_means_shows_as_a_jump_into_it():
    videos = steady_videos()
    checker = (torch.arange(8)[:, None] + torch.arange(8)).remainder(2) * 2.0 - 1  # mean 0
    videos[:, :, -1] = videos[:, :, -2] + 0.3 * checker  # noise at unchanged channel means
    out = frame_outliers(videos)
    assert out["washed_out_fraction"] == out["colour_outlier_fraction"] == 0.0
    assert len(out["jump_ratio_by_frame"]) == 15
    assert out["jump_ratio_by_frame"][:-1] == pytest.approx([1.0] * 14)  # smooth until then
    assert out["last_jump_ratio"] == out["jump_ratio_by_frame"][-1] > 1.5


def test_a_still_video_does_not_divide_by_zero():
    out = frame_outliers(torch.zeros(2, 3, 16, 8, 8))
    assert out["jump_ratio_by_frame"] == [0.0] * 15 and out["last_jump_ratio"] == 0.0


def test_wrong_shape_names_the_expected_layout():
    with pytest.raises(ValueError, match=r"\(B, C, T, H, W\)"):
        frame_outliers(torch.zeros(3, 16, 8, 8))


def test_generator_measure_is_seeded_and_leaves_the_callers_rng_alone():
    torch.manual_seed(0)
    g = Generator(ch=4, resolution=32).eval()
    state = torch.random.get_rng_state()
    a = generator_frame_outliers(g, length=1, n=6, seed=3, batch=4)
    assert torch.equal(state, torch.random.get_rng_state())
    assert a == generator_frame_outliers(g, length=1, n=6, seed=3, batch=4)
    assert len(a["outlier_fraction_by_frame"]) == 16

"""The two discriminators: shapes, parameter parity, random frames, bad input."""

import pytest
import torch

from g3an_edu import ImageDiscriminator, VideoDiscriminator
from g3an_edu.discriminators import random_frames


def count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


@pytest.mark.parametrize("ch, dv, di", [(64, 8_347_009, 2_764_737), (32, 2_088_641, 694_241),
                                        (16, 523_105, 175_089)])
def test_parameter_counts_equal_the_authors(ch, dv, di):
    assert count(VideoDiscriminator(ch=ch)) == dv
    assert count(ImageDiscriminator(ch=ch)) == di


@pytest.mark.parametrize("resolution", [32, 64, 128])
def test_one_logit_per_video_and_per_frame(resolution):
    video = torch.randn(3, 3, 16, resolution, resolution)
    assert VideoDiscriminator(ch=4, resolution=resolution)(video).shape == (3,)
    assert ImageDiscriminator(ch=4, resolution=resolution)(video[:, :, 0]).shape == (3,)


def test_video_discriminator_reduces_16_frames_to_exactly_one_time_position():
    dv = VideoDiscriminator(ch=4)
    assert dv.min_frames == 16
    assert dv.net(torch.randn(1, 3, 16, 64, 64)).shape == (1, 1, 1, 1, 1)


def test_video_discriminator_averages_logits_over_longer_clips():
    dv = VideoDiscriminator(ch=4).eval()
    video = torch.randn(2, 3, 20, 64, 64)
    with torch.no_grad():
        per_position = dv.net(video).flatten(1)  # (2, 5)
        torch.testing.assert_close(dv(video), per_position.mean(1))
    assert per_position.shape == (2, 5)


def test_discriminator_gradients_reach_every_parameter():
    for d, x in [(VideoDiscriminator(ch=4), torch.randn(2, 3, 16, 64, 64)),
                 (ImageDiscriminator(ch=4), torch.randn(2, 3, 64, 64))]:
        d(x).sum().backward()
        for name, p in d.named_parameters():
            assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_random_frames_picks_one_real_frame_of_each_video():
    video = torch.arange(2 * 5, dtype=torch.float32).reshape(2, 1, 5, 1, 1).expand(2, 3, 5, 4, 4)
    frames = random_frames(video, torch.Generator().manual_seed(0))
    assert frames.shape == (2, 3, 4, 4)
    for b in range(2):
        t = int(frames[b, 0, 0, 0].item()) - 5 * b
        assert 0 <= t < 5
        assert torch.equal(frames[b], video[b, :, t])


def test_random_frames_is_seeded():
    video = torch.randn(8, 3, 16, 4, 4)
    a = random_frames(video, torch.Generator().manual_seed(3))
    b = random_frames(video, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


@pytest.mark.parametrize(
    "make, x, message",
    [
        (lambda: VideoDiscriminator(ch=4), torch.randn(2, 3, 64, 64), "5 dimensions"),
        (lambda: VideoDiscriminator(ch=4), torch.randn(2, 3, 16, 32, 32), "expected 64"),
        (lambda: VideoDiscriminator(ch=4), torch.randn(2, 3, 8, 64, 64), "at least 16 frames"),
        (lambda: VideoDiscriminator(ch=4), torch.randn(2, 1, 16, 64, 64), "expected 3"),
        (lambda: ImageDiscriminator(ch=4), torch.randn(2, 3, 16, 64, 64), "4 dimensions"),
        (lambda: ImageDiscriminator(ch=4), torch.randn(2, 3, 32, 32), "expected 64"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_problem(make, x, message):
    with pytest.raises(ValueError, match=message):
        make()(x)


def test_unsupported_resolution_is_refused():
    with pytest.raises(ValueError, match="resolution"):
        VideoDiscriminator(resolution=96)
    with pytest.raises(ValueError, match="resolution"):
        ImageDiscriminator(resolution=16)

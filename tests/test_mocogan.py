"""MoCoGAN baseline: shapes, gradients, causality of the motion GRU, parameter budget."""

import pytest
import torch

from g3an_edu import Generator
from g3an_edu.baselines import MoCoGANGenerator, count_parameters, matched_width
from g3an_edu.discriminators import ImageDiscriminator, VideoDiscriminator, random_frames

# (G3AN width, resolution, MoCoGAN width) of each tier's preset: tiny, cpu, colab, paper.
TIER_WIDTHS = [(8, 32, 35), (16, 32, 79), (32, 64, 83), (64, 64, 173)]


@pytest.mark.parametrize("length,frames", [(1, 16), (2, 20)])
def test_mocogan_makes_g3an_shaped_videos(length, frames):
    g = MoCoGANGenerator(ch=4, resolution=32)
    z_a, z_m = g.sample_noise(3, length)
    assert z_m.shape == (3, 10, frames)
    video = g(z_a, z_m)
    assert video.shape == (3, 3, frames, 32, 32)
    assert video.abs().max() <= 1


def test_mocogan_64_pixels():
    g = MoCoGANGenerator(ch=2, resolution=64)
    assert g(*g.sample_noise(2)).shape == (2, 3, 16, 64, 64)


def test_mocogan_gradients_reach_gru_and_image_generator_through_both_discriminators():
    torch.manual_seed(0)
    g = MoCoGANGenerator(ch=4, resolution=32)
    dv, di = VideoDiscriminator(ch=4, resolution=32), ImageDiscriminator(ch=4, resolution=32)
    video = g(*g.sample_noise(2))
    loss = dv(video).mean() + di(random_frames(video, torch.Generator().manual_seed(0))).mean()
    loss.backward()
    for name, p in g.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_mocogan_motion_is_causal_and_content_is_shared():
    # Changing the noise of frame 5 leaves frames 0-4 as they were and changes frame 5 on.
    torch.manual_seed(0)
    g = MoCoGANGenerator(ch=4, resolution=32).eval()
    z_a, z_m = g.sample_noise(2)
    z_m2 = z_m.clone()
    z_m2[:, :, 5] += 1.0
    with torch.no_grad():
        a, b = g(z_a, z_m), g(z_a, z_m2)
    torch.testing.assert_close(a[:, :, :5], b[:, :, :5])
    assert (a[:, :, 5:] - b[:, :, 5:]).abs().amax(dim=(0, 1, 3, 4)).min() > 0


def test_mocogan_rejects_wrong_noise_shapes():
    g = MoCoGANGenerator(ch=4, resolution=32)
    with pytest.raises(ValueError, match="z_m"):
        g(torch.randn(2, 128), torch.randn(2, 7, 16))
    with pytest.raises(ValueError, match="length"):
        g.sample_noise(2, 0)


@pytest.mark.parametrize("g3an_ch,resolution,moco_ch", TIER_WIDTHS)
def test_mocogan_matches_g3an_parameter_count_within_20_percent(g3an_ch, resolution, moco_ch):
    with torch.device("meta"):  # shapes only: no memory, no initialisation time
        target = count_parameters(Generator(ch=g3an_ch, resolution=resolution))
        moco = count_parameters(MoCoGANGenerator(ch=moco_ch, resolution=resolution))
    assert abs(moco - target) / target < 0.2, (moco, target)


def test_matched_width_finds_the_closest_width():
    target = count_parameters(Generator(ch=8, resolution=32))
    ch = matched_width(target, 32)
    sizes = {c: count_parameters(MoCoGANGenerator(ch=c, resolution=32)) for c in (ch - 1, ch,
                                                                                   ch + 1)}
    assert min(sizes, key=lambda c: abs(sizes[c] - target)) == ch

"""MoCoGAN baseline: shapes, gradients, causality of the motion GRU, parameter budget."""

import pytest
import torch

from g3an_edu import Generator
from g3an_edu.baselines import MoCoGANGenerator, count_parameters, matched_width
from g3an_edu.config import load_config
from g3an_edu.discriminators import ImageDiscriminator, VideoDiscriminator, random_frames
from g3an_edu.models import build_models, load_generator
from g3an_edu.train import train

# g3an_edu/configs/<tier>.toml and mocogan-<tier>.toml must match in parameter count.
TIERS = ("tiny", "cpu", "colab", "paper")


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


def test_matched_width_finds_the_closest_width():
    target = count_parameters(Generator(ch=8, resolution=32))
    ch = matched_width(target, 32)
    sizes = {c: count_parameters(MoCoGANGenerator(ch=c, resolution=32)) for c in (ch - 1, ch,
                                                                                   ch + 1)}
    assert min(sizes, key=lambda c: abs(sizes[c] - target)) == ch


@pytest.mark.parametrize("tier", TIERS)
def test_mocogan_presets_match_the_g3an_presets_parameter_count_within_20_percent(tier):
    g3an_config, moco_config = load_config(tier), load_config(f"mocogan-{tier}")
    assert (moco_config.arch, g3an_config.arch) == ("mocogan", "g3an")
    for key in ("resolution", "dv_ch", "di_ch", "batch", "lr_g", "lr_d", "steps", "length"):
        assert getattr(moco_config, key) == getattr(g3an_config, key), key
    with torch.device("meta"):
        g3an, dv, di = build_models(g3an_config)
        moco, moco_dv, moco_di = build_models(moco_config)
    assert isinstance(moco, MoCoGANGenerator)
    target = count_parameters(g3an)
    assert abs(count_parameters(moco) - target) / target < 0.2
    assert count_parameters(moco_dv) == count_parameters(dv)  # the same discriminators
    assert count_parameters(moco_di) == count_parameters(di)


def test_mocogan_trains_and_resumes_through_the_trainer(tmp_path):
    cfg = load_config("mocogan-tiny", {"steps": 2, "sample_every": 0, "batch": 2})
    train(cfg, tmp_path, progress=False)
    result = train(cfg, tmp_path, steps=3, progress=False)  # resumes at step 2
    assert result.step == 3
    g, loaded = load_generator(tmp_path)
    assert loaded.arch == "mocogan" and isinstance(g, MoCoGANGenerator)
    assert g(*g.sample_noise(1)).shape == (1, 3, 16, 32, 32)

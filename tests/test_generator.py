"""The generator: shapes, the length rule, gradients, parameter parity, determinism, bad input."""

import pytest
import torch

from g3an_edu import Generator, frames_for_length
from g3an_edu.transposed_conv import MODES


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("resolution", [32, 64, 128])
def test_output_shape_and_range_for_every_mode_and_resolution(mode, resolution):
    g = Generator(ch=4, mode=mode, resolution=resolution).eval()
    z_a, z_m = g.sample_noise(2, 1)
    with torch.no_grad():
        video = g(z_a, z_m)
    assert video.shape == (2, 3, 16, resolution, resolution)
    assert video.min() >= -1 and video.max() <= 1


@pytest.mark.parametrize("length, frames", [(1, 16), (2, 20), (3, 24), (4, 28), (7, 40)])
def test_motion_length_gives_four_times_length_plus_three_frames(length, frames):
    g = Generator(ch=4, resolution=32).eval()
    with torch.no_grad():
        video = g(*g.sample_noise(1, length))
    assert frames_for_length(length) == frames
    assert video.shape == (1, 3, frames, 32, 32)


@pytest.mark.parametrize("mode", MODES)
def test_gradients_reach_every_parameter(mode):
    g = Generator(ch=4, mode=mode, resolution=32)
    with torch.no_grad():  # gamma = 0 at init would block the attention projections' gradients
        g.fsa.temporal.gamma.fill_(0.5)
        g.fsa.spatial.gamma.fill_(0.5)
    g(*g.sample_noise(2, 1)).square().mean().backward()
    for name, p in g.named_parameters():
        assert p.grad is not None, f"{name} got no gradient"
        assert p.grad.abs().sum() > 0, f"{name} got an all-zero gradient"


# Trainable parameter counts of the authors' modules (shared/reference/g3an.md).
@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(ch=64), 23_090_437),
        (dict(ch=32), 6_115_973),
        (dict(ch=16), 1_700_677),
        (dict(ch=64, attention=False), 22_925_955),
        (dict(ch=64, mode="2p1d"), 27_219_205),
        (dict(ch=64, mode="3d"), 65_975_237),
    ],
)
def test_parameter_count_equals_the_authors(kwargs, expected):
    assert count(Generator(**kwargs)) == expected


def test_parameter_count_per_block_equals_the_authors():
    g = Generator(ch=64)
    blocks = [count(b) for b in g.blocks]
    assert blocks == [5_552_128, 11_540_480, 4_721_664, 886_272, 221_952]
    assert count(g.fsa) == 164_482
    assert count(g.to_rgb) == 3_459


def test_attention_sits_on_block_4_at_64_pixels_and_is_optional():
    assert Generator(ch=4).attention_after == 3  # 0-based: block 4, 32×32 features
    assert Generator(ch=4, resolution=32).attention_after == 2  # block 3, 16×16
    assert Generator(ch=4, resolution=128).attention_after == 3
    assert Generator(ch=4, attention=False).fsa is None


def test_seeded_construction_and_forward_are_deterministic():
    def run():
        torch.manual_seed(123)
        g = Generator(ch=4, resolution=32)
        return g(*g.sample_noise(2, 2))

    torch.testing.assert_close(run(), run(), rtol=0, atol=0)


def test_sample_noise_shapes_and_generator_seed():
    g = Generator(ch=4, dim_za=7, dim_zm=3, resolution=32)
    z_a, z_m = g.sample_noise(5, 2, generator=torch.Generator().manual_seed(1))
    assert z_a.shape == (5, 7) and z_m.shape == (5, 3, 2)
    z_a2, _ = g.sample_noise(5, 2, generator=torch.Generator().manual_seed(1))
    assert torch.equal(z_a, z_a2)


@pytest.mark.parametrize(
    "z_a, z_m, message",
    [
        (torch.randn(2, 128, 1, 1, 1), torch.randn(2, 10, 1), "z_a .* must have 2 dimensions"),
        (torch.randn(2, 100), torch.randn(2, 10, 1), r"dimension 1 is 100, expected 128"),
        (torch.randn(2, 128), torch.randn(2, 10), "z_m .* must have 3 dimensions"),
        (torch.randn(2, 128), torch.randn(2, 9, 1), r"dimension 1 is 9, expected 10"),
        (torch.randn(2, 128), torch.randn(3, 10, 1), r"dimension 0 is 3, expected 2"),
        (torch.randn(2, 128), torch.randn(2, 10, 0), "length L must be ≥ 1"),
        (torch.zeros(2, 128, dtype=torch.long), torch.randn(2, 10, 1), "floating-point"),
    ],
)
def test_bad_latents_raise_a_value_error_naming_the_problem(z_a, z_m, message):
    g = Generator(ch=4, resolution=32)
    with pytest.raises(ValueError, match=message):
        g(z_a, z_m)


def test_unknown_mode_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'1p2d', '2p1d', '3d'"):
        Generator(mode="2d")


def test_unsupported_resolution_lists_the_valid_ones():
    with pytest.raises(ValueError, match="resolution 48.*32, 64, 128"):
        Generator(resolution=48)


def test_sample_noise_rejects_length_zero():
    with pytest.raises(ValueError, match="L must be ≥ 1"):
        Generator(ch=4, resolution=32).sample_noise(1, 0)

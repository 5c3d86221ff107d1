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


def _authors_reference():
    """``benchmarks/authors_reference.py``: the authors' module structure (benchmark code)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "benchmarks" / "authors_reference.py"
    spec = importlib.util.spec_from_file_location("authors_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_to_rgb_spectral_norm_is_an_option_off_like_the_authors_on_by_default():
    from torch.nn.utils import parametrize

    default, plain = Generator(ch=4), Generator(ch=4, to_rgb_spectral_norm=False)
    assert parametrize.is_parametrized(default.to_rgb)  # what the shipped models have
    assert not parametrize.is_parametrized(plain.to_rgb)  # the authors' plain Conv3d
    assert isinstance(plain.to_rgb, torch.nn.Conv3d)
    # the blocks and F-SA keep their spectral norm either way
    assert parametrize.is_parametrized(plain.blocks[0].spatial[0])
    n_sn = lambda g: sum(parametrize.is_parametrized(m) for m in g.modules())  # noqa: E731
    assert n_sn(default) - n_sn(plain) == 1
    assert count(default) == count(plain)  # spectral norm adds buffers, not parameters
    assert "to_rgb.weight" in plain.state_dict()
    assert "to_rgb.parametrizations.weight.original" in default.state_dict()


def test_without_to_rgb_spectral_norm_the_structure_equals_the_authors_reference():
    ref = _authors_reference().AuthorsGenerator(ch=8)
    ours = Generator(ch=8, to_rgb_spectral_norm=False)
    assert count(ours) == count(ref)
    assert count(ours.to_rgb) == count(ref.to_rgb)
    assert isinstance(ref.to_rgb[0], torch.nn.Conv3d) and type(ours.to_rgb) is type(ref.to_rgb[0])
    assert ours.to_rgb.weight.shape == ref.to_rgb[0].weight.shape
    # with the same weights, our to_rgb computes the authors' (no division by σ)
    ours.to_rgb.load_state_dict(ref.to_rgb[0].state_dict())
    x = torch.randn(1, 16, 2, 5, 5, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(torch.tanh(ours.to_rgb(x)), ref.to_rgb(x))


def test_the_config_key_reaches_the_generator_and_old_configs_default_to_true():
    from g3an_edu.config import config_from_dict, load_config
    from g3an_edu.models import build_generator

    assert config_from_dict({}).to_rgb_spectral_norm  # checkpoints written before the key
    g = build_generator(load_config("tiny", ["to_rgb_spectral_norm=false"]))
    assert isinstance(g.to_rgb, torch.nn.Conv3d) and "to_rgb.weight" in g.state_dict()

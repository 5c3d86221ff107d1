"""The study's departures from the paper: each a config key, off by default, doing what its
docstring says (docs/STUDY.md reports what they do to training)."""

import copy
import json

import pytest
import torch

from g3an_edu import Generator, VideoDiscriminator
from g3an_edu.baselines import count_parameters
from g3an_edu.config import load_config
from g3an_edu.g3 import G3Module
from g3an_edu.models import build_models


def small(**kwargs) -> Generator:
    return Generator(dim_za=16, dim_zm=4, ch=8, resolution=32, attention=False, **kwargs).eval()


def test_defaults_are_the_paper_and_departures_keep_the_parameter_count():
    paper = count_parameters(small())
    assert count_parameters(small(zm_in_video=False, temporal_zero_mean=True)) == paper
    config = load_config("tiny")
    assert config.zm_in_video and not config.temporal_zero_mean and not config.dv_time_padding
    dv = count_parameters(VideoDiscriminator(8, 32))
    assert count_parameters(VideoDiscriminator(8, 32, time_padding=True)) == dv


def test_without_zm_in_the_video_stream_motion_enters_only_through_the_temporal_stream():
    torch.manual_seed(0)
    g = small(zm_in_video=False)
    z_a, z_m = g.sample_noise(2, 1)
    seen = {}
    block1 = g.blocks[0]

    def keep_input(module, inputs, output) -> None:
        seen["in"] = inputs[0]  # (B, dim_za + dim_zm, L, 1, 1)

    hook = block1.video.register_forward_hook(keep_input)
    g(z_a, z_m)
    hook.remove()
    assert torch.equal(seen["in"][:, 16:], torch.zeros_like(seen["in"][:, 16:]))  # z_m slots
    assert torch.equal(seen["in"][:, :16, 0, 0, 0], z_a)


def test_temporal_zero_mean_fusion_adds_no_constant_over_time():
    torch.manual_seed(0)
    block = G3Module(4, 8, 4, 6, temporal_zero_mean=True, k_t=4, s_t=1).eval()
    h_s, h_v = torch.randn(2, 4, 1, 3, 3), torch.zeros(2, 8, 1, 3, 3)
    h_t = torch.randn(2, 4, 1, 1, 1)
    with torch.no_grad():
        ref = G3Module(4, 8, 4, 6, k_t=4, s_t=1).eval()
        ref.load_state_dict(block.state_dict())
        _, fused, t_out = block(h_s, h_v, h_t)
        _, fused_ref, t_ref = ref(h_s, h_v, h_t)
    motion = fused[:, 6:] - fused_ref[:, 6:]  # difference = minus the temporal mean
    assert torch.allclose(motion, -t_ref.mean(2, keepdim=True).expand_as(motion), atol=1e-6)
    assert torch.equal(t_out, t_ref)  # the temporal stream itself goes on unchanged
    assert torch.equal(fused[:, :6], fused_ref[:, :6])  # appearance half untouched


@pytest.mark.parametrize("resolution", [32, 64])
def test_padded_time_convs_give_edge_frames_a_fair_share_of_the_gradient(resolution):
    torch.manual_seed(0)
    share = {}
    for pad in (False, True):
        dv = VideoDiscriminator(8, resolution, time_padding=pad)
        x = torch.randn(4, 3, 16, resolution, resolution, requires_grad=True)
        dv(x).sum().backward()
        grad = x.grad.abs().mean((0, 1, 3, 4))  # (T,)
        share[pad] = (grad[[0, -1]] / grad.max()).min().item()
    assert share[False] < 0.15 < 0.5 < share[True]


def test_padded_dv_accepts_any_clip_length_and_a_pair_of_clips():
    dv = VideoDiscriminator(8, 32, time_padding=True)
    assert dv.min_frames == 1
    assert dv(torch.randn(2, 3, 5, 32, 32)).shape == (2,)
    pair = VideoDiscriminator(8, 32, channels=6)
    assert pair(torch.randn(2, 6, 16, 32, 32)).shape == (2,)
    with pytest.raises(ValueError, match="video"):
        pair(torch.randn(2, 3, 16, 32, 32))


def test_static_video_start_leaves_motion_to_z_m_alone():
    torch.manual_seed(0)
    kwargs = {"zm_in_video": False, "temporal_zero_mean": True}
    g = small(static_video_start=True, **kwargs)
    paper_like = small(**kwargs)
    paper_like.load_state_dict(g.state_dict())  # same parameters: only the forward differs
    assert count_parameters(g) == count_parameters(small())
    seen = {}
    hook = g.blocks[0].register_forward_hook(lambda m, i, out: seen.update(h_v=out[1]))
    z_a, z_m = g.sample_noise(3, 1)
    with torch.no_grad():
        g(z_a, z_m)
        h_v = seen["h_v"]  # (B, 2C, 4, 4, 4): appearance half, then video + zero-mean motion
        c = h_v.shape[1] // 2
        video_mean = h_v[:, c:].mean(2, keepdim=True)
        # with z_m's zero-mean motion taken out, block 1's video features are equal in time
        z_m0 = torch.zeros_like(z_m)
        g(z_a, z_m0)
        hook.remove()
        still = seen["h_v"][:, c:]
        motion = h_v[:, c:] - still
        assert torch.allclose(still, still[:, :, :1].expand_as(still), atol=1e-6)
        assert torch.allclose(motion.mean(2), torch.zeros_like(motion.mean(2)), atol=1e-5)
        assert not torch.allclose(motion, torch.zeros_like(motion))  # z_m moves it
        assert video_mean.shape == (3, c, 1, 4, 4)
        # the paper's block 1 turns z_a alone into a 4-frame pattern
        hook = paper_like.blocks[0].register_forward_hook(
            lambda m, i, out: seen.update(h_v=out[1]))
        paper_like(z_a, z_m0)
        hook.remove()
        moving = seen["h_v"][:, c:]
        assert not torch.allclose(moving, moving[:, :, :1].expand_as(moving), atol=1e-3)


def test_departure_keys_reach_the_built_models():
    config = load_config("tiny", ["zm_in_video=false", "temporal_zero_mean=true",
                                  "dv_time_padding=true", "static_video_start=true"])
    g, dv, _ = build_models(config)
    assert not g.zm_in_video and all(b.temporal_zero_mean for b in g.blocks)
    assert g.blocks[0].static_video and not any(b.static_video for b in g.blocks[1:])
    assert dv.min_frames == 1


# ----------------------------------------------------------------------------- objective


def test_hinge_and_di_weight_compute_what_the_docstring_says():
    import torch.nn.functional as F

    from g3an_edu.objective import Objective, discriminator_loss, generator_loss

    class Fixed(torch.nn.Module):  # logits = the mean of each input, so the loss is exact
        def forward(self, x):
            return x.flatten(1).mean(1)

    real = torch.full((2, 3, 16, 32, 32), 0.5)
    fake = torch.full((2, 3, 16, 32, 32), -0.25)
    rng = torch.Generator().manual_seed(0)
    hinge = Objective(loss="hinge", di_weight=0.5)
    loss, _ = discriminator_loss(Fixed(), Fixed(), real, fake, rng, hinge)
    per_net = F.relu(torch.tensor(1 - 0.5)) + F.relu(torch.tensor(1 - 0.25))
    assert loss.item() == pytest.approx((1 + 0.5) * per_net.item())
    g_loss = generator_loss(Fixed(), Fixed(), fake, rng, hinge)
    assert g_loss.item() == pytest.approx(1.5 * 0.25)
    bce = generator_loss(Fixed(), Fixed(), fake, rng, Objective(di_weight=0.0))
    assert bce.item() == pytest.approx(F.softplus(torch.tensor(0.25)).item())


def test_d_steps_updates_the_discriminators_that_many_times_per_generator_step():
    from g3an_edu.objective import Objective, train_step
    from g3an_edu.train import TrainState

    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=2", "attention=false"])
    state = TrainState.create(config, torch.device("cpu"))
    real = torch.zeros(2, 3, 16, 32, 32)
    train_step(state.g, state.dv, state.di, state.opt_g, state.opt_d, real,
               torch.Generator().manual_seed(0), objective=Objective(d_steps=3))
    step_of = lambda opt: int(next(iter(opt.state.values()))["step"])  # noqa: E731
    assert (step_of(state.opt_d), step_of(state.opt_g)) == (3, 1)


def test_fake_pairs_share_z_a_and_real_pairs_share_the_look():
    from g3an_edu.data import SyntheticActions
    from g3an_edu.data_source import batch_indices, pair_batch
    from g3an_edu.objective import pair_up, shared_first_half

    z_a = torch.arange(10.0).reshape(5, 2)
    assert shared_first_half(z_a)[:, 0].tolist() == [0, 2, 0, 2, 8]  # odd batch: last unpaired
    videos = torch.arange(4.0)[:, None, None, None, None].expand(4, 3, 2, 1, 1)
    assert pair_up(videos)[:, [0, 3], 0, 0, 0].tolist() == [[0, 2], [1, 3]]

    for kind in ("same_person", "same_video"):
        config = load_config("tiny", [f"pair_real={kind}", "pair_weight=1", "batch=4"])
        ds = SyntheticActions(size=32, frames=16, seed=config.data_seed)
        idx = batch_indices(5, 4, len(ds), config.data_seed)
        real = ds.batch(idx)["video"]
        pairs = pair_batch(ds, config, 5, real)
        assert pairs.shape == (2, 6, 16, 32, 32)
        assert torch.equal(pairs[:, :3], real[:2])
        assert torch.equal(pairs, pair_batch(ds, config, 5, real))  # a function of the step
        assert not torch.equal(pairs[:, 3:], pairs[:, :3])  # another clip...
        corner = pairs[:, :, :, 0, 0]  # (2, 6, T): the background pixel
        assert torch.allclose(corner[:, :3], corner[:, 3:])  # ...of the same look


def test_pair_discriminator_is_trained_saved_and_resumed(tmp_path):
    from g3an_edu import checkpoint as ckpt
    from g3an_edu.train import train

    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=2", "attention=false",
                                  "pair_weight=1", "steps=2", "sample_every=0",
                                  "checkpoint_every=1", "log_every=1"])
    train(config, tmp_path / "once", device="cpu", progress=False)
    train(config, tmp_path / "twice", steps=1, device="cpu", progress=False)
    train(config, tmp_path / "twice", device="cpu", progress=False)
    once, _ = ckpt.load_checkpoint(tmp_path / "once")
    twice, _ = ckpt.load_checkpoint(tmp_path / "twice")
    assert any(k.startswith("dp.") for k in once)
    assert once.keys() == twice.keys() and all(torch.equal(once[k], twice[k]) for k in once)
    with pytest.raises(ValueError, match="even batch"):
        load_config("tiny", ["pair_weight=1", "batch=3"])


def test_same_motion_pairs_share_the_motion_and_fakes_share_z_m():
    from g3an_edu.data import SyntheticActions
    from g3an_edu.data_source import batch_indices, pair_batch
    from g3an_edu.objective import Objective

    config = load_config("tiny", ["pair_real=same_motion", "pair_weight=1", "batch=4"])
    assert Objective.from_config(config).pair_shares == "z_m"
    assert Objective.from_config(load_config("tiny", ["pair_weight=1"])).pair_shares == "z_a"
    ds = SyntheticActions(size=32, frames=16, seed=config.data_seed)
    idx = batch_indices(5, 4, len(ds), config.data_seed)
    real = ds.batch(idx)["video"]
    pairs = pair_batch(ds, config, 5, real)
    assert torch.equal(pairs[:, :3], real[:2])
    other = batch_indices(5, 4, len(ds), config.data_seed + 1)[:2]
    looks, _ = ds.factors(other)
    _, motion = ds.factors(idx[:2])
    assert torch.equal(pairs[:, 3:], ds.render(looks, motion))  # their looks, our motion


def test_fake_pairs_share_the_code_the_objective_names():
    from g3an_edu.objective import Objective, train_step
    from g3an_edu.train import TrainState

    seen = []
    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=4", "attention=false",
                                  "pair_weight=1", "pair_arch=siamese"])
    state = TrainState.create(config, torch.device("cpu"))
    real = torch.zeros(4, 3, 16, 32, 32)
    hook = state.g.register_forward_pre_hook(lambda m, args: seen.append(args))
    for shares in ("z_a", "z_m"):
        seen.clear()
        train_step(state.g, state.dv, state.di, state.opt_g, state.opt_d, real,
                   torch.Generator().manual_seed(0), dp=state.dp,
                   real_pairs=torch.zeros(2, 6, 16, 32, 32),
                   objective=Objective(pair_weight=1.0, pair_shares=shares))
        z_a, z_m = seen[-1]
        shared, free = (z_a, z_m) if shares == "z_a" else (z_m, z_a)
        assert torch.equal(shared[:2], shared[2:])
        assert not torch.equal(free[:2], free[2:])
    hook.remove()


def test_siamese_pair_discriminator_is_symmetric_and_sees_both_clips():
    from g3an_edu.discriminators import PairDiscriminator
    from g3an_edu.models import build_pair_discriminator

    torch.manual_seed(0)
    dp = PairDiscriminator(ch=8, resolution=32).eval()
    a, b = torch.randn(2, 3, 16, 32, 32), torch.randn(2, 3, 16, 32, 32)
    with torch.no_grad():
        ab, ba = dp(torch.cat([a, b], 1)), dp(torch.cat([b, a], 1))
        assert ab.shape == (2,)
        torch.testing.assert_close(ab, ba)  # the order of the clips does not matter
        assert not torch.allclose(ab, dp(torch.cat([a, a], 1)))  # the second clip counts
    with pytest.raises(ValueError, match="pairs"):
        dp(torch.randn(2, 3, 16, 32, 32))
    config = load_config("tiny", ["pair_weight=1", "pair_arch=siamese", "pair_ch=16"])
    built = build_pair_discriminator(config)
    assert isinstance(built, PairDiscriminator) and built.trunk[0].out_channels == 16
    with pytest.raises(ValueError, match="pair_ch"):
        load_config("tiny", ["pair_ch=-1"])
    with pytest.raises(ValueError, match="pair_arch"):
        load_config("tiny", ["pair_arch=triplet"])


def test_motion_category_is_one_hot_in_z_m_and_recovered_by_q():
    from g3an_edu.code_recovery import MotionCodeRecovery
    from g3an_edu.noise import motion_category, sample_noise

    z_a, z_m = sample_noise(6, 4, 7, 3, torch.Generator().manual_seed(0), classes=5)
    assert z_m.shape == (6, 7, 3)
    one_hot = z_m[:, 2:]  # (6, 5, 3): the last 5 channels
    assert torch.equal(one_hot.sum(1), torch.ones(6, 3))  # one class per video...
    assert torch.equal(one_hot, one_hot[:, :, :1].expand_as(one_hot))  # ...at every step
    assert torch.equal(motion_category(z_m, 5), one_hot[:, :, 0].argmax(1))
    plain_a, plain_m = sample_noise(6, 4, 7, 3, torch.Generator().manual_seed(0))
    assert torch.equal(z_a, plain_a) and torch.equal(z_m[:, :2], plain_m[:, :2])
    with pytest.raises(ValueError, match="dim_zm"):
        sample_noise(2, 4, 5, 1, classes=5)
    q = MotionCodeRecovery(5, ch=8, resolution=32)
    video = torch.randn(2, 3, 16, 32, 32)
    assert q(video).shape == (2, 5)
    still = video[:, :, :1].expand(-1, -1, 16, -1, -1)  # no change over time: Q sees zeros
    torch.testing.assert_close(q(still), q(torch.zeros_like(still)))
    with pytest.raises(ValueError, match="motion_classes"):
        load_config("tiny", ["motion_classes=10"])  # dim_zm 10 leaves no Gaussian channel


def test_info_objective_trains_q_and_g_saves_q_and_resumes_exactly(tmp_path):
    from g3an_edu import checkpoint as ckpt
    from g3an_edu.models import build_generator
    from g3an_edu.train import train

    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=2", "attention=false",
                                  "dim_zm=6", "motion_classes=3", "steps=2", "sample_every=0",
                                  "checkpoint_every=1", "log_every=1"])
    assert build_generator(config).sample_noise(4)[1].shape == (4, 6, 1)
    result = train(config, tmp_path / "once", device="cpu", progress=False)
    rows = [json.loads(line) for line in result.metrics.read_text().splitlines()]
    assert rows and all("info_loss" in row for row in rows)
    train(config, tmp_path / "twice", steps=1, device="cpu", progress=False)
    train(config, tmp_path / "twice", device="cpu", progress=False)
    once, _ = ckpt.load_checkpoint(tmp_path / "once")
    twice, _ = ckpt.load_checkpoint(tmp_path / "twice")
    assert any(k.startswith("dq.") for k in once)
    assert once.keys() == twice.keys()
    assert all(torch.equal(once[k], twice[k]) for k in once)


def test_za_out_of_the_video_stream_keeps_block_1s_motion_a_function_of_z_m():
    config = load_config("tiny", ["za_in_video=false", "attention=false"])
    g = build_models(config)[0].eval()
    paper = build_models(load_config("tiny", ["attention=false"]))[0]
    assert count_parameters(g) == count_parameters(paper)
    seen = []
    g.blocks[0].register_forward_pre_hook(lambda m, args: seen.append(args[1]))  # h_v in
    z_a, z_m = g.sample_noise(2, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        g(z_a, z_m)
        g(torch.randn_like(z_a), z_m)
    assert torch.equal(seen[0], seen[1])  # block 1's video input does not see z_a
    assert torch.count_nonzero(seen[0][:, :g.dim_za]) == 0
    torch.testing.assert_close(seen[0][:, g.dim_za:, :, 0, 0], z_m)


def test_global_appearance_gives_every_position_the_same_spatial_features():
    from g3an_edu.g3 import G3Module

    torch.manual_seed(0)
    block = G3Module(4, 6, 2, 3, k_s=4, k_t=4, spectral_norm=False, spatial_global=True).eval()
    h_s, h_v = torch.randn(2, 4, 1, 1, 1), torch.randn(2, 6, 1, 1, 1)
    h_t = torch.randn(2, 2, 1, 1, 1)
    with torch.no_grad():
        s, v, _ = block(h_s, h_v, h_t)  # v: (2, 6, 4, 4, 4): concat(looks, video + motion)
    looks = v[:, :3]
    assert s.shape == (2, 3, 1, 4, 4) and s.std() > 0  # the stream passed on keeps its layout
    torch.testing.assert_close(looks, s.mean((3, 4), keepdim=True).expand_as(looks))
    config = load_config("tiny", ["appearance_global=true", "za_in_video=false"])
    g = build_models(config)[0]
    assert all(b.spatial_global for b in g.blocks) and not g.za_in_video


def test_video_instance_norm_leaves_the_video_half_without_per_channel_levels():
    from g3an_edu.g3 import G3Module

    torch.manual_seed(0)
    block = G3Module(4, 6, 2, 3, k_s=4, k_t=4, spectral_norm=False, video_instance_norm=True)
    h_s, h_v = torch.randn(2, 4, 1, 1, 1), torch.randn(2, 6, 1, 1, 1)
    with torch.no_grad():
        _, v, _ = block(h_s, h_v, torch.randn(2, 2, 1, 1, 1))  # (2, 6, 4, 4, 4), BN on batch
    video = v[:, 3:].flatten(2)  # (2, 3, T·H·W)
    torch.testing.assert_close(video.mean(2), torch.zeros(2, 3), atol=1e-5, rtol=0)
    torch.testing.assert_close(video.var(2, unbiased=False), torch.ones(2, 3), atol=1e-3, rtol=0)
    assert v[:, :3].abs().mean(2).std() > 0  # the appearance half keeps its levels


def test_appearance_modulation_starts_as_identity_and_then_scales_the_video_half_by_z_a():
    torch.manual_seed(0)
    kwargs = dict(k_s=4, k_t=4, spectral_norm=False, spatial_global=True)
    plain = G3Module(4, 6, 2, 3, **kwargs).eval()
    block = G3Module(4, 6, 2, 3, appearance_modulation=True, **kwargs).eval()
    missing = block.load_state_dict(plain.state_dict(), strict=False).missing_keys
    assert sorted(missing) == ["modulation.bias", "modulation.weight"]
    h_s, h_v = torch.randn(2, 4, 1, 1, 1), torch.randn(2, 6, 1, 1, 1)
    h_t = torch.randn(2, 2, 1, 1, 1)
    with torch.no_grad():
        torch.testing.assert_close(block(h_s, h_v, h_t)[1], plain(h_s, h_v, h_t)[1])  # zero init
    trained = copy.deepcopy(block).train()  # (train mode moves BatchNorm's statistics)
    trained(h_s, h_v, h_t)[1].square().sum().backward()
    assert trained.modulation.weight.grad.abs().sum() > 0  # a zero map still learns
    with torch.no_grad():
        block.modulation.weight.normal_()
        block.modulation.bias.normal_()
        s, v, _ = block(h_s, h_v, h_t)
        _, unmodulated, _ = plain(h_s, h_v, h_t)
        gamma, beta = block.modulation(s.mean((2, 3, 4))).chunk(2, 1)  # (2, 3) each
    expected = unmodulated[:, 3:] * (1 + gamma[..., None, None, None]) + beta[..., None, None, None]
    torch.testing.assert_close(v[:, 3:], expected)
    torch.testing.assert_close(v[:, :3], unmodulated[:, :3])  # the appearance half unchanged
    config = load_config("tiny", ["appearance_modulation=true", "video_instance_norm=true"])
    g = build_models(config)[0]
    assert all(b.modulation is not None and b.video_instance_norm for b in g.blocks)
    assert build_models(load_config("tiny"))[0].blocks[0].modulation is None


def test_appearance_in_the_last_blocks_only_keeps_z_a_out_of_the_blocks_that_make_time():
    torch.manual_seed(0)
    g = small(za_in_video=False, appearance_global=True, appearance_modulation=True,
              appearance_last_blocks=1)
    assert [b.fuse_appearance for b in g.blocks] == [False, False, False, True]
    assert [b.modulation is not None for b in g.blocks] == [False, False, False, True]
    assert count_parameters(g) > count_parameters(small())  # one block's modulation only
    seen = []
    g.blocks[3].register_forward_hook(lambda m, args, out: seen.append(args[1]))  # its h_v
    z_a, z_m = g.sample_noise(3)
    with torch.no_grad():
        g.blocks[3].modulation.weight.normal_()  # so that z_a changes the video at all
        video = g(z_a, z_m)
        other = g(torch.randn_like(z_a), z_m)
    torch.testing.assert_close(seen[0], seen[1])  # blocks 1-3 did not see z_a
    assert (video - other).abs().mean() > 0.05 * video.abs().mean()  # block 4 did
    for bad in (-1, 5, 1.5):
        with pytest.raises(ValueError, match="appearance_last_blocks must be an int in 0..4"):
            small(appearance_last_blocks=bad)
    g = build_models(load_config("tiny", ["appearance_last_blocks=2"]))[0]
    assert [b.fuse_appearance for b in g.blocks] == [False, False, True, True]


def test_layered_output_lets_z_m_draw_only_where_and_z_a_only_what_colour():
    from g3an_edu.layered_output import LayeredOutput

    torch.manual_seed(0)
    g = small(za_in_video=False, layered_output=3)
    assert g.to_rgb is None and isinstance(g.layers, LayeredOutput)
    assert not any(b.fuse_appearance for b in g.blocks)
    seen = []
    g.layers.register_forward_hook(lambda m, args, out: seen.append(args))  # (h_v, h_s)
    z_a, z_m = g.sample_noise(3)
    with torch.no_grad():
        video = g(z_a, z_m)  # (3, 3, 16, 32, 32)
        g(torch.randn_like(z_a), z_m)
        g(z_a, torch.randn_like(z_m))
        masks, colours, background = g.layers.layers(*seen[0])
    assert video.shape == (3, 3, 16, 32, 32) and video.abs().max() <= 1
    torch.testing.assert_close(masks.sum(1), torch.ones(3, 16, 32, 32))
    expected = (masks[:, :3, None] * colours[:, :, :, None, None, None]).sum(1) \
        + masks[:, 3:] * background
    torch.testing.assert_close(video, expected)
    torch.testing.assert_close(seen[1][0], seen[0][0])  # another z_a: the same masks' input
    torch.testing.assert_close(seen[2][1], seen[0][1])  # another z_m: the same colours' input
    assert not torch.allclose(seen[1][1], seen[0][1]) and not torch.allclose(seen[2][0],
                                                                             seen[0][0])
    with pytest.raises(ValueError, match="set za_in_video=false"):
        small(layered_output=3)
    with pytest.raises(ValueError, match="positive number of parts"):
        LayeredOutput(8, 4, 0)
    g = build_models(load_config("tiny", ["za_in_video=false", "layered_output=2"]))[0]
    assert g.layers.parts == 2


def test_a_flat_background_leaves_every_spatial_structure_to_the_masks():
    torch.manual_seed(0)
    g = small(za_in_video=False, layered_output=4, layered_background="colour")
    assert g.layers.background is None
    z_a, z_m = g.sample_noise(2)
    seen = []
    g.layers.register_forward_hook(lambda m, args, out: seen.append(args))
    with torch.no_grad():
        video = g(z_a, z_m)
        masks, colours, background = g.layers.layers(*seen[0])
    assert colours.shape == (2, 4, 3) and background.shape == (2, 3, 1, 1, 1)
    expected = (masks[:, :4, None] * colours[:, :, :, None, None, None]).sum(1) \
        + masks[:, 4:] * background
    torch.testing.assert_close(video, expected)
    with pytest.raises(ValueError, match="layered_background"):
        small(za_in_video=False, layered_output=4, layered_background="photo")


def test_both_pair_kinds_alternate_by_step_with_the_code_the_fakes_share():
    from g3an_edu.data import SyntheticActions
    from g3an_edu.data_source import batch_indices, pair_batch
    from g3an_edu.objective import Objective
    from g3an_edu.train import step_objective

    both = load_config("tiny", ["pair_real=both", "pair_weight=1", "batch=4"])
    objective = Objective.from_config(both)
    assert [step_objective(objective, both, s).pair_shares for s in range(3)] == [
        "z_a", "z_m", "z_a"]
    ds = SyntheticActions(size=32, frames=16, seed=both.data_seed)
    for step, kind in ((4, "same_person"), (5, "same_motion")):
        real = ds.batch(batch_indices(step, 4, len(ds), both.data_seed))["video"]
        one = load_config("tiny", [f"pair_real={kind}", "pair_weight=1", "batch=4"])
        assert torch.equal(pair_batch(ds, both, step, real), pair_batch(ds, one, step, real))


def test_mode_seeking_pairs_share_z_m_and_cross_the_pair_discriminators_pairs():
    from g3an_edu.objective import Objective, seeking_pairs, train_step
    from g3an_edu.train import TrainState

    assert [t.tolist() for t in seeking_pairs(4, False)] == [[0, 1], [2, 3]]
    assert [t.tolist() for t in seeking_pairs(8, True)] == [[0, 1, 4, 5], [2, 3, 6, 7]]
    seen = []
    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=4", "attention=false",
                                  "pair_weight=1", "mode_seeking_weight=1"])
    state = TrainState.create(config, torch.device("cpu"))
    hook = state.g.register_forward_pre_hook(lambda m, args: seen.append(args))
    for paired in (False, True):
        seen.clear()
        out = train_step(state.g, state.dv, state.di, state.opt_g, state.opt_d,
                         torch.zeros(4, 3, 16, 32, 32), torch.Generator().manual_seed(0),
                         dp=state.dp if paired else None,
                         real_pairs=torch.zeros(2, 6, 16, 32, 32) if paired else None,
                         objective=Objective(pair_weight=float(paired),
                                             mode_seeking_weight=1.0))
        z_a, z_m = seen[-1]
        i, j = seeking_pairs(4, paired)
        assert torch.equal(z_m[i], z_m[j]) and not torch.equal(z_a[i], z_a[j])
        if paired:  # the pair discriminator's fakes still share z_a and differ in z_m
            assert torch.equal(z_a[:2], z_a[2:]) and not torch.equal(z_m[:2], z_m[2:])
        assert float(out["seek_ratio"]) > 0
    hook.remove()


def test_mode_seeking_loss_falls_as_the_time_averaged_looks_move_apart_not_the_motion():
    from g3an_edu.objective import mode_seeking_loss

    z_a = torch.tensor([[1.0, 0.0], [0.0, 1.0]])  # one pair, |Δz| = 1 per entry
    still = torch.zeros(2, 3, 4, 2, 2)
    recoloured = still.clone()
    recoloured[1] += 0.5  # the second video is brighter in every frame
    moved = still.clone()
    moved[1, :, 0] += 0.5  # the same mean frame change made by one frame only...
    moved[1, :, 1] -= 0.5  # ...and undone in the next: motion, no change on average
    loss = {name: float(mode_seeking_loss(v, z_a, paired=False)[0])
            for name, v in (("still", still), ("recoloured", recoloured), ("moved", moved))}
    assert loss["recoloured"] == pytest.approx(1 / (0.5 + 1e-5))
    assert loss["moved"] == loss["still"] > loss["recoloured"]
    video = torch.zeros(2, 3, 4, 2, 2, requires_grad=True)
    mode_seeking_loss(video + torch.tensor([0.0, 0.1])[:, None, None, None, None], z_a,
                      paired=False)[0].backward()
    assert video.grad[1].sum() < 0 < video.grad[0].sum()  # pushes the two apart


@pytest.mark.parametrize("overrides", [["mode_seeking_weight=1", "batch=3"],
                                       ["mode_seeking_weight=1", "pair_weight=1", "batch=6"],
                                       ["mode_seeking_weight=1", "pair_weight=1", "batch=4",
                                        "pair_real=same_motion"],
                                       ["mode_seeking_weight=-1"]])
def test_mode_seeking_refuses_a_batch_or_pairs_it_cannot_pair(overrides):
    with pytest.raises(ValueError, match="mode_seeking_weight"):
        load_config("tiny", overrides)


def test_colour_distance_ignores_where_pixels_are_and_sees_their_colours():
    from g3an_edu.objective import colour_distance

    gen = torch.Generator().manual_seed(0)
    video = torch.rand(1, 3, 4, 8, 8, generator=gen) * 2 - 1
    moved = video.flatten(2)[..., torch.randperm(4 * 64, generator=gen)].reshape(video.shape)
    assert not torch.equal(moved, video)
    assert float(colour_distance(video, moved)) == pytest.approx(0.0, abs=1e-7)
    recoloured = video.clone()
    recoloured[:, 0] += 0.3  # the red channel, everywhere
    assert float(colour_distance(video, recoloured)) == pytest.approx(0.3 / 3, rel=1e-5)


def test_colour_ratio_is_low_when_z_m_only_moves_pixels_and_z_a_recolours():
    from g3an_edu.objective import colour_ratio_loss

    gen = torch.Generator().manual_seed(0)
    looks = [torch.rand(3, 2, 4, 4, generator=gen) * 2 - 1 for _ in range(2)]  # two z_a
    perms = [torch.randperm(32, generator=gen) for _ in range(2)]  # two z_m: where pixels go

    def video(a: int, m: int, motion_recolours: bool = False) -> torch.Tensor:
        v = looks[a].flatten(1)[:, perms[m]].reshape(3, 2, 4, 4)
        return v + 0.5 * m if motion_recolours else v

    # crossed 2 × 2 (batch 4): videos b and b + 2 share z_a, videos 0, 1 and 2, 3 share z_m
    order = [(0, 0), (1, 0), (0, 1), (1, 1)]
    good = torch.stack([video(a, m) for a, m in order])
    bad = torch.stack([video(a, m, motion_recolours=True) for a, m in order])
    ratio_good, ratio_bad = float(colour_ratio_loss(good)[0]), float(colour_ratio_loss(bad)[0])
    assert ratio_good == pytest.approx(0.0, abs=1e-5) and ratio_bad > 1.0


def test_colour_ratio_draws_crossed_blocks_and_logs_its_ratio():
    from g3an_edu.objective import Objective, seeking_pairs, train_step
    from g3an_edu.train import TrainState

    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=4", "attention=false",
                                  "colour_ratio_weight=1"])
    state = TrainState.create(config, torch.device("cpu"))
    seen = []
    hook = state.g.register_forward_pre_hook(lambda m, args: seen.append(args))
    out = train_step(state.g, state.dv, state.di, state.opt_g, state.opt_d,
                     torch.zeros(4, 3, 16, 32, 32), torch.Generator().manual_seed(0),
                     objective=Objective.from_config(config))
    hook.remove()
    z_a, z_m = seen[-1]
    i, j = seeking_pairs(4, True)
    assert torch.equal(z_a[:2], z_a[2:]) and not torch.equal(z_m[:2], z_m[2:])
    assert torch.equal(z_m[i], z_m[j]) and not torch.equal(z_a[i], z_a[j])
    assert float(out["colour_ratio"]) > 0 and torch.isfinite(out["g_loss"])


def test_colour_ratio_target_penalises_only_the_ratio_above_it():
    from g3an_edu.objective import colour_ratio_loss

    fake = (torch.rand(4, 3, 2, 4, 4, generator=torch.Generator().manual_seed(0)) * 2 - 1)
    fake.requires_grad_(True)
    plain, ratio = colour_ratio_loss(fake)
    r = ratio.item()
    assert torch.equal(plain, ratio) and r > 0.1  # unrelated videos: ratio ≈ 1
    above, logged = colour_ratio_loss(fake, target=r - 0.1)
    assert above.item() == pytest.approx(0.1, abs=1e-5) and torch.equal(logged, ratio)
    (grad_above,) = torch.autograd.grad(above, fake)
    (grad_plain,) = torch.autograd.grad(plain, fake)
    assert torch.allclose(grad_above, grad_plain)  # above the target: the same push
    below, _ = colour_ratio_loss(fake, target=r + 0.1)
    (grad_below,) = torch.autograd.grad(below, fake)
    assert below.item() == 0.0 and not grad_below.any()  # below it: none
    with pytest.raises(ValueError, match="colour_ratio_target"):
        load_config("tiny", ["colour_ratio_target=-0.1"])


@pytest.mark.parametrize("overrides", [["colour_ratio_weight=1", "batch=6"],
                                       ["colour_ratio_weight=1", "pair_weight=1", "batch=4",
                                        "pair_real=same_motion"],
                                       ["colour_ratio_weight=-1"]])
def test_colour_ratio_refuses_a_batch_or_pairs_it_cannot_cross(overrides):
    with pytest.raises(ValueError, match="colour_ratio_weight"):
        load_config("tiny", overrides)


# ----------------------------------------------------------------------------- DI's edge frames


def test_di_frames_adds_the_first_and_last_frames_and_keeps_the_random_draw():
    from g3an_edu.discriminators import di_frames, random_frames

    video = torch.randn(5, 3, 16, 8, 8)
    plain = random_frames(video, torch.Generator().manual_seed(3))
    assert torch.equal(di_frames(video, torch.Generator().manual_seed(3)), plain)
    both = di_frames(video, torch.Generator().manual_seed(3), edges=True)  # (15, 3, 8, 8)
    assert both.shape == (15, 3, 8, 8)
    assert torch.equal(both[:5], plain)
    assert torch.equal(both[5:10], video[:, :, 0]) and torch.equal(both[10:], video[:, :, -1])


def test_di_edge_frames_averages_dis_terms_over_three_frames():
    import torch.nn.functional as F

    from g3an_edu.objective import Objective, discriminator_loss, generator_loss

    class Fixed(torch.nn.Module):  # logits = the mean of each input, so the loss is exact
        def forward(self, x):
            return x.flatten(1).mean(1)

    fake = torch.zeros(2, 3, 16, 8, 8)
    fake[:, :, -1] = -3.0  # a dark last frame
    edges = Objective(di_edge_frames=True)
    g_loss = generator_loss(Fixed(), Fixed(), fake, torch.Generator().manual_seed(0), edges)
    picked = torch.randint(16, (2,), generator=torch.Generator().manual_seed(0))
    di_logits = torch.cat([torch.where(picked == 15, -3.0, 0.0),  # the random frames
                           torch.zeros(2), torch.full((2,), -3.0)])  # first, last
    dv_logit = torch.tensor(-3.0 / 16)
    want = F.softplus(-dv_logit) + F.softplus(-di_logits).mean()
    assert g_loss.item() == pytest.approx(want.item(), rel=1e-5)
    plain = generator_loss(Fixed(), Fixed(), fake, torch.Generator().manual_seed(0))
    assert g_loss.item() > plain.item()  # only the edge frames show the dark frame every step
    real = torch.zeros(2, 3, 16, 8, 8)
    d_loss, logits = discriminator_loss(Fixed(), Fixed(), real, fake,
                                        torch.Generator().manual_seed(0), edges)
    assert set(logits) == {"dv_real", "dv_fake", "di_real", "di_fake"}
    assert torch.isfinite(d_loss)


def test_di_edge_frames_give_the_first_and_last_frames_a_gradient_of_their_own():
    from g3an_edu.discriminators import ImageDiscriminator
    from g3an_edu.objective import Objective, generator_loss

    torch.manual_seed(0)
    dv, di = VideoDiscriminator(8, 32), ImageDiscriminator(8, 32)
    grads = {}
    for edges in (False, True):
        x = torch.randn(16, 3, 16, 32, 32, requires_grad=True)
        generator_loss(dv, di, x, torch.Generator().manual_seed(0),
                       Objective(di_edge_frames=edges)).backward()
        grads[edges] = x.grad.abs().mean((0, 1, 3, 4))  # (T,)
    middle = grads[True][1:-1].mean()
    assert grads[True][0] > 3 * middle and grads[True][-1] > 3 * middle
    edge_share = lambda g: (g[[0, -1]] / g[1:-1].mean()).min().item()  # noqa: E731
    assert edge_share(grads[False]) < 2 < 3 < edge_share(grads[True])


def test_di_edge_frames_reaches_the_objective_and_trains():
    from g3an_edu.objective import Objective, train_step
    from g3an_edu.train import TrainState

    config = load_config("tiny", ["ch=8", "dv_ch=8", "di_ch=8", "batch=2", "attention=false",
                                  "di_edge_frames=true"])
    assert Objective.from_config(config).di_edge_frames
    assert not Objective.from_config(load_config("tiny")).di_edge_frames
    state = TrainState.create(config, torch.device("cpu"))
    out = train_step(state.g, state.dv, state.di, state.opt_g, state.opt_d,
                     torch.zeros(2, 3, 16, 32, 32), torch.Generator().manual_seed(0),
                     objective=Objective.from_config(config))
    assert all(torch.isfinite(v) for v in out.values())

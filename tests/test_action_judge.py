"""The colour-blind action judge: the recolouring it is trained with, how evaluation uses it,
and the shipped judge's accuracy (``g3an_edu.metrics.recolour``, ``evaluation.INVARIANT_KEYS``).
"""

import pytest
import torch
from _standins import CopyGenerator

from g3an_edu.metrics.disentanglement import GeneratorSource
from g3an_edu.metrics.evaluation import INVARIANT_KEYS, KEYS, evaluate
from g3an_edu.metrics.oracle import Oracle, OracleSpec, load_judge, load_oracle, save_oracle
from g3an_edu.metrics.recolour import recolour


def videos(n=4, t=5, size=8, seed=0):
    return torch.rand(n, 3, t, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


# ----------------------------------------------------------------------------- recolour


def test_recolour_keeps_shape_and_range_and_keep_one_is_the_identity():
    x = videos()
    out = recolour(x, torch.Generator().manual_seed(1), keep=0.0)
    assert out.shape == x.shape and out.abs().max() <= 1
    assert not torch.allclose(out, x)
    assert torch.equal(recolour(x, torch.Generator().manual_seed(1), keep=1.0), x)


def test_recolour_is_one_colour_map_per_video_so_the_motion_is_kept():
    """Equal colours (in any frame of one video) stay equal: a pixel-wise map, the same for
    every frame; two videos with the same pixels get different maps."""
    x = videos(n=2)
    x[:, :, 3] = x[:, :, 0]  # frame 3 repeats frame 0
    x[:, :, :, 0, 0] = x[:, :, :, 5, 5]  # one pixel repeats another in every frame
    x[1] = x[0]  # video 1 is video 0
    out = recolour(x, torch.Generator().manual_seed(2), keep=0.0)
    assert torch.allclose(out[:, :, 3], out[:, :, 0])
    assert torch.allclose(out[:, :, :, 0, 0], out[:, :, :, 5, 5])
    assert not torch.allclose(out[0], out[1])


def test_recolour_is_deterministic_given_the_generator():
    x = videos()
    a = recolour(x, torch.Generator().manual_seed(3))
    b = recolour(x, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def test_recolour_lowers_the_contrast_down_to_min_contrast():
    x = videos(n=64)
    out = recolour(x, torch.Generator().manual_seed(4), keep=0.0, min_contrast=0.05)
    spread = out.flatten(2).std(2).mean(1)  # (B,) per-video colour spread
    assert spread.min() < 0.1 * spread.max()  # some videos are faint


@pytest.mark.parametrize("kwargs, match", [({"keep": 1.5}, "keep is a probability"),
                                           ({"min_contrast": 0.0}, "min_contrast")])
def test_recolour_refuses_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        recolour(videos(), torch.Generator(), **kwargs)


def test_recolour_refuses_a_video_without_three_channels():
    with pytest.raises(ValueError, match="video"):
        recolour(torch.zeros(2, 1, 4, 8, 8), torch.Generator())


# ----------------------------------------------------------------------------- evaluation


def test_a_judge_adds_the_invariant_keys_and_changes_nothing_else(setup):
    ds, real, oracle = setup
    fake = GeneratorSource(CopyGenerator(ds, "shirt_from_motion"))
    kwargs = dict(n=48, n_groups=8, per_group=4, seed=0, n_boot=200, n_boot_fd=2)
    plain = evaluate(oracle, fake, real, **kwargs)
    judged = evaluate(oracle, fake, real, judge=oracle, **kwargs)
    for key in KEYS:
        assert judged[key] == plain[key], key
        assert judged["ci"][key] == plain["ci"][key], key
    for key in INVARIANT_KEYS:
        assert key not in plain and key in judged and key in judged["real"]
    # the oracle as its own judge: the same numbers, and (same resampled groups) intervals
    for key in ("action_variance_from_za", "action_variance_from_zm", "action_kappa"):
        assert judged[f"{key}_invariant"] == pytest.approx(judged[key])
        assert judged["ci"][f"{key}_invariant"] == pytest.approx(judged["ci"][key])


def test_load_judge_refuses_an_oracle_that_reads_the_looks(tmp_path):
    path = save_oracle(Oracle(OracleSpec(factors={"action": 3, "shirt": 2}, size=16)),
                       tmp_path / "o.safetensors")
    with pytest.raises(ValueError, match="--factors action --recolour"):
        load_judge(path)


def test_shipped_judge_reads_the_action_in_clean_and_recoloured_videos():
    judge, info = load_judge()
    assert list(judge.spec.factors) == ["action"] and info["recolour"] is True
    assert info["held_out_accuracy"]["action"] >= 0.85
    assert info["held_out_accuracy_recoloured"]["action"] >= 0.75


def test_judge_reads_one_motion_in_other_colours_as_one_action_where_the_oracle_does_not():
    """Real motion groups (one motion, other figures), every video recoloured: the action's
    share of variance that the appearance causes is the reader's error. The judge's must be
    well below the oracle's (the floor of docs/STUDY.md item L)."""
    from g3an_edu.data import SyntheticActions
    from g3an_edu.metrics.disentanglement import DatasetSource
    from g3an_edu.metrics.grouped import group_metrics, group_stats, identity
    from g3an_edu.metrics.oracle import embed
    from g3an_edu.metrics.real_data import render_pairs_of

    ds = SyntheticActions(size=32, frames=16, seed=0)
    real = DatasetSource(ds, render_pairs_of(ds))
    rng = torch.Generator().manual_seed(0)
    g, k = 12, 6
    clips = real.groups(g, k, "motion", rng).flatten(0, 1)  # (G·K, 3, T, 32, 32)
    clips = recolour(clips, rng, keep=0.0, min_contrast=0.3)
    shares = {}
    for name, reader in (("oracle", load_oracle()[0]), ("judge", load_judge()[0])):
        stats = group_stats(embed(reader, clips), g, k, ())
        one = identity(g)
        shares[name] = float(group_metrics(stats, stats, one, one, ())[
            "action_variance_from_za"][0])
    assert shares["judge"] < 0.5 * shares["oracle"], shares

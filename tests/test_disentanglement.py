"""Disentanglement metrics on hand-made generators whose answers are known."""

import pytest
import torch
from _standins import CopyGenerator, LabelledSquares

from g3an_edu.metrics.disentanglement import (
    DatasetSource,
    GeneratorSource,
    disentanglement,
    mean_pair_distance,
    normalised_entropy,
    pair_agreement,
)
from g3an_edu.metrics.evaluation import KEYS, evaluate


def test_pair_agreement_counts_pairs_within_groups():
    labels = {"a": torch.tensor([[0, 0, 1], [2, 2, 2]]), "b": torch.tensor([[5, 5, 5],
                                                                            [1, 1, 0]])}
    # group 0: a agrees on 1 of 3 pairs; group 1: 3 of 3. Both factors: 1 + 1 of 6 pairs.
    assert pair_agreement(labels, ("a",)) == pytest.approx(4 / 6)
    assert pair_agreement(labels, ("a", "b")) == pytest.approx(2 / 6)


def test_mean_pair_distance_and_entropy_known_values():
    features = torch.tensor([[[0.0, 0.0], [3.0, 4.0]]])  # one group of two: distance 5
    assert mean_pair_distance(features) == pytest.approx(5.0)
    assert normalised_entropy(torch.tensor([0, 1, 2, 3]), 4) == pytest.approx(1.0)
    assert normalised_entropy(torch.tensor([2, 2, 2]), 4) == 0.0


def test_exact_oracle_reads_the_stand_in_data(setup):
    ds, real, oracle = setup
    batch = ds.batch(range(64))
    preds = oracle(batch["video"]).predictions()
    for name in ("action", "shirt", "background"):
        assert torch.equal(preds[name], batch[name]), name


def test_generator_that_copies_real_videos_scores_at_the_real_ceiling(setup):
    ds, real, oracle = setup
    fake = GeneratorSource(CopyGenerator(ds))
    scores = evaluate(oracle, fake, real, n=256, n_groups=16, per_group=6)
    ceiling = scores["real"]
    assert set(KEYS) <= set(scores)
    assert scores["appearance_consistency"] == ceiling["appearance_consistency"] == 1.0
    assert scores["action_consistency"] == ceiling["action_consistency"] == 1.0
    assert scores["oracle_accuracy"] == 1.0
    for key in ("action_spread", "appearance_spread", "motion_diversity", "action_entropy"):
        assert scores[key] == pytest.approx(ceiling[key], rel=0.2), key
    for key in ("fd_video", "fd_frame"):  # sampling noise only: as close as two real samples
        assert scores[key] < 3 * ceiling[key] + 1e-3, key


def test_generator_that_ignores_motion_noise_has_zero_motion_diversity(setup):
    ds, real, oracle = setup
    scores = disentanglement(oracle, GeneratorSource(CopyGenerator(ds, "ignore_motion")),
                             n_groups=8, per_group=4)
    assert scores["motion_diversity"] == 0.0
    assert scores["action_spread"] == 0.0
    assert scores["appearance_consistency"] == 1.0


def test_generator_whose_looks_follow_motion_noise_fails_appearance_consistency(setup):
    ds, real, oracle = setup
    scores = disentanglement(oracle, GeneratorSource(CopyGenerator(ds, "ignore_appearance")),
                             n_groups=8, per_group=4)
    assert scores["appearance_spread"] == 0.0  # z_a changes nothing
    assert scores["appearance_consistency"] < 0.5  # z_m changes the looks
    assert scores["action_consistency"] == 1.0
    # net score: the looks follow the wrong code, so it is negative
    assert scores["appearance_disentanglement"] < -0.5
    assert scores["appearance_disentanglement"] == pytest.approx(
        scores["appearance_consistency"] + scores["appearance_spread"] - 1)


def test_a_generator_that_ignores_both_codes_scores_zero_net_disentanglement(setup):
    ds, _, oracle = setup

    class Frozen(torch.nn.Module):  # the same video whatever the noise: like an untrained G
        def sample_noise(self, n, length=1, generator=None, device="cpu"):
            return torch.randn(n, 4, generator=generator), torch.randn(n, length, 4,
                                                                       generator=generator)

        def forward(self, z_a, z_m):
            return ds.batch([0] * z_a.shape[0])["video"]

    scores = disentanglement(oracle, GeneratorSource(Frozen()), n_groups=4, per_group=3)
    assert scores["appearance_consistency"] == scores["action_consistency"] == 1.0  # trivially
    assert scores["appearance_disentanglement"] == scores["action_disentanglement"] == 0.0


def test_fd_separates_a_wrong_generator_from_the_real_data(setup):
    ds, real, oracle = setup
    wrong = LabelledSquares(n=2048)
    wrong.render_pairs = lambda a, m: -ds.render_pairs(a, m)  # inverted colours
    scores = evaluate(oracle, GeneratorSource(CopyGenerator(wrong)), real, n=128, n_groups=4,
                      per_group=3)
    assert scores["fd_frame"] > 10 * scores["real"]["fd_frame"]
    assert scores["fd_video"] > 10 * scores["real"]["fd_video"]


def test_real_ceiling_of_data_without_swaps_leaves_disentanglement_undefined(setup):
    ds, _, oracle = setup
    scores = evaluate(oracle, GeneratorSource(CopyGenerator(ds)), DatasetSource(ds), n=64,
                      n_groups=4, per_group=3)
    assert scores["real"]["appearance_consistency"] is None
    assert scores["real"]["fd_video"] >= 0


def test_dataset_source_stacks_items_of_a_map_style_data_set():
    class Folder:  # like VideoFolder: items are dicts, no batch(), no swaps
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"video": torch.full((3, 16, 8, 8), float(i)), "label": i, "path": f"{i}.mp4"}

    batch = DatasetSource(Folder()).sample(4, torch.Generator().manual_seed(0))
    assert batch["video"].shape == (4, 3, 16, 8, 8)
    assert torch.equal(batch["label"], batch["video"][:, 0, 0, 0, 0].long())
    assert "path" not in batch
    with pytest.raises(ValueError, match="render_pairs"):
        DatasetSource(Folder()).groups(2, 2, "appearance", torch.Generator())

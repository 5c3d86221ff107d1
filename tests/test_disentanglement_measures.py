"""Variance shares, per-factor agreement, κ and bootstrap intervals, on stand-ins with known
answers, and their formulas against brute force."""

import itertools
import math

import pytest
import torch
from _standins import CopyGenerator, Frozen, TwoVideos

from g3an_edu.metrics import grouped
from g3an_edu.metrics.bootstrap import interval
from g3an_edu.metrics.disentanglement import (
    GeneratorSource,
    disentanglement,
    pair_agreement,
)
from g3an_edu.metrics.evaluation import BY_FACTOR_KEYS, KEYS, evaluate


def scores_of(setup, generator, n_groups=16, per_group=6, seed=0):
    ds, _, oracle = setup
    return disentanglement(oracle, GeneratorSource(generator), n_groups, per_group,
                           torch.Generator().manual_seed(seed))


# ----------------------------------------------------------------------------- formulas


def test_agreement_from_counts_equals_pair_agreement():
    labels = torch.randint(3, (7, 5), generator=torch.Generator().manual_seed(1))  # (G, K)
    counts = grouped._counts(labels, 3)
    one = grouped.identity(7)
    assert float(grouped.agreement(counts, one, 5)[0]) == pytest.approx(
        pair_agreement({"x": labels}, ("x",)))


def test_chance_agreement_is_the_agreement_of_pairs_from_different_groups():
    g, k = 6, 4
    labels = torch.randint(3, (g, k), generator=torch.Generator().manual_seed(2))  # (G, K)
    same = [int(labels[a, i] == labels[b, j]) for a, b in itertools.permutations(range(g), 2)
            for i in range(k) for j in range(k)]
    counts = grouped._counts(labels, 3)
    got = float(grouped.chance_agreement(counts, grouped.identity(g), k)[0])
    assert got == pytest.approx(sum(same) / len(same))


def test_multiplicities_equal_duplicated_groups_for_agreement_and_share():
    g, k = 5, 4
    rng = torch.Generator().manual_seed(3)
    labels = torch.randint(3, (g, k), generator=rng)  # (G, K)
    probs = torch.rand(g, k, 3, generator=rng, dtype=torch.float64).softmax(2)  # (G, K, C)
    picks = torch.tensor([0, 0, 2, 3, 3])  # a bootstrap draw: groups 0 and 3 twice, 1 and 4 out
    m = torch.bincount(picks, minlength=g).double()[None]  # (1, G)

    def share_of(p):  # (G', K, C) -> the ANOVA share, written out
        gg = p.shape[0]
        means = p.mean(1)  # (G', C)
        msw = (p - means[:, None]).square().sum() / (gg * (k - 1))
        msb = k * (means - means.mean(0)).square().sum() / (gg - 1)
        return float(msw / (msw + (msb - msw) / k))

    counts = grouped._counts(labels, 3)
    assert float(grouped.agreement(counts, m, k)[0]) == pytest.approx(
        pair_agreement({"x": labels[picks]}, ("x",)))
    mean, ss = probs.mean(1), (probs - probs.mean(1, keepdim=True)).square().sum((1, 2))
    assert float(grouped.variance_share(mean, ss, m, k)[0]) == pytest.approx(
        share_of(probs[picks]))


def test_variance_share_is_unbiased_when_the_kept_code_does_nothing():
    """i.i.d. videos: the plain ratio of sums of squares is about (K - 1) / K = 2/3 for K = 3;
    the ANOVA share is about 1."""
    g, k = 400, 3
    probs = torch.rand(g, k, 4, generator=torch.Generator().manual_seed(4),
                       dtype=torch.float64).softmax(2)  # (G, K, C)
    mean, ss = probs.mean(1), (probs - probs.mean(1, keepdim=True)).square().sum((1, 2))
    share = float(grouped.variance_share(mean, ss, grouped.identity(g), k)[0])
    plain = float(ss.sum() / (probs - probs.mean((0, 1))).square().sum())
    assert plain == pytest.approx(2 / 3, abs=0.05)
    assert share == pytest.approx(1.0, abs=0.08)


def test_undefined_values_are_nan_not_a_score():
    counts = torch.tensor([[4.0, 0.0], [4.0, 0.0]], dtype=torch.float64)  # all: class 0
    assert math.isnan(float(grouped.kappa(counts, grouped.identity(2), 4)[0]))
    mean, ss = torch.full((2, 3), 1 / 3, dtype=torch.float64), torch.zeros(2,
                                                                          dtype=torch.float64)
    assert math.isnan(float(grouped.variance_share(mean, ss, grouped.identity(2), 4)[0]))
    assert interval(torch.full((10,), torch.nan), None) is None


# ----------------------------------------------------------------------------- stand-ins


def test_looks_that_follow_za_only_score_zero_variance_from_zm(setup):
    scores = scores_of(setup, CopyGenerator(setup[0]))
    assert scores["appearance_variance_from_zm"] == pytest.approx(0.0, abs=0.02)
    assert scores["action_variance_from_za"] == pytest.approx(0.0, abs=0.02)
    assert scores["action_variance_from_zm"] == pytest.approx(1.0, abs=0.2)
    assert scores["appearance_variance_from_za"] == pytest.approx(1.0, abs=0.2)
    assert scores["appearance_kappa"] == scores["action_kappa"] == 1.0
    assert all(v == 1.0 for v in scores["appearance_agreement_by_factor"].values())


def test_looks_that_follow_zm_score_about_one(setup):
    scores = scores_of(setup, CopyGenerator(setup[0], "ignore_appearance"))
    assert scores["appearance_variance_from_zm"] == pytest.approx(1.0, abs=0.2)
    assert scores["appearance_variance_from_za"] == pytest.approx(0.0, abs=0.02)
    assert scores["appearance_kappa"] < 0.2


def test_per_factor_measures_find_the_one_entangled_factor(setup):
    scores = scores_of(setup, CopyGenerator(setup[0], "shirt_from_motion"))
    by_factor = scores["appearance_variance_from_zm_by_factor"]
    assert by_factor["background"] == pytest.approx(0.0, abs=0.02)
    assert by_factor["shirt"] == pytest.approx(1.0, abs=0.25)
    assert scores["appearance_agreement_by_factor"]["background"] == 1.0
    assert scores["appearance_kappa_by_factor"]["background"] == 1.0
    assert abs(scores["appearance_kappa_by_factor"]["shirt"]) < 0.25


def test_collapsed_generators_are_not_called_disentangled_by_kappa(setup):
    frozen = scores_of(setup, Frozen(setup[0]), n_groups=4, per_group=3)
    assert frozen["appearance_consistency"] == frozen["action_consistency"] == 1.0  # trivially
    assert frozen["appearance_kappa"] is None and frozen["action_kappa"] is None
    assert frozen["appearance_variance_from_zm"] is None  # nothing varies
    two = scores_of(setup, TwoVideos(setup[0]), n_groups=32, per_group=6)
    assert two["appearance_consistency"] > 0.35  # half the pairs agree by chance
    assert abs(two["appearance_kappa"]) < 0.15 and abs(two["action_kappa"]) < 0.15
    assert two["appearance_variance_from_zm"] == pytest.approx(1.0, abs=0.25)
    assert two["action_variance_from_za"] == pytest.approx(1.0, abs=0.25)


# ----------------------------------------------------------------------------- intervals


def test_evaluate_gives_an_interval_for_every_metric_that_covers_it(setup):
    ds, real, oracle = setup
    fake = GeneratorSource(CopyGenerator(ds, "shirt_from_motion"))
    scores = evaluate(oracle, fake, real, n=96, n_groups=16, per_group=4, seed=0,
                      n_boot=300, n_boot_fd=20)
    for key in KEYS:
        value, ci = scores[key], scores["ci"][key]
        assert ci is not None, key
        assert ci[0] <= value + 1e-9 and value <= ci[1] + 1e-9, (key, value, ci)
    for key in BY_FACTOR_KEYS:
        for factor, value in scores[key].items():
            ci = scores["ci"][key][factor]
            assert ci[0] <= value + 1e-9 <= ci[1] + 2e-9, (key, factor, value, ci)
    assert set(scores["real"]["ci"]) == set(scores["ci"])


def test_intervals_are_deterministic_and_narrow_with_more_groups(setup):
    ds, _, oracle = setup
    fake = GeneratorSource(CopyGenerator(ds, "shirt_from_motion"))

    def width(n_groups, seed=0):
        scores = evaluate(oracle, fake, setup[1], n=32, n_groups=n_groups, per_group=4,
                          seed=seed, with_real=False, n_boot=400, n_boot_fd=2)
        ci = scores["ci"]
        return {k: ci[k][1] - ci[k][0] for k in ("appearance_consistency",
                                                 "appearance_variance_from_zm")}, ci

    few, ci_a = width(8)
    _, ci_b = width(8)
    many, _ = width(64)
    assert ci_a == ci_b  # same seed, same intervals
    for key in few:
        assert many[key] < 0.6 * few[key], (key, few[key], many[key])


# ----------------------------------------------------------------------------- shipped oracle


def test_real_data_shares_on_the_shipped_oracle_match_the_recorded_ones():
    """``docs/shipped_metrics.json`` (``tools/shipped_metrics.py``) records the real data's
    scores; re-measured here without intervals (same seed, same draws)."""
    import json
    from pathlib import Path

    from g3an_edu.metrics.evaluation import real_scores
    from g3an_edu.metrics.oracle import load_oracle
    from g3an_edu.metrics.real_data import real_source

    recorded = json.loads((Path(__file__).parents[1] / "docs" / "shipped_metrics.json")
                          .read_text())
    oracle, _ = load_oracle()
    scores = real_scores(oracle, real_source(), recorded["n"], recorded["n_groups"],
                         recorded["per_group"], recorded["seed"], n_boot=0)
    for key in ("appearance_variance_from_zm", "appearance_variance_from_za",
                "action_variance_from_za", "action_variance_from_zm", "appearance_kappa",
                "action_kappa"):
        assert scores[key] == pytest.approx(recorded["real"][key], abs=0.01), key
    assert scores["appearance_variance_from_zm"] < 0.05  # z_m barely moves the looks
    assert scores["action_variance_from_za"] < 0.1  # z_a barely moves the action
    assert scores["action_variance_from_zm"] == pytest.approx(1.0, abs=0.1)
    assert scores["appearance_variance_from_za"] == pytest.approx(1.0, abs=0.1)


def test_appearance_entropy_sees_how_many_looks_there_are_worst_factor_first(setup):
    ds, real, oracle = setup
    kwargs = dict(n=128, n_groups=8, per_group=4, seed=0, n_boot=200, n_boot_fd=2)
    two = evaluate(oracle, GeneratorSource(TwoVideos(ds)), real, **kwargs)
    two_of_three = math.log(2) / math.log(3)  # two shirts, evenly: 0.63 of the maximum
    assert two["appearance_entropy_by_factor"]["shirt"] == pytest.approx(two_of_three, abs=0.03)
    assert two["appearance_entropy"] == min(two["appearance_entropy_by_factor"].values())
    assert "action" not in two["appearance_entropy_by_factor"]
    low, high = two["ci"]["appearance_entropy"]
    assert low <= two["appearance_entropy"] <= high
    assert two["real"]["appearance_entropy"] > 0.95  # the real data: every look, evenly
    frozen = evaluate(oracle, GeneratorSource(Frozen(ds)), real, with_real=False, **kwargs)
    assert frozen["appearance_entropy"] == 0.0  # one look only

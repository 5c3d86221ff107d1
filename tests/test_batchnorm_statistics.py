"""Recalibrated BatchNorm statistics: the exact average of batch statistics over fresh codes,
nothing else in the generator touched, the caller's RNG left alone."""

import copy

import pytest
import torch
from torch.nn.modules.batchnorm import _BatchNorm

from g3an_edu.batchnorm_statistics import recalibrate_batchnorm
from g3an_edu.config import load_config
from g3an_edu.models import build_generator


@pytest.fixture
def g() -> torch.nn.Module:
    """A tiny G3AN whose BN statistics belong to other weights: the EMA situation (weights
    moved, buffers kept)."""
    g = build_generator(load_config("tiny")).eval()
    with torch.no_grad():
        for p in g.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return g


def batch_norms(g: torch.nn.Module) -> list[_BatchNorm]:
    return [m for m in g.modules() if isinstance(m, _BatchNorm)]


def test_statistics_are_the_mean_of_the_batch_statistics_on_the_same_codes(g):
    reference = copy.deepcopy(g)
    layers = batch_norms(reference)
    means, variances = {i: [] for i in range(len(layers))}, {i: [] for i in range(len(layers))}

    def record(i):
        def hook(module, inputs):
            x = inputs[0].transpose(0, 1).flatten(1)  # (C, B·T·H·W)
            means[i].append(x.mean(1))
            variances[i].append(x.var(1))  # unbiased, as BatchNorm's running_var
        return hook

    for i, m in enumerate(layers):
        m.register_forward_pre_hook(record(i))
        m.train()  # batch statistics on the forward pass, as during recalibration
    rng = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for b in (8, 8, 4):  # n = 20 in batches of 8: the last one smaller
            reference(*reference.sample_noise(b, 1, generator=rng, device="cpu"))

    recalibrate_batchnorm(g, n=20, batch=8, seed=3)
    for i, m in enumerate(batch_norms(g)):
        torch.testing.assert_close(m.running_mean, torch.stack(means[i]).mean(0))
        torch.testing.assert_close(m.running_var, torch.stack(variances[i]).mean(0))


def test_only_the_batchnorm_statistics_change_and_modes_come_back(g):
    before = copy.deepcopy(g.state_dict())
    momenta = [m.momentum for m in batch_norms(g)]
    recalibrate_batchnorm(g, n=16, batch=8)
    after = g.state_dict()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed, "the statistics should have changed"
    assert all(k.endswith(("running_mean", "running_var", "num_batches_tracked"))
               for k in changed), sorted(changed)  # weights and spectral-norm vectors stay
    assert not g.training and not any(m.training for m in g.modules())
    assert [m.momentum for m in batch_norms(g)] == momenta


def test_the_callers_rng_is_untouched_and_the_result_is_deterministic(g):
    other = copy.deepcopy(g)
    state = torch.get_rng_state()
    recalibrate_batchnorm(g, n=16, batch=8, seed=1)
    assert torch.equal(torch.get_rng_state(), state)
    recalibrate_batchnorm(other, n=16, batch=8, seed=1)
    for a, b in zip(batch_norms(g), batch_norms(other), strict=True):
        assert torch.equal(a.running_mean, b.running_mean)
        assert torch.equal(a.running_var, b.running_var)


def test_a_generator_in_train_mode_stays_in_train_mode(g):
    g.train()
    recalibrate_batchnorm(g, n=8, batch=8)
    assert all(m.training for m in g.modules())


@pytest.mark.parametrize("n, batch", [(0, 8), (16, 0), (-4, 8)])
def test_bad_sizes_name_the_fix(g, n, batch):
    with pytest.raises(ValueError, match="e.g. n=1024"):
        recalibrate_batchnorm(g, n=n, batch=batch)

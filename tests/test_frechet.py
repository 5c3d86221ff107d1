"""The Fréchet distance: closed forms, symmetry, zero on identical sets."""

import math

import pytest
import torch

from g3an_edu.metrics.frechet import (
    Gaussian,
    fit_gaussian,
    frechet_distance,
    frechet_distance_gaussians,
    sqrtm_psd,
)


def _random_spd(d: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(d, d, generator=g, dtype=torch.float64)
    return a @ a.T + 0.1 * torch.eye(d, dtype=torch.float64)


def test_frechet_matches_closed_form_for_diagonal_gaussians():
    # For diagonal covariances: d² = |mu1 - mu2|² + Σ (σ1 - σ2)² over the standard deviations.
    mu1, mu2 = torch.tensor([0.0, 1.0, -2.0]), torch.tensor([3.0, 1.0, 0.0])
    var1, var2 = torch.tensor([1.0, 4.0, 9.0]), torch.tensor([4.0, 1.0, 9.0])
    a = Gaussian(mu1.double(), torch.diag(var1).double())
    b = Gaussian(mu2.double(), torch.diag(var2).double())
    expected = 9 + 0 + 4 + (1 - 2) ** 2 + (2 - 1) ** 2 + 0
    assert frechet_distance_gaussians(a, b) == pytest.approx(expected, rel=1e-10)


def test_frechet_matches_closed_form_for_commuting_full_covariances():
    # S2 = R diag(s) Rᵀ, S1 = R diag(t) Rᵀ share eigenvectors: trace term = Σ (√s - √t)².
    rot, _ = torch.linalg.qr(torch.randn(4, 4, generator=torch.Generator().manual_seed(1),
                                         dtype=torch.float64))
    s, t = torch.tensor([1.0, 2.0, 3.0, 5.0]).double(), torch.tensor([4.0, 1.0, 0.5, 5.0]).double()
    mu = torch.tensor([1.0, 0.0, 0.0, -1.0]).double()
    a = Gaussian(mu, rot @ torch.diag(s) @ rot.T)
    b = Gaussian(torch.zeros(4).double(), rot @ torch.diag(t) @ rot.T)
    expected = 2.0 + float((s.sqrt() - t.sqrt()).square().sum())
    assert frechet_distance_gaussians(a, b) == pytest.approx(expected, rel=1e-9)


def test_frechet_of_samples_approaches_the_population_value():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(20000, 2, generator=g, dtype=torch.float64)  # N(0, I)
    y = torch.randn(20000, 2, generator=g, dtype=torch.float64) * 2 + torch.tensor([1.0, 0.0])
    expected = 1.0 + 2 * (2 - 1) ** 2  # mean shift 1, std 1 vs 2 on both axes
    assert frechet_distance(x, y) == pytest.approx(expected, abs=0.1)


def test_frechet_is_symmetric():
    a = Gaussian(torch.randn(5, dtype=torch.float64), _random_spd(5, 2))
    b = Gaussian(torch.randn(5, dtype=torch.float64), _random_spd(5, 3))
    assert frechet_distance_gaussians(a, b) == pytest.approx(frechet_distance_gaussians(b, a),
                                                             rel=1e-9)
    assert frechet_distance_gaussians(a, b) > 0.1


def test_frechet_is_zero_on_identical_sets():
    x = torch.randn(300, 16, generator=torch.Generator().manual_seed(4))
    assert frechet_distance(x, x.clone()) == pytest.approx(0.0, abs=1e-6)
    assert frechet_distance(x, x[torch.randperm(300)]) == pytest.approx(0.0, abs=1e-6)


def test_frechet_grows_with_a_mean_shift():
    x = torch.randn(500, 8, generator=torch.Generator().manual_seed(5))
    shifts = [frechet_distance(x, x + d) for d in (0.5, 1.0, 2.0)]
    assert shifts == pytest.approx([8 * 0.25, 8 * 1.0, 8 * 4.0], rel=1e-6)


def test_sqrtm_psd_squares_back():
    m = _random_spd(6, 7)
    root = sqrtm_psd(m)
    torch.testing.assert_close(root @ root, m)


def test_fit_gaussian_rejects_a_single_sample():
    with pytest.raises(ValueError, match="at least 2"):
        fit_gaussian(torch.zeros(1, 3))


def test_frechet_rejects_different_feature_sizes():
    with pytest.raises(ValueError, match="same features"):
        frechet_distance(torch.randn(10, 3), torch.randn(10, 4))


def test_frechet_is_finite_when_fewer_samples_than_dimensions():
    g = torch.Generator().manual_seed(8)
    d = frechet_distance(torch.randn(10, 32, generator=g), torch.randn(12, 32, generator=g))
    assert math.isfinite(d) and d > 0

"""The Fréchet distance between two sets of features: FID and FVD without Inception or I3D.

Fit a Gaussian to each set of feature vectors, ``N(mu_1, S_1)`` and ``N(mu_2, S_2)``; the
Fréchet (2-Wasserstein) distance between them is

    d² = ||mu_1 - mu_2||² + Tr(S_1 + S_2 - 2 (S_1^{1/2} S_2 S_1^{1/2})^{1/2})

FID computes it on Inception features of frames, FVD on I3D features of videos. The course
computes it on the features of its oracle (``g3an_edu.metrics.oracle``): video features give
``fd_video``, single-frame features ``fd_frame``. Like FID, it is reported squared.

The matrix square root is taken through eigendecompositions of symmetric matrices
(``S_1^{1/2}`` and then ``S_1^{1/2} S_2 S_1^{1/2}``, both positive semi-definite), in float64,
with tiny negative eigenvalues from rounding clipped to 0. This is stable where a general
``sqrtm(S_1 S_2)`` of a non-symmetric product returns complex noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..validation import check_tensor


@dataclass
class Gaussian:
    """Mean ``mu (D,)`` and covariance ``cov (D, D)`` of a set of feature vectors (float64)."""

    mu: torch.Tensor
    cov: torch.Tensor


def fit_gaussian(features: torch.Tensor) -> Gaussian:
    """Mean and (unbiased) covariance of ``features (N, D)``, ``N ≥ 2``, in float64."""
    check_tensor(features, "features", ("N", "D"))
    if features.shape[0] < 2:
        raise ValueError(f"fit_gaussian needs at least 2 feature vectors to estimate a "
                         f"covariance, got {features.shape[0]}; evaluate more samples.")
    x = features.detach().to("cpu", torch.float64)  # (N, D)
    mu = x.mean(0)  # (D,)
    centred = x - mu  # (N, D)
    cov = centred.T @ centred / (x.shape[0] - 1)  # (D, D)
    return Gaussian(mu, cov)


def sqrtm_psd(matrix: torch.Tensor) -> torch.Tensor:
    """Square root of a symmetric positive semi-definite ``(D, D)`` matrix (by eigenvalues)."""
    sym = (matrix + matrix.T) / 2  # remove rounding asymmetry
    values, vectors = torch.linalg.eigh(sym)  # (D,), (D, D)
    return (vectors * values.clamp(min=0).sqrt()) @ vectors.T  # V diag(sqrt λ) Vᵀ


def frechet_distance_gaussians(a: Gaussian, b: Gaussian) -> float:
    """Squared Fréchet distance between ``N(a.mu, a.cov)`` and ``N(b.mu, b.cov)``."""
    if a.mu.shape != b.mu.shape:
        raise ValueError(f"the two Gaussians live in different spaces: means of shape "
                         f"{tuple(a.mu.shape)} and {tuple(b.mu.shape)}; use the same features.")
    root_a = sqrtm_psd(a.cov)  # S_1^{1/2}
    cross = sqrtm_psd(root_a @ b.cov @ root_a)  # (S_1^{1/2} S_2 S_1^{1/2})^{1/2}
    mean_term = (a.mu - b.mu).square().sum()
    trace_term = a.cov.trace() + b.cov.trace() - 2 * cross.trace()
    return float((mean_term + trace_term).clamp(min=0))


def frechet_distance(features_a: torch.Tensor, features_b: torch.Tensor) -> float:
    """Squared Fréchet distance between two feature sets ``(N_a, D)`` and ``(N_b, D)``.

    0 for identical sets, symmetric in its arguments. Sets of a few hundred vectors or more
    give stable values; with ``N < D`` the covariances are singular (still defined, but noisy).
    """
    return frechet_distance_gaussians(fit_gaussian(features_a), fit_gaussian(features_b))

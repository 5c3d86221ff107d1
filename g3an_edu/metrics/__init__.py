"""Evaluation: Fréchet distances in an oracle's feature space and disentanglement metrics."""

from .frechet import fit_gaussian, frechet_distance, frechet_distance_gaussians

__all__ = ["fit_gaussian", "frechet_distance", "frechet_distance_gaussians"]

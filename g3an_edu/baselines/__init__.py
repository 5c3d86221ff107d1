"""Baselines G3AN is compared with: MoCoGAN."""

from .mocogan import MoCoGANGenerator, count_parameters, matched_width

__all__ = ["MoCoGANGenerator", "count_parameters", "matched_width"]

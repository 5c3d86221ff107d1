"""One switch for how big everything runs: the course tier.

- ``fast``: the test suite and CI (2 CPU cores, every notebook in ≤ 2 minutes);
- ``laptop``: a student on a laptop without a GPU (real learning in minutes to an hour);
- ``gpu``: a CUDA GPU (Colab or better): the full-size runs.

Set it with the environment variable ``G3AN_TIER``. Unset, it is ``gpu`` when CUDA is
available and ``laptop`` otherwise. Notebooks and the CLI read it through :func:`current_tier`.
"""

from __future__ import annotations

import os

import torch

TIERS = ("fast", "laptop", "gpu")
ENV_VAR = "G3AN_TIER"


def current_tier() -> str:
    """The active tier: ``$G3AN_TIER`` if set, else ``gpu`` with CUDA, else ``laptop``."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if not value:
        return "gpu" if torch.cuda.is_available() else "laptop"
    if value not in TIERS:
        raise ValueError(
            f"{ENV_VAR}={value!r} is not a tier; valid values are: {', '.join(TIERS)} "
            f"(e.g. `export {ENV_VAR}=fast`)."
        )
    return value


def by_tier(fast, laptop, gpu, tier: str | None = None):
    """Pick one of three values by tier: ``by_tier(200, 5_000, 50_000)`` -> steps to train."""
    return {"fast": fast, "laptop": laptop, "gpu": gpu}[tier or current_tier()]

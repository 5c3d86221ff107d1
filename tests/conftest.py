import os

import pytest
import torch

os.environ.setdefault("G3AN_TIER", "fast")


@pytest.fixture(autouse=True)
def _seed_and_threads():
    """Every test starts from the same RNG state."""
    torch.manual_seed(0)
    yield

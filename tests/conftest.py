import os

import pytest
import torch

os.environ.setdefault("G3AN_TIER", "fast")


@pytest.fixture(autouse=True)
def _seed_and_threads():
    """Every test starts from the same RNG state."""
    torch.manual_seed(0)
    yield


@pytest.fixture(scope="module")
def setup():
    """Labelled squares, their real-data source (with swaps) and the exact oracle: the
    stand-ins the disentanglement tests measure against (``tests/_standins.py``)."""
    from _standins import ExactOracle, LabelledSquares

    from g3an_edu.metrics.disentanglement import DatasetSource

    ds = LabelledSquares(n=2048)
    return ds, DatasetSource(ds, ds.render_pairs), ExactOracle()

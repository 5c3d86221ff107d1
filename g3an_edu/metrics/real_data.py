"""The real videos a generator is compared with: the data its checkpoint was trained on."""

from __future__ import annotations

from .disentanglement import DatasetSource


def render_pairs_of(ds):
    """``render_pairs(appearance_indices, motion_indices) -> (N, 3, T, H, W)`` for ``ds``,
    or ``None`` when the data set cannot swap appearance and motion (a ``VideoFolder``)."""
    if hasattr(ds, "render_pairs"):
        return ds.render_pairs
    if hasattr(ds, "factors") and hasattr(ds, "render"):
        def render_pairs(appearance: list[int], motion: list[int]):
            looks, _ = ds.factors(appearance)  # appearance factors of the items `appearance`
            _, moves = ds.factors(motion)  # motion factors of the items `motion`
            return ds.render(looks, moves)  # (N, 3, T, H, W): look a doing motion m
        return render_pairs
    return None


def real_source(data: str = "synthetic", resolution: int = 32, frames: int = 16,
                data_seed: int = 0, data_root: str = "") -> DatasetSource:
    """A :class:`DatasetSource` for a training config's data (``synthetic`` or ``folder``)."""
    if data == "synthetic":
        try:
            from ..data import SyntheticActions
        except ImportError as err:
            raise RuntimeError("g3an_edu.data.SyntheticActions is not available in this "
                               "install; the real-data side of the evaluation needs it.") from err
        ds = SyntheticActions(size=resolution, frames=frames, seed=data_seed)
        return DatasetSource(ds, render_pairs_of(ds))
    if data == "folder":
        from ..data import VideoFolder

        return DatasetSource(VideoFolder(data_root, frames=frames, size=resolution))
    raise ValueError(f"unknown data {data!r}; valid values are: 'synthetic', 'folder'.")


def real_source_for(config) -> DatasetSource:
    """The real videos of the data a :class:`~g3an_edu.config.TrainConfig` trains on."""
    return real_source(config.data, config.resolution, config.frames, config.data_seed,
                       config.data_root)

"""Input checks that fail loudly with what was expected, what came, and the fix."""

from __future__ import annotations

from collections.abc import Sequence

import torch


def check_tensor(x: object, name: str, shape: Sequence[int | str | None]) -> torch.Tensor:
    """Check that ``x`` is a float tensor of the given rank and sizes.

    ``shape`` lists one entry per dimension: an ``int`` must match exactly, a ``str`` or
    ``None`` matches any size (the string names the axis in the error message).
    Raises ``ValueError`` naming the expected and the actual shape.
    """
    spec = "(" + ", ".join(str(s) if s is not None else "?" for s in shape) + ")"
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"{name} must be a torch.Tensor of shape {spec}, got {type(x).__name__}.")
    if x.dim() != len(shape):
        raise ValueError(
            f"{name} must have {len(shape)} dimensions {spec}, got {x.dim()} with shape "
            f"{tuple(x.shape)}."
        )
    for axis, (want, got) in enumerate(zip(shape, x.shape, strict=True)):
        if isinstance(want, int) and want != got:
            raise ValueError(
                f"{name} must have shape {spec}, got {tuple(x.shape)} "
                f"(dimension {axis} is {got}, expected {want})."
            )
    if not x.is_floating_point():
        raise ValueError(f"{name} must be a floating-point tensor, got dtype {x.dtype}.")
    return x


def check_choice(value: object, name: str, choices: Sequence[object]) -> None:
    """Raise ``ValueError`` if ``value`` is not one of ``choices``, listing them."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; valid values are: {valid}.")

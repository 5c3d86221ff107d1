"""Automatic feedback for the notebooks' exercises.

Each notebook ``NN_name`` has a module ``g3an_edu.exercises.nbNN`` with one check function
per exercise. A check takes the student's answer (a tensor, a number, a function or a
module), compares it with the package's reference, and either prints a short success line
or raises :class:`ExerciseFailed` saying what differs (shape, values, a hint). Solutions in
the notebooks sit between nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers;
``tools/make_student_copies.py`` replaces them with a ``raise NotImplementedError`` stub.
"""

from __future__ import annotations

import math
from typing import NoReturn

import torch


class ExerciseFailed(AssertionError):
    """The answer is not right yet; the message says what differs and gives a hint."""


def passed(name: str) -> None:
    """Print the success line of exercise ``name``."""
    print(f"✅ {name}: correct")


def fail(name: str, what: str, hint: str = "") -> NoReturn:
    """Raise :class:`ExerciseFailed` for exercise ``name``."""
    raise ExerciseFailed(f"❌ {name}: {what}" + (f"\nHint: {hint}" if hint else ""))


def unwrap_scalar(x: object) -> object:
    """A one-element tensor as a Python number (``.item()``); anything else unchanged."""
    return x.item() if isinstance(x, torch.Tensor) and x.numel() == 1 else x


def check_tensor_close(
    name: str, got: object, want: torch.Tensor, hint: str = "", atol: float = 1e-5,
    rtol: float = 1e-4,
) -> None:
    """Check a tensor answer against the reference: type, shape, then values."""
    if not isinstance(got, torch.Tensor):
        fail(name, f"expected a torch.Tensor, got {type(got).__name__}", hint)
    if tuple(got.shape) != tuple(want.shape):
        fail(name, f"shape is {tuple(got.shape)}, expected {tuple(want.shape)}", hint)
    got_f, want_f = got.detach().float().cpu(), want.detach().float().cpu()
    if not torch.allclose(got_f, want_f, atol=atol, rtol=rtol):
        err = (got_f - want_f).abs()
        where = tuple(int(i) for i in torch.unravel_index(err.argmax(), err.shape))
        fail(name, f"values differ: max abs error {err.max().item():.3g} at index {where} "
                   f"(got {got_f[where].item():.4g}, expected {want_f[where].item():.4g})", hint)
    passed(name)


def check_number(name: str, got: object, want: float, hint: str = "", rel: float = 1e-6) -> None:
    """Check a numeric answer (int or float) against the reference value."""
    got = unwrap_scalar(got)
    if not isinstance(got, (int, float)):
        fail(name, f"expected a number, got {type(got).__name__}", hint)
    if not math.isclose(float(got), float(want), rel_tol=rel, abs_tol=rel):
        fail(name, f"got {got}, expected {want}", hint)
    passed(name)

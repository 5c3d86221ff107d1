"""Pick the device to run on, and say why."""

from __future__ import annotations

import torch


def pick_device(requested: str = "auto", verbose: bool = False) -> torch.device:
    """Return the device to use and (with ``verbose``) print why it was chosen.

    ``auto`` picks CUDA, then Apple MPS, then CPU. ``cuda``/``mps``/``cpu`` insist on that
    device and raise ``RuntimeError`` with the fix if it is not available.
    """
    device, reason = explain_device(requested)
    if verbose:
        print(f"device: {device} ({reason})")
    return device


def explain_device(requested: str = "auto") -> tuple[torch.device, str]:
    """The device ``pick_device`` would choose and a one-line reason."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if requested == "auto":
        if cuda:
            return torch.device("cuda"), f"CUDA GPU found: {torch.cuda.get_device_name(0)}"
        if mps:
            return torch.device("mps"), "no CUDA GPU; Apple MPS found"
        return torch.device("cpu"), "no CUDA GPU or Apple MPS found"
    if requested.startswith("cuda"):
        if not cuda:
            raise RuntimeError(
                f"--device {requested} was asked for, but torch.cuda.is_available() is False "
                f"(torch {torch.__version__}, CUDA build: {torch.version.cuda or 'no'}). "
                "Use --device cpu (or auto), or install a CUDA build of torch on a GPU machine."
            )
        return torch.device(requested), "asked for"
    if requested == "mps":
        if not mps:
            raise RuntimeError("--device mps was asked for, but Apple MPS is not available. "
                               "Use --device cpu (or auto).")
        return torch.device("mps"), "asked for"
    if requested == "cpu":
        return torch.device("cpu"), "asked for"
    raise ValueError(
        f"unknown device {requested!r}; valid values are: auto, cpu, cuda, cuda:N, mps."
    )

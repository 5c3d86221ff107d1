"""Checks for the exercises of notebook 12 (the playground).

The references are the package's: :func:`g3an_edu.playground.motion_steps`,
:func:`g3an_edu.playground.directions_from` and the agreement of
:func:`g3an_edu.playground.look_agreement`.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ..generator import frames_for_length
from ..playground import directions_from
from . import check_number, fail, passed, unwrap_scalar


def check_ex1(steps_for: Callable) -> None:
    """Exercise 1: ``steps_for(arch, L)`` -> motion-code steps for ``T = 4(L+3)`` frames."""
    name = "Exercise 1 (motion steps)"
    for length in (1, 2, 5):
        t = frames_for_length(length)
        for arch, want in (("g3an", length), ("mocogan", t)):
            got = unwrap_scalar(steps_for(arch, length))
            if got == want:
                continue
            if arch == "g3an" and got == t:
                fail(name, f"steps_for('g3an', {length}) is {got}: that is T, the frames",
                     "G3AN's temporal stream upsamples z_m: L steps become L+3, then 2(L+3), "
                     "then 4(L+3) frames.")
            if arch == "mocogan" and got == length:
                fail(name, f"steps_for('mocogan', {length}) is {got}: MoCoGAN would then make "
                           f"{got} frames, not {t}",
                     "MoCoGAN's GRU turns one noise vector per frame into that frame's motion "
                     "code: it needs T steps.")
            fail(name, f"steps_for({arch!r}, {length}) is {got}, expected {want}")
    passed(name)


def _planted(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Codes ``(300, 6)`` (not centred, not unit variance) and features ``(300, 20)`` whose
    first principal component is driven by one direction of the codes."""
    g = torch.Generator().manual_seed(seed)
    codes = 2.0 + torch.randn(300, 6, generator=g) * torch.tensor([1.0, 3.0, 1.0, 1.0, 2.0, 1.0])
    a = torch.tensor([0.6, 0.0, -0.8, 0.0, 0.0, 0.0])
    b = torch.tensor([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    feats = (5.0 + (codes @ a)[:, None] * torch.randn(1, 20, generator=g) * 4
             + (codes @ b)[:, None] * torch.randn(1, 20, generator=g)
             + 0.05 * torch.randn(300, 20, generator=g))
    return codes, feats


def check_ex2(directions: Callable) -> None:
    """Exercise 2: ``directions(codes (n, d), features (n, f), k) -> (k, d)`` unit rows."""
    name = "Exercise 2 (principal directions)"
    codes, feats = _planted()
    want, _ = directions_from(codes, feats, 2)
    got = directions(codes.clone(), feats.clone(), 2)
    if not isinstance(got, torch.Tensor):
        fail(name, f"expected a torch.Tensor (k, d), got {type(got).__name__}")
    if tuple(got.shape) != (2, 6):
        fail(name, f"shape is {tuple(got.shape)}, expected (2, 6): one row per direction",
             "least squares of the codes on the k scores gives a (k, d) solution.")
    got = got.detach().double()
    norms = got.norm(dim=1)
    if not torch.allclose(norms, torch.ones(2, dtype=torch.float64), atol=1e-4):
        fail(name, f"the rows have lengths {[round(x, 3) for x in norms.tolist()]}, expected 1",
             "divide each row by its norm: a slider step is then one standard deviation of "
             "the code along it.")
    cos = (got * want.double()).sum(1)
    code_pca = torch.linalg.svd(codes.double() - codes.double().mean(0),
                                full_matrices=False)[2][:2]
    if (got @ code_pca.T).abs().diagonal().min() > 0.99:
        fail(name, "these are the principal directions of the codes themselves",
             "the codes are just noise; PCA the features (what the generator made), then "
             "regress the codes on the feature scores.")
    if cos.abs().min() < 0.999:
        fail(name, f"the directions differ from the reference (|cos| = "
                   f"{[round(x, 3) for x in cos.abs().tolist()]})",
             "centre both the features and the codes, take the top-k left singular vectors "
             "of the features as scores, solve codes ≈ scores · D by least squares.")
    if (cos < 0).any():
        fail(name, "a direction points the other way",
             "SVD signs are arbitrary: flip each row so that its largest |entry| is positive.")
    passed(name)


def check_ex3(agreement: Callable) -> None:
    """Exercise 3: ``agreement(predicted, target) -> float``, the fraction of videos whose
    every target factor is predicted right."""
    name = "Exercise 3 (agreement)"
    predicted = {"shirt": torch.tensor([0, 0, 0, 1, 0, 2]),
                 "background": torch.tensor([3, 1, 3, 3, 3, 3]),
                 "skin": torch.tensor([2, 2, 0, 1, 1, 1])}
    target = {"shirt": 0, "background": 3}
    got = unwrap_scalar(agreement({k: v.clone() for k, v in predicted.items()}, dict(target)))
    if isinstance(got, (int, float)):
        per_factor = (4 / 6 + 5 / 6) / 2
        if abs(got - per_factor) < 1e-6:
            fail(name, f"got {got:.4f}: the mean of the per-factor accuracies",
                 "a video counts only when every target factor is right at once.")
        if abs(got - 1.0) < 1e-6:
            fail(name, f"got {got:.4f}: this counts videos with any target factor right",
                 "combine the factors with AND, not OR.")
    check_number(name, got, 3 / 6, hint="(pred[f] == c) for each target factor, AND them, "
                                        "then the mean over videos.")

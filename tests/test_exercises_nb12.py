"""Notebook 12's exercise checks accept the reference solutions and explain wrong answers."""

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb12 import check_ex1, check_ex2, check_ex3


def steps_for(arch, length):
    return length if arch == "g3an" else 4 * (length + 3)


def directions(codes, features, k):
    x = features - features.mean(0)
    z = codes - codes.mean(0)
    u, _, _ = torch.linalg.svd(x, full_matrices=False)
    scores = u[:, :k] * (len(x) - 1) ** 0.5
    d = torch.linalg.lstsq(scores, z).solution
    d = d / d.norm(dim=1, keepdim=True)
    return d * torch.sign(d.gather(1, d.abs().argmax(1, keepdim=True)))


def agreement(predicted, target):
    right = torch.ones(len(next(iter(predicted.values()))), dtype=torch.bool)
    for factor, c in target.items():
        right &= predicted[factor] == c
    return right.float().mean().item()


def test_reference_solutions_pass(capsys):
    check_ex1(steps_for)
    check_ex2(directions)
    check_ex3(agreement)
    assert capsys.readouterr().out.count("correct") == 3


def test_ex1_recognises_frames_for_g3an_and_steps_for_mocogan():
    with pytest.raises(ExerciseFailed, match="that is T, the frames"):
        check_ex1(lambda arch, length: 4 * (length + 3))
    with pytest.raises(ExerciseFailed, match="MoCoGAN would then make 1 frames, not 16"):
        check_ex1(lambda arch, length: length)
    with pytest.raises(ExerciseFailed, match=r"steps_for\('g3an', 1\) is 2, expected 1"):
        check_ex1(lambda arch, length: length + 1)


def test_ex2_catches_usual_mistakes():
    def code_pca(codes, features, k):
        return torch.linalg.svd(codes - codes.mean(0), full_matrices=False)[2][:k]

    with pytest.raises(ExerciseFailed, match="of the codes themselves"):
        check_ex2(code_pca)

    def not_unit(codes, features, k):
        return 3 * directions(codes, features, k)

    with pytest.raises(ExerciseFailed, match="lengths"):
        check_ex2(not_unit)

    def not_centred(codes, features, k):
        u, _, _ = torch.linalg.svd(features, full_matrices=False)
        d = torch.linalg.lstsq(u[:, :k], codes).solution
        return d / d.norm(dim=1, keepdim=True)

    with pytest.raises(ExerciseFailed, match="differ from the reference"):
        check_ex2(not_centred)

    def flipped(codes, features, k):
        return -directions(codes, features, k)

    with pytest.raises(ExerciseFailed, match="other way"):
        check_ex2(flipped)
    with pytest.raises(ExerciseFailed, match=r"shape is \(6, 2\)"):
        check_ex2(lambda c, f, k: directions(c, f, k).T)


def test_ex3_catches_mean_of_accuracies_and_or():
    def mean_accuracy(predicted, target):
        return sum((predicted[f] == c).float().mean() for f, c in target.items()) / len(target)

    with pytest.raises(ExerciseFailed, match="mean of the per-factor accuracies"):
        check_ex3(mean_accuracy)

    def any_right(predicted, target):
        right = torch.zeros(6, dtype=torch.bool)
        for f, c in target.items():
            right |= predicted[f] == c
        return right.float().mean()

    with pytest.raises(ExerciseFailed, match="AND, not OR"):
        check_ex3(any_right)
    with pytest.raises(ExerciseFailed, match="got 0.25, expected 0.5"):
        check_ex3(lambda p, t: 0.25)

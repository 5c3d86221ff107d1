"""Notebook 07's exercise checks accept the reference solutions and name the usual mistakes."""

import math

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb07 import check_ex1, check_ex2, check_ex3


def frechet_diagonal(mu_a, var_a, mu_b, var_b):
    return float((mu_a - mu_b).square().sum() + (var_a.sqrt() - var_b.sqrt()).square().sum())


def appearance_consistency(labels, factors):
    g, k = labels[factors[0]].shape
    agree = total = 0
    for group in range(g):
        for i in range(k):
            for j in range(k):
                if i != j:
                    total += 1
                    agree += all(labels[f][group, i] == labels[f][group, j] for f in factors)
    return agree / total


def action_entropy(actions, n_actions):
    p = torch.bincount(actions, minlength=n_actions).double() / actions.numel()
    p = p[p > 0]
    return float(-(p * p.log()).sum() / math.log(n_actions))


def test_reference_solutions_pass(capsys):
    check_ex1(frechet_diagonal)
    check_ex2(appearance_consistency)
    check_ex3(action_entropy)
    assert capsys.readouterr().out.count("correct") == 3


def test_ex1_names_variances_used_as_standard_deviations():
    def variances(mu_a, var_a, mu_b, var_b):
        return float((mu_a - mu_b).square().sum() + (var_a - var_b).square().sum())

    with pytest.raises(ExerciseFailed, match="standard deviations"):
        check_ex1(variances)


def test_ex1_names_an_unsquared_mean_term():
    def norm(mu_a, var_a, mu_b, var_b):
        return float((mu_a - mu_b).norm() + (var_a.sqrt() - var_b.sqrt()).square().sum())

    with pytest.raises(ExerciseFailed, match="norm"):
        check_ex1(norm)


def test_ex1_rejects_a_missing_mean_term():
    with pytest.raises(ExerciseFailed, match="only the means differ"):
        check_ex1(lambda mu_a, var_a, mu_b, var_b: float(
            (var_a.sqrt() - var_b.sqrt()).square().sum()))


def test_ex2_names_the_diagonal_pairs():
    def with_diagonal(labels, factors):
        same = None
        for f in factors:
            eq = labels[f][:, :, None] == labels[f][:, None, :]
            same = eq if same is None else same & eq
        return float(same.float().mean())

    with pytest.raises(ExerciseFailed, match="with itself"):
        check_ex2(with_diagonal)


def test_ex2_names_a_per_factor_average():
    def per_factor(labels, factors):
        return sum(appearance_consistency(labels, (f,)) for f in factors) / len(factors)

    with pytest.raises(ExerciseFailed, match="ALL factors"):
        check_ex2(per_factor)


def test_ex3_names_a_missing_normalisation():
    def raw(actions, n_actions):
        p = torch.bincount(actions, minlength=n_actions).double() / actions.numel()
        p = p[p > 0]
        return float(-(p * p.log()).sum())

    with pytest.raises(ExerciseFailed, match="not normalised"):
        check_ex3(raw)


def test_ex3_names_normalising_by_the_actions_seen():
    def by_seen(actions, n_actions):
        return action_entropy(actions, n_actions) * math.log(n_actions) / math.log(
            len(actions.unique()))

    with pytest.raises(ExerciseFailed, match="that occur"):
        check_ex3(by_seen)


def test_ex3_reports_nan_from_zero_counts():
    def nan(actions, n_actions):
        p = torch.bincount(actions, minlength=n_actions).double() / actions.numel()
        return float(-(p * p.log()).sum() / math.log(n_actions))  # 0·log 0 = NaN

    with pytest.raises(ExerciseFailed, match="NaN"):
        check_ex3(nan)

"""``g3an-edu evaluate``: the JSON output parses and has the pinned keys."""

import json
from types import SimpleNamespace

import pytest
from _standins import CopyGenerator, ExactOracle, LabelledSquares

from g3an_edu import cli
from g3an_edu.commands import evaluate as evaluate_command
from g3an_edu.metrics import evaluation
from g3an_edu.metrics.disentanglement import DatasetSource
from g3an_edu.models import Source

PINNED = ("fd_video", "fd_frame", "appearance_consistency", "action_consistency",
          "motion_diversity", "oracle_accuracy")


@pytest.fixture
def stand_ins(monkeypatch):
    ds = LabelledSquares(n=512)
    config = SimpleNamespace(length=1, arch="g3an")
    monkeypatch.setattr(evaluate_command, "resolve_source",
                        lambda path: Source("path", path, str(path)))
    monkeypatch.setattr(evaluation, "load_generator",
                        lambda path, ema=True, device="cpu", untrained=False:
                        (CopyGenerator(ds), config))
    monkeypatch.setattr(evaluation, "real_source_for",
                        lambda cfg: DatasetSource(ds, ds.render_pairs))
    monkeypatch.setattr(evaluation, "load_oracle",
                        lambda path, device: (ExactOracle(), {"held_out_accuracy": {"a": 1}}))


def test_evaluate_json_parses_and_has_the_pinned_keys(stand_ins, capsys):
    code = cli.main(["evaluate", "--checkpoint", "run", "--n", "32", "--groups", "3",
                     "--per-group", "3", "--json", "--device", "cpu"])
    assert code == 0
    scores = json.loads(capsys.readouterr().out)
    for key in PINNED:
        assert isinstance(scores[key], float), key
        assert isinstance(scores["real"][key], float), key
    assert scores["appearance_consistency"] == 1.0  # the copying stand-in is disentangled
    for key in ("appearance_variance_from_zm", "action_variance_from_za",
                "action_variance_from_zm", "appearance_kappa", "action_kappa"):
        assert isinstance(scores[key], float), key
        low, high = scores["ci"][key]
        assert low <= scores[key] <= high, key
    assert set(scores["appearance_variance_from_zm_by_factor"]) == {"shirt", "background"}
    assert scores["appearance_variance_from_zm"] < 0.05  # looks follow z_a only


def test_evaluate_prints_a_table_without_json(stand_ins, capsys):
    assert cli.main(["evaluate", "--checkpoint", "run", "--n", "16", "--groups", "2",
                     "--per-group", "2", "--no-real", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert all(key in out for key in PINNED)
    assert "appearance_variance_from_zm[shirt]" in out and "95 % interval" in out


def test_evaluate_reports_a_missing_checkpoint_as_an_error(tmp_path, capsys):
    assert cli.main(["evaluate", "--checkpoint", str(tmp_path / "nothing"), "--json"]) == 2
    assert "no checkpoint" in capsys.readouterr().err



def test_evaluate_degraded_adds_the_degraded_real_block_and_bad_values_are_refused(
        stand_ins, capsys):
    args = ["evaluate", "--checkpoint", "run", "--n", "32", "--groups", "3", "--per-group",
            "3", "--device", "cpu", "--bootstrap", "20"]
    assert cli.main([*args, "--json", "--degraded", "0.5"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["real_degraded"]["strength"] == 0.5 and "fd_frame" in scores["real_degraded"]
    assert cli.main([*args, "--degraded", "blurry"]) == 2
    assert "--degraded takes a strength" in capsys.readouterr().err


def test_evaluate_recalibrate_bn_reaches_the_generator(stand_ins, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(evaluation, "recalibrate_batchnorm",
                        lambda g, n, length, seed: calls.append((n, length, seed)) or g)
    args = ["evaluate", "--checkpoint", "run", "--n", "16", "--groups", "2", "--per-group",
            "2", "--no-real", "--device", "cpu", "--bootstrap", "0", "--json", "--seed", "4"]
    assert cli.main(args) == 0
    assert json.loads(capsys.readouterr().out)["bn_recalibrated"] == 0 and calls == []
    assert cli.main([*args, "--recalibrate-bn", "64"]) == 0
    assert json.loads(capsys.readouterr().out)["bn_recalibrated"] == 64
    assert calls == [(64, 1, 4)]


def test_a_target_no_degradation_reaches_raises_its_own_value_error():
    from g3an_edu.metrics.degrade import BeyondDegradationRange, calibrate_strength

    ds = LabelledSquares(n=64)
    with pytest.raises(BeyondDegradationRange, match="even strength 1.0 keeps fd_frame below"):
        calibrate_strength(ExactOracle(), DatasetSource(ds, ds.render_pairs), 1e12, n=16,
                           high=1.0)
    assert issubclass(BeyondDegradationRange, ValueError)  # callers catching ValueError still do

"""The study's plumbing: every variant is a valid config, runs are comparable, the table reads
the curves with intervals over seeds."""

import json
import math

import pytest

from g3an_edu.config import load_config
from g3an_edu.study import VARIANT_BASE, VARIANTS, mean_interval, run_dir, table, variant_config


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_is_a_valid_config_that_keeps_every_checkpoint(variant):
    config = variant_config(variant, seed=2, steps=4000, every=1000)
    base = load_config(VARIANT_BASE.get(variant, "tiny"))
    assert config.seed == 2 and config.steps == 4000 and config.checkpoint_every == 1000
    assert config.keep_checkpoints >= 5  # steps 1000 … 4000 all kept: points of the curves
    for key, value in VARIANTS[variant].items():
        assert getattr(config, key) == value
    unchanged = {"resolution", "ch", "dv_ch", "di_ch"} - set(VARIANTS[variant])
    assert all(getattr(config, k) == getattr(base, k) for k in unchanged)


def test_unknown_variant_lists_the_known_ones():
    with pytest.raises(ValueError, match="valid: paper"):
        variant_config("magic", 0, 10, 5)


def test_mean_interval_is_a_t_interval_over_seeds():
    mean, low, high = mean_interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and low == pytest.approx(2 - 4.30 / math.sqrt(3)) and high > 3
    assert math.isnan(mean_interval([5.0])[1])


def test_table_reads_each_runs_curve_at_the_step(tmp_path):
    for seed, value in enumerate((0.1, 0.3)):
        folder = run_dir(tmp_path, "pair", seed)
        folder.mkdir(parents=True)
        rows = [{"step": 1000, "x": 9.0}, {"step": 4000, "x": value, "real": {"x": 0.0}}]
        (folder / "curve.json").write_text(json.dumps(rows))
    text = table(tmp_path, ["paper", "pair"], [0, 1], 4000, ["x"])
    assert "| pair | 2 | 0.2 [" in text and "| real data | | 0 |" in text
    assert "| paper" not in text  # no runs yet: no row


def test_the_mocogan_variant_is_the_baseline_trained_like_the_paper_variant():
    mocogan = variant_config("mocogan", 1, 4000, 1000)
    paper = variant_config("paper", 1, 4000, 1000)
    assert mocogan.arch == "mocogan" and paper.arch == "g3an"
    same = ("resolution", "batch", "dv_ch", "di_ch", "lr_g", "lr_d", "steps", "seed", "loss")
    assert all(getattr(mocogan, k) == getattr(paper, k) for k in same)

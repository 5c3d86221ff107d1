"""The study's plumbing: every variant is a valid config, runs are comparable, the table reads
the curves with intervals over seeds."""

import json
import math

import pytest

from g3an_edu.config import load_config
from g3an_edu.study import (
    VARIANT_BASE,
    VARIANTS,
    curves_in,
    mean_interval,
    real_of,
    run_dir,
    summary_at,
    t_interval,
    table,
    table_from_files,
    variant_config,
)


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


def test_t_interval_from_a_summary_equals_the_interval_of_the_values():
    values = [0.2, 0.5, 0.4]
    mean, low, high = mean_interval(values)
    import statistics
    assert t_interval(mean, statistics.stdev(values), 3) == pytest.approx((mean, low, high))
    two = t_interval(1.0, 0.1, 2)  # one degree of freedom: t = 12.71, not 1.96
    assert two[2] - two[0] == pytest.approx(12.71 * 0.1 / math.sqrt(2))
    assert math.isnan(t_interval(1.0, 0.0, 1)[1])


def _write_curves(folder, runs):
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in runs.items():
        (folder / name).write_text(json.dumps(rows))


def test_curves_in_reads_whatever_runs_landed_in_variant_order(tmp_path):
    _write_curves(tmp_path, {
        "pair-seed1.json": [{"step": 4000, "x": 0.3}, {"step": 0, "x": 1.0}],
        "pair-seed0.json": [{"step": 0, "x": 1.0, "real": {"x": 0.0}}, {"step": 4000, "x": 0.1}],
        "paper-seed0.json": [{"step": 0, "x": 1.0}, {"step": 2000, "x": 0.5}],
        "zeta-seed0.json": [{"step": 4000, "x": 0.9}],  # a variant the package does not know
    })
    (tmp_path / "figures").mkdir()
    (tmp_path / "notes.json").write_text("{}")  # not a curve file: ignored
    curves = curves_in(tmp_path)
    assert list(curves) == ["paper", "pair", "zeta"]  # VARIANTS order, unknown last
    assert list(curves["pair"]) == [0, 1]
    assert [r["step"] for r in curves["pair"][1]] == [0, 4000]  # sorted by step
    assert real_of(curves) == {"x": 0.0}


def test_summary_and_table_from_files_count_the_seeds_of_each_row(tmp_path):
    _write_curves(tmp_path, {
        "pair-seed0.json": [{"step": 0, "x": 1.0, "real": {"x": 0.0}}, {"step": 4000, "x": 0.1}],
        "pair-seed1.json": [{"step": 4000, "x": 0.3}],
        "paper-seed0.json": [{"step": 4000, "x": 0.7}],
        "sep-seed0.json": [{"step": 1000, "x": 0.7}],  # still training: no row at 4000
    })
    summary = summary_at(curves_in(tmp_path), 4000, ["x", "y"])
    assert summary["pair"]["seeds"] == [0, 1] and summary["pair"]["y"] is None
    assert summary["pair"]["x"] == pytest.approx(mean_interval([0.1, 0.3]))
    assert "sep" not in summary
    text = table_from_files(tmp_path, 4000, ["x"])
    assert "| pair | 2 | 0.2 [" in text and "| paper | 1 | 0.7 |" in text  # one seed: no interval
    assert "| sep" not in text and "| real data | | 0 |" in text
    assert "| paper" not in table_from_files(tmp_path, 4000, ["x"], variants=["pair"])


def test_curves_in_refuses_a_file_that_is_not_a_curve(tmp_path):
    (tmp_path / "paper-seed0.json").write_text(json.dumps({"step": 0}))
    with pytest.raises(ValueError, match="list of evaluated checkpoints"):
        curves_in(tmp_path)


def test_curves_in_names_a_list_of_rows_that_are_not_checkpoints(tmp_path):
    # e.g. another tool's rows saved as frames-<variant>-seed0.json beside the curves
    (tmp_path / "frames-paper-seed0.json").write_text(json.dumps([{"looks": 0.8}]))
    with pytest.raises(ValueError, match="lack a 'step'.*must not end in -seed<k>.json"):
        curves_in(tmp_path)


def test_the_committed_curve_files_make_a_table():
    from pathlib import Path
    folder = Path(__file__).resolve().parents[1] / "docs" / "study"
    curves = curves_in(folder)
    assert "paper" in curves and real_of(curves) is not None
    assert "| paper |" in table_from_files(folder, 4000, ["appearance_variance_from_zm"])


def test_a_list_of_steps_averages_each_run_over_those_checkpoints():
    from g3an_edu.study import at_step

    rows = [{"step": s, "fd_video": float(s), "appearance_kappa": None if s == 2000 else 0.5,
             "run": "seed0"} for s in (1000, 2000, 3000)]
    late = at_step(rows, [2000, 3000])
    assert late["fd_video"] == 2500.0 and late["step"] == [2000, 3000]
    assert late["appearance_kappa"] is None  # missing at one checkpoint: no half-mean
    assert late["run"] == "seed0"
    assert at_step(rows, [3000, 4000]) is None  # a run not evaluated at every step is left out
    assert at_step(rows, 2000) is rows[1]


def test_a_cell_says_when_only_some_runs_have_the_measure(tmp_path):
    """Runs evaluated before a measure existed lack it: the cell names how many have it."""
    _write_curves(tmp_path, {
        "pair-seed0.json": [{"step": 4000, "x": 0.1, "y": 0.5}],
        "pair-seed1.json": [{"step": 4000, "x": 0.3}],
        "pair-seed2.json": [{"step": 4000, "x": 0.2, "y": 0.7}],
    })
    text = table_from_files(tmp_path, 4000, ["x", "y"])
    row = next(line for line in text.splitlines() if line.startswith("| pair"))
    assert row.count("of 3") == 1 and "0.6 [" in row and "(2 of 3)" in row


def test_pooled_frame_profiles_average_runs_and_steps_and_skip_keys_old_curves_lack():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent.parent / "tools" / "study_figures.py"
    spec = importlib.util.spec_from_file_location("study_figures", path)
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)

    def row(step, value, jump=True):
        r = {"step": step, "outlier_fraction_by_frame": [value, 0.0],
             "colour_outlier_fraction_by_frame": [value, 1.0],
             "brightness_by_frame": [value, value]}
        if jump:
            r["jump_ratio_by_frame"] = [2 * value]
        return r

    runs_of = {"new": {0: [row(1, 0.0), row(2, 1.0)], 1: [row(1, 0.5), row(2, 0.5)]},
               "old": {0: [row(1, 0.2, jump=False), row(2, 0.4)]}}
    pooled = figures.pooled_profiles(runs_of, [1, 2])
    new = pooled["new (2 runs × 2 steps)"]
    assert new["outlier_fraction_by_frame"] == pytest.approx([0.5, 0.0])
    assert new["colour_outlier_fraction_by_frame"] == pytest.approx([0.5, 1.0])
    assert new["jump_ratio_by_frame"] == pytest.approx([1.0])
    old = pooled["old (1 runs × 2 steps)"]
    assert "jump_ratio_by_frame" not in old  # one of its checkpoints predates the jump count
    assert old["brightness_by_frame"] == pytest.approx([0.3, 0.3])


def test_pick_checkpoint_takes_the_lowest_entanglement_sum_and_refuses_missing_measures():
    from g3an_edu.study import pick_checkpoint

    def row(step, looks, action):
        return {"step": step, "appearance_variance_from_zm": looks,
                "action_variance_from_za_invariant": action}

    runs = {0: [row(3000, 0.5, 0.2), row(4000, 0.4, 0.5)],
            1: [row(3000, 0.3, 0.6), row(4000, 0.45, 0.1), row(5000, 0.0, 0.0)]}
    assert pick_checkpoint(runs, [3000, 4000]) == (1, 4000, pytest.approx(0.55))
    assert pick_checkpoint(runs, [3000, 4000, 5000])[:2] == (1, 5000)
    assert pick_checkpoint(runs, [3000], ("appearance_variance_from_zm",))[:2] == (1, 3000)
    runs[1][2]["colour_outlier_fraction"] = 0.5  # the best sum, but broken frames
    for rows in runs.values():
        for r in rows[:2]:
            r["colour_outlier_fraction"] = 0.1
    limit = {"colour_outlier_fraction": 0.32}
    assert pick_checkpoint(runs, [3000, 4000, 5000], limits=limit)[:2] == (1, 4000)
    with pytest.raises(ValueError, match="within"):
        pick_checkpoint(runs, [5000], limits=limit)
    runs[0][0]["action_variance_from_za_invariant"] = None  # evaluated without the judge
    with pytest.raises(ValueError, match="seed 0, step 3000.*action judge"):
        pick_checkpoint(runs, [3000])
    with pytest.raises(ValueError, match="no evaluated checkpoint at steps \\[7000\\]"):
        pick_checkpoint(runs, [7000])

"""The ablation runner: every variant and seed, skip finished runs, one table of mean ± spread."""

import json

import pytest
import torch

from g3an_edu.ablations import (
    BEGIN,
    END,
    VARIANTS,
    read_table,
    run_ablations,
    summarise,
    write_results,
)


def fake_runner(calls):
    def train_fn(folder, variant, seed, base, steps):
        calls.append((variant, seed))
        folder.mkdir(parents=True, exist_ok=True)
        return 1000

    def evaluate_fn(folder):
        seed = int(folder.name.removeprefix("seed"))
        scores = {k: 0.5 + 0.1 * seed for k in ("fd_video", "fd_frame", "action_spread",
                                                 "appearance_consistency", "action_consistency",
                                                 "appearance_spread", "motion_diversity",
                                                 "action_entropy")}
        scores["real"] = {**scores, "fd_video": 0.01}
        return scores
    return train_fn, evaluate_fn


def test_runner_trains_every_variant_and_seed_once_and_writes_the_table(tmp_path):
    calls = []
    results_md = tmp_path / "RESULTS.md"
    results_md.write_text("# Benchmark results\n\nother section\n")
    run_ablations(tmp_path / "runs", "tiny", 3, [0, 1], list(VARIANTS), *fake_runner(calls),
                  results_md, note="note")
    assert sorted(calls) == sorted((v, s) for v in VARIANTS for s in (0, 1))
    text = results_md.read_text()
    assert "other section" in text and text.count(BEGIN) == 1 and text.count(END) == 1
    assert "| mocogan | 1,000 |" in text
    assert "0.550 ± 0.071" in text  # mean and sample std of 0.5 and 0.6
    assert "real data (ceiling)" in text

    calls.clear()  # a second run finds every scores.json and trains nothing
    run_ablations(tmp_path / "runs", "tiny", 3, [0, 1], list(VARIANTS), *fake_runner(calls),
                  results_md, note="note 2")
    assert calls == []
    text = results_md.read_text()
    assert "note 2" in text and "note\n" not in text and text.count(BEGIN) == 1
    saved = json.loads((tmp_path / "runs" / "g3an-3d" / "seed1" / "scores.json").read_text())
    assert saved["variant"] == "g3an-3d" and saved["steps"] == 3


def test_runner_rejects_unknown_variants(tmp_path):
    with pytest.raises(ValueError, match="unknown variants"):
        run_ablations(tmp_path, "tiny", 1, [0], ["g3an-4d"], *fake_runner([]), None)


def test_summarise_and_write_results_on_a_new_file(tmp_path):
    assert summarise([1.0, 3.0]) == "2.000 ± 1.414"
    assert summarise([None]) == "-"
    write_results(tmp_path / "R.md", "table\n")
    assert BEGIN in (tmp_path / "R.md").read_text()


@pytest.fixture
def restore_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


@pytest.mark.slow
def test_ablation_script_end_to_end_on_a_trivially_small_setting(tmp_path, restore_threads):
    # Real trainer, real SyntheticActions, shipped oracle: 2 variants x 2 seeds x 1 step.
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "benchmarks" / "ablations.py"
    spec = importlib.util.spec_from_file_location("ablations_script", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    results = tmp_path / "RESULTS.md"
    argv = ["--base", "tiny", "--steps", "1", "--seeds", "0,1", "--variants",
            "g3an-1p2d,mocogan", "--n", "16", "--groups", "2", "--per-group", "2",
            "--out", str(tmp_path / "runs"), "--results", str(results), "--device", "cpu",
            "--threads", "1"]  # tiny convs on a busy 2-core machine: 1 thread is ~5x faster
    assert script.main(argv) == 0
    text = results.read_text()
    assert "| g3an-1p2d |" in text and "| mocogan |" in text and "real data (ceiling)" in text
    runs = sorted((tmp_path / "runs").glob("*/seed*/scores.json"))
    assert len(runs) == 4
    scores = json.loads(runs[0].read_text())  # what `g3an-edu evaluate --json` computed
    for key in ("fd_video", "fd_frame", "appearance_consistency", "action_consistency",
                "motion_diversity", "oracle_accuracy"):
        assert isinstance(scores[key], float), key
    assert scores["oracle_held_out_accuracy"]["action"] >= 0.95  # the shipped oracle
    assert scores["real"]["oracle_accuracy"] >= 0.8  # ... reads real clips


def test_read_table_gives_back_what_the_runner_wrote(tmp_path):
    results_md = tmp_path / "RESULTS.md"
    run_ablations(tmp_path / "runs", "tiny", 3, [0, 1], ["g3an-1p2d", "mocogan"],
                  *fake_runner([]), results_md, note="Base preset `tiny`, seeds [0, 1], …")
    results, real, seeds = read_table(results_md)
    assert seeds == 2 and list(results) == ["g3an-1p2d", "mocogan"]
    mean, sd = results["mocogan"]["motion_diversity"]
    assert mean == pytest.approx(0.55) and sd == pytest.approx(0.0707, abs=1e-3)
    assert real["fd_video"] == pytest.approx(0.01) and real["action_entropy"] == 0.5


def test_read_table_says_how_to_make_a_missing_table(tmp_path):
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n")
    with pytest.raises(ValueError, match="benchmarks/ablations.py"):
        read_table(tmp_path / "RESULTS.md")


def test_the_committed_ablation_table_reads_back():
    from pathlib import Path
    results, real, seeds = read_table(Path(__file__).resolve().parents[1] / "benchmarks"
                                      / "RESULTS.md")
    assert seeds >= 1 and "g3an-1p2d" in results and "mocogan" in results
    assert set(real) <= set(results["g3an-1p2d"]) and "motion_diversity" in real

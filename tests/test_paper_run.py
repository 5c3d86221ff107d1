"""The GPU recipe (tools/paper_run.py) runs end to end on the fast tier's config, on a CPU."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_paper_run_recipe_runs_on_the_fast_tier(tmp_path):
    out = tmp_path / "paper-run"
    subprocess.run([sys.executable, str(ROOT / "tools" / "paper_run.py"), "--config", "tiny",
                    "--steps", "5", "--out", str(out), "--device", "cpu", "--bench-steps", "1",
                    "--no-compile", "--n", "16", "--groups", "2", "--per-group", "2"],
                   check=True, capture_output=True, text=True, timeout=600)
    speed = json.loads((out / "speed.json").read_text())
    assert set(speed["variants"]) == {"fp32", "bf16"}
    assert speed["variants"]["fp32"]["speedup_vs_fp32"] == 1.0
    rows = json.loads((out / "curve.json").read_text())["paper-run"]
    assert [r["step"] for r in rows] == [0, 5]
    assert rows[0]["seconds"] == 0.0 and rows[1]["seconds"] > 0
    assert (out / "metrics_curve.png").stat().st_size > 0
    assert (out / "samples.gif").stat().st_size > 0
    assert json.loads((out / "config.json").read_text())["keep_checkpoints"] == 1000

"""The oracle: shapes, saving/loading, and that training reaches high held-out accuracy."""

import pytest
import torch
from _standins import LabelledSquares

from g3an_edu.data import SyntheticActions
from g3an_edu.metrics.oracle import Oracle, OracleSpec, embed, load_oracle, save_oracle
from g3an_edu.metrics.oracle_training import train_oracle

FACTORS = {"action": 4, "shirt": 3, "background": 3}


def test_oracle_outputs_have_documented_shapes():
    oracle = Oracle(OracleSpec(factors=FACTORS, size=32, width=8, dim=16)).eval()
    out = oracle(torch.rand(2, 3, 16, 32, 32) * 2 - 1)
    assert {k: v.shape for k, v in out.logits.items()} == {k: (2, n) for k, n in
                                                           FACTORS.items()}
    assert out.frame_features.shape == (2, 16, 16)
    assert out.motion_features.shape == (2, 16)
    assert out.video_features.shape == (2, 32)


def test_oracle_resizes_64_pixel_videos():
    oracle = Oracle(OracleSpec(factors=FACTORS, size=32, width=8, dim=16)).eval()
    video = torch.rand(1, 3, 16, 64, 64)
    small = torch.nn.functional.avg_pool3d(video, (1, 2, 2))  # (1, 3, 16, 32, 32)
    torch.testing.assert_close(oracle(video).video_features, oracle(small).video_features)


def test_oracle_needs_an_action_head():
    with pytest.raises(ValueError, match="action"):
        Oracle(OracleSpec(factors={"shirt": 3}))


def test_saved_oracle_loads_to_the_same_outputs(tmp_path):
    torch.manual_seed(0)
    oracle = Oracle(OracleSpec(factors=FACTORS, size=32, width=8, dim=16)).eval()
    path = save_oracle(oracle, tmp_path / "o.safetensors", {"held_out_accuracy": {"action": 1}})
    loaded, info = load_oracle(path)
    video = torch.rand(3, 3, 16, 32, 32) * 2 - 1
    torch.testing.assert_close(embed(loaded, video).video_features,
                               embed(oracle, video).video_features)
    assert info["held_out_accuracy"] == {"action": 1}
    assert (tmp_path / "o.json").is_file()


def test_load_oracle_says_how_to_make_a_missing_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="oracle train"):
        load_oracle(tmp_path / "none.safetensors")


@pytest.fixture
def one_thread():
    # Small convs on a busy 2-core machine run many times faster on one thread than on two.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.slow
def test_oracle_training_reaches_high_held_out_accuracy_on_squares(one_thread):
    oracle, report = train_oracle(LabelledSquares(n=1024), n_train=512, n_val=256, steps=200,
                                  batch=32, width=8, dim=32, lr=4e-3, log=None)
    assert report["classes"] == FACTORS
    assert min(report["held_out_accuracy"].values()) >= 0.9, report


def test_shipped_oracle_records_at_least_95_percent_held_out_on_every_factor():
    oracle, info = load_oracle()
    assert set(info["held_out_accuracy"]) == set(oracle.spec.factors)
    assert min(info["held_out_accuracy"].values()) >= 0.95, info["held_out_accuracy"]
    assert info["command"].startswith("g3an-edu oracle train")


def test_shipped_oracle_still_reads_freshly_rendered_synthetic_actions():
    # Guards against the renderer drifting away from the data the oracle was trained on.
    oracle, _ = load_oracle()
    ds = SyntheticActions(size=32, frames=16, seed=0)
    batch = ds.batch(range(20_000, 20_128))  # never used in training (items 0..5119)
    preds = embed(oracle, batch["video"]).predictions()
    for name in oracle.spec.factors:
        accuracy = (preds[name] == batch[name]).float().mean().item()
        assert accuracy >= 0.9, (name, accuracy)


def test_oracle_cli_trains_saves_and_records_the_command(tmp_path, one_thread, capsys):
    import json

    from g3an_edu import cli

    out = tmp_path / "o.safetensors"
    assert cli.main(["oracle", "train", "--out", str(out), "--n-train", "64", "--n-val", "32",
                     "--steps", "2", "--batch", "8", "--width", "4", "--dim", "8",
                     "--device", "cpu", "--threads", "1"]) == 0
    info = json.loads(out.with_suffix(".json").read_text())
    assert "--n-train 64" in info["command"] and "--steps 2" in info["command"]
    assert set(info["held_out_accuracy"]) == set(SyntheticActions.CLASS_LABELS)
    assert cli.main(["oracle", "info", str(out)]) == 0
    assert '"held_out_accuracy"' in capsys.readouterr().out

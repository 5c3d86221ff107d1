"""``g3an-edu train`` and ``g3an-edu sample`` from the command line."""

import av
import matplotlib.image
import pytest

from g3an_edu.cli import build_parser, main
from g3an_edu.config import PRESETS

QUIET = ["--set", "ch=8", "--set", "dv_ch=8", "--set", "di_ch=8", "--set", "batch=2",
         "--set", "sample_every=0", "--set", "attention=false", "--no-progress"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["train", "--config", "tiny", "--out", str(out), "--steps", "2",
                 "--device", "cpu", *QUIET]) == 0
    return out


def test_train_writes_a_checkpoint_and_a_second_call_resumes(run_dir, capsys):
    assert (run_dir / "checkpoints" / "step_00000002.safetensors").exists()
    assert main(["train", "--config", "tiny", "--out", str(run_dir), "--steps", "2",
                 "--device", "cpu", *QUIET]) == 0  # already there: nothing to train
    assert "trained to step 2" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_sample_writes_a_readable_video(run_dir, tmp_path, suffix):
    out = tmp_path / f"samples{suffix}"
    assert main(["sample", "--checkpoint", str(run_dir), "--n", "3", "--length", "2",
                 "--seed", "1", "--device", "cpu", "--out", str(out)]) == 0
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 20  # L = 2 -> 4·(2+3) frames
    height, width, _ = frames[0].shape
    assert 2 * 32 <= height < 3 * 32 and 2 * 32 <= width < 3 * 32  # 3 videos tiled 2×2


def test_sample_png_is_one_row_of_frames_per_video(run_dir, tmp_path):
    out = tmp_path / "strip.png"
    assert main(["sample", "--checkpoint", str(run_dir), "--n", "2", "--out", str(out),
                 "--device", "cpu"]) == 0
    height, width = matplotlib.image.imread(out).shape[:2]
    assert (height, width) == (2 + 2 * (32 + 2), 2 + 16 * (32 + 2))  # 2 rows × 16, 2-px gaps


def test_sample_with_recalibrated_bn_changes_the_pixels_and_refuses_a_negative_count(
        run_dir, tmp_path, capsys):
    stored, recalibrated = tmp_path / "stored.png", tmp_path / "recalibrated.png"
    args = ["sample", "--checkpoint", str(run_dir), "--n", "2", "--device", "cpu"]
    assert main([*args, "--out", str(stored)]) == 0
    assert main([*args, "--out", str(recalibrated), "--recalibrate-bn", "16"]) == 0
    a, b = matplotlib.image.imread(stored), matplotlib.image.imread(recalibrated)
    assert a.shape == b.shape and (a != b).any()  # other statistics, other pixels
    assert main([*args, "--out", str(stored), "--recalibrate-bn", "-1"]) == 2
    assert "--recalibrate-bn takes a number of videos ≥ 0" in capsys.readouterr().err


def test_errors_are_one_line_and_exit_code_2(run_dir, tmp_path, capsys):
    assert main(["train", "--config", "tiny", "--set", "nope=1", "--out", str(tmp_path)]) == 2
    assert "unknown config key 'nope'" in capsys.readouterr().err
    assert main(["sample", "--checkpoint", str(tmp_path), "--out", str(tmp_path / "x.gif")]) == 2
    assert "no checkpoint" in capsys.readouterr().err
    assert main(["sample", "--checkpoint", str(run_dir), "--out", str(tmp_path / "x.avi"),
                 "--device", "cpu"]) == 2
    assert ".gif, .mp4 or .png" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["train", "sample"])
def test_help_explains_every_option(command):
    sub = build_parser()._subparsers._group_actions[0].choices[command]
    for action in sub._actions:
        assert action.help, f"{command} {action.option_strings} has no help"
    if command == "train":
        assert all(name in sub.format_help() for name in PRESETS)


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the no-CUDA path")
def test_train_on_cuda_without_a_gpu_says_so_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--config", "tiny", "--out", str(out), "--device", "cuda"]) == 2
    assert "torch.cuda.is_available() is False" in capsys.readouterr().err
    assert not out.exists()

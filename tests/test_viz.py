"""viz: fixed [-1, 1] -> [0, 1] mapping, grid layout, GIF/MP4 files, strips, the CLI preview."""

from __future__ import annotations

import io

import av
import matplotlib
import numpy as np
import pytest
import torch

from g3an_edu import viz
from g3an_edu.cli import main
from g3an_edu.data import SyntheticActions

matplotlib.use("Agg")


def constant_videos(values, t: int = 4, size: int = 8) -> torch.Tensor:
    """(B, 3, T, size, size) videos, video b filled with values[b]."""
    return torch.tensor(values, dtype=torch.float32)[:, None, None, None, None].expand(
        -1, 3, t, size, size).clone()


def test_mapping_is_fixed_not_stretched_per_video():
    dim = torch.linspace(-0.5, 0.5, 8).expand(1, 3, 4, 8, 8)  # a video using half the range
    unit = viz.to_unit(dim)
    assert unit.min() == pytest.approx(0.25) and unit.max() == pytest.approx(0.75)
    assert viz.to_unit(torch.tensor([-3.0, 3.0])).tolist() == [0.0, 1.0]


def test_video_grid_puts_video_b_at_row_b_div_ncol():
    grid = viz.video_grid(constant_videos([-1.0, -0.5, 0.0, 0.5, 1.0]), ncol=3, pad=1)
    assert grid.shape == (4, 1 + 2 * 9, 1 + 3 * 9, 3)
    cell = lambda r, c: grid[0, 1 + r * 9 + 4, 1 + c * 9 + 4, 0].item()  # noqa: E731
    assert [cell(0, 0), cell(0, 1), cell(0, 2), cell(1, 0), cell(1, 1)] == \
        pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    assert cell(1, 2) == 1.0  # the empty cell stays pad colour


def _read(path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_saved_gif_and_mp4_are_readable_and_faithful(tmp_path, suffix):
    ramp = torch.linspace(-1, 1, 16)[None, None, :, None] * torch.ones(2, 3, 6, 16, 16)
    videos = ramp + 0.3 * torch.tensor([-1.0, 1.0])[:, None, None, None, None] * \
        torch.linspace(0, 1, 6)[None, None, :, None, None]  # (2, 3, 6, 16, 16), moving
    path = viz.save_video(tmp_path / f"clip{suffix}", videos.clamp(-1, 1), fps=5, ncol=2)
    frames = _read(path)
    expected = viz._to_uint8(viz.video_grid(videos.clamp(-1, 1), ncol=2))
    assert frames.shape[0] == 6 and frames.shape[1:3] == (20, 38)  # (T, H, W, 3); mp4 even
    error = np.abs(frames[:, : expected.shape[1], : expected.shape[2]].astype(int) - expected)
    assert error.mean() < 4, error.mean()


def test_save_video_rejects_unknown_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.gif, \.mp4 or \.png \(got '\.avi'\)"):
        viz.save_video(tmp_path / "clip.avi", constant_videos([0.0]))


def test_save_video_png_is_a_strip_of_every_frame_one_row_per_video(tmp_path):
    videos = torch.linspace(-1, 1, 2 * 3 * 5 * 4 * 4).reshape(2, 3, 5, 4, 4)  # (B, 3, T, H, W)
    path = viz.save_video(tmp_path / "strip.png", videos)
    from PIL import Image

    strip = np.asarray(Image.open(path).convert("RGB"))
    assert strip.shape == (2 + 2 * (4 + 2), 2 + 5 * (4 + 2), 3)  # 2 rows of 5 frames, 2-px gaps
    for b in range(2):
        for t in range(5):
            y, x = 2 + b * 6, 2 + t * 6
            cell = strip[y:y + 4, x:x + 4].transpose(2, 0, 1)  # (3, H, W)
            assert np.array_equal(cell, viz.to_uint8(videos[b, :, t]).numpy()), (b, t)


def test_to_uint8_is_the_one_conversion_every_writer_uses():
    x = torch.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    assert viz.to_uint8(x).tolist() == [0, 0, 64, 128, 191, 255, 255]  # clamped, rounded


def test_frame_strip_is_deterministic_with_one_row_per_video():
    videos = torch.rand(3, 3, 10, 8, 8) * 2 - 1
    pngs = []
    for _ in range(2):
        fig = viz.frame_strip(videos, frames=4)
        assert len(fig.axes) == 12
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        pngs.append(buffer.getvalue())
        matplotlib.pyplot.close(fig)
    assert pngs[0] == pngs[1]


def test_show_videos_embeds_a_small_deterministic_gif():
    videos = SyntheticActions(size=64, frames=16).batch(range(8))["video"]
    a, b = viz.show_videos(videos), viz.show_videos(videos)
    assert a.data == b.data and a.data.startswith('<img src="data:image/gif;base64,')
    assert len(a.data) < viz.MAX_INLINE_BYTES


def test_show_videos_refuses_to_bloat_a_notebook(monkeypatch):
    monkeypatch.setattr(viz, "MAX_INLINE_BYTES", 2_000)
    with pytest.raises(ValueError, match="MB"):
        viz.show_videos(torch.rand(2, 3, 4, 16, 16) * 2 - 1)


def test_appearance_motion_grid_row_is_appearance_column_is_motion():
    appearance, motion = torch.arange(3.0) * 10, torch.arange(4.0)  # N = 3, M = 4
    out = viz.appearance_motion_grid(lambda a, m: a + m, appearance, motion)
    assert out.tolist() == [10.0 * i + j for i in range(3) for j in range(4)]


def test_cli_data_preview_writes_a_readable_file(tmp_path, capsys):
    out = tmp_path / "preview.gif"
    assert main(["data", "preview", "--out", str(out), "--n", "3", "--size", "32",
                 "--frames", "4"]) == 0
    frames = _read(out)
    assert frames.shape[0] == 4 and "wrote" in capsys.readouterr().out
    assert main(["data", "preview", "--out", str(tmp_path / "x.png"), "--n", "2", "--size",
                 "32", "--frames", "4"]) == 0  # the same writer as `sample`: .png works too
    assert main(["data", "preview", "--out", str(tmp_path / "x.avi")]) == 2


def test_generator_swap_grid_crosses_fixed_codes_and_leaves_the_rng_alone():
    from g3an_edu import Generator
    from g3an_edu.viz import generator_swap_grid

    g = Generator(ch=4, resolution=32).eval()
    state = torch.random.get_rng_state()
    grid = generator_swap_grid(g, rows=2, cols=3, seed=5)
    assert torch.equal(state, torch.random.get_rng_state())
    assert grid.shape == (6, 3, 16, 32, 32)
    rng = torch.Generator().manual_seed(5)
    z_a, _ = g.sample_noise(2, 1, generator=rng)
    _, z_m = g.sample_noise(3, 1, generator=rng)
    with torch.no_grad():
        torch.testing.assert_close(grid[1 * 3 + 2], g(z_a[1:2], z_m[2:3])[0])  # z_a 1, z_m 2
    assert torch.equal(grid, generator_swap_grid(g, rows=2, cols=3, seed=5))

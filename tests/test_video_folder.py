"""VideoFolder: round trips through mp4 files and frame folders the test writes, bad inputs."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from g3an_edu.data import VideoFolder
from g3an_edu.viz import encode_video


def grey_ramp(n: int, h: int = 24, w: int = 40) -> np.ndarray:
    """uint8 (n, h, w, 3): frame k is flat grey of level 8·k (its index, readable after
    lossy coding)."""
    return np.broadcast_to((8 * np.arange(n, dtype=np.uint8))[:, None, None, None],
                           (n, h, w, 3)).copy()


def write_mp4(path: Path, frames: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode_video(frames, "mp4", fps=25))
    return path


def write_frames(folder: Path, frames: np.ndarray) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, f in enumerate(frames):
        Image.fromarray(f).save(folder / f"{k + 1}.png")  # 1.png ... 10.png: natural order
    return folder


def frame_numbers(video: torch.Tensor) -> torch.Tensor:
    """Recover each frame's index from a clip of grey ramps: (3, T, H, W) -> (T,)."""
    level = (video.mean((0, 2, 3)) + 1) * 127.5
    return level / 8


def test_mp4_round_trip_gives_a_clip_with_step_2_or_3(tmp_path):
    write_mp4(tmp_path / "smile" / "a.mp4", grey_ramp(30))
    ds = VideoFolder(tmp_path, frames=8, size=16, step=(2, 3))
    assert len(ds) == 1 and ds.classes == ["smile"]
    steps = set()
    for _ in range(12):
        item = ds[0]
        assert item["video"].shape == (3, 8, 16, 16) and item["label"] == 0
        idx = frame_numbers(item["video"])
        diffs = (idx[1:] - idx[:-1]).round()
        assert torch.allclose(idx, idx.round(), atol=0.2), idx  # whole frames, no blending
        assert len(set(diffs.tolist())) == 1, diffs  # one step within a clip
        steps.add(int(diffs[0]))
    assert steps <= {2, 3} and steps, steps


def test_frame_folder_round_trip_is_exact_and_in_natural_order(tmp_path):
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (12, 16, 16, 3), dtype=np.uint8)
    write_frames(tmp_path / "person1", frames)
    ds = VideoFolder(tmp_path, frames=4, size=16, step=3)
    assert ds.classes == [] and ds[0]["label"] == -1
    video = ds[0]["video"]  # (3, 4, 16, 16), steps of 3 from some start
    expected = torch.from_numpy(frames).permute(3, 0, 1, 2).float() / 127.5 - 1  # (3, 12, H, W)
    starts = [s for s in range(3) if torch.equal(video, expected[:, s:s + 10:3])]
    assert len(starts) == 1


def test_resizes_short_side_and_centre_crops(tmp_path):
    frames = np.zeros((6, 20, 40, 3), dtype=np.uint8)  # 40 wide: resized to 20 x 10
    frames[:, :, 20:] = 255  # black left half, white right half
    write_frames(tmp_path / "v", frames)
    video = VideoFolder(tmp_path, frames=2, size=10, step=1)[0]["video"]
    assert video.shape == (3, 2, 10, 10)
    # The centre crop straddles the edge: half black, half white (a left crop would be black).
    assert (video[..., :4] < -0.9).all() and (video[..., 6:] > 0.9).all()


def test_class_labels_come_from_sub_folders(tmp_path):
    write_mp4(tmp_path / "walk" / "p1.mp4", grey_ramp(20))
    write_frames(tmp_path / "run" / "p2", grey_ramp(20))
    write_mp4(tmp_path / "loose.mp4", grey_ramp(20))
    ds = VideoFolder(tmp_path, frames=4, size=8, step=2)
    assert ds.classes == ["run", "walk"]
    labels = {e.path.name: e.label for e in ds.entries}
    assert labels == {"p1.mp4": 1, "p2": 0, "loose.mp4": -1}


def test_missing_or_empty_folder_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        VideoFolder(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("no videos here")
    with pytest.raises(ValueError, match="no videos found"):
        VideoFolder(tmp_path)


def test_unreadable_file_raises_naming_it(tmp_path):
    write_mp4(tmp_path / "good.mp4", grey_ramp(20))
    (tmp_path / "broken.mp4").write_bytes(b"this is not a video" * 100)
    with pytest.raises(ValueError, match=r"broken\.mp4.*cannot read"):
        VideoFolder(tmp_path, frames=4, size=8)


def test_truncated_file_raises_naming_it(tmp_path):
    data = encode_video(grey_ramp(40), "mp4")
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut\.mp4"):
        ds = VideoFolder(tmp_path, frames=4, size=8)
        for _ in range(5):
            ds[0]


def write_faststart_mp4(path: Path, frames: np.ndarray) -> None:
    """An mp4 whose index (moov) comes first, so a truncated copy still opens."""
    import av

    with av.open(str(path), mode="w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=25)
        stream.height, stream.width, stream.pix_fmt = frames.shape[1], frames.shape[2], "yuv420p"
        for f in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_truncated_file_with_whole_header_never_gives_a_short_clip(tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, (40, 32, 32, 3), dtype=np.uint8)
    write_faststart_mp4(tmp_path / "full.mp4", noise)
    data = (tmp_path / "full.mp4").read_bytes()
    (tmp_path / "full.mp4").unlink()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    ds = VideoFolder(tmp_path, frames=16, size=8, step=2)  # the header says 40 frames
    assert ds.entries[0].n_frames == 40
    with pytest.raises(ValueError, match=r"cut\.mp4: the video ended after"):
        for _ in range(20):  # some clips may fit in the frames that survived
            ds[0]
    write_mp4(tmp_path / "good.mp4", grey_ramp(40))
    ds = VideoFolder(tmp_path, frames=16, size=8, step=2, skip_bad=True)
    with pytest.warns(UserWarning, match=r"cut\.mp4"):
        served = [int(ds[0]["index"]) for _ in range(20)]
    assert ds.entries[served[-1]].path.name == "good.mp4"


def test_video_shorter_than_one_clip_raises(tmp_path):
    write_mp4(tmp_path / "short.mp4", grey_ramp(10))
    with pytest.raises(ValueError, match=r"short\.mp4: has 10 frames.*needs 31"):
        VideoFolder(tmp_path, frames=16, size=8, step=(2, 3))


def test_short_video_uses_only_the_steps_that_fit(tmp_path):
    write_mp4(tmp_path / "v.mp4", grey_ramp(16))
    ds = VideoFolder(tmp_path, frames=8, size=8, step=(2, 3))  # step 3 needs 22 frames
    for _ in range(5):
        idx = frame_numbers(ds[0]["video"])
        assert torch.allclose(idx[1:] - idx[:-1], torch.full((7,), 2.0), atol=0.2)


def test_skip_bad_drops_bad_files_with_one_warning_listing_them(tmp_path):
    write_mp4(tmp_path / "good.mp4", grey_ramp(20))
    (tmp_path / "broken.avi").write_bytes(b"\x00" * 500)
    write_mp4(tmp_path / "short.mp4", grey_ramp(3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = VideoFolder(tmp_path, frames=4, size=8, step=2, skip_bad=True)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "broken.avi" in message and "short.mp4" in message and "good.mp4" not in message
    assert [e.path.name for e in ds.entries] == ["good.mp4"]


def test_damaged_first_or_last_frame_is_found_when_building(tmp_path):
    folder = write_frames(tmp_path / "v", grey_ramp(6))
    (folder / "6.png").write_bytes(b"garbage")
    with pytest.raises(ValueError, match=r"6\.png"):
        VideoFolder(tmp_path, frames=6, size=8, step=1)


def test_damaged_frame_image_raises_naming_it(tmp_path):
    folder = write_frames(tmp_path / "v", grey_ramp(6))
    (folder / "3.png").write_bytes(b"garbage")
    ds = VideoFolder(tmp_path, frames=6, size=8, step=1)
    with pytest.raises(ValueError, match=r"3\.png"):
        ds[0]


def test_dataloader_with_workers_yields_batches(tmp_path):
    for k in range(4):
        write_mp4(tmp_path / f"{k}.mp4", grey_ramp(20))
    ds = VideoFolder(tmp_path, frames=4, size=8, step=2)
    loader = torch.utils.data.DataLoader(ds, batch_size=2, num_workers=2)
    batches = list(loader)
    assert len(batches) == 2 and batches[0]["video"].shape == (2, 3, 4, 8, 8)

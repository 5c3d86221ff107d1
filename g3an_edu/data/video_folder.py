"""``VideoFolder``: training clips from a folder of real videos, as the paper sampled them.

Two layouts (mixed is fine), searched recursively under ``root``:

- video files (``.mp4``, ``.avi``, ``.webm``, ``.mov``, ``.mkv``), decoded with PyAV;
- folders of frame images (``.png``, ``.jpg``, ``.jpeg``, ``.bmp``), one folder per video,
  frames in natural name order (``2.png`` before ``10.png``): the UvA-NEMO and Weizmann
  layouts the paper used.

A video directly inside ``root`` has no class (label ``-1``); one inside ``root/<class>/``
(at any depth) gets that class. A clip is ``frames`` frames taken every ``s`` frames, ``s``
drawn from ``step`` (the paper: 2 or 3), from a random start; it is resized so its short
side is ``size``, centre-cropped to ``size × size`` and scaled to ``[-1, 1]``.

Every video is checked when the data set is built: an empty folder, a file that cannot be
opened or a video shorter than one clip raises ``ValueError`` naming the file and the
reason (``skip_bad=True`` drops such files instead, with one warning listing them). Of a
frame folder only the first and last images are opened then. A file that turns out damaged
or truncated while decoding a clip raises too: never a silently shorter or wrong clip.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

VIDEO_EXTENSIONS = (".mp4", ".avi", ".webm", ".mov", ".mkv")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp")


def _natural_key(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


@dataclass
class VideoEntry:
    """One video: a file or a folder of frames, its frame count and class index (-1: none)."""

    path: Path
    n_frames: int
    label: int
    frame_files: tuple[Path, ...] = ()


def count_video_frames(path: Path) -> int:
    """Number of frames of a video file (header count, or a full decode when it has none).

    Raises ``ValueError`` naming the file when PyAV cannot open or decode it.
    """
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise ValueError(f"{path}: the file has no video stream.")
            stream = container.streams.video[0]
            if stream.frames > 0:
                return int(stream.frames)
            return sum(1 for _ in container.decode(stream))
    except av.error.FFmpegError as err:
        raise ValueError(f"{path}: cannot read this video ({type(err).__name__}: {err}). Is "
                         "the file complete? Re-encode it, e.g. `ffmpeg -i in -c:v libx264 "
                         "out.mp4`, or pass skip_bad=True.") from err


def decode_video(path: Path, indices: list[int]) -> torch.Tensor:
    """Frames ``indices`` (sorted, ascending) of a video file as uint8 ``(T, H, W, 3)``."""
    import av

    wanted = set(indices)
    frames: dict[int, torch.Tensor] = {}
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for i, frame in enumerate(container.decode(stream)):
                if i in wanted:
                    frames[i] = torch.from_numpy(frame.to_ndarray(format="rgb24"))
                if i >= indices[-1]:
                    break
    except av.error.FFmpegError as err:
        raise ValueError(f"{path}: decoding failed ({type(err).__name__}: {err}); the file "
                         "is damaged or truncated. Replace it or pass skip_bad=True.") from err
    if len(frames) < len(wanted):
        got = max(frames, default=-1) + 1
        raise ValueError(f"{path}: the video ended after {got} decodable frames, but frame "
                         f"{indices[-1]} was needed (its header promised more): the file is "
                         "truncated or damaged. Replace it or pass skip_bad=True.")
    return torch.stack([frames[i] for i in indices])  # (T, H, W, 3)


def load_images(files: list[Path]) -> torch.Tensor:
    """Image files as uint8 ``(T, H, W, 3)`` (all must have the same size)."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    out = []
    for f in files:
        try:
            with Image.open(f) as im:
                out.append(torch.from_numpy(np.asarray(im.convert("RGB")).copy()))
        except (OSError, UnidentifiedImageError) as err:
            raise ValueError(f"{f}: cannot read this frame image ({err}); the file is damaged "
                             "or not an image. Replace it or pass skip_bad=True.") from err
    sizes = {tuple(x.shape) for x in out}
    if len(sizes) > 1:
        raise ValueError(f"{files[0].parent}: frames have different sizes {sorted(sizes)}; "
                         "all frames of one video must have the same size.")
    return torch.stack(out)


def resize_crop(clip: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 ``(T, H, W, 3)`` -> float ``(3, T, size, size)`` in [-1, 1]: short side to
    ``size`` (antialiased bilinear), then a centre crop."""
    x = clip.permute(0, 3, 1, 2).float()  # (T, 3, H, W)
    h, w = x.shape[-2:]
    scale = size / min(h, w)
    new_h, new_w = max(size, round(h * scale)), max(size, round(w * scale))
    if (new_h, new_w) != (h, w):
        x = F.interpolate(x, size=(new_h, new_w), mode="bilinear", antialias=True,
                          align_corners=False)
    top, left = (new_h - size) // 2, (new_w - size) // 2
    x = x[:, :, top:top + size, left:left + size]  # (T, 3, size, size)
    x = (x / 127.5 - 1).clamp(-1, 1)
    return x.permute(1, 0, 2, 3).contiguous()  # (3, T, size, size)


class VideoFolder(torch.utils.data.Dataset):
    """Clips from a folder of videos or of frame folders: ``ds[i]`` is a dict with

    - ``video`` float32 ``(3, frames, size, size)`` in [-1, 1];
    - ``label`` int64 class index into :attr:`classes` (``-1`` when the video sits directly
      in ``root``);
    - ``index`` the index of the video the clip came from (its source is
      ``ds.entries[index].path``); with ``skip_bad=True`` a video found damaged only while
      decoding is reported once by a warning and the next good video is served instead.

    Clip sampling uses torch's global random generator (so DataLoader workers differ).
    Decoding is CPU work: use a ``DataLoader(..., num_workers=2)`` or more.
    """

    def __init__(self, root: str | Path, frames: int = 16, size: int = 64,
                 step: int | tuple[int, ...] = (2, 3), skip_bad: bool = False) -> None:
        self.root = Path(root)
        steps = (step,) if isinstance(step, int) else tuple(step)
        if frames < 1 or size < 1 or not steps or min(steps) < 1:
            raise ValueError(f"frames, size and every step must be ≥ 1; got frames={frames}, "
                             f"size={size}, step={step}.")
        self.frames, self.size, self.steps, self.skip_bad = frames, size, steps, skip_bad
        self.failed: set[Path] = set()  # files found damaged while decoding (skip_bad=True)
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root} is not a folder. Put videos in it (see "
                                    "data/README.md), e.g. data/videos/weizmann/walk/*.avi.")
        videos, folders = self._scan()
        if not videos and not folders:
            raise ValueError(
                f"{self.root}: no videos found. Expected video files "
                f"({', '.join(VIDEO_EXTENSIONS)}) or folders of frame images "
                f"({', '.join(IMAGE_EXTENSIONS)}), directly or in class sub-folders.")
        class_of = {p: self._class_name(p) for p in videos + [d for d, _ in folders]}
        self.classes = sorted({c for c in class_of.values() if c is not None})
        index = {c: i for i, c in enumerate(self.classes)}
        label = {p: index[c] if c is not None else -1 for p, c in class_of.items()}

        need = self.min_length
        self.entries: list[VideoEntry] = []
        self.bad: list[str] = []
        for path in videos:
            try:
                n = count_video_frames(path)
                self._check_length(path, n)
                self.entries.append(VideoEntry(path, n, label[path]))
            except ValueError as err:
                self._bad(err, skip_bad)
        for folder, files in folders:
            try:
                self._check_length(folder, len(files))
                load_images([files[0], files[-1]])  # cheap probe: the rest is read per clip
                self.entries.append(VideoEntry(folder, len(files), label[folder], tuple(files)))
            except ValueError as err:
                self._bad(err, skip_bad)
        if self.bad:
            warnings.warn(f"VideoFolder skipped {len(self.bad)} bad file(s) under {self.root}:\n"
                          + "\n".join(f"  - {b}" for b in self.bad), stacklevel=2)
        if not self.entries:
            raise ValueError(f"{self.root}: every video was bad or shorter than one clip "
                             f"({need} frames); nothing left to load.")

    @property
    def min_length(self) -> int:
        """Frames a video needs for one clip at the smallest step."""
        return (self.frames - 1) * min(self.steps) + 1

    def _bad(self, err: ValueError, skip: bool) -> None:
        if not skip:
            raise err
        self.bad.append(str(err))

    def _check_length(self, path: Path, n: int) -> None:
        if n < self.min_length:
            raise ValueError(
                f"{path}: has {n} frames, but a clip of {self.frames} frames with step "
                f"{min(self.steps)} needs {self.min_length}. Use fewer frames or a smaller "
                "step, remove the video, or pass skip_bad=True.")

    def _scan(self) -> tuple[list[Path], list[tuple[Path, list[Path]]]]:
        videos, folders = [], []
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path.suffix.lower() in VIDEO_EXTENSIONS:
                videos.append(path)
            elif path.is_dir():
                images = sorted((f for f in path.iterdir()
                                 if f.is_file() and f.suffix.lower() in IMAGE_EXTENSIONS),
                                key=_natural_key)
                if images:
                    folders.append((path, images))
        return videos, folders

    def _class_name(self, path: Path) -> str | None:
        parts = path.relative_to(self.root).parts
        return parts[0] if len(parts) > 1 else None

    def __len__(self) -> int:
        return len(self.entries)

    def clip_indices(self, n_frames: int) -> list[int]:
        """Random frame indices of one clip from a video of ``n_frames`` frames."""
        steps = [s for s in self.steps if (self.frames - 1) * s + 1 <= n_frames]
        step = steps[int(torch.randint(len(steps), ()))]
        span = (self.frames - 1) * step + 1
        start = int(torch.randint(n_frames - span + 1, ()))
        return list(range(start, start + span, step))

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        for tries in range(len(self.entries)):
            j = (i + tries) % len(self.entries)
            entry = self.entries[j]
            if entry.path in self.failed:
                continue
            indices = self.clip_indices(entry.n_frames)
            try:
                if entry.frame_files:
                    clip = load_images([entry.frame_files[k] for k in indices])
                else:
                    clip = decode_video(entry.path, indices)
            except ValueError as err:
                if not self.skip_bad:
                    raise
                # Damage found only now (a truncated file whose header looked whole): say so
                # and serve the next good video instead.
                self.failed.add(entry.path)
                warnings.warn(f"VideoFolder skips a bad file from now on: {err}", stacklevel=2)
                continue
            return {"video": resize_crop(clip, self.size),
                    "label": torch.tensor(entry.label), "index": torch.tensor(j)}
        raise ValueError(f"{self.root}: every video failed to decode; see the warnings above.")

"""Look at videos: grids, frame strips, inline animations, GIF and MP4 files.

Videos are ``(B, 3, T, H, W)`` (or one ``(3, T, H, W)``) in ``[-1, 1]``. Every function maps
them to ``[0, 1]`` by ``(x + 1) / 2``, clamped: never by each video's own min and max, which
would hide a washed-out or saturated generator.

In notebooks, :func:`show_videos` embeds a GIF in an ``<img>`` tag: small (8 clips of 64
pixels and 16 frames are about 0.1–0.3 MB), deterministic (the same videos give the same
bytes, so nbval can compare it), and it plays without a kernel. ``controls=True`` gives
matplotlib's jshtml player instead (larger, and its HTML holds a random id).
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from .validation import check_tensor

MAX_INLINE_BYTES = 1_000_000  # refuse to embed bigger animations in a notebook


def to_unit(videos: torch.Tensor) -> torch.Tensor:
    """``[-1, 1] -> [0, 1]`` by ``(x + 1) / 2``, clamped (no per-video stretching)."""
    return ((videos.detach().float() + 1) / 2).clamp(0, 1)


def to_uint8(videos: torch.Tensor) -> torch.Tensor:
    """``[-1, 1]`` float -> ``[0, 255]`` uint8, same shape: the course's one pixel conversion."""
    return _unit_to_uint8(to_unit(videos))


def _unit_to_uint8(x: torch.Tensor) -> torch.Tensor:
    return (x * 255).round().to(torch.uint8)


def _batch(videos: torch.Tensor) -> torch.Tensor:
    if isinstance(videos, torch.Tensor) and videos.dim() == 4:
        videos = videos[None]  # (1, 3, T, H, W)
    return check_tensor(videos, "videos", ("B", 3, "T", "H", "W"))


def video_grid(videos: torch.Tensor, ncol: int | None = None, pad: int = 2,
               pad_value: float = 1.0) -> torch.Tensor:
    """Tile a batch into one video: ``(B, 3, T, H, W) in [-1, 1] -> (T, GH, GW, 3) in [0, 1]``.

    Video ``b`` goes to row ``b // ncol``, column ``b % ncol`` (``ncol`` defaults to
    ``ceil(sqrt(B))``); cells are separated by ``pad`` pixels of ``pad_value``.
    """
    v = to_unit(_batch(videos)).cpu()  # (B, 3, T, H, W)
    b, _, t, h, w = v.shape
    ncol = ncol or math.ceil(math.sqrt(b))
    nrow = math.ceil(b / ncol)
    grid = torch.full((t, pad + nrow * (h + pad), pad + ncol * (w + pad), 3), pad_value)
    for i in range(b):
        r, c = divmod(i, ncol)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        grid[:, y:y + h, x:x + w] = v[i].permute(1, 2, 3, 0)  # (T, H, W, 3)
    return grid


def _to_uint8(grid: torch.Tensor, scale: int = 1) -> np.ndarray:
    """``(T, H, W, 3)`` in [0, 1] -> uint8 array, each pixel repeated ``scale`` times."""
    if scale > 1:
        grid = grid.repeat_interleave(scale, 1).repeat_interleave(scale, 2)
    return _unit_to_uint8(grid).numpy()


def encode_video(frames: np.ndarray, fmt: str, fps: int = 8) -> bytes:
    """Encode uint8 ``(T, H, W, 3)`` frames as ``"gif"`` or ``"mp4"`` bytes.

    MP4: H.264 (libx264, ``yuv420p``, CRF 18) through PyAV. GIF: Pillow, with one adaptive
    256-colour palette for the whole clip and no dithering (FFmpeg's own GIF encoder, through
    PyAV, only offers the coarse 3-3-2-bit ``rgb8`` palette: poorer colours, 5× the bytes).
    """
    if fmt == "gif":
        return _encode_gif(frames, fps)
    if fmt != "mp4":
        raise ValueError(f"unknown video format {fmt!r}; valid values are: 'gif', 'mp4'.")
    import av

    t, h, w, _ = frames.shape  # yuv420p needs even sizes: repeat the last row / column
    frames = np.pad(frames, ((0, 0), (0, h % 2), (0, w % 2), (0, 0)), mode="edge")
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.height, stream.width = frames.shape[1], frames.shape[2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "18"}
        for frame in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def _encode_gif(frames: np.ndarray, fps: int) -> bytes:
    from PIL import Image

    t, h, w, _ = frames.shape
    palette = Image.fromarray(frames.reshape(t * h, w, 3)).quantize(256, dither=Image.Dither.NONE)
    images = [Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE)
              for f in frames]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:],
                   duration=round(1000 / fps), loop=0)
    return buffer.getvalue()


def save_video(path: str | Path, videos: torch.Tensor, fps: int = 8, ncol: int | None = None,
               scale: int = 1) -> Path:
    """Write videos to ``path``, in the format its suffix names; returns the path.

    ``.gif`` / ``.mp4``: the batch tiled in a grid (:func:`video_grid`) and animated;
    ``.png``: a still strip, one row per video and one column per frame. ``videos``
    ``(B, 3, T, H, W)`` or ``(3, T, H, W)`` in [-1, 1]; ``scale`` repeats each pixel (clips of
    32 pixels are easier to see at ``scale=2``).
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("gif", "mp4", "png"):
        raise ValueError(f"cannot write {path}: the file must end in .gif, .mp4 or .png "
                         f"(got {path.suffix or 'no suffix'!r}).")
    videos = _batch(videos)
    if fmt == "png":
        b, _, t, h, w = videos.shape
        frames = videos.transpose(1, 2).reshape(b * t, 3, 1, h, w)  # (B·T, 3, 1, H, W)
        strip = _to_uint8(video_grid(frames, ncol=t), scale)[0]  # (rows·H, T·W, 3)
        data = _encode_png(strip)
    else:
        data = encode_video(_to_uint8(video_grid(videos, ncol), scale), fmt, fps)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _encode_png(image: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def frame_strip(videos: torch.Tensor, frames: int | None = 8, titles: list[str] | None = None,
                cell: float = 1.0):
    """A static matplotlib figure: one row per video, ``frames`` evenly spaced frames per row
    (all frames if None). Deterministic, so it suits nbval-checked notebooks."""
    import matplotlib.pyplot as plt

    v = to_unit(_batch(videos)).cpu()  # (B, 3, T, H, W)
    b, _, t, _, _ = v.shape
    chosen = list(range(t)) if frames is None or frames >= t else \
        [round(i * (t - 1) / (frames - 1)) if frames > 1 else 0 for i in range(frames)]
    fig, axes = plt.subplots(b, len(chosen), figsize=(cell * len(chosen), cell * b),
                             squeeze=False)
    for i in range(b):
        for j, k in enumerate(chosen):
            ax = axes[i][j]
            ax.imshow(v[i, :, k].permute(1, 2, 0).numpy(), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(f"t={k}", fontsize=8)
        if titles is not None:
            axes[i][0].set_ylabel(titles[i], fontsize=8, rotation=0, ha="right", va="center")
    fig.subplots_adjust(wspace=0.05, hspace=0.05)
    return fig


def show_videos(videos: torch.Tensor, fps: int = 8, ncol: int | None = None, scale: int = 2,
                controls: bool = False):
    """Play a batch of videos inline in a notebook, as a grid (see the module docstring).

    Returns an ``IPython.display.HTML`` object (display it, or make it a cell's last line).
    Raises ``ValueError`` when the animation would exceed ``MAX_INLINE_BYTES``: show fewer
    clips, a smaller ``scale``, or save a file with :func:`save_video`.
    """
    from IPython.display import HTML

    grid = video_grid(videos, ncol)
    if controls:
        html = animation(grid, fps, scale).to_jshtml()
    else:
        gif = encode_video(_to_uint8(grid, scale), "gif", fps)
        html = f'<img src="data:image/gif;base64,{base64.b64encode(gif).decode()}"/>'
    if len(html) > MAX_INLINE_BYTES:
        raise ValueError(f"this animation is {len(html) / 1e6:.1f} MB, over the "
                         f"{MAX_INLINE_BYTES / 1e6:.0f} MB kept inline so notebooks stay "
                         "small; show fewer videos, use scale=1, or save_video() to a file.")
    return HTML(html)


def animation(grid: torch.Tensor, fps: int = 8, scale: int = 2):
    """A matplotlib ``FuncAnimation`` of a grid ``(T, H, W, 3)`` from :func:`video_grid`."""
    import matplotlib.pyplot as plt
    from matplotlib import animation as mpl_animation

    t, h, w, _ = grid.shape
    fig = plt.figure(figsize=(w * scale / 100, h * scale / 100), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    image = ax.imshow(grid[0].numpy(), interpolation="nearest")

    def draw(k):
        image.set_data(grid[k].numpy())
        return (image,)

    anim = mpl_animation.FuncAnimation(fig, draw, frames=t, interval=1000 / fps, blit=True)
    plt.close(fig)
    return anim


@torch.no_grad()
def generator_swap_grid(g: torch.nn.Module, length: int = 1, rows: int = 4, cols: int = 4,
                        seed: int = 0) -> torch.Tensor:
    """The swap grid of a generator: ``(rows·cols, 3, T, H, W)``, video ``i·cols + j`` from
    ``z_a[i]`` and ``z_m[j]``, the codes drawn from ``seed`` alone (the same ones for every
    generator with the same code sizes; the caller's RNG untouched)."""
    rng = torch.Generator().manual_seed(seed)
    device = next(g.parameters()).device
    z_a, _ = g.sample_noise(rows, length, generator=rng, device="cpu")
    _, z_m = g.sample_noise(cols, length, generator=rng, device="cpu")
    return appearance_motion_grid(g, z_a.to(device), z_m.to(device))


def appearance_motion_grid(render: Callable, appearance, motion) -> torch.Tensor:
    """Every appearance with every motion: ``(N·M, 3, T, H, W)``, row ``i`` = appearance ``i``.

    ``appearance`` and ``motion`` are batches of ``N`` and ``M`` items that support ``len``
    and indexing by a tensor (``Appearance``/``Motion`` factors, or ``z_a``/``z_m`` tensors);
    ``render(appearance_batch, motion_batch)`` draws video ``b`` from item ``b`` of each
    (e.g. ``ds.render`` or a generator). Video ``i·M + j`` shows appearance ``i`` doing
    motion ``j``: show it with ``video_grid(..., ncol=M)``.
    """
    n, m = len(appearance), len(motion)
    rows = torch.arange(n).repeat_interleave(m)  # (N·M,) 0,0,..,1,1,..
    cols = torch.arange(m).repeat(n)  # (N·M,) 0,1,..,0,1,..
    if isinstance(appearance, torch.Tensor):
        rows = rows.to(appearance.device)
    if isinstance(motion, torch.Tensor):
        cols = cols.to(motion.device)
    return render(appearance[rows], motion[cols])

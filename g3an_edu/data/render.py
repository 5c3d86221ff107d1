"""Vectorised, anti-aliased rendering of stick-and-ellipse figures on textured backgrounds.

Where the work is: every body part must be tested at every pixel it might cover, for every
frame. Three choices keep that cheap in plain eager torch:

1. **Parts are ellipses and discs.** An anti-aliased ellipse's coverage is
   ``clamp(α - β·g(x, y), 0, 1)`` with ``g`` the ellipse's quadratic form (linearised around
   its edge, so the soft edge is one pixel wide across the limb). A quadratic splits into a
   row term, a column term and one ``x·y`` cross term, so a part costs four passes over its
   pixels (a disc two), against a dozen for a capsule's distance field.
2. **Each frame renders a crop** just big enough for the widest figure of the batch, not the
   whole frame; the crop is cut out of the background and written back by indexing.
3. **Parts of one colour are merged with ``max``** into six layers (far-side limbs
   darker), and the layers are painted back to front: ``out += a·(colour - out)``.

Every pixel is computed by the same elementwise IEEE operations whatever the batch, crop
size or chunk it falls in (no matmul, no reductions whose order could change), so a video is
bit-for-bit the same in any batch on a given machine.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import torch

from .poses import J

# Layers, painted back to front; each gets its colour from (palette entry, shade). Far-side
# limbs are darker. Bare feet share the skin layers, which keeps the layer count at six.
LAYERS = ("far_skin", "far_shirt", "far_trousers", "trousers", "shirt", "skin")
SKIN, SHIRT, TROUSERS, BACKGROUND = range(4)
FAR_SHADE = 0.75
LAYER_COLOUR = ((SKIN, FAR_SHADE), (SHIRT, FAR_SHADE), (TROUSERS, FAR_SHADE), (TROUSERS, 1.0),
                (SHIRT, 1.0), (SKIN, 1.0))

# Ellipses: (from joint, to joint, radius in figure heights, layer), grouped by layer. The
# torso's radius is for the front view; in the side view it is 0.75 of that.
ELLIPSES = (
    ("elbow_far", "hand_far", 0.026, "far_skin"),
    ("ankle_far", "toe_far", 0.024, "far_skin"),
    ("shoulder_far", "elbow_far", 0.033, "far_shirt"),
    ("hip_far", "knee_far", 0.048, "far_trousers"),
    ("knee_far", "ankle_far", 0.037, "far_trousers"),
    ("hip_near", "knee_near", 0.048, "trousers"),
    ("knee_near", "ankle_near", 0.037, "trousers"),
    ("pelvis", "neck", 0.085, "shirt"),
    ("shoulder_near", "elbow_near", 0.033, "shirt"),
    ("elbow_near", "hand_near", 0.026, "skin"),
    ("ankle_near", "toe_near", 0.024, "skin"),
)
TORSO = 7  # index of the torso in ELLIPSES
ELLIPSE_OVERHANG = 0.8  # each limb reaches this many radii past its joints
# Discs: (joint, radius in figure heights, layer), grouped by layer; the head's radius
# scales with head size instead of build.
DISCS = (
    ("elbow_far", 0.027, "far_skin"), ("hand_far", 0.03, "far_skin"),
    ("knee_far", 0.04, "far_trousers"), ("knee_near", 0.04, "trousers"),
    ("elbow_near", 0.027, "skin"), ("hand_near", 0.03, "skin"), ("head", 0.075, "skin"),
)
HEAD = 6  # index of the head in DISCS
MIN_RADIUS_PX = 0.6  # thinner parts would fade out at 32 pixels


def _slices(parts, column: int) -> list[slice]:
    """For each layer, the slice of ``parts`` (grouped by layer) that belongs to it."""
    names = [p[column] for p in parts]
    out = []
    for name in LAYERS:
        idx = [i for i, n in enumerate(names) if n == name]
        if not idx:
            out.append(slice(0, 0))
            continue
        if idx != list(range(idx[0], idx[-1] + 1)):
            raise ValueError(f"the parts of layer {name!r} must be listed next to each other")
        out.append(slice(idx[0], idx[-1] + 1))
    return out


ELLIPSE_SLICES, DISC_SLICES = _slices(ELLIPSES, 3), _slices(DISCS, 2)


@dataclass
class Quadrics:
    """Anti-aliased coverage ``clamp(row + col + cross_x·cross_y, 0, 1)`` of K parts.

    ``row`` and ``cross_x`` ``(N, K, 1, W')``, ``col`` and ``cross_y`` ``(N, K, H', 1)``
    (``cross_*`` are None for discs); a part's (unclamped) coverage over a crop costs one
    broadcast add, plus a multiply and an add for the cross term.
    """

    row: torch.Tensor
    col: torch.Tensor
    cross_x: torch.Tensor | None = None
    cross_y: torch.Tensor | None = None

    def coverage(self, parts: slice) -> torch.Tensor | None:
        """Union (max) of the unclamped coverage of ``parts``: ``(N, H', W')``, or None."""
        if parts.stop == parts.start:
            return None
        f = self.row[:, parts] + self.col[:, parts]  # (N, k, H', W')
        if self.cross_x is not None:
            f = f + self.cross_x[:, parts] * self.cross_y[:, parts]
        return f.amax(1) if f.shape[1] > 1 else f[:, 0]


def ellipse_quadrics(p, q, radius, xs, ys) -> Quadrics:
    """Ellipses around segments ``p -> q`` (N, K, 2) with semi-minor axis ``radius`` (N, K).

    The semi-major axis is half the segment plus ``ELLIPSE_OVERHANG`` radii. Coverage is
    ``0.5 + b/2·(1 - g)``, ``g`` the ellipse's quadratic form: 1 inside, 0 outside, falling
    over one pixel across the limb. ``xs`` (N, W') and ``ys`` (N, H') are pixel centres.
    """
    seg = q - p
    length = torch.sqrt(seg[..., 0] * seg[..., 0] + seg[..., 1] * seg[..., 1])  # (N, K)
    vertical = torch.tensor([0.0, 1.0], device=p.device)
    axis = torch.where(length[..., None] > 1e-6, seg / length.clamp(min=1e-6)[..., None],
                       vertical)  # (N, K, 2) unit major axis
    ux, uy = axis[..., 0], axis[..., 1]
    a = length / 2 + ELLIPSE_OVERHANG * radius
    ia, ib = 1 / (a * a), 1 / (radius * radius)
    beta = radius / 2
    axx = beta * (ux * ux * ia + uy * uy * ib)
    ayy = beta * (uy * uy * ia + ux * ux * ib)
    axy = beta * 2 * ux * uy * (ia - ib)
    centre = (p + q) / 2
    dx = xs[:, None, :] - centre[..., 0, None]  # (N, K, W')
    dy = ys[:, None, :] - centre[..., 1, None]  # (N, K, H')
    row = (0.5 + beta)[..., None] - axx[..., None] * dx * dx  # (N, K, W')
    col = -(ayy[..., None] * dy * dy)  # (N, K, H')
    cross_x = -(axy[..., None] * dx)  # (N, K, W')
    return Quadrics(row[:, :, None, :], col[:, :, :, None], cross_x[:, :, None, :],
                    dy[:, :, :, None])


def disc_quadrics(centre, radius, xs, ys) -> Quadrics:
    """Discs at ``centre`` (N, K, 2) of ``radius`` (N, K): coverage ``0.5 + r/2·(1 - d²/r²)``."""
    inv = 0.5 / radius  # (r / 2) / r²
    dx = xs[:, None, :] - centre[..., 0, None]  # (N, K, W')
    dy = ys[:, None, :] - centre[..., 1, None]  # (N, K, H')
    row = (0.5 + radius / 2)[..., None] - inv[..., None] * dx * dx
    col = -(inv[..., None] * dy * dy)
    return Quadrics(row[:, :, None, :], col[:, :, :, None])


def part_extent(joints: torch.Tensor, radii_e: torch.Tensor,
                radii_d: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per frame, the lowest and highest pixel ``(N, 2)`` any part can touch (x, y)."""
    p = joints[:, [J[e[0]] for e in ELLIPSES]]  # (N, Ke, 2)
    q = joints[:, [J[e[1]] for e in ELLIPSES]]
    half = (q - p).abs() / 2 + radii_e[..., None] * (1 + ELLIPSE_OVERHANG)  # box of the ellipse
    reach = torch.sqrt(1 + 1 / radii_e)[..., None]  # the soft edge reaches g = 1 + 1/b
    centre = (p + q) / 2
    lo_e, hi_e = centre - reach * half, centre + reach * half  # (N, Ke, 2)
    d = joints[:, [J[x[0]] for x in DISCS]]  # (N, Kd, 2)
    r = (radii_d * torch.sqrt(1 + 1 / radii_d))[..., None]
    lo = torch.minimum(lo_e.amin(1), (d - r).amin(1)) - 1
    hi = torch.maximum(hi_e.amax(1), (d + r).amax(1)) + 1
    return lo, hi


def part_radii(proportions: torch.Tensor, side_view: torch.Tensor, scale: torch.Tensor,
               size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Radii in pixels, ``(B, len(ELLIPSES))`` and ``(B, len(DISCS))``, of each video's parts."""
    px = (scale * size)[:, None]  # figure height in pixels, (B, 1)
    build, head = proportions[:, 1, None], proportions[:, 2, None]
    radii_e = torch.tensor([e[2] for e in ELLIPSES], device=px.device) * build * px
    torso = torch.where(side_view, 0.75, 1.0) * radii_e[:, TORSO]
    radii_e = torch.cat([radii_e[:, :TORSO], torso[:, None], radii_e[:, TORSO + 1:]], dim=1)
    radii_d = torch.tensor([d[1] for d in DISCS], device=px.device) * build * px
    head_r = radii_d[:, HEAD] / build[:, 0] * head[:, 0]
    radii_d = torch.cat([radii_d[:, :HEAD], head_r[:, None], radii_d[:, HEAD + 1:]], dim=1)
    return radii_e.clamp(min=MIN_RADIUS_PX), radii_d.clamp(min=MIN_RADIUS_PX)


def background(colour: torch.Tensor, texture: torch.Tensor, ground: torch.Tensor,
               size: int) -> torch.Tensor:
    """Backgrounds ``(B, 3, H, W)`` in [0, 1]: a colour with a soft vertical gradient and
    one of four textures (0 plain, 1 floor below a horizon, 2 vertical stripes, 3 tiles).

    ``colour`` (B, 3) in [0, 1]; ``texture`` (B,) int; ``ground`` (B,) y of the ground as a
    fraction of the frame (the floor's horizon sits a little above it).
    """
    coords = (torch.arange(size, dtype=torch.float32, device=colour.device) + 0.5) / size
    y, x = coords[:, None], coords[None, :]  # (H, 1), (1, W)
    shade = 1.06 - 0.12 * y + 0 * x  # (H, W): lighter at the top
    horizon = (ground - 0.12)[:, None, None]
    floor = 1 - 0.16 * ((y - horizon) * size + 0.5).clamp(0, 1)  # (B, H, 1)
    stripes = 1 + 0.045 * torch.sin(2 * math.pi * 5 * x) + 0 * y  # (H, W)
    tiles = 1 + 0.04 * torch.sign(torch.sin(2 * math.pi * 4 * x) * torch.sin(2 * math.pi * 4 * y))
    pattern = torch.stack([torch.ones_like(stripes).expand(len(texture), -1, -1),
                           floor.expand(-1, -1, size), stripes.expand(len(texture), -1, -1),
                           tiles.expand(len(texture), -1, -1)], dim=1)  # (B, 4, H, W)
    chosen = pattern[torch.arange(len(texture), device=colour.device), texture]  # (B, H, W)
    return (colour[:, :, None, None] * (shade * chosen)[:, None]).clamp(0, 1)  # (B, 3, H, W)


def quantise(x: torch.Tensor) -> torch.Tensor:
    """Round values in [-1, 1] to the 256 levels of an 8-bit image (idempotent)."""
    return torch.round((x + 1) * 127.5) / 127.5 - 1


def paint_crop(crop: torch.Tensor, e_from: torch.Tensor, e_to: torch.Tensor,
               radii_e: torch.Tensor, d_at: torch.Tensor, radii_d: torch.Tensor,
               xs: torch.Tensor, ys: torch.Tensor, rgb: torch.Tensor) -> torch.Tensor:
    """Paint the figure's layers over ``crop`` ``(3, n, H', W')`` in [-1, 1]; quantised.

    ``e_from``/``e_to`` (n, Ke, 2) ellipse end points and ``radii_e`` (n, Ke); ``d_at``
    (n, Kd, 2) disc centres and ``radii_d`` (n, Kd); ``xs`` (n, W') and ``ys`` (n, H') the
    crop's pixel centres; ``rgb`` (3, n, n_layers) layer colours in [-1, 1].
    """
    ell = ellipse_quadrics(e_from, e_to, radii_e, xs, ys)
    dsc = disc_quadrics(d_at, radii_d, xs, ys)
    for k in range(len(LAYERS)):
        parts = [c for c in (ell.coverage(ELLIPSE_SLICES[k]), dsc.coverage(DISC_SLICES[k]))
                 if c is not None]
        alpha = parts[0] if len(parts) == 1 else torch.maximum(parts[0], parts[1])
        alpha = alpha.clamp(0, 1)  # (n, H', W')
        crop = crop + alpha * (rgb[:, :, k, None, None] - crop)  # (3, n, H', W')
    return quantise(crop)


_compiled_paint = None


def paint_function(compiled: bool):
    """:func:`paint_crop`, or (``compiled``) its ``torch.compile`` version, built on first
    use. If compiling fails (no C++ compiler, an unsupported platform) it warns once and
    returns the eager function from then on."""
    global _compiled_paint
    if not compiled:
        return paint_crop
    if _compiled_paint is None:
        compiled_fn = torch.compile(paint_crop, dynamic=True)

        def first_call(*args):
            global _compiled_paint
            try:
                out = compiled_fn(*args)
                _compiled_paint = compiled_fn
            except Exception as err:  # any compiler failure: fall back, keep rendering
                warnings.warn(f"torch.compile of the renderer failed ({type(err).__name__}: "
                              f"{str(err)[:200]}); rendering eagerly instead.", stacklevel=2)
                _compiled_paint = paint_crop
                out = paint_crop(*args)
            return out

        return first_call
    return _compiled_paint


def render_figures(joints: torch.Tensor, colours: torch.Tensor, backgrounds: torch.Tensor,
                   radii_e: torch.Tensor, radii_d: torch.Tensor, chunk: int = 128,
                   compiled: bool = False) -> torch.Tensor:
    """Paint the figures onto their backgrounds: videos ``(B, 3, T, H, W)`` in [-1, 1] at
    8-bit levels.

    ``joints`` (B, T, n_joints, 2) pixels; ``colours`` (B, 4, 3) palette in [0, 1] (skin,
    shirt, trousers, background); ``backgrounds`` (B, 3, H, W) in [0, 1]; ``radii_*`` (B, K)
    pixels. Frames are processed ``chunk`` at a time so the working set stays in cache;
    ``compiled`` paints them with a ``torch.compile``d kernel (see :func:`paint_function`).
    """
    b, t, _, _ = joints.shape
    size = backgrounds.shape[-1]
    dev = joints.device
    palette = torch.tensor([c for c, _ in LAYER_COLOUR], device=dev)
    shade = torch.tensor([s for _, s in LAYER_COLOUR], device=dev)
    layer_rgb = 2 * colours[:, palette] * shade[None, :, None] - 1  # (B, n_layers, 3) in [-1, 1]
    layer_rgb = layer_rgb.permute(2, 0, 1)  # (3, B, n_layers)
    video = quantise(2 * backgrounds - 1)[:, :, None].expand(b, 3, t, size, size).contiguous()
    flat = video.view(-1)  # the (B, 3, T, H, W) video as one vector: crops are cut by index
    joints = joints.reshape(b * t, -1, 2)  # (N, n_joints, 2), N = B·T frames
    video_of = torch.arange(b, device=dev).repeat_interleave(t)  # (N,)
    radii_e, radii_d = radii_e[video_of], radii_d[video_of]  # (N, K)

    # One crop size for the batch (the largest figure's box); each frame its own origin.
    lo, hi = part_extent(joints, radii_e, radii_d)  # (N, 2) each
    lo = lo.floor().clamp(0, size - 1)
    hi = hi.ceil().clamp(1, size)
    crop_w, crop_h = (int(v) for v in (hi - lo).amax(0).long().clamp(1, size))
    origin = torch.minimum(lo.long(), torch.tensor([size - crop_w, size - crop_h], device=dev))

    e_from = torch.tensor([J[e[0]] for e in ELLIPSES], device=dev)
    e_to = torch.tensor([J[e[1]] for e in ELLIPSES], device=dev)
    d_at = torch.tensor([J[d[0]] for d in DISCS], device=dev)
    channel = torch.arange(3, device=dev)[:, None]  # (3, 1)
    paint = paint_function(compiled)
    for start in range(0, b * t, chunk):
        n = slice(start, min(start + chunk, b * t))
        frame = torch.arange(n.start, n.stop, device=dev)  # (n,)
        cols = origin[n, 0, None] + torch.arange(crop_w, device=dev)  # (n, W')
        rows = origin[n, 1, None] + torch.arange(crop_h, device=dev)  # (n, H')
        # Offset of pixel (b, c, t, y, x) in the flat video: ((b·3 + c)·T + t)·H·W + y·W + x.
        base = ((video_of[n] * 3 + channel) * t + frame % t) * size * size  # (3, n)
        pixel = rows[:, :, None] * size + cols[:, None, :]  # (n, H', W')
        where = (base[:, :, None, None] + pixel).view(-1)  # (3·n·H'·W',)
        crop = flat.index_select(0, where).view(3, -1, crop_h, crop_w)  # (3, n, H', W')
        jn = joints[n]
        crop = paint(crop, jn[:, e_from], jn[:, e_to], radii_e[n], jn[:, d_at], radii_d[n],
                     cols.float() + 0.5, rows.float() + 0.5, layer_rgb[:, video_of[n]])
        flat.index_copy_(0, where, crop.reshape(-1))
    return video

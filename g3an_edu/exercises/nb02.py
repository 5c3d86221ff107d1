"""Checks for the exercises of ``02_g3_module_and_fusion``.

1. ``fuse_fixed(h_s, h_t, h_v)``: the planted fusion bug (motion added to the appearance half)
   fixed, with no replicated copies: every allocation is logged and only ``h_v + h_t`` and the
   result may be written.
2. ``expand_mib, repeat_mib``: the memory fusion writes for one video through the paper's
   generator, predicted from the shape table.
3. ``g3_output_shapes(...)``: the three output shapes of a G3 module.

Each check compares the answer with the package (never a hard-coded number).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from unittest import mock

import torch
from torch.overrides import TorchFunctionMode

from .. import g3 as g3_module
from ..fusion import spatio_temporal_fusion
from ..g3 import G3Module
from ..generator import Generator
from . import check_tensor_close, fail, passed, unwrap_scalar


def _tensors_in(obj: object) -> list[torch.Tensor]:
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in _tensors_in(item)]
    if isinstance(obj, dict):
        return [t for item in obj.values() for t in _tensors_in(item)]
    return []


class _AllocationLog(TorchFunctionMode):
    """Bytes of the new tensors (sharing no storage with an input) each torch function returns."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes: dict[str, int] = {}

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
        out = func(*args, **(kwargs or {}))
        inputs = {t.untyped_storage().data_ptr() for t in _tensors_in((args, kwargs or {}))}
        for t in _tensors_in(out):
            if t.untyped_storage().data_ptr() not in inputs:
                name = getattr(func, "__name__", str(func))
                self.bytes[name] = self.bytes.get(name, 0) + t.untyped_storage().nbytes()
        return out


def _repeat_fusion(h_s: torch.Tensor, h_t: torch.Tensor, h_v: torch.Tensor) -> torch.Tensor:
    """The notebook's ``fuse_by_hand``: both streams replicated with ``repeat``."""
    _, _, t, h, w = h_v.shape
    return torch.cat([h_s.repeat(1, 1, t, 1, 1), h_v + h_t.repeat(1, 1, 1, h, w)], dim=1)


def check_ex1(fuse_fixed: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor],
              ) -> None:
    """Values vs ``spatio_temporal_fusion``; allocations at most ``h_v + h_t`` and the result."""
    name = "Exercise 1 (fix the fusion)"
    gen = torch.Generator().manual_seed(2)
    b, c, t, h, w = 2, 3, 5, 4, 6
    h_s = torch.randn(b, c, 1, h, w, generator=gen)
    h_t = torch.randn(b, c, t, 1, 1, generator=gen)
    h_v = torch.randn(b, c, t, h, w, generator=gen)
    with _AllocationLog() as log:
        got = fuse_fixed(h_s, h_t, h_v)
    want = spatio_temporal_fusion(h_s, h_t, h_v)
    hint = ("the first C channels are h_s copied to every frame, untouched by motion; the last "
            "C are h_v + h_t. Replicate with expand (or broadcasting), which writes nothing.")
    if isinstance(got, torch.Tensor) and got.shape == want.shape:
        motion_in_first_half = torch.allclose(got[:, :c], want[:, :c] + h_t)
        if motion_in_first_half and torch.allclose(got[:, c:], want[:, c:]):
            fail(name, "the first C channels still change over time: h_t is added to the "
                       "appearance half too (the planted bug).", hint)
        if torch.allclose(got[:, :c], want[:, c:]) and torch.allclose(got[:, c:], want[:, :c]):
            fail(name, "the two halves are swapped: the spatial stream comes first.", hint)
        if torch.allclose(got[:, c:], h_v):
            fail(name, "channels C..2C equal h_v: the temporal stream was not added.", hint)
    if not isinstance(got, torch.Tensor) or got.shape != want.shape or \
            not torch.allclose(got, want, atol=1e-5, rtol=1e-4):
        check_tensor_close(name, got, want, hint)
    one = h_v.numel() * h_v.element_size()
    budget = one + want.numel() * want.element_size()  # h_v + h_t, and the result
    written = sum(log.bytes.values())
    if written > budget:
        ops = ", ".join(f"{op} {n} bytes" for op, n in log.bytes.items())
        fail(name, f"the values are right, but your fusion writes {written} bytes ({ops}); "
                   f"h_v + h_t and the result take {budget}: something copies a replicated "
                   "tensor.", "replace repeat (and any contiguous/clone of an expanded view) "
                              "by expand or plain broadcasting.")
    passed(name)


@functools.cache
def _fusion_bytes_per_video() -> tuple[int, int]:
    """Bytes written by the two fusions in the paper generator (ch=64, L=1), one video.

    The generator runs on the meta device (shapes only); every fusion input is recorded and
    both fusions are then run and logged on real tensors of those shapes, one block at a time.
    """
    shapes: list[tuple[torch.Size, torch.Size, torch.Size]] = []

    def record(h_s: torch.Tensor, h_t: torch.Tensor, h_v: torch.Tensor) -> torch.Tensor:
        shapes.append((h_s.shape, h_t.shape, h_v.shape))
        return spatio_temporal_fusion(h_s, h_t, h_v)

    with torch.device("meta"):
        paper = Generator(ch=64)
    with mock.patch.object(g3_module, "spatio_temporal_fusion", record), torch.no_grad():
        paper(*paper.sample_noise(1, 1, device="meta"))
    totals = {"expand": 0, "repeat": 0}
    for s_shape, t_shape, v_shape in shapes:
        inputs = (torch.empty(s_shape), torch.empty(t_shape), torch.empty(v_shape))
        for key, fn in (("expand", spatio_temporal_fusion), ("repeat", _repeat_fusion)):
            with _AllocationLog() as log:
                fn(*inputs)
            totals[key] += sum(log.bytes.values())
    return totals["expand"], totals["repeat"]


def check_ex2(expand_mib: float, repeat_mib: float) -> None:
    """Predicted MiB of the two fusions vs the logged allocations on the generator's shapes."""
    name = "Exercise 2 (memory of fusion)"
    want_expand, want_repeat = (n / 2**20 for n in _fusion_bytes_per_video())
    got = {"expand_mib": unwrap_scalar(expand_mib), "repeat_mib": unwrap_scalar(repeat_mib)}
    for key, value in got.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(name, f"{key} should be a number of MiB, got {value!r}.")
    hint = ("per block, one stream is C·T·H·W floats (4 bytes); expand writes h_v + h_t (1 "
            "stream) and the concatenation (2 streams), repeat also the 2 replicated copies.")
    if not math.isclose(got["expand_mib"], want_expand, rel_tol=1e-3):
        if got["expand_mib"] == 0:
            fail(name, "expand_mib = 0: expand itself writes nothing, but h_v + h_t and the "
                       "concatenation each write a new tensor.", hint)
        if math.isclose(got["expand_mib"], want_expand * 2 / 3, rel_tol=1e-3):
            fail(name, "expand_mib counts only the concatenation; h_v + h_t is a new tensor too.",
                 hint)
        if math.isclose(got["expand_mib"], want_expand * 2, rel_tol=1e-3):
            fail(name, "expand_mib is twice too large: per-stream C is half the fused channels.",
                 hint)
        fail(name, f"expand_mib = {got['expand_mib']:.2f}, the logged allocations give "
                   f"{want_expand:.2f} MiB.", hint)
    if not math.isclose(got["repeat_mib"], want_repeat, rel_tol=1e-3):
        if math.isclose(got["repeat_mib"], want_repeat * 2 / 5, rel_tol=1e-3):
            fail(name, "repeat_mib counts only the two copies; the sum and the concatenation "
                       "are written as well.", hint)
        fail(name, f"repeat_mib = {got['repeat_mib']:.2f}, the logged allocations give "
                   f"{want_repeat:.2f} MiB.", hint)
    print(f"   expand saves {1 - want_expand / want_repeat:.0%} of what fusion writes; the "
          "rest is the sum and the concatenated result.")
    passed(name)


def check_ex3(g3_output_shapes: Callable[..., tuple]) -> None:
    """``g3_output_shapes(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s)`` vs ``G3Module``."""
    name = "Exercise 3 (G3 output shapes)"
    cases = [  # b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s: G3AN's blocks 1, 2 and 4
        (2, 8, 1, 1, 4, 1, 0, 4, 1, 0), (1, 6, 4, 4, 4, 2, 1, 4, 2, 1),
        (1, 4, 16, 16, 1, 1, 0, 4, 2, 1),
    ]
    for b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s in cases:
        c = 3
        g3 = G3Module(c, 2 * c, c, c_out, k_s=k_s, k_t=k_t, s_s=s_s, s_t=s_t, p_s=p_s, p_t=p_t,
                      spectral_norm=False).eval()
        with torch.no_grad():
            out = g3(torch.zeros(b, c, 1, h, h), torch.zeros(b, 2 * c, t, h, h),
                     torch.zeros(b, c, t, 1, 1))
        want = tuple(tuple(o.shape) for o in out)
        got = g3_output_shapes(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s)
        got = tuple(tuple(s) for s in got) if isinstance(got, (tuple, list)) else got
        if got != want:
            fail(name, f"for b={b}, c_out={c_out}, t={t}, h=w={h}, kernel t/s {k_t}/{k_s}, "
                       f"stride {s_t}/{s_s}, padding {p_t}/{p_s}: got {got}, G3Module returns "
                       f"(h_s, h_v, h_t) = {want}.",
                 "h_s keeps T = 1, h_t keeps H = W = 1, each size follows (n-1)s - 2p + k, "
                 "and fusion doubles the video stream's channels.")
    passed(name)

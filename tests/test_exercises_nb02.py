"""Exercise checks of notebook 02: the reference solutions pass, wrong answers say what differs."""

from __future__ import annotations

import pytest
import torch

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb02 import check_ex1, check_ex2, check_ex3

STREAMS = [(512, 4, 4, 4), (512, 8, 8, 8), (256, 16, 16, 16), (128, 16, 32, 32), (64, 16, 64, 64)]
ELEMENTS = sum(c * t * h * w for c, t, h, w in STREAMS)
MIB = 4 / 2**20


def fuse_reference(h_s, h_t, h_v):
    b, c, t, h, w = h_v.shape
    return torch.cat([h_s.expand(b, c, t, h, w), h_v + h_t], dim=1)


def shapes_reference(b, c_out, t, h, k_t, s_t, p_t, k_s, s_s, p_s):
    t2, h2 = (t - 1) * s_t - 2 * p_t + k_t, (h - 1) * s_s - 2 * p_s + k_s
    return (b, c_out, 1, h2, h2), (b, 2 * c_out, t2, h2, h2), (b, c_out, t2, 1, 1)


def test_ex1_accepts_fusion_with_expand_or_broadcasting_or_in_place(capsys):
    check_ex1(fuse_reference)

    def broadcast(h_s, h_t, h_v):
        return torch.cat([h_s + torch.zeros_like(h_t), h_v + h_t], dim=1)  # writes 1 + 1 + 2

    def in_place(h_s, h_t, h_v):
        b, c, t, h, w = h_v.shape
        out = torch.empty(b, 2 * c, t, h, w)
        out[:, :c] = h_s
        torch.add(h_v, h_t, out=out[:, c:])
        return out

    check_ex1(in_place)
    assert capsys.readouterr().out.count("correct") == 2
    with pytest.raises(ExerciseFailed, match="writes"):
        check_ex1(broadcast)  # right values, but an extra (B, C, T, H, W) tensor of zeros


def test_ex1_catches_the_planted_bug():
    def buggy(h_s, h_t, h_v):
        b, c, t, h, w = h_v.shape
        return torch.cat([h_s.repeat(1, 1, t, 1, 1), h_v], dim=1) + h_t.repeat(1, 2, 1, h, w)

    with pytest.raises(ExerciseFailed, match="planted bug"):
        check_ex1(buggy)


def test_ex1_rejects_the_right_values_made_with_repeat_or_contiguous():
    def with_repeat(h_s, h_t, h_v):
        _, _, t, h, w = h_v.shape
        return torch.cat([h_s.repeat(1, 1, t, 1, 1), h_v + h_t.repeat(1, 1, 1, h, w)], dim=1)

    def with_contiguous(h_s, h_t, h_v):
        b, c, t, h, w = h_v.shape
        return torch.cat([h_s.expand(b, c, t, h, w).contiguous(), h_v + h_t], dim=1)

    for fuse in (with_repeat, with_contiguous):
        with pytest.raises(ExerciseFailed, match="copies a replicated tensor"):
            check_ex1(fuse)


def test_ex1_says_when_the_streams_are_swapped_or_motion_is_missing():
    with pytest.raises(ExerciseFailed, match="swapped"):
        check_ex1(lambda h_s, h_t, h_v: fuse_reference(h_s, h_t, h_v).roll(3, dims=1))
    with pytest.raises(ExerciseFailed, match="not added"):
        check_ex1(lambda h_s, h_t, h_v: fuse_reference(h_s, 0 * h_t, h_v))


def test_ex2_accepts_the_derived_memory(capsys):
    check_ex2(3 * ELEMENTS * MIB, 5 * ELEMENTS * MIB)
    assert "saves 40%" in capsys.readouterr().out


@pytest.mark.parametrize(("expand", "repeat", "message"), [
    (0, 5 * ELEMENTS * MIB, "expand itself writes nothing"),
    (2 * ELEMENTS * MIB, 5 * ELEMENTS * MIB, "only the concatenation"),
    (6 * ELEMENTS * MIB, 5 * ELEMENTS * MIB, "twice too large"),
    (3 * ELEMENTS * MIB, 2 * ELEMENTS * MIB, "only the two copies"),
    (3 * ELEMENTS * MIB, 4 * ELEMENTS * MIB, "logged allocations give"),
    (3 * STREAMS[-1][0] * 16 * 64 * 64 * MIB, 5 * ELEMENTS * MIB, "logged allocations give"),
    ("87", 5 * ELEMENTS * MIB, "number of MiB"),
])
def test_ex2_names_the_usual_mistakes(expand, repeat, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_ex2(expand, repeat)


def test_ex3_accepts_the_derived_shapes(capsys):
    check_ex3(shapes_reference)
    assert "correct" in capsys.readouterr().out


def test_ex3_rejects_forgetting_that_fusion_doubles_the_channels():
    def undoubled(*args):
        s, v, t = shapes_reference(*args)
        return s, (v[0], v[1] // 2, *v[2:]), t

    with pytest.raises(ExerciseFailed, match="G3Module returns"):
        check_ex3(undoubled)

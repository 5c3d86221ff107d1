"""SyntheticActions: determinism, factor independence and the geometry of each action."""

from __future__ import annotations

import pytest
import torch

from g3an_edu.data import ACTIONS, SyntheticActions
from g3an_edu.data.poses import JOINTS, pose_angles

J = {name: i for i, name in enumerate(JOINTS)}


def _with_action(ds: SyntheticActions, action: str, n: int = 8):
    """Factors of items 0..n-1 with their action replaced by ``action``."""
    app, mot = ds.factors(range(n))
    mot.action = torch.full_like(mot.action, ACTIONS.index(action))
    return app, mot


def test_item_is_identical_across_instances_batches_and_orders():
    ds = SyntheticActions(size=32, frames=8, seed=3)
    alone = ds[5]["video"]
    other = SyntheticActions(size=32, frames=8, seed=3)
    # Item 5 in different positions of batches of different sizes (other chunk and crop).
    # The last list spans two render chunks (128 frames): item 5 lands in the second.
    for indices in ([9, 5, 2], [5], list(range(7))[::-1], list(range(20, 37)) + [5]):
        batch = other.batch(indices)
        assert torch.equal(batch["video"][indices.index(5)], alone), indices
        assert batch["action"][indices.index(5)] == ds[5]["action"]


def test_batch_equals_items_rendered_one_by_one_and_in_reverse():
    ds = SyntheticActions(size=32, frames=8, seed=11)
    together = ds.batch(range(12))["video"]
    reverse = ds.batch(range(11, -1, -1))["video"].flip(0)
    alone = torch.stack([ds[i]["video"] for i in range(12)])
    assert torch.equal(together, reverse) and torch.equal(together, alone)


def test_different_seeds_and_indices_give_different_videos():
    a, b = SyntheticActions(size=32, frames=4, seed=0), SyntheticActions(size=32, frames=4, seed=1)
    assert not torch.equal(a[0]["video"], b[0]["video"])
    assert not torch.equal(a[0]["video"], a[1]["video"])


@pytest.mark.parametrize("size,frames", [(32, 16), (64, 5), (128, 3)])
def test_video_has_shape_range_and_8_bit_levels(size, frames):
    video = SyntheticActions(size=size, frames=frames)[7]["video"]
    assert video.shape == (3, frames, size, size) and video.dtype == torch.float32
    assert video.min() >= -1 and video.max() <= 1
    levels = (video + 1) * 127.5
    torch.testing.assert_close(levels, levels.round(), rtol=0, atol=1e-4)


def test_item_carries_every_factor_label():
    item = SyntheticActions(size=32, frames=4)[0]
    expected = {"video", "index", "action", "speed", "phase", "direction", "skin", "shirt",
                "trousers", "background", "colours", "texture", "proportions", "position",
                "scale"}
    assert set(item) == expected
    assert 0 <= item["action"] < len(ACTIONS) and item["direction"] in (-1, 1)
    assert item["colours"].shape == (4, 3) and item["proportions"].shape == (3,)


def test_labels_cover_every_class():
    app, mot = SyntheticActions(size=32, frames=1).factors(range(400))
    b = {"action": mot.action, "skin": app.skin, "shirt": app.shirt, "trousers": app.trousers,
         "background": app.background, "texture": app.texture}
    for key, n in [("action", 10), ("skin", 4), ("shirt", 6), ("trousers", 4),
                   ("background", 6), ("texture", 4)]:
        assert set(b[key].tolist()) == set(range(n)), key


def test_render_of_own_factors_equals_the_item():
    ds = SyntheticActions(size=32, frames=6, seed=2)
    app, mot = ds.factors([3, 4])
    assert torch.equal(ds.render(app, mot)[1], ds[4]["video"])


def _limb_angles(joints: torch.Tensor) -> torch.Tensor:
    """Direction of every limb (B, T, n_limbs): independent of limb lengths and position."""
    pairs = [("shoulder_far", "elbow_far"), ("elbow_far", "hand_far"), ("hip_near", "knee_near"),
             ("knee_near", "ankle_near"), ("pelvis", "neck"), ("shoulder_near", "elbow_near")]
    d = torch.stack([joints[:, :, J[b]] - joints[:, :, J[a]] for a, b in pairs], dim=2)
    return torch.atan2(d[..., 1], d[..., 0])


def test_same_motion_with_another_appearance_gives_the_same_pose_sequence():
    ds = SyntheticActions(size=64, frames=12, seed=0)
    app, mot = ds.factors(range(6))
    one_motion = mot[[2] * 6]  # motion of item 2, six different appearances
    angles = _limb_angles(ds.joints(app, one_motion))  # (6, T, n_limbs)
    torch.testing.assert_close(angles, angles[:1].expand_as(angles), atol=1e-4, rtol=0)
    assert (angles[0, 1:] - angles[0, :-1]).abs().max() > 0.05  # and the pose does move
    # Videos differ (another look), while the motion is the same.
    videos = ds.render(app, one_motion)
    assert not torch.equal(videos[0], videos[1])


def _pixel(video: torch.Tensor, xy: torch.Tensor) -> torch.Tensor:
    """RGB (3, T) of ``video`` (3, T, H, W) at per-frame positions ``xy`` (T, 2)."""
    x, y = xy[:, 0].long(), xy[:, 1].long()
    return video[:, torch.arange(video.shape[1]), y, x]


def test_same_appearance_with_another_motion_keeps_its_colours():
    ds = SyntheticActions(size=64, frames=8, seed=0)
    app, mot = ds.factors(range(3))
    mot.action = torch.tensor([ACTIONS.index(a) for a in ("walk", "jack", "bend")])
    one_look = app[[0] * 3]
    videos = ds.render(one_look, mot)  # (3, 3, T, H, W)
    points = ds.joints(one_look, mot)  # (3, T, J, 2)
    rgb = 2 * app.colours[0] - 1  # (4, 3) skin, shirt, trousers, background in [-1, 1]
    for v, p in zip(videos, points, strict=True):
        torso = (p[:, J["pelvis"]] + p[:, J["neck"]]) / 2
        # median over frames: an arm may swing across the torso in a frame or two
        torch.testing.assert_close(_pixel(v, torso).median(1).values, rgb[1], atol=0.02, rtol=0)
        torch.testing.assert_close(_pixel(v, p[:, J["head"]]), rgb[0, :, None].expand(3, 8),
                                   atol=0.02, rtol=0)
    # The background away from the figure is the same pixels whatever the motion.
    assert torch.equal(videos[0][:, :, :6, :6], videos[1][:, :, :6, :6])


def test_actions_have_distinct_pose_sequences():
    n = len(ACTIONS)
    speed, phase = torch.full((n,), 0.07), torch.full((n,), 0.1)
    angles = pose_angles(torch.arange(n), speed, phase, 16)  # (A, T, n_angles)
    diff = (angles[:, None] - angles[None]).abs().mean((2, 3))  # (A, A)
    off_diagonal = diff + torch.eye(n) * 10
    assert off_diagonal.min() > 0.05, diff


def _geometry(action: str):
    ds = SyntheticActions(size=64, frames=16, seed=1)
    app, mot = _with_action(ds, action)
    p = ds.joints(app, mot)  # (B, T, J, 2), y down
    height = (app.scale * 64)[:, None]  # (B, 1) figure height in pixels
    ground = (app.position[:, 1] * 64)[:, None]
    travel = (p[:, -1, J["pelvis"], 0] - p[:, 0, J["pelvis"], 0]) * mot.direction
    return p, height, ground, travel / height[:, 0]


def y(p, name):
    return p[:, :, J[name], 1]


@pytest.mark.parametrize("action", ["walk", "run", "skip", "side", "jump"])
def test_travelling_actions_move_the_figure_along_its_direction(action):
    _, _, _, travel = _geometry(action)
    assert (travel > 0.15).all(), travel


@pytest.mark.parametrize("action", ["pjump", "jack", "bend", "wave1", "wave2"])
def test_actions_in_place_keep_the_figure_in_place(action):
    _, _, _, travel = _geometry(action)
    assert (travel.abs() < 0.02).all(), travel


def test_run_travels_faster_than_walk():
    assert (_geometry("run")[3] > 1.2 * _geometry("walk")[3]).all()


def test_jumping_jack_raises_both_hands_above_the_head():
    p, height, _, _ = _geometry("jack")
    top_of_head = y(p, "head") - 0.07 * height
    above = (y(p, "hand_near") < top_of_head) & (y(p, "hand_far") < top_of_head)
    assert above.any(1).all()
    assert (~above).any(1).all()  # and lowers them again


def test_wave1_keeps_one_hand_up_and_one_down():
    p, _, _, _ = _geometry("wave1")
    assert (y(p, "hand_near") < y(p, "head")).all()
    assert (y(p, "hand_far") > y(p, "shoulder_far")).all()


def test_wave2_keeps_both_hands_up():
    p, _, _, _ = _geometry("wave2")
    assert (y(p, "hand_near") < y(p, "neck")).all() and (y(p, "hand_far") < y(p, "neck")).all()


def test_bend_brings_the_head_down_to_hip_height():
    p, height, _, _ = _geometry("bend")
    low = y(p, "head") > y(p, "pelvis") - 0.2 * height
    assert low.any(1).all() and (~low).any(1).all()


@pytest.mark.parametrize("action", ["jump", "pjump", "run"])
def test_jumps_leave_the_ground_with_both_feet(action):
    p, height, ground, _ = _geometry(action)
    airborne = (y(p, "ankle_near") < ground - 0.04 * height) & \
               (y(p, "ankle_far") < ground - 0.04 * height)
    assert airborne.any(1).all()


def test_walk_keeps_a_foot_on_the_ground():
    p, height, ground, _ = _geometry("walk")
    lowest = torch.maximum(y(p, "ankle_near"), y(p, "ankle_far"))
    assert ((ground - lowest).abs() < 0.05 * height).all()


def test_skip_lifts_one_knee_high():
    p, height, _, _ = _geometry("skip")
    assert ((y(p, "knee_near") - y(p, "knee_far")).abs() > 0.1 * height).any(1).all()


def test_side_gallop_spreads_the_feet_apart():
    p, height, _, _ = _geometry("side")
    spread = (p[:, :, J["ankle_near"], 0] - p[:, :, J["ankle_far"], 0]).abs()
    assert (spread > 0.2 * height).any(1).all()


def test_rendered_figure_travels_in_walk_but_not_in_wave():
    ds = SyntheticActions(size=64, frames=16, seed=4)
    shifts = {}
    for action in ("walk", "wave2"):
        app, mot = _with_action(ds, action, n=4)
        app.texture = torch.zeros_like(app.texture)  # plain: each row of the background is flat
        video = ds.render(app, mot)  # (B, 3, T, H, W)
        row_background = video.median(dim=4, keepdim=True).values  # (B, 3, T, H, 1)
        figure = (video - row_background).abs().sum(1) > 0.3  # (B, T, H, W)
        xs = torch.arange(64.0)
        centre = (figure * xs).sum((2, 3)) / figure.sum((2, 3)).clamp(min=1)  # (B, T)
        shifts[action] = (centre[:, -1] - centre[:, 0]).abs()
    assert (shifts["walk"] > 10).all() and (shifts["wave2"] < 2).all(), shifts


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="size"):
        SyntheticActions(size=48)
    with pytest.raises(ValueError, match="frames"):
        SyntheticActions(frames=0)
    ds = SyntheticActions(size=32, frames=2, length=10)
    with pytest.raises(IndexError, match="out of range"):
        ds[10]
    app, mot = ds.factors([0, 1])
    with pytest.raises(ValueError, match="same number|motion has"):
        ds.render(app, mot[[0]])


def test_dataloader_collates_items():
    ds = SyntheticActions(size=32, frames=4, length=4)
    batch = next(iter(torch.utils.data.DataLoader(ds, batch_size=4)))
    assert batch["video"].shape == (4, 3, 4, 32, 32)
    assert torch.equal(batch["video"], ds.batch(range(4))["video"])


def test_compiled_path_falls_back_to_eager_with_a_warning(monkeypatch):
    from g3an_edu.data import render as render_module

    def broken_compile(fn, **kwargs):
        def fails(*args):
            raise RuntimeError("no C++ compiler")
        return fails

    monkeypatch.setattr(torch, "compile", broken_compile)
    monkeypatch.setattr(render_module, "_compiled_paint", None)
    eager = SyntheticActions(size=32, frames=4)[0]["video"]
    with pytest.warns(UserWarning, match="rendering eagerly"):
        compiled = SyntheticActions(size=32, frames=4, compiled=True)[0]["video"]
    assert torch.equal(compiled, eager)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_rendering_matches_cpu_to_one_level():
    ds = SyntheticActions(size=64, frames=16)
    cpu = ds.batch(range(4))["video"]
    gpu = ds.batch(range(4), device="cuda")["video"].cpu()
    assert (cpu - gpu).abs().max() <= 1 / 127.5 + 1e-6

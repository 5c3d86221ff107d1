"""The playground (g3an_edu.playground): codes, rendering, directions, the z_a search, widgets.

Most tests use a small untrained G3AN and MoCoGAN (fast on a CPU); the widget tests load the
shipped models, as the notebook does.
"""

from __future__ import annotations

import pytest
import torch

from g3an_edu import playground as pg
from g3an_edu.baselines import MoCoGANGenerator
from g3an_edu.data.synthetic import BACKGROUND
from g3an_edu.generator import Generator
from g3an_edu.metrics.oracle import Oracle, OracleSpec


@pytest.fixture(scope="module")
def g3an():
    torch.manual_seed(1)
    return Generator(dim_za=16, dim_zm=4, ch=2, resolution=32, attention=False).eval()


@pytest.fixture(scope="module")
def mocogan():
    torch.manual_seed(2)
    return MoCoGANGenerator(dim_za=16, dim_zm=4, ch=4, resolution=32).eval()


@pytest.fixture(scope="module")
def oracle():
    torch.manual_seed(3)
    factors = {"action": 10, **{f: len(c) for f, c in pg.LOOK_CLASSES.items()}}
    return Oracle(OracleSpec(factors=factors, width=4, dim=16)).eval()


def test_codes_come_from_their_seeds_and_leave_the_global_rng_alone():
    torch.manual_seed(5)
    before = torch.get_rng_state()
    a, b = pg.appearance_code(8, 3), pg.appearance_code(8, 3)
    assert torch.equal(a, b) and not torch.equal(a, pg.appearance_code(8, 4))
    short, long = pg.motion_code(4, 2, 7), pg.motion_code(4, 5, 7)
    assert short.shape == (4, 2) and long.shape == (4, 5)
    assert torch.equal(long[:, :2], short)  # a longer code of the same seed extends it
    assert torch.equal(torch.get_rng_state(), before)


@pytest.mark.parametrize("length", [1, 2, 4])
def test_render_gives_4_L_plus_3_frames_for_both_models(g3an, mocogan, length):
    for g, steps in ((g3an, length), (mocogan, 4 * (length + 3))):
        assert pg.motion_steps(g, length) == steps
        z_a, z_m = pg.make_codes(g, pg.Settings(length=length))
        assert z_a.shape == (1, 16) and z_m.shape == (1, 4, steps)
        video = pg.render(g, length=length)
        assert video.shape == (1, 3, 4 * (length + 3), 32, 32)
        assert video.abs().max() <= 1


def test_render_is_deterministic(g3an):
    s = pg.Settings(seed_a=4, seed_m=9, length=2, view="same_za", columns=3)
    assert torch.equal(pg.render(g3an, s), pg.render(g3an, s))


def test_swap_views_share_the_right_code(g3an):
    z_a, z_m = pg.make_codes(g3an, pg.Settings(seed_a=2, seed_m=5, view="same_za", columns=3))
    assert z_a.shape[0] == 3 and torch.equal(z_a[0], z_a[2])
    assert not torch.equal(z_m[0], z_m[1])
    assert torch.equal(z_m[0], pg.motion_code(4, 1, 5))
    z_a, z_m = pg.make_codes(g3an, pg.Settings(seed_a=2, seed_m=5, view="same_zm", columns=3))
    assert torch.equal(z_m[0], z_m[2]) and not torch.equal(z_a[0], z_a[1])
    assert torch.equal(z_a[1], pg.appearance_code(16, 3))


def test_directions_from_recovers_a_planted_direction():
    g = torch.Generator().manual_seed(0)
    codes = torch.randn(400, 6, generator=g)
    planted = torch.tensor([0.0, 3.0, 0.0, 4.0, 0.0, 0.0]) / 5
    mix = torch.randn(6, 30, generator=g) * 0.05
    feats = (codes @ planted)[:, None] * torch.randn(1, 30, generator=g) * 10 + codes @ mix
    vectors, explained = pg.directions_from(codes, feats, 2)
    assert vectors.shape == (2, 6) and explained.shape == (2,)
    assert torch.allclose(vectors.norm(dim=1), torch.ones(2), atol=1e-5)
    assert abs(vectors[0] @ planted) > 0.99 and vectors[0].abs().argmax() == 3
    assert vectors[0, 3] > 0  # sign convention: the largest entry is positive
    assert explained[0] > 0.9 and explained[0] >= explained[1]


def test_principal_directions_of_both_codes(g3an, mocogan):
    for g in (g3an, mocogan):
        d_a = pg.principal_directions(g, "z_a", k=2, n=12)
        d_m = pg.principal_directions(g, "z_m", k=2, n=12)
        assert d_a.vectors.shape == (2, 16) and d_m.vectors.shape == (2, 4)
        again = pg.principal_directions(g, "z_a", k=2, n=12)
        assert torch.equal(d_a.vectors, again.vectors)
        moved = pg.render(g, steps_a=(2.0, 0.0), directions_a=d_a, directions_m=d_m)
        assert not torch.equal(moved, pg.render(g, directions_a=d_a, directions_m=d_m))


def test_bad_input_errors_say_what_was_expected(g3an):
    with pytest.raises(ValueError, match="unknown view 'side'.*'single'"):
        pg.Settings(view="side")
    with pytest.raises(ValueError, match="length L must be an int in 1..64"):
        pg.Settings(length=0)
    with pytest.raises(ValueError, match="seeds are ints ≥ 0"):
        pg.Settings(seed_a=-1)
    with pytest.raises(ValueError, match="need its directions"):
        pg.render(g3an, steps_a=(1.0, 0.0))
    with pytest.raises(ValueError, match=r"z_a must have shape \(B, 16\)"):
        pg.render_codes(g3an, torch.zeros(1, 15), torch.zeros(1, 4, 1))
    with pytest.raises(ValueError, match="unknown code 'z'"):
        pg.principal_directions(g3an, "z")
    with pytest.raises(ValueError, match="k must be in 1..n-1"):
        pg.directions_from(torch.zeros(3, 2), torch.zeros(3, 5), 3)
    with pytest.raises(ValueError, match="unknown appearance factor 'hat'"):
        pg.parse_look({"hat": "red"})
    with pytest.raises(ValueError, match="unknown shirt class 'pink'.*'red'"):
        pg.parse_look({"shirt": "pink"})
    with pytest.raises(ValueError, match="skin must be one of"):
        pg.parse_look({"skin": 9})
    with pytest.raises(KeyError, match="no shipped model named 'g3an-huge'"):
        pg.render("g3an-huge")


def test_real_look_has_the_chosen_classes():
    video = pg.real_look({"shirt": "red", "background": "sky", "texture": "plain"}, length=2)
    assert video.shape == (1, 3, 20, 32, 32)
    corner = (video[0, :, 0, 1, 1] + 1) / 2  # top-left pixel: background
    nearest = min(BACKGROUND, key=lambda c: (corner - torch.tensor(BACKGROUND[c])).norm())
    assert nearest == "sky"
    other = pg.real_look({"shirt": "red", "background": "mint", "texture": "plain"}, length=2)
    assert not torch.allclose(other[0, :, 0, 1, 1], video[0, :, 0, 1, 1], atol=0.05)


def test_find_appearance_lowers_the_loss_and_touches_only_z_a(g3an, oracle):
    weights = {k: v.clone() for k, v in g3an.state_dict().items()}
    rng = torch.get_rng_state()
    result = pg.find_appearance(g3an, oracle, {"shirt": "red", "texture": 1}, candidates=6,
                                steps=8, motions=2, checks=3, lr=0.1)
    assert result.z_a.shape == (16,) and result.target == {"shirt": 0, "texture": 1}
    assert len(result.losses) == 9 and min(result.losses[1:]) < result.losses[0]
    assert set(result.probability) == {"shirt", "texture"}
    assert 0 <= result.agreement <= 1
    assert all(p.grad is None for p in g3an.parameters())
    assert all(p.grad is None for p in oracle.parameters())
    assert all(torch.equal(v, weights[k]) for k, v in g3an.state_dict().items())
    assert torch.equal(torch.get_rng_state(), rng)
    again = pg.find_appearance(g3an, oracle, {"shirt": "red", "texture": 1}, candidates=6,
                               steps=8, motions=2, checks=3, lr=0.1)
    assert torch.equal(again.z_a, result.z_a)


def test_look_agreement_counts_videos_with_every_factor_right(g3an, oracle):
    z_a = pg.appearance_code(16, 0)
    z_m = torch.stack([pg.motion_code(4, 1, i) for i in range(5)])
    videos = pg.render_codes(g3an, z_a[None].expand(5, -1), z_m)
    with torch.no_grad():
        logits = oracle(videos).logits
    shirt, skin = logits["shirt"].argmax(1), logits["skin"].argmax(1)
    target = {"shirt": int(shirt[0]), "skin": int(skin[0])}
    want = ((shirt == target["shirt"]) & (skin == target["skin"])).float().mean().item()
    agreement, probability = pg.look_agreement(g3an, oracle, z_a, target, z_m)
    assert agreement == pytest.approx(want) and agreement >= 0.2
    assert probability["shirt"] == pytest.approx(
        logits["shirt"].softmax(1)[:, target["shirt"]].mean().item())


# ---- widgets (ipywidgets 8 here; the code uses only API that 7.7 has too) -----------------

@pytest.fixture(scope="module")
def playground():
    pytest.importorskip("ipywidgets")
    return pg.Playground(directions_n=8)


def test_playground_renders_and_describes_its_state(playground):
    assert playground.video.shape == (1, 3, 16, 32, 32)
    assert playground.image.value[:6] == b"GIF89a"
    text = playground.describe()
    assert "model g3an-tiny" in text and "L = 1 -> T = 4(L+3) = 16 frames" in text
    assert playground.info.value == f"<pre>{text}</pre>"


def test_moving_a_control_changes_the_video(playground):
    before, gif = playground.video.clone(), playground.image.value
    playground.controls["seed_m"].value = 5  # as a user moving the slider does
    assert not torch.equal(playground.video, before) and playground.image.value != gif
    moved = playground.video.clone()
    playground.controls["pc_a1"].value = 2.0
    assert not torch.equal(playground.video, moved)
    playground.controls["length"].value = 3
    assert playground.video.shape == (1, 3, 24, 32, 32)
    playground.controls["view"].value = "same_za"
    assert playground.video.shape[0] == 4
    playground.controls["model"].value = "mocogan-tiny"
    assert playground.video.shape == (4, 3, 24, 32, 32)
    assert "model mocogan-tiny" in playground.describe()
    playground.reset.click()
    assert playground.settings == pg.Settings(model="mocogan-tiny")
    assert torch.equal(playground.video, pg.render(
        "mocogan-tiny", directions_a=playground.directions("mocogan-tiny")[0],
        directions_m=playground.directions("mocogan-tiny")[1]))
    with pytest.raises(ValueError, match="unknown controls"):
        playground.set(seed=3)


def test_look_finder_widget():
    pytest.importorskip("ipywidgets")
    finder = pg.LookFinder(target={"shirt": "blue"}, columns=2, candidates=4, steps=2,
                           motions=1, checks=2)
    assert finder.target() == {"shirt": "blue"}
    finder.controls["background"].value = "sky"
    result = finder.find()
    assert result.target == {"shirt": 1, "background": 0}
    assert finder.video.shape == (3, 3, 16, 32, 32)
    finder.controls["length"].value = 2
    assert finder.video.shape == (3, 3, 20, 32, 32)
    assert "agreement" in finder.info.value


def test_find_appearance_returns_the_code_of_the_lowest_loss(g3an, oracle):
    result = pg.find_appearance(g3an, oracle, {"background": "sky"}, candidates=4, steps=6,
                                motions=2, lr=0.5, prior=5.0, seed=2)
    assert min(result.losses) < result.losses[-1]  # overshot: the last code is not the best
    z_m = torch.stack([pg.motion_code(4, 1, 2 * 1000 + i) for i in range(2)])
    with torch.no_grad():
        loss = pg.look_loss(oracle, g3an(result.z_a[None].expand(2, -1), z_m), {"background": 0})
        loss = loss + 5.0 * (result.z_a.norm() / 4 - 1) ** 2  # the prior, sqrt(dim_za) = 4
    assert loss.item() == pytest.approx(min(result.losses), rel=1e-4, abs=1e-5)

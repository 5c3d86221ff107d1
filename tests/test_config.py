"""Training configs: presets, overrides, errors that list the valid keys, tiers."""

import inspect
import re

import pytest

from g3an_edu.config import (
    PRESETS,
    TrainConfig,
    architecture_mismatch,
    config_for_tier,
    load_config,
)


def test_every_preset_loads_and_paper_is_the_authors_setting():
    configs = {name: load_config(name) for name in PRESETS}
    paper = configs["paper"]
    assert (paper.resolution, paper.ch, paper.batch, paper.lr_g, paper.beta1) == (
        64, 64, 96, 2e-4, 0.5)
    assert configs["tiny"].resolution == 32 and configs["tiny"].ch < paper.ch
    assert all(c.name == name for name, c in configs.items())


def test_set_overrides_are_parsed_to_the_field_types():
    c = load_config("tiny", ["batch=8", "attention=false", "lr_g=1e-3", "mode=3d"])
    assert (c.batch, c.attention, c.lr_g, c.mode) == (8, False, 1e-3, "3d")


def test_unknown_key_is_an_error_listing_the_valid_keys():
    with pytest.raises(ValueError, match="unknown config key 'bach'.*batch \\(int\\)"):
        load_config("tiny", ["bach=8"])


@pytest.mark.parametrize("pair", ["batch=eight", "attention=maybe", "lr_g=fast"])
def test_wrong_type_is_an_error_naming_the_type(pair):
    with pytest.raises(ValueError, match="takes a value of type"):
        load_config("tiny", [pair])


def test_bad_value_is_an_error_listing_the_choices():
    with pytest.raises(ValueError, match="valid values are: '1p2d', '2p1d', '3d'"):
        load_config("tiny", ["mode=4d"])


def test_toml_file_is_a_config_and_wrong_toml_types_are_refused(tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text('resolution = 32\nch = 4\nattention = false\n')
    c = load_config(str(good))
    assert (c.name, c.ch, c.attention, c.batch) == ("mine", 4, False, TrainConfig().batch)
    bad = tmp_path / "bad.toml"
    bad.write_text('ch = "wide"\n')
    with pytest.raises(ValueError, match="'ch' takes a value of type int"):
        load_config(str(bad))
    with pytest.raises(ValueError, match="unknown config 'nope'"):
        load_config("nope")


def test_config_for_tier_picks_tiny_in_the_fast_tier():
    fast, gpu = config_for_tier("fast"), config_for_tier("gpu")
    assert fast.name == "tiny" and fast.steps <= 50
    assert gpu.resolution == 64


def test_architecture_mismatch_names_the_differing_keys_but_not_the_step_count():
    saved = load_config("tiny").to_dict()
    assert architecture_mismatch(saved, load_config("tiny", ["steps=999"])) == []
    diff = architecture_mismatch(saved, load_config("tiny", ["ch=4", "attention=false"]))
    assert [d.split(":")[0] for d in diff] == ["ch", "attention"]


def test_config_auto_follows_the_tier_switch(monkeypatch):
    monkeypatch.setenv("G3AN_TIER", "fast")
    assert load_config("auto", ["batch=3"]).name == "tiny"
    monkeypatch.setenv("G3AN_TIER", "laptop")
    assert load_config("auto").name == "cpu"


def test_a_checkpoint_written_before_a_key_existed_resumes_with_that_keys_default():
    saved = load_config("tiny").to_dict()
    del saved["dv_time_padding"]  # a checkpoint from before the study's keys
    assert architecture_mismatch(saved, load_config("tiny")) == []
    diff = architecture_mismatch(saved, load_config("tiny", ["dv_time_padding=true"]))
    assert [d.split(":")[0] for d in diff] == ["dv_time_padding"]


def test_departures_lists_exactly_the_switched_on_departure_keys():
    from g3an_edu.config import DEPARTURE_KEYS, departures
    from g3an_edu.study import VARIANTS

    for preset in PRESETS:
        assert departures(load_config(preset)) == {}, preset  # the presets are the paper's
    # every field declared between TrainConfig's "departures" and "optimisation" comments
    source = inspect.getsource(TrainConfig)
    block = source.split("# departures from the paper")[1].split("# optimisation")[0]
    declared = re.findall(r"^    (\w+): ", block, flags=re.M)
    assert tuple(declared) == DEPARTURE_KEYS
    config = load_config("cpu", VARIANTS["style-mod-pair-colour"])
    assert departures(config) == {"za_in_video": False, "appearance_global": True,
                                  "appearance_modulation": True, "pair_weight": 1.0,
                                  "colour_ratio_weight": 1.0}
    assert departures(load_config("tiny", ["lr_d=4e-4", "amp=bf16"])) == {}  # paper knobs
    assert departures(config.to_dict()) == departures(config)  # a checkpoint's config dict

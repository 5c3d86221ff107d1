"""Building and loading models: the caller's RNG untouched, paths before shipped names, weight
sets named, format versions checked, and imports that run one way."""

import ast
import json
import os
from pathlib import Path

import pytest
import torch

import g3an_edu
from g3an_edu import checkpoint as ckpt
from g3an_edu import cli, models, pretrained
from g3an_edu.config import load_config
from g3an_edu.models import build_generator, build_models, load_generator, load_pretrained
from g3an_edu.train import train

PACKAGE = Path(g3an_edu.__file__).parent
QUIET = {"ch": 8, "dv_ch": 8, "di_ch": 8, "batch": 2, "sample_every": 0, "attention": False,
         "checkpoint_every": 1}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A 1-step tiny run with an EMA."""
    out = tmp_path_factory.mktemp("run")
    train(load_config("tiny", {**QUIET, "steps": 1}), out, device="cpu", progress=False)
    return out


def random_stream_after(action) -> torch.Tensor:
    torch.manual_seed(1)
    action()
    return torch.rand(3)


# ----------------------------------------------------------------------------- RNG


@pytest.mark.parametrize("action", [
    lambda: load_pretrained("g3an-tiny"),
    lambda: load_generator("mocogan-tiny"),
    lambda: build_models(load_config("tiny")),
    lambda: build_generator(load_config("tiny")),
], ids=["load_pretrained", "load_generator", "build_models", "build_generator"])
def test_loading_or_building_a_model_leaves_the_callers_rng_stream_alone(action):
    untouched = random_stream_after(lambda: None)
    assert torch.equal(random_stream_after(action), untouched)
    torch.manual_seed(2)
    assert not torch.equal(torch.rand(3), untouched)  # the check can tell seeds apart


def test_build_models_is_a_pure_function_of_the_config_seed():
    config = load_config("tiny", {"seed": 3})
    torch.manual_seed(10)
    a = build_models(config)
    torch.manual_seed(11)
    b = build_models(config)
    for ma, mb in zip(a, b, strict=True):
        for (name, x), y in zip(ma.state_dict().items(), mb.state_dict().values(), strict=True):
            assert torch.equal(x, y), name
    for x, y in zip(build_generator(config).state_dict().values(),
                    a[0].state_dict().values(), strict=True):
        assert torch.equal(x, y)  # G alone gets the same initial weights as G of the trio


def test_loading_a_generator_builds_no_discriminator(run, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a discriminator was built to load a generator")

    monkeypatch.setattr(models, "VideoDiscriminator", refuse)
    monkeypatch.setattr(models, "ImageDiscriminator", refuse)
    g, _ = load_generator(run)
    load_generator(run, untrained=True)
    assert isinstance(g, g3an_edu.Generator)


def test_a_run_does_not_depend_on_the_callers_rng_state(tmp_path):
    """Starting a run seeds the global RNG from the config, so what the caller drew before
    changes nothing (the checkpoint stores that stream for an exact resume)."""
    config = load_config("tiny", {**QUIET, "steps": 1, "seed": 5})
    saved = []
    for caller_seed in (123, 456):
        torch.manual_seed(caller_seed)
        train(config, tmp_path / str(caller_seed), device="cpu", progress=False)
        saved.append(ckpt.load_checkpoint(tmp_path / str(caller_seed))[0])
    assert saved[0].keys() == saved[1].keys()
    for key in saved[0]:
        assert torch.equal(saved[0][key], saved[1][key]), key


# ----------------------------------------------------------------------------- paths vs names


def test_a_local_run_named_like_a_shipped_model_wins_and_the_command_says_so(
        run, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.symlink(run, tmp_path / "g3an-tiny")  # as after `g3an-edu train --out g3an-tiny`
    where = models.resolve_source("g3an-tiny")
    assert where.kind == "path" and where.shadows
    g, config = load_generator("g3an-tiny")
    assert config.ch == 8  # the student's run, not the shipped ch=16 model
    assert cli.main(["sample", "--checkpoint", "g3an-tiny", "--n", "1", "--out", "a.png",
                     "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "not the shipped model" in out and "shipped:g3an-tiny" in out
    shipped, config = load_generator("shipped:g3an-tiny")
    assert config.ch == 16 and models.resolve_source("shipped:g3an-tiny").kind == "shipped"
    assert cli.main(["sample", "--checkpoint", "shipped:g3an-tiny", "--n", "1", "--out",
                     "b.png", "--device", "cpu"]) == 0
    assert "shipped model 'g3an-tiny'" in capsys.readouterr().out


def test_a_shipped_name_without_a_local_path_loads_the_shipped_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert models.resolve_source("g3an-tiny").kind == "shipped"
    assert not models.resolve_source("g3an-tiny").shadows


# ----------------------------------------------------------------------------- weight sets


def test_no_ema_on_an_ema_only_file_names_what_the_file_holds(capsys):
    assert ckpt.weight_sets(ckpt.load_checkpoint(pretrained.model_path("g3an-tiny"))[0]) == [
        "g_ema"]
    with pytest.raises(ValueError, match="holds only the EMA generator"):
        load_generator("g3an-tiny", ema=False)
    assert cli.main(["sample", "--checkpoint", "g3an-tiny", "--no-ema", "--out", "x.png"]) == 2
    assert "holds only the EMA generator" in capsys.readouterr().err


def test_ema_on_a_run_without_ema_is_refused_not_replaced_by_the_raw_g(tmp_path):
    train(load_config("tiny", {**QUIET, "steps": 1, "ema": False}), tmp_path, device="cpu",
          progress=False)
    with pytest.raises(ValueError, match="holds only the raw generator.*--no-ema"):
        load_generator(tmp_path)
    g, _ = load_generator(tmp_path, ema=False)
    assert not g.training


def test_both_weight_sets_of_a_run_load_and_differ(run):
    ema, _ = load_generator(run, ema=True)
    raw, _ = load_generator(run, ema=False)
    assert any(not torch.equal(a, b) for a, b in
               zip(ema.state_dict().values(), raw.state_dict().values(), strict=True))


def test_a_generator_file_written_through_checkpoint_loads_like_a_shipped_one(run, tmp_path):
    tensors, meta = ckpt.load_checkpoint(run)
    path = ckpt.save_generator_file(tmp_path / "g.safetensors",
                                    ckpt.generator_weights(tensors, ema=True), meta)
    g, config = load_generator(path)
    expected = ckpt.subdict(tensors, "g_ema")
    assert g.state_dict().keys() == expected.keys()
    for key, value in g.state_dict().items():
        assert torch.equal(value, expected[key]), key
    assert ckpt.load_checkpoint(path)[1]["weights"] == "g_ema"
    with pytest.raises(ValueError, match="only the EMA"):
        load_generator(path, ema=False)
    with pytest.raises(ValueError, match="holds no discriminators"):
        models.load_discriminators(path)
    dv, di = models.load_discriminators(run)
    assert not dv.training and not di.training


# ----------------------------------------------------------------------------- format version


@pytest.mark.parametrize("version, fix", [(2, "newer g3an-edu: upgrade"),
                                          (None, "not a checkpoint format")])
def test_a_checkpoint_of_another_format_version_is_refused_with_the_fix(run, tmp_path,
                                                                        version, fix):
    tensors, meta = ckpt.load_checkpoint(run)
    meta["format"] = version
    from safetensors.torch import save_file

    path = ckpt.checkpoint_path(tmp_path, 1)
    path.parent.mkdir()
    save_file(tensors, str(path), metadata={"g3an_edu": json.dumps(meta)})
    with pytest.raises(ckpt.CheckpointFormatError, match=f"format {version!r}.*{fix}"):
        load_generator(path)
    with pytest.raises(ckpt.CheckpointFormatError, match=fix):  # resuming refuses it too
        train(load_config("tiny", {**QUIET, "steps": 2}), tmp_path, device="cpu",
              progress=False)


# ----------------------------------------------------------------------------- imports


def _walk_outside_getattr(node: ast.AST):
    """Every node below ``node`` except inside a module ``__getattr__`` (pretrained's
    documented alias of ``load_pretrained``, checked on its own below)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef) and child.name == "__getattr__":
            continue
        yield child
        yield from _walk_outside_getattr(child)


def _package_imports() -> dict[str, set[str]]:
    """``{module: modules of the package it imports}``, module-level and inside functions,
    resolved to module names (``from . import checkpoint`` -> ``g3an_edu.checkpoint``)."""
    graph: dict[str, set[str]] = {}
    names = {".".join(("g3an_edu", *p.relative_to(PACKAGE).with_suffix("").parts))
             .removesuffix(".__init__") for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("").parts
        module = ".".join(("g3an_edu", *rel)).removesuffix(".__init__")
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in _walk_outside_getattr(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(0, node.level - 1)):
                    base = base.rpartition(".")[0]
                target = (f"{base}.{node.module}" if node.module else base) if node.level \
                    else (node.module or "")
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in names else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {m for m in found if m in names and m != module}
    return graph


def _getattr_bodies_import(module_path: Path) -> set[str]:
    tree = ast.parse(module_path.read_text())
    return {node.module for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
            and f.name == "__getattr__" for node in ast.walk(f)
            if isinstance(node, ast.ImportFrom)}


def test_the_package_has_no_import_cycle():
    graph = _package_imports()
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph.get(module, ())):
            if dep.startswith(module + "."):
                continue  # a package importing its own submodules
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path + [module, dep]))
            if state.get(dep) is None:
                visit(dep, path + [module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_imports_run_one_way_model_parts_loading_training_commands():
    graph = _package_imports()
    layers = [
        {"g3an_edu.generator", "g3an_edu.discriminators", "g3an_edu.attention",
         "g3an_edu.baselines.mocogan", "g3an_edu.g3", "g3an_edu.fusion"},
        {"g3an_edu.models", "g3an_edu.checkpoint", "g3an_edu.pretrained"},
        {"g3an_edu.train", "g3an_edu.objective", "g3an_edu.ema"},
        {"g3an_edu.cli"} | {m for m in graph if m.startswith("g3an_edu.commands")},
    ]
    for i, layer in enumerate(layers):
        above = set().union(*layers[i + 1:])
        for module in layer:
            bad = graph[module] & above
            assert not bad, f"{module} imports {bad}, which sit above it"
    library = {m for m in graph if not m.startswith("g3an_edu.commands") and m != "g3an_edu.cli"
               and m != "g3an_edu.__main__"}
    for module in library:
        assert not {d for d in graph[module] if d.startswith("g3an_edu.commands")}, module
    # the one import inside a function that points up: the old name's alias, documented
    assert _getattr_bodies_import(PACKAGE / "pretrained.py") == {"models"}
    from g3an_edu.pretrained import load_pretrained as alias
    assert alias is load_pretrained


def test_tools_and_benchmarks_import_the_package_not_each_other():
    root = PACKAGE.parent
    local = {p.stem for folder in ("tools", "benchmarks") for p in (root / folder).glob("*.py")}
    for folder in ("tools", "benchmarks"):
        for path in (root / folder).glob("*.py"):
            text = path.read_text()
            assert "sys.path.insert" not in text, f"{path.name}: sys.path trick"
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) \
                        else [node.module or ""]
                    assert not set(names) & local, f"{path.name} imports {names}"

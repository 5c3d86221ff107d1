"""Set-up: device choice, the tier switch, `g3an-edu doctor`, and pinned versions in step."""

import io
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import torch

from g3an_edu import pick_device
from g3an_edu.commands import doctor
from g3an_edu.device import explain_device
from g3an_edu.tier import by_tier, current_tier

ROOT = Path(__file__).resolve().parents[1]


def test_auto_device_is_cuda_then_mps_then_cpu():
    device, reason = explain_device("auto")
    if torch.cuda.is_available():
        assert device.type == "cuda"
    elif not (torch.backends.mps.is_available()):
        assert device.type == "cpu" and "no CUDA GPU" in reason


def test_pick_device_says_what_it_picked(capsys):
    pick_device("cpu", verbose=True)
    assert "device: cpu (asked for)" in capsys.readouterr().out


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-CUDA message")
def test_asking_for_cuda_without_a_gpu_says_so_and_how_to_fix_it():
    with pytest.raises(RuntimeError, match="torch.cuda.is_available\\(\\) is False.*--device cpu"):
        pick_device("cuda")


def test_unknown_device_lists_valid_ones():
    with pytest.raises(ValueError, match="valid values are: auto, cpu, cuda"):
        pick_device("tpu")


def test_tier_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("G3AN_TIER", "laptop")
    assert current_tier() == "laptop" and by_tier(1, 2, 3) == 2
    monkeypatch.setenv("G3AN_TIER", "huge")
    with pytest.raises(ValueError, match="valid values are: fast, laptop, gpu"):
        current_tier()
    monkeypatch.delenv("G3AN_TIER")
    assert current_tier() == ("gpu" if torch.cuda.is_available() else "laptop")


def test_doctor_reports_versions_device_and_readiness():
    out = io.StringIO()
    assert doctor.run_doctor(out) == 0
    text = out.getvalue()
    for needle in ["python", "torch", "device", "threads", "tier", "smoke test", "ready"]:
        assert needle in text


def test_doctor_fails_with_the_fix_when_a_required_package_is_missing(monkeypatch):
    real = metadata.version

    def fake_version(name):
        if name == "av":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(doctor.metadata, "version", fake_version)
    out = io.StringIO()
    assert doctor.run_doctor(out) == 1
    assert "NOT READY" in out.getvalue() and "av is missing" in out.getvalue()
    assert "pip install av" in out.getvalue()


def test_cli_runs_as_a_module_and_shows_help():
    result = subprocess.run([sys.executable, "-m", "g3an_edu", "--help"], capture_output=True,
                            text=True, check=True)
    assert "doctor" in result.stdout


def _pins(lines):
    pins = {}
    for line in lines:
        m = re.match(r"^\s*-?\s*([A-Za-z0-9_.-]+)==([^\s;#]+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def _names(requirements):
    return {re.split(r"[<>=;\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_pins_the_same_versions_as_constraints_txt():
    constraints = _pins((ROOT / "constraints.txt").read_text().splitlines())
    env = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert env == constraints


def test_every_declared_dependency_is_pinned_for_the_local_environment():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"])
    for extra in ("course", "dev", "site"):
        declared |= _names(project["optional-dependencies"][extra])
    declared.discard("tomli")  # only for Python 3.10
    constraints = _pins((ROOT / "constraints.txt").read_text().splitlines())
    assert declared <= set(constraints), f"not pinned: {declared - set(constraints)}"


def test_package_torch_range_admits_colabs_torch():
    tomllib = pytest.importorskip("tomllib")
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    torch_req = next(d for d in deps if d.startswith("torch"))
    assert torch_req == "torch>=2.2", "Colab ships torch 2.11: keep a range, never an exact pin"


def test_environment_yml_creates_the_environment_pyproject_declares():
    """Every dependency pyproject.toml declares is in environment.yml at a version its range
    admits, on a Python it supports, and the package itself is installed (``-e .``)."""
    tomllib = pytest.importorskip("tomllib")
    yaml = pytest.importorskip("yaml")
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "pip" in conda and "-e ." in pip
    python = next(d.split("=", 1)[1] for d in conda if d.startswith("python="))
    assert SpecifierSet(project["requires-python"]).contains(python)
    assert tuple(map(int, python.split("."))) >= (3, 11), "the pinned versions need >= 3.11"
    pins = {Requirement(p).name.lower(): Requirement(p) for p in pip if "==" in p}
    declared = [Requirement(r) for r in project["dependencies"]]
    for extra in ("course", "dev"):
        declared += [Requirement(r) for r in project["optional-dependencies"][extra]]
    for req in declared:
        if req.marker is not None and not req.marker.evaluate({"python_version": python}):
            continue  # e.g. tomli, only for Python 3.10
        assert req.name.lower() in pins, f"environment.yml does not install {req}"
        version = next(iter(pins[req.name.lower()].specifier)).version
        assert req.specifier.contains(version, prereleases=True), (
            f"environment.yml pins {req.name}=={version}, outside pyproject.toml's {req}")

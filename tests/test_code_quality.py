"""The code reads as the style guide asks: ruff-clean and type-checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    """The tool installed beside this Python, or on the PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (it comes with the [test] extra)")
    return found


def test_ruff_finds_nothing_to_fix():
    done = subprocess.run([tool("ruff"), "check", "simulation", "tests", "benchmarks"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_type_checks():
    done = subprocess.run([tool("mypy"), "simulation"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_layers_import_only_downward():
    """The contracts in pyproject.toml: command line > workshop > analysis > experiments >
    figures > engines > model, every subpackage in a layer, and Mesa kept out of the
    statistics, the store, the batched engine and the model."""
    done = subprocess.run([tool("lint-imports"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("module", ["simulation", "simulation.experiments.stats",
                                    "simulation.experiments.store",
                                    "simulation.engines.batch"])
def test_importing_the_light_parts_does_not_import_mesa(module):
    probe = (f"import sys, {module}; "
             "heavy = [m for m in ('mesa', 'solara', 'matplotlib') if m in sys.modules]; "
             "print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "", f"importing {module} imported {done.stdout.strip()}"


def test_import_simulation_is_cheap_and_its_front_door_still_opens():
    probe = ("import sys, simulation; assert 'pandas' not in sys.modules; "
             "from simulation import TeamModel, load_scenario, strategies, interventions; "
             "from simulation import ScenarioConfig, ConfigError; "
             "assert strategies.REGISTRY.get('coach').name == 'coach'; "
             "assert interventions.COUNT == 19")
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True)


MAX_MODULE_LINES = 400


def test_no_module_is_longer_than_400_lines():
    """Short modules with one job: a longer one wants to be split."""
    long = {str(path.relative_to(ROOT)): lines
            for path in sorted((ROOT / "simulation").rglob("*.py"))
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_every_subpackage_says_what_it_holds():
    for package in sorted((ROOT / "simulation").rglob("__init__.py")):
        text = package.read_text(encoding="utf-8").lstrip()
        assert text.startswith('"""') and len(text.split('"""')[1].split()) >= 12, \
            f"{package.relative_to(ROOT)} has no paragraph saying what the package holds"

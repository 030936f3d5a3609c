"""The README's examples run as written: the scenario file loads, the strategy of your own
runs through the command line exactly as the README says, the strategy with memory runs
the same in both engines, and the Python example works.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simulation import TeamModel, load_scenario
from simulation.engines.batch import run_batch
from simulation.model import interventions as iv
from simulation.model.scenario_files import with_overrides
from simulation.model.strategies import StrategyRegistry

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def blocks(language: str) -> list[str]:
    """The README's fenced code blocks in a language, in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def teamsim_command() -> str:
    """The teamsim script beside this Python (the README's `.venv/bin/teamsim`)."""
    beside = Path(sys.executable).with_name("teamsim")
    found = str(beside) if beside.exists() else shutil.which("teamsim")
    if found is None:
        pytest.skip("the teamsim script is not installed")
    return found


def test_the_readmes_scenario_file_loads(tmp_path):
    (scenario,) = blocks("toml")
    path = tmp_path / "my_team.toml"
    path.write_text(scenario, encoding="utf-8")
    config = load_scenario(path)
    assert config.name == "my_team" and config.leader.attention[0].level == 0.1
    assert config.parameters.trust_breach_loss == 0.12


def test_the_readmes_own_strategy_runs_as_the_readme_says(tmp_path):
    plugin = next(block for block in blocks("python") if block.startswith("# my_strategies.py"))
    (tmp_path / "my_strategies.py").write_text(plugin, encoding="utf-8")
    line = next(line for block in blocks("bash") for line in block.splitlines()
                if "--plugin my_strategies.py" in line)
    argv = line.split()
    assert argv[0] == ".venv/bin/teamsim"
    done = subprocess.run([teamsim_command(), *argv[1:], "--replications", "3"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "clarify_then_train" in done.stdout
    summary = (tmp_path / "results" / "new_team" / "summary.csv").read_text(encoding="utf-8")
    assert summary.count("\n") > 1


def test_the_readmes_strategy_with_memory_gives_both_engines_the_same_hours():
    block = next(block for block in blocks("python") if "def alternate(" in block)
    namespace: dict = {}
    exec("from simulation import strategies\n" + block, namespace)
    registry = StrategyRegistry()
    registry.register("alternate", namespace["alternate"])
    config = with_overrides(load_scenario("baseline"), {"quarters": 1,
                                                        "leader.strategy": "alternate"})
    batched = run_batch(config, 3, range(3), registry=registry).record.hours
    for replication in range(3):
        model = TeamModel(config, seed=3, replication=replication, registry=registry).run()
        np.testing.assert_allclose(model.record.hours[:, 0], batched[:, replication])
        model.release()
    assert batched[::2, :, iv.TRAIN].sum() > 0 and batched[1::2, :, iv.TRAIN].sum() == 0


def test_the_readmes_python_example_runs():
    example = next(block for block in blocks("python") if "TeamModel" in block)
    namespace: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), namespace)
    model = namespace["model"]
    assert model.weeks_done == model.config.weeks  # type: ignore[attr-defined]

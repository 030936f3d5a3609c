"""TeamSim: an agent-based simulation of how leadership shapes team performance.

The package is layered; each layer imports only the layers below it (checked in the
tests, see ``docs/ARCHITECTURE.md``)::

    simulation.cli, simulation.workshop    the command line; the browser page
    simulation.analysis                    patterns, calibration, sensitivity, optimisation
    simulation.experiments                 experiment files, sweeps, store, statistics, reports
    simulation.figures                     charts drawn from tables
    simulation.engines                     the Mesa model and the batched engine
    simulation.model                       configuration, state, equations, the leader's week

The names below are the public front door and load on first use, so ``import simulation``
stays cheap (it imports neither Mesa nor pandas)::

    from simulation import TeamModel, load_scenario
    from simulation import simulate                     # a tidy table in one call
    from simulation import strategies, interventions    # for writing a strategy
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC: dict[str, tuple[str, str | None]] = {
    "TeamModel": ("simulation.engines.mesa_model", "TeamModel"),
    "ScenarioConfig": ("simulation.model.config", "ScenarioConfig"),
    "ConfigError": ("simulation.model.scenario_files", "ConfigError"),
    "load_scenario": ("simulation.model.scenario_files", "load_scenario"),
    "simulate": ("simulation.experiments.simulate", "simulate"),
    "simulate_array": ("simulation.experiments.simulate", "simulate_array"),
    "simulate_design": ("simulation.experiments.simulate", "simulate_design"),
    "to_cube": ("simulation.experiments.data_out", "to_cube"),
    "effect_sizes": ("simulation.experiments.individual_effects", "effect_sizes"),
    "load_runs": ("simulation.experiments.store", "load_runs"),
    "strategies": ("simulation.model.strategies", None),
    "interventions": ("simulation.model.interventions", None),
}
"""Public name: (module, attribute; None for the module itself)."""

__all__ = ["ConfigError", "ScenarioConfig", "TeamModel", "effect_sizes", "interventions",
           "load_runs",
           "load_scenario", "simulate", "simulate_array", "simulate_design", "strategies",
           "to_cube"]

if TYPE_CHECKING:
    from simulation.engines.mesa_model import TeamModel
    from simulation.experiments.data_out import to_cube
    from simulation.experiments.individual_effects import effect_sizes
    from simulation.experiments.simulate import simulate, simulate_array, simulate_design
    from simulation.experiments.store import load_runs
    from simulation.model import interventions, strategies
    from simulation.model.config import ScenarioConfig
    from simulation.model.scenario_files import ConfigError, load_scenario


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    module_name, attribute = _PUBLIC[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value

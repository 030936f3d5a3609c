"""TeamSim: an agent-based simulation of how leadership shapes team performance."""

from simulation.config import ScenarioConfig
from simulation.model import TeamModel
from simulation.scenario import ConfigError, load_scenario

__all__ = ["ConfigError", "ScenarioConfig", "TeamModel", "load_scenario"]
__version__ = "0.1.0"

"""``python -m simulation.cli``: the command line."""

from simulation.cli import entry_point

entry_point()

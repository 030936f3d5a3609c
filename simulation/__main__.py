"""``python -m simulation ...``: the command line, exactly as the ``teamsim`` script runs it
(the same entry point, the same grammar, the same exit codes)."""

from simulation.cli import entry_point

if __name__ == "__main__":
    entry_point()

"""`teamsim --log-level`: the package's log messages, one line each on standard error.

The modules log under their own names (``logging.getLogger(__name__)``, all below the
``simulation`` logger; a user's plugin may log under ``teamsim``). The command line shows
those loggers' records from the chosen level up, as ``teamsim: LEVEL: message`` (with the
logger's name at debug), on standard error beside any progress bar, and leaves every other
library's loggers alone. What each level shows:

- ``error``: only what stops a command (those lines are printed whatever the level);
- ``warning`` (the default): also what a command carries on after, e.g. a resumed store
  that was started with other code;
- ``info``: also what a command is doing: its phases, how its runs are cut up, what it
  loaded, how long its report took;
- ``debug``: also the details behind them: the versions, where progress goes, timings.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from simulation.experiments.progress import beside_bars

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}
"""The choices of --log-level, quietest last."""
DEFAULT_LEVEL = "warning"
LOGGERS = ("simulation", "teamsim")
"""The loggers the command line shows: the package's modules', and ``teamsim`` for
plugins."""


class StandardError(logging.Handler):
    """Each record as one line on the standard error of the moment (looked up for every
    record, so that a redirected or captured stream gets it), without tearing a bar."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record's line."""
        try:
            line = self.format(record)
            with beside_bars():
                sys.stderr.write(line + "\n")
                sys.stderr.flush()
        except Exception:  # as logging's own handlers do: report, never raise
            self.handleError(record)


class OneLine(logging.Formatter):
    """``teamsim: info: message``; at debug with the logger's name,
    ``teamsim: debug: simulation.experiments.sweep: message``."""

    def __init__(self, with_names: bool) -> None:
        super().__init__()
        self.with_names = with_names

    def format(self, record: logging.LogRecord) -> str:
        """The record's one line."""
        where = f"{record.name}: " if self.with_names else ""
        message = record.getMessage().replace("\n", " ")
        return f"teamsim: {record.levelname.lower()}: {where}{message}"


@contextmanager
def logging_at(level: str) -> Iterator[None]:
    """Within: the package's records from ``level`` up on standard error (and nowhere
    else); afterwards the loggers are as they were."""
    handler = StandardError()
    handler.setFormatter(OneLine(with_names=LEVELS[level] <= logging.DEBUG))
    loggers = [logging.getLogger(name) for name in LOGGERS]
    saved = [(logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(LEVELS[level])
        logger.propagate = False
    try:
        yield
    finally:
        for logger, (old_level, propagate) in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(old_level)
            logger.propagate = propagate

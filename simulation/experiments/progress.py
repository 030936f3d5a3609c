"""How far a long piece of work has come, on standard error (standard output keeps the
results, for a reader or a script).

On a terminal a :class:`Progress` is a bar redrawn in place (tqdm's); anywhere else (a log
file, CI, a pipe) it prints a line about every tenth of the way, so that a log shows the
work moving without a line per run. :meth:`Progress.finish` says, once the work is done,
what comes next ("writing the report and figures"), so that no silent stretch follows
100%. Nothing is shown for a disabled progress, nor anywhere inside :func:`quiet`, which is
how ``teamsim --quiet`` reaches every command's progress without each of them passing it
on.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

from tqdm import tqdm


class _Bar(tqdm):
    """tqdm's bar, without its monitor thread (the bar is redrawn as the work advances)."""

    monitor_interval = 0


_QUIET: ContextVar[bool] = ContextVar("teamsim_progress_quiet", default=False)

REDRAW_SECONDS = 0.2
"""Least time between two redraws of a bar on a terminal."""
UNSIZED_COLUMNS = 80
"""The width of a bar on a terminal that gives no size (tqdm would draw nothing there)."""


@contextmanager
def quiet(silenced: bool = True) -> Iterator[None]:
    """Within: no progress is shown anywhere (when ``silenced``), whatever each
    :class:`Progress` was told."""
    token = _QUIET.set(silenced or _QUIET.get())
    try:
        yield
    finally:
        _QUIET.reset(token)


def is_silenced() -> bool:
    """Whether progress is silenced here (inside :func:`quiet`)."""
    return _QUIET.get()


def is_terminal(stream: TextIO) -> bool:
    """Whether a stream is a terminal that can redraw a line (not a file, a pipe or a
    terminal that says it is dumb)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def columns(stream: TextIO) -> int:
    """The width of the terminal a stream writes to (0 if it gives none)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0


@contextmanager
def beside_bars() -> Iterator[None]:
    """Within: write other lines (results on standard output, log messages on standard
    error) without tearing a bar that is drawn on the terminal: the bars are cleared first
    and drawn again after."""
    if not getattr(_Bar, "_instances", None):  # no bar drawn: nothing to clear
        yield
        return
    sys.stdout.flush()
    with _Bar.external_write_mode(file=sys.stderr):
        yield
        sys.stdout.flush()


def announce(message: str, enabled: bool = True, stream: TextIO | None = None) -> None:
    """Say on standard error (or ``stream``) what a long command does next, as progress
    does: not when disabled, nor inside :func:`quiet`."""
    if enabled and not _QUIET.get():
        with beside_bars():
            target = stream or sys.stderr
            target.write(message + "\n")
            target.flush()


class Progress:
    """Progress of ``total`` units of work (runs, by default) named by ``label``, on
    standard error (or ``stream``).

    On a terminal it draws a bar in place, with rate and time left; elsewhere it prints a
    line about every tenth of the way (``label: 30/240 runs (12%), 5.1 runs/s, elapsed
    0:06, ETA 0:41``). Used as a context manager it ends its bar on the way out, also when
    the work stops with an error (which then starts a line of its own).
    """

    def __init__(self, total: int, label: str, stream: TextIO | None = None,
                 enabled: bool = True, unit: str = "runs") -> None:
        self.total = total
        self.label = label
        self.unit = unit
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0 and not _QUIET.get()
        self.start = time.monotonic()
        self.last_tenth = -1
        self.interactive = is_terminal(self.stream)
        self.bar: _Bar | None = None
        if self.enabled and self.interactive:
            sized = columns(self.stream) > 0
            self.bar = _Bar(total=total, desc=label, file=self.stream, unit=f" {unit}",
                            dynamic_ncols=sized, ncols=None if sized else UNSIZED_COLUMNS,
                            mininterval=REDRAW_SECONDS, leave=True,
                            bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/"
                                       "{total_fmt} " + unit.replace("{", "{{")
                                       .replace("}", "}}") + " [{elapsed}<{remaining}, "
                                       "{rate_noinv_fmt}]")

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more units done, and redraw (or print a line) when due."""
        self.reach(self.done + count)

    def reach(self, done: int, total: int | None = None) -> None:
        """Set how much is done (and the total, when the work turned out larger or smaller
        than first thought), and redraw (or print a line) when due."""
        self.done = done
        if total is not None and total > 0:
            self.total = total
            if self.bar is not None:
                self.bar.total = total
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
            return
        if self.interactive:
            return  # the bar was closed
        tenth = int(10 * self.done / self.total)
        if tenth > self.last_tenth:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_tenth = tenth

    def finish(self, next_step: str) -> None:
        """End the progress, saying how long the work took and what the command does next
        (e.g. "writing the report and figures"), so that no silent stretch follows it."""
        if not self.enabled:
            return
        self.close()
        self.enabled = False  # what follows is the next step's
        self.stream.write(f"{self.label}: {self.done}/{self.total} {self.unit} done in "
                          f"{clock(time.monotonic() - self.start)}; {next_step} ...\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar (left on the terminal as it last stood)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def line(self) -> str:
        """The progress line: done of total, rate, time elapsed and left."""
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta = clock(left) if left != float("inf") else "?"
        percent = 100 * self.done / self.total
        return (f"{self.label}: {self.done}/{self.total} {self.unit} ({percent:.0f}%), "
                f"{rate:.1f} {self.unit}/s, elapsed {clock(elapsed)}, ETA {eta}")


def clock(seconds: float) -> str:
    """A duration as m:ss, or h:mm:ss from an hour."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

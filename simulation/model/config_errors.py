"""The one-line error of a configuration file that cannot be used, and how a message
repeats what the file holds (printable, cut short)."""

from __future__ import annotations

from typing import Any

MAX_SHOWN = 60
"""Most characters of a value (or key) a message repeats; longer ones are cut with '...'."""

MAX_MESSAGE = 280
"""Most characters of a one-line error message (300 with the command line's prefix)."""


def printable(text: str) -> str:
    """Text safe to print on one line: control characters (newlines, escapes, bell, NUL)
    shown as escapes, never sent to the terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """A value as a message repeats it: its repr, printable, cut to ``limit`` characters."""
    try:
        text = printable(repr(value))
    except ValueError:  # an integer too long for Python to print
        return "a number too long to show"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key,
    on one printable line of at most MAX_MESSAGE characters, whatever the file put into
    its keys or values."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        key = printable(key)
        if len(key) > MAX_SHOWN:
            key = key[: MAX_SHOWN - 3] + "..."
        where = f"{printable(source)}: {key}" if key else printable(source)
        message = f"{where}: {printable(problem)}"
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 3] + "..."
        super().__init__(message)

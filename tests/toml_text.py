"""A small TOML writer for the tests that build files: any value as a TOML literal
(strings with quotes, backslashes and control characters escaped, as TOML requires), and
:class:`Raw` text written as is (nesting too deep to build, numbers too long to print)."""

from __future__ import annotations

import dataclasses
import datetime
import math
from typing import Any


@dataclasses.dataclass(frozen=True)
class Raw:
    """A TOML value written as is: nesting too deep to build, numbers too long to print."""

    text: str

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 40 else f"{self.text[:20]}...{self.text[-10:]}"
        return f"Raw({shown!r}, {len(self.text):,} chars)"


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def toml_value(value: Any) -> str:
    """A value as TOML; tables inline (the writer's tables at top level use headers)."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(str(key))} = {toml_value(item)}"
                               for key, item in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")

"""Typed configuration fields: each carries a one-line meaning and the closed range a value
must lie in (and, where it applies, its choices, pattern or longest length), so that the
loader can validate a file and the documentation can list every key."""

from __future__ import annotations

from dataclasses import field, fields
from typing import Any


def spec(doc: str, low: float | None = None, high: float | None = None, **extra: Any) -> Any:
    """Field metadata: a one-line meaning and the closed range a value must lie in."""
    return {"doc": doc, "low": low, "high": high, **extra}


def described(default: Any, doc: str, low: float | None = None, high: float | None = None,
              **extra: Any) -> Any:
    """A dataclass field with a default, its meaning and its allowed range."""
    return field(default=default, metadata=spec(doc, low, high, **extra))


def field_docs(cls: type) -> dict[str, dict[str, Any]]:
    """Meaning and range of every field of a configuration class, for docs and errors."""
    return {f.name: dict(f.metadata) for f in fields(cls)}

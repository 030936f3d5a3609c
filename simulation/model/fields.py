"""Typed configuration fields: each carries a one-line meaning and the closed range a value
must lie in (and, where it applies, its choices, pattern or longest length), so that the
loader can validate a file and the documentation can list every key."""

from __future__ import annotations

import types
import typing
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


def set_type(hint: Any) -> Any:
    """The type a field takes when it is set: its own, or for an optional field (``float |
    None``, default None: "unset", a key a file leaves out) the other one. Other unions
    are not configuration."""
    if typing.get_origin(hint) not in (typing.Union, types.UnionType):
        return hint
    kinds = [kind for kind in typing.get_args(hint) if kind is not type(None)]
    if len(kinds) != 1 or len(typing.get_args(hint)) != 2:
        raise TypeError(f"unsupported union type {hint}")
    return kinds[0]

"""Load and validate scenario files (TOML) into frozen, typed configuration.

A scenario file is data, never code: it is parsed with :mod:`tomllib` and every key is
checked against the typed configuration in :mod:`simulation.model.config`. Any problem raises
:class:`ConfigError`, whose message is one line naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from simulation.model.config import ScenarioConfig

T = TypeVar("T")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        where = f"{source}: {key}" if key else source
        # One line, whatever the file put into its keys or values.
        message = f"{where}: {problem}".replace("\r", "\\r").replace("\n", "\\n")
        super().__init__(message)


def shipped_files(kind: str) -> dict[str, Path]:
    """Shipped files of a kind ("scenarios" or "experiments") by name: the checkout's
    folder first, then the copy installed inside the package."""
    package = Path(__file__).resolve().parents[1]
    found: dict[str, Path] = {}
    for folder in (package.parent / kind, package / "_shipped" / kind):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found.setdefault(path.stem, path)
    return found


def resolve_shipped(name_or_path: str | Path, kind: str) -> Path:
    """A file path from a path or the name of a shipped file of a kind."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists() or len(candidate.parts) > 1:
        return candidate
    return shipped_files(kind).get(str(name_or_path), candidate)


def shipped_scenarios() -> dict[str, Path]:
    """Shipped scenario names mapped to their files."""
    return shipped_files("scenarios")


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file path from a path or the name of a shipped scenario."""
    return resolve_shipped(name_or_path, "scenarios")


def load_scenario(name_or_path: str | Path,
                  strategy_exists: Callable[[str], bool] | None = None) -> ScenarioConfig:
    """Read a scenario file (or shipped scenario name) into a validated ScenarioConfig.

    ``strategy_exists`` checks the leader's strategy name (the CLI passes the registry's
    lookup so that a misspelt strategy is an error of the file, not of the run).
    """
    path = resolve_scenario_path(name_or_path)
    source = str(path)
    data = read_toml(path)
    if not data:
        raise ConfigError(source, "", "the file is empty")
    if "name" not in data:
        data = {**data, "name": path.stem}
    config = build(ScenarioConfig, data, source)
    if strategy_exists is not None and not strategy_exists(config.leader.strategy):
        raise ConfigError(source, "leader.strategy",
                          f"unknown strategy {config.leader.strategy!r}")
    return config


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of a file, or a ConfigError naming what is wrong with it."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problem = "no such file"
        if len(path.parts) == 1 and not path.suffix:
            problem += f" or shipped scenario (shipped: {', '.join(shipped_scenarios())})"
        raise ConfigError(source, "", problem) from None
    except IsADirectoryError:
        raise ConfigError(source, "", "is a folder, not a file") from None
    except OSError as error:
        raise ConfigError(source, "", f"cannot be read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(source, "", "is not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, "", f"TOML syntax error: {error}") from None


def build(cls: type[T], data: Mapping[str, Any], source: str, prefix: str = "") -> T:
    """Construct configuration class ``cls`` from a mapping, checking every key and value."""
    if not isinstance(data, Mapping):
        raise ConfigError(source, prefix.rstrip("."), "must be a table")
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    for key in data:
        if key not in known:
            raise ConfigError(source, prefix + key, f"unknown key (known: {', '.join(known)})")
    values = {key: _convert(hints[key], known[key], value, source, prefix + key)
              for key, value in data.items()}
    return cls(**values)


def _convert(hint: Any, spec: dataclasses.Field[Any], value: Any, source: str, key: str) -> Any:
    origin = typing.get_origin(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return build(hint, value, source, key + ".")
    if origin is tuple:
        item_type = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(source, key, f"must be a list, got {_kind(value)}")
        return tuple(_convert(item_type, spec, item, source, f"{key}[{index}]")
                     for index, item in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        raise TypeError(f"unsupported union type for {key}")
    checked = check_scalar(hint, value, source, key)
    check_range(spec.metadata, checked, source, key)
    return checked


def check_scalar(hint: Any, value: Any, source: str, key: str) -> Any:
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(source, key, f"must be true or false, got {_kind(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(source, key, f"must be a whole number, got {_kind(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(source, key, f"must be a number, got {_kind(value)}")
        if not math.isfinite(value):
            raise ConfigError(source, key, f"must be a finite number, got {value}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(source, key, f"must be text, got {_kind(value)}")
        return value
    raise TypeError(f"unsupported configuration type {hint!r} for {key}")


def check_range(meta: Mapping[str, Any], value: Any, source: str, key: str) -> None:
    low, high = meta.get("low"), meta.get("high")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if low is not None and value < low:
            raise ConfigError(source, key, f"must be at least {_number(low)}, got {value!r}")
        if high is not None and value > high:
            raise ConfigError(source, key, f"must be at most {_number(high)}, got {value!r}")
    pattern = meta.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, value):
        raise ConfigError(source, key, f"must be letters, digits, '_', '-' or '.', got {value!r}")
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise ConfigError(source, key, f"must be one of {', '.join(choices)}, got {value!r}")


def _number(limit: float) -> str:
    """A range limit as written: whole numbers without a decimal point."""
    return str(int(limit)) if float(limit).is_integer() else repr(limit)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({value!r})"
    return f"{type(value).__name__} ({value!r})"


def to_dict(config: Any) -> Any:
    """A plain, TOML/JSON-ready dictionary of a configuration object."""
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        return {f.name: to_dict(getattr(config, f.name)) for f in dataclasses.fields(config)}
    if isinstance(config, tuple):
        return [to_dict(item) for item in config]
    return config


def with_overrides(config: ScenarioConfig, overrides: Mapping[str, Any],
                   source: str = "overrides") -> ScenarioConfig:
    """A copy of ``config`` with dotted keys (``leader.attention_hours``) replaced, validated."""
    data = to_dict(config)
    for dotted, value in overrides.items():
        table = data
        parts = dotted.split(".")
        for part in parts[:-1]:
            if not isinstance(table.get(part), dict):
                raise ConfigError(source, dotted, "unknown key")
            table = table[part]
        if parts[-1] not in table:
            raise ConfigError(source, dotted, "unknown key")
        table[parts[-1]] = value
    return build(ScenarioConfig, data, source)

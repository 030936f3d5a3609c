"""Load and validate scenario files (TOML) into frozen, typed configuration.

A scenario file is data, never code: it is parsed with :mod:`tomllib` and every key is
checked against the typed configuration in :mod:`simulation.model.config`. Any problem raises
:class:`ConfigError`, whose message is one line naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import stat
import tomllib
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from simulation.model.config import ScenarioConfig, set_type
from simulation.model.config_errors import MAX_MESSAGE as MAX_MESSAGE
from simulation.model.config_errors import MAX_SHOWN as MAX_SHOWN
from simulation.model.config_errors import ConfigError as ConfigError
from simulation.model.config_errors import printable as printable
from simulation.model.config_errors import shown as shown

T = TypeVar("T")


MAX_FILE_BYTES = 1024 * 1024
"""Largest scenario or experiment file read (1 MiB; the shipped ones are a few KiB)."""

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
    try:
        exists = candidate.exists()
    except (OSError, ValueError):  # a name too long, or with a NUL: read_toml says so
        return candidate
    if candidate.suffix == ".toml" or exists or len(candidate.parts) > 1:
        return candidate
    return shipped_files(kind).get(str(name_or_path), candidate)


def shipped_scenarios() -> dict[str, Path]:
    """Shipped scenario names mapped to their files (organisation files left out: see
    :func:`shipped_organisations`)."""
    return {name: path for name, path in shipped_files("scenarios").items()
            if not _holds_teams(path)}


def shipped_organisations() -> dict[str, Path]:
    """Shipped organisation files (in ``scenarios/``, with ``[[teams]]`` tables) by name."""
    return {name: path for name, path in shipped_files("scenarios").items()
            if _holds_teams(path)}


def _holds_teams(path: Path) -> bool:
    """Whether a shipped file is an organisation file (it has a ``[[teams]]`` table)."""
    try:
        return "teams" in read_toml(path)
    except ConfigError:
        return False


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
    if "teams" in data or "leaders" in data:
        raise ConfigError(source, "teams", "this is an organisation file (several teams): "
                          "`teamsim run` and sweeps take it; it is not one team's scenario")
    if "name" not in data:
        data = {**data, "name": path.stem}
    config = build(ScenarioConfig, data, source)
    if strategy_exists is not None and not strategy_exists(config.leader.strategy):
        raise ConfigError(source, "leader.strategy",
                          f"unknown strategy {shown(config.leader.strategy)}")
    return config


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of a file, or a ConfigError naming what is wrong with it.

    Only a regular file is read (a FIFO or a device such as /dev/zero would block or never
    end), and at most MAX_FILE_BYTES of it; a UTF-8 byte-order mark (as Windows editors
    write it) is allowed."""
    source = str(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        problem = "no such file"
        if len(path.parts) == 1 and not path.suffix:
            problem += f" or shipped scenario (shipped: {', '.join(shipped_scenarios())})"
        raise ConfigError(source, "", problem) from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or "not a usable file name"
        raise ConfigError(source, "", f"cannot be read ({reason})") from None
    if stat.S_ISDIR(status.st_mode):
        raise ConfigError(source, "", "is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise ConfigError(source, "", "is not a regular file (a pipe or a device?)")
    if status.st_size > MAX_FILE_BYTES:
        raise ConfigError(source, "", f"is {status.st_size:,} bytes; a scenario or experiment "
                                      f"file may be at most {MAX_FILE_BYTES:,}")
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ConfigError(source, "", f"cannot be read ({error.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(source, "", f"is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(source, "", "is not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, "", f"TOML syntax error: {error}") from None
    except ValueError:  # an integer of more digits than Python converts
        raise ConfigError(source, "", "holds a number too long to read") from None
    except RecursionError:
        raise ConfigError(source, "", "arrays or tables are nested too deeply") from None


def build(cls: type[T], data: Mapping[str, Any], source: str, prefix: str = "") -> T:
    """Construct configuration class ``cls`` from a mapping, checking every key and value."""
    if not isinstance(data, Mapping):
        raise ConfigError(source, prefix.rstrip("."), "must be a table")
    known, hints = _fields(cls)
    for key in data:
        if key not in known:
            raise ConfigError(source, prefix + str(key), _unknown_key(str(key), list(known)))
    values = {key: _convert(hints[key], known[key], value, source, prefix + key)
              for key, value in data.items()}
    built = cls(**values)
    if isinstance(built, ScenarioConfig):
        check_consistency(built, source)
    return built


_FIELDS: dict[type, tuple[dict[str, dataclasses.Field[Any]], dict[str, Any]]] = {}


def _fields(cls: type) -> tuple[dict[str, dataclasses.Field[Any]], dict[str, Any]]:
    """A configuration class's fields by name and the types they take when set, kept
    (resolving them takes longer than building a configuration, and a sweep builds one per
    setting)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = ({f.name: f for f in dataclasses.fields(cls)},
                        {name: set_type(hint) for name, hint in typing.get_type_hints(cls).items()})
    return _FIELDS[cls]


def check_consistency(config: ScenarioConfig, source: str) -> None:
    """Keys that contradict each other, refused with both named: an attention stretch
    that ends before it starts; a stretch, a reassignment, a last quarter of system
    building or a scheduled crisis beyond the run's horizon; a capability ceiling below
    the starting capability. (A reassignment that runs past the run's end simply lasts to
    the end.)"""
    quarters, leader = config.quarters, config.leader
    for index, stretch in enumerate(leader.attention):
        key = f"leader.attention[{index}]"
        if stretch.to_quarter and stretch.to_quarter < stretch.from_quarter:
            raise ConfigError(source, f"{key}.to_quarter",
                              f"ends in quarter {stretch.to_quarter}, before its "
                              f"from_quarter {stretch.from_quarter}")
        for end in ("from_quarter", "to_quarter"):
            if getattr(stretch, end) > quarters:
                raise ConfigError(source, f"{key}.{end}",
                                  f"is {getattr(stretch, end)}, beyond the run's last quarter "
                                  f"(quarters = {quarters})")
    for key in ("withdrawn_from_quarter", "systems_until_quarter"):
        if getattr(leader, key) > quarters:
            raise ConfigError(source, f"leader.{key}",
                              f"is {getattr(leader, key)}, beyond the run's last quarter "
                              f"(quarters = {quarters})")
    for index, week in enumerate(config.environment.scheduled_crises):
        if week > config.weeks:
            raise ConfigError(source, f"environment.scheduled_crises[{index}]",
                              f"is week {week}, beyond the run's last week {config.weeks} "
                              f"(quarters = {quarters})")
    team = config.team
    if team.capability_ceiling < team.capability:
        raise ConfigError(source, "team.capability_ceiling",
                          f"is {team.capability_ceiling:g}, below the starting "
                          f"team.capability {team.capability:g}")
    if (n := team.bad_apples + team.stars + team.low_performers) > team.size:
        raise ConfigError(source, "team.low_performers" if team.low_performers else "team.stars",
                          f"{n} bad apples, stars and low performers: over team.size {team.size}")
    check_network(config, source)
    if (p := config.parameters).norm_safety_weight + p.norm_systems_weight > 1:
        raise ConfigError(source, "parameters.norm_systems_weight", "and parameters."
                          "norm_safety_weight add up to more than 1 (the rest of the norm's "
                          "target is the members' own follow-through)")


def check_network(config: ScenarioConfig, source: str) -> None:
    """The network's keys against each other and the team: subgroups no more than members;
    explicit ties only with structure = "explicit", each [slot, slot, strength] with two
    different slots of the team and a strength from 0 to 1."""
    network, size = config.network, config.team.size
    if network.structure == "subgroups" and network.subgroups > size:
        raise ConfigError(source, "network.subgroups", f"is {network.subgroups}, more than "
                                                       f"team.size {size}")
    if network.ties and network.structure != "explicit":
        raise ConfigError(source, "network.ties", "are given, but network.structure is "
                                                  f"{network.structure!r}, not 'explicit'")
    for index, tie in enumerate(network.ties):
        key = f"network.ties[{index}]"
        if len(tie) != 3:
            raise ConfigError(source, key, f"must be [slot, slot, strength], got {len(tie)} "
                                           "numbers")
        first, second, strength = tie
        for slot in (first, second):
            if slot != int(slot) or not 0 <= slot < size:
                raise ConfigError(source, key, f"slot {shown(slot)} is not a whole number "
                                               f"from 0 to team.size - 1 ({size - 1})")
        if first == second:
            raise ConfigError(source, key, f"ties slot {int(first)} to itself")
        if not 0 <= strength <= 1:
            raise ConfigError(source, key, f"strength {shown(strength)} is not from 0 to 1")


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
    if value is None and spec.default is None:  # an optional key left unset (from Python)
        return None
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
        try:
            finite = math.isfinite(value)
        except OverflowError:
            raise ConfigError(source, key, "must be a number of ordinary size, got "
                                           f"{shown(value)}") from None
        if not finite:
            raise ConfigError(source, key, f"must be a finite number, got {shown(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(source, key, f"must be text, got {_kind(value)}")
        control = next((char for char in value if not char.isprintable()
                        and char not in "\n\t"), None)
        if control is not None:
            raise ConfigError(source, key, f"must not hold control characters, found "
                                           f"{shown(control)}")
        return value
    raise TypeError(f"unsupported configuration type {hint!r} for {key}")


def check_range(meta: Mapping[str, Any], value: Any, source: str, key: str) -> None:
    low, high = meta.get("low"), meta.get("high")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if low is not None and value < low:
            raise ConfigError(source, key, f"must be at least {_number(low)}, got {shown(value)}")
        if high is not None and value > high:
            raise ConfigError(source, key, f"must be at most {_number(high)}, got {shown(value)}")
    longest = meta.get("max_length")
    if longest is not None and isinstance(value, str) and len(value) > longest:
        raise ConfigError(source, key, f"must be at most {longest:,} characters, got "
                                       f"{len(value):,}")
    pattern = meta.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, value):
        raise ConfigError(source, key,
                          f"must be letters, digits, '_', '-' or '.', got {shown(value)}")
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise ConfigError(source, key, f"must be one of {', '.join(choices)}, got {shown(value)}")


def _unknown_key(key: str, known: list[str]) -> str:
    """Unknown key: the likely intended one, or the known keys when they are few."""
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"unknown key (did you mean {close[0]!r}?)"
    listed = ", ".join(known)
    return f"unknown key (known: {listed})" if len(listed) <= 150 else \
        f"unknown key ({len(known)} keys are known here; see docs/MODEL.md)"


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
        return f"text ({shown(value)})"
    return f"{type(value).__name__} ({shown(value)})"


def to_dict(config: Any) -> Any:
    """A plain, TOML/JSON-ready dictionary of a configuration object."""
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        return {f.name: to_dict(getattr(config, f.name)) for f in dataclasses.fields(config)}
    if isinstance(config, tuple):
        return [to_dict(item) for item in config]
    return config


def with_overrides(config: ScenarioConfig, overrides: Mapping[str, Any],
                   source: str = "overrides") -> ScenarioConfig:
    """A copy of ``config`` with dotted keys (``leader.attention_hours``) replaced, each new
    value checked as the file's would be and the result checked for keys that contradict
    each other. Only the tables on an override's path are rebuilt (a sweep makes one
    copy per setting)."""
    for dotted, value in overrides.items():
        config = _replaced(config, dotted.split("."), value, source, dotted)
    check_consistency(config, source)
    return config


def _replaced(table: Any, parts: list[str], value: Any, source: str, dotted: str) -> Any:
    known, hints = _fields(type(table))
    name = parts[0]
    if name not in known:
        raise ConfigError(source, dotted, "unknown key")
    if len(parts) == 1:
        new = _convert(hints[name], known[name], value, source, dotted)
    else:
        inner = getattr(table, name)
        if not dataclasses.is_dataclass(inner):
            raise ConfigError(source, dotted, "unknown key")
        new = _replaced(inner, parts[1:], value, source, dotted)
    return dataclasses.replace(table, **{name: new})


KEYWORD_SEPARATOR = "__"
"""How a nested scenario key is spelled as a Python keyword: ``leader__attention_hours`` is
the key ``leader.attention_hours`` (the spelling of Django and scikit-learn)."""


def keyword_overrides(keywords: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments as dotted scenario keys (``leader__attention_hours=6`` is
    ``{"leader.attention_hours": 6}``; a top-level key such as ``quarters`` stays as it
    is), for :func:`with_overrides`."""
    return {name.replace(KEYWORD_SEPARATOR, "."): value for name, value in keywords.items()}

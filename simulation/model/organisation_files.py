"""Reading and validating an organisation file, and its overrides.

An organisation file is a TOML file with ``[[teams]]`` (and ``[[leaders]]``) tables::

    name = "two_teams"
    quarters = 12

    [organisation]                # what the organisation gives every team (optional)
    culture = 0.6

    [[leaders]]
    name = "dana"
    attention_hours = 10          # any [leader] key of a scenario: hers in every team
    crisis_pull = 1.0             # how far a crisis in a team pulls her attention to it

    [[leaders.attention]]         # her base shares may change by quarter
    from_quarter = 5
    shares = { platform = 0.8, payments = 0.2 }

    [[teams]]
    name = "platform"
    scenario = "baseline"         # a scenario file (relative to this file) or a shipped name
    leader = "dana"
    share = 1                     # its base weight in her attention
    set = { "team.size" = 6 }     # the team's own changes to its scenario

Every mistake is a :class:`~simulation.model.scenario_files.ConfigError` naming the file
and the key (``teams.platform.set.team.size``, ``leaders.dana.strategy``). Keys that
contradict each other are refused: a team setting a key an organisation-level input sets,
or a leader key (hers, set in her table), or the horizon (the organisation's); a leader of
several teams whose teams' scenarios give her different hours, capacity or exhaustion;
teams whose scenarios set different model constants (a leader's exhaustion steps by one
set; put them in the file's ``[parameters]``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulation.model.config import LeaderConfig
from simulation.model.organisation_config import (
    MAX_TEAMS,
    ORGANISATION_ROW,
    PERSONAL_KEYS,
    LeaderTable,
    OrganisationConfig,
    OrganisationHeader,
    OrganisationInputs,
    OrganisationLeader,
    OrganisationTeam,
    ShareChange,
    input_overrides,
)
from simulation.model.scenario_files import (
    ConfigError,
    build,
    load_scenario,
    read_toml,
    resolve_scenario_path,
    shown,
    with_overrides,
)

TOP_KEYS = (*OrganisationHeader.__dataclass_fields__, "organisation", "parameters", "leaders",
            "teams")
TEAM_KEYS = ("name", "scenario", "leader", "share", "set")
OWN_KEYS = frozenset({"name", "quarters", "replications", "seed"})
"""Scenario keys an organisation sets for every team (a team may not set them)."""


def is_organisation(data: Mapping[str, Any]) -> bool:
    """Whether a parsed TOML file is an organisation file (it has ``[[teams]]``)."""
    return "teams" in data or "leaders" in data


def is_organisation_file(name_or_path: str | Path) -> bool:
    """Whether a file (or shipped name) is an organisation file; False when it cannot be
    read (the scenario loader then says why)."""
    try:
        return is_organisation(read_toml(resolve_scenario_path(name_or_path)))
    except ConfigError:
        return False


def load_organisation(name_or_path: str | Path,
                      strategy_exists: Callable[[str], bool] | None = None
                      ) -> OrganisationConfig:
    """Read an organisation file (or shipped name) into a validated OrganisationConfig."""
    path = resolve_scenario_path(name_or_path)
    data = read_toml(path)
    if "name" not in data:
        data = {**data, "name": path.stem}
    return parse_organisation(data, str(path), path.parent, strategy_exists)


@contextmanager
def _named(source: str, prefix: str) -> Iterator[None]:
    """Errors raised inside name their key under ``prefix`` (where the file set it)."""
    try:
        yield
    except ConfigError as error:
        key = error.key.removeprefix("leader.") if prefix.startswith("leaders.") else error.key
        if error.source != source:  # the team's scenario file itself is at fault
            raise
        raise ConfigError(source, f"{prefix}{key}", error.problem) from None


def parse_organisation(data: Mapping[str, Any], source: str, folder: Path,
                       strategy_exists: Callable[[str], bool] | None = None
                       ) -> OrganisationConfig:
    """An OrganisationConfig from a parsed organisation file (see the module's docstring)."""
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(source, str(key), f"unknown key (known: {', '.join(TOP_KEYS)})")
    header = build(OrganisationHeader, {k: data[k] for k in OrganisationHeader.__dataclass_fields__
                                        if k in data}, source)
    inputs = build(OrganisationInputs, data.get("organisation", {}), source, "organisation.")
    parameters = _table(data.get("parameters", {}), source, "parameters")
    leader_tables = _tables(data.get("leaders"), source, "leaders", 1, MAX_TEAMS)
    team_tables = _tables(data.get("teams"), source, "teams", 1, MAX_TEAMS)
    leaders = [_leader_keys(table, source, index) for index, table in enumerate(leader_tables)]
    names = [leader.name for leader, _, _ in leaders]
    _unique(names, source, "leaders", "leader")
    team_names = [_team_name(table, source, index) for index, table in enumerate(team_tables)]
    _unique(team_names, source, "teams", "team")
    from_inputs = input_overrides(inputs)
    teams = []
    for table, name in zip(team_tables, team_names, strict=True):
        prefix = f"teams.{name}."
        leader = _text(table, "leader", source, prefix)
        if leader not in names:
            raise ConfigError(source, prefix + "leader",
                              f"no leader named {shown(leader)} (leaders: {', '.join(names)})")
        teams.append(_team(table, name, header, parameters, from_inputs, source, folder))
    built_leaders = tuple(_leader(leaders[j], j, teams, header.quarters, source)
                          for j in range(len(leaders)))
    _check_shared(teams, built_leaders, source)
    for team in teams:
        if strategy_exists is not None and not strategy_exists(team.config.leader.strategy):
            raise ConfigError(source, f"leaders.{team.leader}.strategy",
                              f"unknown strategy {shown(team.config.leader.strategy)}")
    return OrganisationConfig(header.name, header.title, header.description, header.quarters,
                              header.replications, header.seed, inputs, tuple(teams),
                              built_leaders, json.dumps(data, sort_keys=True, default=str),
                              str(folder))


def _tables(value: Any, source: str, key: str, least: int, most: int) -> list[Mapping[str, Any]]:
    if value is None:
        raise ConfigError(source, key, f"an organisation file needs [[{key}]] tables")
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ConfigError(source, key, f"must be an array of tables ([[{key}]])")
    if not least <= len(value) <= most:
        raise ConfigError(source, key, f"must hold from {least} to {most} tables, got "
                                       f"{len(value)}")
    return value


def _table(value: Any, source: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, "must be a table")
    return value


def _text(table: Mapping[str, Any], key: str, source: str, prefix: str) -> str:
    if key not in table:
        raise ConfigError(source, prefix + key, "is required")
    value = table[key]
    if not isinstance(value, str) or not value:
        raise ConfigError(source, prefix + key, f"must be text, got {shown(value)}")
    return value


def _unique(names: list[str], source: str, key: str, what: str) -> None:
    for index, name in enumerate(names):
        if name in names[:index] or name == ORGANISATION_ROW:
            problem = (f"{shown(name)} names the organisation's own rows" if name ==
                       ORGANISATION_ROW else f"two {what}s are named {shown(name)}")
            raise ConfigError(source, f"{key}[{index}].name", problem)


def _team_name(table: Mapping[str, Any], source: str, index: int) -> str:
    for key in table:
        if key not in TEAM_KEYS:
            raise ConfigError(source, f"teams[{index}].{key}",
                              f"unknown key (known: {', '.join(TEAM_KEYS)})")
    name = _text(table, "name", source, f"teams[{index}].")
    build(LeaderTable, {"name": name}, source, f"teams[{index}].")  # the same name rule
    return name


def _leader_keys(table: Mapping[str, Any], source: str, index: int
                 ) -> tuple[LeaderTable, dict[str, Any], list[Any]]:
    """A leader table's organisation keys, her scenario leader keys, her attention list."""
    prefix = f"leaders[{index}]."
    _text(table, "name", source, prefix)
    own_keys = {k: v for k, v in table.items() if k in LeaderTable.__dataclass_fields__}
    keys = build(LeaderTable, own_keys, source, prefix)
    attention = table.get("attention", [])
    if not isinstance(attention, list):
        raise ConfigError(source, f"leaders.{keys.name}.attention",
                          "must be an array of tables ([[leaders.attention]])")
    rest = {k: v for k, v in table.items() if k not in own_keys and k != "attention"}
    known = LeaderConfig.__dataclass_fields__
    for key in rest:
        if key not in known:
            raise ConfigError(source, f"leaders.{keys.name}.{key}",
                              "unknown key (a [leader] key of a scenario, crisis_pull or "
                              "attention)")
    return keys, rest, attention


def _team(table: Mapping[str, Any], name: str, header: OrganisationHeader,
          parameters: Mapping[str, Any], from_inputs: dict[str, dict[str, float]],
          source: str, folder: Path) -> OrganisationTeam:
    prefix = f"teams.{name}."
    scenario = _text(table, "scenario", source, prefix)
    path = Path(scenario)
    if not path.is_absolute() and (path.suffix == ".toml" or len(path.parts) > 1):
        path = folder / path
    if path.resolve() == Path(source).resolve():
        raise ConfigError(source, prefix + "scenario", "names this organisation file")
    try:
        config = load_scenario(path)
    except ConfigError as error:  # the team's scenario file is at fault: say where it is named
        raise ConfigError(source, prefix + "scenario", str(error)) from None
    share = table.get("share", 1.0)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 100:
        raise ConfigError(source, prefix + "share",
                          f"must be a number above 0 and at most 100, got {shown(share)}")
    changes = _table(table.get("set", {}), source, prefix + "set")
    inputs_set = {key: given for given, keys in from_inputs.items() for key in keys}
    for key in changes:
        if key in OWN_KEYS or key.startswith("parameters."):
            raise ConfigError(source, f"{prefix}set.{key}", "is the organisation's, not a "
                              "team's: set it at the top of the organisation file")
        if key.startswith("leader."):
            raise ConfigError(source, f"{prefix}set.{key}", "is the leader's: set it in her "
                              "[[leaders]] table")
        if key in inputs_set:
            raise ConfigError(source, f"{prefix}set.{key}", "contradicts organisation."
                              f"{inputs_set[key]}, which sets it in every team")
    with _named(source, ""):
        config = with_overrides(config, {"name": name, "quarters": header.quarters,
                                         "replications": header.replications,
                                         "seed": header.seed}, source)
        config = with_overrides(config, {f"parameters.{k}": v for k, v in parameters.items()},
                                source)
        for keys in from_inputs.values():
            config = with_overrides(config, keys, source)
    with _named(source, f"{prefix}set."):
        config = with_overrides(config, changes, source)
    return OrganisationTeam(name, str(table["leader"]), float(share), config)


def _leader(keys: tuple[LeaderTable, dict[str, Any], list[Any]], index: int,
            teams: list[OrganisationTeam], quarters: int, source: str) -> OrganisationLeader:
    table, own, attention = keys
    mine = tuple(i for i, team in enumerate(teams) if team.leader == table.name)
    if not mine:
        raise ConfigError(source, f"leaders.{table.name}", "leads no team (no [[teams]] "
                                                           "table names her)")
    for i in mine:
        with _named(source, f"leaders.{table.name}."):
            config = with_overrides(teams[i].config,
                                    {f"leader.{k}": v for k, v in own.items()}, source)
        teams[i] = OrganisationTeam(teams[i].name, teams[i].leader, teams[i].share, config)
    names = [teams[i].name for i in mine]
    changes = []
    for number, change in enumerate(attention):
        where = f"leaders.{table.name}.attention[{number}]"
        changes.append(_share_change(change, names, quarters, source, where))
        if number and changes[-1].from_quarter <= changes[-2].from_quarter:
            raise ConfigError(source, f"{where}.from_quarter", "must come after the change "
                                                               "before it")
    return OrganisationLeader(table.name, mine, table.crisis_pull, tuple(changes))


def _share_change(change: Any, names: list[str], quarters: int, source: str,
                  where: str) -> ShareChange:
    if not isinstance(change, Mapping) or set(change) != {"from_quarter", "shares"}:
        raise ConfigError(source, where, "must be a table of from_quarter and shares")
    start = change["from_quarter"]
    if isinstance(start, bool) or not isinstance(start, int) or not 1 <= start <= quarters:
        raise ConfigError(source, f"{where}.from_quarter",
                          f"must be a whole quarter from 1 to {quarters}, got {shown(start)}")
    shares = _table(change["shares"], source, f"{where}.shares")
    if set(shares) != set(names):
        raise ConfigError(source, f"{where}.shares", f"must give a share to each of her "
                          f"teams ({', '.join(names)}), got {', '.join(map(str, shares))}")
    values = []
    for team in names:
        value = shares[team]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ConfigError(source, f"{where}.shares.{team}",
                              f"must be a number from 0 to 100, got {shown(value)}")
        values.append(float(value))
    if sum(values) <= 0:
        raise ConfigError(source, f"{where}.shares", "must not all be 0")
    return ShareChange(start, tuple(values))


def _check_shared(teams: list[OrganisationTeam], leaders: tuple[OrganisationLeader, ...],
                  source: str) -> None:
    """A leader of several teams is one person; the teams share one set of constants."""
    for leader in leaders:
        for key in PERSONAL_KEYS:
            values = {getattr(teams[i].config.leader, key) for i in leader.teams}
            if len(values) > 1:
                raise ConfigError(source, f"leaders.{leader.name}.{key}",
                                  f"her teams' scenarios give her different values "
                                  f"({', '.join(map(str, sorted(values)))}); set it in her "
                                  "[[leaders]] table")
    first = teams[0].config.parameters
    for team in teams[1:]:
        if team.config.parameters != first:
            raise ConfigError(source, f"teams.{team.name}.scenario",
                              "sets model constants ([parameters]) other teams do not; an "
                              "organisation's teams share one set: put them in the "
                              "organisation file's [parameters]")


def organisation_with_overrides(organisation: OrganisationConfig,
                                overrides: Mapping[str, Any],
                                source: str = "overrides") -> OrganisationConfig:
    """A copy of ``organisation`` with dotted keys replaced, rebuilt and checked as its file
    would be: ``quarters``, ``organisation.culture``, ``parameters.X``, ``leader.X`` (every
    leader's), ``leaders.NAME.X``, ``teams.NAME.share`` (``scenario``, ``leader``) and
    ``teams.NAME.<scenario key>`` (the team's own change to its scenario)."""
    data = json.loads(organisation.data)
    for dotted, value in overrides.items():
        _override(data, dotted, value, source)
    try:
        return parse_organisation(data, source, Path(organisation.folder))
    except ConfigError as error:
        raise ConfigError(source, error.key, error.problem) from None


def _override(data: dict[str, Any], dotted: str, value: Any, source: str) -> None:
    head, _, rest = dotted.partition(".")
    if not rest and head in OrganisationHeader.__dataclass_fields__:
        data[head] = value
    elif head in ("organisation", "parameters") and rest:
        data.setdefault(head, {})[rest] = value
    elif head == "leader" and rest:
        for leader in data.get("leaders", []):
            leader[rest] = value
    elif head in ("leaders", "teams") and "." in rest:
        name, _, key = rest.partition(".")
        table = next((t for t in data.get(head, []) if t.get("name") == name), None)
        if table is None:
            raise ConfigError(source, dotted, f"no {head[:-1]} named {shown(name)}")
        if head == "teams" and key not in TEAM_KEYS:
            table.setdefault("set", {})[key] = value
        else:
            table[key] = value
    else:
        raise ConfigError(source, dotted, "unknown key of an organisation (quarters, "
                          "organisation.X, parameters.X, leader.X, leaders.NAME.X, "
                          "teams.NAME.X)")


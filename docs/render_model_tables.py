"""Regenerate the machine-derived tables of docs/MODEL.md from the code.

The model description is hand-written. Only the tables that restate what the code already
says are generated: the scenario keys and model parameters (from the field metadata in
``simulation.model.config``), the state variables (``simulation.model.state``), the intervention
catalogue and the root-cause matrix (``simulation.model.interventions``), the registered
strategies and the shipped scenarios. Each sits between two marker comments::

    <!-- generated: parameters -->
    ...
    <!-- end generated -->

Only the text between the markers is rewritten; the prose around them is left alone.

Usage::

    python docs/render_model_tables.py           # rewrite docs/MODEL.md in place
    python docs/render_model_tables.py --check   # exit 1, naming the stale blocks, if
                                                 # the file differs from what it would write

A marker naming an unknown block, or a block with no marker, is an error (exit 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import sys
import tomllib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulation.engines.agents import SlotState, TeamMember
from simulation.model import config, interventions, state, strategies
from simulation.model.organisation_config import LeaderTable, OrganisationHeader, OrganisationInputs

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "docs" / "MODEL.md"
SCENARIOS = ROOT / "scenarios"

BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)",
                   re.DOTALL)
LARGEST_SEED = 2**63 - 1


# ---------------------------------------------------------------------------------------
# Formatting


def value(item: Any) -> str:
    """A default value as it would be written in a scenario file (None: the key is left
    out, "unset")."""
    if item is None:
        return "unset"
    if isinstance(item, bool):
        return str(item).lower()
    if isinstance(item, str):
        return f'"{item}"'
    if isinstance(item, tuple):
        return "[]" if not item else repr(list(item))
    if isinstance(item, float):
        return f"{item:g}"
    return str(item)


def number(item: float) -> str:
    """A bound of a range, compactly."""
    return "2⁶³−1" if item == LARGEST_SEED else f"{item:g}"


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def allowed(meta: dict[str, Any]) -> str:
    """The allowed values of a field, from its metadata."""
    if meta.get("choices"):
        return "one of " + ", ".join(f"`{choice}`" for choice in meta["choices"])
    if meta.get("kind") == "strategy":
        return "a registered strategy name"
    if meta.get("pattern"):
        return f"text matching `{meta['pattern']}`"
    if meta.get("low") is None and meta.get("high") is None:
        return "—"
    return f"[{number(meta['low'])}, {number(meta['high'])}]"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The blocks


def type_name(hint: Any) -> str:
    """A field's type in words (an optional key: the type it takes when set)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kinds = [kind for kind in typing.get_args(hint) if kind is not type(None)]
        return f"{type_name(kinds[0])} or unset"
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(item):
            return "list of tables"
        return f"list of {WORDS.get(item, getattr(item, '__name__', str(item)))}s"
    return getattr(hint, "__name__", str(hint))


WORDS = {int: "integer", float: "number", str: "name"}


def scenario_keys(cls: type) -> str:
    """Key, type, meaning, default and range of every scalar field of a config class."""
    hints = typing.get_type_hints(cls)
    rows = []
    for item in dataclasses.fields(cls):
        if dataclasses.is_dataclass(hints[item.name]):
            continue  # a sub-table, documented in its own section
        rows.append([f"`{item.name}`", type_name(hints[item.name]), cell(item.metadata["doc"]),
                     f"`{value(item.default)}`", allowed(dict(item.metadata))])
    return table(["key", "type", "meaning", "default", "range"], rows)


def parameter_groups() -> list[tuple[str, list[str]]]:
    """The fields of Parameters grouped by the ``# --- group ---`` comments in its source."""
    names = {item.name for item in dataclasses.fields(config.Parameters)}
    groups: list[tuple[str, list[str]]] = []
    classes = [cls for cls in reversed(config.Parameters.__mro__)
               if dataclasses.is_dataclass(cls)]  # in the order of the fields
    lines = [line for cls in classes for line in inspect.getsource(cls).splitlines()]
    for line in lines:
        heading = re.match(r"\s*# -+\s*(.+?)\s*-+\s*$", line)
        field = re.match(r"\s*(\w+)\s*:", line)
        if heading:
            groups.append((heading.group(1), []))
        elif field and field.group(1) in names:
            if not groups:
                groups.append(("general", []))
            groups[-1][1].append(field.group(1))
    grouped = [name for _, members in groups for name in members]
    if sorted(grouped) != sorted(names):
        raise RuntimeError(f"could not group the parameters {sorted(names - set(grouped))}")
    return groups


def parameters() -> str:
    """One table per group of parameters: key, meaning, default and range."""
    fields = {item.name: item for item in dataclasses.fields(config.Parameters)}
    parts = []
    for group, names in parameter_groups():
        rows = [[f"`{name}`", cell(fields[name].metadata["doc"]),
                 f"`{value(fields[name].default)}`", allowed(dict(fields[name].metadata))]
                for name in names]
        parts.append(f"**{group[0].upper()}{group[1:]}**\n\n"
                     + table(["key", "meaning", "default", "range"], rows))
    return "\n\n".join(parts)


def member_variables() -> str:
    """The member state variables, their meaning and whether the agent exposes them."""
    documented = {*state.MEMBER_VARIABLES, *state.TEAM_VARIABLES, *state.TIE_VARIABLES,
                  *state.LEADER_READING_VARIABLES, *state.LEADER_VARIABLES,
                  *state.FEEDBACK_BANK_VARIABLES, *state.LEADER_PRIORITIES_VARIABLES,
                  "dose_in_effect"}
    undocumented = {item.name for item in dataclasses.fields(state.TeamState)} - documented
    if undocumented:
        raise RuntimeError(f"state variables without a meaning in state.py: {undocumented}")
    rows = []
    for name, meaning in state.MEMBER_VARIABLES.items():
        exposed = isinstance(vars(TeamMember).get(name), SlotState)
        rows.append([f"`{name}`", cell(meaning), f"`member.{name}`" if exposed else "—"])
    return table(["variable", "meaning (`state.MEMBER_VARIABLES`)", "agent attribute"], rows)


def team_variables() -> str:
    """The team state variables, the state of pairs and the team measures, with meaning."""
    rows = [[f"`{name}`", cell(meaning), kind]
            for kind, variables in (("team state", state.TEAM_VARIABLES),
                                    ("pairs of members", state.TIE_VARIABLES),
                                    ("measure (reported)", state.TEAM_MEASURES))
            for name, meaning in variables.items()]
    return table(["variable", "meaning (`state.TEAM_VARIABLES`, `TIE_VARIABLES`, "
                  "`TEAM_MEASURES`)", "kind"], rows)


def reading_variables() -> str:
    """The leader's own state, and her reading of each member that carries over from week
    to week."""
    rows = [[f"`{name}`", cell(meaning)]
            for name, meaning in {**state.LEADER_VARIABLES,
                                  **state.LEADER_READING_VARIABLES,
                                  **state.FEEDBACK_BANK_VARIABLES,
                                  **state.LEADER_PRIORITIES_VARIABLES}.items()]
    readings = ", ".join(f"`{name}`" for name in state.READINGS)
    return (table(["variable", "meaning (`state.LEADER_VARIABLES`, "
                   "`LEADER_READING_VARIABLES`, `FEEDBACK_BANK_VARIABLES`, "
                   "`LEADER_PRIORITIES_VARIABLES`)"], rows)
            + f"\n\nThe misreading's last axis, in order (`state.READINGS`): {readings}.")


def level(position: int) -> str:
    """Whether an intervention acts on the member, on the team, or in a team session."""
    if position in interventions.TEAM_SESSIONS:
        return "team session"
    return "team" if position in interventions.TEAM_LEVEL else "member"


def catalogue() -> str:
    """The intervention catalogue with each intervention's level, lag and saturation."""
    defaults = config.Parameters()
    rows = []
    for position, item in enumerate(interventions.CATALOGUE):
        lag, saturation = f"{item.name}_lag", f"{item.name}_saturation"
        kind = ("— (a trust behaviour)" if position in interventions.TRUST_BEHAVIOURS
                else "— (a way of leading)")
        rows.append([str(position), f"`{item.name}`", item.matches or kind,
                     cell(item.moves), cell(item.side_effects),
                     "yes" if item.one_to_one else "no", level(position),
                     f"`{lag}` = {value(getattr(defaults, lag))}",
                     f"`{saturation}` = {value(getattr(defaults, saturation))}"])
    return table(["#", "intervention", "remedy for", "what it moves", "side effects", "1:1",
                  "acts on", "lag (weeks)",
                  "saturation (hours; team hours where it acts on the team)"], rows)


def remedies() -> str:
    """The root-cause matrix: for each member and team cause, its primary and secondary
    remedy with their shares of the hours."""
    rows = []
    for kind, causes in (("member", config.ROOT_CAUSES), ("team", config.TEAM_CAUSES)):
        for cause in causes:
            mix = interventions.REMEDIES[cause]
            primary = interventions.NAMES[interventions.MATCHED[cause]]
            secondary = interventions.SECONDARY[cause]
            if set(mix) != {primary, secondary}:
                raise RuntimeError(f"the remedy of {cause!r} is not a primary and a "
                                   f"secondary intervention: {mix}")
            rows.append([cause, kind, f"`{primary}` {value(mix[primary])}",
                         f"`{secondary}` {value(mix[secondary])}"])
    return table(["root cause", "level", "primary remedy (`interventions.PRIMARY`, "
                  "`MATCHED`): share", "secondary remedy (`interventions.SECONDARY`): share"],
                 rows)


def registered_strategies() -> str:
    """The built-in strategies with the description they are registered with."""
    rows = [[f"`{name}`", cell(strategies.get(name).description)]
            for name in strategies.REGISTRY.names()]
    return table(["name", "description (from the registry)"], rows)


def settings(data: dict[str, Any]) -> list[str]:
    """What a scenario file sets, apart from its story and its strategy."""
    found = []
    for section in ("team", "leader", "environment", "network", "work", "parameters"):
        for key, setting in data.get(section, {}).items():
            if section == "leader" and key == "strategy":
                continue
            if section == "leader" and key == "attention":
                for stretch in setting:
                    last = stretch.get("to_quarter", 0) or "end"
                    found.append(f"attention {value(stretch.get('level', 1.0))} in quarters "
                                 f"{stretch.get('from_quarter', 1)}–{last}")
                continue
            shown = setting if isinstance(setting, str) else value(setting)
            found.append(f"{section}.{key} = {shown}")
    return found


def shipped_scenarios() -> str:
    """Every scenario file in scenarios/: title, strategy and what it sets."""
    default_strategy = config.LeaderConfig().strategy
    rows = []
    for path in sorted(SCENARIOS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if "teams" in data:
            continue
        strategy = data.get("leader", {}).get("strategy", default_strategy)
        rows.append([f"`{path.name}`", cell(data.get("title", "")), f"`{strategy}`",
                     cell("; ".join(settings(data))) or "nothing (all defaults)"])
    return table(["scenario file", "title", "strategy", "what it sets"], rows)


def shipped_organisations() -> str:
    """Every organisation file in scenarios/: title, its teams and their leaders."""
    rows = []
    for path in sorted(SCENARIOS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if "teams" not in data:
            continue
        teams = "; ".join(f"{team['name']} ({team['scenario']}, led by {team['leader']})"
                          for team in data["teams"])
        inputs = "; ".join(f"{key} = {value}" for key, value in
                           data.get("organisation", {}).items())
        rows.append([f"`{path.name}`", cell(data.get("title", "")), cell(teams),
                     cell(inputs) or "none"])
    return table(["organisation file", "title", "teams", "organisation-level inputs"], rows)


BLOCKS: dict[str, Callable[[], str]] = {
    "scenarios": shipped_scenarios,
    "organisations": shipped_organisations,
    "organisation-keys": lambda: scenario_keys(OrganisationHeader),
    "organisation-inputs": lambda: scenario_keys(OrganisationInputs),
    "organisation-leader-keys": lambda: scenario_keys(LeaderTable),
    "scenario-keys": lambda: scenario_keys(config.ScenarioConfig),
    "team-keys": lambda: scenario_keys(config.TeamConfig),
    "leader-keys": lambda: scenario_keys(config.LeaderConfig),
    "attention-keys": lambda: scenario_keys(config.AttentionChange),
    "environment-keys": lambda: scenario_keys(config.EnvironmentConfig),
    "network-keys": lambda: scenario_keys(config.NetworkConfig),
    "work-keys": lambda: scenario_keys(config.WorkConfig),
    "parameters": parameters,
    "member-variables": member_variables,
    "team-variables": team_variables,
    "reading-variables": reading_variables,
    "catalogue": catalogue,
    "remedies": remedies,
    "strategies": registered_strategies,
}
"""Every generated block of MODEL.md, by the name in its marker."""


# ---------------------------------------------------------------------------------------
# Rendering and checking


def render(text: str) -> tuple[str, list[str]]:
    """The document with every generated block refreshed, and the names of stale blocks.

    Raises ValueError if a marker names an unknown block or a known block is missing.
    """
    stale: list[str] = []
    seen: set[str] = set()

    def refresh(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in BLOCKS:
            raise ValueError(f"unknown generated block {name!r} (known: {', '.join(BLOCKS)})")
        seen.add(name)
        body = f"\n{BLOCKS[name]()}\n\n"
        if match.group("body") != body:
            stale.append(name)
        return match.group(1) + body + match.group(4)

    rendered = BLOCK.sub(refresh, text)
    missing = [name for name in BLOCKS if name not in seen]
    if missing:
        raise ValueError(f"{MODEL.name} has no marker for the blocks: {', '.join(missing)}")
    return rendered, stale


def check(path: Path = MODEL) -> list[str]:
    """Names of the generated blocks of ``path`` that differ from what the code says."""
    return render(path.read_text(encoding="utf-8"))[1]


def main(argv: list[str] | None = None) -> int:
    """Rewrite MODEL.md in place, or with --check only report stale blocks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if MODEL.md is out of date; change nothing")
    args = parser.parse_args(argv)
    text = MODEL.read_text(encoding="utf-8")
    try:
        rendered, stale = render(text)
    except ValueError as error:
        print(f"{MODEL.relative_to(ROOT)}: {error}", file=sys.stderr)
        return 2
    if args.check:
        for name in stale:
            print(f"{MODEL.relative_to(ROOT)}: generated block '{name}' is stale; "
                  f"run python docs/render_model_tables.py")
        return 1 if stale else 0
    if rendered != text:
        MODEL.write_text(rendered, encoding="utf-8")
    print(f"{MODEL.relative_to(ROOT)}: {len(stale)} of {len(BLOCKS)} generated blocks updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

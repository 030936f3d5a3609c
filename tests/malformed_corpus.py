"""A corpus of malformed inputs to `teamsim`, generated as data.

The promise under test: bad input gets exit code 2, exactly one line on standard error that
names the file and the key (or the flag, the plugin file, the lever), no traceback, and
nothing written anywhere. Each case here is one bad input:

    Case(id, category, files, argv, code, names, ...)

``files`` are written into an empty folder first (text, bytes, or a FIFO / folder / link
marker); ``argv`` is what `teamsim` is given there; ``code`` is the exit code expected (2
unless the issue says otherwise) and ``names`` what the one error line must contain. A
workshop lever case has no argv: it calls ``apply_levers(preset, levers)``, which must
raise ConfigError naming the lever. ``process`` marks the cases that may hang or eat memory
(a FIFO, /dev/zero, huge designs): they run in a process of their own, with a time limit.

Cases are generated from the configuration's own field metadata (``dataclasses.fields`` and
``metadata["low"/"high"/"choices"/"pattern"]``) wherever possible, so a new key is covered
the day it is added.

    python tests/malformed_corpus.py      # the number of cases per category

The runner at the end (``run_in_child``) is what the tests start in a process of their own.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import typing
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from toml_text import toml_value as toml

from simulation.experiments.experiment_files import TOP_KEYS, PrecisionConfig, SampleConfig
from simulation.model.config import (
    AttentionChange,
    EnvironmentConfig,
    LeaderConfig,
    Parameters,
    ScenarioConfig,
    TeamConfig,
)

CATEGORIES = ("scenario", "cross_key", "organisation", "experiment", "flags", "plugin",
              "lever")


@dataclass(frozen=True)
class Special:
    """A file that is not text: a FIFO, a folder, or a symbolic link to ``target``."""

    kind: str
    target: str = ""


FIFO = Special("fifo")
FOLDER = Special("folder")

FileContent = str | bytes | Special


@dataclass(frozen=True)
class Case:
    """One malformed input and what `teamsim` must do with it."""

    id: str
    category: str
    files: dict[str, FileContent]
    argv: tuple[str, ...] = ()
    code: int = 2
    names: tuple[str, ...] = ()
    process: bool = False
    """Run in a process of its own, killed after ``timeout`` seconds (it may hang)."""
    timeout: float = 6.0
    levers: tuple[tuple[str, Any], ...] | None = None
    """For a workshop lever case: the levers given to ``apply_levers``."""
    preset: str = "attention_withdrawn"
    note: str = ""


# --- TOML text -----------------------------------------------------------------------------


SCENARIO = "scenario.toml"
EXPERIMENT = "experiment.toml"
SMALL_TOP = {"name": "small", "quarters": 2, "replications": 2, "seed": 4242}
"""The valid scenario every scenario case starts from: two quarters, two replications."""
STRETCH = {"from_quarter": 1, "to_quarter": 2, "level": 0.5}


def file_text(base: dict[str, Any], top: dict[str, str | None] | None = None,
              tables: str = "") -> str:
    """A small file's top-level keys (``base``, written as TOML) with some replaced (TOML
    literals; None removes one), and table text appended."""
    values = {key: toml(value) for key, value in base.items()}
    for key, literal in (top or {}).items():
        if literal is None:
            values.pop(key, None)
        else:
            values[key] = literal
    return "".join(f"{key} = {literal}\n" for key, literal in values.items()) + tables


def scenario_text(top: dict[str, str | None] | None = None, tables: str = "") -> str:
    """The small scenario with top-level keys replaced and table text appended."""
    return file_text(SMALL_TOP, top, tables)


SMALL_SCENARIO = scenario_text()


def near_miss(key: str) -> str:
    """A plausible misspelling of a key: its middle letter dropped."""
    middle = len(key) // 2
    return key[:middle] + key[middle + 1:]


# --- scenario files: every key of every table ---------------------------------------------

TABLES: tuple[tuple[str, type], ...] = (
    ("", ScenarioConfig), ("team", TeamConfig), ("leader", LeaderConfig),
    ("environment", EnvironmentConfig), ("parameters", Parameters),
    ("leader.attention", AttentionChange),
)
ROTATION = ("nan", "inf", "huge", "boolean")
"""The [parameters] table is long: each constant gets one of these besides the rest."""


def _scalar_fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls)
            if hints[f.name] in (int, float, str)]


def _just_outside(limit: float, hint: Any, below: bool) -> int | float:
    if hint is int:
        return int(limit) - 1 if below else int(limit) + 1
    step = 0.001 * max(1.0, abs(limit))
    return limit - step if below else limit + step


def _bad_values(f: dataclasses.Field[Any], hint: Any, rotation: str | None
                ) -> list[tuple[str, Any]]:
    """(kind, value) pairs that the key must refuse."""
    meta = f.metadata
    values: list[tuple[str, Any]] = []
    if hint is str:
        values.append(("wrong_type", 5))
        if rotation is None:
            values.append(("list", ["a", "b"]))
        if meta.get("choices"):
            values += [("near_miss_choice", near_miss(meta["choices"][1])), ("empty", "")]
        if meta.get("pattern"):
            values += [("not_a_name", "my team!"), ("empty", ""), ("path", "../outside")]
        if meta.get("kind") == "strategy":
            values += [("unknown_strategy", "charisma"), ("empty", "")]
        return values
    values.append(("wrong_type", "many"))
    if meta.get("low") is not None:
        values.append(("below", _just_outside(meta["low"], hint, below=True)))
    if meta.get("high") is not None:
        values.append(("above", _just_outside(meta["high"], hint, below=False)))
    extra: list[tuple[str, Any]]
    if hint is float:
        extra = [("nan", math.nan), ("inf", math.inf), ("huge", 1e308),
                 ("huge_integer", 10**400), ("boolean", True), ("minus_inf", -math.inf)]
    else:
        extra = [("fraction", 2.5), ("huge", 10**30), ("minus_huge", -(10**30)),
                 ("boolean", True), ("nan", math.nan)]
    if rotation is not None:  # one of the extra kinds only (huge means both huge kinds)
        extra = [(kind, value) for kind, value in extra
                 if kind == rotation or (rotation == "huge" and kind.startswith("huge"))]
    return values + extra


def _scenario_with(table: str, key: str, literal: str) -> tuple[str, str]:
    """The scenario text with ``key = literal`` in ``table``, and the key as reported."""
    if table == "":
        return scenario_text({key: literal}), key
    if table == "leader.attention":
        lines = "".join(f"{k} = {literal if k == key else toml(v)}\n"
                        for k, v in STRETCH.items())
        if key not in STRETCH:
            lines += f"{key} = {literal}\n"
        return scenario_text(tables=f"[[leader.attention]]\n{lines}"), f"leader.attention[0].{key}"
    return scenario_text(tables=f"[{table}]\n{key} = {literal}\n"), f"{table}.{key}"


def _scenario_argv(index: int) -> tuple[str, ...]:
    """`teamsim run`, into --out for half of the cases and into results/ for the rest."""
    return ("run", SCENARIO, "--out", "out") if index % 2 else ("run", SCENARIO)


def scenario_key_cases() -> list[Case]:
    """Every key of every table: wrong type, just out of range, NaN, infinite, huge,
    misspelt."""
    cases: list[Case] = []
    for table, cls in TABLES:
        for position, (f, hint) in enumerate(_scalar_fields(cls)):
            rotation = ROTATION[position % len(ROTATION)] if cls is Parameters else None
            for kind, value in _bad_values(f, hint, rotation):
                text, key = _scenario_with(table, f.name, toml(value))
                cases.append(Case(f"scenario-{key}-{kind}", "scenario", {SCENARIO: text},
                                  _scenario_argv(len(cases)), names=(SCENARIO, key)))
            misspelt = near_miss(f.name)
            text, key = _scenario_with(table, misspelt, toml(f.default if f.default != ""
                                                             else "x"))
            cases.append(Case(f"scenario-{table or 'top'}.{f.name}-misspelt", "scenario",
                              {SCENARIO: text}, _scenario_argv(len(cases)),
                              names=(SCENARIO, key)))
    crises = "environment.scheduled_crises"
    for kind, literal, key in (("not_a_list", "5", crises), ("zero", "[0]", crises + "[0]"),
                               ("above", "[5201]", crises + "[0]"),
                               ("fraction", "[1.5]", crises + "[0]"),
                               ("text", '["week 3"]', crises + "[0]"),
                               ("huge", f"[{10**30}]", crises + "[0]")):
        text = scenario_text(tables=f"[environment]\nscheduled_crises = {literal}\n")
        cases.append(Case(f"scenario-{crises}-{kind}", "scenario", {SCENARIO: text},
                          _scenario_argv(len(cases)), names=(SCENARIO, key)))
    tables = {
        "team-not_a_table": ("team = 5\n", "team"),
        "leader-text": ('leader = "boss"\n', "leader"),
        "environment-list": ("environment = [1, 2]\n", "environment"),
        "parameters-boolean": ("parameters = true\n", "parameters"),
        "attention-a_table": ("[leader.attention]\nfrom_quarter = 1\n", "leader.attention"),
        "attention-numbers": ("[leader]\nattention = [1, 2]\n", "leader.attention"),
        "team-misspelt": ("[teem]\nsize = 8\n", "teem"),
        "leader-misspelt": ("[leadr]\nattention_hours = 8\n", "leadr"),
        "environment-misspelt": ("[enviroment]\npressure = 0.3\n", "enviroment"),
        "parameters-misspelt": ("[parameter]\ntrust_gain = 0.01\n", "parameter"),
        "attention-misspelt": ("[[leader.atention]]\nlevel = 0.5\n", "leader.atention"),
    }
    for name, (tables_text, key) in tables.items():
        cases.append(Case(f"scenario-table-{name}", "scenario",
                          {SCENARIO: scenario_text(tables=tables_text)},
                          _scenario_argv(len(cases)), names=(SCENARIO, key)))
    return cases


TOML_SYNTAX_ERRORS = {
    "unclosed_table": "[leader\nattention_hours = 8\n",
    "missing_value": "quarters =\n",
    "unterminated_string": 'title = "half\n',
    "bad_escape": 'title = "a \\q b"\n',
    "key_without_value": "quarters\n",
    "leading_zero": "quarters = 02\n",
    "duplicate_key": "quarters = 2\nquarters = 3\n",
    "duplicate_table": "[team]\nsize = 8\n[team]\nsize = 9\n",
    "duplicate_leader_table": "[leader]\nattention_hours = 8\n[leader]\nbias_strength = 0.1\n",
    "table_redefines_key": "team = {size = 8}\n[team]\ncapability = 0.5\n",
    "array_of_tables_over_table": "[leader.attention]\nlevel = 1\n[[leader.attention]]\n",
    "bad_date": "seed = 2024-13-45\n",
    "raw_nul": b'title = "a\x00b"\n',
    "raw_escape_character": b'title = "\x1b[31mred"\n',
    "trailing_garbage": "quarters = 2 2\n",
    "unclosed_array": "[environment]\nscheduled_crises = [1, 2\n",
}


def scenario_file_cases() -> list[Case]:
    """What is wrong with the file itself, not with one key: empty, not UTF-8, not TOML,
    huge, deeply nested, control characters, not a regular file, missing."""
    cases: list[Case] = []

    def add(name: str, content: FileContent | None, names: tuple[str, ...] = (SCENARIO,),
            commands: tuple[str, ...] = ("run", "check"), target: str = SCENARIO,
            **options: Any) -> None:
        files = {} if content is None else {target: content}
        for command in commands:
            argv = ("run", target, "--out", "out") if command == "run" else ("check", target)
            cases.append(Case(f"scenario-file-{name}-{command}", "scenario", files, argv,
                              names=names, **options))

    bom = "\ufeff"
    add("empty", "")
    add("whitespace", "  \n\t\n   \n")
    add("comments_only", "# nothing here\n# at all\n")
    add("bom_only", bom)
    add("bom_then_valid", bom + SMALL_SCENARIO, names=(), commands=("check",), code=0,
        note="a UTF-8 byte-order mark, as Windows editors write, must be accepted")
    add("bom_then_bad_key", bom + scenario_text({"quartrs": "2"}), names=(SCENARIO, "quartrs"))
    add("invalid_utf8", b"title = \"\xff\xfe\xfa\"\nquarters = 2\n")
    add("latin1_title", 'title = "café"\nquarters = 2\n'.encode("latin-1"))
    add("utf16", SMALL_SCENARIO.encode("utf-16"))
    add("binary", bytes(range(256)) * 4)
    for name, text in TOML_SYNTAX_ERRORS.items():
        add(f"toml-{name}", text)
    add("deep_arrays", "title = " + "[" * 100_000 + "]" * 100_000 + "\n", process=True)
    add("deep_inline_tables", "title = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n",
        process=True)
    add("deep_parameters", "parameters = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n",
        process=True)
    add("nested_arrays_300", "title = " + "[" * 300 + "]" * 300 + "\n",
        names=(SCENARIO, "title"))
    add("nested_crises_300", scenario_text(tables="[environment]\nscheduled_crises = "
                                           + "[" * 300 + "]" * 300 + "\n"),
        names=(SCENARIO, "environment.scheduled_crises"))
    add("name_5000_characters", scenario_text({"name": toml("n" * 5000)}),
        names=(SCENARIO, "name"))
    add("key_5000_characters", scenario_text({"k" * 5000: "1"}))
    add("title_2MB", scenario_text({"title": toml("t" * 2_000_000)}), process=True)
    for name, title in (("ansi", "\x1b[2J\x1b[31mred team"), ("bell", "ring\x07ring"),
                        ("nul", "before\x00after"), ("carriage_return", "fake\rline"),
                        ("backspace", "abc\x08\x08\x08xyz")):
        add(f"title_{name}", scenario_text({"title": toml(title)}), names=(SCENARIO, "title"))
        add(f"key_{name}", scenario_text({toml(title): "1"}))
    add("description_ansi", scenario_text({"description": toml("\x1b]0;owned\x07story")}),
        names=(SCENARIO, "description"))
    add("strategy_100000_characters",
        scenario_text(tables=f"[leader]\nstrategy = {toml('s' * 100_000)}\n"),
        names=(SCENARIO, "leader.strategy"))
    add("strategy_ansi", scenario_text(tables=f"[leader]\nstrategy = {toml(chr(27) + '[5m')}\n"),
        names=(SCENARIO, "leader.strategy"))
    add("fifo", FIFO, process=True)
    add("folder", FOLDER)
    add("missing", None)
    add("dangling_link", Special("link", "nowhere.toml"))
    add("link_loop", Special("link", SCENARIO))
    for device in ("/dev/zero", "/dev/urandom"):
        add(device.strip("/").replace("/", "_"), None, names=(device,), target=device,
            process=True)
    add("dev_null", None, names=("/dev/null",), target="/dev/null")
    add("misspelt_shipped_name", None, names=("basline",), target="basline")
    return cases


# --- contradictions between keys ---------------------------------------------------------------


def cross_key_cases() -> list[Case]:
    """Keys each valid alone that contradict each other (the run is two quarters long)."""
    def stretch(**values: Any) -> str:
        return "[[leader.attention]]\n" + "".join(f"{k} = {toml(v)}\n" for k, v in
                                                  {**STRETCH, **values}.items())

    contradictions = {
        "attention_from_2_to_1": (stretch(from_quarter=2, to_quarter=1), "leader.attention[0]"),
        "attention_starts_after_horizon": (stretch(from_quarter=3, to_quarter=0),
                                           "leader.attention[0]"),
        "attention_ends_after_horizon": (stretch(from_quarter=1, to_quarter=5),
                                         "leader.attention[0]"),
        "second_stretch_after_horizon": (stretch() + stretch(from_quarter=7, to_quarter=8),
                                         "leader.attention[1]"),
        "withdrawal_after_horizon": ("[leader]\nwithdrawn_from_quarter = 3\n",
                                     "leader.withdrawn_from_quarter"),
        "withdrawal_far_after_horizon": ("[leader]\nwithdrawn_from_quarter = 200\n",
                                         "leader.withdrawn_from_quarter"),
        "scheduled_crisis_after_horizon": ("[environment]\nscheduled_crises = [27]\n",
                                           "environment.scheduled_crises"),
        "second_scheduled_crisis_after_horizon": (
            "[environment]\nscheduled_crises = [5, 400]\n", "environment.scheduled_crises"),
        "ceiling_below_capability": ("[team]\ncapability = 0.6\ncapability_ceiling = 0.4\n",
                                     "team.capability"),
        "capability_above_default_ceiling": ("[team]\ncapability = 0.95\n", "team.capability"),
    }
    cases = []
    for name, (tables, key) in contradictions.items():
        for argv in (("run", SCENARIO, "--out", "out"), ("check", SCENARIO)):
            cases.append(Case(f"cross_key-{name}-{argv[0]}", "cross_key",
                              {SCENARIO: scenario_text(tables=tables)}, argv,
                              names=(SCENARIO, key)))
    return cases


# --- organisation files ------------------------------------------------------------------------

ORGANISATION = "organisation.toml"
SMALL_ORGANISATION_TOP = {"name": "small_org", "quarters": 2, "replications": 2, "seed": 4242}


def organisation_text(top: dict[str, str | None] | None = None, inputs: str = "",
                      leaders: str = "", teams: str = "", tail: str = "") -> str:
    """A small valid organisation (two teams of the small scenario, one leader of both)
    with top-level keys replaced, and text added to its [organisation] table, its leader's
    table, its first team's table and its end."""
    return (file_text(SMALL_ORGANISATION_TOP, top)
            + (f"[organisation]\n{inputs}" if inputs else "")
            + f'[[leaders]]\nname = "dana"\nattention_hours = 8\n{leaders}'
            + f'[[teams]]\nname = "a"\nscenario = "{SCENARIO}"\nleader = "dana"\n{teams}'
            + f'[[teams]]\nname = "b"\nscenario = "{SCENARIO}"\nleader = "dana"\n{tail}')


def organisation_cases() -> list[Case]:
    """Bad organisation files: every organisation-level input and leader key of its own out
    of range, unknown keys, keys that contradict each other, a bad team scenario, work too
    large to finish; each under `teamsim run` and `teamsim check`."""
    from simulation.model.organisation_config import LeaderTable, OrganisationInputs

    bad: dict[str, tuple[dict[str, FileContent], str]] = {}
    for f in dataclasses.fields(OrganisationInputs):
        for kind, literal in (("above", "1.5"), ("below", "-0.1"), ("text", '"high"')):
            bad[f"input-{f.name}-{kind}"] = ({ORGANISATION: organisation_text(
                inputs=f"{f.name} = {literal}\n")}, f"organisation.{f.name}")
        bad[f"input-{f.name}-misspelt"] = ({ORGANISATION: organisation_text(
            inputs=f"{near_miss(f.name)} = 0.5\n")}, f"organisation.{near_miss(f.name)}")
    high = LeaderTable.__dataclass_fields__["crisis_pull"].metadata["high"]
    for kind, literal in (("above", str(high + 1)), ("below", "-1"), ("nan", "nan")):
        bad[f"leader-crisis_pull-{kind}"] = ({ORGANISATION: organisation_text(
            leaders=f"crisis_pull = {literal}\n")}, "crisis_pull")
    contradictions = {
        "unknown_top_key": ({"top": {"teamz": "1"}}, "teamz"),
        "unknown_team_key": ({"teams": "size = 3\n"}, "teams[0].size"),
        "unknown_leader_key": ({"leaders": "brilliance = 1\n"}, "leaders.dana.brilliance"),
        "leader_key_out_of_range": ({"leaders": "diagnostic_accuracy = 2\n"},
                                    "leaders.dana.diagnostic_accuracy"),
        "unknown_strategy": ({"leaders": 'strategy = "nonesuch"\n'}, "leaders.dana.strategy"),
        "no_such_leader": ({"tail": 'leader = "nobody"\n'}, "teams"),
        "team_sets_a_leader_key": ({"teams": 'set = { "leader.blame" = 0.5 }\n'},
                                   "teams.a.set.leader.blame"),
        "team_sets_the_horizon": ({"teams": 'set = { "quarters" = 8 }\n'},
                                  "teams.a.set.quarters"),
        "team_contradicts_an_input": ({"inputs": "culture = 0.6\n",
                                       "teams": 'set = { "team.trust" = 0.9 }\n'},
                                      "teams.a.set.team.trust"),
        "team_set_out_of_range": ({"teams": 'set = { "team.size" = 0 }\n'},
                                  "teams.a.set.team.size"),
        "share_zero": ({"teams": "share = 0\n"}, "teams.a.share"),
        "shares_for_a_stranger": ({"tail": "[[leaders.attention]]\nfrom_quarter = 2\n"
                                           "shares = { a = 1, c = 1 }\n"}, "shares"),
        "shares_after_horizon": ({"tail": "[[leaders.attention]]\nfrom_quarter = 3\n"
                                          "shares = { a = 1, b = 1 }\n"}, "from_quarter"),
        "team_named_organisation": ({"tail": ""}, ""),
    }
    for name, (parts, key) in contradictions.items():
        if name == "team_named_organisation":
            text = organisation_text().replace('name = "b"', 'name = "organisation"')
            key = "teams[1].name"
        else:
            text = organisation_text(**parts)  # type: ignore[arg-type]
        bad[name] = ({ORGANISATION: text}, key)
    bad["duplicate_team"] = ({ORGANISATION: organisation_text().replace('name = "b"',
                                                                        'name = "a"')},
                             "teams[1].name")
    bad["idle_leader"] = ({ORGANISATION: organisation_text(
        tail='[[leaders]]\nname = "sam"\n')}, "leaders.sam")
    bad["missing_scenario"] = ({ORGANISATION: organisation_text().replace(
        f'scenario = "{SCENARIO}"', 'scenario = "absent.toml"', 1)}, "absent.toml")
    bad["bad_team_scenario"] = ({ORGANISATION: organisation_text(),
                                 SCENARIO: scenario_text(tables="[team]\nsize = -1\n")},
                                "team.size")
    bad["two_minds_about_her_hours"] = ({ORGANISATION: organisation_text().replace(
        "attention_hours = 8\n", "").replace(f'name = "b"\nscenario = "{SCENARIO}"',
                                            'name = "b"\nscenario = "other.toml"'),
        "other.toml": scenario_text(tables="[leader]\nattention_hours = 5\n")},
        "leaders.dana.attention_hours")
    bad["too_much_work"] = ({ORGANISATION: organisation_text(
        {"quarters": "100", "replications": "100000"}), SCENARIO: scenario_text(
        tables="[team]\nsize = 100\n")}, "replications")
    cases = []
    for name, (files, key) in bad.items():
        files = {SCENARIO: SMALL_SCENARIO, **files}
        for argv in (("run", ORGANISATION, "--out", "out"), ("check", ORGANISATION)):
            cases.append(Case(f"organisation-{name}-{argv[0]}", "organisation", files, argv,
                              names=(ORGANISATION, key) if key else (ORGANISATION,)))
    return cases


# --- experiment files ---------------------------------------------------------------------------

SMALL_EXPERIMENT_TOP = {"scenarios": ["small.toml"], "strategies": ["hands_off", "coach"],
                        "replications": 2, "seed": 4242}
BIG_SCENARIO = scenario_text({"name": '"big"', "quarters": "100", "replications": "100000"},
                             "[team]\nsize = 100\n")


def experiment_text(top: dict[str, str | None] | None = None, tables: str = "") -> str:
    """The small experiment (two strategies on the two-quarter scenario, two replications)
    with top-level keys replaced and tables appended."""
    return file_text(SMALL_EXPERIMENT_TOP, top, tables)


def _bounds(key: str, pair: str, size: int = 4, method: str = "latin_hypercube") -> str:
    return f'[sample]\nmethod = "{method}"\nsize = {size}\n[sample.bounds]\n"{key}" = {pair}\n'


def experiment_cases() -> list[Case]:
    """Experiment files: every top-level key misspelt or of the wrong type, bad grids,
    samples and precision targets, and designs too large to run."""
    hours = "leader.attention_hours"
    bad: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {}

    def add(name: str, text: str, *keys: str, **options: Any) -> None:
        bad[name] = (text, keys, options)

    for key in sorted(TOP_KEYS):
        add(f"top.{key}-misspelt", experiment_text({near_miss(key): '"x"'}), near_miss(key))
    for key, literal in (("name", "5"), ("title", "5"), ("description", "[1]"),
                         ("scenarios", "5"), ("scenarios", "[1]"), ("strategies", "5"),
                         ("strategies", "[true]"), ("replications", '"ten"'),
                         ("replications", "2.5"), ("seed", '"x"'), ("seed", "1.5"),
                         ("outcomes", "5"), ("quarters", '"x"'), ("quarters", "[1.5]"),
                         ("reference", "5"), ("grid", "5"), ("grid", "[1]"), ("sample", "5"),
                         ("sample", "[1]"), ("precision", "5"), ("precision", "[1]")):
        label = literal.strip('[]"')
        add(f"top.{key}-wrong_type-{label}", experiment_text({key: literal}), key)
    for key, values in (("replications", [0, -1, 1_000_001, 10**30]),
                        ("seed", [-1, 2**63, 10**30])):
        for value in values:
            add(f"top.{key}-out_of_range-{value:.0e}", experiment_text({key: str(value)}), key)
    for name, value in (("not_a_name", "my sweep!"), ("empty", ""), ("path", "../outside"),
                        ("5000_characters", "e" * 5000), ("ansi", "\x1b[31mred")):
        add(f"top.name-{name}", experiment_text({"name": toml(value)}), "name")
    add("top.title-ansi", experiment_text({"title": toml("\x1b[2Jtitle\x07")}), "title")
    for name, literal, key in (("zero", "[0]", "quarters"), ("negative", "[-1]", "quarters"),
                               ("past_horizon", "[3]", "quarters"),
                               ("huge", f"[{10**30}]", "quarters")):
        add(f"quarters-{name}", experiment_text({"quarters": literal}), key)
    # scenarios
    add("scenarios-empty", experiment_text({"scenarios": "[]"}), "scenarios")
    add("scenarios-unknown", experiment_text({"scenarios": '["no_such_scenario"]'}),
        "scenarios[0]")
    add("scenarios-twice", experiment_text({"scenarios": '["small.toml", "small.toml"]'}),
        "scenarios")
    add("scenarios-folder", experiment_text({"scenarios": '["folder.toml"]'}), "scenarios[0]",
        extra={"folder.toml": FOLDER})
    add("scenarios-itself", experiment_text({"scenarios": '["experiment.toml"]'}),
        "scenarios[0]")
    add("scenarios-bad_base", experiment_text({"scenarios": '["bad_base.toml"]'}),
        "scenarios[0]", extra={"bad_base.toml": scenario_text({"quartrs": "2"})})
    add("scenarios-fifo", experiment_text({"scenarios": '["fifo.toml"]'}), "scenarios[0]",
        extra={"fifo.toml": FIFO}, process=True)
    add("scenarios-dev_zero", experiment_text({"scenarios": '["/dev/zero"]'}), "scenarios[0]",
        process=True)
    # strategies and outcomes
    add("strategies-unknown", experiment_text({"strategies": '["coach", "charisma"]'}),
        "strategies[1]")
    add("strategies-twice", experiment_text({"strategies": '["coach", "coach"]'}), "strategies")
    add("strategies-ansi", experiment_text({"strategies": toml(["\x1b[31mcoach"])}),
        "strategies[0]")
    add("strategies-100000_characters", experiment_text({"strategies": toml(["s" * 100_000])}),
        "strategies[0]")
    add("strategies-empty_name", experiment_text({"strategies": '[""]'}), "strategies[0]")
    add("outcomes-empty", experiment_text({"outcomes": "[]"}), "outcomes")
    add("outcomes-unknown", experiment_text({"outcomes": '["happiness"]'}), "outcomes[0]")
    add("outcomes-twice", experiment_text({"outcomes": '["team_output", "team_output"]'}),
        "outcomes")
    add("outcomes-100000_characters", experiment_text({"outcomes": toml(["o" * 100_000])}),
        "outcomes[0]")
    add("reference-no_setting", experiment_text({"reference": '"coahc"'}), "reference")
    # grids
    for name, table, key in (
            ("misspelt_key", '"leader.atention_hours" = [4, 8]', "grid.leader.atention_hours"),
            ("value_above", f'"{hours}" = [4, 500]', f"grid.{hours}"),
            ("value_below", f'"{hours}" = [-1, 4]', f"grid.{hours}"),
            ("value_text", f'"{hours}" = ["lots"]', f"grid.{hours}"),
            ("value_nan", f'"{hours}" = [nan]', f"grid.{hours}"),
            ("value_nested", f'"{hours}" = [[4, 8]]', f"grid.{hours}"),
            ("empty_list", f'"{hours}" = []', f"grid.{hours}"),
            ("not_a_list", f'"{hours}" = 4', f"grid.{hours}"),
            ("table_key", '"team" = [1]', "grid.team"),
            ("quarters_zero", '"quarters" = [0, 2]', "grid.quarters"),
            ("name_not_a_name", '"name" = ["a b"]', "grid.name"),
            ("unknown_strategy", '"leader.strategy" = ["coach", "charisma"]',
             "grid.leader.strategy"),
            ("strategy_100000_characters", f'"leader.strategy" = [{toml("s" * 100_000)}]',
             "grid.leader.strategy"),
            ("key_ansi", f'{toml(chr(27) + "[31mleader.x")} = [1]', "grid.")):
        add(f"grid-{name}", experiment_text(tables=f"[grid]\n{table}\n"), key)
    six = [f'"{key}" = {toml([round(low + (high - low) * i / 99, 6) for i in range(100)])}'
           for key, low, high in (("leader.attention_hours", 0, 60),
                                  ("leader.diagnostic_accuracy", 0, 1),
                                  ("leader.bias_strength", 0, 1), ("team.capability", 0, 1),
                                  ("team.motivation", 0, 1), ("environment.pressure", 0, 1))]
    add("grid-6_keys_x_100_values", experiment_text(tables="[grid]\n" + "\n".join(six) + "\n"),
        "grid", process=True)
    # samples
    sample_keys = {f.name for f in dataclasses.fields(SampleConfig)}
    for key in sorted(sample_keys - {"bounds"}):
        add(f"sample.{key}-misspelt",
            experiment_text(tables=f"[sample]\n{near_miss(key)} = 4\n[sample.bounds]\n"
                                   f'"{hours}" = [2, 8]\n'), f"sample.{near_miss(key)}")
    for name, text, key in (
            ("method_unknown", _bounds(hours, "[2, 8]", method="sobl"), "sample.method"),
            ("size_zero", _bounds(hours, "[2, 8]", size=0), "sample.size"),
            ("size_above", _bounds(hours, "[2, 8]", size=1_000_001), "sample.size"),
            ("size_not_power_of_2", _bounds(hours, "[2, 8]", size=12, method="sobol"),
             "sample.size"),
            ("size_fraction", _bounds(hours, "[2, 8]").replace("size = 4", "size = 2.5"),
             "sample.size"),
            ("bounds_missing", "[sample]\nsize = 4\n", "sample.bounds"),
            ("bounds_not_a_table", "[sample]\nsize = 4\nbounds = 5\n", "sample.bounds"),
            ("bound_misspelt", _bounds("leader.atention_hours", "[2, 8]"),
             "sample.bounds.leader.atention_hours"),
            ("bound_one_number", _bounds(hours, "[2]"), f"sample.bounds.{hours}"),
            ("bound_three_numbers", _bounds(hours, "[2, 4, 8]"), f"sample.bounds.{hours}"),
            ("bound_text", _bounds(hours, '["a", "b"]'), f"sample.bounds.{hours}"),
            ("bound_not_a_list", _bounds(hours, "2"), f"sample.bounds.{hours}"),
            ("bound_reversed", _bounds(hours, "[8, 2]"), f"sample.bounds.{hours}"),
            ("bound_equal", _bounds(hours, "[8, 8]"), f"sample.bounds.{hours}"),
            ("bound_above", _bounds(hours, "[2, 500]"), f"sample.bounds.{hours}"),
            ("bound_nan", _bounds(hours, "[nan, 8]"), f"sample.bounds.{hours}"),
            ("bound_inf", _bounds(hours, "[2, inf]"), f"sample.bounds.{hours}"),
            ("bound_text_key", _bounds("leader.strategy", "[0, 1]"),
             "sample.bounds.leader.strategy"),
            ("bound_table_key", _bounds("team", "[0, 1]"), "sample.bounds.team")):
        add(f"sample-{name}", experiment_text(tables=text), key)
    add("sample-size_1000000", experiment_text(tables=_bounds(hours, "[2, 8]", 1_000_000)),
        "sample.size", process=True)
    # precision
    for key in sorted(f.name for f in dataclasses.fields(PrecisionConfig)):
        add(f"precision.{key}-misspelt",
            experiment_text(tables=f"[precision]\n{near_miss(key)} = 1\n"),
            f"precision.{near_miss(key)}")
    for name, body, key in (
            ("outcome_not_stored", 'outcome = "trust_mean"', "precision.outcome"),
            ("outcome_unknown", 'outcome = "happiness"', "precision.outcome"),
            ("quarter_past_horizon", "quarter = 3", "precision.quarter"),
            ("quarter_negative", "quarter = -1", "precision.quarter"),
            ("half_width_zero", "half_width = 0", "precision.half_width"),
            ("half_width_nan", "half_width = nan", "precision.half_width"),
            ("max_replications_one", "max_replications = 1", "precision.max_replications"),
            ("max_replications_above", "max_replications = 10000000",
             "precision.max_replications")):
        add(f"precision-{name}", experiment_text(
            {"outcomes": '["team_output"]'}, f"[precision]\n{body}\n"), key)
    # too large to run: must be refused, not attempted
    add("replications_1000000", experiment_text({"replications": "1000000"}), "replications",
        process=True)
    add("team_100_x_100_quarters_x_100000_replications",
        experiment_text({"scenarios": '["big.toml"]', "replications": "100000"}),
        "replications", extra={"big.toml": BIG_SCENARIO}, process=True)
    cases = []
    for name, (text, keys, options) in bad.items():
        files = {"small.toml": SMALL_SCENARIO, EXPERIMENT: text, **options.pop("extra", {})}
        for argv in (("sweep", EXPERIMENT, "--workers", "1", "--quiet"), ("check", EXPERIMENT)):
            cases.append(Case(f"experiment-{name}-{argv[0]}", "experiment", files, argv,
                              names=(EXPERIMENT, *keys), **options))
    # an experiment named like a results folder that a sweep did not write
    for held, content in (("user_files", {"notes.txt": "precious"}),
                          ("run_files", {"quarters.csv": "q\n", "summary.csv": "s\n",
                                         "manifest.json": "{}\n"})):
        files = {"small.toml": SMALL_SCENARIO, EXPERIMENT: experiment_text({"name": '"keep"'}),
                 **{f"results/keep/{name}": text for name, text in content.items()}}
        cases.append(Case(f"experiment-name_is_a_folder_of_{held}-sweep", "experiment", files,
                          ("sweep", EXPERIMENT, "--workers", "1", "--quiet"),
                          names=("results/keep", "--overwrite")))
    return cases


# --- command-line flags -----------------------------------------------------------------------

SWEEP_FILES = {"results/keep/store.sqlite": b"SQLite format 3\x00" + bytes(100),
               "results/keep/report.md": "# a sweep's report\n"}
USER_FILES = {"notes.txt": "precious", "data/raw.csv": "a,b\n1,2\n"}


def flag_cases() -> list[Case]:
    """Flags and their values: negative, zero, huge, not numbers, contradictory, unknown;
    --out at a file, or at a folder that another command (or the user) filled."""
    scenario = {SCENARIO: SMALL_SCENARIO}
    experiment = {"small.toml": SMALL_SCENARIO, EXPERIMENT: experiment_text()}
    run = ("run", SCENARIO, "--out", "out", "--quiet")
    sweep = ("sweep", EXPERIMENT, "--quiet")
    compare = ("compare", "hands_off", "coach", "--scenario", "small.toml", "--quiet")
    cases: list[Case] = []

    def add(name: str, files: dict[str, FileContent], argv: tuple[str, ...], *names: str,
            **options: Any) -> None:
        cases.append(Case(f"flags-{name}", "flags", files, argv, names=names, **options))

    for value in ("0", "-1", "-99999999999999999999", "abc", "1.5", "", "1e3"):
        add(f"run--replications={value or 'empty'}", scenario, (*run, "--replications", value),
            "--replications")
    for value, label in (("1000000", "1000000"), (str(10**30), "10e30")):
        add(f"run--replications={label}", scenario, (*run, "--replications", value),
            "--replications", process=True)
    for value, label in (("-1", "-1"), (str(2**63), "2e63"), (str(10**40), "10e40"),
                         ("abc", "abc"), ("1.5", "1.5"), ("", "empty")):
        add(f"run--seed={label}", scenario, (*run, "--seed", value), "--seed")
    for value, label in (("charisma", "unknown"), ("", "empty"), ("s" * 100_000, "100000_chars"),
                         ("\x1b[31mred\x07", "ansi"), ("coach\nhands_off", "newline")):
        add(f"run--strategy={label}", scenario, (*run, "--strategy", value), "--strategy")
    add("run--out=a_file", {**scenario, "notes.txt": "mine"},
        ("run", SCENARIO, "--out", "notes.txt"), "--out")
    add("run--out=under_a_file", {**scenario, "notes.txt": "mine"},
        ("run", SCENARIO, "--out", "notes.txt/sub"), "--out")
    add("run--out=empty", scenario, ("run", SCENARIO, "--out", ""), "--out", process=True)
    add("run--out=sweep_folder", {**scenario, **SWEEP_FILES},
        ("run", SCENARIO, "--out", "results/keep"), "--out", "--overwrite")
    add("run--out=user_folder", {**scenario, **USER_FILES}, ("run", SCENARIO, "--out", "."),
        "--out", "--overwrite", process=True)
    add("run--out=user_subfolder", {**scenario, **USER_FILES},
        ("run", SCENARIO, "--out", "data"), "--out", "--overwrite")
    add("run-name_is_a_sweep_folder",
        {SCENARIO: scenario_text({"name": '"keep"'}), **SWEEP_FILES}, ("run", SCENARIO),
        "results/keep", "--overwrite")
    add("run-name_is_a_user_folder",
        {SCENARIO: scenario_text({"name": '"keep"'}), "results/keep/notes.txt": "precious"},
        ("run", SCENARIO), "results/keep", "--overwrite")
    add("run-no_scenario", {}, ("run",), "scenario")
    add("run-unknown_option", scenario, (*run, "--frobnicate"), "--frobnicate")
    add("unknown_command", {}, ("frobnicate",), "frobnicate")
    add("check-no_files", {}, ("check",), "files")
    for value in ("0", "-1", "abc", ""):
        add(f"sweep--workers={value or 'empty'}", experiment, (*sweep, "--workers", value),
            "--workers")
    add("sweep--workers=1000000", experiment, (*sweep, "--workers", "1000000"), "--workers",
        process=True, timeout=10.0)
    add("sweep--dask-local=0", experiment, (*sweep, "--dask-local", "0"), "--dask-local")
    add("sweep--workers_and_--scheduler", experiment,
        (*sweep, "--workers", "1", "--scheduler", "tcp://127.0.0.1:1"), "--scheduler")
    add("sweep--resume_and_--overwrite", experiment, (*sweep, "--resume", "--overwrite"),
        "--resume", "--overwrite")
    for value in ("0", "-1", "abc"):
        add(f"sweep--precision={value}", experiment, (*sweep, "--workers", "1", "--precision",
                                                     value), "--precision")
    for value in ("nan", "inf"):
        add(f"sweep--precision={value}", experiment, (*sweep, "--workers", "1", "--precision",
                                                     value), "--precision", process=True)
    add("sweep--out=a_file", {**experiment, "notes.txt": "mine"},
        (*sweep, "--workers", "1", "--out", "notes.txt"), "--out")
    add("sweep--out=user_folder", {**experiment, **USER_FILES},
        (*sweep, "--workers", "1", "--out", "data"), "--out", "--overwrite")
    add("sweep--out=run_folder", {**experiment, "out/quarters.csv": "q\n",
                                  "out/summary.csv": "s\n", "out/manifest.json": "{}\n"},
        (*sweep, "--workers", "1", "--out", "out"), "--out", "--overwrite")
    for value in ("1", "0", "abc"):
        add(f"compare--replications={value}", experiment, (*compare, "--replications", value),
            "--replications")
    quick = (*compare, "-n", "2", "--workers", "1")
    add("compare-one_name", experiment, ("compare", "coach", "--quiet"), "compare")
    add("compare-unknown_strategy", experiment,
        ("compare", "coach", "charisma", "-n", "2", "--workers", "1", "--quiet"), "charisma")
    add("compare--quarters=0", experiment, (*quick, "--quarters", "0"), "--quarters")
    add("compare--quarters=past_horizon", experiment, (*quick, "--quarters", "3"), "--quarters")
    add("compare--seed=-1", experiment, (*quick, "--seed", "-1"), "--seed")
    add("compare--scenario=missing", experiment,
        ("compare", "hands_off", "coach", "--scenario", "no_such.toml", "-n", "2",
         "--workers", "1", "--quiet"), "no_such.toml")
    add("compare--workers=0", experiment, (*compare, "-n", "2", "--workers", "0"), "--workers")
    add("compare--out=a_file", {**experiment, "notes.txt": "mine"},
        (*quick, "--out", "notes.txt"), "--out")
    add("report-missing_folder", {}, ("report", "nothing"), "nothing")
    add("report-corrupt_store", {"broken/store.sqlite": b"not a database at all" * 10},
        ("report", "broken"), "store.sqlite")
    return cases


# --- plugin files --------------------------------------------------------------------------------


def plugin_cases() -> list[Case]:
    """--plugin files that cannot be loaded: each fails in one line naming --plugin and the
    file, before anything runs."""
    sources: dict[str, tuple[FileContent | None, tuple[str, ...]]] = {
        "syntax_error": ("def broken(:\n", ("SyntaxError",)),
        "raises": ("raise RuntimeError('no database configured')\n", ("RuntimeError",)),
        "raises_multiline": ("raise RuntimeError('first line\\nsecond line')\n",
                             ("RuntimeError",)),
        "raises_ansi": ("raise RuntimeError('\\x1b[2J\\x1b[31mred\\x07')\n", ("RuntimeError",)),
        "raises_100000_characters": ("raise RuntimeError('e' * 100_000)\n", ("RuntimeError",)),
        "imports_missing_module": ("import a_module_that_does_not_exist_anywhere\n",
                                   ("ModuleNotFoundError",)),
        "exit_0": ("import sys\nsys.exit(0)\n", ("SystemExit",)),
        "exit_3": ("import sys\nsys.exit(3)\n", ("SystemExit",)),
        "exit_message": ("import sys\nsys.exit('bye')\n", ("SystemExit",)),
        "recursion": ("def f():\n    return f()\nf()\n", ("RecursionError",)),
        "registers_a_builtin_name": (
            "from simulation import strategies\n"
            "strategies.register('coach', lambda observation, hours: hours)\n", ()),
        "registers_a_bad_name": (
            "from simulation import strategies\n"
            "strategies.register('my strategy', lambda observation, hours: hours)\n", ()),
        "invalid_utf8": (b"x = '\xff\xfe'\n", ()),
        "missing": (None, ()),
        "folder": (FOLDER, ()),
    }
    cases = []
    for name, (content, names) in sources.items():
        plugin = f"plugin_{name}.py"
        files: dict[str, FileContent] = {SCENARIO: SMALL_SCENARIO}
        if content is not None:
            files[plugin] = content
        cases.append(Case(f"plugin-{name}", "plugin", files,
                          ("--plugin", plugin, "run", SCENARIO, "--out", "out"),
                          names=("--plugin", plugin, *names)))
    for plugin, content in (("plugin.txt", "x = 1\n"), ("plugin.toml", SMALL_SCENARIO)):
        cases.append(Case(f"plugin-not_python-{plugin}", "plugin",
                          {SCENARIO: SMALL_SCENARIO, plugin: content},
                          ("--plugin", plugin, "run", SCENARIO, "--out", "out"),
                          names=("--plugin", plugin)))
    return cases


# --- workshop levers -----------------------------------------------------------------------------


def lever_cases() -> list[Case]:
    """Every lever of the workshop page below and above its range, not a number, not
    finite; unknown levers; unknown strategies."""
    from simulation.workshop.levers import LEVERS, STRATEGY, STRUCTURE

    quarters = 12  # the preset's run; quarter levers end there
    cases: list[Case] = []

    def add(name: str, levers: dict[str, Any], lever: str) -> None:
        cases.append(Case(f"lever-{name}", "lever", {}, levers=tuple(levers.items()),
                          names=(lever,)))

    for name, lever in LEVERS.items():
        high = quarters if lever.quarter else lever.high
        step = 1 if lever.whole else lever.step
        for kind, value in (("below", lever.low - step), ("above", high + step),
                            ("text", "lots"), ("none", None), ("nan", math.nan),
                            ("inf", math.inf), ("list", [lever.low]), ("huge", 10**400)):
            if value is None and lever.optional:
                continue  # an optional lever's None is "auto" (the model decides): allowed
            add(f"{name}-{kind}", {name: value}, name)
        if lever.whole:
            add(f"{name}-fraction", {name: lever.low + 0.5}, name)
        add(f"{name}-misspelt", {near_miss(name): lever.low}, near_miss(name))
    for kind, value in (("unknown", "charisma"), ("number", 5), ("empty", ""),
                        ("100000_characters", "s" * 100_000), ("ansi", "\x1b[31mcoach")):
        add(f"{STRATEGY}-{kind}", {STRATEGY: value}, STRATEGY)
    for kind, value in (("unknown", "ring"), ("empty", ""), ("number", 5), ("none", None),
                        ("list", ["complete"]), ("100000_characters", "s" * 100_000),
                        ("ansi", "\x1b[31mcomplete"), ("explicit_without_ties", "explicit")):
        add(f"{STRUCTURE}-{kind}", {STRUCTURE: value}, STRUCTURE)
    add("team_size-too_small_for_subgroups", {STRUCTURE: "subgroups", "team_size": 1},
        "team_size")
    add("unknown_lever_ansi", {"\x1b[2Jcharisma": 1.0}, "charisma")
    return cases


@cache
def cases() -> tuple[Case, ...]:
    """The whole corpus, in category order; ids are unique."""
    found = (scenario_key_cases() + scenario_file_cases() + cross_key_cases()
             + organisation_cases() + experiment_cases() + flag_cases() + plugin_cases()
             + lever_cases())
    duplicates = [name for name, count in Counter(c.id for c in found).items() if count > 1]
    if duplicates:
        raise ValueError(f"duplicate case ids: {duplicates[:5]}")
    return tuple(found)


# --- the runner of cases that need a process of their own ----------------------------------------


def run_in_child(argv: tuple[str, ...], folder: str, capture: str, memory: int) -> None:
    """In a fresh process: run `teamsim argv` in ``folder`` as the console script would
    (an uncaught exception prints its traceback), its standard output and error going to
    files in ``capture``, its exit code and the seconds it took to ``capture``/code. The
    process leads its own
    process group (so that a time limit can end any workers it started) and may use at
    ``memory`` bytes of address space beyond what it holds at the start (so that a runaway
    design fails instead of taking the machine)."""
    import io
    import resource
    import time
    import traceback

    began = time.monotonic()
    os.setsid()
    os.chdir(folder)
    with open("/proc/self/statm", encoding="ascii") as file:
        held = int(file.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (held + memory, held + memory))
    for fd, name in ((1, "out"), (2, "err")):
        target = os.open(os.path.join(capture, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(target, fd)
        os.close(target)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True)
    from simulation import cli

    try:
        code = cli.main(list(argv))
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if done.code is not None and not isinstance(done.code, int):
            print(done.code, file=sys.stderr)
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    with open(os.path.join(capture, "code"), "w", encoding="utf-8") as file:
        file.write(f"{code} {time.monotonic() - began:.3f}")
    os._exit(0)


def main() -> None:
    """Print the number of cases per category."""
    counts = Counter(case.category for case in cases())
    for category in CATEGORIES:
        print(f"{category:<12} {counts[category]:>5}")
    print(f"{'total':<12} {sum(counts.values()):>5}")
    print(f"{'in a process':<12} {sum(case.process for case in cases()):>5}")


if __name__ == "__main__":
    main()

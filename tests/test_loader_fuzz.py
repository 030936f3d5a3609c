"""Fuzzing the scenario and experiment loaders (hypothesis): whatever a file contains, the
loader returns a configuration or raises ConfigError with one short, printable line naming
the file; never another exception, never a hang.

Every example starts from a shipped scenario or experiment file and mutates it: keys
deleted, unknown keys added, values of other types, numbers at and beyond their limits,
related values out of step (stretches ending before they start, withdrawals past the
horizon), dotted grid and sample keys bent out of shape, and bytes inserted, deleted, flipped
or cut off. The mutated document is written back as TOML by the small writer below (or as
mutated raw bytes) into the test's folder and loaded as the command line loads it.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
import os
import signal
import tomllib
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from toml_text import Raw, toml_string, toml_value

from simulation.experiments.experiment_files import (
    ExperimentConfig,
    PrecisionConfig,
    SampleConfig,
    load_experiment,
)
from simulation.model.config import WEEKS_PER_QUARTER, ScenarioConfig
from simulation.model.scenario_files import ConfigError, load_scenario
from simulation.model.strategies import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted(path for path in (ROOT / "scenarios").glob("*.toml")
                        if "[[teams]]" not in path.read_text(encoding="utf-8"))
"""The shipped scenarios (organisation files are tested in test_organisation.py)."""
EXPERIMENT_FILES = sorted((ROOT / "experiments").glob("*.toml"))
RAW = {path: path.read_bytes() for path in SCENARIO_FILES + EXPERIMENT_FILES}
PARSED = {path: tomllib.loads(raw.decode("utf-8")) for path, raw in RAW.items()}

MAX_MESSAGE = 300
"""The most characters a one-line error message may have."""

HANG_SECONDS = 3.0
"""A load still running after this long is a hang (the deadline is reported after a load
returns; this alarm makes a load that never returns fail too)."""


def fuzz(examples: int) -> settings:
    """Deterministic and bounded for CI: a fixed search of ``examples`` files, two seconds
    each (the counts below keep the whole file well under a minute on two cores when the
    loaders pass; an experiment costs more, as each grid value is checked against its base
    scenario)."""
    return settings(
        max_examples=examples,
        deadline=2000,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large],
    )


# --- the property ---------------------------------------------------------------------------


class LoaderHung(Exception):
    """A load that did not finish within HANG_SECONDS."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise LoaderHung in the block if it runs longer than ``seconds`` (where the platform
    has interval timers; elsewhere the hypothesis deadline alone applies)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def hung(signum: int, frame: Any) -> None:
        raise LoaderHung(f"the load did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


LOADERS: dict[str, Callable[..., Any]] = {"scenario": load_scenario,
                                          "experiment": load_experiment}


def assert_loads_or_fails_in_one_short_line(kind: str, path: Path) -> None:
    """The property: a configuration, or a ConfigError whose message is one printable line
    of at most MAX_MESSAGE characters naming the file. Any other exception fails."""
    try:
        with time_limit(HANG_SECONDS):
            LOADERS[kind](path, strategy_exists=REGISTRY.__contains__)
    except ConfigError as error:
        message = str(error)
        head = message[:200]
        assert str(path) in message, f"the message does not name the file: {head!r}"
        assert len(message.splitlines()) == 1, f"not one line: {head!r}"
        assert len(message) <= MAX_MESSAGE, f"{len(message):,} characters: {head!r}..."
        unprintable = sorted({char for char in message if not char.isprintable()})
        assert not unprintable, f"unprintable {unprintable!r} in {head!r}"


# --- a small TOML writer --------------------------------------------------------------------


def toml_document(document: dict[str, Any]) -> str:
    """A document as TOML: each table's plain values, then its sub-tables under headers."""
    lines: list[str] = []

    def table(path: tuple[str, ...], data: dict[str, Any]) -> None:
        for key, value in data.items():
            if not isinstance(value, dict):
                lines.append(f"{toml_string(key)} = {toml_value(value)}")
        for key, value in data.items():
            if isinstance(value, dict):
                lines.append("[" + ".".join(toml_string(part) for part in (*path, key)) + "]")
                table((*path, key), value)

    table((), document)
    return "\n".join(lines) + "\n"


# --- what the configurations take -----------------------------------------------------------


def field_paths(cls: type, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], tuple]:
    """Every field of a configuration class and its tables: path -> (type hint, metadata)."""
    hints = typing.get_type_hints(cls)
    paths: dict[tuple[str, ...], tuple] = {}
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        path = (*prefix, field.name)
        paths[path] = (hint, field.metadata)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            paths.update(field_paths(hint, path))
    return paths


SCENARIO_FIELDS = field_paths(ScenarioConfig)
EXPERIMENT_FIELDS = {
    **{path: spec for path, spec in field_paths(ExperimentConfig).items()
       if path[0] not in ("base_configs", "source")},
    **field_paths(SampleConfig, ("sample",)),
    **field_paths(PrecisionConfig, ("precision",)),
}
FIELDS = {"scenario": SCENARIO_FIELDS, "experiment": EXPERIMENT_FIELDS}
DOTTED = sorted(".".join(path) for path in SCENARIO_FIELDS)
"""The dotted keys a grid or a sample may vary (and the tables, which it may not)."""


# --- values ---------------------------------------------------------------------------------

INT_EXTREMES = [0, 1, -1, 2, 3, 100, 101, 200, 201, 5200, 5201, 1_000_000, 1_000_001,
                2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**19, 10**309,
                -(10**309), 10**4000]
FLOAT_EXTREMES = [0.0, -0.0, 0.5, -0.5, 1.0, 1.5, 1e-12, 1e-300, 5e-324, -5e-324, 1e300,
                  -1e300, 1.7976931348623157e308, math.nan, math.inf, -math.inf]
TEXT_EXTREMES = [
    "", " ", "x" * 300, "x" * 5000, "x" * 100_000, "é" * 3000,
    "\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\x1b[2J\x1b[H", "\x1bc", "\x9b31m",
    "a\nb", "a\r\nb", "a\rb", "\t", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x7f", "\x85",
    "\u2028", "\u2029", "\u202e", "\u200b", "\ufeff", "\U0010ffff", "\U000e0041",
    "é", "日本語", "🙂", "Ω≈ç√", "../..", "/", ".", "..", "./x", "a/b.toml", "x.toml",
    "baseline", "hands_off", "coach", "team_output", "sobol", "latin_hypercube", "motivation",
    "nan", "inf", "1", "true", "[1]", "{}", "#", "=", '"', "\\", "'", "%s%n{0}",
]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=24)
DEEP = [1, 10, 100, 300, 490, 500, 999, 1000, 1001, 3000, 20_000, 100_000]
RAW_EXTREMES = (
    [Raw("[" * depth + "]" * depth) for depth in DEEP]
    + [Raw("[" * depth + "1" + "]" * depth) for depth in (400, 2000)]
    + [Raw("{a = " * depth + "1" + "}" * depth) for depth in (300, 1000, 5000)]
    + [Raw("1" + "0" * digits) for digits in (4299, 4300, 5000)]
    + [Raw("-1" + "0" * 4300), Raw("0x" + "F" * 5000), Raw("0o7777777777777777777777"),
       Raw("1e400"), Raw("-1e400"), Raw("+nan"), Raw("-nan"), Raw("+inf"), Raw("1_000"),
       Raw("0.1e-400"), Raw("'\x1b[31m literal'"), Raw("'''\nmulti\nline'''"),
       Raw('"""\n\x1b[31m\n"""')]
)

NUMBERS = st.one_of(st.integers(), st.sampled_from(INT_EXTREMES), st.floats(),
                    st.sampled_from(FLOAT_EXTREMES))
SCALARS = st.one_of(
    NUMBERS,
    st.booleans(),
    TEXT,
    st.sampled_from(TEXT_EXTREMES),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.sampled_from(RAW_EXTREMES),
)
KEYS = st.one_of(TEXT, st.sampled_from(TEXT_EXTREMES), st.sampled_from(DOTTED),
                 st.sampled_from(sorted({path[-1] for path in SCENARIO_FIELDS})))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=8,
)


def boundaries(hint: Any, meta: typing.Mapping[str, Any]) -> list[Any]:
    """A field's limits, just inside and just beyond them, in its type and the other one."""
    out: list[Any] = []
    for limit in (meta.get("low"), meta.get("high")):
        if limit is None:
            continue
        out += [limit, limit - 1, limit + 1, float(limit), limit - 0.5, limit + 0.5,
                math.nextafter(float(limit), -math.inf), math.nextafter(float(limit), math.inf)]
        if hint is int:
            out += [int(limit), int(limit) - 1, int(limit) + 1]
    return out


def values_for(kind: str, path: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Values for a known field: its boundaries, extremes, or anything at all."""
    hint, meta = FIELDS[kind][path]
    near = boundaries(hint, meta)
    options = [VALUES, NUMBERS, st.sampled_from(TEXT_EXTREMES), st.sampled_from(RAW_EXTREMES)]
    if near:
        options.insert(0, st.sampled_from(near))
    if meta.get("choices"):
        options.append(st.sampled_from(list(meta["choices"])))
    return st.one_of(*options)


# --- structural mutations -------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]
Files = dict[str, Any]
"""Extra files beside the one loaded: name -> TOML text, b"" bytes, "folder" or "fifo"."""


def all_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Paths to every value in a document (keys of tables, indices of lists)."""
    paths: list[tuple] = []
    items = (node.items() if isinstance(node, dict)
             else enumerate(node) if isinstance(node, list) else ())
    for key, value in items:
        paths.append((*prefix, key))
        paths += all_paths(value, (*prefix, key))
    return paths


def table_paths(document: dict[str, Any]) -> list[tuple]:
    return [()] + [path for path in all_paths(document)
                   if isinstance(get_path(document, path), dict)]


def get_path(document: Any, path: tuple) -> Any:
    for part in path:
        document = document[part]
    return document


def set_path(document: dict[str, Any], path: tuple, value: Any) -> None:
    """Set a value, making (or replacing with) tables on the way."""
    node: Any = document
    for part, following in itertools.pairwise(path):
        child = node.get(part) if isinstance(node, dict) else node[part]
        if isinstance(following, str) and not isinstance(child, dict):
            node[part] = {}  # (an index follows only along paths that exist)
        node = node[part]
    node[path[-1]] = copy.deepcopy(value)  # never the strategies' own lists


def delete_key(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    paths = all_paths(document)
    if paths:
        path = draw(st.sampled_from(paths))
        del get_path(document, path[:-1])[path[-1]]


def add_unknown_key(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    table = get_path(document, draw(st.sampled_from(table_paths(document))))
    table[draw(KEYS)] = copy.deepcopy(draw(VALUES))


def replace_value(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    paths = all_paths(document)
    if paths:
        set_path(document, draw(st.sampled_from(paths)), draw(VALUES))


def set_known_field(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    path = draw(st.sampled_from(sorted(FIELDS[kind])))
    set_path(document, path, draw(values_for(kind, path)))


def set_boundary(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    numeric = sorted(path for path, (hint, meta) in FIELDS[kind].items()
                     if meta.get("low") is not None or meta.get("high") is not None)
    path = draw(st.sampled_from(numeric))
    hint, meta = FIELDS[kind][path]
    value = draw(st.sampled_from(boundaries(hint, meta)))
    if path[-1] == "scheduled_crises":
        value = [value]
    set_path(document, path, value)


def horizon(document: dict[str, Any]) -> int:
    quarters = document.get("quarters")
    return quarters if isinstance(quarters, int) and not isinstance(quarters, bool) else 12


def scenario_out_of_step(draw: Draw, document: dict[str, Any], files: Files,
                         kind: str) -> None:
    """Related values that contradict each other or the horizon."""
    quarters = horizon(document)
    weeks = quarters * WEEKS_PER_QUARTER
    beyond = draw(st.sampled_from([quarters + 1, quarters + 50, 200, 201]))
    first, second = sorted(draw(st.lists(st.integers(1, 200), min_size=2, max_size=2)))
    changes: dict[tuple, Any] = draw(st.sampled_from([
        {("leader", "attention"): [{"from_quarter": second, "to_quarter": first,
                                    "level": 0.5}]},
        {("leader", "attention"): [{"from_quarter": beyond, "to_quarter": 0, "level": 0.2}]},
        {("leader", "attention"): [{"from_quarter": 1, "to_quarter": beyond, "level": 0.2}]},
        {("leader", "attention"): [{"from_quarter": 1, "to_quarter": 8, "level": 0.2},
                                   {"from_quarter": 4, "to_quarter": 6, "level": 0.9}]},
        {("leader", "attention"): [{"from_quarter": 2, "to_quarter": 2, "level": 0.0}] * 50},
        {("leader", "withdrawn_from_quarter"): beyond},
        {("leader", "withdrawn_from_quarter"): quarters, ("leader", "withdrawn_quarters"): 200},
        {("leader", "withdrawn_quarters"): beyond, ("leader", "withdrawn_from_quarter"): 0},
        {("leader", "systems_until_quarter"): beyond, ("leader", "systems_share"): 1.0},
        {("environment", "scheduled_crises"): [weeks + 1]},
        {("environment", "scheduled_crises"): [5200, 1, 5200]},
        {("environment", "scheduled_crises"): [weeks, 3, 3, 1]},
        {("environment", "crisis_weeks"): 52, "quarters": 1},
        {("environment", "crisis_hours"): 60.0, ("leader", "attention_hours"): 0.0},
        {("team", "capability"): 0.9, ("team", "capability_ceiling"): 0.1},
        {("team", "capability"): 1.0, ("team", "capability_ceiling"): 0.0},
        {("team", "new_hire_capability"): 1.0, ("team", "capability_ceiling"): 0.2},
        {("team", "tenure_years"): 0.0, ("team", "tenure_years_sd"): 20.0},
        {("team", "size"): 1, ("team", "capability_sd"): 0.5},
        {("quarters",): 1},
        {("quarters",): 100, ("leader", "withdrawn_from_quarter"): 200},
    ]))
    for path, value in changes.items():
        set_path(document, path if isinstance(path, tuple) else (path,), value)


SCENARIO_NAMES = st.one_of(
    st.sampled_from(["baseline", "beside.toml", "nope", "nope.toml", "", ".", "..", "/",
                     "a\x00.toml", "a\x00", "\x1b[31m.toml", "x" * 300, "x" * 5000 + ".toml",
                     "folder.toml", "pipe.toml", "experiment.toml", "empty.toml",
                     "scenarios/baseline.toml", str(ROOT / "scenarios" / "baseline.toml"),
                     "sub/../beside.toml"]),
    TEXT,
    st.sampled_from(TEXT_EXTREMES),
)
DOTTED_KEYS = st.one_of(
    st.sampled_from(DOTTED),
    st.sampled_from(["", ".", "..", "leader.", ".leader", "leader..attention_hours",
                     "leader.attention_hours.x", "leader.attention.0",
                     "leader.attention[0].level", "parameters.nope", "nope", "__class__",
                     "team.__dict__", "Leader.Attention_Hours", " leader.attention_hours",
                     "leader .attention_hours", "leader.attention_hours\n",
                     "leader." + "x" * 5000, "\x1b[31m.x", "team.size.real"]),
    st.builds(str.__add__, st.sampled_from(DOTTED),
              st.sampled_from([".x", ".", " ", "\x1b[31m", "\n", "\x00", "x" * 5000])),
    TEXT,
    st.sampled_from(TEXT_EXTREMES),
)
GRID_VALUES = st.one_of(st.lists(st.one_of(NUMBERS, VALUES), max_size=5), VALUES)
BOUNDS = st.one_of(st.lists(NUMBERS, max_size=3), st.tuples(NUMBERS, NUMBERS).map(list),
                   st.sampled_from([[0, 1], [1, 0], [0.5, 0.5], [0.5, 200], [-math.inf, 5],
                                    [math.nan, 1], [1e300, 1e301], [0, 10**400],
                                    [Raw("0"), Raw("1" + "0" * 5000)]]),
                   VALUES)


def tables_of(document: dict[str, Any], *path: str) -> dict[str, Any]:
    """The table at a path, made (or made a table) if it is not one."""
    node = document
    for part in path:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    return node


def bend_dotted_keys(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    """A grid or sample key added, renamed or given odd values."""
    if draw(st.booleans()):
        table = tables_of(document, "grid")
        values = GRID_VALUES
    else:
        sample = tables_of(document, "sample")
        if draw(st.booleans()):
            sample.setdefault("method", draw(st.sampled_from(["sobol", "latin_hypercube"])))
            sample.setdefault("size", draw(st.sampled_from([1, 3, 4, 16, 1024])))
        table = tables_of(document, "sample", "bounds")
        values = BOUNDS
    if table and draw(st.booleans()):
        old = draw(st.sampled_from(sorted(table)))
        kept = table.pop(old)
        table[draw(DOTTED_KEYS)] = kept if draw(st.booleans()) else copy.deepcopy(draw(values))
    else:
        table[draw(DOTTED_KEYS)] = copy.deepcopy(draw(values))


def experiment_out_of_step(draw: Draw, document: dict[str, Any], files: Files,
                           kind: str) -> None:
    """Related experiment values that contradict each other or the base's horizon."""
    changes: dict[str, Any] = draw(st.sampled_from([
        {"quarters": [13]}, {"quarters": [0]}, {"quarters": [-1, 4]}, {"quarters": [4, 4]},
        {"quarters": [12, 4]}, {"quarters": []}, {"quarters": [101]},
        {"precision": {"outcome": "team_output", "quarter": 13, "half_width": 0.05,
                       "max_replications": 2}},
        {"precision": {"outcome": "team_output", "quarter": 1000}},
        {"precision": {"outcome": "departures"}, "outcomes": ["trust_mean"]},
        {"sample": {"method": "sobol", "size": 3,
                    "bounds": {"leader.attention_hours": [2, 8]}}},
        {"sample": {"method": "sobol", "size": 2**20,
                    "bounds": {"leader.attention_hours": [2, 8]}}},
        {"sample": {"size": 0, "bounds": {"leader.attention_hours": [8, 2]}}},
        {"sample": {"bounds": {"quarters": [0.5, 200]}}},
        {"sample": {"bounds": {"quarters": [-math.inf, 5]}}},
        {"sample": {"bounds": {"team.size": [0, 1e6]}}},
        {"sample": {"bounds": {"team.size": [-math.inf, math.inf]}}},
        {"sample": {"bounds": {"leader.attention_hours": [1e300, 1e301]}}},
        {"sample": {"bounds": {"leader.attention_hours": [0, 10**400]}}},
        {"sample": {"bounds": {}}},
        {"grid": {"leader.attention_hours": [2, 4]},
         "sample": {"bounds": {"leader.attention_hours": [2, 8]}}},
        {"grid": {"quarters": [1, 200]}}, {"grid": {"quarters": [0]}},
        {"grid": {"quarters": [1]}, "quarters": [12]},
        {"grid": {"leader.withdrawn_from_quarter": [200]}},
        {"grid": {"leader.attention_hours": [2, 2, 2]}},
        {"reference": "no such setting"}, {"reference": "x" * 5000},
        {"strategies": ["coach", "coach"]}, {"strategies": ["nope"]}, {"strategies": []},
        {"strategies": "coach"}, {"strategies": ["\x1b[31mcoach"]},
        {"outcomes": ["nope"]}, {"outcomes": []}, {"outcomes": ["team_output"] * 2},
        {"scenarios": []}, {"scenarios": ["baseline", "baseline"]},
        {"replications": 0}, {"seed": -1}, {"seed": 2**63},
    ]))
    document.update(copy.deepcopy(changes))


def other_scenarios(draw: Draw, document: dict[str, Any], files: Files, kind: str) -> None:
    """Base scenarios by odd names, or a mutated scenario file beside the experiment."""
    files["beside.toml"] = draw(mutated_documents("scenario")).text
    files["folder.toml"] = "folder"
    files["empty.toml"] = b""
    if hasattr(os, "mkfifo"):
        files["pipe.toml"] = "fifo"
    document["scenarios"] = draw(st.lists(SCENARIO_NAMES, min_size=1, max_size=3)
                                 | st.sampled_from([["beside.toml"],
                                                    ["baseline", "beside.toml"]]))


MUTATIONS: dict[str, list[Callable[..., None]]] = {
    "scenario": [delete_key, add_unknown_key, replace_value, set_known_field, set_boundary,
                 scenario_out_of_step],
    "experiment": [delete_key, add_unknown_key, replace_value, set_known_field, set_boundary,
                   bend_dotted_keys, experiment_out_of_step, other_scenarios],
}


@dataclasses.dataclass
class FuzzedFile:
    """A file to load (TOML text or raw bytes) and the files beside it."""

    text: str | bytes
    beside: Files = dataclasses.field(default_factory=dict)

    def __repr__(self) -> str:
        def cut(content: Any) -> str:
            if isinstance(content, str | bytes) and len(content) > 1500:
                return f"{content[:1000]!r} ... {content[-200:]!r} ({len(content):,} long)"
            return repr(content)
        beside = ", ".join(f"{name!r}: {cut(content)}" for name, content in self.beside.items())
        return f"FuzzedFile(text={cut(self.text)}, beside={{{beside}}})"


@st.composite
def mutated_documents(draw: Draw, kind: str) -> FuzzedFile:
    """A shipped file of a kind with one to three structural mutations, written as TOML."""
    shipped = SCENARIO_FILES if kind == "scenario" else EXPERIMENT_FILES
    document = copy.deepcopy(PARSED[draw(st.sampled_from(shipped))])
    files: Files = {}
    for _ in range(draw(st.integers(1, 3))):
        draw(st.sampled_from(MUTATIONS[kind]))(draw, document, files, kind)
    return FuzzedFile(toml_document(document), files)


# --- byte-level mutations -------------------------------------------------------------------

SNIPPETS = [
    b"\xef\xbb\xbf", b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x80\xa8", b"\x1b[31m",
    b"\r", b"\r\n", b"\n", b"\t", b'"', b"'", b'"""', b"'''", b"[", b"]", b"[[", b"]]", b"{",
    b"}", b"=", b" = ", b"#", b".", b",", b"\\", b"\\u0000", b"\\u001b", b"\\UFFFFFFFF",
    b"\\uD800", b"1e400", b"nan", b"-inf", b"0x", b"9" * 5000, b"[" * 5000, b"{a=" * 5000,
    b"\n[" + b"a." * 3000 + b"a]\n", b"\na" + b".a" * 3000 + b" = 1\n",
    b'\n"\x1b[31m" = 1\n', b'\n"\\u001b[31m" = 1\n', b'\nx = "' + b"y" * 100_000 + b'"\n',
    b"\n[parameters]\nnope = 1\n", b'\nname = "' + b"n" * 5000 + b'"\n',
    b"\nquarters = 1" + b"0" * 5000 + b"\n", b"\n[[leader.attention]]\nfrom_quarter = 9\n",
]


@st.composite
def byte_mutations(draw: Draw, data: bytes) -> bytes:
    """One to four byte-level changes: insertions, deletions, flips, cuts, a BOM."""
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "snippet", "delete", "flip", "replace",
                                          "truncate", "bom", "duplicate_line", "swap_lines"]))
        if operation == "insert":
            data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
        elif operation == "snippet":
            data = data[:position] + draw(st.sampled_from(SNIPPETS)) + data[position:]
        elif operation == "delete":
            data = data[:position] + data[position + draw(st.integers(1, 64)):]
        elif operation == "flip" and position < len(data):
            flipped = data[position] ^ (1 << draw(st.integers(0, 7)))
            data = data[:position] + bytes([flipped]) + data[position + 1:]
        elif operation == "replace" and position < len(data):
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1:]
        elif operation == "truncate":
            data = data[:position]
        elif operation == "bom":
            data = b"\xef\xbb\xbf" + data
        elif operation in ("duplicate_line", "swap_lines"):
            lines = data.split(b"\n")
            first = draw(st.integers(0, len(lines) - 1))
            second = draw(st.integers(0, len(lines) - 1))
            if operation == "duplicate_line":
                lines.insert(second, lines[first])
            else:
                lines[first], lines[second] = lines[second], lines[first]
            data = b"\n".join(lines)
    return data


@st.composite
def byte_mutated_files(draw: Draw, kind: str) -> FuzzedFile:
    """A shipped file's bytes (or a structurally mutated one's), mutated byte by byte."""
    shipped = SCENARIO_FILES if kind == "scenario" else EXPERIMENT_FILES
    if draw(st.integers(0, 3)) == 0:
        start = draw(mutated_documents(kind))
    else:
        start = FuzzedFile(RAW[draw(st.sampled_from(shipped))])
    data = start.text if isinstance(start.text, bytes) else start.text.encode("utf-8")
    return FuzzedFile(draw(byte_mutations(data)), start.beside)


def write(folder: Path, kind: str, fuzzed: FuzzedFile) -> Path:
    """Write the fuzzed file (and those beside it) into a fresh folder; its path."""
    for old in folder.iterdir():
        if old.is_dir() and not old.is_symlink():
            old.rmdir()
        else:
            old.unlink()
    for name, content in fuzzed.beside.items():
        target = folder / name
        if content == "folder":
            target.mkdir()
        elif content == "fifo":
            os.mkfifo(target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    path = folder / f"{kind}.toml"
    text = fuzzed.text
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def fuzz_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    return folder


# --- the tests ------------------------------------------------------------------------------


def test_there_are_shipped_files_to_start_from() -> None:
    assert len(SCENARIO_FILES) >= 10
    assert len(EXPERIMENT_FILES) >= 5


@pytest.mark.parametrize("path", SCENARIO_FILES + EXPERIMENT_FILES, ids=lambda path: path.name)
def test_the_toml_writer_round_trips_every_shipped_file(path: Path) -> None:
    # The mutations are written by this writer: a mistake in it would make every example a
    # syntax error and the fuzzing vacuous.
    assert tomllib.loads(toml_document(PARSED[path])) == PARSED[path]


@pytest.mark.parametrize("path", SCENARIO_FILES + EXPERIMENT_FILES, ids=lambda path: path.name)
def test_every_shipped_file_rewritten_still_loads(path: Path, tmp_path: Path) -> None:
    kind = "scenario" if path in SCENARIO_FILES else "experiment"
    written = write(fuzz_folder(tmp_path), kind, FuzzedFile(toml_document(PARSED[path])))
    LOADERS[kind](written, strategy_exists=REGISTRY.__contains__)


@fuzz(400)
@given(fuzzed=mutated_documents("scenario"))
def test_a_mutated_scenario_file_loads_or_fails_in_one_short_line(
        fuzzed: FuzzedFile, tmp_path: Path) -> None:
    path = write(fuzz_folder(tmp_path), "scenario", fuzzed)
    assert_loads_or_fails_in_one_short_line("scenario", path)


@fuzz(300)
@given(fuzzed=mutated_documents("experiment"))
def test_a_mutated_experiment_file_loads_or_fails_in_one_short_line(
        fuzzed: FuzzedFile, tmp_path: Path) -> None:
    path = write(fuzz_folder(tmp_path), "experiment", fuzzed)
    assert_loads_or_fails_in_one_short_line("experiment", path)


BOUNDS_TABLE = b'scenarios = ["baseline"]\n[sample]\n[sample.bounds]\n'
KNOWN_INPUTS = [
    # Inputs the issue names or this fuzzing found, tried first by both byte-level tests
    # (each file is a scenario to one test and an experiment to the other).
    FuzzedFile(b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n"),
    FuzzedFile(b"x = " + b"{a = " * 1000 + b"1" + b"}" * 1000 + b"\n"),
    FuzzedFile(b"\xef\xbb\xbf" + RAW[SCENARIO_FILES[0]]),
    FuzzedFile(b'quarters = "' + b"x" * 100_000 + b'"\n'),
    FuzzedFile(b'"\\u001b[31m" = 1\n'),
    FuzzedFile(b"[parameters]\nnope = 1\n"),
    FuzzedFile(b'name = "' + b"n" * 5000 + b'"\n'),
    FuzzedFile(b"quarters = 1" + b"0" * 4300 + b"\n"),
    FuzzedFile(b"quarters = 0x" + b"F" * 5000 + b"\n"),
    FuzzedFile(b"[leader]\nattention_hours = 1" + b"0" * 400 + b"\n"),
    FuzzedFile(BOUNDS_TABLE + b'"team.size" = [-inf, inf]\n'),
    FuzzedFile(BOUNDS_TABLE + b'"quarters" = [-inf, 5]\n'),
    FuzzedFile(BOUNDS_TABLE + b'"leader.attention_hours" = [0, 1' + b"0" * 400 + b"]\n"),
    FuzzedFile(b'scenarios = ["a\\u0000.toml"]\n'),
    FuzzedFile(b'scenarios = ["' + b"x" * 300 + b'"]\n'),
    FuzzedFile(b'scenarios = ["' + b"x" * 300 + b'.toml"]\n'),
    FuzzedFile(b'scenarios = ["nope"]\n'),
    FuzzedFile(b'scenarios = ["pipe.toml"]\n', {"pipe.toml": "fifo"} if hasattr(os, "mkfifo")
               else {}),
]


def with_known_inputs(test: Callable[..., None]) -> Callable[..., None]:
    for fuzzed in reversed(KNOWN_INPUTS):
        test = example(fuzzed=fuzzed)(test)
    return test


@fuzz(600)
@with_known_inputs
@given(fuzzed=byte_mutated_files("scenario"))
def test_a_byte_mutated_scenario_file_loads_or_fails_in_one_short_line(
        fuzzed: FuzzedFile, tmp_path: Path) -> None:
    path = write(fuzz_folder(tmp_path), "scenario", fuzzed)
    assert_loads_or_fails_in_one_short_line("scenario", path)


@fuzz(600)
@with_known_inputs
@given(fuzzed=byte_mutated_files("experiment"))
def test_a_byte_mutated_experiment_file_loads_or_fails_in_one_short_line(
        fuzzed: FuzzedFile, tmp_path: Path) -> None:
    path = write(fuzz_folder(tmp_path), "experiment", fuzzed)
    assert_loads_or_fails_in_one_short_line("experiment", path)

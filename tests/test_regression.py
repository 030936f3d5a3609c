"""Every shipped scenario against committed reference values (regression).

The reference holds, for each shipped scenario, the quarterly outcomes of replication 0
of seed 1. A change that moves any of them fails here; when the change is intended (a
recalibration, a new mechanism), regenerate the reference and commit it with the change:

    .venv/bin/python tests/test_regression.py --update

Re-blessing prints one line per scenario saying what it changed (unchanged; which
outcomes moved and by how much at most; new or removed scenarios), so that a commit moves
only the numbers it means to.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.replications import run_once
from simulation.model.scenario_files import load_scenario, shipped_scenarios

REFERENCE = Path(__file__).resolve().parent / "reference" / "scenarios.csv"
OUTCOMES = ["team_output", "capability_mean", "motivation_mean", "trust_mean",
            "accountability_mean", "psychological_safety", "breaches", "departures"]
SCENARIOS = sorted(shipped_scenarios())


def outcomes(name: str) -> pd.DataFrame:
    """The reference run of a shipped scenario: replication 0 of seed 1."""
    frame = run_once(load_scenario(name), seed=1, replication=0)
    return frame[["scenario", "quarter", *OUTCOMES]].assign(scenario=name)


@pytest.mark.parametrize("name", SCENARIOS)
def test_shipped_scenario_reproduces_its_reference_values(name):
    reference = pd.read_csv(REFERENCE)
    expected = reference[reference.scenario == name].reset_index(drop=True)
    assert len(expected) > 0, f"no reference for {name}: run this file with --update"
    measured = outcomes(name).reset_index(drop=True)
    for column in OUTCOMES:
        np.testing.assert_allclose(measured[column], expected[column], rtol=1e-9, atol=1e-12,
                                   err_msg=f"{name}: {column}")


RTOL, ATOL = 1e-9, 1e-12
"""How close a measured outcome must be to its reference: the tolerance of the test above."""


def summarise_changes(old: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    """One line per scenario (in name order) on what replacing reference ``old`` with
    ``new`` changes: unchanged (within the test's tolerance), which outcomes moved with the
    largest absolute and relative change, a changed number of quarters, or a scenario new
    to the reference or removed from it."""
    lines = []
    for name in sorted(set(old["scenario"]) | set(new["scenario"])):
        before = old[old["scenario"] == name].set_index("quarter").sort_index()
        after = new[new["scenario"] == name].set_index("quarter").sort_index()
        if before.empty:
            lines.append(f"{name}: new ({len(after)} quarters)")
        elif after.empty:
            lines.append(f"{name}: removed ({len(before)} quarters in the old reference)")
        elif not before.index.equals(after.index):
            lines.append(f"{name}: quarters changed from {len(before)} to {len(after)}")
        else:
            lines.append(f"{name}: {_moved(before, after)}")
    return lines


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> str:
    """What moved between two runs of one scenario over the same quarters."""
    moved, largest_abs, largest_rel = [], (0.0, "", 0), (0.0, "", 0)
    columns = [column for column in OUTCOMES if column in before and column in after]
    for column in columns:
        was = before[column].to_numpy(dtype=float)
        now = after[column].to_numpy(dtype=float)
        if np.allclose(now, was, rtol=RTOL, atol=ATOL):
            continue
        moved.append(column)
        change = np.abs(now - was)
        relative = np.divide(change, np.abs(was), where=was != 0,
                             out=np.where(change > 0, np.inf, 0.0))  # from 0: infinite
        worst, worst_rel = int(np.argmax(change)), int(np.argmax(relative))
        if change[worst] > largest_abs[0]:
            largest_abs = (float(change[worst]), column, int(before.index[worst]))
        if relative[worst_rel] > largest_rel[0]:
            largest_rel = (float(relative[worst_rel]), column, int(before.index[worst_rel]))
    missing = sorted(set(OUTCOMES) - set(columns))
    note = f" (not compared: {', '.join(missing)})" if missing else ""
    if not moved:
        return "unchanged" + note
    rel, rel_column, rel_quarter = largest_rel
    rel_text = "from 0" if np.isinf(rel) else f"{100 * rel:.3g}%"
    return (f"{len(moved)} outcome{'s' if len(moved) > 1 else ''} moved "
            f"({', '.join(moved)}); largest absolute change {largest_abs[0]:.3g} "
            f"({largest_abs[1]}, quarter {largest_abs[2]}); largest relative change "
            f"{rel_text} ({rel_column}, quarter {rel_quarter}){note}")


def update() -> None:
    """Rewrite the reference file from the current model, first printing what changes."""
    REFERENCE.parent.mkdir(exist_ok=True)
    text = pd.concat([outcomes(name) for name in SCENARIOS]).to_csv(index=False,
                                                                    float_format="%.15g")
    new = pd.read_csv(io.StringIO(text))  # compared as it will be written
    old = pd.read_csv(REFERENCE) if REFERENCE.exists() else new.iloc[:0]
    for line in summarise_changes(old, new):
        print(line)
    REFERENCE.write_text(text, encoding="utf-8")
    print(f"wrote {REFERENCE}")


def reference_frame(**scenarios: dict[str, list[float]]) -> pd.DataFrame:
    """A small reference: for each scenario, some outcomes by quarter (the rest 1.0)."""
    parts = []
    for name, columns in scenarios.items():
        quarters = len(next(iter(columns.values()))) if columns else 2
        part = pd.DataFrame({"scenario": name, "quarter": range(1, quarters + 1)})
        for column in OUTCOMES:
            part[column] = columns.get(column, [1.0] * quarters)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


OLD = reference_frame(steady={}, moving={"team_output": [2.0, 4.0], "trust_mean": [0.5, 0.5],
                                         "breaches": [0.0, 0.0]},
                      dropped={}, shortened={"team_output": [1.0, 1.0, 1.0]})
NEW = reference_frame(steady={"team_output": [1.0 + 1e-12, 1.0]},
                      moving={"team_output": [2.0, 5.0], "trust_mean": [0.5, 0.49],
                              "breaches": [0.0, 1.0]},
                      added={}, shortened={"team_output": [1.0, 1.0]})


def test_reblessing_summarises_what_changed_one_line_per_scenario():
    assert summarise_changes(OLD, NEW) == [
        "added: new (2 quarters)",
        "dropped: removed (2 quarters in the old reference)",
        "moving: 3 outcomes moved (team_output, trust_mean, breaches); largest absolute "
        "change 1 (team_output, quarter 2); largest relative change from 0 (breaches, "
        "quarter 2)",
        "shortened: quarters changed from 3 to 2",
        "steady: unchanged",
    ]


def test_the_largest_relative_change_is_reported_where_it_is():
    old = reference_frame(one={"team_output": [2.0, 40.0], "trust_mean": [0.5, 0.5]})
    new = reference_frame(one={"team_output": [2.0, 41.0], "trust_mean": [0.4, 0.5]})
    assert summarise_changes(old, new) == [
        "one: 2 outcomes moved (team_output, trust_mean); largest absolute change 1 "
        "(team_output, quarter 2); largest relative change 20% (trust_mean, quarter 1)"]
    assert summarise_changes(old, old) == ["one: unchanged"]


def test_update_prints_the_summary_and_then_writes_the_new_reference(
        tmp_path, monkeypatch, capsys):
    module = sys.modules[__name__]
    reference = tmp_path / "reference" / "scenarios.csv"
    reference.parent.mkdir()
    OLD.to_csv(reference, index=False)
    monkeypatch.setattr(module, "REFERENCE", reference)
    names = ["added", "moving", "shortened", "steady"]
    monkeypatch.setattr(module, "SCENARIOS", names)
    monkeypatch.setattr(module, "outcomes",
                        lambda name: NEW[NEW["scenario"] == name].reset_index(drop=True))
    update()
    printed = capsys.readouterr().out.splitlines()
    assert printed == [*summarise_changes(OLD, NEW), f"wrote {reference}"]
    written = pd.read_csv(reference)
    expected = pd.concat([NEW[NEW["scenario"] == name] for name in names], ignore_index=True)
    pd.testing.assert_frame_equal(written, expected, check_dtype=False, rtol=1e-14)
    update()  # blessing the same numbers again changes nothing
    assert capsys.readouterr().out.splitlines() == [
        "added: unchanged", "moving: unchanged", "shortened: unchanged", "steady: unchanged",
        f"wrote {reference}"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_regression.py --update")
    update()

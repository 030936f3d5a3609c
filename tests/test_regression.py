"""Every shipped scenario against committed reference values (regression).

The reference holds, for each shipped scenario, the quarterly outcomes of replication 0
of seed 1. A change that moves any of them fails here; when the change is intended (a
recalibration, a new mechanism), regenerate the reference and commit it with the change:

    .venv/bin/python tests/test_regression.py --update
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.replications import run_once
from simulation.model.scenario import load_scenario, shipped_scenarios

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


def update() -> None:
    """Rewrite the reference file from the current model."""
    REFERENCE.parent.mkdir(exist_ok=True)
    pd.concat([outcomes(name) for name in SCENARIOS]).to_csv(REFERENCE, index=False,
                                                             float_format="%.15g")
    print(f"wrote {REFERENCE}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_regression.py --update")
    update()

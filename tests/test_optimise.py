"""Strategy optimisation: the search improves on where it starts, the comparison is
paired on fresh replications, and the verdict says plainly when the optimum is not
better."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis.optimise import (
    ALLOCATION,
    Objective,
    compare_with_built_ins,
    loss,
    optimise,
    verdict,
)
from simulation.model import interventions as iv
from simulation.model.scenario_files import load_scenario, with_overrides

CONFIG = with_overrides(load_scenario("baseline"), {"quarters": 3})


def mix(**shares: float) -> np.ndarray:
    weights = np.zeros(iv.COUNT)
    for name, share in shares.items():
        weights[iv.index(name)] = share
    return weights


def test_the_loss_ranks_a_useful_mix_above_pure_micromanagement():
    objective = Objective("team_output")
    useful = loss(mix(clarify=1, coach=1, remove_obstacles=1), CONFIG, 1, 6, objective)
    harmful = loss(mix(micromanage=1), CONFIG, 1, 6, objective)
    assert useful < harmful


def test_a_trust_floor_penalises_mixes_that_break_trust():
    free = Objective("team_output")
    floored = Objective("team_output", trust_floor=0.99)
    weights = mix(micromanage=1)
    assert loss(weights, CONFIG, 1, 4, floored) > loss(weights, CONFIG, 1, 4, free) + 1


def test_the_search_finds_a_mix_at_least_as_good_as_its_first_generation():
    messages = []
    optimum = optimise(CONFIG, Objective("team_output"), seed=3, replications=4, maxiter=2,
                       popsize=3, log=messages.append)
    assert abs(sum(optimum.mix.values()) - 1) < 1e-3
    values = [float(m.rsplit(" ", 1)[1]) for m in messages]
    assert values == sorted(values)  # the best objective never gets worse
    assert ALLOCATION in set(optimum.summary["label"])
    assert set(optimum.comparisons["other"]) >= {"hands_off", "diagnose_and_match"}
    assert optimum.verdict


def test_the_comparison_is_paired_on_the_same_replications():
    summary, comparisons = compare_with_built_ins(CONFIG, mix(coach=1), Objective(), 9, 5)
    assert (comparisons["reference"] == ALLOCATION).all()
    assert (comparisons["runs"] == 5).all()
    hands_off = summary.set_index("label").loc["hands_off", "team_output"]
    row = comparisons.set_index("other").loc["hands_off"]
    assert np.isclose(row["other_mean"], hands_off)


def comparison(low: float, high: float) -> pd.DataFrame:
    return pd.DataFrame({"other": ["coach"], "other_mean": [1.0], "difference": [
        (low + high) / 2], "low": [low], "high": [high]})


def test_the_verdict_says_plainly_when_the_optimum_is_not_better():
    assert "beats every built-in" in verdict(comparison(-0.3, -0.1), Objective())
    assert "NOT better" in verdict(comparison(0.1, 0.3), Objective())
    assert "NOT clearly better" in verdict(comparison(-0.1, 0.2), Objective())


def test_teamsim_optimise_prints_the_mix_and_the_verdict_and_writes_its_files(
        capsys, in_tmp_path):
    from conftest import teamsim

    scenario = in_tmp_path / "short.toml"
    scenario.write_text('name = "short"\nquarters = 2\n', encoding="utf-8")
    outcome = teamsim(capsys, "optimise", scenario, "-n", "3", "--maxiter", "1",
                      "--popsize", "2", "--out", in_tmp_path / "out")
    assert outcome.code == 0, outcome.err
    assert "Optimised allocation of the leader's hours" in outcome.out
    assert "better" in outcome.out
    assert sorted(p.name for p in (in_tmp_path / "out").iterdir()) == [
        "allocation.csv", "comparisons.csv", "optimum.png", "strategies.csv"]

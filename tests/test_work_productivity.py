"""The work's productivity (``work.productivity_sd``) and the record collective efficacy
follows: what makes team output differ between teams beyond their states, and how the
team's results feed back into what it believes it can do."""

from __future__ import annotations

import numpy as np
from conftest import make_state

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.model import team_climate
from simulation.model.config import Parameters
from simulation.model.randomness import draw_run_noise
from simulation.model.scenario_files import load_scenario, with_overrides

P = Parameters()


def test_the_work_draw_is_the_same_whatever_the_team_size_or_length():
    # First in the noise layout: replication k works in the same market at any size.
    draws = {(weeks, members): draw_run_noise(5, 3, weeks, members).work[0]
             for weeks in (13, 156) for members in (4, 12)}
    assert len(set(draws.values())) == 1


def test_productive_work_raises_team_output_not_what_members_put_in():
    config = load_scenario("baseline")
    flat = with_overrides(config, {"work.productivity_sd": 0.0, "quarters": 1})
    spread = with_overrides(config, {"work.productivity_sd": 0.4, "quarters": 1})
    plain, varied = TeamModel(flat, seed=2, replication=1), TeamModel(spread, seed=2,
                                                                      replication=1)
    plain.step()
    varied.step()
    np.testing.assert_array_equal(plain.last_output, varied.last_output)
    factor = np.exp(0.4 * varied.noise.work[0] - 0.4 ** 2 / 2)
    assert varied.record.team_output[0, 0] == np.float64(plain.record.team_output[0, 0]
                                                         * factor)


def test_productivity_spreads_teams_apart_around_the_same_mean():
    config = with_overrides(load_scenario("baseline"), {"quarters": 1})
    outputs = {sd: run_batch(with_overrides(config, {"work.productivity_sd": sd}), 9,
                             range(400)).quarterly_frame()["team_output"]
               for sd in (0.0, 0.3)}
    assert outputs[0.3].std() > 1.5 * outputs[0.0].std()
    assert abs(outputs[0.3].mean() / outputs[0.0].mean() - 1.0) < 0.05


def test_a_record_above_what_is_expected_supports_more_efficacy():
    expected = P.expected_output
    above = make_state(members=4, recent_output=1.4 * expected)
    at = make_state(members=4, recent_output=expected)
    below = make_state(members=4, recent_output=0.6 * expected)
    supported = [float(team_climate.record_efficacy(team, P)) for team in (above, at, below)]
    assert supported[0] > supported[1] == 0.5 > supported[2]
    # The same members' output in more productive work is a better record.
    assert team_climate.record_efficacy(at, P, productivity=1.3) > 0.5


def test_collective_efficacy_drifts_toward_the_record_not_to_neutral():
    strong = make_state(members=4, recent_output=1.5 * P.expected_output,
                        collective_efficacy=0.5)
    weak = make_state(members=4, recent_output=0.5 * P.expected_output,
                      collective_efficacy=0.5)
    none = np.zeros(())
    assert team_climate.efficacy_step(strong, none, none, P) > 0.5
    assert team_climate.efficacy_step(weak, none, none, P) < 0.5

"""Several teams (issue 13 item 9): an organisation file of teams and their leaders, a
leader of two teams whose attention moves between them and who tires over both, the
organisation-level inputs, outcomes per team and for the organisation, both engines,
`teamsim run` and sweeps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import assert_one_error_line, folder_bytes, teamsim

from simulation.engines.batch import run_batch
from simulation.engines.organisation_batch import run_organisation_batch
from simulation.engines.organisation_model import OrganisationModel
from simulation.model.organisation import attention_split, shared_load
from simulation.model.organisation_config import ORGANISATION_ROW, team_seed
from simulation.model.organisation_files import (
    load_organisation,
    organisation_with_overrides,
)
from simulation.model.scenario_files import ConfigError, load_scenario, shipped_organisations

SHIPPED = "leader_of_two_teams"
REPS = range(20)


def frame_of(organisation, reps=REPS) -> pd.DataFrame:
    return run_organisation_batch(organisation, organisation.seed, reps).quarterly_frame()


def mean_output(frame: pd.DataFrame, team: str, quarters: range) -> np.ndarray:
    """Each replication's mean output of a team over some quarters."""
    rows = frame[(frame.team == team) & frame.quarter.isin(list(quarters))]
    return rows.groupby("replication").team_output.mean().to_numpy()


def last_output(frame: pd.DataFrame, quarter: int) -> float:
    """The organisation's mean output in a quarter."""
    rows = frame[(frame.team == ORGANISATION_ROW) & (frame.quarter == quarter)]
    return float(rows.team_output.mean())


def write(folder: Path, text: str, name: str = "org.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


TWO_TEAMS = """
name = "two"
quarters = 4
replications = 3
[[leaders]]
name = "dana"
attention_hours = 10
[[teams]]
name = "a"
scenario = "baseline"
leader = "dana"
[[teams]]
name = "b"
scenario = "baseline"
leader = "dana"
"""


def test_every_shipped_organisation_loads_by_name_with_a_story() -> None:
    folder = Path(__file__).resolve().parent.parent / "scenarios"
    files = {path.stem for path in folder.glob("*.toml")
             if "[[teams]]" in path.read_text(encoding="utf-8")}
    assert SHIPPED in files and files == set(shipped_organisations())
    for name in files:
        organisation = load_organisation(name)
        assert organisation.title.strip() and len(organisation.description.split()) >= 20
        assert any(len(leader.teams) > 1 for leader in organisation.leaders)


def test_the_engines_agree_on_an_organisation() -> None:
    organisation = load_organisation(SHIPPED)
    batch = frame_of(organisation, range(3))
    frames = []
    for replication in range(3):
        model = OrganisationModel(organisation, replication=replication).run()
        frames.append(model.quarterly_frame())
        model.release()
    mesa = pd.concat(frames, ignore_index=True)
    keys = ["team", "replication", "quarter"]
    batch = batch.sort_values(keys).reset_index(drop=True)
    mesa = mesa.sort_values(keys).reset_index(drop=True)
    assert list(batch.columns) == list(mesa.columns)
    numeric = [c for c in batch.columns if batch[c].dtype.kind == "f"]
    np.testing.assert_allclose(batch[numeric].to_numpy(), mesa[numeric].to_numpy(),
                               rtol=0, atol=1e-9)
    assert (batch[keys] == mesa[keys]).all().all()


def test_teams_with_leaders_of_their_own_run_as_their_scenarios_alone(tmp_path: Path) -> None:
    path = write(tmp_path, """
name = "apart"
quarters = 6
[[leaders]]
name = "ann"
[[leaders]]
name = "ben"
strategy = "coach"
[[teams]]
name = "one"
scenario = "baseline"
leader = "ann"
[[teams]]
name = "two"
scenario = "new_team"
leader = "ben"
""")
    organisation = load_organisation(path)
    frame = frame_of(organisation, range(4))
    for index, name in enumerate(("baseline", "new_team")):
        config = organisation.teams[index].config
        assert config.leader.strategy == ("diagnose_and_match", "coach")[index]
        alone = run_batch(config, team_seed(organisation.seed, index), range(4)).quarterly_frame()
        team = frame[frame.team == organisation.teams[index].name].reset_index(drop=True)
        np.testing.assert_array_equal(team["team_output"].to_numpy(),
                                      alone["team_output"].to_numpy())
        np.testing.assert_array_equal(team["trust_mean"].to_numpy(),
                                      alone["trust_mean"].to_numpy())
        assert load_scenario(name).team == config.team


def test_attention_moved_to_the_launch_leaves_the_other_team_behind() -> None:
    organisation = load_organisation(SHIPPED)
    even = organisation_with_overrides(organisation, {"leaders.dana.attention": []})
    moved, kept = frame_of(organisation), frame_of(even)
    launch = range(6, 9)
    platform_loss = mean_output(kept, "platform", launch) - mean_output(moved, "platform", launch)
    payments_gain = mean_output(moved, "payments", launch) - mean_output(kept, "payments", launch)
    assert platform_loss.mean() > 2 * platform_loss.std() / np.sqrt(len(REPS))
    assert payments_gain.mean() > 2 * payments_gain.std() / np.sqrt(len(REPS))
    # Sam's team, with a leader of its own, does not notice Dana's launch at all.
    np.testing.assert_array_equal(mean_output(moved, "data", launch),
                                  mean_output(kept, "data", launch))
    shares = moved[moved.quarter == 7].groupby("team").attention_level.mean()
    assert shares["payments"] == pytest.approx(0.8, abs=0.03)
    assert shares["platform"] == pytest.approx(0.2, abs=0.03)


def test_a_crisis_pulls_her_attention_to_its_team() -> None:
    calm, in_crisis = attention_split(np.array([0.5, 0.5]), [0.0, 1.0], 1.0)
    assert in_crisis == pytest.approx(2 / 3) and calm == pytest.approx(1 / 3)
    unmoved = attention_split(np.array([0.5, 0.5]), [0.0, 1.0], 0.0)
    assert unmoved == [pytest.approx(0.5), pytest.approx(0.5)]
    runs = attention_split(np.array([0.3, 0.7]), [np.array([1.0, 0.0]), np.array([0.0, 0.0])],
                           2.0)
    np.testing.assert_allclose(sum(runs), 1.0)
    np.testing.assert_allclose(runs[0], [0.9 / 1.6, 0.3])


def test_her_exhaustion_is_one_over_both_teams(tmp_path: Path) -> None:
    organisation = load_organisation(write(tmp_path, TWO_TEAMS.replace(
        "attention_hours = 10", "attention_hours = 12\ncapacity_hours = 10")))
    frame = frame_of(organisation, range(6))
    a = frame[frame.team == "a"].leader_exhaustion.to_numpy()
    b = frame[frame.team == "b"].leader_exhaustion.to_numpy()
    np.testing.assert_array_equal(a, b)
    # Six hours in each team is twelve for her: above her capacity of ten, so she tires
    # as a leader of one team given twelve hours would, not as one given six.
    one = load_scenario("baseline")
    from simulation.model.scenario_files import with_overrides
    six = with_overrides(one, {"quarters": 4, "leader.attention_hours": 6,
                               "leader.capacity_hours": 10})
    alone = run_batch(six, team_seed(organisation.seed, 0), range(6)).quarterly_frame()
    assert a.mean() > 2 * alone.leader_exhaustion.mean()
    load = shared_load([np.array(6.0), np.array(6.0)], [0.0, 1.0],
                       [np.array(0.2), np.array(0.4)], [0.25, 0.75], 10.0)
    assert load.load == pytest.approx(1.2) and load.crisis == 1.0
    assert load.conflict == pytest.approx(0.25 * 0.2 + 0.75 * 0.4)


def test_the_organisation_rows_sum_and_weigh_its_teams() -> None:
    frame = frame_of(load_organisation(SHIPPED), range(4))
    whole = frame[frame.team == ORGANISATION_ROW].reset_index(drop=True)
    teams = [frame[frame.team == name].reset_index(drop=True)
             for name in ("platform", "payments", "data")]
    np.testing.assert_allclose(whole.team_output, sum(t.team_output for t in teams))
    np.testing.assert_allclose(whole.headcount, sum(t.headcount for t in teams))
    weighted = sum(t.trust_mean * t.headcount for t in teams) / whole.headcount
    np.testing.assert_allclose(whole.trust_mean, weighted)
    np.testing.assert_allclose(whole.output_per_member, whole.team_output / whole.headcount)


def test_organisation_inputs_at_their_neutral_values_change_nothing(tmp_path: Path) -> None:
    neutral = TWO_TEAMS + """
[organisation]
strategy_clarity = 0.6
culture = 0.5
systems = 0.1
talent = 0.5
resources = 0.7
"""
    plain = load_organisation(write(tmp_path, TWO_TEAMS, "plain.toml"))
    given = load_organisation(write(tmp_path, neutral, "neutral.toml"))
    assert [t.config for t in plain.teams] == [t.config for t in given.teams]


def test_a_safe_culture_and_more_talent_lift_every_team(tmp_path: Path) -> None:
    plain = load_organisation(write(tmp_path, TWO_TEAMS))
    rich = organisation_with_overrides(plain, {"organisation.culture": 0.8,
                                               "organisation.talent": 0.7,
                                               "quarters": 8})
    for team in rich.teams:
        assert team.config.team.psychological_safety == 0.8
        assert team.config.team.mutual_accountability == pytest.approx(0.64)
        assert team.config.team.capability == 0.7
        assert team.config.team.new_hire_capability == pytest.approx(0.35)
    lifted = frame_of(rich, range(10))
    base = frame_of(organisation_with_overrides(plain, {"quarters": 8}), range(10))
    assert last_output(lifted, 8) > 1.1 * last_output(base, 8)


@pytest.mark.parametrize(("change", "key"), [
    (("[[teams]]", "[[teams]]\nsize = 3"), "teams[0].size"),
    (('leader = "dana"\n[[teams]]', 'leader = "nobody"\n[[teams]]'), "teams.a.leader"),
    (('name = "b"', 'name = "a"'), "teams[1].name"),
    (('scenario = "baseline"\nleader = "dana"\n[[teams]]',
      'scenario = "baseline"\nleader = "dana"\nset = { "team.size" = 0 }\n[[teams]]'),
     "teams.a.set.team.size"),
    (('scenario = "baseline"\nleader = "dana"\n[[teams]]',
      'scenario = "baseline"\nleader = "dana"\nset = { "leader.blame" = 0.5 }\n[[teams]]'),
     "teams.a.set.leader.blame"),
    (("attention_hours = 10", "attention_hours = 10\nstrategy = \"nonesuch\""),
     "leaders.dana.strategy"),
    (("attention_hours = 10", "attention_hours = 10\nbrilliance = 1"),
     "leaders.dana.brilliance"),
    (("attention_hours = 10", "attention_hours = -1"), "leaders.dana.attention_hours"),
    (("[[leaders]]", "[organisation]\nculture = 2\n[[leaders]]"), "organisation.culture"),
])
def test_a_bad_organisation_file_names_the_key(tmp_path: Path, change: tuple[str, str],
                                               key: str) -> None:
    text = TWO_TEAMS.replace(*change, 1)
    assert text != TWO_TEAMS
    path = write(tmp_path, text)
    from simulation.model import strategies
    with pytest.raises(ConfigError) as raised:
        load_organisation(path, strategies.REGISTRY.__contains__)
    assert raised.value.key == key and raised.value.source == str(path)


def test_keys_that_contradict_each_other_are_refused(tmp_path: Path) -> None:
    contradiction = TWO_TEAMS.replace('scenario = "baseline"\nleader = "dana"\n[[teams]]',
                                      'scenario = "baseline"\nleader = "dana"\n'
                                      'set = { "team.psychological_safety" = 0.9 }\n[[teams]]',
                                      1) + "[organisation]\nculture = 0.4\n"
    with pytest.raises(ConfigError, match=r"contradicts organisation\.culture"):
        load_organisation(write(tmp_path, contradiction))
    write(tmp_path, 'name = "tired"\n[leader]\nexhaustion = 0.5\n', "tired.toml")
    two_minds = TWO_TEAMS.replace('name = "b"\nscenario = "baseline"',
                                  'name = "b"\nscenario = "tired.toml"')
    with pytest.raises(ConfigError, match="different values") as raised:
        load_organisation(write(tmp_path, two_minds, "two_minds.toml"))
    assert raised.value.key == "leaders.dana.exhaustion"
    shares = TWO_TEAMS + "[[leaders.attention]]\nfrom_quarter = 2\nshares = { a = 1 }\n"
    with pytest.raises(ConfigError, match="each of her teams") as raised:
        load_organisation(write(tmp_path, shares.replace(
            '[[teams]]\nname = "a"', '[[teams]]\nname = "a"', 1), "shares.toml"))


def test_a_scenario_loader_refuses_an_organisation_file_by_name() -> None:
    with pytest.raises(ConfigError, match="organisation file"):
        load_scenario(SHIPPED)


def test_teamsim_run_writes_every_team_and_the_organisation(capsys, in_tmp_path: Path) -> None:
    outcome = teamsim(capsys, "run", SHIPPED, "-n", "2", "--quiet")
    assert outcome.code == 0, outcome.err
    folder = in_tmp_path / "results" / SHIPPED
    quarters = pd.read_csv(folder / "quarters.csv")
    assert set(quarters.team) == {"platform", "payments", "data", ORGANISATION_ROW}
    summary = pd.read_csv(folder / "summary.csv")
    assert len(summary) == 4 * 12 and (summary.runs == 2).all()
    assert (folder / "quarters.png").stat().st_size > 10_000
    assert '"team_seeds"' in (folder / "manifest.json").read_text()


def test_teamsim_run_of_a_bad_organisation_exits_2_and_writes_nothing(
        capsys, in_tmp_path: Path) -> None:
    path = write(in_tmp_path, TWO_TEAMS.replace("[[teams]]", "[[teams]]\nsize = 3", 1))
    before = folder_bytes(in_tmp_path)
    outcome = teamsim(capsys, "run", path)
    assert_one_error_line(outcome, str(path), "teams[0].size")
    assert folder_bytes(in_tmp_path) == before


def test_a_sweep_varies_an_organisation(capsys, in_tmp_path: Path) -> None:
    write(in_tmp_path, """
name = "org_sweep"
scenarios = ["leader_of_two_teams"]
replications = 4
outcomes = ["team_output", "trust_mean"]
[grid]
"leaders.dana.crisis_pull" = [0.0, 3.0]
"teams.platform.team.size" = [6]
""", "sweep.toml")
    outcome = teamsim(capsys, "sweep", "sweep.toml", "--workers", "1", "--quiet")
    assert outcome.code == 0, outcome.err
    runs = pd.read_csv(in_tmp_path / "results" / "org_sweep" / "runs.csv")
    assert len(runs) == 2 * 4 * 12
    organisation = organisation_with_overrides(load_organisation(SHIPPED), {
        "leaders.dana.crisis_pull": 3.0, "teams.platform.team.size": 6, "replications": 4})
    expected = frame_of(organisation, range(4))
    expected = expected[expected.team == ORGANISATION_ROW]
    label = runs[runs.label.str.contains("crisis_pull=3")]
    np.testing.assert_allclose(np.sort(label.team_output.to_numpy()),
                               np.sort(expected.team_output.to_numpy()), rtol=1e-12)

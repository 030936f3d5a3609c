"""TeamModel as Mesa users write for it: scenario keys as keyword arguments, Mesa 3's seed
and rng, a DataCollector that ``mesa.batch_run`` and SolaraViz read, and models that are
freed when nobody refers to them."""

from __future__ import annotations

import gc
import warnings

import mesa
import numpy as np
import pandas as pd
import pytest

from simulation import ConfigError, TeamModel
from simulation.engines.mesa_data import AGENT_COLUMNS
from simulation.model.metrics import outcome_columns
from simulation.model.state import MEMBER_VARIABLES


def test_every_scenario_key_is_a_keyword_with_nested_keys_spelled_with_double_underscores():
    model = TeamModel("baseline", seed=1, quarters=2, leader__attention_hours=3,
                      parameters__train_rate=0.05, team__size=5)
    assert model.config.quarters == 2
    assert model.config.leader.attention_hours == 3
    assert model.config.parameters.train_rate == 0.05
    assert len(model.team) == 5
    with pytest.raises(ConfigError, match=r"leader\.attention_hourz: unknown key"):
        TeamModel("baseline", leader__attention_hourz=3)
    with pytest.raises(ConfigError, match=r"leader\.attention_hours"):
        TeamModel("baseline", leader__attention_hours=-1)


def test_a_model_without_a_seed_draws_a_fresh_one_and_records_it():
    first, second = TeamModel("baseline", quarters=1), TeamModel("baseline", quarters=1)
    assert first.seed != second.seed
    rerun = TeamModel("baseline", quarters=1, seed=first.seed)
    first.run(), rerun.run()
    pd.testing.assert_frame_equal(first.quarterly_frame(), rerun.quarterly_frame())
    assert TeamModel("baseline", scenario_seed=True).seed == first.config.seed


def test_rng_is_mesas_other_way_to_seed_a_model():
    assert TeamModel("baseline", rng=42).seed == 42
    drawn = TeamModel("baseline", rng=np.random.default_rng(5)).seed
    assert drawn == TeamModel("baseline", rng=np.random.default_rng(5)).seed
    assert drawn != TeamModel("baseline", rng=np.random.default_rng(6)).seed
    with pytest.raises(ValueError, match="seed and rng"):
        TeamModel("baseline", seed=1, rng=2)


def test_the_datacollector_holds_every_outcome_each_week_and_rolls_up_to_the_quarter():
    model = TeamModel("baseline", seed=4, quarters=2).run()
    weekly = model.datacollector.get_model_vars_dataframe()
    assert list(weekly.columns[:4]) == ["week", "quarter", "seed", "replication"]
    assert set(outcome_columns()) <= set(weekly.columns)
    assert weekly.week.tolist() == list(range(1, 27))
    quarterly = model.quarterly_frame()
    for quarter in (1, 2):
        weeks = weekly[weekly.quarter == quarter]
        assert weeks.team_output.mean() == pytest.approx(
            quarterly.team_output.iloc[quarter - 1])
        assert weeks.hours_coach.sum() == pytest.approx(
            quarterly.hours_coach.iloc[quarter - 1])
        assert weeks.trust_mean.iloc[-1] == pytest.approx(quarterly.trust_mean.iloc[quarter - 1])


def test_the_agents_data_holds_every_member_state_and_the_leaders_own():
    model = TeamModel("baseline", seed=4, quarters=1).run()
    agents = model.datacollector.get_agent_vars_dataframe()
    assert list(agents.columns) == list(AGENT_COLUMNS)
    assert set(MEMBER_VARIABLES) <= set(agents.columns)
    last = agents.xs(13, level="Step")
    members = last[last.role == "member"].sort_values("slot")
    for member in model.team:
        row = members[members.slot == member.slot].iloc[0]
        assert row.name == member.unique_id
        assert row.motivation == pytest.approx(member.motivation)
        assert row.capability_anchor == pytest.approx(member.capability_anchor)
    leader = last[last.role == "leader"].iloc[0]
    assert leader.credibility == pytest.approx(model.leader.credibility)
    assert leader.exhaustion == pytest.approx(model.leader.exhaustion)
    assert pd.isna(leader.motivation)


def test_batch_run_gives_distinct_iterations_and_the_last_weeks_numbers():
    rows = pd.DataFrame(mesa.batch_run(
        TeamModel, parameters={"leader__attention_hours": [3, 10], "quarters": 1},
        iterations=3, display_progress=False))
    final = rows.groupby("RunId").first()
    assert len(final) == 6 and final.seed.nunique() == 6
    assert (final.week == 13).all()
    for _, run in final.iterrows():
        again = TeamModel("baseline", seed=int(run.seed), quarters=1,
                          leader__attention_hours=run.leader__attention_hours).run()
        assert run.team_output == pytest.approx(again.week_outcomes()["team_output"])
        members = rows[(rows.RunId == run.name) & (rows.role == "member")]
        assert sorted(members.motivation) == pytest.approx(sorted(
            member.motivation for member in again.team))
    hours = final.groupby("leader__attention_hours").hours_planned.mean()
    assert hours[10] > hours[3]


def test_models_nobody_refers_to_are_freed_without_release():
    def live() -> int:
        gc.collect()
        return sum(isinstance(thing, TeamModel) for thing in gc.get_objects())

    before = live()
    for _ in range(200):
        TeamModel("baseline", quarters=1).run()
    assert live() <= before + 1
    assert all(not isinstance(model, TeamModel) for model in list(mesa.Agent._ids))


def test_mesas_solara_viz_plots_a_team_model():
    solara = pytest.importorskip("solara")
    ipywidgets = pytest.importorskip("ipywidgets")
    with warnings.catch_warnings():
        # Mesa's own page trips Solara's check of the rules of hooks (a warning about
        # Mesa's code, not ours).
        warnings.filterwarnings("ignore", message="Failed to validate hooks")
        from mesa.visualization import SolaraViz, make_plot_component

        model = TeamModel("baseline", seed=3, quarters=1)
        for _ in range(4):
            model.step()
        page = SolaraViz(model, components=[make_plot_component(["team_output", "trust_mean"])],
                         model_params={"seed": 3, "quarters": 1}, name="TeamSim")
        _, rendered = solara.render(page, handle_error=False)
    images = rendered.find(ipywidgets.Image).widgets
    assert len(images) == 1 and len(images[0].value) > 1000  # a drawn PNG

"""A participatory room: allocations, the played plan as a strategy, the room's
leaderboard, export and debrief (no browser; tests/test_room_browser.py drives the pages)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.engines.batch import run_batch
from simulation.model.scenario_files import ConfigError, with_overrides
from simulation.workshop import access
from simulation.workshop.debrief import debrief
from simulation.workshop.play import AllocationError, allocation, run_plan
from simulation.workshop.room import (
    CODE_ALPHABET,
    CODE_LENGTH,
    RoomError,
    export_frame,
    find_room,
    leaderboard,
    open_room,
)
from simulation.workshop.whatif import presets


@pytest.fixture(scope="module")
def baseline():
    return presets()["baseline"].config


def test_an_allocation_over_the_leaders_week_is_refused_naming_the_hours(baseline):
    week = baseline.leader.attention_hours
    with pytest.raises(AllocationError) as refused:
        allocation(baseline, {"coach": week, "clarify": 1})
    assert refused.value.key == "hours"
    with pytest.raises(AllocationError) as refused:
        allocation(baseline, {"coach": -1})
    assert refused.value.key == "coach"
    with pytest.raises(AllocationError) as refused:
        allocation(baseline, {"bribe": 1})
    assert refused.value.key == "bribe"
    with pytest.raises(AllocationError) as refused:
        allocation(baseline, {"coach": float("nan")})
    assert "number" in refused.value.problem
    with pytest.raises(AllocationError) as refused:
        allocation(baseline, {"coach": 1}, focus=[baseline.team.size + 1])
    assert refused.value.key == "focus"


def test_the_played_plan_books_the_hours_allocated_each_quarter(baseline):
    first = allocation(baseline, {"coach": 3, "retrospective": 1})
    second = allocation(baseline, {"monitor": 2})
    frame = run_plan(baseline, (first, second), 1).quarterly_frame()
    q1, q2 = frame.iloc[0], frame.iloc[1]
    assert q1["hours_coach"] > 0 and q1["hours_monitor"] == 0
    assert q2["hours_monitor"] > 0 and q2["hours_coach"] == 0
    assert q1["hours_coach"] == pytest.approx(3 * q1["hours_retrospective"], rel=0.05)


def test_the_focus_sends_the_work_with_members_only_to_the_members_chosen(baseline):
    focused = allocation(baseline, {"coach": 4}, focus=[2])
    record = run_plan(baseline, (focused,), 1).record
    # coaching raises capability: member 2's rises most over the first quarter
    start = run_plan(baseline, (focused,), 1).initial_state.capability[0]
    gain = record.member_states["capability"][0, 0] - start
    assert int(np.argmax(gain)) == 1


def test_a_plan_of_no_hours_is_the_hands_off_leader(baseline):
    idle = run_plan(baseline, (allocation(baseline, {}),), 5).quarterly_frame()
    hands_off = run_batch(with_overrides(baseline, {"leader.strategy": "hands_off"}, "t"),
                          baseline.seed, range(5)).quarterly_frame()
    assert np.allclose(idle["team_output"], hands_off["team_output"])


def test_a_replay_gives_the_quarters_as_they_were_played(baseline):
    chosen = allocation(baseline, {"clarify": 2, "coach": 2})
    two = run_plan(baseline, (chosen, chosen), 1).quarterly_frame()
    three = run_plan(baseline, (chosen, chosen, allocation(baseline, {"monitor": 5})),
                     1).quarterly_frame()
    assert np.array_equal(two["team_output"].iloc[:2], three["team_output"].iloc[:2])


def test_a_room_code_is_needed_and_names_are_unique(baseline):
    room = open_room("baseline", baseline, 4)
    assert len(room.code) == CODE_LENGTH and set(room.code) <= set(CODE_ALPHABET)
    assert find_room(room.code.lower()) is room
    assert find_room("") is None and find_room("NOPE99") is None
    room.join("Ann")
    with pytest.raises(RoomError):
        room.join(" ann ")
    with pytest.raises(RoomError):
        room.join("   ")


def test_a_room_that_cannot_hold_the_scenarios_script_is_refused():
    config = presets()["attention_withdrawn"].config  # reassigned from quarter 5
    with pytest.raises(ConfigError):
        open_room("attention_withdrawn", config, 4)


def test_leaderboard_export_and_debrief_hold_every_participants_run(baseline):
    room = open_room("baseline", baseline, 2)
    plans = {"Ann": {"coach": 4, "clarify": 3}, "Bo": {"micromanage": 8}, "Cy": {}}
    for name, hours in plans.items():
        room.join(name)
        for _ in range(2):
            room.play(name, allocation(room.config, hours))
    with pytest.raises(RoomError):
        room.play("Ann", allocation(room.config, {}))
    board = leaderboard(room.standings())
    assert list(board["rank"]) == [1, 2, 3] and set(board["name"]) == set(plans)
    assert board["output"].is_monotonic_decreasing
    exported = export_frame(room)
    assert len(exported) == 6
    assert exported.query("participant == 'Bo'")["hours_a_week_micromanage"].eq(8).all()
    table = debrief(room, replications=8)
    participants = table[table["kind"] == "participant"]
    assert set(participants["who"]) == set(plans)
    assert (table["output_low"] <= table["output"]).all()
    assert (table["output"] <= table["output_high"]).all()
    cy = table[table["who"] == "Cy"].iloc[0]
    hands_off = table[table["who"] == "hands_off"].iloc[0]
    assert cy["output"] == pytest.approx(hands_off["output"])  # same chance, same plan
    ann = table[table["who"] == "Ann"].iloc[0]
    assert ann["output"] > cy["output"]


def test_the_trainers_key_guards_the_trainers_pages_only_on_the_network():
    local = access.Access("http://127.0.0.1:8765", "")
    assert local.is_trainer(None) and not local.public
    public = access.Access("http://10.0.0.5:8765", "secret")
    assert not public.is_trainer(None) and not public.is_trainer("key=wrong")
    assert public.is_trainer("key=secret&room=ABC")
    assert public.join_url("ABC") == "http://10.0.0.5:8765/play?room=ABC"
    assert "key=secret" in public.trainer_url()
    assert access.is_loopback("127.0.0.1") and access.is_loopback("localhost")
    assert not access.is_loopback("0.0.0.0")

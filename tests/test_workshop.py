"""The workshop's command and the page's helpers, without a browser (the page itself is
tested in Chromium: test_workshop_browser.py)."""

from __future__ import annotations

import socket

import pytest
from conftest import teamsim

from simulation.workshop.page import differences, parse_typed
from simulation.workshop.whatif import LEVERS, levers_of, presets


def test_a_port_in_use_is_a_one_line_error(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        outcome = teamsim(capsys, "workshop", "--port", str(port))
    assert outcome.code == 2
    assert outcome.err.strip() == (f"teamsim: error: --port {port}: in use by another "
                                   f"program; choose another port")


def test_a_port_out_of_range_is_refused(capsys):
    outcome = teamsim(capsys, "workshop", "--port", "70000")
    assert outcome.code == 2
    assert "--port: must be from 0 to 65535" in outcome.err


def test_the_page_says_which_levers_b_changed():
    a = levers_of(presets()["attention_withdrawn"].config)
    assert differences(a, a) == ""
    b = {**a, "strategy": "firefighter", "systems_share": 0.33}
    assert differences(a, b) == ("B differs from A in: Strategy coach → firefighter; "
                                 "Hours building systems 0 → 0.33")


@pytest.mark.parametrize(("lever", "text", "value"), [
    ("attention_hours", " 12 ", 12.0), ("capability", "0,4", 0.4), ("team_size", "9", 9),
    ("team_size", "9.0", 9)])
def test_typed_numbers_are_read_as_the_lever_needs(lever, text, value):
    assert parse_typed(LEVERS[lever], text) == value


@pytest.mark.parametrize(("lever", "text"), [("team_size", "8.5"), ("capability", "high")])
def test_typed_text_that_is_not_the_levers_number_is_refused(lever, text):
    with pytest.raises(ValueError):
        parse_typed(LEVERS[lever], text)

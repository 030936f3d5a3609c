"""The participatory room in a real browser (Debian's Chromium under Playwright): three
participants join with the room's code, play four quarters, and the trainer's leaderboard
and debrief show them; a visitor without the code, or without the trainer's key on the
network, is refused."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time

from workshop_browser import PAGE_TIMEOUT_MS, chromium, start_workshop

NAMES = ("Ann", "Bo", "Cy")
QUARTERS = 4


def new_page(browser, url, width=1280, height=720):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url)
    return page


def open_room(browser, address, quarters=QUARTERS):
    trainer = new_page(browser, f"{address}trainer?preset=baseline")
    box = trainer.locator(".teamsim-room-quarters input")
    box.fill(str(quarters))
    box.press("Enter")
    trainer.locator(".teamsim-open-room").click()
    trainer.wait_for_selector("[data-testid=room-code]")
    return trainer, trainer.locator("[data-testid=join-link]").inner_text()


def join(browser, link, name):
    page = new_page(browser, link, 1000, 900)
    page.locator(".teamsim-name input").fill(name)
    page.locator(".teamsim-join").click()
    page.wait_for_selector("[data-testid=game-header][data-played='0']")
    return page


def play_quarter(page, quarter, hours):
    for name, value in hours.items():
        page.locator(f".teamsim-hours-{name} input").fill(str(value))
    page.locator(".teamsim-play").click()
    page.wait_for_selector(f"[data-testid=game-header][data-played='{quarter}']")


def test_three_participants_play_four_quarters_and_the_trainer_sees_them():
    plans = {"Ann": {"coach": 3, "clarify": 2}, "Bo": {"micromanage": 6}, "Cy": {"monitor": 1}}
    server = start_workshop()
    try:
        with chromium() as browser:
            trainer, link = open_room(browser, server.address)
            code = re.search(r"room=(\w+)", link).group(1)
            assert trainer.locator("[data-testid=qr] svg").count() == 1
            players = {name: join(browser, link, name) for name in NAMES}
            trainer.wait_for_selector("[data-testid=headcount][data-count='3']")
            for quarter in range(1, QUARTERS + 1):
                for name, page in players.items():
                    play_quarter(page, quarter, plans[name])
                    assert f"Quarter {quarter}:" in page.locator("[data-testid=news]").inner_text()
            for page in players.values():
                page.wait_for_selector("[data-testid=finished]")
            board = trainer.locator("[data-testid=leaderboard]")
            trainer.wait_for_function(  # the screen reads the room every few seconds
                """quarters => [...document.querySelectorAll('[data-testid=leaderboard] tr')]
                   .filter(row => row.innerText.includes(quarters)).length == 3""",
                arg=f"{QUARTERS} of {QUARTERS}")
            for name in NAMES:
                row = board.locator(f"tr[data-name={name}]")
                assert f"{QUARTERS} of {QUARTERS}" in row.inner_text()
            trainer.wait_for_selector(".teamsim-debrief:not([disabled])")
            trainer.get_by_role("button", name=re.compile("Debrief")).click()
            table = trainer.wait_for_selector("[data-testid=debrief]", timeout=180_000)
            text = table.inner_text()
            for name in (*NAMES, "hands_off", "diagnose_and_match"):
                assert name in text
            assert re.search(r"\[\d\.\d\d, \d\.\d\d\]", text)  # intervals
            # a reload resumes a participant's game (their key is in the address)
            players["Ann"].reload()
            players["Ann"].wait_for_selector("[data-testid=finished]")
            assert code in players["Ann"].locator("[data-testid=game-header]").inner_text()
    finally:
        server.stop()


def test_a_visitor_without_the_rooms_code_is_refused():
    server = start_workshop()
    try:
        with chromium() as browser:
            open_room(browser, server.address)
            visitor = new_page(browser, f"{server.address}play")
            visitor.wait_for_selector("[data-testid=refused]")
            assert visitor.locator(".teamsim-name").count() == 0
            wrong = new_page(browser, f"{server.address}play?room=ZZZZZZ")
            assert "no open room" in wrong.wait_for_selector(
                "[data-testid=refused]").inner_text()
            assert wrong.locator("[data-testid=game-header]").count() == 0
    finally:
        server.stop()


def test_on_the_network_the_trainers_pages_need_the_key():
    process = subprocess.Popen(
        [sys.executable, "-m", "simulation.cli", "workshop", "--port", "0", "--host",
         "0.0.0.0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line, deadline = "", time.monotonic() + 60
        while time.monotonic() < deadline and "trainer's room" not in line:
            if select.select([process.stdout], [], [], 0.5)[0]:
                line = process.stdout.readline()
        found = re.search(r"http://\S+:(\d+)/trainer\?key=(\S+)", line)
        assert found, line
        local = f"http://127.0.0.1:{found.group(1)}/"
        with chromium() as browser:
            for path in ("trainer", "", "trainer?key=guess"):
                page = new_page(browser, local + path)
                page.wait_for_selector("[data-testid=refused]")
                assert page.locator(".teamsim-open-room").count() == 0
            trainer = new_page(browser, f"{local}trainer?key={found.group(2)}&preset=baseline")
            trainer.wait_for_selector(".teamsim-open-room")
    finally:
        process.send_signal(2)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

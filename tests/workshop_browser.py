"""Driving the workshop page: the server in its own process, Debian's Chromium under
Playwright (never a downloaded browser), and the page's controls. Used by the browser tests,
benchmarks/bench_workshop.py and docs/take_workshop_screenshot.py.

Without Chromium the browser tests are skipped, unless ``TEAMSIM_REQUIRE_BROWSER=1`` (as
`.ci/run` sets after installing it), when they fail.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
"""Chromium as root on a machine with a closed network (see the env notes)."""

SENTENCE = "[data-testid=sentence]"
CHART = ".teamsim-chart .js-plotly-plot .main-svg"
"""The chart as Plotly draws it in the browser (SVG)."""
SHOWN_LEVERS = ".teamsim-levers"
START_TIMEOUT = 60.0
PAGE_TIMEOUT_MS = 60_000


def find_chromium() -> str | None:
    """Debian's Chromium, if it is installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_path() -> str:
    """Debian's Chromium, or skip (fail under TEAMSIM_REQUIRE_BROWSER=1)."""
    found = find_chromium()
    if found is None:
        message = ("Chromium is not installed (Debian: apt-get install chromium); "
                   ".ci/run installs it")
        if os.environ.get("TEAMSIM_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Workshop:
    """A running `teamsim workshop` process."""

    process: subprocess.Popen[str]
    address: str

    def stop(self, timeout: float = 15.0) -> tuple[int, str, str]:
        """Ctrl-C, as a trainer would; the exit code and what it printed afterwards."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            return -9, out, err
        return self.process.returncode, out, err


def start_workshop(*options: str) -> Workshop:
    """Start `teamsim [OPTIONS] workshop --port 0` and wait for the address it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "simulation.cli", *options, "workshop", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + START_TIMEOUT
    assert process.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                return Workshop(process, found.group(0))
        if process.poll() is not None:
            break
    process.kill()
    _, err = process.communicate()
    raise RuntimeError(f"the workshop did not start: {err[-2000:]}")


@contextmanager
def chromium(executable: str | None = None) -> Iterator[Any]:
    """A headless Debian Chromium under Playwright (in a test: skipped when missing)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable or chromium_path(),
                                             args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_on_workshop(script: str, width: int = 1600, height: int = 1200) -> Iterator[Any]:
    """For scripts (benchmark, screenshot): a page on a freshly started workshop, in Debian's
    Chromium; exits with a one-line message when Chromium is not installed."""
    executable = find_chromium()
    if executable is None:
        sys.exit(f"{script}: Chromium is not installed (Debian: apt-get install chromium)")
    server = start_workshop()
    try:
        with chromium(executable) as browser:
            page = open_page(browser, server.address, width, height)
            yield page
            page.context.close()
    finally:
        server.stop()


def open_page(browser: Any, address: str, width: int = 1600, height: int = 1200) -> Any:
    """A new participant (own browser context, so own session cookie) on the page, once its
    first comparison is on screen."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(address)
    settled(page)
    return page


def settled(page: Any) -> str:
    """Wait until the comparison on screen is finished; its sentence."""
    page.wait_for_selector(f"{SENTENCE}[data-pending=False]")
    page.wait_for_selector(CHART)
    return page.locator(SENTENCE).inner_text()


def chart_source(page: Any) -> str:
    """The finished comparison's identity (its settings' digest, ``data-result``): a new
    one for every comparison with other settings."""
    return page.locator(SENTENCE).get_attribute("data-result")


def changed(page: Any, before: str) -> str:
    """Wait for a finished comparison other than the one whose identity was ``before``
    (see :func:`chart_source`); its sentence."""
    page.wait_for_function(
        """before => { const s = document.querySelector('[data-testid=sentence]');
                       return s && s.dataset.pending === 'False'
                              && s.dataset.result !== before; }""",
        arg=before, timeout=PAGE_TIMEOUT_MS)
    return settled(page)


def chart_text_sizes(page: Any) -> list[float]:
    """The font size, in CSS pixels, of every piece of text the chart shows (ticks, titles,
    legend), read from the page as the browser lays it out."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.teamsim-chart .main-svg text'))
                  .filter(t => t.textContent.trim() && t.getBBox().width > 0)
                  .map(t => parseFloat(getComputedStyle(t).fontSize))""")


def show_levers(page: Any, label: str) -> None:
    """Show a configuration's levers."""
    page.get_by_role("button", name=f"Configuration {label}").click()
    page.wait_for_selector(f"{SHOWN_LEVERS} [data-config={label}]", state="attached")


def lever_box(page: Any, lever: str) -> Any:
    """The box of a lever of the configuration shown."""
    return page.locator(f"{SHOWN_LEVERS} .teamsim-box-{lever} input")


def lever_thumb(page: Any, lever: str) -> Any:
    """The slider thumb of a lever of the configuration shown (arrow keys move it one step)."""
    return page.locator(f"{SHOWN_LEVERS} .teamsim-slider-{lever} [role=slider]")


def type_into(page: Any, lever: str, text: str) -> None:
    """Type a value into a lever's box and press Enter."""
    box = lever_box(page, lever)
    box.fill(text)
    box.press("Enter")

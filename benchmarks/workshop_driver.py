"""Many participants on one workshop page, for the benchmarks: the server in its own
process (its output drained, so a long run never blocks on a full pipe), one headless
Debian Chromium holding a page per participant (each its own browser context, so its own
session), and a change timed from the key press to the updated comparison on screen.

"The updated comparison" is the sentence (``[data-testid=sentence]``) back to
``data-pending="False"`` with a new ``data-result`` (a digest of the comparison); on a page
that does not write the digest, a new sentence, chart image or numbers table instead. The
wait runs in the page (a ``MutationObserver``), so twenty pages waiting at once cost the
driver nothing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from workshop_browser import CHROMIUM_FLAGS, SHOWN_LEVERS, find_chromium, start_workshop

TIMEOUT_S = 90.0

STILL_CSS = ("*, *::before, *::after { animation: none !important; "
             "transition: none !important; }")
"""No animations in the driver's pages: twenty pages painting progress bars would take the
server's cores, where a room's browsers paint on the participants' own machines."""
STILL_JS = f"""document.addEventListener('DOMContentLoaded', () => {{
  const style = document.createElement('style'); style.textContent = {STILL_CSS!r};
  document.head.appendChild(style); }});"""

STATE_JS = """() => {
  const s = document.querySelector('[data-testid=sentence]');
  if (!s) return null;
  const failed = Array.from(document.querySelectorAll('.v-alert')).some(
    alert => alert.textContent.includes('The comparison failed'));
  if (s.dataset.result !== undefined)
    return {pending: s.dataset.pending, key: 'result:' + s.dataset.result, failed};
  const img = document.querySelector('img.teamsim-chart');
  const table = document.querySelector('.teamsim-numbers');
  const src = img ? img.getAttribute('src') || '' : '';
  return {pending: s.dataset.pending, failed,
          key: 'text:' + s.textContent + '|' + src.length + src.slice(-96) + '|'
               + (table ? table.innerHTML : '')};
}"""

WAIT_JS = """([before, timeoutMs]) => new Promise((resolve, reject) => {
  const state = STATE;
  const check = () => { const now = state();
    return now && now.pending === 'False' && now.key !== before ? now : null; };
  const done = check();
  if (done) { resolve(done); return; }
  const observer = new MutationObserver(() => { const now = check();
    if (now) { observer.disconnect(); clearTimeout(timer); resolve(now); } });
  const timer = setTimeout(() => { observer.disconnect();
    reject(new Error('no updated comparison within ' + timeoutMs + ' ms')); }, timeoutMs);
  observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                   characterData: true});
})""".replace("STATE", STATE_JS)


@dataclass
class Server:
    """A running `teamsim workshop`, its output drained into lines kept here."""

    workshop: Any
    lines: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return self.workshop.address

    @property
    def process(self) -> psutil.Process:
        return psutil.Process(self.workshop.process.pid)

    def rss(self) -> tuple[int, int]:
        """Resident memory in bytes: the server's own, and with its worker processes."""
        own = self.process.memory_info().rss
        children = 0
        for child in self.process.children(recursive=True):
            try:
                children += child.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return own, own + children

    def tracebacks(self) -> int:
        """Tracebacks the server has printed so far."""
        return sum("Traceback" in line for line in self.lines)

    def traceback_excerpts(self, lines: int = 14) -> list[str]:
        """Each traceback the server printed: its first lines and its last (the error)."""
        found = []
        for index, line in enumerate(self.lines):
            if "Traceback" in line:
                block = self.lines[index:index + 60]
                end = next((i for i, text in enumerate(block[1:], 1)
                            if not text.startswith((" ", "\t"))), len(block) - 1)
                found.append("".join(block[:min(end, lines)] + block[end:end + 1]))
        return found


def _drain(stream: Any, into: list[str]) -> None:
    for line in iter(stream.readline, ""):
        into.append(line)


@contextmanager
def running_server(workers: int | None = None) -> Iterator[Server]:
    """`teamsim workshop` on a free port (``workers``: its compute worker processes, None:
    the default), stopped with Ctrl-C at the end."""
    saved = os.environ.get("TEAMSIM_WORKSHOP_WORKERS")
    if workers is not None:
        os.environ["TEAMSIM_WORKSHOP_WORKERS"] = str(workers)
    try:
        workshop = start_workshop()
    finally:
        if workers is not None:
            if saved is None:
                os.environ.pop("TEAMSIM_WORKSHOP_WORKERS", None)
            else:
                os.environ["TEAMSIM_WORKSHOP_WORKERS"] = saved
    server = Server(workshop)
    for stream in (workshop.process.stdout, workshop.process.stderr):
        threading.Thread(target=_drain, args=(stream, server.lines), daemon=True).start()
    try:
        yield server
    finally:
        process = workshop.process
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except Exception:  # a benchmark's server that will not stop is killed
            process.kill()
            process.wait()


@dataclass
class Participant:
    """One participant's page, and what went wrong on it."""

    page: Any
    errors: list[str] = field(default_factory=list)

    async def state(self) -> dict[str, Any] | None:
        return await self.page.evaluate(STATE_JS)

    async def show_levers(self, label: str) -> None:
        """Show configuration ``label``'s levers."""
        await self.page.get_by_role("button", name=f"Configuration {label}").click()
        await self.page.wait_for_selector(f"{SHOWN_LEVERS} [data-config={label}]",
                                          state="attached")

    def box(self, lever: str) -> Any:
        return self.page.locator(f"{SHOWN_LEVERS} .teamsim-box-{lever} input")

    def thumb(self, lever: str) -> Any:
        return self.page.locator(f"{SHOWN_LEVERS} .teamsim-slider-{lever} [role=slider]")

    async def settled(self) -> dict[str, Any]:
        """Wait until no comparison is running; the state on screen."""
        await self.page.wait_for_function(
            "() => { const s = document.querySelector('[data-testid=sentence]');"
            " return s && s.dataset.pending === 'False'; }", timeout=TIMEOUT_S * 1000)
        state = await self.state()
        assert state is not None
        return state

    async def timed(self, press: Any, before: str) -> float:
        """Seconds from ``press()`` (a key press) to a finished comparison other than
        ``before`` on screen; an error (recorded) if none comes in time."""
        started = time.perf_counter()
        await press()
        try:
            now = await self.page.evaluate(WAIT_JS, [before, TIMEOUT_S * 1000])
        except Exception as error:  # recorded: the run goes on
            self.errors.append(f"no update: {str(error).splitlines()[0]}")
            return float("nan")
        elapsed = time.perf_counter() - started
        if now.get("failed"):
            self.errors.append("the page says the comparison failed")
        return elapsed

    async def type_value(self, lever: str, text: str, before: str | None = None) -> float:
        """Type ``text`` into a lever's box of the levers shown and press Enter, timed."""
        box = self.box(lever)
        await box.fill(text)
        if before is None:
            before = (await self.settled())["key"]
        return await self.timed(lambda: box.press("Enter"), before)

    async def step_slider(self, lever: str, key: str = "ArrowRight") -> float:
        """Move a lever's slider one step with the keyboard, timed."""
        before = (await self.settled())["key"]
        thumb = self.thumb(lever)
        await thumb.focus()
        return await self.timed(lambda: thumb.press(key), before)


@asynccontextmanager
async def participants(address: str, count: int, width: int = 1400,
                       height: int = 1000) -> AsyncIterator[list[Participant]]:
    """``count`` participants on the page, in one headless Chromium, each once its first
    comparison is on screen."""
    from playwright.async_api import async_playwright

    executable = find_chromium()
    if executable is None:
        sys.exit("Chromium is not installed (Debian: apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable,
                                                   args=CHROMIUM_FLAGS)
        try:
            people = []
            for _ in range(count):
                context = await browser.new_context(viewport={"width": width,
                                                              "height": height})
                await context.add_init_script(STILL_JS)
                page = await context.new_page()
                page.set_default_timeout(TIMEOUT_S * 1000)
                person = Participant(page)
                page.on("pageerror", lambda error, p=person: p.errors.append(
                    f"page error: {error}"))
                people.append(person)
                await page.goto(address)
            for person in people:
                await person.settled()
            yield people
        finally:
            await browser.close()


def chromium_rss() -> int:
    """Resident memory of every Chromium process of this driver, in bytes."""
    total = 0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower():
                total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of the finite values."""
    finite = sorted(v for v in values if v == v)
    if not finite:
        return float("nan")
    rank = max(1, min(len(finite), int(-(-share * len(finite) // 1))))
    return finite[rank - 1]


def run(coroutine: Any) -> Any:
    """Run a driver coroutine to its end."""
    return asyncio.run(coroutine)

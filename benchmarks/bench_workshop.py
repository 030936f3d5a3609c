"""Workshop page: time from a slider change to the updated chart, in a real browser.

Starts `teamsim workshop`, opens the page in headless Debian Chromium (Playwright), and
moves one of B's sliders a step at a time (30 replications of A and of B, 12 quarters). Each
change is timed from the key press to the new sentence and chart being on screen. The
reference, measured in the same run, is the work itself in this process: the comparison
and its chart (`simulation.workshop.page.show`) for the same settings; the ratio is what the
page adds (websocket round trip, rendering, image transfer).

Run:  .venv/bin/python benchmarks/bench_workshop.py [--changes N] [--write]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from results_file import machine, update_section

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from workshop_browser import (
    changed,
    chart_source,
    lever_thumb,
    page_on_workshop,
    settled,
    show_levers,
)

from simulation.workshop.page import DEFAULT_PRESET, show
from simulation.workshop.whatif import apply_levers, presets, quarterly_runs

LEVER = "systems_share"
STEP = 0.05


def page_latencies(changes: int) -> list[float]:
    """Seconds from each key press to the finished comparison on screen."""
    with page_on_workshop("bench_workshop") as page:
        show_levers(page, "B")
        thumb = lever_thumb(page, LEVER)
        latencies = []
        for _ in range(changes):
            settled(page)
            before = chart_source(page)
            thumb.focus()
            started = time.perf_counter()
            thumb.press("ArrowRight")
            changed(page, before)
            latencies.append(time.perf_counter() - started)
    return latencies


def engine_seconds(changes: int) -> list[float]:
    """The same comparisons and charts in this process (A cached as on the page)."""
    base = presets()[DEFAULT_PRESET].config
    show(base, base, 30)  # warm up, and A is cached from here on, as on the page
    times = []
    for change in range(1, changes + 1):
        b = apply_levers(base, {LEVER: round(change * STEP, 6)})
        started = time.perf_counter()
        show(base, b, 30)
        times.append(time.perf_counter() - started)
    quarterly_runs.cache_clear()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="record in RESULTS.md")
    args = parser.parse_args()

    page = page_latencies(args.changes)
    engine = engine_seconds(args.changes)
    page_median, engine_median = statistics.median(page), statistics.median(engine)
    rows = [
        ("slider change to updated chart in Chromium, median", f"{page_median:.2f} s"),
        ("... slowest of the changes", f"{max(page):.2f} s"),
        ("comparison and chart in-process (reference), median", f"{engine_median:.2f} s"),
        ("ratio (page / in-process)", f"{page_median / engine_median:.2f}x"),
    ]
    body = "\n".join([
        "## Workshop page (issue 6)", "",
        f"{machine()} `python benchmarks/bench_workshop.py --changes {args.changes}`: "
        f"one step of B's `{LEVER}` slider at a time on the `{DEFAULT_PRESET}` preset, "
        "30 replications of A and of B, 12 quarters (A is unchanged, so only B runs).", "",
        "| measure | value |", "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows)])
    print(body)
    if args.write:
        update_section("workshop", body)


if __name__ == "__main__":
    main()

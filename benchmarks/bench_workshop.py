"""Workshop page: time from a change to the updated chart, for one participant and for a
room of them, and a soak.

Starts `teamsim workshop` and opens the page in headless Debian Chromium (Playwright), on
the `attention_withdrawn` preset, 30 replications of A and of B, 12 quarters (A unchanged,
so only B runs; A is cached and shared by every session). Each change is timed from the
key press to the sentence back at ``data-pending="False"`` with a new result
(:mod:`workshop_driver`).

- one participant: one step of B's `systems_share` slider at a time; the reference,
  measured in the same run, is the same comparison and its chart in this process
  (`simulation.workshop.page.show`, every run in this process);
- a room: ``--crowd`` pages in one Chromium, each typing a different value of B's
  `systems_share` at the same moment, a few rounds; against the same room on a server
  that runs every comparison in its own process (``TEAMSIM_WORKSHOP_WORKERS=0``, as before
  the compute service), measured in the same run;
- a soak: ``--crowd`` participants each changing `systems_share` or `attention_hours`
  every 2 to 5 seconds for ``--minutes``; the errors, and the server's resident memory
  (psutil, with and without its worker processes) from after the warm-up (the first
  fifth, at most a minute) to the end.

Run:  .venv/bin/python benchmarks/bench_workshop.py [--changes N] [--crowd N] [--rounds N]
      [--minutes M] [--parts one,room,soak] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time

from results_file import machine, update_section
from workshop_driver import (
    Participant,
    chromium_rss,
    participants,
    percentile,
    run,
    running_server,
)

PRESET = "attention_withdrawn"
LEVER = "systems_share"
SOAK_LEVERS = {"systems_share": [f"{0.01 * k:.2f}" for k in range(0, 51)],
               "attention_hours": [str(hours) for hours in range(2, 41)]}
MIB = 2**20


async def one_participant(address: str, changes: int) -> list[float]:
    """Seconds from each slider step to the updated comparison, one participant alone."""
    async with participants(address, 1) as (person,):
        await person.show_levers("B")
        times = [await person.step_slider(LEVER) for _ in range(changes)]
    _check(person)
    return times


def in_process_seconds(changes: int) -> list[float]:
    """The same comparisons and charts in this process (A cached, as on the page)."""
    saved = os.environ.get("TEAMSIM_WORKSHOP_WORKERS")
    os.environ["TEAMSIM_WORKSHOP_WORKERS"] = "0"
    from simulation.workshop import compute
    from simulation.workshop.levers import apply_levers
    from simulation.workshop.page import show
    from simulation.workshop.whatif import presets

    compute.shutdown()
    base = presets()[PRESET].config
    show((base, base), 30)
    times = []
    for change in range(1, changes + 1):
        b = apply_levers(base, {LEVER: round(change * 0.05, 6)})
        started = time.perf_counter()
        show((base, b), 30)
        times.append(time.perf_counter() - started)
    compute.shutdown()  # a fresh service (and cache) for the servers after this
    if saved is None:  # the servers started after this have their own setting
        os.environ.pop("TEAMSIM_WORKSHOP_WORKERS")
    else:
        os.environ["TEAMSIM_WORKSHOP_WORKERS"] = saved
    return times


async def room(address: str, crowd: int, rounds: int) -> list[float]:
    """Seconds from each press to the updated comparison, ``crowd`` participants pressing
    Enter on a new value at the same moment, ``rounds`` times (every value different)."""
    async with participants(address, crowd) as people:
        for person in people:
            await person.show_levers("B")
        times: list[float] = []
        for round_ in range(rounds):
            values = [f"{0.01 * (1 + i + crowd * round_):.2f}" for i in range(crowd)]
            befores = []
            for person, value in zip(people, values, strict=True):
                befores.append((await person.settled())["key"])
                await person.box(LEVER).fill(value)
            times += await asyncio.gather(*(
                person.timed(lambda p=person: p.box(LEVER).press("Enter"), before)
                for person, before in zip(people, befores, strict=True)))
            await asyncio.sleep(1.0)
    for person in people:
        _check(person)
    return times


async def soak(server, crowd: int, minutes: float) -> dict[str, float]:
    """``crowd`` participants changing a lever every 2 to 5 seconds for ``minutes``."""
    duration = minutes * 60
    warm_up = min(60.0, duration / 5)
    samples: list[tuple[float, int, int]] = []
    times: list[float] = []
    async with participants(server.address, crowd) as people:
        for person in people:
            await person.show_levers("B")
        started = time.monotonic()

        async def participant(index: int, person: Participant) -> None:
            chance = random.Random(index)
            current = {lever: "" for lever in SOAK_LEVERS}
            while time.monotonic() - started < duration:
                await asyncio.sleep(chance.uniform(2.0, 5.0))
                lever = chance.choice(list(SOAK_LEVERS))
                value = chance.choice([v for v in SOAK_LEVERS[lever] if v != current[lever]])
                current[lever] = value
                seconds = await person.type_value(lever, value)
                if time.monotonic() - started > warm_up:
                    times.append(seconds)

        async def sample() -> None:
            while time.monotonic() - started < duration + 5:
                samples.append((time.monotonic() - started, *server.rss()))
                await asyncio.sleep(5.0)

        await asyncio.gather(sample(), *(participant(i, p) for i, p in enumerate(people)))
        browser_mib = chromium_rss() / MIB
    errors = sum(len(person.errors) for person in people) + server.tracebacks()
    for person in people:
        for error in person.errors[:3]:
            print("  error:", error)
    for excerpt in server.traceback_excerpts()[:3]:
        print("  server traceback:", excerpt)
    after = [s for s in samples if s[0] >= warm_up]
    first, last = after[0], after[-1]
    return {"changes": len(times), "errors": errors, "median": statistics.median(times),
            "p90": percentile(times, 0.9), "warm_up": warm_up,
            "own_start": first[1] / MIB, "own_end": last[1] / MIB,
            "own_max": max(s[1] for s in after) / MIB,
            "all_start": first[2] / MIB, "all_end": last[2] / MIB,
            "all_max": max(s[2] for s in after) / MIB, "browser": browser_mib,
            "nan": sum(t != t for t in times)}


def _check(person: Participant) -> None:
    for error in person.errors:
        print("  error:", error)


def load_line() -> str:
    """The machine's load as the measurement starts."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) at the start"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--crowd", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--parts", default="one,room,soak")
    parser.add_argument("--write", action="store_true", help="record in RESULTS.md")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    command = (f"`python benchmarks/bench_workshop.py --changes {args.changes} --crowd "
               f"{args.crowd} --rounds {args.rounds} --minutes {args.minutes:g}`")
    lines = ["## Workshop page (issue 6; issue 15 item 5)", "",
             f"{machine()} {command}, {load_line()}: the `{PRESET}` preset, 30 "
             f"replications of A and of B, 12 quarters; a change is timed from the key "
             f"press to the updated sentence and chart (only B runs; A is cached). The "
             f"pages run without CSS animations: twenty pages painting progress bars took "
             f"about 1.6 CPU-seconds per change from the server's two cores, painting a "
             f"room's own browsers do on the participants' machines.", ""]
    if "one" in parts:
        with running_server() as server:
            page = run(one_participant(server.address, args.changes))
        here = in_process_seconds(args.changes)
        lines += [
            "One participant (a step of B's `systems_share` slider at a time):", "",
            "| measure | value |", "|---|---|",
            f"| change to updated chart in Chromium, median (target <= 1 s) | "
            f"{statistics.median(page):.2f} s |",
            f"| ... slowest of {args.changes} | {max(page):.2f} s |",
            f"| comparison and chart in-process (reference), median | "
            f"{statistics.median(here):.2f} s |",
            f"| ratio (page / in-process) | "
            f"{statistics.median(page) / statistics.median(here):.2f}x |", ""]
    if "room" in parts:
        figures = {}
        for workers in (None, 0):
            with running_server(workers) as server:
                figures[workers] = run(room(server.address, args.crowd, args.rounds))
        pooled, alone = figures[None], figures[0]
        lines += [
            f"{args.crowd} participants in one headless Chromium, each typing a different "
            f"value of B's `systems_share` at the same moment, {args.rounds} rounds "
            f"({len(pooled)} changes, no two alike, so nothing is served from the cache):",
            "", "| server | median | p90 (target <= 2 s) | slowest |", "|---|---|---|---|",
            f"| compute service, {os.cpu_count()} worker processes | "
            f"{statistics.median(pooled):.2f} s | {percentile(pooled, 0.9):.2f} s | "
            f"{max(pooled):.2f} s |",
            f"| every run in the server's process (reference) | "
            f"{statistics.median(alone):.2f} s | {percentile(alone, 0.9):.2f} s | "
            f"{max(alone):.2f} s |",
            f"| ratio (service / reference) | "
            f"{statistics.median(pooled) / statistics.median(alone):.2f}x | "
            f"{percentile(pooled, 0.9) / percentile(alone, 0.9):.2f}x | |", ""]
    if "soak" in parts:
        with running_server() as server:
            s = run(soak(server, args.crowd, args.minutes))
        own = 100 * (s["own_end"] / s["own_start"] - 1)
        every = 100 * (s["all_end"] / s["all_start"] - 1)
        lines += [
            f"Soak: {args.crowd} participants each changing `systems_share` or "
            f"`attention_hours` every 2 to 5 s for {args.minutes:g} minutes; memory from "
            f"after the warm-up (the first {s['warm_up']:.0f} s) to the end:", "",
            "| measure | value |", "|---|---|",
            f"| changes after the warm-up | {s['changes']} |",
            f"| errors (target 0; timeouts, page errors, tracebacks) | {s['errors']} |",
            f"| change to updated chart, median / p90 | {s['median']:.2f} s / "
            f"{s['p90']:.2f} s |",
            f"| server RSS after warm-up -> end (max) | {s['own_start']:.0f} -> "
            f"{s['own_end']:.0f} MiB ({s['own_max']:.0f}) |",
            f"| server RSS growth (target < 10%) | {own:+.1f}% |",
            f"| with its worker processes | {s['all_start']:.0f} -> {s['all_end']:.0f} MiB "
            f"({s['all_max']:.0f}), {every:+.1f}% |",
            f"| Chromium, all {args.crowd} pages, at the end | {s['browser']:.0f} MiB |", ""]
    body = "\n".join(lines)
    print(body)
    if args.write:
        update_section("workshop", body)


if __name__ == "__main__":
    main()

"""The workshop's compute service: the same frames as a run in this process, shared
between sessions, bounded, and still there when worker processes are not."""

from __future__ import annotations

import concurrent.futures as cf
import threading
from collections.abc import Iterator

import pandas as pd
import pytest

from simulation.workshop import compute
from simulation.workshop.compute import ComputeService, FrameCache, run_in_process
from simulation.workshop.levers import apply_levers
from simulation.workshop.whatif import presets

REPLICATIONS = 4


def preset(name: str = "attention_withdrawn", **levers: object):
    """A shipped scenario with a few levers moved, as the page makes them."""
    return apply_levers(presets()[name].config, levers)


@pytest.fixture(scope="module")
def pooled() -> Iterator[ComputeService]:
    """A service with two worker processes, ready."""
    service = ComputeService(workers=2)
    assert service.wait_for_workers(timeout=120), "the worker processes did not start"
    yield service
    service.shutdown()


@pytest.mark.parametrize("name, levers", [
    ("attention_withdrawn", {}),
    ("attention_withdrawn", {"systems_share": 0.15, "attention_hours": 11.0}),
    ("baseline", {"strategy": "hands_off", "team_size": 5}),
])
def test_worker_frames_are_bit_identical_to_a_run_in_this_process(
        pooled: ComputeService, name: str, levers: dict[str, object]) -> None:
    config = preset(name, **levers)
    before = pooled.runs["pool"]
    frame = pooled.quarterly_runs(config, config.seed, REPLICATIONS)
    assert pooled.runs["pool"] == before + 1  # it did run in a worker
    pd.testing.assert_frame_equal(frame, run_in_process(config, config.seed, REPLICATIONS),
                                  check_exact=True)


def test_a_repeated_request_is_served_from_the_cache(pooled: ComputeService) -> None:
    config = preset(systems_share=0.35)
    first = pooled.quarterly_runs(config, 7, 2)
    runs = dict(pooled.runs)
    assert pooled.quarterly_runs(config, 7, 2) is first
    assert pooled.runs == runs
    assert pooled.quarterly_runs(config, 8, 2) is not first  # another seed is another run


def counting_runs(monkeypatch: pytest.MonkeyPatch, release: threading.Event | None = None
                  ) -> list[tuple[object, int, int]]:
    """Replace the in-process run by one that records its requests (and, given an event,
    waits for it before running)."""
    calls: list[tuple[object, int, int]] = []
    real = compute.run_in_process

    def run(config, seed, replications):  # type: ignore[no-untyped-def]
        calls.append((config, seed, replications))
        if release is not None:
            assert release.wait(30)
        return real(config, seed, replications)

    monkeypatch.setattr(compute, "run_in_process", run)
    return calls


def test_identical_requests_in_flight_run_once(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    calls = counting_runs(monkeypatch, release)
    service = ComputeService(workers=0)
    config = preset(systems_share=0.2)
    with cf.ThreadPoolExecutor(9) as threads:
        futures = [threads.submit(service.quarterly_runs, config, 3, 2) for _ in range(8)]
        other = threads.submit(service.quarterly_runs, config, 3, 3)  # not identical
        while len(calls) < 2:
            threading.Event().wait(0.01)
        release.set()
        frames = [future.result(timeout=60) for future in futures]
        other.result(timeout=60)
    assert len(calls) == 2
    assert all(frame is frames[0] for frame in frames)


def test_a_failed_run_fails_every_waiter_and_is_not_kept(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    def broken(config, seed, replications):  # type: ignore[no-untyped-def]
        raise ValueError("the model refused")

    monkeypatch.setattr(compute, "run_in_process", broken)
    service = ComputeService(workers=0)
    with pytest.raises(ValueError, match="the model refused"):
        service.quarterly_runs(preset(), 1, 2)
    assert len(service.cache) == 0
    monkeypatch.undo()
    assert len(service.quarterly_runs(preset(), 1, 2)) == 2 * preset().quarters


def test_the_cache_keeps_the_most_recently_used_frames_within_its_bounds() -> None:
    frame = run_in_process(preset(), 1, 1)
    size = int(frame.memory_usage(index=True).sum())
    by_count = FrameCache(max_frames=3, max_bytes=100 * size)
    for key in range(5):
        by_count.put(key, frame)
        by_count.get(0)  # the first stays in use
    assert len(by_count) == 3
    assert by_count.get(0) is frame and by_count.get(1) is None and by_count.get(4) is frame
    by_bytes = FrameCache(max_frames=100, max_bytes=int(2.5 * size))
    for key in range(5):
        by_bytes.put(key, frame)
    assert len(by_bytes) == 2 and by_bytes.bytes <= 2.5 * size
    too_large = FrameCache(max_frames=100, max_bytes=size - 1)
    too_large.put("big", frame)
    assert len(too_large) == 0


def test_the_service_bounds_its_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    service = ComputeService(workers=0, cache=FrameCache(max_frames=2))
    for share in (0.1, 0.2, 0.3):
        service.quarterly_runs(preset(systems_share=share), 1, 1)
    assert len(service.cache) == 2
    assert service.runs == {"pool": 0, "here": 3}


def test_without_worker_processes_the_runs_go_on_here(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores on this system")

    monkeypatch.setattr(compute.cf, "ProcessPoolExecutor", no_pool)
    service = ComputeService(workers=2)
    config = preset(systems_share=0.1)
    frame = service.quarterly_runs(config, config.seed, 2)
    assert service.runs == {"pool": 0, "here": 1}
    assert not service.wait_for_workers(timeout=1)
    pd.testing.assert_frame_equal(frame, run_in_process(config, config.seed, 2),
                                  check_exact=True)


class BrokenPool:
    """A pool whose workers have died."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.closed = False

    def submit(self, fn: object, *args: object) -> cf.Future[object]:
        future: cf.Future[object] = cf.Future()
        future.set_result(0) if fn is compute.warmed else future.set_exception(
            cf.process.BrokenProcessPool("a worker was killed"))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.closed = True


def test_a_broken_pool_falls_back_here_and_is_restarted_a_few_times_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute.cf, "ProcessPoolExecutor", BrokenPool)
    service = ComputeService(workers=2)
    for share in (0.1, 0.2, 0.3, 0.4, 0.5):
        service.quarterly_runs(preset(systems_share=share), 1, 1)
    assert service.runs == {"pool": 0, "here": 5}
    assert service._pool_starts == compute.MAX_POOL_STARTS


def test_the_workers_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv(compute.WORKERS_VARIABLE, "0")
    compute.shutdown()
    try:
        assert compute.start().workers == 0
        config = preset(systems_share=0.05)
        compute.quarterly_runs(config, 2, 1)
        assert compute.service().runs == {"pool": 0, "here": 1}
    finally:
        compute.shutdown()
    monkeypatch.setenv(compute.WORKERS_VARIABLE, "many")
    assert compute.workers_wanted() is None


def test_outside_the_server_the_runs_stay_in_the_calling_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(compute.WORKERS_VARIABLE, "2")
    compute.shutdown()
    try:
        assert compute.service().workers == 0  # a script or a notebook starts no pool
        assert compute.start().workers == 2  # the server does
    finally:
        compute.shutdown()


def test_after_shutdown_the_runs_go_on_here() -> None:
    service = ComputeService(workers=1)
    assert service.wait_for_workers(timeout=120)
    service.shutdown()
    service.quarterly_runs(preset(systems_share=0.25), 1, 1)
    assert service.runs == {"pool": 0, "here": 1}

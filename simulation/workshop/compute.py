"""The workshop's runs, shared by every browser session and spread over the cores.

The page asks for a configuration's quarterly rows (:func:`quarterly_runs`) from a worker
thread of the server. Run there, twenty participants moving a lever at once would queue on
one core behind the interpreter's lock; here the runs go to worker processes, one per core,
started by the server (:func:`start`) and stopped by :func:`shutdown` when it exits
(elsewhere, in a script or a notebook, the runs stay in the calling process). Each request
is a pure function of (configuration, seed, replications), so its frame is kept (a bounded
cache, least recently used first out) and shared between sessions, and a request identical
to one still running waits for that one instead of running again. The frames are the same,
bit for bit, as a run in the server's own process: the workers run the same code on the
same arguments, and each run draws its numbers from its own seeded generators
(:mod:`simulation.model.randomness`).

When worker processes cannot be had (none may be started, a pool breaks, a strategy exists
only in this process) the runs go on in this process, as before.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import logging
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable

import pandas as pd

from simulation.engines.batch import run_batch
from simulation.experiments.executors import default_workers, end_with_parent
from simulation.model.config import ScenarioConfig
from simulation.model.strategies import REGISTRY

log = logging.getLogger(__name__)

WORKERS_VARIABLE = "TEAMSIM_WORKSHOP_WORKERS"
"""Worker processes for the workshop's runs (default: one per core; 0: none, every run in
the server's process)."""
MAX_FRAMES = 256
MAX_BYTES = 24 * 2**20
"""The cache's bounds: at most this many frames, holding at most this many bytes (a
comparison's frame of 30 replications of 12 quarters is about 240 kB)."""
MAX_POOL_STARTS = 3
"""Pools started, at most, in a server's life: a pool that keeps breaking is given up for
runs in this process."""

Request = tuple[ScenarioConfig, int, int]


def run_in_process(config: ScenarioConfig, seed: int, replications: int) -> pd.DataFrame:
    """A configuration's quarterly rows over replications 0 to ``replications - 1``, run
    here (the reference every other way of running must match)."""
    return run_batch(config, seed, range(replications)).quarterly_frame()


class StrategyElsewhere(RuntimeError):
    """A worker's registry holds another strategy under the requested name (one
    registered in the server's process only): the run belongs in the server's process."""


def run_in_worker(config: ScenarioConfig, seed: int, replications: int,
                  strategy: str) -> pd.DataFrame:
    """In a worker process: :func:`run_in_process`, once the worker's strategy under the
    configuration's name is checked to be the one the server meant (``strategy``, its
    qualified name)."""
    name = config.leader.strategy
    if name not in REGISTRY or qualified_name(name) != strategy:
        raise StrategyElsewhere(f"strategy {name!r} is not this worker's {strategy}")
    return run_in_process(config, seed, replications)


def qualified_name(strategy: str) -> str:
    """Where a registered strategy's plan is defined, and whether it is vectorised."""
    entry = REGISTRY.get(strategy)
    plan = entry.plan
    return (f"{getattr(plan, '__module__', '?')}.{getattr(plan, '__qualname__', '?')}"
            f"{' vectorised' if entry.vectorised else ''}")


def portable(strategy: str) -> bool:
    """Whether a worker process, importing the package afresh, has the same strategy
    under this name: a built-in, not one a plugin or a script registered here."""
    entry = REGISTRY.get(strategy)
    return not entry.source and getattr(entry.plan, "__module__", "").startswith(
        "simulation.")


def warmed() -> int:
    """In a worker: nothing to do (the imports are done); its process id."""
    return os.getpid()


def _worker_start(parent: int) -> None:
    """In a new worker: exit with the server, and keep numpy's BLAS to one thread (the
    cores are the workers')."""
    end_with_parent(parent)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it, the BLAS threads sit idle on small arrays
        return
    threadpool_limits(1)


class FrameCache:
    """Frames by request, least recently used first out, within a count and a size."""

    def __init__(self, max_frames: int = MAX_FRAMES, max_bytes: int = MAX_BYTES) -> None:
        self.max_frames, self.max_bytes = max_frames, max_bytes
        self._frames: OrderedDict[Hashable, tuple[pd.DataFrame, int]] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._frames)

    def get(self, key: Hashable) -> pd.DataFrame | None:
        """The frame kept for ``key`` (now the most recently used), or None."""
        found = self._frames.get(key)
        if found is None:
            return None
        self._frames.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, frame: pd.DataFrame) -> None:
        """Keep ``frame``, dropping the least recently used frames beyond the bounds (a
        frame larger than the whole cache is not kept)."""
        size = int(frame.memory_usage(index=True, deep=False).sum())
        if size > self.max_bytes:
            return
        if key in self._frames:
            self.bytes -= self._frames.pop(key)[1]
        self._frames[key] = (frame, size)
        self.bytes += size
        while len(self._frames) > self.max_frames or self.bytes > self.max_bytes:
            _, (_, dropped) = self._frames.popitem(last=False)
            self.bytes -= dropped


class ComputeService:
    """Runs requested by many sessions: cached, identical requests in flight run once,
    and run in worker processes when there are any (``workers=0``: in this process)."""

    def __init__(self, workers: int | None = None, cache: FrameCache | None = None) -> None:
        self.workers = default_workers() if workers is None else max(0, workers)
        self.cache = cache if cache is not None else FrameCache()
        self._lock = threading.Lock()
        self._in_flight: dict[Request, cf.Future[pd.DataFrame]] = {}
        self._pool: cf.ProcessPoolExecutor | None = None
        self._warm: list[cf.Future[int]] = []
        self._pool_starts = 0
        self._closed = False
        self.runs = {"pool": 0, "here": 0}
        """Runs done, by where (a cached or coalesced request runs nowhere)."""

    def quarterly_runs(self, config: ScenarioConfig, seed: int,
                       replications: int) -> pd.DataFrame:
        """A configuration's quarterly rows over its replications (the frame is shared:
        do not modify it)."""
        key: Request = (config, int(seed), int(replications))
        with self._lock:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
            running = self._in_flight.get(key)
            if running is None:
                running = self._in_flight[key] = cf.Future()
                leading = True
            else:
                leading = False
        if not leading:
            return running.result()
        try:
            frame = self._run(*key)
        except BaseException as error:
            with self._lock:
                del self._in_flight[key]
            running.set_exception(error)
            raise
        with self._lock:
            self.cache.put(key, frame)
            del self._in_flight[key]
        running.set_result(frame)
        return frame

    def _run(self, config: ScenarioConfig, seed: int, replications: int) -> pd.DataFrame:
        """Run a request in a worker if there is one for it, else here."""
        pool = self._pool_for(config)
        if pool is not None:
            try:
                future = pool.submit(run_in_worker, config, seed, replications,
                                     qualified_name(config.leader.strategy))
                frame = future.result()
            except StrategyElsewhere:
                pass
            except cf.BrokenExecutor as error:  # a worker died: start another pool
                log.warning("workshop worker processes failed (%s); restarting them", error)
                self._drop_pool(pool)
            except Exception as error:  # the model's own error is raised again below
                log.debug("a run failed in a worker (%r); running it here", error)
            else:
                self._count("pool")
                return frame
        frame = run_in_process(config, seed, replications)
        self._count("here")
        return frame

    def _count(self, where: str) -> None:
        with self._lock:
            self.runs[where] += 1

    def _pool_for(self, config: ScenarioConfig) -> cf.ProcessPoolExecutor | None:
        """The worker pool, or None: no workers, the pool given up, a strategy the workers
        would not have, or workers still starting (the first request starts them, and
        runs here meanwhile rather than wait for their imports)."""
        if self.workers == 0 or not portable(config.leader.strategy):
            return None
        with self._lock:
            if self._pool is None and not self._closed and self._pool_starts < MAX_POOL_STARTS:
                self._start_pool()
            if self._pool is None or not all(warm.done() for warm in self._warm):
                return None
            return self._pool

    def _start_pool(self) -> None:
        """Start the worker processes (under the lock), each warming up with one task."""
        self._pool_starts += 1
        try:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start, initargs=(os.getpid(),))
            self._warm = [self._pool.submit(warmed) for _ in range(self.workers)]
        except (OSError, ImportError, NotImplementedError, ValueError, RuntimeError) as error:
            log.warning("no worker processes for the workshop (%s); running in the "
                        "server's process", error)
            self._pool, self._warm = None, []
            self._pool_starts = MAX_POOL_STARTS

    def _drop_pool(self, pool: cf.ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def wait_for_workers(self, timeout: float | None = None) -> bool:
        """Start the workers if need be and wait until they are ready; whether they are."""
        with self._lock:
            if self._pool is None and not self._closed and self._pool_starts < MAX_POOL_STARTS \
                    and self.workers > 0:
                self._start_pool()
            warm = list(self._warm)
        if not warm:
            return False
        done, _ = cf.wait(warm, timeout=timeout)
        return len(done) == len(warm) and not any(f.exception() for f in done)

    def shutdown(self) -> None:
        """Stop the worker processes (runs asked for afterwards go on in this process)."""
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def workers_wanted() -> int | None:
    """The worker count :data:`WORKERS_VARIABLE` asks for (None: one per core)."""
    text = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not text:
        return None
    try:
        return max(0, int(text))
    except ValueError:
        log.warning("%s=%r is not a whole number; using one worker per core",
                    WORKERS_VARIABLE, text)
        return None


_service: ComputeService | None = None
_service_lock = threading.Lock()


def start() -> ComputeService:
    """The server's compute service, with worker processes (:data:`WORKERS_VARIABLE`,
    default one per core); the workshop's server calls it as it starts. Without it (a
    script, a notebook, the tests) the runs go on in the calling process."""
    global _service
    with _service_lock:
        if _service is None or _service.workers == 0:
            _service = ComputeService(workers_wanted())
            atexit.register(_service.shutdown)
        return _service


def service() -> ComputeService:
    """The process's compute service (made at the first request: in this process, unless
    :func:`start` made one with workers)."""
    global _service
    with _service_lock:
        if _service is None:
            _service = ComputeService(0)
        return _service


def quarterly_runs(config: ScenarioConfig, seed: int, replications: int) -> pd.DataFrame:
    """A configuration's quarterly rows over its replications, from the process's compute
    service (shared between sessions: do not modify the frame)."""
    return service().quarterly_runs(config, seed, replications)


def shutdown() -> None:
    """Stop the compute service's worker processes; the server calls it as it exits. A
    later request starts a fresh service."""
    global _service
    with _service_lock:
        done, _service = _service, None
    if done is not None:
        done.shutdown()

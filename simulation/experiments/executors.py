"""Where runs execute, behind the standard ``concurrent.futures.Executor`` interface.

- one worker: in this process (the simplest to debug);
- several: local worker processes (``ProcessPoolExecutor``, spawn start method, as Mesa
  requires);
- beyond one machine: a Dask distributed cluster (``pip install teamsim[dask]``), either
  an existing scheduler's address or a local cluster; its ``Client.get_executor()`` is a
  ``concurrent.futures`` executor too, so every path shares one streaming loop.

Results stream back as tasks finish, with at most a few tasks in flight per worker, so a
sweep of any size holds only a bounded number of runs in memory. When a task raises, the
tasks not yet started are cancelled and the error goes to the caller at once; a worker
process that dies (killed, out of memory) is reported as :class:`WorkerDied`. A sweep's
progress line is :class:`simulation.experiments.progress.Progress` (also importable from
here).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from simulation.experiments.progress import Progress as Progress  # where it used to live

T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(RuntimeError):
    """A worker process ended without handing back its task (a signal, the kernel's
    out-of-memory killer, a crash of the interpreter); the results handed back before it
    are unaffected."""


def is_worker_death(error: BaseException) -> bool:
    """Whether an error a future raised means its worker died: a broken process pool, or
    a task Dask gave up on because its workers kept dying (``KilledWorker``)."""
    return isinstance(error, cf.BrokenExecutor) or type(error).__name__ == "KilledWorker"


class InProcessExecutor(cf.Executor):
    """Runs each task at once, in this process (one worker, no pickling)."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> cf.Future[R]:
        """Run ``fn`` now; return a finished future."""
        future: cf.Future[R] = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed back through the future, as a pool would
            future.set_exception(error)
        return future


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def open_executor(workers: int | None = None, scheduler: str | None = None,
                  dask_local: bool = False) -> Iterator[tuple[cf.Executor, int, str]]:
    """An executor, its number of workers, and a description for the log."""
    count = workers or default_workers()
    if scheduler is not None or dask_local:
        with _dask_executor(count, scheduler) as opened:
            yield opened
        return
    if count == 1:
        yield InProcessExecutor(), 1, "in this process"
        return
    context = multiprocessing.get_context("spawn")
    pool = cf.ProcessPoolExecutor(max_workers=count, mp_context=context,
                                  initializer=end_with_parent, initargs=(os.getpid(),))
    try:
        yield pool, count, f"{count} local worker processes"
    except BaseException:
        # Drop the queued tasks rather than run them for a sweep that has stopped.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def end_with_parent(parent: int) -> None:
    """In a worker: exit as soon as the sweeping process is gone (e.g. killed with
    SIGKILL), instead of lingering as an orphan."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


@contextmanager
def _dask_executor(workers: int, scheduler: str | None
                   ) -> Iterator[tuple[cf.Executor, int, str]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError("Dask is not installed: pip install 'teamsim[dask]'") from None
    if scheduler is not None:
        with Client(scheduler) as client:
            count = max(1, sum(client.nthreads().values()))
            yield client.get_executor(pure=False), count, f"Dask cluster at {scheduler}"
        return
    # ":0": any free port for the scheduler's web server, so a busy 8787 is no problem.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield (client.get_executor(pure=False), workers,
               f"a local Dask cluster of {workers} workers")


def stream(executor: cf.Executor, fn: Callable[[T], R], tasks: Iterable[T],
           in_flight: int) -> Iterator[R]:
    """Submit tasks with at most ``in_flight`` outstanding; yield results as they finish."""
    pending: set[cf.Future[R]] = set()
    queue = iter(tasks)

    def top_up() -> None:
        while len(pending) < in_flight:
            try:
                task = next(queue)
            except StopIteration:
                return
            pending.add(executor.submit(fn, task))

    try:
        top_up()
        while pending:
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=_failed_last):
                pending.discard(future)
                try:
                    result = future.result()
                except Exception as error:
                    if is_worker_death(error):
                        raise WorkerDied(f"a worker process died ({error})") from error
                    raise
                yield result
            top_up()
    finally:
        for future in pending:  # the caller stopped, or a task raised: start no more
            future.cancel()


def _failed_last(future: cf.Future[Any]) -> bool:
    """Sort key: the results of a batch of finished tasks before its errors (so that what
    finished is handed back before the error stops the caller)."""
    return future.cancelled() or future.exception() is not None

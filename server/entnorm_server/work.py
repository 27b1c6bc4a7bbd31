"""CPU work off the event loop: a few threads run jobs in short slices, small work first.

Resolving is CPU-bound Python, so more threads than cores only contend for the GIL. A job is a
generator that yields after each unit of work (one query). A thread runs a job for one slice, then
takes the next job by a two-level rule (a multi-level feedback queue):

- while its flow (a call, or a whole stream) has had less than SHORT_SECONDS of CPU, the flow
  with the least CPU so far goes first: a one-name call overtakes a 1000-name batch and a busy
  stream;
- past that, jobs are served in the order they came: equal long batches finish one after another,
  each in time for its deadline, instead of all together and all too late.

A job whose caller cancelled or whose deadline passed stops at its next unit.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from entnorm_server.exc import CallAbandonedError, ResourceExhaustedError

T = TypeVar("T")
Job = Generator[None, None, T]  # yields between units of work, returns the answer

SHORT_SECONDS = 0.05  # CPU a flow gets ahead of long work: a small call's whole cost
# A call this small (in cost units, characters of names) is always admitted: it runs ahead of
# the queue, so refusing it would protect nobody.
ALWAYS_ADMITTED = 1000
# A job this small, arriving while the pool has nothing to do, runs on the event loop itself: a
# name or two takes less time than handing it to a thread and back (about 1 ms under the GIL).
INLINE_COST = 64


class CancelToken:
    """Set by the event loop when the caller goes away; read by the thread between units."""

    def __init__(self, deadline: float | None = None) -> None:
        self.deadline = deadline  # time.monotonic() past which the answer is useless
        self._cancelled = threading.Event()

    @classmethod
    def within(cls, seconds: float | None) -> CancelToken:
        return cls(None if seconds is None else time.monotonic() + seconds)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def abandoned(self) -> bool:
        if self._cancelled.is_set():
            return True
        return self.deadline is not None and time.monotonic() > self.deadline


@dataclass(eq=False)
class Flow:
    """Whose work a job is: CPU seconds served so far decide who goes next."""

    served: float = 0.0


@dataclass(order=True)
class _Entry(Generic[T]):
    key: tuple[int, float]  # (level, rank): see the module's docstring
    seq: int
    arrival: int = field(compare=False)
    job: Job[T] = field(compare=False)
    flow: Flow = field(compare=False)
    token: CancelToken = field(compare=False)
    future: asyncio.Future[T] = field(compare=False)
    loop: asyncio.AbstractEventLoop = field(compare=False)
    cost: int = field(compare=False)
    spent: float = field(default=0.0, compare=False)


class WorkPool:
    """Threads that run jobs for coroutines; `run` awaits a job's answer."""

    def __init__(
        self, workers: int, *, max_pending_cost: int, slice_seconds: float = 0.005
    ) -> None:
        self.slice_seconds = slice_seconds
        self.max_pending_cost = max_pending_cost
        self._queue: list[_Entry[Any]] = []
        self._ready = threading.Condition()
        self._seq = itertools.count()
        self._pending_cost = 0
        self._seconds_per_cost = 1e-4  # learnt from finished jobs, for the retry hint
        self._closed = False
        # Jobs that ended, by how: for metrics, and for tests to see that work stopped early.
        self.finished = 0
        self.abandoned = 0
        self._threads = [
            threading.Thread(target=self._work, name=f"entnorm-work-{i}", daemon=True)
            for i in range(max(1, workers))
        ]
        for thread in self._threads:
            thread.start()

    async def run(self, job: Job[T], *, flow: Flow, token: CancelToken, cost: int = 1) -> T:
        """The job's answer; ResourceExhaustedError when the queue is full, CallAbandonedError if
        the token fires first. Cancelling the awaiting task cancels the job."""
        if cost <= INLINE_COST and not self._pending_cost and not self._closed:
            return self._inline(job, flow)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._ready:
            if self._closed:
                job.close()
                raise CallAbandonedError(stopping=True)
            if (
                self._pending_cost  # one job, however big, can always run
                and cost > ALWAYS_ADMITTED
                and self._pending_cost + cost > self.max_pending_cost
            ):
                job.close()
                raise self._overloaded()
            self._pending_cost += cost
            seq = next(self._seq)
            entry = _Entry(_key(flow, seq), seq, seq, job, flow, token, future, loop, cost)
            heapq.heappush(self._queue, entry)
            self._ready.notify()
        try:
            return await future
        except asyncio.CancelledError:
            token.cancel()
            raise

    def _inline(self, job: Job[T], flow: Flow) -> T:
        started = time.perf_counter()
        try:
            while True:
                next(job)
        except StopIteration as stop:
            result: T = stop.value
            return result
        finally:
            flow.served += time.perf_counter() - started
            self.finished += 1

    @property
    def pending_cost(self) -> int:
        """Cost of the jobs queued or running."""
        return self._pending_cost

    def close(self) -> None:
        """Take no more jobs; jobs still queued end as CallAbandonedError."""
        with self._ready:
            self._closed = True
            for entry in self._queue:
                entry.token.cancel()
            self._ready.notify_all()

    def _overloaded(self) -> ResourceExhaustedError:
        wait = self._pending_cost * self._seconds_per_cost / len(self._threads)
        retry_after = min(max(round(wait, 1), 0.1), 30.0)
        return ResourceExhaustedError(
            "SERVER_BUSY",
            f"the server has {self._pending_cost:,} characters of names queued, its limit;"
            f" retry in {retry_after:g} s or send smaller batches",
            retry_after=retry_after,
        )

    def _next(self) -> _Entry[Any] | None:
        with self._ready:
            while not self._queue:
                if self._closed:
                    return None
                self._ready.wait()
            return heapq.heappop(self._queue)

    def _work(self) -> None:
        while (entry := self._next()) is not None:
            started = time.perf_counter()
            outcome = self._slice(entry)
            elapsed = time.perf_counter() - started
            entry.flow.served += elapsed
            entry.spent += elapsed
            with self._ready:
                if outcome is None:  # more to do: back in line
                    entry.seq = next(self._seq)
                    entry.key = _key(entry.flow, entry.arrival)
                    heapq.heappush(self._queue, entry)
                    self._ready.notify()
                    continue
                self._pending_cost -= entry.cost
                if isinstance(outcome.error, CallAbandonedError):
                    self.abandoned += 1
                else:
                    self.finished += 1
                if outcome.error is None:
                    rate = entry.spent / max(entry.cost, 1)
                    self._seconds_per_cost += 0.1 * (rate - self._seconds_per_cost)
            # A closed loop means the server stopped: nobody waits for the answer.
            with contextlib.suppress(RuntimeError):
                entry.loop.call_soon_threadsafe(_settle, entry.future, outcome)

    def _slice(self, entry: _Entry[Any]) -> _Done | None:
        """Run the job for one slice: its answer, its failure, or None if it has more to do."""
        until = time.perf_counter() + self.slice_seconds
        try:
            while True:
                if entry.token.abandoned:
                    entry.job.close()
                    return _Done(error=CallAbandonedError(stopping=self._closed))
                next(entry.job)
                if time.perf_counter() >= until:
                    return None
        except StopIteration as stop:
            return _Done(value=stop.value)
        except BaseException as error:  # handed to the awaiting coroutine, which logs it
            return _Done(error=error)


def _key(flow: Flow, arrival: int) -> tuple[int, float]:
    if flow.served < SHORT_SECONDS:
        return (0, flow.served)
    return (1, float(arrival))


@dataclass(frozen=True)
class _Done:
    value: object = None
    error: BaseException | None = None


def _settle(future: asyncio.Future[Any], done: _Done) -> None:
    if future.done():  # the caller was cancelled meanwhile
        return
    if done.error is not None:
        future.set_exception(done.error)
    else:
        future.set_result(done.value)

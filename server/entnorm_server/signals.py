"""Catch signals for the main thread to wait on, safely.

A Python signal handler runs in the main thread between two bytecodes, wherever that thread is.
A handler that takes a lock (`threading.Event.set`) deadlocks if the signal lands while the main
thread holds that same lock, which it does for a moment inside `Event.wait`: the server then never
stops (about one quick SIGTERM in a hundred on a busy machine). So the handlers here do nothing;
the C-level handler writes the signal's number to a pipe (`signal.set_wakeup_fd`), whichever
thread the kernel picked, and the main thread reads it. A signal that arrives before `wait()`
waits in the pipe.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable, Iterator
from types import TracebackType

STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})
RELOAD_SIGNAL = signal.SIGHUP  # reload the tables, as daemons do
SERVER_SIGNALS = STOP_SIGNALS | {RELOAD_SIGNAL}


class Caught:
    """From `with` on, the given signals are caught; `wait()` returns the first one's number.

    Leaving restores the previous handlers. On entry the signals are unblocked too, so that a
    forked child (`blocked`) takes a signal sent to it before it was ready.
    """

    def __init__(self, signals: Iterable[int] = STOP_SIGNALS) -> None:
        self._wanted = frozenset(signals)
        self._pipe: tuple[int, int] | None = None
        self._previous: dict[int, signal._HANDLER] = {}
        self._previous_fd = -1

    def __enter__(self) -> Caught:
        self._pipe = os.pipe()
        write_end = self._pipe[1]
        os.set_blocking(write_end, False)  # set_wakeup_fd requires it
        self._previous = {sig: signal.signal(sig, _ignore) for sig in self._wanted}
        self._previous_fd = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, self._wanted)
        return self

    def wait(self) -> int:
        assert self._pipe is not None, "wait() inside `with`"
        while True:
            for number in os.read(self._pipe[0], 64):
                if number in self._wanted:
                    return number

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        if self._pipe is not None:
            for end in self._pipe:
                os.close(end)
            self._pipe = None


@contextlib.contextmanager
def blocked(signals: Iterable[int] = STOP_SIGNALS) -> Iterator[None]:
    """Hold the signals back (they stay pending) inside `with`: processes forked there start
    with them blocked, and take them once they catch them (`Caught`)."""
    wanted = frozenset(signals)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _ignore(_signal: int, _frame: object) -> None:
    """Do nothing: the wakeup pipe carries the signal."""

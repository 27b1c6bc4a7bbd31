"""Several serving processes on one port: fork before any gRPC object exists, as grpc's
multiprocessing example does, and let the kernel spread connections (SO_REUSEPORT).

Resolving is CPU-bound Python under the GIL, so one process serves about one core; this is how
one machine serves with all of its cores.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable

from entnorm_server import signals


def run_forked(count: int, child: Callable[[], int]) -> int:
    """Run child() in count forked processes until all end; forward SIGTERM, SIGINT and SIGHUP
    to them.

    Returns the worst exit code.
    """
    pids: list[int] = []

    def forward(sig: int, _: object) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):  # that one has ended already
                os.kill(pid, sig)

    # Held back while forking: a child takes them once it catches them, and none is lost here.
    with signals.blocked(signals.SERVER_SIGNALS):
        for _ in range(count):
            pid = os.fork()
            if pid == 0:
                os._exit(_run_child(child))
            pids.append(pid)
        for sig in signals.SERVER_SIGNALS:
            signal.signal(sig, forward)
    worst = 0
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        worst = max(worst, code if code >= 0 else 1)  # negative: ended by a signal
    return worst


def _run_child(child: Callable[[], int]) -> int:
    try:
        return child()
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
        return stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1

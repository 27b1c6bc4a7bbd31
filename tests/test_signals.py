"""Stop signals reach the serving loop however they land: before the wait, on a busy thread, or
on a forked child that is not ready yet. Scripts run as subprocesses, so no signal hits pytest."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from entnorm_server import signals

BUSY_WAITER = """
import os, sys, threading
from entnorm_server import signals

def spin():
    while True:
        sum(range(1000))

for _ in range(3):  # the kernel may hand the signal to any of these, or run them mid-handler
    threading.Thread(target=spin, daemon=True).start()
with signals.Caught() as caught:
    print("ready", flush=True)
    received = caught.wait()
os._exit(0 if received == signal_number else 3)
"""

FORKED_BEFORE_READY = """
import os, signal, time
from entnorm_server import signals

with signals.blocked():
    pid = os.fork()
    if pid == 0:
        time.sleep(0.3)  # the signal below is sent while this child is not catching yet
        with signals.Caught() as caught:
            os._exit(0 if caught.wait() == signal.SIGTERM else 3)
os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
raise SystemExit(os.waitstatus_to_exitcode(status))
"""


def run_script(source: str, *, signal_number: int = 0) -> subprocess.Popen[str]:
    header = f"signal_number = {signal_number}\n"
    return subprocess.Popen(
        [sys.executable, "-c", header + textwrap.dedent(source)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_signal_sent_before_the_wait_is_kept_for_it() -> None:
    before = signal.getsignal(signal.SIGUSR1)
    with signals.Caught({signal.SIGUSR1}) as caught:
        signal.raise_signal(signal.SIGUSR1)
        assert caught.wait() == signal.SIGUSR1
    assert signal.getsignal(signal.SIGUSR1) == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_busy_process_stops_on_every_signal_sent_as_soon_as_it_is_ready(sig: int) -> None:
    # A handler that took a lock deadlocked here about once in a hundred runs.
    for _ in range(25):
        proc = run_script(BUSY_WAITER, signal_number=sig)
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(sig)
        try:
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_a_forked_child_takes_a_signal_sent_before_it_catches_it() -> None:
    proc = run_script(FORKED_BEFORE_READY)
    assert proc.wait(timeout=30) == 0  # not killed by the signal's default action (-15)

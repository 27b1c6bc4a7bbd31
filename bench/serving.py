"""Serving under load: do health checks and small calls still answer while streams are open?

    .venv/bin/python bench/serving.py                          # this checkout
    .venv/bin/python bench/serving.py --baseline-ref HEAD~20   # and an older one, same run

Each server runs as `entnorm serve` in a subprocess over the embedded tables. The load comes from
another subprocess (an asyncio client), so the measuring client shares no GIL with it. Measured,
for every server:

- `unloaded`: p50 and p99 latency of a health check, of `ResolveNames` with one name and of
  `GetDataRevision`, sequential calls from one client;
- `idle_streams`: the same while 64 streams are open, each having sent one chunk;
- `busy_streams`: the same while 64 streams each send 20-name chunks back to back;
- `recovery`: 8 clients send a 1000-name batch of 50-character Han names (about 8 s of CPU
  each) with a 1 s deadline and give up; from that moment, how long until a one-name call
  answers within the unloaded p99 again;
- `overload`: 20 clients at once send a 100-name batch of Han names, each with a deadline of 8
  times what one batch takes alone; how many are answered in time (serving them in turn answers
  about 8, sharing the CPU evenly none).

A call that takes longer than 2 s counts as a timeout. Writes bench/results/serving.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from entnorm.v1 import entnorm_service_pb2 as pb
from entnorm.v1 import entnorm_service_pb2_grpc as pb_grpc

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "serving.json"
CALL_TIMEOUT = 2.0
NAMES = ["Shen Yuanxi", "Kim Jong Un", "Зеленский", "Black Intelligence", "신원식", "Putin"]


def han_name(rng: random.Random, length: int) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(length))


# --- the server under test -------------------------------------------------------------------


@contextmanager
def served(source: Path, env: dict[str, str]) -> Iterator[str]:
    """`entnorm serve` from the source tree, on a free port; yields its target."""
    paths = [str(source / "server"), str(source / "proto"), str(source / "client")]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "entnorm_client.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--aliases",
            str(source / "aliases"),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={
            **os.environ,
            **env,
            "PYTHONPATH": os.pathsep.join(paths),
            "ENTNORM_ACCESS_LOG_SAMPLE": "0",
        },
        cwd=source,
    )
    assert proc.stderr is not None
    port = None
    deadline = time.monotonic() + 120
    while port is None and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if found := re.search(r"serving.*\bport=(\d+)", line):
            port = int(found.group(1))
        elif not line and proc.poll() is not None:
            raise RuntimeError("the server did not start")
    # Drain the log so that the server never blocks on a full pipe.
    drain = subprocess.Popen(["cat"], stdin=proc.stderr, stdout=subprocess.DEVNULL)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        drain.kill()


# --- measuring ----------------------------------------------------------------------------------


def latencies(call: Callable[[], object], count: int) -> dict[str, float | int]:
    times, timeouts = [], 0
    for _ in range(count):
        started = time.perf_counter()
        try:
            call()
        except grpc.RpcError:
            timeouts += 1
            continue
        times.append(time.perf_counter() - started)
    if not times:
        return {"timeouts": timeouts}
    times.sort()
    return {
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 2),
        "timeouts": timeouts,
    }


def probes(target: str) -> dict[str, Callable[[], object]]:
    channel = grpc.insecure_channel(target)
    stub = pb_grpc.EntnormServiceStub(channel)
    health: Any = health_pb2_grpc.HealthStub(channel)
    one = pb.ResolveNamesRequest(queries=[pb.NameQuery(text="Shen Yuanxi")])
    return {
        "health": lambda: health.Check(health_pb2.HealthCheckRequest(), timeout=CALL_TIMEOUT),
        "resolve_one": lambda: stub.ResolveNames(one, timeout=CALL_TIMEOUT),
        "revision": lambda: stub.GetDataRevision(pb.GetDataRevisionRequest(), timeout=CALL_TIMEOUT),
    }


def measure(target: str, count: int) -> dict[str, Any]:
    return {name: latencies(call, count) for name, call in probes(target).items()}


@contextmanager
def load(target: str, mode: str, streams: int) -> Iterator[int]:
    """Streams held open by another process; yields how many opened (answered a chunk)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--load", mode, "--target", target, "--streams", str(streams)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    ready = proc.stdout.readline().split()  # "ready N"
    try:
        yield int(ready[1]) if len(ready) == 2 else 0
    finally:
        proc.terminate()
        proc.wait(30)


def recovery(target: str, p99_ms: float, clients: int) -> dict[str, Any]:
    """Seconds from the expensive calls' deadline until a small call is back within p99."""
    proc = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--load",
            "abandon",
            "--target",
            target,
            "--streams",
            str(clients),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "sent"
    gave_up = time.monotonic() + 1.0
    proc.wait(60)
    resolve_one = probes(target)["resolve_one"]
    time.sleep(max(0.0, gave_up - time.monotonic()))
    limit = max(p99_ms, 1.0) / 1000
    while time.monotonic() - gave_up < 120:
        # Three calls in a row within p99, so that one lucky call is not taken for recovery.
        if all(_within(resolve_one, limit) for _ in range(3)):
            return {"seconds": round(time.monotonic() - gave_up, 2)}
        time.sleep(0.02)
    return {"seconds": None}


def _within(call: Callable[[], object], limit: float) -> bool:
    started = time.perf_counter()
    try:
        call()
    except grpc.RpcError:
        return False
    return time.perf_counter() - started <= limit


def bench_server(source: Path, env: dict[str, str], count: int) -> dict[str, Any]:
    with served(source, env) as target:
        result: dict[str, Any] = {"unloaded": measure(target, count)}
        with load(target, "idle", 64) as opened:
            result["idle_streams"] = {**measure(target, count), "streams_opened": opened}
        with load(target, "busy", 64) as opened:
            result["busy_streams"] = {**measure(target, count), "streams_opened": opened}
        p99 = result["unloaded"]["resolve_one"].get("p99_ms", 1.0)
        result["recovery"] = recovery(target, p99, 8)
        result["overload"] = overload(target, 20)
    return result


def overload(target: str, clients: int) -> dict[str, Any]:
    rng = random.Random(11)
    request = pb.ResolveNamesRequest(
        queries=[pb.NameQuery(text=han_name(rng, 50)) for _ in range(100)]
    )
    stub = pb_grpc.EntnormServiceStub(grpc.insecure_channel(target))
    started = time.perf_counter()
    stub.ResolveNames(request, timeout=120)
    alone = time.perf_counter() - started
    deadline = 8 * alone
    futures = [stub.ResolveNames.future(request, timeout=deadline) for _ in range(clients)]
    answered = sum(1 for f in futures if f.exception() is None)
    return {
        "alone_s": round(alone, 2),
        "deadline_s": round(deadline, 2),
        "answered": answered,
        "clients": clients,
    }


# --- the load generator (a subprocess) ------------------------------------------------------


class _Opened:
    """Which streams have had their first answer; set when all of them have."""

    def __init__(self, streams: int) -> None:
        self.streams = streams
        self.answered: set[int] = set()
        self.all = asyncio.Event()

    def mark(self, index: int) -> None:
        self.answered.add(index)
        if len(self.answered) == self.streams:
            self.all.set()


async def _stream(stub: Any, busy: bool, opened: _Opened, index: int) -> None:
    rng = random.Random(index)
    queue: asyncio.Queue[pb.StreamResolveNamesRequest | None] = asyncio.Queue()

    async def chunks() -> Any:
        while (chunk := await queue.get()) is not None:
            yield chunk

    call = stub.StreamResolveNames(chunks())
    sent = 0
    while True:
        names = [rng.choice(NAMES) for _ in range(20)]
        await queue.put(
            pb.StreamResolveNamesRequest(
                chunk_id=str(sent), queries=[pb.NameQuery(text=n) for n in names]
            )
        )
        try:
            await call.read()
        except grpc.aio.AioRpcError:
            return
        opened.mark(index)
        sent += 1
        if not busy:
            await asyncio.Event().wait()  # stay open, idle


async def _load(target: str, mode: str, streams: int) -> None:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = pb_grpc.EntnormServiceStub(channel)
        if mode == "abandon":
            rng = random.Random(7)
            request = pb.ResolveNamesRequest(
                queries=[pb.NameQuery(text=han_name(rng, 50)) for _ in range(1000)]
            )
            calls = [stub.ResolveNames(request, timeout=1.0) for _ in range(streams)]
            print("sent", flush=True)
            await asyncio.gather(*calls, return_exceptions=True)
            return
        opened = _Opened(streams)
        tasks = [
            asyncio.create_task(_stream(stub, mode == "busy", opened, index))
            for index in range(streams)
        ]
        # A server that cannot open them all (one thread per stream) gets 30 s to try.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(opened.all.wait(), 30)
        print("ready", len(opened.answered), flush=True)
        await asyncio.gather(*tasks)


# --- the run ------------------------------------------------------------------------------------


@contextmanager
def worktree(ref: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(path), ref],
            check=True,
            capture_output=True,
        )
        try:
            yield path
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)],
                check=False,
                capture_output=True,
            )


def table(results: dict[str, Any]) -> None:
    heads = ("p50 ms", "p99 ms", "timeouts")
    print(f"{'server':28s} {'condition':14s} {'probe':12s} " + " ".join(f"{h:>8s}" for h in heads))
    for server, result in results.items():
        for condition in ("unloaded", "idle_streams", "busy_streams"):
            if "streams_opened" in result[condition]:
                opened = result[condition]["streams_opened"]
                print(f"{server:28s} {condition:14s} streams open: {opened}")
            for probe, figures in result[condition].items():
                if probe == "streams_opened":
                    continue
                print(
                    f"{server:28s} {condition:14s} {probe:12s} "
                    f"{figures.get('p50_ms', '-'):>8} {figures.get('p99_ms', '-'):>8} "
                    f"{figures['timeouts']:>8}"
                )
        print(f"{server:28s} recovery after abandoned calls: {result['recovery']['seconds']} s")
        if "overload" in result:
            over = result["overload"]
            print(
                f"{server:28s} overload: {over['answered']} of {over['clients']} answered within"
                f" {over['deadline_s']} s (one batch alone: {over['alone_s']} s)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline-ref", help="also measure the server of this git ref")
    parser.add_argument("--baseline-env", default="", help="KEY=VALUE,... for the baseline server")
    parser.add_argument("--calls", type=int, default=200, help="calls per probe and condition")
    parser.add_argument("--load", choices=["idle", "busy", "abandon"], help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--streams", type=int, default=64, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        asyncio.run(_load(args.target, args.load, args.streams))
        return
    results: dict[str, Any] = {}
    results["this checkout"] = bench_server(REPO, {}, args.calls)
    if args.baseline_ref:
        env = dict(kv.split("=", 1) for kv in args.baseline_env.split(",") if kv)
        with worktree(args.baseline_ref) as path:
            results[f"{args.baseline_ref} {args.baseline_env}".strip()] = bench_server(
                path, env, args.calls
            )
    table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()

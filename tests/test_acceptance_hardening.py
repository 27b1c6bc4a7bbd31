"""Issue 15's acceptance, as a new user tries it: the CLI as a subprocess against a real server."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from test_cli import entnorm


def test_hangul_that_once_crashed_the_resolver_answers(server_target: str) -> None:
    result = entnorm("--target", server_target, "resolve", "--json", "않하", "낞뻰")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in answers] == ["않하", "낞뻰"]
    assert all(a["outcome"] in ("resolved", "ambiguous", "unresolved") for a in answers)


def test_eight_resolve_file_runs_do_not_stop_revision_from_answering(
    server_target: str, tmp_path: Path
) -> None:
    names = tmp_path / "names.csv"
    with names.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name"])
        for i in range(4000):
            writer.writerow([("Shen Yuanxi", "Kim Jong Un", "Зеленский", "金正恩")[i % 4]])
    outputs = [tmp_path / f"out{i}.jsonl" for i in range(8)]
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "entnorm_client.cli",
                "--target",
                server_target,
                "resolve-file",
                str(names),
                "--chunk-size",
                "100",
                "-o",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for out in outputs
    ]
    try:
        # Every run has its stream open once it has written its first answer.
        deadline = time.monotonic() + 120
        while not all(out.exists() and out.stat().st_size for out in outputs):
            assert time.monotonic() < deadline, "the runs did not start"
            time.sleep(0.1)
        result = entnorm("--target", server_target, "--timeout", "10", "revision")
        still_running = sum(run.poll() is None for run in runs)
        assert result.returncode == 0, result.stderr
        assert "revision" in result.stdout
        assert still_running == 8  # revision answered while all eight streams were busy
    finally:
        for run in runs:
            run.kill()
            run.wait()

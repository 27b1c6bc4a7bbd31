"""The wheel carries the stubs and the embedded default tables, and serves them from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DEFAULT_ALIASES, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("entnorm-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in DEFAULT_ALIASES.glob("*.yaml"):
        assert f"entnorm_server/default_aliases/{table.name}" in names
    assert "entnorm/v1/entnorm_service_pb2.py" in names
    assert "entnorm/v1/entnorm_service_pb2_grpc.pyi" in names
    assert "entnorm_client/cli.py" in names


def test_installed_wheel_finds_its_tables_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("ENTNORM_ALIASES", None)
    done = subprocess.run(
        [sys.executable, "-m", "entnorm_client.cli", "lint"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert str(site / "entnorm_server" / "default_aliases") in done.stdout

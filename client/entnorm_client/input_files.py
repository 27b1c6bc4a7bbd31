"""Rows of names from a CSV or JSON Lines file, for `entnorm resolve-file`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from entnorm_client.cli_errors import InvalidInputError

FORMATS = ("csv", "jsonl")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class InputRow:
    """One record of the file and the name to resolve from it."""

    line: int
    record: dict[str, object]
    name: str


def detect_format(path: Path, given: str | None) -> str:
    """The format given, else the one the file's suffix names."""
    if given is not None:
        return given
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InvalidInputError(
            f"{path}: cannot tell the format from the suffix; pass --format csv or --format jsonl"
        ) from None


def read_rows(path: Path, file_format: str, column: str) -> Iterator[InputRow]:
    """The rows of the file in order; InvalidInputError naming `file:line` for a bad row."""
    if file_format == "csv":
        return _csv_rows(path, column)
    return _jsonl_rows(path, column)


def _csv_rows(path: Path, column: str) -> Iterator[InputRow]:
    # utf-8-sig: spreadsheet exports often start with a byte order mark.
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file, restkey="_extra")
        if reader.fieldnames is None or column not in reader.fieldnames:
            columns = ", ".join(reader.fieldnames or []) or "none"
            raise InvalidInputError(f"{path}: no column {column!r} (columns: {columns})")
        for record in reader:
            yield _row(path, reader.line_num, dict(record), column)


def _jsonl_rows(path: Path, column: str) -> Iterator[InputRow]:
    with path.open(encoding="utf-8") as file:
        for line_number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InvalidInputError(f"{path}:{line_number}: not JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise InvalidInputError(f"{path}:{line_number}: expected a JSON object")
            yield _row(path, line_number, record, column)


def _row(path: Path, line: int, record: dict[str, object], column: str) -> InputRow:
    name = record.get(column)
    if not isinstance(name, str):
        raise InvalidInputError(f"{path}:{line}: no text in {column!r}")
    # The server would reject the whole chunk; say which line instead.
    if not name.strip():
        raise InvalidInputError(f"{path}:{line}: {column!r} is empty")
    return InputRow(line, record, name)

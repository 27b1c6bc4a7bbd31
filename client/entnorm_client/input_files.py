"""Rows of names from a CSV, TSV or JSON Lines file, for `entnorm resolve-file`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from entnorm_client.cli_errors import InvalidInputError
from entnorm_client.utf8 import non_utf8

FORMATS = ("csv", "tsv", "jsonl")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_DELIMITERS = {"csv": ",", "tsv": "\t"}


@dataclass(frozen=True)
class InputRow:
    """One record of the file and the name to resolve from it."""

    line: int
    record: dict[str, object]
    name: str


@dataclass(frozen=True)
class InputFile:
    """A file of names: its format, the column (or JSON field) that holds the name, and for
    CSV and TSV the delimiter."""

    path: Path
    file_format: str
    column: str
    delimiter: str | None = None

    @classmethod
    def from_options(
        cls, path: Path, file_format: str | None, column: str, delimiter: str | None
    ) -> InputFile:
        """The file as the options describe it; InvalidInputError if they do not fit."""
        chosen = detect_format(path, file_format)
        if chosen == "jsonl" and delimiter is not None:
            raise InvalidInputError(f"{path}: --delimiter is for CSV and TSV, not JSON Lines")
        return cls(path, chosen, column, delimiter or _DELIMITERS.get(chosen))

    def rows(self) -> Iterator[InputRow]:
        """The rows in order; InvalidInputError naming `file:line` for a bad row."""
        if self.file_format == "jsonl":
            return self._jsonl_rows()
        return self._csv_rows()

    def _csv_rows(self) -> Iterator[InputRow]:
        reader = csv.DictReader(
            _text_lines(self.path), delimiter=self.delimiter or ",", restkey="_extra"
        )
        try:
            if reader.fieldnames is None or self.column not in reader.fieldnames:
                columns = ", ".join(reader.fieldnames or []) or "none"
                raise InvalidInputError(
                    f"{self.path}: no column {self.column!r} (columns: {columns})"
                    + _delimiter_hint(reader.fieldnames, self.delimiter)
                )
            for record in reader:
                yield _row(self.path, reader.line_num, dict(record), self.column)
        except csv.Error as error:
            what = "TSV" if self.delimiter == "\t" else "CSV"
            raise InvalidInputError(
                f"{self.path}:{reader.line_num}: not {what} ({error})"
            ) from None

    def _jsonl_rows(self) -> Iterator[InputRow]:
        for line_number, line in enumerate(_text_lines(self.path), start=1):
            if not line.strip():
                continue
            where = f"{self.path}:{line_number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InvalidInputError(f"{where}: not JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise InvalidInputError(f"{where}: expected a JSON object")
            # A \ud800 escape is valid JSON but no text: neither the server nor the output
            # (UTF-8) could take it.
            problem = non_utf8(json.dumps(record, ensure_ascii=False))
            if problem is not None:
                raise InvalidInputError(f"{where}: not UTF-8 text ({problem.what}, from an escape)")
            yield _row(self.path, line_number, record, self.column)


def detect_format(path: Path, given: str | None) -> str:
    """The format given, else the one the file's suffix names."""
    if given is not None:
        return given
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InvalidInputError(
            f"{path}: cannot tell the format from the suffix; pass --format csv, tsv or jsonl"
        ) from None


def _text_lines(path: Path) -> Iterator[str]:
    """The file's lines, endings kept as csv wants them; InvalidInputError naming `file:line`
    and the column of the first byte that is not UTF-8."""
    # surrogateescape keeps a bad byte as a lone surrogate, so it is found with its line
    # instead of failing a whole buffer. utf-8-sig: spreadsheet exports often start with a BOM.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as file:
        for line_number, line in enumerate(file, start=1):
            if not line.isascii() and (problem := non_utf8(line)) is not None:
                raise InvalidInputError(f"{path}:{line_number}: not UTF-8 text ({problem})")
            yield line


def _delimiter_hint(fieldnames: Sequence[str] | None, delimiter: str | None) -> str:
    # One column holding the others' names: most likely a file split by another character.
    if fieldnames is not None and len(fieldnames) == 1:
        for other in (";", "\t", ",", "|"):
            if other != delimiter and other in fieldnames[0]:
                shown = "tab" if other == "\t" else other
                return f"; split by {shown!r}? pass --delimiter {shown!r}"
    return ""


def _row(path: Path, line: int, record: dict[str, object], column: str) -> InputRow:
    name = record.get(column)
    if not isinstance(name, str):
        raise InvalidInputError(f"{path}:{line}: no text in {column!r}")
    # The server would reject the whole chunk; say which line instead.
    if not name.strip():
        raise InvalidInputError(f"{path}:{line}: {column!r} is empty")
    return InputRow(line, record, name)

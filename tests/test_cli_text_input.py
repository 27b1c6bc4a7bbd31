"""Text as the CLI takes it: arguments and files that are not UTF-8, TSV and other delimiters,
and a row the server refuses, each named by where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import entnorm, json_lines

SHIN = "person:shin-won-sik"
HUR = "org:ua-hur"


# --- arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["resolve", b"\xff\xfe"], "entnorm: NAMES: not UTF-8 text (byte 0xff at column 1)"),
        (
            ["resolve", "Kyiv", b"Ky\xc3iv"],
            "entnorm: NAMES (value 2): not UTF-8 text (byte 0xc3 at column 3)",
        ),
        (
            ["resolve", "--lang", b"k\xa0", "Kyiv"],
            "entnorm: --lang: not UTF-8 text (byte 0xa0 at column 2)",
        ),
        (["get", b"person:\xe9"], "entnorm: IDS: not UTF-8 text (byte 0xe9 at column 8)"),
        (
            ["resolve-file", "NAMES_CSV", "--column", b"n\xffme"],
            "entnorm: --column: not UTF-8 text (byte 0xff at column 2)",
        ),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_one_line_usage_error(
    dead_target: str, tmp_path: Path, args: list[str | bytes], line: str
) -> None:
    names = tmp_path / "names.csv"
    names.write_text("name\nKyiv\n")
    args = [str(names) if arg == "NAMES_CSV" else arg for arg in args]

    # Nothing listens at the target: a check made after connecting would exit 3.
    result = entnorm("--target", dead_target, *args)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert result.stdout == ""


# --- files that are not UTF-8 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        (
            "names.csv",
            b"id,name\n1,Kyiv\n2,Mosk\xe1u\n",
            "3: not UTF-8 text (byte 0xe1 at column 7)",
        ),
        ("names.tsv", "name\nКиїв\n".encode("cp1251"), "2: not UTF-8 text (byte 0xca at column 1)"),
        (
            "names.jsonl",
            b'{"name": "Kyiv"}\n{"name": "Ky\x81v"}\n',
            "2: not UTF-8 text (byte 0x81 at column 13)",
        ),
        (
            "names.jsonl",
            b'{"name": "Kyiv"}\n{"name": "K\\ud800yiv"}\n',
            "2: not UTF-8 text (lone surrogate U+D800, from an escape)",
        ),
    ],
)
def test_a_file_that_is_not_utf8_is_named_by_line_and_column_before_anything_is_sent(
    server_target: str, tmp_path: Path, name: str, content: bytes, line: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)

    result = entnorm("--target", server_target, "resolve-file", str(source))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"entnorm: {source}:{line}"]
    assert result.stdout == ""


# --- TSV and delimiters ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".tsv", ".tab"])
def test_resolve_file_reads_tsv_by_its_suffix(
    server_target: str, tmp_path: Path, suffix: str
) -> None:
    source = tmp_path / f"names{suffix}"
    source.write_text("id\tname\n1\tShin Won-sik, MND\n2\tBlack Intelligence\n", encoding="utf-8")

    result = entnorm("--target", server_target, "resolve-file", str(source))

    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert [row["input"] for row in rows] == [
        {"id": "1", "name": "Shin Won-sik, MND"},
        {"id": "2", "name": "Black Intelligence"},
    ]
    assert rows[1]["resolution"]["candidates"][0]["entity_id"] == HUR


def test_resolve_file_takes_a_delimiter(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.txt"
    source.write_text("id;name;note\n1;Shin Won-sik;a, b\n", encoding="utf-8")

    result = entnorm(
        "--target",
        server_target,
        "resolve-file",
        str(source),
        "--format",
        "csv",
        "--delimiter",
        ";",
    )

    assert result.returncode == 0, result.stderr
    [row] = json_lines(result.stdout)
    assert row["input"] == {"id": "1", "name": "Shin Won-sik", "note": "a, b"}
    assert row["resolution"]["candidates"][0]["entity_id"] == SHIN


def test_a_file_split_by_another_delimiter_gets_a_hint(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("id;name\n1;Shin Won-sik\n", encoding="utf-8")

    result = entnorm("--target", server_target, "resolve-file", str(source))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"entnorm: {source}: no column 'name' (columns: id;name); split by ';'?"
        " pass --delimiter ';'"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--delimiter", ";;"], "--delimiter: expected one character"),
        (["--delimiter", '"'], "--delimiter: expected one character"),
        (["--format", "jsonl", "--delimiter", ";"], "--delimiter is for CSV and TSV"),
    ],
)
def test_a_delimiter_that_cannot_apply_is_a_usage_error(
    dead_target: str, tmp_path: Path, args: list[str], message: str
) -> None:
    source = tmp_path / "names.csv"
    source.write_text("name\nKyiv\n")

    result = entnorm("--target", dead_target, "resolve-file", str(source), *args)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert message in line


# --- a row the server refuses ----------------------------------------------------------------


def test_a_refused_row_is_named_by_its_line(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.jsonl"
    lines = ['{"name": "Shin Won-sik"}'] * 3 + ['{"name": "' + "x" * 600 + '"}']
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = entnorm("--target", server_target, "resolve-file", str(source), "--chunk-size", "2")

    assert result.returncode == 2
    assert len(json_lines(result.stdout)) == 2
    refused, stopped = result.stderr.splitlines()
    assert refused.startswith(f"entnorm: {source}:4: queries[3].text: must be at most 512")
    assert "(request id " in refused
    assert stopped == f"entnorm: {source}:3: stopped at this row; 2 rows written"

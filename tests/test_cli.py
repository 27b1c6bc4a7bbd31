"""The `entnorm` CLI as a user runs it: a subprocess against a real server on loopback."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from entnorm_client.lazy_group import LazyGroup

SHIN = "person:shin-won-sik"
HUR = "org:ua-hur"
NOWHERE = "Zzyzx Qwerty"


def entnorm(
    *args: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI; a wide COLUMNS keeps rich tables from wrapping the ids. An argument in bytes
    reaches it as is, as a shell passes bytes that are not UTF-8."""
    return subprocess.run(
        [sys.executable, "-m", "entnorm_client.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        check=False,
    )


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def candidate_ids(resolution: dict[str, Any]) -> list[str]:
    return [c["entity_id"] for c in resolution["candidates"]]


# --- resolve ---------------------------------------------------------------------------------


def test_resolve_prints_a_view_per_name(server_target: str) -> None:
    result = entnorm("--target", server_target, "resolve", "Shen Yuanxi", "Black Intelligence")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("Shen Yuanxi") < out.index(SHIN) < out.index("Black Intelligence")
    assert out.index("Black Intelligence") < out.index(HUR)
    assert "resolved" in out
    assert "misrendering" in out
    assert "mistranslation" in out
    assert re.search(r"\s[01]\.\d\d\s", out)  # a score with two decimals


def piped(*args: str) -> str:
    """The CLI's stdout through a pipe, with no COLUMNS to say how wide."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    command = [sys.executable, "-m", "entnorm_client.cli", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_piped_output_keeps_each_line_whole(server_target: str) -> None:
    why = next(
        line
        for line in piped("--target", server_target, "resolve", "Shin Won Sik").splitlines()
        if "why" in line
    )
    assert len(why) > 80
    assert why.rstrip().endswith("'Shin Won-sik' [en]")

    entity = piped("--target", server_target, "get", SHIN)
    shen = next(line for line in entity.splitlines() if line.startswith("Shen Yuanxi"))
    assert "(pinyin Shēn Yuánshí" in shen
    assert shen.rstrip().endswith("seed:kursk-nsc-2024-10")


def test_resolve_json_prints_one_object_per_name(server_target: str) -> None:
    names = ["Shin Won-sik", "Shen Yuanxi", "신원식", "Kim Tae-hyung", "Black Intelligence"]

    result = entnorm("--target", server_target, "resolve", "--json", *names)

    assert result.returncode == 0, result.stderr
    lines = json_lines(result.stdout)
    assert [line["query"] for line in lines] == names
    assert [line["outcome"] for line in lines] == [
        "resolved",
        "resolved",
        "resolved",
        "ambiguous",
        "resolved",
    ]
    assert {candidate_ids(line)[0] for line in lines[:3]} == {SHIN}
    assert "person:kim-tae-hyo" in candidate_ids(lines[3])
    [hur] = [c for c in lines[4]["candidates"] if c["entity_id"] == HUR]
    assert hur["matched_alias"]["kind"] == "mistranslation"


def test_an_unresolved_name_is_not_a_failure(server_target: str) -> None:
    result = entnorm("--target", server_target, "resolve", "--json", NOWHERE)

    assert result.returncode == 0, result.stderr
    [line] = json_lines(result.stdout)
    assert line["outcome"] == "unresolved"
    assert line["candidates"] == []


def test_resolve_filters_by_type(server_target: str) -> None:
    result = entnorm(
        "--target", server_target, "resolve", "--json", "--type", "person", "Black Intelligence"
    )

    assert result.returncode == 0, result.stderr
    [line] = json_lines(result.stdout)
    assert HUR not in candidate_ids(line)


def test_issue_acceptance_names_resolve_with_a_route(server_target: str) -> None:
    names = [
        ("Sin Wonsik", "person:shin-won-sik"),
        ("Shin Won Sik", "person:shin-won-sik"),
        ("Kim Jong Un", "person:kim-jong-un"),
        ("Jong-un Kim", "person:kim-jong-un"),
        ("Зеленский", "person:volodymyr-zelenskyy"),
        ("Selenskyj", "person:volodymyr-zelenskyy"),
        ("Володимир Зеленський", "person:volodymyr-zelenskyy"),
    ]
    done = entnorm("--target", server_target, "resolve", "--json", *(n for n, _ in names))
    assert done.returncode == 0, done.stderr
    for (name, entity), answer in zip(names, json_lines(done.stdout), strict=True):
        assert answer["outcome"] == "resolved", (name, answer)
        best = answer["candidates"][0]
        assert best["entity_id"] == entity
        assert best["explanation"]  # how it matched, always
        assert best["match_kind"] in {
            "exact",
            "normalized",
            "transliterated",
            "token_reorder",
            "fuzzy",
        }
        assert best["evidence"]["score_terms"]  # and what its score rests on
    kim = json_lines(entnorm("--target", server_target, "resolve", "--json", "Kim").stdout)
    assert kim[0]["outcome"] == "ambiguous"
    assert len(kim[0]["candidates"]) > 1


def test_threshold_option_raises_the_bar(server_target: str) -> None:
    default = json_lines(entnorm("--target", server_target, "resolve", "--json", "V. Putin").stdout)
    strict = entnorm("--target", server_target, "resolve", "--json", "--threshold", "1", "V. Putin")
    assert default[0]["outcome"] == "resolved"
    assert json_lines(strict.stdout)[0]["outcome"] == "ambiguous"
    assert entnorm("--target", server_target, "resolve", "--threshold", "0", "x").returncode == 2


def test_the_target_comes_from_the_environment(server_target: str) -> None:
    result = entnorm("resolve", "--json", "Shen Yuanxi", env={"ENTNORM_TARGET": server_target})

    assert result.returncode == 0, result.stderr
    assert candidate_ids(json_lines(result.stdout)[0])[0] == SHIN


def test_an_empty_name_is_a_usage_error_naming_the_field(server_target: str) -> None:
    result = entnorm("--target", server_target, "resolve", "Shin Won-sik", "")

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("entnorm: queries[1].text")
    assert result.stdout == ""


def test_an_unknown_type_is_a_click_usage_error(server_target: str) -> None:
    result = entnorm("--target", server_target, "resolve", "--type", "planet", "Kyiv")

    assert result.returncode == 2
    assert "planet" in result.stderr


# --- get and revision ------------------------------------------------------------------------


def test_get_shows_names_and_aliases(server_target: str) -> None:
    result = entnorm("--target", server_target, "get", SHIN)

    assert result.returncode == 0, result.stderr
    for text in (SHIN, "Shin Won-sik", "신원식", "Shen Yuanxi", "misrendering"):
        assert text in result.stdout


def test_get_json_keeps_the_order_of_the_ids(server_target: str) -> None:
    result = entnorm("--target", server_target, "get", "--json", HUR, SHIN)

    assert result.returncode == 0, result.stderr
    entities = json_lines(result.stdout)
    assert [e["id"] for e in entities] == [HUR, SHIN]
    assert entities[1]["type"] == "person"


def test_an_unknown_id_exits_4_with_one_line(server_target: str) -> None:
    result = entnorm("--target", server_target, "get", SHIN, "person:nobody-at-all")

    assert result.returncode == 4
    [line] = result.stderr.splitlines()
    assert line.startswith("entnorm: ")
    assert result.stdout == ""


def test_revision(server_target: str) -> None:
    human = entnorm("--target", server_target, "revision")
    machine = entnorm("--target", server_target, "revision", "--json")

    assert human.returncode == machine.returncode == 0, human.stderr + machine.stderr
    [revision] = json_lines(machine.stdout)
    assert isinstance(revision["revision"], str)
    assert revision["revision"] in human.stdout
    assert isinstance(revision["entity_count"], int)
    assert revision["entity_count"] > 0
    assert revision["source_files"]
    assert revision["loaded_at"]


# --- resolve-file ----------------------------------------------------------------------------


def test_resolve_file_csv_to_an_output_file(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("id,name\n1,Shin Won-sik\n2,Black Intelligence\n3,Zzyzx Qwerty\n")
    out = tmp_path / "out.jsonl"

    result = entnorm("--target", server_target, "resolve-file", str(source), "--output", str(out))

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    rows = json_lines(out.read_text(encoding="utf-8"))
    assert [row["input"] for row in rows] == [
        {"id": "1", "name": "Shin Won-sik"},
        {"id": "2", "name": "Black Intelligence"},
        {"id": "3", "name": "Zzyzx Qwerty"},
    ]
    resolutions = [row["resolution"] for row in rows]
    assert candidate_ids(resolutions[0])[0] == SHIN
    assert candidate_ids(resolutions[1])[0] == HUR
    assert candidate_ids(resolutions[2]) == []


def test_resolve_file_jsonl_with_a_field_to_stdout(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.jsonl"
    records = [{"label": "신원식", "n": 1}, {"label": "Kim Tae-hyung", "n": 2}]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n")

    result = entnorm(
        "--target",
        server_target,
        "resolve-file",
        str(source),
        "--column",
        "label",
        "--chunk-size",
        "1",
    )

    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert [row["input"] for row in rows] == records
    assert candidate_ids(rows[0]["resolution"])[0] == SHIN
    assert "person:kim-tae-hyo" in candidate_ids(rows[1]["resolution"])


def test_resolve_file_keeps_order_over_many_rows(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "many.txt"
    names = [f"{NOWHERE} {i}" if i % 7 else "Shen Yuanxi" for i in range(2500)]
    source.write_text("".join(json.dumps({"name": n}) + "\n" for n in names))

    result = entnorm("--target", server_target, "resolve-file", str(source), "--format", "jsonl")

    assert result.returncode == 0, result.stderr
    rows = json_lines(result.stdout)
    assert [row["input"]["name"] for row in rows] == names
    shen = [i for i, row in enumerate(rows) if candidate_ids(row["resolution"])[:1] == [SHIN]]
    assert shen == list(range(0, 2500, 7))


def test_resolve_file_names_a_bad_row(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text('name\nShin Won-sik\n""\n')

    result = entnorm("--target", server_target, "resolve-file", str(source))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"entnorm: {source}:3: 'name' is empty"]
    assert result.stdout == ""


def test_resolve_file_names_a_missing_column(server_target: str, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("label\nShin Won-sik\n")

    result = entnorm("--target", server_target, "resolve-file", str(source))

    assert result.returncode == 2
    assert "no column 'name'" in result.stderr
    assert "label" in result.stderr


# --- server down -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["resolve", "Shin Won-sik"], ["get", SHIN], ["revision"], ["resolve-file"]]
)
def test_a_server_that_is_down_gives_one_line_and_exit_3(
    dead_target: str, tmp_path: Path, command: list[str]
) -> None:
    if command == ["resolve-file"]:
        source = tmp_path / "names.csv"
        source.write_text("name\nShin Won-sik\n")
        command = [*command, str(source)]

    result = entnorm("--target", dead_target, *command)

    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"entnorm: cannot reach server at {dead_target} (")
    assert line.endswith("); start it with 'entnorm serve' or pass --target")


# --- the server's commands stay out of the client --------------------------------------------


def test_help_lists_the_server_commands() -> None:
    result = entnorm("--help")

    assert result.returncode == 0, result.stderr
    commands = result.stdout.split("Commands:")[1].split()
    for name in ("resolve", "get", "revision", "resolve-file", "serve", "lint"):
        assert name in commands


def test_resolve_never_imports_the_server(server_target: str) -> None:
    script = f"""
import sys
import entnorm_client
assert not [m for m in sys.modules if m.startswith("entnorm_server")], "import entnorm_client"
from entnorm_client.cli import main
sys.argv = ["entnorm", "--target", "{server_target}", "resolve", "--json", "Shen Yuanxi"]
try:
    main()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
loaded = [m for m in sys.modules if m.startswith("entnorm_server")]
assert not loaded, loaded
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert SHIN in result.stdout


def test_a_server_that_never_answers_gives_one_line_and_exit_3() -> None:
    with socket.socket() as silent:  # accepts connections, never speaks HTTP/2
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        target = f"127.0.0.1:{silent.getsockname()[1]}"

        result = entnorm("--target", target, "--timeout", "0.3", "resolve", "Shin Won-sik")

    assert result.returncode == 3
    [line] = result.stderr.splitlines()
    assert line.startswith(f"entnorm: cannot reach server at {target} (no answer within 0.3 s")


def test_a_lazy_command_that_cannot_be_imported_fails_in_one_line() -> None:
    group = LazyGroup(lazy_subcommands={"serve": "entnorm_no_such_module:serve"})
    runner = CliRunner()

    listed = runner.invoke(group, ["--help"])
    run = runner.invoke(group, ["serve", "--port", "1"])

    assert listed.exit_code == 0
    assert "serve" in listed.stdout
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        "entnorm: 'serve' is unavailable: cannot import entnorm_no_such_module:serve "
        "(No module named 'entnorm_no_such_module')"
    ]

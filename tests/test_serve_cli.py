"""`entnorm serve` and `entnorm lint` as users run them: subprocesses, real files, signals."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import WriteTables

from entnorm_client import EntnormClient
from entnorm_client.errors import NotFoundError

TABLE = """\
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names: {en: Shin Won-sik, ko: 신원식}
    aliases:
      - {text: Shen Yuanxi, kind: misrendering, note: his Hanja read in Mandarin,
         source: seed:kursk-nsc-2024-10}
"""
ENTNORM = [sys.executable, "-m", "entnorm_client.cli"]


def start_server(aliases: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [*ENTNORM, "serve", "--aliases", str(aliases), "--host", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ENTNORM_GRACE_SECONDS": "2"},
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        found = re.search(r"serving.*\bport=(\d+)", line)
        if found:
            return proc, int(found.group(1))
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"server did not start: {proc.stderr.read()}")


@pytest.fixture
def served(write_tables: WriteTables) -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc, port = start_server(write_tables({"t.yaml": TABLE}))
    yield proc, port
    if proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_then_stops_gracefully(
    served: tuple[subprocess.Popen[str], int], sig: signal.Signals
) -> None:
    proc, port = served
    with EntnormClient(f"127.0.0.1:{port}") as client:
        [answer] = client.resolve(["Shen Yuanxi"])
    assert answer.outcome == "resolved"
    assert answer.candidates[0].entity_id == "person:shin-won-sik"
    proc.send_signal(sig)
    assert proc.wait(timeout=20) == 0
    assert proc.stderr is not None
    assert "stopped" in proc.stderr.read()


def test_serve_refuses_bad_tables_with_file_and_line(write_tables: WriteTables) -> None:
    root = write_tables({"t.yaml": TABLE.replace("type: person", "type: human")})
    done = subprocess.run(
        [*ENTNORM, "serve", "--aliases", str(root), "--host", "127.0.0.1", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "t.yaml:3:5: entities[0].type:" in done.stderr
    assert "Traceback" not in done.stderr


def test_lint_reports_every_problem_and_exit_code(write_tables: WriteTables) -> None:
    broken = TABLE.replace("type: person", "type: human").replace("kind: misrendering", "kind: x")
    root = write_tables({"t.yaml": broken})
    done = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{root / 't.yaml'}:3:5: ERROR load entities[0].type:")
    assert lines[1].startswith(f"{root / 't.yaml'}:7:")


def test_lint_passes_the_embedded_tables() -> None:
    done = subprocess.run([*ENTNORM, "lint"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok: ")


def test_port_out_of_range_is_a_one_line_error(write_tables: WriteTables) -> None:
    root = write_tables({"t.yaml": TABLE})
    done = subprocess.run(
        [*ENTNORM, "serve", "--aliases", str(root), "--port", "99999"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "entnorm: not serving: port 99999 is not in 1-65535 (0: any free port)"
    )
    assert "Traceback" not in done.stderr


def test_a_taken_port_is_a_one_line_error(
    served: tuple[subprocess.Popen[str], int], write_tables: WriteTables
) -> None:
    _, port = served
    root = write_tables({"t.yaml": TABLE})
    done = subprocess.run(
        [*ENTNORM, "serve", "--aliases", str(root), "--host", "127.0.0.1", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"entnorm: not serving: cannot listen on 127.0.0.1:{port}:"
        " the port is in use or not allowed"
    )


def test_sigterm_stops_within_the_grace_period_while_work_runs(
    served: tuple[subprocess.Popen[str], int],
) -> None:
    proc, port = served
    # A batch of long Han names keeps the server busy for far longer than its 2 s grace.
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(45))
    batch = [text[i % 45 :] + text[: i % 45] for i in range(1000)]
    errors: list[Exception] = []

    def resolve() -> None:
        with EntnormClient(f"127.0.0.1:{port}", timeout=120) as client:
            try:
                client.resolve(batch)
            except Exception as error:
                errors.append(error)

    callers = [threading.Thread(target=resolve) for _ in range(3)]
    for caller in callers:
        caller.start()
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    # The work queued would take a minute or more; the grace period is 2 s.
    assert proc.wait(timeout=20) == 0
    for caller in callers:
        caller.join(30)
    assert len(errors) == 3


def test_the_request_id_of_a_failed_call_is_in_the_server_log(
    served: tuple[subprocess.Popen[str], int],
) -> None:
    proc, port = served
    with EntnormClient(f"127.0.0.1:{port}") as client, pytest.raises(NotFoundError) as caught:
        client.get_entity("person:nobody")
    request_id = caught.value.request_id
    assert request_id
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    assert proc.stderr is not None
    log = proc.stderr.read()
    [line] = [line for line in log.splitlines() if request_id in line]
    assert "code=NOT_FOUND" in line
    assert "GetEntity" in line


def test_several_processes_share_one_port_and_stop_together(
    write_tables: WriteTables, dead_target: str
) -> None:
    port = int(dead_target.rsplit(":", 1)[1])  # free a moment ago
    root = write_tables({"t.yaml": TABLE})
    proc = subprocess.Popen(
        [
            *ENTNORM,
            "serve",
            "--aliases",
            str(root),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--processes",
            "2",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        pids: set[str] = set()
        while len(pids) < 2:
            line = proc.stderr.readline()
            assert line, "the server ended before both processes served"
            if found := re.search(r"serving.*\bpid=(\d+)", line):
                pids.add(found.group(1))
        with EntnormClient(f"127.0.0.1:{port}") as client:
            [answer] = client.resolve(["Shen Yuanxi"])
        assert answer.outcome == "resolved"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert proc.stderr.read().count("stopped") == 2
    finally:
        if proc.poll() is None:
            proc.kill()


def test_several_processes_need_a_port(write_tables: WriteTables) -> None:
    root = write_tables({"t.yaml": TABLE})
    done = subprocess.run(
        [*ENTNORM, "serve", "--aliases", str(root), "--port", "0", "--processes", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "several processes need a port of their own" in done.stderr


def test_get_shows_not_same_as_context_only_and_sources(write_tables: WriteTables) -> None:
    table = TABLE.replace(
        "    aliases:\n",
        "    not_same_as: [Shin Won-suk]\n    aliases:\n"
        "      - {text: Sin, kind: short_name, context_only: true, source: 'test: a surname'}\n",
    )
    proc, port = start_server(write_tables({"t.yaml": table}))
    try:
        shown = subprocess.run(
            [*ENTNORM, "--target", f"127.0.0.1:{port}", "get", "person:shin-won-sik"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        proc.kill()
        proc.wait()
    assert shown.returncode == 0, shown.stderr
    for text in ("not same as", "Shin Won-suk", "context only", "test: a surname"):
        assert text in shown.stdout


def test_check_passes_the_shipped_golden_cases() -> None:
    result = subprocess.run([*ENTNORM, "check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stderr


def test_check_names_each_failure_and_bad_case_at_its_line(write_tables: WriteTables) -> None:
    root = write_tables({"t.yaml": TABLE})
    (root / "golden").mkdir()
    (root / "golden" / "cases.yaml").write_text(
        "cases:\n"
        "  - {query: Shen Yuanxi, expect: person:shin-won-sik}\n"
        "  - {query: Shin Won-sik, expect: person:someone-else}\n"
        "  - {query: Shin Won-sik}\n",
        encoding="utf-8",
    )
    lint = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout  # the golden folder is not a table
    result = subprocess.run(
        [*ENTNORM, "check", str(root)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    bad, failed = sorted(result.stdout.splitlines(), key=lambda line: "expected" in line)
    assert failed.startswith(f"{root}/golden/cases.yaml:3:")
    assert "expected resolved to person:someone-else" in failed
    assert "RESOLVED person:shin-won-sik" in failed  # the answer, with its explanation
    assert bad.startswith(f"{root}/golden/cases.yaml:4:")
    assert "say what is expected" in bad
    assert "3 case(s)" not in result.stderr  # the bad case is no case
    assert "2 case(s), 1 failed, 1 problem(s)" in result.stderr


def test_check_runs_cases_with_context(write_tables: WriteTables) -> None:
    table = (
        "entities:\n"
        "  - {id: org:nso, type: organization, display_name: NSO, names: {en: NSO}}\n"
        "  - {id: person:kim-a, type: person, display_name: Kim A, names: {en: Kim A},\n"
        "     aliases: [{text: Kim Tae-hyung, kind: misrendering, context_only: true,\n"
        "                note: n, source: s}], related: [org:nso]}\n"
        "  - {id: person:kim-b, type: person, display_name: Kim B, names: {en: Kim Tae-hyung}}\n"
    )
    root = write_tables({"t.yaml": table})
    (root / "golden").mkdir()
    (root / "golden" / "cases.yaml").write_text(
        "cases:\n"
        "  - {query: Kim Tae-hyung, outcome: ambiguous, among: [person:kim-a]}\n"
        "  - {query: Kim Tae-hyung, context: {ids: [org:nso]}, expect: person:kim-a}\n"
        "  - {query: Kim Tae-hyung, context: {text: The NSO said}, expect: person:kim-b}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [*ENTNORM, "check", str(root)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    [failed] = result.stdout.splitlines()  # the third: its text names the NSO, so it is Kim A
    assert failed.startswith(f"{root}/golden/cases.yaml:4:")
    assert "settled by context: related to org:nso" in failed
    assert "3 case(s), 1 failed" in result.stderr


MESSY = """\
# People, written in a hurry.
entities:
- type: person   # the type first
  names: {en: Shin Won-sik, ko: 신원식}
  id: person:shin-won-sik
  aliases:
  # the seed's misrendering
  - source: seed:kursk-nsc-2024-10
    kind: misrendering
    note: his Hanja read in Mandarin
    text: Shen Yuanxi   # Hanja read in Mandarin
  display_name: Shin Won-sik
"""


def test_fmt_orders_keys_keeps_comments_and_is_idempotent(write_tables: WriteTables) -> None:
    root = write_tables({"t.yaml": MESSY})
    path = root / "t.yaml"
    fmt = [*ENTNORM, "fmt", str(root)]
    assert subprocess.run([*fmt, "--check"], capture_output=True).returncode == 1
    assert path.read_text(encoding="utf-8") == MESSY  # --check changes nothing
    assert subprocess.run(fmt, capture_output=True).returncode == 0
    once = path.read_text(encoding="utf-8")
    for comment in ("# People, written in a hurry.", "# the type first", "# the seed's", "# Hanja"):
        assert comment in once
    keys = [line.split(":")[0].strip(" -") for line in once.splitlines() if ":" in line]
    assert keys.index("id") < keys.index("type") < keys.index("display_name") < keys.index("names")
    assert keys.index("text") < keys.index("kind") < keys.index("source")
    assert subprocess.run([*fmt, "--check"], capture_output=True).returncode == 0
    assert subprocess.run(fmt, capture_output=True).returncode == 0
    assert path.read_text(encoding="utf-8") == once  # idempotent
    lint = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_fmt_leaves_a_broken_table_alone(write_tables: WriteTables) -> None:
    broken = TABLE.replace("    type: person", "   type: person")  # a bad indent
    root = write_tables({"t.yaml": broken})
    result = subprocess.run([*ENTNORM, "fmt", str(root)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "t.yaml: cannot format" in result.stderr
    assert (root / "t.yaml").read_text(encoding="utf-8") == broken


def test_the_shipped_tables_are_formatted() -> None:
    result = subprocess.run([*ENTNORM, "fmt", "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_alias_add_keeps_comments_and_reaches_a_running_server(write_tables: WriteTables) -> None:
    commented = "# Top comment.\n" + TABLE.replace(
        "    display_name: Shin Won-sik", "    display_name: Shin Won-sik  # his own spelling"
    )
    root = write_tables({"t.yaml": commented})
    proc, port = start_server(root)
    try:
        with EntnormClient(f"127.0.0.1:{port}") as client:
            before = client.data_revision().revision
            assert client.resolve(["Sin Wonsik Jr"])[0].outcome != "resolved"
            added = subprocess.run(
                [
                    *ENTNORM,
                    "alias",
                    "add",
                    "person:shin-won-sik",
                    "Sin Wonsik Jr",
                    "--kind",
                    "romanization",
                    "--source",
                    "test",
                    "--aliases",
                    str(root),
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert added.returncode == 0, added.stderr
            assert f"{root}/t.yaml:" in added.stdout
            text = (root / "t.yaml").read_text(encoding="utf-8")
            assert "# Top comment." in text
            assert "# his own spelling" in text
            deadline = time.monotonic() + 30
            while client.resolve(["Sin Wonsik Jr"])[0].outcome != "resolved":
                assert time.monotonic() < deadline, "the server never took the edit"
                time.sleep(0.1)
            assert client.data_revision().revision != before
    finally:
        proc.kill()
        proc.wait()


def test_an_edit_lint_would_refuse_is_refused_and_nothing_written(
    write_tables: WriteTables,
) -> None:
    root = write_tables({"t.yaml": TABLE})
    edit = [*ENTNORM, "alias", "add", "person:shin-won-sik", "Foo", "--aliases", str(root)]
    bad_kind = subprocess.run([*edit, "--kind", "bogus"], capture_output=True, text=True)
    assert bad_kind.returncode == 1
    assert "t.yaml:" in bad_kind.stderr
    assert "bogus" in bad_kind.stderr
    assert "nothing was written" in bad_kind.stderr
    twice = subprocess.run(
        [
            *ENTNORM,
            "alias",
            "add",
            "person:shin-won-sik",
            "Shen Yuanxi",
            "--kind",
            "misrendering",
            "--aliases",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert twice.returncode == 1
    assert "already has 'Shen Yuanxi'" in twice.stderr
    assert (root / "t.yaml").read_text(encoding="utf-8") == TABLE
    unknown = subprocess.run(
        [*ENTNORM, "alias", "rm", "person:nobody", "X", "--aliases", str(root)],
        capture_output=True,
        text=True,
    )
    assert unknown.returncode == 1
    assert "no entity 'person:nobody'" in unknown.stderr


def test_entity_new_then_alias_rm(write_tables: WriteTables) -> None:
    root = write_tables({"people.yaml": TABLE})
    created = subprocess.run(
        [
            *ENTNORM,
            "entity",
            "new",
            "person:kim-tae-hyo",
            "--type",
            "person",
            "--name",
            "Kim Tae-hyo",
            "--aliases",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    # set apart by a blank line, like the entity before it
    assert "\n\n  - id: person:kim-tae-hyo\n" in (root / "people.yaml").read_text(encoding="utf-8")
    removed = subprocess.run(
        [*ENTNORM, "alias", "rm", "person:shin-won-sik", "Shen Yuanxi", "--aliases", str(root)],
        capture_output=True,
        text=True,
    )
    assert removed.returncode == 0, removed.stderr
    text = (root / "people.yaml").read_text(encoding="utf-8")
    assert "id: person:kim-tae-hyo" in text
    assert "Shen Yuanxi" not in text
    lint = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


LINTED = """\
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names: {en: Shin Won-sik, ko: 신원식}
    aliases:
      - {text: Shin Wоn-sik, kind: romanization, source: test}
      - {text: Shen Yuanxi, kind: misrendering}
      - {text: 신원식 장관, kind: nickname, lang: kr, source: test}
      - {text: "Sin\\u200bWonsik", kind: romanization, source: test}
  - id: person:kim-yong-hyun
    type: person
    display_name: Kim Yong-hyun
    names: {en: Kim Yong-hyun}
    aliases:
      - {text: Shen Yuanxi, kind: misrendering, note: copied, source: test}
"""


def test_lint_catches_what_changes_answers(write_tables: WriteTables) -> None:
    root = write_tables({"t.yml": LINTED})  # .yml is a table too
    done = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    by_code = {line.split(" ")[2]: line for line in lines}
    assert by_code["mixed-script"].startswith(f"{root / 't.yml'}:7:")
    assert "write 'Won-sik'" in by_code["mixed-script"]  # the fix: its Latin look-alike
    assert by_code["provenance"].startswith(f"{root / 't.yml'}:8:")
    assert by_code["tag-script"].startswith(f"{root / 't.yml'}:9:")
    assert by_code["invisible"].startswith(f"{root / 't.yml'}:10:")
    assert "ZERO WIDTH SPACE" in by_code["invisible"]
    shared = [line for line in lines if " shared-alias " in line]
    [copied] = shared  # one message, at the copy, naming the first place
    assert copied.startswith(f"{root / 't.yml'}:16:")
    assert "person:shin-won-sik (t.yml:8:" in copied
    assert all(" ERROR " in line for line in lines)
    as_json = subprocess.run(
        [*ENTNORM, "lint", "--format", "json", str(root)], capture_output=True, text=True
    )
    found = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert {f["code"] for f in found} == set(by_code)
    assert all(f["hint"] for f in found)


def test_a_shared_alias_of_declared_namesakes_passes_lint(write_tables: WriteTables) -> None:
    shared = (
        "entities:\n"
        "  - {id: person:kim-a, type: person, display_name: Kim A, names: {en: Kim A},\n"
        "     aliases: [{text: Kim Tae-hyung, kind: romanization, source: test}]}\n"
        "  - {id: person:kim-b, type: person, display_name: Kim B, names: {en: Kim B},\n"
        "     aliases: [{text: Kim Tae-hyung, kind: romanization, source: test}]}\n"
    )
    root = write_tables({"t.yaml": shared})
    undeclared = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert " shared-alias " in undeclared.stdout
    assert "not_same_as" in undeclared.stdout  # the hint names the declaration
    (root / "t.yaml").write_text(
        shared.replace("display_name: Kim B,", "display_name: Kim B, not_same_as: [person:kim-a],"),
        encoding="utf-8",
    )
    declared = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert declared.returncode == 0, declared.stdout


def test_after_a_syntax_error_lint_reports_that_cause_alone(write_tables: WriteTables) -> None:
    broken = TABLE.replace("    type: person", "     type: person")  # a bad indent
    other = (
        "entities:\n  - {id: person:other, type: person, display_name: Other,"
        " names: {en: Other}, related: [person:shin-won-sik]}\n"
    )
    root = write_tables({"a.yaml": broken, "b.yaml": other})
    done = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert done.returncode == 1
    [line] = done.stdout.splitlines()  # not also "related id ... is not defined" from b.yaml
    assert line.startswith(f"{root / 'a.yaml'}:")


def test_impact_lists_exactly_the_answers_an_edit_changed(
    write_tables: WriteTables, tmp_path: Path
) -> None:
    root = write_tables({"t.yaml": TABLE})
    (root / "golden").mkdir()
    (root / "golden" / "cases.yaml").write_text(
        "cases:\n  - {query: Shen Yuanxi, expect: person:shin-won-sik}\n"
        "  - {query: Shin Won-sik, expect: person:shin-won-sik}\n",
        encoding="utf-8",
    )
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "tables"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    recorded = tmp_path / "recorded.txt"
    recorded.write_text("Sin Wonsik Jr\nNobody Atall\n", encoding="utf-8")
    unchanged = subprocess.run(
        [*ENTNORM, "impact", "--base", "HEAD", str(root)], capture_output=True, text=True
    )
    assert unchanged.returncode == 0, unchanged.stderr
    assert unchanged.stdout == ""
    # The edit: a new alias, and a second entity that takes the misrendering as its own name.
    edited = TABLE.replace(
        "      - {text: Shen Yuanxi",
        "      - {text: Sin Wonsik Jr, kind: romanization, source: test}\n"
        "      - {text: Shen Yuanxi",
    )
    edited += (
        "  - {id: person:shen-yuanxi, type: person, display_name: Shen Yuanxi,"
        " names: {en: Shen Yuanxi}}\n"
    )
    (root / "t.yaml").write_text(edited, encoding="utf-8")
    result = subprocess.run(
        [*ENTNORM, "impact", "--base", "HEAD", "--queries", str(recorded), str(root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == [
        "gained: 'Sin Wonsik Jr': unresolved -> resolved person:shin-won-sik",
        "newly ambiguous: 'Shen Yuanxi': resolved person:shin-won-sik"
        " -> ambiguous person:shen-yuanxi",
    ]
    assert "4 queries" in result.stderr  # two golden cases, two recorded names


def test_lint_names_four_mistakes_at_once_one_message_each(write_tables: WriteTables) -> None:
    # A bad indent in one file; a duplicate id, a Cyrillic letter in a Latin alias and an alias
    # copied onto a second entity in another.
    broken = TABLE.replace("    type: person", "     type: person")
    other = """\
    entities:
      - id: person:b
        type: person
        display_name: B
        names: {en: B}
        aliases:
          - {text: Bоb, kind: nickname, source: test}
          - {text: Bobby, kind: nickname, source: test}
      - id: person:c
        type: person
        display_name: C
        names: {en: C}
        aliases:
          - {text: Bobby, kind: nickname, source: test}
      - {id: person:b, type: person, display_name: B again, names: {en: B again}}
    """
    root = write_tables({"a.yaml": broken, "b.yaml": other})
    done = subprocess.run([*ENTNORM, "lint", str(root)], capture_output=True, text=True)
    assert done.returncode == 1
    codes = [
        (line.split(":")[0].rsplit("/", 1)[1], line.split(" ")[2])
        for line in done.stdout.splitlines()
    ]
    assert sorted(codes) == [
        ("a.yaml", "load"),  # the indent, alone for its file
        ("b.yaml", "load"),  # the duplicate id
        ("b.yaml", "mixed-script"),
        ("b.yaml", "shared-alias"),
    ]

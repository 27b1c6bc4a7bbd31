"""The YAML reader of the loader (libyaml) reads what ruamel.yaml read, marks included, and
refuses hostile input with a located problem instead of a crash."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import DEFAULT_ALIASES, REPO
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from entnorm_server.exc import AliasLoadError
from entnorm_server.loading import load_directory
from entnorm_server.marked_yaml import MAX_DEPTH, MarkedList, MarkedMap, read


def differences(ours: Any, theirs: Any, path: str = "$") -> list[str]:
    """Where our value or marks differ from ruamel.yaml's round-trip load of the same text."""
    if isinstance(theirs, CommentedMap):
        if not isinstance(ours, MarkedMap):
            return [f"{path}: {ours!r} is not a mapping"]
        found = [] if list(ours) == list(theirs) else [f"{path}: keys {list(ours)}"]
        if ours.start != (theirs.lc.line + 1, theirs.lc.col + 1):
            found.append(f"{path}: starts at {ours.start}")
        for key in theirs:
            if key not in theirs.lc.data:  # merged in by `<<`: ruamel.yaml keeps no marks
                found += differences(ours.get(key), theirs[key], f"{path}.{key}")
                continue
            key_line, key_col, value_line, value_col = theirs.lc.data[key]
            if ours.key_at.get(key) != (key_line + 1, key_col + 1):
                found.append(f"{path}.{key}: key at {ours.key_at.get(key)}")
            # An empty value: ruamel.yaml marks where the next token starts, libyaml where the
            # value would be. Only keys' and items' marks, never this one, end up in messages.
            if theirs[key] is not None and ours.value_at.get(key) != (
                value_line + 1,
                value_col + 1,
            ):
                found.append(f"{path}.{key}: value at {ours.value_at.get(key)}")
            found += differences(ours.get(key), theirs[key], f"{path}.{key}")
        return found
    if isinstance(theirs, CommentedSeq):
        if not isinstance(ours, MarkedList) or len(ours) != len(theirs):
            return [f"{path}: {ours!r} is not the same sequence"]
        found = []
        for i, item in enumerate(theirs):
            line, col = theirs.lc.data[i]
            if ours.item_at[i] != (line + 1, col + 1):
                found.append(f"{path}[{i}]: at {ours.item_at[i]}")
            found += differences(ours[i], item, f"{path}[{i}]")
        return found
    if isinstance(theirs, float) and math.isnan(theirs):
        return [] if isinstance(ours, float) and math.isnan(ours) else [f"{path}: {ours!r}"]
    if ours != theirs or type(ours) is not plain_type(theirs):
        return [f"{path}: ours {ours!r}, ruamel.yaml's {theirs!r}"]
    return []


def plain_type(value: Any) -> type:
    """The type of ruamel.yaml's value without its round-trip subclass (ScalarInt, TimeStamp)."""
    for kind in (bool, int, float, str, datetime, date):
        if isinstance(value, kind):
            return kind
    return type(value)


def read_both(text: str) -> list[str]:
    ours, problems = read(text.encode())
    assert problems == []
    return differences(ours, YAML(typ="rt").load(text))


@pytest.mark.parametrize(
    "path",
    [
        *sorted(DEFAULT_ALIASES.glob("*.yaml")),
        REPO / "server/entnorm_server/data/rules/titles.yaml",
        REPO / "tests/data/people_queries.yaml",
    ],
    ids=lambda p: p.name,
)
def test_the_repository_tables_read_as_ruamel_read_them(path: Path) -> None:
    assert read_both(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    [
        # YAML 1.2 scalars: `no` is a string (Norwegian), `012` is twelve, dates are dates
        "a: [yes, no, on, off, true, True, FALSE, ~, null, '', 012, 0o12, 0x1f, 1_000, 1.5, .inf,"
        " -.Inf, .nan, 1e3, 2024-10-01, 1:20, '1', 0b101, +12, -0, 1., .5, 'yes', 2024-1-1, -]\n",
        "a: [2001-12-14t21:59:43.10-05:00, 2001-12-15 2:59:43.10]\n",
        "a: |\n  line1\n  line2\nb: >\n  folded\n  text\n",
        "c: 'it''s'\nd: \"\\u00e9\\tx\"\ne: plain\n  more\n",
        "a: {x: [1, 2, {y: z}], w: 'q'}\nb: [ {k: v}, [a, b] ]\n? [c, d]\n: 1\n",
        "base: &b {type: person, x: 1}\ne:\n  <<: *b\n  x: 2\n",
        "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  y: 0\n  <<: [*a, *b]\n",
        "a: &x hello\nb: *x\nc: &l [1, 2]\nd: *l\n",
        "a: 1\r\nb:\r\n  - x\r\n  -\r\n  - y\r\n",
        "\ufeffko: [신원식, 申源湜]\nen: {x: 신원식, y: 𝔘𝔫𝔦}\n",
        "# top\na: 1 # end of line\nb:\n  # inside\n  - x\nc:\nd: ~\n",
        "a:\n- 1\n- b: 2\n  c: 3\n",
        "---\na: 1\n...\n",
    ],
)
def test_values_and_marks_are_ruamels(text: str) -> None:
    assert read_both(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "entities:\n  - id: [unclosed\n",
        "entities:\n  - id: person:a\n   type: person\n",
        "entities:\n\t- id: x\n",
        "entities: b: c\n",
        'entities:\n  - id: "x\\q"\n',
        "entities: *undefined\n",
        "entities: []\n---\nentities: []\n",
        "a: 1\na: 2\n",
    ],
)
def test_a_yaml_error_is_worded_and_placed_as_ruamel_did(text: str) -> None:
    with pytest.raises(MarkedYAMLError) as caught:
        YAML(typ="rt").load(text)
    error = caught.value
    mark = error.problem_mark
    assert mark is not None
    expected = " ".join(p for p in (error.context, error.problem) if p)
    assert read(text.encode())[1] == [(mark.line + 1, mark.column + 1, f"YAML syntax: {expected}")]


def problems_in(tmp_path: Path, content: bytes) -> list[str]:
    (tmp_path / "a.yaml").write_bytes(content)
    with pytest.raises(AliasLoadError) as caught:
        load_directory(tmp_path)
    return [str(p) for p in caught.value.problems]


TABLE = "entities:\n  - id: person:a\n    type: person\n    display_name: A\n    names: {en: A}\n"


def test_deep_nesting_is_refused_where_it_gets_too_deep(tmp_path: Path) -> None:
    # 200,000 brackets crash libyaml's own composer and exhaust ruamel.yaml's recursion.
    deep = b"x: " + b"[" * 200_000 + b"]" * 200_000 + b"\n"
    # The top mapping is the first level; the bracket that opens level MAX_DEPTH + 1 is refused.
    assert problems_in(tmp_path, deep + TABLE.encode()) == [
        f"a.yaml:1:{3 + MAX_DEPTH}: YAML: nested deeper than {MAX_DEPTH} levels"
    ]


def test_aliases_that_multiply_the_document_are_refused(tmp_path: Path) -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):  # each line names the one above ten times: 10**9 values
        above = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{above}]")
    found = problems_in(tmp_path, ("\n".join(lines) + "\n" + TABLE).encode())
    assert found[0].startswith("a.yaml:")
    assert found[0].endswith("YAML: aliases repeat more values than the file has characters")


def test_an_alias_inside_its_own_value_is_a_problem(tmp_path: Path) -> None:
    found = problems_in(tmp_path, b"x: &r [1, *r]\n" + TABLE.encode())
    assert found[0] == "a.yaml:1:11: YAML: the alias *r is inside the value it names"


def test_control_characters_and_unsupported_tags_are_located(tmp_path: Path) -> None:
    bell = TABLE.replace("display_name: A", "display_name: A\x07")
    assert problems_in(tmp_path, bell.encode()) == [
        "a.yaml:4:20: unacceptable character U+0007: YAML allows no control characters; remove it"
    ]
    tagged = TABLE.replace("display_name: A", "display_name: !python/name:os.system A")
    assert problems_in(tmp_path, tagged.encode()) == [
        "a.yaml:4:19: YAML: the tag !python/name:os.system is not supported in alias tables;"
        " remove it"
    ]


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_text_with_characters_libyaml_breaks_lines_at_reads_as_before(
    tmp_path: Path, separator: str
) -> None:
    """YAML 1.1 (libyaml) breaks lines at NEL, LS and PS and would count lines differently;
    such text is read by ruamel.yaml, as all text was."""
    text = TABLE.replace("display_name: A", f"display_name: A{separator}B")
    text += "    aliases:\n      - {text: C, kind: nickname}\n"
    assert read_both(text) == []
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (entity,) = load_directory(tmp_path).entities
    assert str(entity.aliases[1].location) == "a.yaml:7:9"


def test_utf16_with_a_byte_order_mark_still_loads(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(TABLE.encode("utf-16"))
    (entity,) = load_directory(tmp_path).entities
    assert str(entity.location) == "a.yaml:2:5"


def test_a_yaml_version_ruamel_cannot_read_is_a_located_problem(tmp_path: Path) -> None:
    # ruamel.yaml asserts on it (a traceback before); libyaml says what is wrong.
    assert problems_in(tmp_path, b"%YAML 1.3\n---\n" + TABLE.encode()) == [
        "a.yaml:1:1: YAML syntax: found incompatible YAML document"
    ]

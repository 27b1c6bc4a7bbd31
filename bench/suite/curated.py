"""The curated data sets: real people (bench/data/people.yaml) and organisations
(bench/data/organizations.yaml), with their names in many languages and scripts, and queries seen
in the wild that the suite cannot derive from names (possessives, titles, garbled renderings).

The files' comment blocks define their fields and the curation policy. Reading a file checks
every entry and fails with `file:line: message` for each problem found; `problems()` checks the
invariants every data set of the suite must keep (the countries too): unique ids of the right
type and form, no empty or untidy names, valid BCP-47 tags, names in a script their language
writes, curated queries that point at a record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import icu
import langcodes
import yaml

from entnorm_server.model import ID_PREFIX, EntityType
from suite.records import CuratedQuery, DataSet, Name, Record

DATA = Path(__file__).resolve().parent.parent / "data"
PEOPLE = DATA / "people.yaml"
ORGANIZATIONS = DATA / "organizations.yaml"

PEOPLE_SOURCE = (
    "bench/data/people.yaml: curated by hand from knowledge of Wikipedia article titles in each "
    "language and their interlanguage links (not copied from a dump); facts, not creative "
    "expression; the project's licence"
)
ORGANIZATIONS_SOURCE = (
    "bench/data/organizations.yaml: curated by hand from knowledge of the organisations' own "
    "names and Wikipedia article titles in each language (not copied from a dump); the "
    "project's licence"
)

# Name lists an entry may have, and the kind (records.Name.kind) of the names in each.
NAME_FIELDS = {
    "names": "name",
    "abbreviations": "abbreviation",
    "short_names": "short_name",
    "former_names": "former_name",
    "nicknames": "nickname",
    "translations": "translation",
}
KINDS = frozenset(NAME_FIELDS.values())
ENTRY_FIELDS = frozenset({"id", "about", *NAME_FIELDS})
QUERY_FIELDS = frozenset({"text", "expected", "phenomenon", "lang", "note"})
# The phenomena each file's comment block defines; a label not listed there is a typo.
PEOPLE_PHENOMENA = frozenset(
    {
        "possessive",
        "title",
        "surname_alone",
        "initials",
        "inflection",
        "mandarin_reading",
        "sino_xenic_reading",
        "double_transliteration",
        "spelling_variant",
        "nickname",
        "near_namesake",
    }
)
ORGANIZATION_PHENOMENA = frozenset(
    {
        "possessive",
        "article",
        "acronym_case",
        "acronym_other_language",
        "translated_long_form",
        "spelling_variant",
        "misspelling",
        "near_namesake",
    }
)
NO_LANGUAGE = "und"  # a key for names no one language owns; read as Name.language ""

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PHENOMENON = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")

_NOT_A_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})  # common, inherited, unknown
# A writing system that is several scripts (ISO 15924 "Jpan", "Kore", ...).
_SCRIPT_SETS = {
    "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Kore": frozenset({"Hang", "Hani"}),
    "Hans": frozenset({"Hani"}),
    "Hant": frozenset({"Hani"}),
    "Hanb": frozenset({"Hani", "Bopo"}),
}


class DataError(ValueError):
    """A curated file that is not as its comment block says: every problem, `file:line: ...`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- invariants of every data set -------------------------------------------------------------


@cache
def scripts_of_language(tag: str) -> frozenset[str]:
    """The ISO 15924 scripts a tag's names are written in: its script subtag, or its language's
    likely script (CLDR likely subtags through langcodes)."""
    script = langcodes.Language.get(tag).maximize().script or ""
    return _SCRIPT_SETS.get(script, frozenset({script}))


def scripts_in(text: str) -> frozenset[str]:
    """The scripts of text's characters (ICU), leaving out common and inherited characters."""
    found = {icu.Script.getScript(ord(ch)).getShortName() for ch in text}
    return frozenset(found - _NOT_A_SCRIPT)


# Latin capitals any script's names may carry: "SAR" in Hong Kong's Gujarati name, "U.S.",
# "LG전자", Roman numerals ("Карл III"), initials ("ジョージ・W・ブッシュ"). A single capital must
# not touch a letter of any script: a Latin C or O inside a Cyrillic word is a look-alike typo.
_LATIN_ACRONYM = re.compile(
    r"(?<![^\W\d_])[A-Z]\.?(?![^\W\d_])|(?<![A-Za-z])[A-Z][A-Z.&-]*[A-Z](?![a-z])\.?"
)


def stray_scripts(text: str, language: str) -> frozenset[str]:
    """The scripts of text's letters that its language tag does not write; Latin acronyms are
    let pass inside a name written in its language's script ("LG전자"), not as the whole name."""
    expected = scripts_of_language(language)
    stray = scripts_in(text) - expected
    if stray == {"Latn"}:
        rest = scripts_in(_LATIN_ACRONYM.sub("", text))
        if rest and rest <= expected:
            return frozenset()
    return stray


def name_problems(name: Name) -> list[str]:
    """What is wrong with one name, on its own."""
    problems = []
    text = name.text
    if not text.strip():
        return ["empty name"]
    if text != text.strip() or "  " in text or any(c in text for c in "\t\n\r"):
        problems.append(f"stray white space in {text!r}")
    if unicodedata.normalize("NFC", text) != text:
        problems.append(f"{text!r} is not in NFC")
    if name.kind not in KINDS:
        problems.append(f"unknown kind {name.kind!r} of {text!r}")
    if name.language:
        if not langcodes.tag_is_valid(name.language):
            problems.append(f"invalid BCP-47 tag {name.language!r} of {text!r}")
        elif langcodes.standardize_tag(name.language) != name.language:
            standard = langcodes.standardize_tag(name.language)
            problems.append(f"tag {name.language!r} of {text!r} is written {standard!r}")
        else:
            expected = scripts_of_language(name.language)
            stray = stray_scripts(text, name.language)
            if stray:
                problems.append(
                    f"{text!r} ({name.language}) has {'/'.join(sorted(stray))} letters;"
                    f" {name.language} writes {'/'.join(sorted(expected))}"
                )
    return problems


def record_problems(record: Record) -> list[str]:
    """What is wrong with a record: its id, its names on their own, names given twice."""
    return [*_record_level_problems(record), *(p for n in record.names for p in name_problems(n))]


def _record_level_problems(record: Record) -> list[str]:
    problems = []
    prefix, _, slug = record.id.partition(":")
    if prefix != ID_PREFIX[record.type] or not SLUG.fullmatch(slug):
        problems.append(f"id {record.id!r}: not {ID_PREFIX[record.type]}:<lowercase-slug>")
    if not record.names:
        problems.append("no names")
    elif record.names[0].kind != "name":
        problems.append(f"display name {record.names[0].text!r} is a {record.names[0].kind}")
    seen: set[str] = set()
    for name in record.names:
        # A text is a name once: written alike in several languages, under the first of them.
        if name.text in seen:
            problems.append(f"{name.text!r} given twice")
        seen.add(name.text)
    return problems


def query_problems(query: CuratedQuery, ids: set[str] | frozenset[str]) -> list[str]:
    problems = []
    if not query.text.strip() or query.text != query.text.strip():
        problems.append(f"query {query.text!r}: empty or with stray white space")
    if query.expected is not None and query.expected not in ids:
        problems.append(f"query {query.text!r}: expected id {query.expected!r} is no record's")
    if not PHENOMENON.fullmatch(query.phenomenon):
        problems.append(f"query {query.text!r}: phenomenon {query.phenomenon!r} not snake_case")
    if query.language and not langcodes.tag_is_valid(query.language):
        problems.append(f"query {query.text!r}: invalid BCP-47 tag {query.language!r}")
    return problems


def problems(dataset: DataSet) -> list[str]:
    """Every broken invariant of a data set, `<record id>: message` or `query ...: message`."""
    found: list[str] = []
    ids: set[str] = set()
    for record in dataset.records:
        if record.id in ids:
            found.append(f"{record.id}: id used twice")
        ids.add(record.id)
        found.extend(f"{record.id}: {p}" for p in record_problems(record))
    for query in dataset.queries:
        found.extend(query_problems(query, ids))
    if not dataset.source.strip():
        found.append(f"{dataset.name}: no source")
    return found


# --- reading the curated files ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ctx:
    file: str

    def at(self, node: yaml.Node, message: str) -> str:
        return f"{self.file}:{node.start_mark.line + 1}: {message}"


def _pairs(
    node: yaml.Node, ctx: _Ctx, problems: list[str]
) -> Iterator[tuple[str, yaml.ScalarNode | yaml.Node, yaml.Node]]:
    """A mapping's (key, key node, value node), keys as written; duplicate keys are problems."""
    if not isinstance(node, yaml.MappingNode):
        problems.append(ctx.at(node, "expected a mapping"))
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(ctx.at(key_node, "a key must be plain text"))
            continue
        key = str(key_node.value)
        if key in seen:
            problems.append(ctx.at(key_node, f"duplicate key {key!r}"))
            continue
        seen.add(key)
        yield key, key_node, value_node


def _text(node: yaml.Node, ctx: _Ctx, problems: list[str], what: str) -> str | None:
    # Scalars are read as written, never resolved: `no` is Norwegian, `1984` a name.
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        problems.append(ctx.at(node, f"{what}: expected text"))
        return None
    return str(node.value)


def _texts(node: yaml.Node, ctx: _Ctx, problems: list[str], what: str) -> list[tuple[str, int]]:
    """A text or a list of texts, each with its line."""
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
    if not nodes:
        problems.append(ctx.at(node, f"{what}: empty list"))
    found = []
    for item in nodes:
        text = _text(item, ctx, problems, what)
        if text is not None:
            found.append((text, item.start_mark.line + 1))
    return found


def _record(
    node: yaml.Node, ctx: _Ctx, type_: EntityType, problems: list[str]
) -> tuple[Record, int] | None:
    fields = {key: (key_node, value) for key, key_node, value in _pairs(node, ctx, problems)}
    line = node.start_mark.line + 1
    for key, (key_node, _) in fields.items():
        if key not in ENTRY_FIELDS:
            problems.append(ctx.at(key_node, f"unknown field {key!r}"))
    for required in ("id", "about", "names"):
        if required not in fields:
            problems.append(f"{ctx.file}:{line}: missing field {required!r}")
    if "id" not in fields or "names" not in fields:
        return None
    id_ = _text(fields["id"][1], ctx, problems, "id") or ""
    if "about" in fields:
        about = _text(fields["about"][1], ctx, problems, "about")
        if about is not None and not about.strip():
            problems.append(ctx.at(fields["about"][1], "about: empty"))
    names: list[Name] = []
    for field, kind in NAME_FIELDS.items():
        if field not in fields:
            continue
        for tag, _, value in _pairs(fields[field][1], ctx, problems):
            language = "" if tag == NO_LANGUAGE else tag
            for text, text_line in _texts(value, ctx, problems, f"{field}.{tag}"):
                name = Name(text, language, kind)
                problems.extend(f"{ctx.file}:{text_line}: {p}" for p in name_problems(name))
                names.append(name)
    field_names = [n for n in names if n.kind == "name"]
    if field_names and field_names[0].language != "en":
        problems.append(ctx.at(fields["names"][1], "names: `en` must come first"))
    record = Record(id_, type_, tuple(names))
    problems.extend(f"{ctx.file}:{line}: {p}" for p in _record_level_problems(record))
    return record, line


def _query(node: yaml.Node, ctx: _Ctx, problems: list[str]) -> CuratedQuery | None:
    fields = {key: (key_node, value) for key, key_node, value in _pairs(node, ctx, problems)}
    for key, (key_node, _) in fields.items():
        if key not in QUERY_FIELDS:
            problems.append(ctx.at(key_node, f"unknown field {key!r}"))
    for required in ("text", "expected", "phenomenon", "note"):
        if required not in fields:
            problems.append(ctx.at(node, f"query: missing field {required!r}"))
    if any(r not in fields for r in ("text", "expected", "phenomenon")):
        return None
    expected_node = fields["expected"][1]
    expected = (
        None
        if isinstance(expected_node, yaml.ScalarNode) and expected_node.tag.endswith(":null")
        else _text(expected_node, ctx, problems, "expected")
    )
    values = {
        key: _text(fields[key][1], ctx, problems, key) or ""
        for key in ("text", "phenomenon", "lang", "note")
        if key in fields
    }
    return CuratedQuery(
        text=values["text"],
        expected=expected,
        phenomenon=values["phenomenon"],
        language=values.get("lang", ""),
        note=values.get("note", ""),
    )


def read(
    path: Path,
    entries_key: str,
    type_: EntityType,
    name: str,
    source: str,
    phenomena: frozenset[str],
) -> DataSet:
    """Read and check one curated file; DataError lists every problem, file:line first."""
    try:
        shown = str(path.relative_to(DATA.parent.parent))
    except ValueError:
        shown = str(path)
    ctx = _Ctx(shown)
    problems: list[str] = []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise DataError([f"{shown}:{line}: {error.problem or error}"]) from error
    if root is None:
        raise DataError([f"{shown}:1: empty file"])
    sections = {key: value for key, _, value in _pairs(root, ctx, problems)}
    for key in sections:
        if key not in (entries_key, "queries"):
            problems.append(ctx.at(root, f"unknown section {key!r}"))
    records: list[Record] = []
    lines: dict[str, int] = {}
    entries = sections.get(entries_key)
    if not isinstance(entries, yaml.SequenceNode):
        problems.append(ctx.at(root, f"{entries_key}: expected a list"))
    else:
        for entry in entries.value:
            found = _record(entry, ctx, type_, problems)
            if found is None:
                continue
            record, line = found
            if record.id in lines:
                problems.append(
                    f"{shown}:{line}: id {record.id} already at line {lines[record.id]}"
                )
            lines.setdefault(record.id, line)
            records.append(record)
    queries: list[CuratedQuery] = []
    # A query that is a name as written is no curated query: the suite asks names by itself.
    named = {name.text: record.id for record in records for name in record.names}
    query_nodes = sections.get("queries")
    if query_nodes is not None:
        if not isinstance(query_nodes, yaml.SequenceNode):
            problems.append(ctx.at(query_nodes, "queries: expected a list"))
        else:
            seen: dict[tuple[str, str | None], int] = {}
            for node in query_nodes.value:
                query = _query(node, ctx, problems)
                if query is None:
                    continue
                line = node.start_mark.line + 1
                problems.extend(f"{shown}:{line}: {p}" for p in query_problems(query, set(lines)))
                if query.phenomenon not in phenomena:
                    problems.append(
                        f"{shown}:{line}: phenomenon {query.phenomenon!r} is not one of"
                        f" {', '.join(sorted(phenomena))}"
                    )
                if query.text in named:
                    problems.append(
                        f"{shown}:{line}: query {query.text!r} is a name of {named[query.text]}"
                    )
                asked = (query.text, query.expected)
                if asked in seen:
                    problems.append(f"{shown}:{line}: query already at line {seen[asked]}")
                seen.setdefault(asked, line)
                queries.append(query)
    if problems:
        raise DataError(problems)
    return DataSet(name, source, tuple(records), tuple(queries))


def people(path: Path = PEOPLE) -> DataSet:
    return read(path, "people", EntityType.PERSON, "people", PEOPLE_SOURCE, PEOPLE_PHENOMENA)


def organizations(path: Path = ORGANIZATIONS) -> DataSet:
    return read(
        path,
        "organizations",
        EntityType.ORGANIZATION,
        "organizations",
        ORGANIZATIONS_SOURCE,
        ORGANIZATION_PHENOMENA,
    )

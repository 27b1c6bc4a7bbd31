"""The loader: valid tables load; every problem is reported at once with file:line:column."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import DEFAULT_ALIASES, WriteTables

from entnorm_server.exc import AliasLoadError
from entnorm_server.loading import load_directory
from entnorm_server.model import AliasKind, EntityType
from entnorm_server.snapshot import load_snapshot

GOOD = """\
# people
entities:
  - id: person:shin-won-sik
    type: person
    display_name: Shin Won-sik
    names:
      en: Shin Won-sik
      ko: [신원식]
    aliases:
      - text: Shen Yuanxi
        kind: misrendering
        lang: en
        note: garbled Mandarin reading
        source: seed:kursk-nsc-2024-10
    related: [country:kr]
  - id: country:kr
    type: country
    display_name: South Korea
    names: {en: South Korea}
    external_ids: {wikidata: Q884}
"""


def problems_of(root: Path) -> list[str]:
    with pytest.raises(AliasLoadError) as caught:
        load_directory(root)
    return [str(p) for p in caught.value.problems]


def test_valid_table_loads_with_locations(write_tables: WriteTables) -> None:
    tables = load_directory(write_tables({"people.yaml": GOOD}))
    shin, korea = tables.entities
    assert shin.type is EntityType.PERSON
    assert [(a.text, a.kind, a.language) for a in shin.aliases] == [
        ("Shin Won-sik", AliasKind.NAME, "en"),
        ("신원식", AliasKind.NAME, "ko"),
        ("Shen Yuanxi", AliasKind.MISRENDERING, "en"),
    ]
    assert str(shin.location) == "people.yaml:3:5"
    assert shin.aliases[2].location is not None
    assert shin.aliases[2].location.line == 10
    assert shin.aliases[2].source == "seed:kursk-nsc-2024-10"
    assert korea.external_ids == (("wikidata", "Q884"),)
    assert tables.source_files[0].entity_count == 2


def test_every_problem_at_once_with_file_line_column(write_tables: WriteTables) -> None:
    root = write_tables(
        {
            "a.yaml": """\
            entities:
              - id: person:a
                type: persn
                display_name: ""
                names:
                  english: A
                aliases:
                  - text: A.
                    kind: alias
                    colour: red
              - id: org:b
                type: person
                display_name: B
                names: {en: B}
            """,
            "b.yaml": """\
            entities:
              - id: [unclosed
            """,
        }
    )
    found = problems_of(root)
    expected = [
        r"a\.yaml:3:5: entities\[0\]\.type: .*'person'.*\(got 'persn'\)",
        r"a\.yaml:4:5: entities\[0\]\.display_name: must not be empty",
        r"a\.yaml:6:7: entities\[0\]\.names\.english: 'english' is not a valid BCP-47",
        r"a\.yaml:9:9: entities\[0\]\.aliases\[0\]\.kind: .*'romanization'",
        r"a\.yaml:10:9: entities\[0\]\.aliases\[0\]\.colour: unknown field 'colour'; allowed: ",
        r"a\.yaml:11:5: entities\[1\]: id 'org:b' has prefix 'org', but type 'person' needs",
        r"b\.yaml:3:1: YAML syntax: ",
    ]
    assert len(found) == len(expected), found
    for line, pattern in zip(found, expected, strict=True):
        assert re.match(pattern, line), line


def test_duplicate_ids_across_files(write_tables: WriteTables) -> None:
    root = write_tables({"a.yaml": GOOD, "b.yaml": GOOD.replace("# people", "# copy")})
    assert problems_of(root) == [
        "b.yaml:3:5: duplicate id 'person:shin-won-sik': already defined at a.yaml:3:5;"
        " ids are unique across all tables",
        "b.yaml:16:5: duplicate id 'country:kr': already defined at a.yaml:16:5;"
        " ids are unique across all tables",
    ]


def test_dangling_related_id_suggests_the_near_one(write_tables: WriteTables) -> None:
    root = write_tables({"a.yaml": GOOD.replace("[country:kr]", "[country:kor]")})
    assert problems_of(root) == [
        "a.yaml:3:5: related id 'country:kor' is not defined in any table;"
        " did you mean 'country:kr'?"
    ]


def test_reference_to_an_invalid_entry_is_not_reported_as_dangling(
    write_tables: WriteTables,
) -> None:
    broken = GOOD.replace("display_name: South Korea", "display_name: ''")
    found = problems_of(write_tables({"a.yaml": broken}))
    assert len(found) == 1
    assert "display_name: must not be empty" in found[0]


def test_bad_tags_ids_and_repeats(write_tables: WriteTables) -> None:
    table = """\
    entities:
      - id: person:Bad_Id
        type: person
        display_name: X
        names: {ko_KR: X}
      - id: country:kr
        type: country
        display_name: South Korea
        names: {en: South Korea}
        aliases:
          - {text: south korea, kind: short_name}
        external_ids: {wikidata: "884"}
    """
    found = problems_of(write_tables({"a.yaml": table}))
    assert any("id: 'person:Bad_Id' is not a valid id" in p for p in found), found
    assert any("canonical form 'ko-KR'" in p for p in found), found
    assert any("wikidata '884' must be Q followed by digits" in p for p in found), found


def test_repeated_alias_is_reported(write_tables: WriteTables) -> None:
    table = GOOD.replace("text: Shen Yuanxi", "text: SHIN WON-SIK\n        # same as the name")
    table = table.replace("lang: en\n        note", "lang: en\n        note", 1)
    found = problems_of(write_tables({"a.yaml": table}))
    assert found == [
        "a.yaml:10:9: 'SHIN WON-SIK' repeats the name at a.yaml:7:7 of 'person:shin-won-sik';"
        " remove one"
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no *.yaml alias tables"),
        ({"a.yaml": ""}, "expected a mapping with an `entities:` list"),
        ({"a.yaml": "entities: []\n"}, "entities: needs at least one entry"),
        ({"a.yaml": "entities:\n  - id: person:a\n"}, "missing required field 'type'"),
    ],
)
def test_empty_and_incomplete_tables(
    write_tables: WriteTables, files: dict[str, str], message: str
) -> None:
    found = problems_of(write_tables(files))
    assert any(message in p for p in found), found


def test_revision_is_a_content_hash(write_tables: WriteTables, tmp_path: Path) -> None:
    first = load_snapshot(write_tables({"a.yaml": GOOD}))
    again = load_snapshot(write_tables({"a.yaml": GOOD}))
    # A comment changes the bytes, not the content; an entity's display name is content.
    commented = load_snapshot(write_tables({"a.yaml": GOOD + "# a comment\n"}))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.yaml").write_text(
        textwrap.dedent(GOOD).replace("display_name: Shin Won-sik", "display_name: Shin W."),
        encoding="utf-8",
    )
    changed = load_snapshot(tmp_path / "other")
    assert first.revision == again.revision == commented.revision
    assert first.revision != changed.revision


def test_embedded_default_tables_load() -> None:
    tables = load_directory(DEFAULT_ALIASES)
    assert len(tables.entities) >= 30


# --- hardening (issue 15): what a hostile tester found ------------------------------------------


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root, folders included; return root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def one_entity(entity_id: str, name: str) -> str:
    """A table of one entity with one English name."""
    kind = {"person": "person", "place": "place", "org": "organization"}[entity_id.split(":")[0]]
    return (
        f"entities:\n  - id: {entity_id}\n    type: {kind}\n"
        f"    display_name: {name}\n    names: {{en: {name}}}\n"
    )


def test_a_table_that_is_not_utf8_names_the_file_line_and_column(tmp_path: Path) -> None:
    latin1 = one_entity("place:cafe", "Café").encode("latin-1")  # é is the byte 0xe9
    root = write_files(tmp_path, {"a.yaml": GOOD, "b.yaml": latin1})
    assert problems_of(root) == [
        "b.yaml:4:22: not UTF-8 text: byte 0xe9 cannot be read (invalid continuation byte);"
        " save the file as UTF-8"
    ]


def test_tables_are_yaml_and_yml_files_of_any_case_in_folders_too(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "people.yml": GOOD,
            "Places.YAML": one_entity("place:kursk", "Kursk"),
            "sub/orgs.Yml": one_entity("org:hur", "HUR"),
            "sub/deeper/more.yaml": one_entity("place:sudzha", "Sudzha"),
        },
    )
    tables = load_directory(root)
    assert [s.path for s in tables.source_files] == [
        "Places.YAML",
        "people.yml",
        "sub/deeper/more.yaml",
        "sub/orgs.Yml",
    ]
    where = {e.id: str(e.location) for e in tables.entities}
    assert where["place:sudzha"] == "sub/deeper/more.yaml:2:5"
    assert where["org:hur"] == "sub/orgs.Yml:2:5"


def test_other_files_are_named_and_refused_but_dot_files_and_docs_pass(tmp_path: Path) -> None:
    broken = "entities: [\n"  # would be a problem if it were read
    root = write_files(
        tmp_path,
        {
            "people.yaml": GOOD,
            "notes.txt": "to do\n",
            "people.yaml.bak": GOOD,
            "sub/extra.json": "{}\n",
            ".people.yaml.swp": broken,
            ".git/config": broken,
            ".drafts/new.yaml": broken,
            "README.md": "# tables\n",
            "sub/NOTES.MD": "# notes\n",
        },
    )
    hint = (
        "not an alias table (*.yaml, *.yml) nor documentation (*.md): rename it to .yaml or"
        " move it out of the data directory"
    )
    assert problems_of(root) == [
        f"notes.txt:0:0: {hint}",
        f"people.yaml.bak:0:0: {hint}",
        f"sub/extra.json:0:0: {hint}",
    ]


def test_a_symbolic_link_loop_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    root = write_files(
        tmp_path, {"people.yaml": GOOD, "sub/places.yaml": one_entity("place:a", "A")}
    )
    (root / "sub" / "back").symlink_to("..", target_is_directory=True)
    (root / "sub" / "itself.yaml").symlink_to("itself.yaml")
    (root / "gone.yaml").symlink_to("missing.yaml")
    assert problems_of(root) == [
        "gone.yaml:0:0: broken symbolic link: what it points to does not exist",
        "sub/back:0:0: symbolic link loop: it leads back to the data directory; remove the link",
        "sub/itself.yaml:0:0: symbolic link loop: the link leads to itself; remove it",
    ]


def test_linked_tables_load_once_under_their_link_name(tmp_path: Path) -> None:
    shared = write_files(tmp_path / "shared", {"places.yaml": one_entity("place:a", "A")})
    root = write_files(tmp_path / "aliases", {"people.yaml": GOOD})
    (root / "linked").symlink_to(shared, target_is_directory=True)
    tables = load_directory(root)
    assert [s.path for s in tables.source_files] == ["linked/places.yaml", "people.yaml"]
    (root / "again").symlink_to(shared, target_is_directory=True)
    assert problems_of(root) == [
        "linked/places.yaml:0:0: the same file as again/places.yaml, reached again through a"
        " symbolic link; remove one of the two"
    ]


def test_a_repeated_key_is_reported_without_hiding_the_files_other_problems(
    write_tables: WriteTables,
) -> None:
    table = GOOD.replace("display_name: South Korea", "display_name: ''").replace(
        "    type: person\n", "    type: person\n    type: org\n"
    )
    assert problems_of(write_tables({"a.yaml": table})) == [
        'a.yaml:5:5: YAML syntax: while constructing a mapping found duplicate key "type"'
        ' with value "org" (original value: "person")',
        "a.yaml:19:5: entities[1].display_name: must not be empty",
    ]


def test_a_name_may_carry_its_source(write_tables: WriteTables) -> None:
    table = """\
    entities:
      - id: person:kim-jong-un
        type: person
        display_name: Kim Jong Un
        names:
          en: [Kim Jong Un, {text: Kim Jong-un, source: KCNA style}]
          ko: {text: 김정은, source: Rodong Sinmun}
    """
    [entity] = load_directory(write_tables({"t.yaml": table})).entities
    assert [(a.text, a.source) for a in entity.aliases] == [
        ("Kim Jong Un", ""),
        ("Kim Jong-un", "KCNA style"),
        ("김정은", "Rodong Sinmun"),
    ]
    wrong = table.replace("source: KCNA style", "sauce: KCNA style")
    with pytest.raises(AliasLoadError) as refused:
        load_directory(write_tables({"t.yaml": wrong}))
    [problem] = refused.value.problems
    assert problem.location.line == 6
    assert "sauce" in problem.message

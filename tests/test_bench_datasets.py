"""The evaluation suite's data sets (bench/suite): people and organisations curated by hand, and
countries from CLDR (Babel) and ISO 3166-1 (pycountry). A bad edit to the data fails here: ids,
types, empty names, BCP-47 tags, scripts that fit their tags, queries that point at a record."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from unidecode import unidecode

from entnorm_server.model import EntityType
from suite import curated
from suite.records import DataSet, Name, Record


@pytest.fixture(scope="module")
def people() -> DataSet:
    return curated.people()


@pytest.fixture(scope="module")
def organizations() -> DataSet:
    return curated.organizations()


@pytest.fixture(scope="module")
def countries() -> DataSet:
    pytest.importorskip("babel")
    pytest.importorskip("pycountry")
    from suite import countries as module

    return module.load()


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", unidecode(text).casefold()))


# --- the curated files -----------------------------------------------------------------------


def test_people_keep_every_invariant(people: DataSet) -> None:
    assert curated.problems(people) == []
    assert {r.type for r in people.records} == {EntityType.PERSON}
    assert len(people.records) >= 250
    assert len(people.queries) >= 150
    assert {q.phenomenon for q in people.queries} == curated.PEOPLE_PHENOMENA


def test_organizations_keep_every_invariant(organizations: DataSet) -> None:
    assert curated.problems(organizations) == []
    assert {r.type for r in organizations.records} == {EntityType.ORGANIZATION}
    assert len(organizations.records) >= 200
    assert len(organizations.queries) >= 100
    assert {q.phenomenon for q in organizations.queries} == curated.ORGANIZATION_PHENOMENA


def test_curated_ids_do_not_collide(people: DataSet, organizations: DataSet) -> None:
    ids = [r.id for r in (*people.records, *organizations.records)]
    assert len(ids) == len(set(ids))


def test_people_come_from_many_scripts(people: DataSet) -> None:
    scripts: Counter[str] = Counter()
    for record in people.records:
        for name in record.names:
            scripts.update(curated.scripts_in(name.text))
    for script in ("Latn", "Cyrl", "Arab", "Hebr", "Grek", "Hang", "Hani", "Kana", "Deva"):
        assert scripts[script] >= 15, script
    for script in ("Thai", "Geor", "Armn", "Beng"):
        assert scripts[script] >= 3, script


def test_namesakes_are_kept_on_purpose(people: DataSet) -> None:
    """Two or more real people share these names; the data must keep them apart."""
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for record in people.records:
        for name in record.names:
            owners[name.text].add(record.id)
    for shared in (
        "George Bush",
        "Michael Jordan",
        "Li Na",
        "李娜",
        "Wang Yi",
        "Γεώργιος Παπανδρέου",
    ):
        assert len(owners[shared]) >= 2, shared


def test_a_unique_surname_is_unique(people: DataSet) -> None:
    for query in people.queries:
        if query.phenomenon != "surname_alone":
            continue
        word = _tokens(query.text)
        owners = {r.id for r in people.records for n in r.names if word <= _tokens(n.text)}
        assert owners == {query.expected}, query.text


def test_negative_queries_name_no_record(people: DataSet, organizations: DataSet) -> None:
    for dataset in (people, organizations):
        names = {n.text.casefold() for r in dataset.records for n in r.names}
        for query in dataset.queries:
            assert query.text.casefold() not in names or query.expected is not None, query.text


def test_first_name_is_english(people: DataSet, organizations: DataSet) -> None:
    for record in (*people.records, *organizations.records):
        assert record.names[0].language == "en", record.id


# --- the checks themselves -------------------------------------------------------------------

BAD = """\
people:
  - id: person:someone
    about: fine
    names:
      en: Someone
      ru: Someone Latin
  - id: person:someone
    about: the same id again
    names:
      en: Someone Else
      xx-Bogus-Tag: Name
  - id: person:Bad_Slug
    about: bad id
    names:
      de: Erst Deutsch
      en: [Then English, "  "]
    nicknames:
      en: Then English
  - id: person:no-about
    names:
      en: Nobody
    wikidata: Q1
queries:
  - {text: Nobody's, expected: person:missing, phenomenon: possessive, note: n}
  - {text: x, expected: person:someone, phenomenon: Not Snake, note: n}
  - {text: Someone, expected: person:someone, phenomenon: title, note: a name, not a query}
  - {text: y, expected: person:someone, phenomenon: possessive, note: x, y}
"""


def test_a_malformed_file_fails_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(curated.DataError) as caught:
        curated.people(path)
    problems = caught.value.problems
    text = "\n".join(problems)
    expected = [
        (6, "'Someone Latin' (ru) has Latn letters"),
        (7, "id person:someone already at line 2"),
        (11, "invalid BCP-47 tag 'xx-Bogus-Tag'"),
        (12, "not person:<lowercase-slug>"),
        (15, "names: `en` must come first"),
        (16, "empty name"),
        (12, "'Then English' given twice"),
        (19, "missing field 'about'"),
        (22, "unknown field 'wikidata'"),
        (24, "expected id 'person:missing' is no record's"),
        (25, "phenomenon 'Not Snake' not snake_case"),
        (26, "query 'Someone' is a name of person:someone"),
        (27, "unknown field 'y'"),
    ]
    for line, message in expected:
        assert any(p.startswith(f"{path}:{line}: ") and message in p for p in problems), (
            f"no problem at line {line} with {message!r} in:\n{text}"
        )


def test_a_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "organizations.yaml"
    path.write_text("organizations:\n  - id: org:x\n    names: [unclosed\n", encoding="utf-8")
    with pytest.raises(curated.DataError) as caught:
        curated.organizations(path)
    assert re.match(rf"{re.escape(str(path))}:\d+: ", caught.value.problems[0])


def test_scalars_are_read_as_written(tmp_path: Path) -> None:
    """YAML 1.1 reads `no` as false and 1984 as a number; a name is text as written."""
    path = tmp_path / "organizations.yaml"
    path.write_text(
        "organizations:\n"
        "  - id: org:no-example\n"
        "    about: Norwegian key, numeric name\n"
        "    names:\n"
        "      en: '1984'\n"
        "      no: Nei\n"
        "    short_names:\n"
        "      en: 1984 Group\n",
        encoding="utf-8",
    )
    dataset = curated.organizations(path)
    assert dataset.records[0].names == (
        Name("1984", "en"),
        Name("Nei", "no"),
        Name("1984 Group", "en", "short_name"),
    )


def test_the_invariants_catch_a_bad_record() -> None:
    bad = DataSet(
        "x",
        "somewhere",
        (
            Record("person:a", EntityType.PERSON, (Name("Путин", "en"), Name("Путин", "ru"))),
            Record("org:a", EntityType.PERSON, (Name("Ａ", "en"),)),
            Record("person:a", EntityType.PERSON, (Name("e\u0301", "fr"),)),
        ),
    )
    found = curated.problems(bad)
    assert "person:a: 'Путин' (en) has Cyrl letters; en writes Latn" in found
    assert "person:a: 'Путин' given twice" in found
    assert any(p.startswith("org:a: id 'org:a'") for p in found)
    assert "person:a: id used twice" in found
    assert any("is not in NFC" in p for p in found)


def test_latin_acronyms_are_allowed_in_any_script() -> None:
    assert curated.stray_scripts("હોંગકોંગ SAR ચીન", "gu") == frozenset()
    assert curated.stray_scripts("LG전자", "ko") == frozenset()
    assert curated.stray_scripts("Samsung전자", "ko") == frozenset({"Latn"})
    assert curated.stray_scripts("Карл III", "ru") == frozenset()
    assert curated.stray_scripts("ジョージ・W・ブッシュ", "ja") == frozenset()
    assert curated.stray_scripts("Cергей", "ru") == frozenset({"Latn"})  # a Latin C
    assert curated.stray_scripts("ΝΑΤΟ", "el") == frozenset()
    assert curated.stray_scripts("NATO", "el") == frozenset({"Latn"})


# --- countries ---------------------------------------------------------------------------------


def test_countries_keep_every_invariant(countries: DataSet) -> None:
    assert curated.problems(countries) == []
    assert {r.type for r in countries.records} == {EntityType.COUNTRY}
    ids = {r.id for r in countries.records}
    assert len(ids) == 250  # ISO 3166-1 and Kosovo
    assert {"country:de", "country:kr", "country:kp", "country:tw", "country:xk"} <= ids
    for left_out in ("eu", "un", "ez", "zz", "xa", "xb", "qo", "ac", "ta", "ea", "ic", "dg", "cp"):
        assert f"country:{left_out}" not in ids
    assert not any(r.id[len("country:") :].isdigit() for r in countries.records)
    assert "Unicode" in countries.source
    assert "LGPL" in countries.source


def test_country_names_in_their_languages(countries: DataSet) -> None:
    by_id = {r.id: r for r in countries.records}
    germany = by_id["country:de"]
    assert germany.names[0] == Name("Germany", "en")
    assert Name("Deutschland", "de") in germany.names
    assert Name("DE", "", "abbreviation") in germany.names
    assert Name("DEU", "", "abbreviation") in germany.names
    assert Name("Federal Republic of Germany", "en") in germany.names
    assert Name("España", "es") in by_id["country:es"].names
    assert Name("Burma", "en", "former_name") in by_id["country:mm"].names or any(
        n.text == "Burma" for n in by_id["country:mm"].names
    )
    assert Name("Zaire", "en", "former_name") in by_id["country:cd"].names
    tags = {n.language for r in countries.records for n in r.names}
    assert {"zh-Hant", "sr-Latn", "ja", "ko", "ar", "he", "ru"} <= tags


def test_country_names_are_once_each(countries: DataSet) -> None:
    for record in countries.records:
        texts = [unicodedata.normalize("NFC", n.text) for n in record.names]
        assert len(texts) == len(set(texts)), record.id

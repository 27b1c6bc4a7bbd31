"""The evaluation suite derives queries the same way for every data set: typos are one edit in the
name's own script, splits follow the record, and cutoffs reach their precision on dev."""

from __future__ import annotations

import random

from entnorm_server.model import EntityType
from suite.cases import NAME_OF_ANOTHER, Case, conditions, label, split_of
from suite.metrics import tally, tune
from suite.records import DataSet, Name, Record
from suite.scripts import script_of
from suite.systems import Answer
from suite.typos import TypoMaker

PLACE = EntityType.PLACE


def test_a_typo_is_one_edit_in_the_names_own_script() -> None:
    from rapidfuzz.distance import DamerauLevenshtein

    names = ["Vladimir Putin", "Владимир Путин", "Ζελένσκι", "ゼレンスキー"]
    maker = TypoMaker(names)
    rng = random.Random(1)
    for name in names:
        for _ in range(50):
            typo = maker.make(name, rng)
            assert typo is not None
            assert DamerauLevenshtein.distance(name.lower(), typo.text.lower()) == 1
            assert script_of(typo.text) == script_of(name)


def test_a_name_of_three_letters_bears_no_typo() -> None:
    assert TypoMaker(["Kim"]).make("Kim", random.Random(1)) is None


def test_labels() -> None:
    kept = ["Zürich", "Zurich City", "Цюрих"]
    assert label("zürich", kept) == ("exact", ())
    assert label("Zurich-City", kept) == ("punctuation", ())
    assert label("Zurich", kept) == ("diacritics", ())
    assert label("City Zurich", kept) == ("token_order", ())
    assert label("Tsyurikh", kept)[0] == "spelling"
    assert label("蘇黎世", kept) == ("cross_script:Hani", ())


def test_splits_follow_the_record_and_negatives_stay_out_of_the_table() -> None:
    records = tuple(
        Record(
            f"place:p{i}",
            PLACE,
            (Name(f"Placename{i}"), Name(f"Otherplace{i}"), Name(f"Third{i}"), Name(f"Fourth{i}")),
        )
        for i in range(300)
    )
    main, latin_led = conditions(DataSet("test", "", records), seed=3)
    assert {c.split for c in main.cases} == {"fit", "dev", "test"}
    for case in main.cases:
        if case.expected is not None:
            assert case.split == split_of(case.expected, 3)
            assert case.expected in main.table
    negatives = [c for c in main.cases if c.phenomenon == "negative"]
    assert negatives
    assert not any(
        c.text in {n.text for r in main.table.values() for n in r.names} for c in negatives
    )
    # Held-out names are asked, not kept.
    held = [c for c in main.cases if c.phenomenon in ("exact", "spelling", "punctuation")]
    for case in held:
        assert case.expected is not None
        assert case.text not in {n.text for n in main.table[case.expected].names}
    assert latin_led.cases == () or all(
        c.expected is None
        or c.phenomenon.startswith("cross_script")
        or c.phenomenon == NAME_OF_ANOTHER
        for c in latin_led.cases
    )


def test_tune_takes_the_lowest_cutoff_that_reaches_the_precision() -> None:
    cases = [Case(f"q{i}", "a", "typo", "dev") for i in range(100)]
    # Scores 0..99: the right answer above 10, wrong below.
    answers = [Answer("a" if i > 10 else "b", float(i)) for i in range(100)]
    found = tune(cases, answers, target=0.99)
    assert found["reached"]
    assert found["cutoff"] == 11.0
    assert tally(cases, answers, found["cutoff"])["overall"]["precision"] == 1.0

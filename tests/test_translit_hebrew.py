"""The Hebrew name reader: aleph, vav and yod as the vowels Hebrew spells names with."""

from __future__ import annotations

import pytest

from entnorm_server.translit.hebrew import readings


@pytest.mark.parametrize(
    ("hebrew", "latin"),
    [
        ("לאנסינג", "lansing"),  # a mid-word aleph is "a" (ICU drops it)
        ("באנדונג", "bandung"),  # vav between letters is o or u: both readings are made
        ("פאורי", "pauri"),
        ("סואסון", "suasun"),
        ("אוסלו", "oslo"),  # an initial aleph before vav is silent; vav carries the vowel
        ("גאנה", "gana"),  # a final he is "a"
        ("ג׳קסונוויל", "jksonvil"),  # geresh: ג׳ is j; a doubled vav is the consonant v
        ("ג'קסונוויל", "jksonvil"),  # an apostrophe typed for the geresh
        ("אסמאניע", "asmanie"),  # a final ayin is "e", as Yiddish spells it
        ("ניו יורק", "nio york"),  # each word read alone
        ("וָרְשָׁה", "vrsha"),  # points are dropped (names rarely carry them); initial vav is v
    ],
)
def test_reads_a_name(hebrew: str, latin: str) -> None:
    assert latin in readings(hebrew)


def test_readings_differ_only_in_vowels_and_come_likeliest_first() -> None:
    assert readings("פוטין") == ("potin", "putin", "poten")


def test_no_hebrew_no_readings() -> None:
    assert readings("Berlin") == ()
    assert readings("") == ()

"""Kana names and Latin names compared by the consonants kana keeps."""

from __future__ import annotations

import pytest

from entnorm_server.translit import romanize
from entnorm_server.translit.kana_consonants import (
    INDEXED,
    indexed,
    kept,
    of_kana,
    of_latin,
    of_romanization,
)


def kana_skeletons(kana: str) -> set[str]:
    return {s for r in romanize(kana) for s in of_romanization(r.text)}


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("ヴィジェーヴァノ", "Vigevano"),  # Italian's soft g is the j kana hears
        ("マーケット", "Market"),  # English leaves the r unsounded
        ("ピャチゴルスク", "Pyatigorsk"),  # チ is also ti
        ("ローゼンハイム", "Rozenkhajm"),  # a Russian-style kh for h
        ("ダンバートン", "Dumbarton"),  # vowels are the guesses kana makes
        ("バート・ピルモント", "Bad Pyrmont"),  # a final d heard voiceless; words joined
    ],
)
def test_a_kana_name_keeps_the_latin_names_consonants(kana: str, latin: str) -> None:
    assert kana_skeletons(kana) & of_latin(latin)


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("ヴィジェーヴァノ", "Vicenza"),
        ("マーケット", "Marseille"),
        ("ダンバートン", "Dunedin"),
    ],
)
def test_other_consonants_do_not_meet(kana: str, latin: str) -> None:
    assert not kana_skeletons(kana) & of_latin(latin)


def test_a_romanized_kana_name_keeps_its_vowels() -> None:
    # GeoNames' "ebanzubiru" is Evansville's kana romanized: its vowels are the kana's own, so a
    # skeleton would wrongly meet バーンズビル (Barnesville).
    assert of_latin("ebanzubiru") == frozenset()
    assert of_latin("isutohatofodo") == frozenset()
    # A name of the same shape in its own spelling is capitalized, and compared.
    assert of_latin("Taranto") == {"trnt"}


def test_kept_names_the_longest_shared_skeleton_from_four_consonants() -> None:
    assert kept(of_kana("ヴィジェーヴァノ"), "Vigevano") == "b-s-b-n"
    assert kept(of_kana("スール"), "Surru") == ""  # two consonants decide nothing


@pytest.mark.parametrize(
    "latin",
    ["Torre del Greco", "Maple Grove", "Xochimilco", "Villa Mercedes", "Wschowa", "Vigevano"],
)
def test_indexed_skips_only_names_too_short_to_matter(latin: str) -> None:
    # indexed() skips reading a name whose consonants cannot reach INDEXED; that shortcut must
    # never lose a skeleton of_latin would give.
    assert indexed(latin) == {s for s in of_latin(latin) if len(s) >= INDEXED}


def test_torre_del_greco_is_indexed_by_its_seven_consonants() -> None:
    assert "trdrgrk" in indexed("Torre del Greco")  # and trdrgrs, c heard as s
    assert indexed("Vigevano") == frozenset()

"""Greek, Arabic, Hebrew, kana and other scripts, by the transliterators the benchmark chose."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from entnorm_server.normalize import ascii_key
from entnorm_server.scripts import scripts_in
from entnorm_server.translit.other_scripts import abjad_vowels, romanizations


def routes(name: str, language: str = "") -> dict[str, str]:
    return {r.text: str(r.route) for r in romanizations(name, language)}


def test_greek() -> None:
    found = routes("Αθήνα")
    assert found["Athina"] == "el Grek → Latn (ICU UNGEGN)"
    assert found["Athena"] == "el Grek → Latn (ICU)"
    assert "Zelenski" in routes("Ζελένσκι")


def test_arabic() -> None:
    found = romanizations("القاهرة")
    assert found
    assert str(found[0].route) == "ar Arab → Latn (ICU, vowels guessed)"
    assert ascii_key(found[0].text).startswith("alqah")


def test_language_tag_names_the_route() -> None:
    assert str(romanizations("تهران", "fa")[0].route).startswith("fa Arab → Latn")


def test_hebrew_goes_through_the_name_reader() -> None:
    found = routes("פאריז")
    assert found["Pariz"] == "he Hebr → Latn (name reader, vowels guessed)"


@pytest.mark.parametrize("kana", ["トウキョウ", "とうきょう"])
def test_kana(kana: str) -> None:
    found = routes(kana)
    assert found["Tokyo"] == "ja Kana → Latn (ICU BGN)"
    assert "Toukyou" in found


@pytest.mark.parametrize(
    ("kana", "hepburn", "spelled"),
    [
        ("シャウィニガン", "Shawinigan", "Shauinigan"),
        ("ハヴェリアン", "Haverian", "Havuerian"),
        ("モンツァ", "Montsa", "Montsua"),
        ("トゥルグ・ジウ", "Turugu・jiu", "Tourugu・jiu"),
        ("イェルサレム", "Yerusaremu", "Ierusaremu"),
    ],
)
def test_kana_for_foreign_sounds(kana: str, hepburn: str, spelled: str) -> None:
    # ICU writes the small vowel of ウィ, ヴェ, ツァ as "u~i", "vu~e", "tsu~a".
    found = routes(kana)
    assert found[hepburn] == "ja Kana → Latn (ICU)"
    assert found[spelled] == "ja Kana → Latn (ICU, letter for letter)"
    assert not any("~" in text for text in found)


@pytest.mark.parametrize(
    ("kana", "latin"),
    [
        ("スタンフォード", "Stanfod"),  # the u after s and the final o after d were added
        ("キーウェスト", "Kiwest"),
        ("ストックホルム", "Stokhorm"),  # ッ doubled the k
        ("ドレスデン", "Dresden"),  # the o of tr and dr was added too
        ("ベルリン", "Berrin"),  # r stays r: katakana does not tell l from r
    ],
)
def test_kana_loanword_reading(kana: str, latin: str) -> None:
    assert routes(kana)[latin] == "ja Kana → Latn (loanword reading, sounds guessed)"


def test_fallback_for_other_scripts() -> None:
    found = routes("თბილისი")
    assert found["Tbilisi"] == "Geor → Latn (anyascii)"


def test_renderings_are_latin() -> None:
    for name in ["Αθήνα", "القاهرة", "תל אביב", "トウキョウ", "मुंबई", "Երևան"]:
        for rendering in romanizations(name):
            assert scripts_in(rendering.text) == ("Latn",), rendering


def test_abjad_vowels() -> None:
    assert abjad_vowels("mynwngw") == "minungu"
    # Left to right: w becomes u, so the y after it is a glide and stays, as in "ayrs".
    assert abjad_vowels("bwyns ayrs") == "buyns ayrs"


@pytest.mark.parametrize("text", ["Paris", "Київ", "習近平", "東京タワー", "서울", ""])
def test_scripts_owned_elsewhere(text: str) -> None:
    assert romanizations(text) == []


def test_same_answers_from_many_threads() -> None:
    names = ["Αθήνα", "القاهرة", "トウキョウ", "मुंबई"] * 25
    expected = [romanizations(n) for n in names]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(romanizations, names)) == expected

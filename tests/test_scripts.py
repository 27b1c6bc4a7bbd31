"""The script registry: one detector (ICU's Script property), profiles from data/scripts.yaml."""

from __future__ import annotations

import pytest
from hypothesis import given
from pydantic import ValidationError
from strategies import texts

from entnorm_server.scripts import (
    ANY,
    NOT_A_SCRIPT,
    ScriptProfile,
    profile_of,
    profiles,
    script_of,
    scripts_in,
    scripts_where,
)
from entnorm_server.translit.readers import READERS


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("신원식", "Hang"),
        ("申源湜", "Hani"),
        ("Зеленський", "Cyrl"),
        ("Zelensky", "Latn"),
        ("Ζελένσκι", "Grek"),
        ("زيلينسكي", "Arab"),
        ("ゼレンスキー", "Kana"),
        ("ひらがな", "Hira"),
        ("ᠮᠣᠩᠭᠣᠯ", "Mong"),  # a script no profile names is still named
        ("ｾﾞﾚﾝｽｷｰ", "Kana"),  # half-width katakana
        ("ＫＩＭ", "Latn"),  # full-width Latin
        ("bytr ʻylyt", "Latn"),  # a modifier letter marks a Latin romanization's ayin
        ("LG전자", "Hang"),  # Latin initials leave a Hangul name Hangul
        ("2024", "Latn"),  # no letters: nothing to read
    ],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


def test_scripts_in_order_of_first_appearance() -> None:
    assert scripts_in("Kim 김정은 金正恩 Kim") == ("Latn", "Hang", "Hani")
    assert scripts_in("ー・。 123") == ()  # the length mark and punctuation belong to no script


@given(texts)
def test_detection_is_one_detector(text: str) -> None:
    found = scripts_in(text)
    assert not NOT_A_SCRIPT.intersection(found)
    assert len(set(found)) == len(found)
    others = [s for s in found if s != "Latn"]
    assert script_of(text) == (others[0] if others else "Latn")
    profile_of(script_of(text))  # every script has a profile, if only the default


def test_every_reader_a_profile_names_exists() -> None:
    for profile in profiles():
        named = {r for readers in profile.readers.values() for r in readers} | set(profile.guessed)
        assert named <= READERS.keys(), profile.name


def test_the_two_kanas_share_a_profile_and_merge_letters_alike() -> None:
    assert profile_of("Hira") is profile_of("Kana")
    assert "lv".translate(profile_of("Kana").merged()) == "rb"


def test_a_script_without_a_profile_reads_by_the_default() -> None:
    assert profile_of("Mong") is profile_of(ANY)
    assert profile_of("Mong").readers_for("mn") == ("any_script",)


def test_han_readers_follow_the_language_tag() -> None:
    han = profile_of("Hani")
    assert han.readers_for("ko-Hani") == ("korean_hanja", "mandarin_of_hanja")
    assert han.readers_for("ja") == ("japanese",)
    assert han.readers_for("zh-Hant") == ("chinese",)
    assert han.readers_for("") == ("chinese", "japanese")
    assert han.readers_for("", guess=True) == ("chinese", "japanese", "korean_hanja")
    assert han.readers_for("zh", guess=True) == ("chinese",)  # a tag is not guessed at


def test_vowel_models_come_from_the_profiles() -> None:
    assert {"Arab", "Hebr"} <= scripts_where(vowels="unwritten")
    assert scripts_where(vowel_reader="abjad") == {"Arab", "Hebr"}
    assert "Deva" in scripts_where(vowel_reader="indic")
    assert not {"Latn", "Cyrl", "Grek"} & scripts_where(vowels="unwritten")


@pytest.mark.parametrize(
    "profile",
    [
        {"scripts": ["Xyzw"], "name": "not a script", "readers": {}},
        {"scripts": ["Latn"], "name": "Latin", "readers": {}, "vowel": "written"},
        {"scripts": ["Latn"], "name": "Latin", "readers": {}, "vowels": "some"},
        {"scripts": [], "name": "none", "readers": {}},
    ],
)
def test_a_bad_profile_is_refused(profile: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ScriptProfile.model_validate(profile)

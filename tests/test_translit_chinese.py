"""Han-script names read in Mandarin: personal names surname first, other names by word."""

from __future__ import annotations

import pytest

from entnorm_server.translit.chinese import romanizations


def routes(name: str, language: str = "") -> dict[str, str]:
    return {r.text: str(r.route) for r in romanizations(name, language)}


@pytest.mark.parametrize("language", ["", "zh", "zh-Hans"])
def test_personal_name(language: str) -> None:
    found = routes("习近平", language)
    assert found["Xi Jinping"] == "zh Hani → Latn (pinyin)"
    assert "Xi Jin Ping" in found
    assert "Xi Jin-ping" in found


def test_traditional_characters_and_wade_giles() -> None:
    found = routes("習近平", "zh-Hant")
    assert "Xi Jinping" in found
    assert found["Hsi Chin-p'ing"] == "zh Hani → Latn (Wade-Giles)"
    assert "Ts'ai Ying-wen" in routes("蔡英文", "zh-Hant")


def test_korean_hanja_name_read_in_mandarin() -> None:
    found = routes("申源湜", "ko-Hani")
    assert found["Shen Yuanshi"] == "ko Hani → zh (Mandarin reading) → Latn (pinyin)"
    assert all(
        route.startswith("ko Hani → zh (Mandarin reading) → Latn (") for route in found.values()
    )


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("单田芳", "Shan Tianfang"),  # 单 is dan in text, shan as a surname
        ("曾国藩", "Zeng Guofan"),
        ("解缙", "Xie Jin"),
        ("仇英", "Qiu Ying"),
        ("欧阳修", "Ouyang Xiu"),  # a two-character surname
    ],
)
def test_surname_readings(name: str, reading: str) -> None:
    assert romanizations(name, "zh")[0].text == reading


def test_place_name_joined() -> None:
    found = routes("乌克兰")
    assert found["Wukelan"] == "zh Hani → Latn (pinyin)"


def test_long_name_by_word_and_by_syllable() -> None:
    found = routes("联合国安全理事会", "zh")
    assert found["Lianheguo Anquanlishihui"] == "zh Hani → Latn (pinyin)"
    assert "Lian He Guo An Quan Li Shi Hui" in found


def test_foreign_name_with_middle_dot() -> None:
    assert romanizations("弗拉基米尔·普京")[0].text == "Fulajimier Pujing"


def test_deduplicated() -> None:
    keys = [r.text.casefold() for r in romanizations("习近平")]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("text", ["Xi Jinping", "Зеленський", "東京タワー", "서울", "", "·"])
def test_not_han(text: str) -> None:
    assert romanizations(text) == []

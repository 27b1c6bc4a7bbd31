"""Japanese readings of kanji names, from UniDic through MeCab."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from entnorm_server.translit import romanize
from entnorm_server.translit.japanese import kana_readings

READING = "Japanese reading, UniDic"


def routes(name: str, language: str = "") -> dict[str, str]:
    return {r.text: str(r.route) for r in romanize(name, language)}


def test_a_kanji_name_is_read_as_japanese_beside_its_pinyin() -> None:
    found = routes("島原")
    assert found["Shimabara"] == f"Hani → Latn ({READING}, language guessed)"
    assert found["Dao Yuan"] == "zh Hani → Latn (pinyin)"  # untagged Han may as well be Chinese


def test_the_reading_is_said_not_spelled_letter_by_letter() -> None:
    assert "Tokyo" in routes("東京")
    assert "Kobe" in routes("神戸")  # コーベ: the long vowel is one o, as in the usual spelling
    assert "Hachioji" in routes("八王子")


def test_n_before_b_m_p_is_spelled_both_ways() -> None:
    assert {"Joho Hombu", "Joho Honbu"} <= set(routes("情報本部", "ja"))


def test_a_place_word_at_the_end_is_also_dropped() -> None:
    found = routes("横浜市")
    assert {"Yokohama", "Yokohama Shi"} <= set(found)


def test_kana_with_kanji_is_read_as_japanese() -> None:
    assert routes("さいたま市") == {
        "Saitama Shi": f"ja Hani → Latn ({READING})",
        "Saitama": f"ja Hani → Latn ({READING})",
    }


def test_tags_choose_the_reading() -> None:
    assert set(routes("東京", "ja")) == {"Tokyo"}
    assert "Pekin" in routes("北京")  # 北京 read in Japanese
    assert "Pekin" not in routes("北京", "zh")


def test_a_word_the_dictionary_does_not_know_gets_no_reading() -> None:
    # 伦敦 (London) is simplified Chinese: MeCab knows no such word, so nothing is guessed.
    assert all(READING not in route for route in routes("伦敦").values())


def test_readings_are_safe_from_many_threads() -> None:
    names = [f"{place}{suffix}" for place in ("札幌", "那覇", "函館") for suffix in "市区町村"]
    expected = [routes(name) for name in names]
    # With the reading cache emptied, the threads share the tagger itself.
    kana_readings.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(routes, names * 20))
    assert found == expected * 20
    assert "Sapporo" in found[0]

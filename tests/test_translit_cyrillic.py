"""Cyrillic romanizations and the Slavic Latin skeleton: a name's spellings all meet."""

from __future__ import annotations

import pytest

from entnorm_server.translit.cyrillic import guess_language, latin_key, romanizations


def texts(name: str, language: str = "") -> set[str]:
    return {r.text for r in romanizations(name, language)}


def routes(name: str, language: str = "") -> dict[str, str]:
    return {r.text: str(r.route) for r in romanizations(name, language)}


def test_zelenskyy_ukrainian_spellings() -> None:
    found = texts("Зеленський", "uk")
    assert {"Zelenskyi", "Zelenskyy", "Zelensky", "Zelenskiy", "Selenskyj"} <= found


def test_routes_name_the_system() -> None:
    found = routes("Володимир Зеленський", "uk")
    assert found["Volodymyr Zelenskyi"] == "uk Cyrl → Latn (KMU 2010)"
    assert found["Volodymyr Zelenskyy"] == "uk Cyrl → Latn (press: -skyy)"
    assert found["Wolodymyr Selenskyj"] == "uk Cyrl → Latn (German)"
    assert routes("Зеленский", "ru")["Zelenskiy"] == "ru Cyrl → Latn (BGN/PCGN)"
    # Soviet-era gazetteers: kh, shh, eh, ja, and й as j.
    assert (
        routes("Большой Шахрияр", "ru")["Bol'shoj Shakhrijar"] == "ru Cyrl → Latn (GOST 16876-71)"
    )


def test_most_official_first() -> None:
    first = romanizations("Володимир Зеленський", "uk")[0]
    assert (first.text, str(first.route)) == ("Volodymyr Zelenskyi", "uk Cyrl → Latn (KMU 2010)")


def test_russian_spellings() -> None:
    assert "Vladimir Putin" in texts("Владимир Путин", "ru")
    assert {"Zelenskiy", "Zelensky", "Zelenskij", "Zelenskii"} <= texts("Зеленский", "ru")


def test_real_names() -> None:
    assert {"Kyrylo Budanov", "Kyrylo Budanow"} <= texts("Кирило Буданов", "uk")
    assert {"Volodymyr", "Wolodymyr"} <= texts("Володимир", "uk")
    assert {"Yuliia Tymoshenko", "Yulia Tymoshenko"} <= texts("Юлія Тимошенко")
    assert {"Andrii Yermak", "Andrij Jermak", "Andrii Iermak"} <= texts("Андрій Єрмак")


@pytest.mark.parametrize(
    ("name", "language"),
    [("Зеленський", "uk"), ("Зеленский", "ru"), ("Кирило Буданов", "uk"), ("Хрущёв", "ru")],
)
def test_plain_latin_no_cyrillic_left(name: str, language: str) -> None:
    for rendering in romanizations(name, language):
        assert not any("\u0400" <= ch <= "\u04ff" for ch in rendering.text), rendering


def test_deduplicated_and_capped() -> None:
    found = romanizations("Володимир Зеленський")
    keys = [r.text.casefold() for r in found]
    assert len(keys) == len(set(keys))
    assert 0 < len(found) <= 16


def test_language_guess() -> None:
    assert guess_language("Київ") == "uk"
    assert guess_language("Зеленський") == "uk"  # -ський
    assert guess_language("Хрущёв") == "ru"
    assert guess_language("Зеленский") == "ru"  # -ский
    assert guess_language("Путин") == ""


def test_unsure_language_gives_both_families() -> None:
    found = texts("Владимир Путин")
    assert "Vladimir Putin" in found  # Russian
    assert "Vladymyr Putyn" in found  # Ukrainian reading of the same letters


def test_other_cyrillic_languages_use_their_tables() -> None:
    [rendering] = romanizations("София", "bg")
    assert str(rendering.route) == "bg Cyrl → Latn (BGN/PCGN)"
    assert rendering.text == "Sofiya"


@pytest.mark.parametrize("text", ["Zelensky", "Αθήνα", "習近平", ""])
def test_not_cyrillic(text: str) -> None:
    assert romanizations(text) == []


# --- latin_key ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Володимир Зеленський", "Зеленський", "Зеленский"])
def test_every_rendering_meets_the_press_spellings(name: str) -> None:
    targets = {latin_key(s) for s in ("Zelenskyy", "Zelensky", "Selenskyj")}
    assert len(targets) == 1
    surname = next(iter(targets))
    for rendering in romanizations(name):
        assert latin_key(rendering.text).split()[-1] == surname, rendering


@pytest.mark.parametrize(
    "spellings",
    [
        [
            "Zelenskyy",
            "Zelensky",
            "Zelenskiy",
            "Zelenskyi",
            "Zelenskij",
            "Selenskyj",
            "Zelenskii",
            "Zelens'kyi",
            "Zelensʹkyĭ",
            "Zełenski",
        ],
        ["Volodymyr", "Wolodymyr", "Volodimir", "Wołodymyr"],
        ["Budanov", "Budanow"],
        ["Yermak", "Jermak", "Iermak", "Êrmak"],
        ["Kyiv", "Kyyiv", "Kyjiv", "Kyïv", "Kiïv", "Kyjiw"],
        ["Yulia", "Yuliia", "Yuliya", "Julija", "Iuliia"],
        ["Khrushchev", "Khrushchyov", "Chruschtschow", "Hruŝëv", "Khruschev"],
        ["Yanukovych", "Janukowytsch", "Yanukovich"],
        ["Yeltsin", "Eltsin", "El'tsin", "Elcin"],
    ],
)
def test_spellings_share_a_key(spellings: list[str]) -> None:
    assert len({latin_key(s) for s in spellings}) == 1, {s: latin_key(s) for s in spellings}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Zelensky", "Zelenska"),  # his wife's surname form
        ("Putin", "Puting"),
        ("Kyiv", "Kiev"),
        ("Zelenska", "Zelenskaya"),
        ("Budanov", "Budanova"),
    ],
)
def test_near_misses_differ(one: str, other: str) -> None:
    assert latin_key(one) != latin_key(other)


def test_ukrainian_renderings_meet_latin_queries_both_ways() -> None:
    table = {latin_key(r.text) for r in romanizations("Кирило Буданов", "uk")}
    assert latin_key("Kyrylo Budanow") in table
    assert latin_key("Kirilo Budanov") in table


@pytest.mark.parametrize("text", ["Зеленський", "Αθήνα", "習近平", "", "  ", "123"])
def test_key_of_non_latin_is_empty(text: str) -> None:
    assert latin_key(text) == ""

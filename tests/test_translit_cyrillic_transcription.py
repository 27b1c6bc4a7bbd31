"""Latin names and Cyrillic names compared by how Cyrillic writes a foreign name down."""

from __future__ import annotations

import pytest

from entnorm_server.translit.cyrillic_transcription import (
    INDEXED,
    indexed,
    of_cyrillic,
    of_latin,
)


@pytest.mark.parametrize(
    ("latin", "cyrillic", "language"),
    [
        ("Burghausen", "Бургхаузен", "German"),  # s between vowels is з, g is г
        ("Chiavari", "Кьявари", "Italian"),  # chi is кь
        ("New Bern", "Нью-Берн", "English"),  # ew is ью; hyphen and space are no letters
        ("Fairfield", "Фейрфілд", "English"),  # Ukrainian і; ai is ей, ie is и
        ("Joliette", "Жольєт", "French"),  # j is ж; a soft sign before a vowel is a glide
        ("Ribeirão Preto", "Рибейран-Прету", "Portuguese"),  # ão is ан, a final o у
        ("Torrejón de Ardoz", "Торрехон-де-Ардос", "Spanish"),  # j is х, z is с
        ("Mittweida", "Митвайда", "German"),  # ei is ай, w is в
        ("Międzyrzecz", "Мендзыжеч", "Polish"),  # ę is ен, rz is ж
        ("Wyszków", "Вышкув", "Polish"),  # Polish ó is у
        ("Zwijndrecht", "Звейндрехт", "Dutch"),  # ij is ей, ch is х
        ("Quickborn", "Квикборн", "letter for letter"),
        ("Lake Ridge", "Лейк-Ридж", "English"),  # a vowel before consonant and final e: ей
        ("South Plainfield", "Саут-Плейнфилд", "English"),
        ("Jászberény", "Ясберень", "Hungarian"),  # sz is с, a final ny нь
    ],
)
def test_a_foreign_name_meets_its_cyrillic_transcription(
    latin: str, cyrillic: str, language: str
) -> None:
    key = of_cyrillic(cyrillic)
    assert of_latin(latin).get(key) == language


def test_only_polish_reads_o_acute_as_u() -> None:
    # Wyszków is not Vyškov (Вышков), and a Spanish ó is an o (Córdoba, Кордоба).
    assert of_cyrillic("Вышков") not in of_latin("Wyszków")
    assert of_cyrillic("Кордоба") in of_latin("Córdoba")


def test_each_language_reads_a_name_its_own_way() -> None:
    # German z is ц, Italian ch is к, French ch is ш: each is one key of the same name.
    assert of_cyrillic("Цвиккау") in of_latin("Zwickau")
    assert of_cyrillic("Киоджа") in of_latin("Chioggia")
    assert of_cyrillic("Шатору") in of_latin("Châteauroux")


@pytest.mark.parametrize(
    ("latin", "language"),
    [
        ("Changchun", "Dutch"),  # Dutch ch is х, but this is pinyin
        ("Cochin", "Polish"),  # Polish c is ц, but this is Kochi in English
        ("Chinju", "French"),  # no French spelling to read by
        ("Zarqan", "Spanish"),
    ],
)
def test_a_language_reads_only_names_spelled_like_it(latin: str, language: str) -> None:
    assert language not in of_latin(latin).values()


def test_short_keys_are_not_looked_up() -> None:
    assert len(of_cyrillic("Бонн")) < INDEXED
    assert indexed("Бонн") == ""
    assert of_latin("Bonn") == {}
    assert indexed("Бургхаузен") == of_cyrillic("Бургхаузен")


def test_a_name_in_another_script_has_no_key() -> None:
    assert of_cyrillic("Berlin") == ""
    assert of_cyrillic("Берлин 2") == ""  # a number is not a sound
    assert of_latin("Берлин") == {}


def test_keys_keep_the_vowels_and_glides_that_tell_names_apart() -> None:
    assert of_cyrillic("Кармиэль") not in of_latin("Carmel")  # Karmiel
    assert of_cyrillic("Мандурия") not in of_latin("Mandurah")
    assert of_cyrillic("Белтон") not in of_latin("Bolton")

"""The vowels an Indic name writes, against a Latin name's vowels."""

from __future__ import annotations

import pytest

from entnorm_server.translit.abugida_vowels import written_vowels_agree


@pytest.mark.parametrize(
    ("indic", "latin", "agreed"),
    [
        ("മാഡിസൺ", "Madison", (2, 4)),  # ā and i written; the o is the inherent vowel of സ
        ("അമരാവതി", "Amravati", (2, 4)),  # an inherent vowel may be silent (m-r)
        ("अमरावती", "Amaravati", (2, 4)),  # or sounded
        ("नाइल्स", "Niles", (1, 3)),  # आइ, ā then i, is the English long i
        ("सेंट लुईस", "Saint Louis", (3, 5)),  # the anusvara is the n of Saint
        ("ਸਾਂਤਾ ਲੂਸੀਆ", "Santa Lucia", (5, 5)),
        ("பாஸ்டன்", "Boston", (1, 4)),  # Tamil writes the English short o with ā
        ("ऑस्टिन", "Austin", (2, 3)),  # candra o is the au of Austin
        ("നാൻജിങ്", "Nanjing", (2, 4)),  # ng at the end is one letter, ṅ
    ],
)
def test_written_vowels_stand_where_the_latin_name_has_them(
    indic: str, latin: str, agreed: tuple[int, int]
) -> None:
    assert written_vowels_agree(indic, latin) == agreed


@pytest.mark.parametrize(
    ("indic", "latin"),
    [
        ("बोस्टन", "Bastian"),  # o written where the Latin name has a
        ("सागर", "Sugar"),  # ā where it has u
        ("ലിങ്കൺ", "Lincoln"),  # consonants not one for one (the l is silent)
        ("सेंट लुईस", "Saint Lewis"),  # w before a vowel is a consonant, व
        ("कृष्णा", "Krishna"),  # a vocalic r has no one Latin spelling to compare
        ("सागर 2", "Sagar"),  # a digit is no letter of the script
    ],
)
def test_a_vowel_written_where_the_latin_name_has_none_disagrees(indic: str, latin: str) -> None:
    assert written_vowels_agree(indic, latin) == (0, 0)

"""The vowels an Arabic or Hebrew name writes, against a Latin name's vowels."""

from __future__ import annotations

import pytest

from entnorm_server.translit.abjad_vowels import written_vowels_agree


@pytest.mark.parametrize(
    ("abjad", "latin", "agreed"),
    [
        ("غلاستونبوري", "Glastonbury", (4, 7)),  # a, o, u, y written as ا و و ي
        ("هوكنهايم", "Hockenheim", (3, 5)),  # ei as اي; the short e unwritten
        ("زيلينسكي", "Zelensky", (3, 5)),  # e as ي
        ("أولدنبورغ", "Oldenburg", (2, 6)),  # أو on a carrier alef is o
        ("ایلام", "Ilam", (2, 2)),  # and ای is i
        ("הארלם", "Haarlem", (1, 4)),  # Hebrew aleph, vav and yod alike
        ("ג׳רזי", "Jersey", (1, 3)),  # a geresh makes j of ג, and sounds no vowel
        ("غلاسكو", "Glasgow", (2, 4)),  # ow at the end is a vowel, not the glide w
        ("אטלנטה", "Atlanta", (2, 4)),  # a final ה is the vowel a
        ("וושינגטון", "Washington", (3, 5)),  # וו is the glide w
        ("גני תיקווה", "Ganei Tikva", (3, 5)),  # or the consonant v
    ],
)
def test_written_vowels_stand_where_the_latin_name_has_them(
    abjad: str, latin: str, agreed: tuple[int, int]
) -> None:
    assert written_vowels_agree(abjad, latin) == agreed


@pytest.mark.parametrize(
    ("abjad", "latin"),
    [
        ("كيلبورن", "Cleburne"),  # ي after k, where Cleburne has none
        ("أولدنبورغ", "Waldenburg"),  # a carried vowel is o or u, never the glide w
        ("الشيخ زايد", "El Sheikh Zuwaiyid"),  # a glide (w, y) is always written
        ("ميرني", "Mirnyy Sakha"),  # consonants not one for one
        ("ميرني 2", "Mirny"),  # a digit is no letter of the script
    ],
)
def test_a_vowel_written_where_the_latin_name_has_none_disagrees(abjad: str, latin: str) -> None:
    assert written_vowels_agree(abjad, latin) == (0, 0)

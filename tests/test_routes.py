"""Route steps are read by meaning, not by any word they happen to contain."""

from __future__ import annotations

from entnorm_server import routes

TITLE = routes.QUERY_SIDE + routes.dropped_title("위원장")
HANGUL = routes.QUERY_SIDE + "ko Hang → RR"
ARABIC = routes.ALIAS_SIDE + "ar Arab → Latn (ICU, vowels guessed)"
HEBREW_RAW = routes.QUERY_SIDE + routes.unidecoded("Hebr", vowels_dropped=True)
ACCENTS = routes.QUERY_SIDE + routes.DIACRITICS_FOLDED
ARTICLE = routes.QUERY_SIDE + "Arabic article: assimilated al- spelled out"
ALIAS_UNIDECODE = routes.ALIAS_SIDE + routes.unidecoded("Hang", vowels_dropped=False)


def test_a_dropped_title_is_neither_lossy_nor_a_transliteration() -> None:
    assert not routes.lossy(TITLE)
    assert not routes.transliterates(TITLE)
    assert not routes.both_transliterated((TITLE, ALIAS_UNIDECODE))


def test_guessed_or_dropped_vowels_are_lossy() -> None:
    assert routes.lossy(ARABIC)
    assert routes.lossy(HEBREW_RAW)
    assert not routes.lossy(HANGUL)
    assert routes.lossy_steps((HEBREW_RAW, ARABIC, TITLE)) == 2


def test_guessed_sounds_are_lossy() -> None:
    assert routes.lossy(f"{routes.QUERY_SIDE}el Grek → Latn (loanword reading, sounds guessed)")


def test_both_sides_romanized_from_two_scripts() -> None:
    assert routes.both_transliterated((HEBREW_RAW, ARABIC))
    assert not routes.both_transliterated((HANGUL,))
    assert not routes.both_transliterated((ARTICLE, ARABIC))  # a Latin respelling
    # Two Hebrew spellings meet through one transliterator: a spelling variant.
    hebrew_alias = routes.ALIAS_SIDE + routes.unidecoded("Hebr", vowels_dropped=True)
    assert not routes.both_transliterated((HEBREW_RAW, hebrew_alias))


def test_source_script() -> None:
    assert routes.source_script("he Hebr → Latn (name reader, vowels guessed)") == "Hebr"
    assert routes.source_script("ko-Hani → Hang (hanja) → RR") == "Hani"
    assert routes.source_script("zh Hani → Wade-Giles") == "Hani"
    assert routes.source_script(routes.dropped_title("Mr")) == ""


def test_accents_only() -> None:
    assert routes.accents_only((ACCENTS,))
    assert not routes.accents_only((ACCENTS, HANGUL))
    assert not routes.accents_only(())


def test_through_a_system() -> None:
    wade_giles = routes.ALIAS_SIDE + f"zh Hani → {routes.WADE_GILES}"
    assert routes.through((wade_giles,), routes.WADE_GILES)
    assert not routes.through((HANGUL,), routes.WADE_GILES)


def test_one_script() -> None:
    arabic_query = routes.QUERY_SIDE + routes.unidecoded("Arab", vowels_dropped=True)
    assert routes.one_script((arabic_query, ARABIC))
    assert not routes.one_script((HEBREW_RAW, ARABIC))
    assert not routes.one_script((ARABIC,))


def test_spelled_out_is_one_letter_for_letter_step_from_hangul_or_kana() -> None:
    assert routes.spelled_out((routes.QUERY_SIDE + "ko Hang → RR (letter for letter)",))
    assert routes.spelled_out((ALIAS_UNIDECODE,))
    assert routes.spelled_out((routes.ALIAS_SIDE + "ja Kana → Latn (ICU, letter for letter)",))
    assert not routes.spelled_out((HANGUL,))  # RR with its sound changes reads, not spells
    assert not routes.spelled_out((routes.QUERY_SIDE + "ko Hang → Latn (loanword reading)",))
    assert not routes.spelled_out((routes.QUERY_SIDE + routes.unidecoded("Cyrl", False),))
    assert not routes.spelled_out((ALIAS_UNIDECODE, HANGUL))  # both sides romanized
    # Hanja read as Hangul and then spelled out is a reading of the characters.
    assert not routes.spelled_out(
        (routes.QUERY_SIDE + "ko-Hani → Hang (hanja) → RR (letter for letter)",)
    )

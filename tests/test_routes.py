"""Route steps are data: rules read their fields, and the words shown are rendered from them."""

from __future__ import annotations

from entnorm_server import routes
from entnorm_server.routes import HANJA, Mark, Side, Step, describe, on, romanized

QUERY, ALIAS = Side.QUERY, Side.ALIAS
TITLE = on(routes.dropped_title("위원장"), QUERY)
HANGUL = on(romanized("Hang", "RR", "ko"), QUERY)
ARABIC = on(romanized("Arab", "ICU", "ar", marks=(Mark.VOWELS_GUESSED,)), ALIAS)
HEBREW_RAW = on(routes.unidecoded("Hebr", vowels_dropped=True), QUERY)
ACCENTS = on(routes.DIACRITICS_FOLDED, QUERY)
ARTICLE = on(routes.respelled("Arabic article: assimilated al- spelled out"), QUERY)
ALIAS_UNIDECODE = on(routes.unidecoded("Hang", vowels_dropped=False), ALIAS)


def test_steps_are_described_from_their_fields() -> None:
    assert describe(TITLE) == "query: dropped title '위원장'"
    assert describe(HANGUL) == "query: ko Hang → Latn (RR)"
    assert describe(ARABIC) == "alias: ar Arab → Latn (ICU, vowels guessed)"
    assert describe(HEBREW_RAW) == "query: Hebr → Latn (unidecode, vowels dropped)"
    assert describe(ACCENTS) == "query: diacritics folded (unidecode)"
    hanja = romanized("Hani", "RR", "ko", variant="syllable by syllable", via=HANJA)
    assert describe(hanja) == "ko Hani → Hang (hanja) → Latn (RR, syllable by syllable)"
    assert describe(routes.as_cyrillic_writes("German")) == (
        "Latn → Cyrl (read as German spelling, practical transcription)"
    )


def test_a_text_that_reads_like_a_step_is_no_step() -> None:
    # A query's own words cannot mark it: only the fields count.
    sly = romanized("Latn", "dropped qualifier 'x' vowels guessed")
    assert not routes.lossy(sly)
    assert not routes.qualifier_dropped((sly,))


def test_a_dropped_title_is_neither_lossy_nor_a_transliteration() -> None:
    assert not routes.lossy(TITLE)
    assert not routes.transliterates(TITLE)
    assert not routes.both_transliterated((TITLE, ALIAS_UNIDECODE))


def test_guessed_or_dropped_vowels_and_guessed_sounds_are_lossy() -> None:
    assert routes.lossy(ARABIC)
    assert routes.lossy(HEBREW_RAW)
    assert not routes.lossy(HANGUL)
    assert routes.lossy(romanized("Grek", "loanword reading", "el", marks=(Mark.SOUNDS_GUESSED,)))
    assert routes.lossy_steps((HEBREW_RAW, ARABIC, TITLE)) == 2


def test_both_sides_romanized_from_two_scripts() -> None:
    assert routes.both_transliterated((HEBREW_RAW, ARABIC))
    assert not routes.both_transliterated((HANGUL,))
    assert not routes.both_transliterated((ARTICLE, ARABIC))  # a Latin respelling
    # Two Hebrew spellings meet through one transliterator: a spelling variant.
    hebrew_alias = on(routes.unidecoded("Hebr", vowels_dropped=True), ALIAS)
    assert not routes.both_transliterated((HEBREW_RAW, hebrew_alias))


def test_source_script() -> None:
    assert routes.source_script(romanized("Hebr", routes.HEBREW_READER, "he")) == "Hebr"
    assert routes.source_script(romanized("Hani", "RR", "ko", via=HANJA)) == "Hani"
    assert routes.source_script(routes.dropped_title("Mr")) == ""


def test_accents_only() -> None:
    assert routes.accents_only((ACCENTS,))
    assert not routes.accents_only((ACCENTS, HANGUL))
    assert not routes.accents_only(())


def test_uses_a_system_and_marked() -> None:
    wade_giles = on(romanized("Hani", routes.WADE_GILES, "zh"), ALIAS)
    assert routes.uses((wade_giles,), routes.WADE_GILES)
    assert not routes.uses((HANGUL,), routes.WADE_GILES)
    guessed = romanized("Hani", routes.JAPANESE_READING, marks=(Mark.LANGUAGE_GUESSED,))
    assert routes.uses((guessed,), routes.JAPANESE_READING, Mark.LANGUAGE_GUESSED)
    assert not routes.uses(
        (romanized("Hani", routes.JAPANESE_READING, "ja"),),
        routes.JAPANESE_READING,
        Mark.LANGUAGE_GUESSED,
    )
    assert routes.marked((ARABIC,), Mark.VOWELS_GUESSED)


def test_one_script() -> None:
    arabic_query = on(routes.unidecoded("Arab", vowels_dropped=True), QUERY)
    assert routes.one_script((arabic_query, ARABIC))
    assert not routes.one_script((HEBREW_RAW, ARABIC))
    assert not routes.one_script((ARABIC,))


def test_spelled_out_is_one_letter_for_letter_step_from_hangul_or_kana() -> None:
    letters = (Mark.LETTER_FOR_LETTER,)
    assert routes.spelled_out((on(romanized("Hang", "RR", "ko", marks=letters), QUERY),))
    assert routes.spelled_out((ALIAS_UNIDECODE,))
    assert routes.spelled_out((on(romanized("Kana", "ICU", "ja", marks=letters), ALIAS),))
    assert not routes.spelled_out((HANGUL,))  # RR with its sound changes reads, not spells
    loanword = on(romanized("Hang", "loanword reading", "ko"), QUERY)
    assert not routes.spelled_out((loanword,))
    assert not routes.spelled_out((on(routes.unidecoded("Cyrl", False), QUERY),))
    assert not routes.spelled_out((ALIAS_UNIDECODE, HANGUL))  # both sides romanized
    # Hanja read as Hangul and then spelled out is a reading of the characters.
    hanja: Step = romanized("Hani", "RR", "ko", marks=letters, via=HANJA)
    assert not routes.spelled_out((on(hanja, QUERY),))

"""Properties of every transliterator and reader: any Unicode text in any script, with any
language tag, gets an answer (maybe none) and never an exception, the same one each time."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hypothesis import example, given
from hypothesis import strategies as st
from strategies import block, languages, texts, words_of

from entnorm_server.model import EntityType
from entnorm_server.scripts import scripts_in
from entnorm_server.translit import (
    SKELETONS,
    abjad_vowels,
    abugida_vowels,
    arabic_article,
    chinese,
    cyrillic,
    cyrillic_transcription,
    greek_loanwords,
    hangul_loanwords,
    hebrew,
    japanese,
    kana_consonants,
    korean,
    other_scripts,
    romanize,
)
from entnorm_server.translit.base import Romanization
from entnorm_server.variants import forms, query_keys, table_keys

# Each module's renderings of a name, by language tag.
ROMANIZERS: dict[str, Callable[[str, str], list[Romanization]]] = {
    "korean": korean.romanizations,
    "chinese": chinese.romanizations,
    "japanese": japanese.romanizations,
    "cyrillic": cyrillic.romanizations,
    "other_scripts": other_scripts.romanizations,
    "arabic_article": lambda text, _: arabic_article.romanizations(text),
    "romanize": romanize,
    "romanize, guessing": lambda text, language: romanize(text, language, guess=True),
}

# Readers of one text, whatever they return.
READERS: dict[str, Callable[[str], object]] = {
    "korean.latin_key": korean.latin_key,
    "hangul_loanwords": hangul_loanwords.reading,
    "hangul_loanwords, initial r": lambda text: hangul_loanwords.reading(text, initial_r=True),
    "chinese.han_parts": chinese.han_parts,
    "japanese.kana_readings": japanese.kana_readings,
    "cyrillic.guess_language": cyrillic.guess_language,
    "cyrillic.latin_key": cyrillic.latin_key,
    "hebrew": hebrew.readings,
    "greek_loanwords": greek_loanwords.readings,
    "scripts.scripts_in": scripts_in,
    "other_scripts.abjad_vowels": other_scripts.abjad_vowels,
    "other_scripts.kana_small_vowels": other_scripts.kana_small_vowels,
    "other_scripts.kana_loanword": other_scripts.kana_loanword,
    "kana_consonants.of_latin": kana_consonants.of_latin,
    "kana_consonants.indexed": kana_consonants.indexed,
    "kana_consonants.of_romanization": kana_consonants.of_romanization,
    "kana_consonants.of_kana": kana_consonants.of_kana,
    "cyrillic_transcription.of_cyrillic": cyrillic_transcription.of_cyrillic,
    "cyrillic_transcription.indexed": cyrillic_transcription.indexed,
    "cyrillic_transcription.of_latin": cyrillic_transcription.of_latin,
}

latin_names = words_of(block("latin"))


def _plain(found: object) -> object:
    """A reader's answer in a form that compares by value (read-only mappings included)."""
    return dict(found) if isinstance(found, Mapping) else found


@given(texts, languages)
@example("곦0", "")  # ㄶ before a digit: korean-romanizer had no reading for it (found by fuzzing)
def test_every_romanizer_answers_with_routed_latin_forms(text: str, language: str) -> None:
    for name, romanizations in ROMANIZERS.items():
        found = romanizations(text, language)
        assert all(isinstance(r, Romanization) and r.route for r in found), name
        assert romanizations(text, language) == found, name


@given(texts)
def test_every_reader_answers_the_same_each_time(text: str) -> None:
    for name, read in READERS.items():
        assert _plain(read(text)) == _plain(read(text)), name


@given(texts, texts)
def test_kana_consonants_kept_by_any_latin_name(kana: str, latin: str) -> None:
    heard = kana_consonants.of_kana(kana)
    kept = kana_consonants.kept(heard, latin)
    assert kept == "" or kept.replace("-", "") in heard


# A Latin name beside one in a script that leaves vowels unwritten, as the cons family meets them.
abjad_names = st.one_of(texts, words_of(st.one_of(block("arabic"), block("hebrew"))))
indic_names = st.one_of(texts, words_of(block("indic")))
latin_or_any = st.one_of(texts, latin_names)


@given(abjad_names, latin_or_any)
@example("غلاستونبوري", "")  # a Latin name with no letter: zip(strict) had one more "following"
def test_abjad_vowels_agree_counts(abjad: str, latin: str) -> None:
    vowels, consonants = abjad_vowels.written_vowels_agree(abjad, latin)
    assert min(vowels, consonants) >= 0


@given(indic_names, latin_or_any)
@example("सैक्रामेंटो", "123")  # likewise
def test_abugida_vowels_agree_counts(indic: str, latin: str) -> None:
    vowels, consonants = abugida_vowels.written_vowels_agree(indic, latin)
    assert min(vowels, consonants) >= 0


@given(texts, languages, st.booleans())
def test_every_form_has_keys(text: str, language: str, query: bool) -> None:
    found = forms(text, language, query=query)
    assert found[0].text == text
    for form in found:
        assert all(key for _, key in query_keys(form))
        for entity_type in EntityType:
            assert all(key for _, key in table_keys(form, entity_type, language))


@given(texts)
def test_skeletons_of_any_text(text: str) -> None:
    for name, latin_key in SKELETONS.items():
        key = latin_key(text)
        assert key == latin_key(text), name
        assert key == "" or key.isascii(), name

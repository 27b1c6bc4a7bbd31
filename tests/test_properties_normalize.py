"""Properties of the key functions, titles and qualifiers over any Unicode text."""

from __future__ import annotations

from hypothesis import example, given
from strategies import texts

from entnorm_server.normalize import ascii_key, exact_key, folded_key, numbers
from entnorm_server.qualifiers import split_qualifier
from entnorm_server.titles import strip_titles

KEYS = (exact_key, folded_key, ascii_key)


@given(texts)
@example("e'\u0301")  # the apostrophe dropped, e and its accent compose: é
@example("\u1100'\u1161")  # and two jamo: 가
def test_each_key_is_its_own_key(text: str) -> None:
    # A key names a class of spellings: keyed again, it stays in its class.
    for key in KEYS:
        once = key(text)
        assert key(once) == once, key.__name__


@given(texts)
def test_each_tier_forgives_what_the_one_before_did(text: str) -> None:
    assert folded_key(exact_key(text)) == folded_key(text)
    assert ascii_key(folded_key(text)) == ascii_key(text)


@given(texts)
def test_keys_are_trimmed_and_single_spaced(text: str) -> None:
    for key in KEYS:
        assert key(text) == " ".join(key(text).split()), key.__name__
    assert ascii_key(text).isascii()


@given(texts)
@example("Lyon " + "3" * 5000)  # more digits than Python reads as an int by default
def test_numbers_are_sorted_and_whole(text: str) -> None:
    found = numbers(text)
    assert list(found) == sorted(found)
    assert all(n >= 0 for n in found)


@given(texts)
def test_titles_leave_a_run_of_the_name(text: str) -> None:
    words = folded_key(text).split()
    stripped, dropped = strip_titles(text)
    kept = stripped.split()
    # At least one word stays, and what stays is the name's words in a row.
    assert bool(kept) == bool(words)
    assert any(words[i : i + len(kept)] == kept for i in range(len(words) - len(kept) + 1))
    assert len(kept) + sum(len(t.split()) for t in dropped) == len(words)


@given(texts)
def test_a_qualifier_splits_off_at_a_comma(text: str) -> None:
    split = split_qualifier(text)
    if split is not None:
        name, qualifier = split
        assert name
        assert qualifier
        assert text.index(name) + len(name) < text.rindex(qualifier)  # a comma between them

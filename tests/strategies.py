"""Hypothesis strategies for names: any Unicode text, whole script blocks, and names that mix
them with spaces, punctuation, digits, commas and parentheses."""

from __future__ import annotations

from hypothesis import strategies as st

# Most of the wire's limit (512 characters): long enough for every rule, short enough for speed.
MAX_CHARS = 48

# Surrogates are no valid str on the wire (UTF-8 cannot carry them); every other code point is,
# unassigned, private-use, controls and combining marks included.
any_char = st.characters(exclude_categories=["Cs"])

# Script blocks, each as inclusive code point ranges.
BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "hangul syllables": ((0xAC00, 0xD7A3),),  # all 11,172
    "hangul jamo": (
        (0x1100, 0x11FF),
        (0x3130, 0x318F),  # compatibility jamo
        (0xA960, 0xA97F),
        (0xD7B0, 0xD7FF),
        (0xFFA0, 0xFFDC),  # half-width
    ),
    "han": (
        (0x4E00, 0x9FFF),
        (0x3400, 0x4DBF),  # extension A
        (0x20000, 0x2A6DF),  # extension B
        (0xF900, 0xFAFF),  # compatibility ideographs
    ),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF65, 0xFF9F)),
    "cyrillic": ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF)),
    "hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "indic": ((0x0900, 0x0DFF),),  # Devanagari to Sinhala
    "thai": ((0x0E00, 0x0E7F),),
    "ethiopic": ((0x1200, 0x139F), (0x2D80, 0x2DDF)),
    "georgian": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF)),
    "armenian": ((0x0530, 0x058F),),
    "latin": (
        (0x0041, 0x005A),
        (0x0061, 0x007A),
        (0x00C0, 0x024F),  # with diacritics
        (0x1E00, 0x1EFF),
        (0x0300, 0x036F),  # combining diacritics
    ),
}


def block(name: str) -> st.SearchStrategy[str]:
    """One character of a script block, assigned or not."""
    return st.one_of([st.characters(min_codepoint=lo, max_codepoint=hi) for lo, hi in BLOCKS[name]])


# What sits between and around the words of a name.
SEPARATORS = (" ", "  ", "-", ",", ", ", "،", "，", "(", ")", ".", "'", "’", "·", "/", "\t")
separator = st.sampled_from(SEPARATORS)
digits = st.text(st.characters(min_codepoint=0x30, max_codepoint=0x39), min_size=1, max_size=4)


def words_of(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Words of 1 to 8 characters, joined by separators and now and then a number."""
    word = st.text(chars, min_size=1, max_size=8)
    part = st.one_of(word, word, word, separator, digits)
    return st.lists(part, min_size=1, max_size=6).map("".join)


any_text = st.text(any_char, max_size=MAX_CHARS)
# One script at a time, a name of it with separators, and names that mix scripts.
script_text = st.sampled_from(sorted(BLOCKS)).flatmap(lambda name: words_of(block(name)))
mixed_text = words_of(st.one_of([block(name) for name in sorted(BLOCKS)]))
# What the property tests feed every function: all of the above.
texts = st.one_of(any_text, script_text, mixed_text)

# Language tags a caller may send, well-formed or not.
languages = st.one_of(
    st.sampled_from(["", "ko", "ko-Hani", "ko-KR", "zh", "zh-Hant", "ja", "ru", "uk", "el"]),
    st.sampled_from(["he", "ar", "fa", "hi", "th", "ka", "am", "x", "-", "KO", "zh-"]),
    st.text(any_char, max_size=8),
)


@st.composite
def edited(draw: st.DrawFn, names: st.SearchStrategy[str]) -> str:
    """A name as written, or with up to three characters dropped, added or changed, and now and
    then a title before it or a qualifier after a comma."""
    text = draw(names)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        new = draw(st.one_of(any_char, st.sampled_from(text or " "), separator))
        drop = draw(st.integers(min_value=0, max_value=1))
        text = text[:at] + new + text[at + drop :]
    before = draw(st.sampled_from(["", "", "", "President ", "Dr. ", "господин "]))
    after = draw(st.sampled_from(["", "", "", " 위원장", ", London", "، لندن", "，北京"]))
    return before + text + after

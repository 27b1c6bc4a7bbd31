"""Annotation throughput: characters and documents per second, in process and over gRPC, with a
naive baseline measured in the same run.

    .venv/bin/python bench/annotation.py [--megabytes 1] [--repeats 3] [--synthetic-mb 1]

The corpus is the three gold documents (seeds/: English, Korean, Ukrainian), and nothing else:
- `one document`: the three concatenated, repeated until the text has `--megabytes` MB of UTF-8;
- `many documents`: the three as separate documents, repeated to the same size.

Names repeat in it as they do in news (the English article names North Korea 18 times); a
document's distinct texts are resolved once each, so repetition helps us, and the baseline
gains nothing from it. The baseline is what a naive tagger does: one regular expression, the
alternation of every alias text of the default tables (escaped, longest first, case-insensitive,
\\b-bounded), run with finditer over the same text. It only finds: it neither resolves nor
declines. Figures are the median of `--repeats` runs.

`--synthetic-mb N` also measures both, in process on the one document, with larger tables: the
curated tables plus N MB of synthetic ones (bench/loading.py's generator, seed 7), to show how
each scales with the number of aliases. `--base-layer` measures both on what `entnorm serve`
serves by default: the curated tables and the embedded base layer (some 206,000 aliases; the
snapshot comes from the cache if one is there); the regex is timed on the first 30,000
characters only, for it takes minutes per megabyte. Writes bench/results/annotation.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
RESULTS = REPO / "bench" / "results" / "annotation.json"
DOCUMENTS = (
    "kursk-nsc-2024-10-article.txt",
    "kursk-nsc-2024-10-ko.txt",
    "kursk-nsc-2024-10-uk.txt",
)


def corpus(megabytes: float) -> list[str]:
    texts = [(SEEDS / name).read_text("utf-8") for name in DOCUMENTS]
    size = sum(len(t.encode()) for t in texts)
    copies = int(megabytes * 1_000_000 // size) + 1
    return texts * copies


def regex_baseline(aliases: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(aliases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in ordered) + r")\b", re.IGNORECASE)


def timed(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    seconds = []
    result: object = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def rates(seconds: float, chars: int, documents: int, found: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 4),
        "chars_per_second": round(chars / seconds),
        "mb_per_second": round(chars / seconds / 1e6, 3),
        "documents_per_second": round(documents / seconds, 1),
        "mentions": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--synthetic-mb", type=float, default=0.0)
    parser.add_argument("--base-layer", action="store_true")
    args = parser.parse_args()

    from entnorm_client import EntnormClient
    from entnorm_server.annotation.documents import annotate
    from entnorm_server.resolver import Resolver
    from entnorm_server.server import create_server
    from entnorm_server.snapshot import load_snapshot
    from entnorm_server.store import SnapshotStore

    started = time.perf_counter()
    snapshot = load_snapshot(REPO / "aliases")
    built = time.perf_counter() - started
    resolver = Resolver()
    resolver.warm_up(snapshot)
    documents = corpus(args.megabytes)
    whole = "\n\n".join(documents)
    chars = len(whole)
    megabytes = len(whole.encode()) / 1e6
    aliases = [a.text for e in snapshot.entities for a in e.aliases]
    pattern = regex_baseline(aliases)

    results: dict[str, Any] = {}
    seconds, found = timed(lambda: sum(1 for _ in pattern.finditer(whole)), args.repeats)
    results["regex baseline, one document"] = rates(seconds, chars, 1, int(str(found)))
    seconds, found = timed(lambda: len(annotate(snapshot, resolver, whole)), args.repeats)
    results["in process, one document"] = rates(seconds, chars, 1, int(str(found)))
    seconds, found = timed(
        lambda: sum(len(annotate(snapshot, resolver, d)) for d in documents), args.repeats
    )
    results["in process, many documents"] = rates(
        seconds, chars - 2 * (len(documents) - 1), len(documents), int(str(found))
    )

    store = SnapshotStore.from_directory(REPO / "aliases")
    server, port = create_server("127.0.0.1:0", store)
    server.start()
    try:
        with EntnormClient(f"127.0.0.1:{port}", timeout=120) as client:
            client.annotate("warm up: Putin")
            seconds, found = timed(lambda: len(client.annotate(whole).mentions), args.repeats)
            results["gRPC AnnotateText, one document"] = rates(seconds, chars, 1, int(str(found)))
            seconds, found = timed(
                lambda: sum(len(a.mentions) for a in client.stream_annotate(documents)),
                args.repeats,
            )
            results["gRPC StreamAnnotateText, many documents"] = rates(
                seconds, chars - 2 * (len(documents) - 1), len(documents), int(str(found))
            )
    finally:
        server.stop(None)

    baseline = results["regex baseline, one document"]["chars_per_second"]
    for row in results.values():
        row["times_baseline"] = round(row["chars_per_second"] / baseline, 1)
    bigger: dict[str, Any] = {}
    if args.synthetic_mb:
        bigger = larger_tables(args.synthetic_mb, whole, args.repeats)
    served: dict[str, Any] = {}
    if args.base_layer:
        served = with_base_layer(whole, args.repeats)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, {sys.platform}",
        "corpus": {
            "documents": list(DOCUMENTS),
            "copies": len(documents) // len(DOCUMENTS),
            "characters": chars,
            "megabytes_utf8": round(megabytes, 3),
        },
        "tables": {"entities": len(snapshot.entities), "aliases": len(aliases)},
        "snapshot_build_seconds": round(built, 2),
        "repeats": args.repeats,
        "results": results,
        "larger_tables": bigger,
        "default_with_base_layer": served,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{chars:,} characters ({megabytes:.2f} MB), {len(documents)} documents")
    print(f"{'':44} {'MB/s':>8} {'docs/s':>8} {'mentions':>9} {'× regex':>8}")
    for name, row in results.items():
        print(
            f"{name:44} {row['mb_per_second']:>8.3f} {row['documents_per_second']:>8.1f}"
            f" {row['mentions']:>9,} {row['times_baseline']:>8.1f}"
        )
    for label, extra in (("synthetic", bigger), ("with the base layer", served)):
        if extra:
            print(f"{label}, {extra['aliases']:,} aliases ({extra['entities']:,} entities):")
            for name, row in extra["results"].items():
                print(
                    f"  {name:42} {row['mb_per_second']:>8.4f} MB/s  {row['times_baseline']:>6.1f}×"
                )


def with_base_layer(whole: str, repeats: int) -> dict[str, Any]:
    """Both taggers on what `entnorm serve` serves by default: curated tables and base layer."""
    from entnorm_server.annotation.documents import annotate
    from entnorm_server.resolver import Resolver
    from entnorm_server.settings import base_layer_dir
    from entnorm_server.snapshot_cache import SnapshotCache
    from entnorm_server.store import SnapshotStore

    resolver = Resolver()
    store = SnapshotStore(REPO / "aliases", layers=(base_layer_dir(),), cache=SnapshotCache())
    snapshot = store.reload()
    resolver.warm_up(snapshot)
    aliases = [a.text for e in snapshot.entities for a in e.aliases]
    pattern = regex_baseline(aliases)
    sample = whole[:30_000]
    results: dict[str, Any] = {}
    seconds, found = timed(lambda: sum(1 for _ in pattern.finditer(sample)), 1)
    results["regex baseline, first 30,000 characters"] = rates(
        seconds, len(sample), 1, int(str(found))
    )
    seconds, found = timed(lambda: len(annotate(snapshot, resolver, whole)), repeats)
    results["in process, one document"] = rates(seconds, len(whole), 1, int(str(found)))
    base = results["regex baseline, first 30,000 characters"]["chars_per_second"]
    for row in results.values():
        row["times_baseline"] = round(row["chars_per_second"] / base, 1)
    return {"entities": len(snapshot.entities), "aliases": len(aliases), "results": results}


def larger_tables(megabytes: float, whole: str, repeats: int) -> dict[str, Any]:
    """Both taggers on the one document, with the default tables plus synthetic ones."""
    import shutil
    import tempfile

    sys.path.insert(0, str(REPO / "bench"))
    from loading import generate

    from entnorm_server.annotation.documents import annotate
    from entnorm_server.resolver import Resolver
    from entnorm_server.snapshot import load_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, int(megabytes * 1024 * 1024), 7)
        for table in (REPO / "aliases").glob("*.yaml"):
            shutil.copy(table, root / f"default-{table.name}")
        snapshot = load_snapshot(root)
    resolver = Resolver()
    aliases = [a.text for e in snapshot.entities for a in e.aliases]
    pattern = regex_baseline(aliases)
    chars = len(whole)
    results: dict[str, Any] = {}
    seconds, found = timed(lambda: sum(1 for _ in pattern.finditer(whole)), repeats)
    results["regex baseline, one document"] = rates(seconds, chars, 1, int(str(found)))
    seconds, found = timed(lambda: len(annotate(snapshot, resolver, whole)), repeats)
    results["in process, one document"] = rates(seconds, chars, 1, int(str(found)))
    base = results["regex baseline, one document"]["chars_per_second"]
    for row in results.values():
        row["times_baseline"] = round(row["chars_per_second"] / base, 1)
    return {"entities": len(snapshot.entities), "aliases": len(aliases), "results": results}


if __name__ == "__main__":
    main()

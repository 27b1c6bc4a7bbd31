"""Import speed: names written per second into a layer, from a synthetic FollowTheMoney file.

    .venv/bin/python bench/importing.py [--names 1000000] [--seed 7]

The input (generated first, not timed; fixed seed): FtM `Person` and `Company` entities, one per
line, as OpenSanctions publishes them. A person's name is two to three words of two to four
syllables drawn from 60 Latin syllables; each entity has its name, an alias with the words
reversed, the name in Cyrillic (a letter-for-letter map of the syllables), a weak alias (the
last word) and, for one in four, a previous name; a country and, for one in three, a Wikidata
id; one line in a thousand is broken JSON and one in a thousand a `Vessel`, so the bad-record
path is timed too. `--names` counts names and aliases. Timed: `entnorm import ftm` in a
subprocess (reading, checking each entity against the schema, writing the layer, renaming it
into place), and the same in process; the figure is names written per second. Writes
bench/results/importing.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "importing.json"
SYLLABLES = [
    "ka",
    "ko",
    "ku",
    "ki",
    "ra",
    "ro",
    "ru",
    "ri",
    "ma",
    "mo",
    "mu",
    "mi",
    "na",
    "no",
    "nu",
    "ni",
    "ta",
    "to",
    "tu",
    "ti",
    "sa",
    "so",
    "su",
    "si",
    "va",
    "vo",
    "vu",
    "vi",
    "la",
    "lo",
    "lu",
    "li",
    "da",
    "do",
    "du",
    "di",
    "ba",
    "bo",
    "bu",
    "bi",
    "za",
    "zo",
    "zu",
    "zi",
    "pa",
    "po",
    "pu",
    "pi",
    "ga",
    "go",
    "gu",
    "gi",
    "an",
    "ar",
    "ov",
    "in",
    "el",
    "em",
    "ol",
    "us",
]
CYRILLIC = dict(zip("abdegiklmnoprstuvz", "абдегиклмнопрстувз", strict=True))


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def cyrillic(text: str) -> str:
    return "".join(CYRILLIC.get(c.lower(), c) for c in text).title()


def generate(path: Path, names: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    written = entities = bad = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < names:
            entities += 1
            if entities % 1000 == 0:
                out.write('{"id": "broken", "schema": "Person", "properties": {\n')
                bad += 1
                continue
            if entities % 1000 == 500:
                out.write(
                    json.dumps(
                        {"id": f"v{entities}", "schema": "Vessel", "properties": {"name": ["X"]}}
                    )
                    + "\n"
                )
                bad += 1
                continue
            parts = [word(rng) for _ in range(rng.randint(2, 3))]
            name = " ".join(parts)
            props: dict[str, list[str]] = {
                "name": [name],
                "alias": [" ".join(reversed(parts)), cyrillic(name)],
                "weakAlias": [parts[-1]],
                "country": [rng.choice(["ru", "ua", "kr", "kp", "us", "de"])],
            }
            if entities % 4 == 0:
                props["previousName"] = [" ".join(word(rng) for _ in parts)]
            if entities % 3 == 0:
                props["wikidataId"] = [f"Q{rng.randint(1, 10**8)}"]
            schema = "Person" if entities % 5 else "Company"
            out.write(
                json.dumps(
                    {"id": f"ex-{entities}", "schema": schema, "properties": props},
                    ensure_ascii=False,
                )
                + "\n"
            )
            written += sum(len(v) for k, v in props.items() if k != "country" and k != "wikidataId")
    return {"entities": entities, "names": written, "bad_lines": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from entnorm_server.importing import ftm
    from entnorm_server.importing.layers import write_layer
    from entnorm_server.schema import LayerManifest

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "synthetic.ftm.json"
        made = generate(source, args.names, args.seed)
        size = source.stat().st_size
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "entnorm_client.cli",
                "import",
                "ftm",
                str(source),
                "-o",
                str(Path(tmp) / "cli"),
                "--licence",
                "CC0-1.0",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        cli_seconds = time.perf_counter() - started
        manifest = LayerManifest(name="ftm", source="synthetic", licence="CC0-1.0", priority=100)
        started = time.perf_counter()
        with open(source, "rb") as stream:
            written = write_layer(
                Path(tmp) / "inproc",
                manifest,
                ftm.records(stream, source.name),
                source_file=source.name,
            )
        seconds = time.perf_counter() - started
        layer_bytes = (Path(tmp) / "inproc" / "ftm" / "entities.jsonl").stat().st_size
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, {sys.platform}",
        "input": {**made, "bytes": size, "seed": args.seed},
        "written": {
            "entities": written.entities,
            "names": written.names,
            "bad_records": len(written.bad),
            "layer_bytes": layer_bytes,
        },
        "cli": {
            "seconds": round(cli_seconds, 2),
            "names_per_second": round(written.names / cli_seconds),
            "said": done.stderr.strip().splitlines()[-1],
        },
        "in_process": {
            "seconds": round(seconds, 2),
            "names_per_second": round(written.names / seconds),
        },
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"input: {made['entities']:,} lines, {made['names']:,} names, {size / 1e6:.0f} MB")
    print(
        f"entnorm import ftm: {cli_seconds:.1f} s, {results['cli']['names_per_second']:,} names/s"
    )
    rate = results["in_process"]["names_per_second"]
    print(f"in process:         {seconds:.1f} s, {rate:,} names/s")


if __name__ == "__main__":
    main()

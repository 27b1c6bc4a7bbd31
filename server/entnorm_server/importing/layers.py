"""Writing a machine-made layer: its manifest and its JSON Lines table, whole or not at all.

An importer hands over entities one by one; each is checked against the tables' schema before it
is written, so the layer loads. Everything goes to a temporary folder beside the layer's, which
replaces the layer only when complete: a failed or interrupted import leaves the last layer as
it was. Importing the same input twice writes the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from unidecode import unidecode

from entnorm_server.schema import EntityEntry, LayerManifest
from entnorm_server.scripts import script_of
from entnorm_server.table_files import LAYER_MANIFEST

TABLE_NAME = "entities.jsonl"


@dataclass(frozen=True, slots=True)
class BadRecord:
    """An input record that makes no entity: where it is and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ImportStopped(Exception):  # noqa: N818  # a decision, not a fault
    """A bad record under --on-error stop: nothing was written."""

    def __init__(self, bad: BadRecord) -> None:
        super().__init__(str(bad))
        self.bad = bad


@dataclass(slots=True)
class Written:
    """What an import wrote."""

    folder: Path
    entities: int = 0
    names: int = 0
    bad: list[BadRecord] = field(default_factory=list)


Record = tuple[int, dict[str, object]] | BadRecord  # (line, entity) or why a record is none


def write_layer(
    root: Path,
    manifest: LayerManifest,
    records: Iterable[Record],
    *,
    source_file: str,
    stop_on_error: bool = False,
) -> Written:
    """Write the layer `manifest.name` under root from records; BadRecords (and entities the
    schema refuses, or ids seen before) are skipped and counted, or stop the import."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / manifest.name
    staging = Path(tempfile.mkdtemp(prefix=f".{manifest.name}.", dir=root))
    written = Written(folder)
    try:
        seen: set[str] = set()
        with open(staging / TABLE_NAME, "w", encoding="utf-8", newline="\n") as table:
            for record in records:
                checked = _checked(record, seen, source_file)
                if isinstance(checked, BadRecord):
                    if stop_on_error:
                        raise ImportStopped(checked)
                    written.bad.append(checked)
                    continue
                table.write(json.dumps(checked, ensure_ascii=False, separators=(",", ":")))
                table.write("\n")
                written.entities += 1
                written.names += _name_count(checked)
        (staging / LAYER_MANIFEST).write_text(_manifest_text(manifest), encoding="utf-8")
        _replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _checked(record: Record, seen: set[str], source_file: str) -> dict[str, object] | BadRecord:
    if isinstance(record, BadRecord):
        return record
    line, entity = record
    try:
        entry = EntityEntry.model_validate(entity)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return BadRecord(source_file, line, f"{where}: {first['msg']}" if where else first["msg"])
    if entry.id in seen:
        return BadRecord(source_file, line, f"id {entry.id!r} again: an earlier record has it")
    seen.add(entry.id)
    return entity


def _name_count(entity: dict[str, object]) -> int:
    names = entity.get("names")
    count = 0
    if isinstance(names, dict):
        count += sum(len(v) if isinstance(v, list) else 1 for v in names.values())
    aliases = entity.get("aliases")
    return count + (len(aliases) if isinstance(aliases, list) else 0)


def _manifest_text(manifest: LayerManifest) -> str:
    lines = [
        "# A machine-made layer (docs/data.md): written by `entnorm import`; edit the curated",
        "# tables above it instead, or import again.",
        *(
            f"{key}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in manifest.model_dump().items()
            if value != ""
        ),
    ]
    return "\n".join(lines) + "\n"


def _replace(staging: Path, folder: Path) -> None:
    """Put the finished layer in place of the old one, which is kept until then."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old.{os.getpid()}")
        folder.rename(old)
    staging.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def json_records(
    lines: Iterable[bytes], source_file: str
) -> Iterator[tuple[int, object] | BadRecord]:
    """The JSON value on each non-blank line, with its 1-based number; a line that is not UTF-8
    or not JSON is a BadRecord. A dump's array brackets and trailing commas are passed over."""
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8").strip().rstrip(",")
        except UnicodeDecodeError as error:
            yield BadRecord(source_file, number, f"not UTF-8 ({error.reason})")
            continue
        if text in ("", "[", "]"):
            continue
        try:
            yield number, json.loads(text)
        except json.JSONDecodeError as error:
            yield BadRecord(source_file, number, f"not JSON: {error.msg} at column {error.colno}")


def entity_records(
    lines: Iterable[bytes], source_file: str, make: Callable[[object, int, str], Record]
) -> Iterator[Record]:
    """Each JSON line made into an entity by `make(value, line, file)`; bad lines as they are."""
    for item in json_records(lines, source_file):
        if isinstance(item, BadRecord):
            yield item
        else:
            number, value = item
            yield make(value, number, source_file)


def slug(text: str) -> str:
    """An id's slug from any identifier: ASCII lowercase words joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", unidecode(text).lower()))


def script_tag(name: str) -> str:
    """The tag of a name whose language nobody said: und, with its script (und-Cyrl)."""
    script = script_of(name)
    return "und" if not any(c.isalpha() for c in name) else f"und-{script}"

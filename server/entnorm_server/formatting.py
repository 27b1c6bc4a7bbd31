"""`entnorm fmt`: the tables in one canonical layout, every comment kept.

ruamel.yaml reads and writes a table round trip, so comments, blank lines, flow or block style and
quoting stay as the editor wrote them. What changes: an entity's keys and an alias entry's keys
come in one order (id, type, display_name, names, aliases, ...; text, kind, lang, context_only,
note, source), indentation is the house's (mappings 2, sequences 4 with the dash at 2),
and a file ends with one newline. A formatted table must say what it said before: both texts are
read as plain data and compared, and a table whose data would change is left alone, named.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from entnorm_server.schema import AliasEntry, EntityEntry
from entnorm_server.table_files import find_tables

ENTITY_ORDER = tuple(EntityEntry.model_fields)
# The flag that changes how an alias may answer sits by its kind, where editors put it.
ALIAS_ORDER = ("text", "kind", "lang", "context_only", "note", "source")
if set(ALIAS_ORDER) != set(AliasEntry.model_fields):
    raise RuntimeError("formatting.ALIAS_ORDER must name every alias field")
WIDTH = 4096  # never wrap: a long source URL or note stays on its line


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    return yaml


@dataclass(frozen=True, slots=True)
class Formatted:
    rel: str
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def format_text(text: str) -> str:
    """A table's text in canonical layout; raises YAMLError on a syntax error."""
    yaml = round_trip_yaml()
    data = yaml.load(text)
    if isinstance(data, CommentedMap):
        entities = data.get("entities")
        if isinstance(entities, CommentedSeq):
            for entity in entities:
                _order(entity, ENTITY_ORDER)
                aliases = entity.get("aliases") if isinstance(entity, CommentedMap) else None
                if isinstance(aliases, CommentedSeq):
                    for alias in aliases:
                        _order(alias, ALIAS_ORDER)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _order(node: Any, order: tuple[str, ...]) -> None:
    """Known keys first, in `order`; unknown ones after them, as they were (lint names them)."""
    if not isinstance(node, CommentedMap):
        return
    wanted = [k for k in order if k in node] + [k for k in node if k not in order]
    if list(node) == wanted:
        return
    for key in reversed(wanted):
        node.move_to_end(key, last=False)


def format_tables(root: Path) -> tuple[list[Formatted], list[str]]:
    """Every table of root formatted (in memory), and the problems of those that cannot be."""
    tables, problems = find_tables(root)
    done: list[Formatted] = []
    messages = [str(p) for p in problems]
    for table in tables:
        if table.kind != "yaml":
            continue  # a layer is machine-made: its importer writes its layout
        try:
            before = table.path.read_text(encoding="utf-8")
            after = format_text(before)
        except (OSError, UnicodeDecodeError, YAMLError) as error:
            messages.append(f"{table.rel}: cannot format: {str(error).splitlines()[0]}; run lint")
            continue
        if not _same_data(before, after):
            messages.append(f"{table.rel}: formatting would change what it says; left alone")
            continue
        done.append(Formatted(table.rel, table.path, before, after))
    return done, messages


def _same_data(before: str, after: str) -> bool:
    safe = YAML(typ="safe")
    return bool(safe.load(before) == safe.load(after))


def write(formatted: Formatted) -> None:
    """Replace the file in one step: a reader sees the old text or the new, never half."""
    folder = formatted.path.parent
    fd, temp = tempfile.mkstemp(prefix=".fmt-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(formatted.after)
        os.chmod(temp, formatted.path.stat().st_mode & 0o7777)
        os.replace(temp, formatted.path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

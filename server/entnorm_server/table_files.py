"""Which files of a data directory are alias tables, and what else is there that should not be.

Tables are the files named `*.yaml` or `*.yml` (in any case) in the directory and its folders,
through symbolic links too: the curated tables editors write. A folder holding `layer.yaml` is a
machine-made layer instead: that manifest (its name, source, licence and priority) and its
`*.jsonl` tables, one entity per line (docs/data.md). Names starting with a dot (`.git`, editor
swap files), documentation (`*.md`) and the golden cases (the top folder `golden/`) are passed
over. Anything else is a problem, and so are a link that leads back into a folder it is in, a
broken link and a file reached twice: a table that is quietly skipped looks loaded to whoever
wrote it.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from entnorm_server.exc import Problem
from entnorm_server.model import Location

TABLE_SUFFIXES = (".yaml", ".yml")
LAYER_MANIFEST = "layer.yaml"
LAYER_SUFFIX = ".jsonl"
WATCHED_SUFFIXES = (*TABLE_SUFFIXES, LAYER_SUFFIX)
DOCUMENTATION_SUFFIXES = (".md",)
GOLDEN_DIR = "golden"  # the data directory's golden cases, read by `entnorm check`


@dataclass(frozen=True, slots=True)
class TableFile:
    path: Path  # where to read it
    rel: str  # POSIX path from the data directory: what locations name
    layer: str = ""  # the rel of its layer's folder ("." for the data directory); "" if curated
    kind: Literal["yaml", "jsonl", "manifest"] = "yaml"


@dataclass(frozen=True, slots=True)
class _Folder:
    path: str
    rel: str  # "" for the data directory, else "sub/" with its slash
    # The real paths of this folder and the folders above it, with their rel.
    way: tuple[tuple[str, str], ...]


def find_tables(root: Path) -> tuple[list[TableFile], list[Problem]]:
    """The tables under root in rel order, and a problem for each thing there that is not one."""
    found: list[TableFile] = []
    problems: list[Problem] = []
    folders = [_Folder(str(root), "", ((os.path.realpath(root), ""),))]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder.path) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            problems.append(
                _problem(folder.rel.rstrip("/") or ".", f"cannot list: {error.strerror}")
            )
            continue
        layer = (
            (folder.rel.rstrip("/") or ".")
            if any(e.name == LAYER_MANIFEST for e in entries)
            else ""
        )
        for entry in entries:
            rel = folder.rel + entry.name
            if entry.name.startswith(".") or (not folder.rel and entry.name == GOLDEN_DIR):
                continue  # hidden, or the golden cases (golden.py), which are not tables
            kind = _kind(entry.path)
            if layer and not entry.name.lower().endswith(DOCUMENTATION_SUFFIXES):
                _layer_entry(entry.path, entry.name, rel, layer, kind, found, problems)
                continue
            if kind == "dir":
                inside = _loop(entry.path, folder.way)
                if inside is not None:
                    back = f"{inside}/" if inside else "the data directory"
                    message = f"symbolic link loop: it leads back to {back}; remove the link"
                    problems.append(_problem(rel, message))
                else:
                    real = os.path.realpath(entry.path)
                    folders.append(_Folder(entry.path, rel + "/", (*folder.way, (real, rel))))
            elif kind != "file":
                problems.append(_problem(rel, kind))
            elif entry.name.lower().endswith(TABLE_SUFFIXES):
                found.append(TableFile(Path(entry.path), rel))
            elif entry.name.lower().endswith(LAYER_SUFFIX):
                problems.append(
                    _problem(
                        rel,
                        f"a *{LAYER_SUFFIX} table belongs to a layer: put it in a folder with a"
                        f" {LAYER_MANIFEST} manifest (docs/data.md)",
                    )
                )
            elif not entry.name.lower().endswith(DOCUMENTATION_SUFFIXES):
                problems.append(
                    _problem(
                        rel,
                        "not an alias table (*.yaml, *.yml) nor documentation (*.md): rename it"
                        " to .yaml or move it out of the data directory",
                    )
                )
    return _once_each(sorted(found, key=lambda t: t.rel), problems), problems


def _layer_entry(
    path: str,
    name: str,
    rel: str,
    layer: str,
    kind: str,
    found: list[TableFile],
    problems: list[Problem],
) -> None:
    """One entry of a layer's folder: its manifest, its *.jsonl tables, nothing else."""
    if kind != "file":
        problems.append(
            _problem(rel, f"a layer holds its {LAYER_MANIFEST} and *{LAYER_SUFFIX} files only")
            if kind == "dir"
            else _problem(rel, kind)
        )
    elif name == LAYER_MANIFEST:
        found.append(TableFile(Path(path), rel, layer, "manifest"))
    elif name.lower().endswith(LAYER_SUFFIX):
        found.append(TableFile(Path(path), rel, layer, "jsonl"))
    else:
        problems.append(
            _problem(
                rel,
                f"a layer holds its {LAYER_MANIFEST} and *{LAYER_SUFFIX} tables only: move it out"
                " of the layer's folder",
            )
        )


def _once_each(tables: list[TableFile], problems: list[Problem]) -> list[TableFile]:
    """Each file once, under its first rel: two links to one folder would load it twice."""
    first_rel: dict[str, str] = {}  # real path -> rel
    kept = []
    for table in tables:
        real = os.path.realpath(table.path)
        if real in first_rel:
            message = (
                f"the same file as {first_rel[real]}, reached again through a symbolic link;"
                " remove one of the two"
            )
            problems.append(_problem(table.rel, message))
        else:
            first_rel[real] = table.rel
            kept.append(table)
    return kept


def _kind(path: str) -> str:
    """ "dir", "file", or what is wrong with the entry (links followed)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop: the link leads to itself; remove it"
        if error.errno == errno.ENOENT:
            return "broken symbolic link: what it points to does not exist"
        return f"cannot read: {error.strerror}"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "not a regular file (a pipe, socket or device): move it out of the data directory"


def _loop(path: str, way: tuple[tuple[str, str], ...]) -> str | None:
    """The rel of the folder on the way here that a folder link leads back to (or above), if
    any: following it would walk the same folders forever."""
    real = os.path.realpath(path)
    for above, rel in way:
        if above == real or above.startswith(real.rstrip(os.sep) + os.sep):
            return rel
    return None


def _problem(rel: str, message: str) -> Problem:
    return Problem(Location(rel, 0, 0), message)

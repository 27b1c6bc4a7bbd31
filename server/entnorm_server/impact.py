"""What an edit of the tables changes: two versions compared on the golden cases and on a file of
recorded queries (`entnorm impact`).

The base is another data directory, or a git revision of this one (read with `git archive`, the
working tree left alone). Each query is resolved against both, in process; a change of answer
falls in one of five kinds.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from entnorm_server.annotation.documents import resolve_in_context
from entnorm_server.golden import load_cases
from entnorm_server.resolution import Outcome, Query, Resolution
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, load_snapshot

KINDS = ("changed id", "lost", "newly ambiguous", "newly resolved", "gained")


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    query: Query
    before: Resolution
    after: Resolution

    def __str__(self) -> str:
        return f"{self.kind}: {self.query.text!r}: {_said(self.before)} -> {_said(self.after)}"


def _said(answer: Resolution) -> str:
    best = _best(answer)
    return f"{answer.outcome.value} {best}" if best else answer.outcome.value


def kind_of(before: Resolution, after: Resolution) -> str:
    """How an answer changed; "" when it did not (the same outcome and best candidate)."""
    was, now = before.outcome, after.outcome
    if (was, _best(before)) == (now, _best(after)) or (was is now is Outcome.UNRESOLVED):
        return ""
    if was is Outcome.RESOLVED and now is Outcome.RESOLVED:
        return "changed id"
    if now is Outcome.UNRESOLVED:
        return "lost"
    if was is Outcome.UNRESOLVED:
        return "gained"
    if now is Outcome.AMBIGUOUS:
        return "newly ambiguous" if was is Outcome.RESOLVED else ""
    return "newly resolved"


def _best(answer: Resolution) -> str:
    return answer.candidates[0].entity.id if answer.candidates else ""


def changes(base: Snapshot, edited: Snapshot, queries: Iterable[Query]) -> Iterator[Change]:
    resolver = Resolver()
    for query in queries:
        before = resolve_in_context(base, resolver, query)
        after = resolve_in_context(edited, resolver, query)
        kind = kind_of(before, after)
        if kind:
            yield Change(kind, query, before, after)


def queries_of(roots: Iterable[Path], recorded: Path | None) -> list[Query]:
    """The golden cases' queries of every root, then the recorded ones, each once. A recorded
    file holds one name per line, or JSON Lines with `query` (or `text`) and maybe `language`."""
    found: dict[tuple[object, ...], Query] = {}
    for root in roots:
        cases, _ = load_cases(root)
        for located in cases:
            query = located.case.query_of()
            found.setdefault(_key(query), query)
    if recorded is not None:
        for line in recorded.read_text(encoding="utf-8").splitlines():
            asked = _recorded(line)
            if asked is not None:
                found.setdefault(_key(asked), asked)
    return list(found.values())


def _key(query: Query) -> tuple[object, ...]:
    return query.text, query.language, frozenset(t.value for t in query.types), query.context


def _recorded(line: str) -> Query | None:
    line = line.strip()
    if not line:
        return None
    if line.startswith("{"):
        row = json.loads(line)
        text = str(row.get("query") or row.get("text") or "")
        return Query(text, language=str(row.get("language", ""))) if text else None
    return Query(line)


def load_base(base: str, root: Path, scratch: Path) -> tuple[Snapshot, Path]:
    """The base tables and their directory: a directory, or root as a git revision had it."""
    if Path(base).is_dir():
        return load_snapshot(Path(base)), Path(base)
    top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
    rel = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    archive = _git(Path(top), "archive", "--format=tar", base, "--", rel or ".")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return load_snapshot(scratch / rel), scratch / rel


def _git(cwd: Path, *args: str) -> bytes:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise ValueError(
            f"not a directory nor a git revision of {cwd}: {message[-1] if message else ''}"
        )
    return done.stdout


def scratch_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="entnorm-impact-")

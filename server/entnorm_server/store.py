"""Holds the serving snapshot, and the few before it; a reload builds a new one off the serving
path and swaps it in.

Readers take one snapshot per call (`current`, or a pinned one from `snapshot(revision)`) and use
it throughout, so a swap in the middle of a call never mixes two revisions. A reload that fails
keeps the last good snapshot serving and is remembered, with its problems, as the last attempt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from entnorm_server.exc import AliasLoadError, NotReadyError, RevisionNotHeldError
from entnorm_server.loading import load_directory
from entnorm_server.logs import get_logger
from entnorm_server.model import AliasTables
from entnorm_server.snapshot import Snapshot, compile_snapshot, load_snapshot, revision_of
from entnorm_server.snapshot_cache import SnapshotCache, key_of

log = get_logger("entnorm.store")

Listener = Callable[[Snapshot], None]
# Snapshots kept for requests that pin a revision: the one serving and the three before it.
HELD = 4


@dataclass(frozen=True, slots=True)
class ReloadAttempt:
    """One load of the tables: the revision it built, or the problems that stopped it."""

    at: datetime
    revision: str = ""
    problems: tuple[str, ...] = ()  # "file:line:column: message"

    @property
    def succeeded(self) -> bool:
        return not self.problems


class SnapshotStore:
    def __init__(
        self,
        source: Path | None = None,
        snapshot: Snapshot | None = None,
        warm_up: Listener | None = None,
        *,
        layers: Sequence[Path] = (),
        cache: SnapshotCache | None = None,
    ) -> None:
        self.source = source
        self.layers = tuple(layers)  # layer folders beside the source: the base layer
        self.cache = cache
        self._held: tuple[Snapshot, ...] = (snapshot,) if snapshot is not None else ()
        self._warm_up = warm_up
        self._reload_lock = threading.Lock()
        self._listeners: list[Listener] = []
        self.last_attempt: ReloadAttempt | None = None

    @classmethod
    def from_directory(cls, source: str | Path) -> SnapshotStore:
        """Load now; raises AliasLoadError when the tables have problems."""
        path = Path(source)
        return cls(path, load_snapshot(path))

    @property
    def ready(self) -> bool:
        return bool(self._held)

    @property
    def current(self) -> Snapshot:
        held = self._held
        if not held:
            raise NotReadyError("no alias tables are loaded yet")
        return held[0]

    def snapshot(self, revision: str = "") -> Snapshot:
        """The snapshot of a pinned revision if it is still held; the current one for ""."""
        current = self.current
        if not revision or revision == current.revision:
            return current
        for held in self._held:
            if held.revision == revision:
                return held
        raise RevisionNotHeldError(revision, self.held_revisions)

    @property
    def held_revisions(self) -> list[str]:
        """The revisions a request may pin, the one serving first."""
        return [s.revision for s in self._held]

    def on_swap(self, listener: Listener) -> None:
        """Call listener with every snapshot swapped in (and the current one, if any)."""
        self._listeners.append(listener)
        if self._held:
            listener(self._held[0])

    def swap(self, snapshot: Snapshot) -> None:
        # One reference assignment: a reader sees the old snapshots or the new ones, newest first.
        self._held = (snapshot, *self._held)[:HELD]
        for listener in self._listeners:
            listener(snapshot)

    def reload(self) -> Snapshot:
        """Rebuild from the source directory and swap, unless the content is unchanged. On
        AliasLoadError the last good snapshot keeps serving, and the error is raised."""
        if self.source is None:
            raise NotReadyError("this store has no source directory to reload from")
        with self._reload_lock:
            at = datetime.now(UTC)
            key = key_of(self.source, self.layers) if self.cache is not None else None
            if key is not None and not self._held and self.cache is not None:
                cached = self._read_warming(self.cache, key)
                if cached is not None:  # the files are byte for byte those it was made of
                    log.info("snapshot from cache", revision=cached.revision, key=key)
                    # Its text-annotation automaton is rebuilt beside serving, not before.
                    threading.Thread(
                        target=cached.mentions.prepare, name="entnorm-mentions", daemon=True
                    ).start()
                    return self._take(cached, at)
            try:
                tables = load_directory(self.source, self.layers)
            except AliasLoadError as error:
                problems = tuple(str(p) for p in error.problems)
                self.last_attempt = ReloadAttempt(at, problems=problems)
                raise
            revision = revision_of(tables)
            if self._held and self._held[0].revision == revision:
                self.last_attempt = ReloadAttempt(at, revision)
                return self._held[0]  # comments or layout only: nothing to compile
            snapshot = compile_snapshot(tables)
            if key is not None and self.cache is not None:
                self.cache.write_later(key, snapshot)
            return self._take(snapshot, at)

    def _read_warming(self, cache: SnapshotCache, key: str) -> Snapshot | None:
        """Read a cached snapshot while the engine's lazy dictionaries load (a warm-up on no
        tables), so that the start waits for the longer of the two, not both."""
        warm = self._warm_up
        if warm is None:
            return cache.read(key)
        empty = compile_snapshot(AliasTables((), ()))
        loading = threading.Thread(target=warm, args=(empty,), name="entnorm-warm", daemon=True)
        loading.start()
        try:
            return cache.read(key)
        finally:
            loading.join()

    def _take(self, snapshot: Snapshot, at: datetime) -> Snapshot:
        if self._warm_up is not None:
            self._warm_up(snapshot)  # before the swap: the first caller never pays for it
        self.swap(snapshot)
        self.last_attempt = ReloadAttempt(at, snapshot.revision)
        return snapshot

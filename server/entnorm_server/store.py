"""Holds the serving snapshot; a reload builds a new one off the serving path and swaps it in.

Readers take `store.current` once per call and use that snapshot throughout, so a swap in the
middle of a call never mixes two revisions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from entnorm_server.exc import NotReadyError
from entnorm_server.snapshot import Snapshot, load_snapshot

Listener = Callable[[Snapshot], None]


class SnapshotStore:
    def __init__(
        self,
        source: Path | None = None,
        snapshot: Snapshot | None = None,
        warm_up: Listener | None = None,
    ) -> None:
        self.source = source
        self._snapshot = snapshot
        self._warm_up = warm_up
        self._reload_lock = threading.Lock()
        self._listeners: list[Listener] = []

    @classmethod
    def from_directory(cls, source: str | Path) -> SnapshotStore:
        """Load now; raises AliasLoadError when the tables have problems."""
        path = Path(source)
        return cls(path, load_snapshot(path))

    @property
    def ready(self) -> bool:
        return self._snapshot is not None

    @property
    def current(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is None:
            raise NotReadyError("no alias tables are loaded yet")
        return snapshot

    def on_swap(self, listener: Listener) -> None:
        """Call listener with every snapshot swapped in (and the current one, if any)."""
        self._listeners.append(listener)
        if self._snapshot is not None:
            listener(self._snapshot)

    def swap(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot  # one reference assignment: atomic for readers
        for listener in self._listeners:
            listener(snapshot)

    def reload(self) -> Snapshot:
        """Rebuild from the source directory and swap; on AliasLoadError keep the old snapshot."""
        if self.source is None:
            raise NotReadyError("this store has no source directory to reload from")
        with self._reload_lock:
            snapshot = load_snapshot(self.source)
            if self._warm_up is not None:
                self._warm_up(snapshot)  # before the swap: the first caller never pays for it
            self.swap(snapshot)
            return snapshot

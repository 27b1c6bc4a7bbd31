"""Hot reload: a running server takes an edit of its tables without a restart, a dropped call or
a broken table.

The alias folder is watched (watchfiles, changes debounced into one batch); a batch, or SIGHUP,
asks for a reload. One thread does the reloads, one at a time, off the serving path: it loads and
validates the tables, and if their content changed, compiles and warms a snapshot and swaps it in
(`SnapshotStore.reload`). A bad edit leaves the last good revision serving; the log, and
GetDataRevision's last_reload, say what is wrong and where.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import watchfiles

from entnorm_server.exc import AliasLoadError
from entnorm_server.limits import MAX_REPORTED
from entnorm_server.logs import get_logger
from entnorm_server.store import SnapshotStore
from entnorm_server.table_files import WATCHED_SUFFIXES

log = get_logger("entnorm.reload")
DEBOUNCE_MS = 300  # an editor's save is several events: they are taken as one batch


class _TableFilter(watchfiles.DefaultFilter):
    """Changes to table files (and to folders, which may hold some); not editors' swap files,
    .git and the like, which DefaultFilter leaves out."""

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        suffix = Path(path).suffix.lower()
        return suffix in WATCHED_SUFFIXES or (not suffix and change != watchfiles.Change.modified)


class Reloader:
    """Reloads `store` when its folder changes (if `watch`) or when `request()` is called."""

    def __init__(self, store: SnapshotStore, *, watch: bool = True) -> None:
        self.store = store
        self.watch = watch and store.source is not None and Path(store.source).is_dir()
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._causes: list[str] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads.append(threading.Thread(target=self._work, name="reload", daemon=True))
        if self.watch:
            self._threads.append(threading.Thread(target=self._watch, name="watch", daemon=True))
        for thread in self._threads:
            thread.start()

    def request(self, cause: str) -> None:
        """Ask for a reload; requests made while one runs are served by one more."""
        with self._lock:
            self._causes.append(cause)
        self._wanted.set()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop watching; a reload under way is left to finish on its daemon thread."""
        self._stopping.set()
        self._wanted.set()
        for thread in self._threads:
            thread.join(timeout)

    def _watch(self) -> None:
        assert self.store.source is not None
        for changes in watchfiles.watch(
            self.store.source,
            watch_filter=_TableFilter(),
            debounce=DEBOUNCE_MS,
            stop_event=self._stopping,
            raise_interrupt=False,
        ):
            paths = sorted({Path(path).name for _, path in changes})
            self.request(f"changed: {', '.join(paths[:MAX_REPORTED])}")

    def _work(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping.is_set():
                return
            self._wanted.clear()
            with self._lock:
                causes, self._causes = self._causes, []
            self._reload(causes)

    def _reload(self, causes: list[str]) -> None:
        before = self.store.current.revision if self.store.ready else ""
        started = time.perf_counter()
        try:
            snapshot = self.store.reload()
        except AliasLoadError as error:
            log.warning(
                "reload failed: still serving the last good revision",
                revision=before,
                cause=causes,
                problems=[str(p) for p in error.problems[:MAX_REPORTED]],
                problem_count=len(error.problems),
            )
            return
        except Exception:  # a fault in reloading must not end reloads, nor the server
            log.exception("reload failed unexpectedly", revision=before, cause=causes)
            return
        seconds = round(time.perf_counter() - started, 3)
        if snapshot.revision == before:
            log.info("reloaded: content unchanged", revision=before, cause=causes)
        else:
            log.info(
                "reloaded",
                revision=snapshot.revision,
                previous=before,
                entities=len(snapshot.entities),
                seconds=seconds,
                cause=causes,
            )

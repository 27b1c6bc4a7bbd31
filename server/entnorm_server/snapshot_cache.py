"""Compiled snapshots kept on disk, so that a server starts in seconds on tables it has served.

Compiling the embedded tables with the base layer (some 200,000 names) takes most of a minute;
reading the compiled snapshot back takes a few seconds. A snapshot is kept under a key made of
the engine's own code and data files and of every table file's path and bytes: a change to
either is a different key, and the tables are loaded, checked and compiled anew. Only whole
files are kept (written beside, then renamed), and the newest few.

The cache holds pickles: only this user's own cache folder is read (ENTNORM_CACHE_DIR, else
$XDG_CACHE_HOME/entnorm, else ~/.cache/entnorm); do not point it at a folder others can write.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import os
import pickle
import tempfile
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType

from entnorm_server.logs import get_logger
from entnorm_server.snapshot import Snapshot
from entnorm_server.table_files import find_tables

log = get_logger("entnorm.cache")
KEPT = 4  # snapshots kept; older ones are removed
_PACKAGE = Path(__file__).resolve().parent
_NOT_ENGINE = {"base_layer", "default_aliases", "__pycache__"}


def _proxy(items: dict[object, object]) -> MappingProxyType[object, object]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))


def default_folder() -> Path:
    given = os.environ.get("ENTNORM_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "entnorm"


@cache
def engine_fingerprint() -> str:
    """A hash of the engine's code and data files: a new engine never reads an old snapshot."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        parts = set(path.relative_to(_PACKAGE).parts)
        if path.is_file() and not parts & _NOT_ENGINE and path.suffix in (".py", ".yaml", ".json"):
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key_of(root: Path, layers: Sequence[Path]) -> str | None:
    """The key of a data directory (and extra layers) as its files are now; None if a file
    cannot be read (the load will say why)."""
    digest = hashlib.sha256(engine_fingerprint().encode())
    for folder in (root, *layers):
        digest.update(str(folder.resolve()).encode())
        files, _ = find_tables(folder)
        for file in files:
            try:
                data = file.path.read_bytes()
            except OSError:
                return None
            digest.update(file.rel.encode())
            digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:32]


class SnapshotCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()

    def read(self, key: str) -> Snapshot | None:
        path = self.folder / f"{key}.snapshot"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        was_enabled = gc.isenabled()
        gc.disable()  # millions of objects and no cycles: the collector would only slow it
        try:
            snapshot = pickle.loads(data)  # our own file, in our own cache folder
        except Exception:  # a torn or foreign file is no snapshot: compile instead
            log.warning("cached snapshot unreadable; compiling", path=str(path))
            return None
        finally:
            if was_enabled:
                gc.enable()
        return snapshot if isinstance(snapshot, Snapshot) else None

    def write_later(self, key: str, snapshot: Snapshot) -> threading.Thread:
        """Write the snapshot on a thread of its own: serving does not wait for it."""
        thread = threading.Thread(
            target=self._write, args=(key, snapshot), name="entnorm-cache", daemon=True
        )
        thread.start()
        return thread

    def _write(self, key: str, snapshot: Snapshot) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".partial")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(snapshot, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{key}.snapshot")
            self._prune()
        except OSError as error:
            log.warning("snapshot not cached", folder=str(self.folder), error=str(error))

    def _prune(self) -> None:
        kept = sorted(self.folder.glob("*.snapshot"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)

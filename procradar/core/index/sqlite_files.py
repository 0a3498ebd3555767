"""The SQLite index file as a file: telling a damaged one apart, and removing it."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from procradar.core.index.base import IndexCorruptError

P = ParamSpec("P")
R = TypeVar("R")
# SQLite's primary result codes for a damaged file and for a file that is no database.
DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def is_damage(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in DAMAGED


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """A damaged index file surfaces as IndexCorruptError (one line, says what to run)."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            path = getattr(args[0], "path", "index.sqlite")
            raise IndexCorruptError(
                f"the index {path} is damaged ({exc}); `procradar reindex` rebuilds it from the"
                " store"
            ) from exc

    return call


def remove_files(path: Path) -> None:
    """Delete an index file with its WAL and shared-memory files (it is derived data)."""
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)

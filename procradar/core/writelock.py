"""One writer at a time per data dir: `crawl`, `ingest` and `reindex` take `writer.lock`.

Readers (the web app, `search`, `export`) never take it: SQLite's WAL and the index's
snapshots let them read while a writer works. Writers are serialised instead of merged, so
`reindex` can never mark as indexed an article that `ingest` changed while it ran.

The lock is an advisory `flock` on the file, which the kernel drops when its holder dies
(SIGKILL included); the file also names the holder (pid, command, start time), so a later
run can say who it waits for, and that a lock left behind by a dead process is stale.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)
LOCK_NAME = "writer.lock"
POLL = 0.2
_held: dict[Path, int] = {}  # locks this process holds: taking one again is a no-op


class WriterLockError(RuntimeError):
    """Another writer holds the data dir longer than we may wait; the message names it."""


def holder(path: Path) -> dict[str, Any]:
    """What the lock file says about its last holder ({} if unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _describe(info: dict[str, Any]) -> str:
    if not info:
        return "another writer"
    return f"`{info.get('command', '?')}` (pid {info.get('pid', '?')}, since {info.get('since')})"


@contextmanager
def writer_lock(
    data_dir: Path,
    command: str,
    wait: float = 3600.0,
    say: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the data dir's writer lock for `command`, waiting up to `wait` seconds."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = (data_dir / LOCK_NAME).resolve()
    if _held.get(path):  # e.g. `ingest` repairing the index it is about to write
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    with open(path, "a+", encoding="utf-8") as handle:
        _acquire(handle, path, wait, say or log.info)
        previous = holder(path)
        if previous.get("pid") and not _alive(previous["pid"]):
            (say or log.warning)(
                f"stale writer lock from {_describe(previous)} (process gone); taking it over"
            )
        _write(handle, {"pid": os.getpid(), "command": command, "since": _now()})
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            _write(handle, {})
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: IO[str], path: Path, wait: float, say: Callable[[str], None]) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            info = holder(path)
            if time.monotonic() >= deadline:
                raise WriterLockError(
                    f"{path.parent} is being written by {_describe(info)}; try again later"
                ) from None
            if not told:
                say(f"waiting for {_describe(info)} to finish writing {path.parent}")
                told = True
            time.sleep(POLL)


def _write(handle: IO[str], info: dict[str, Any]) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(info) if info else "")
    handle.flush()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

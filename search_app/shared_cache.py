"""The response cache's second level, shared by every server process of one data dir.

Each worker of `procradar serve --workers N` keeps its own recent answers (response_cache),
but the kernel hands a user's next connection to any worker: with two workers a repeated
URL found its answer in the same process only about half the time (bench/web.py: 18 % of
requests answered from the cache where a single process got 32 %). The answers are also
written to a small SQLite file in the data dir (`response-cache.sqlite`, WAL, no fsync: it
is a cache, losing it loses nothing) and looked up there when the process's own cache
misses.

Any failure of the file (read-only data dir, full disk, a locked or damaged file) is logged
once and the process goes on with its own cache: a cache never fails a request.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search_app.response_cache import Entry, Key

log = logging.getLogger(__name__)
FILE_NAME = "response-cache.sqlite"
TRIM_EVERY = 200  # puts between two trims of the file to its bounds
SCHEMA = """
CREATE TABLE IF NOT EXISTS responses(
    key TEXT PRIMARY KEY, made REAL NOT NULL, status INTEGER NOT NULL,
    headers TEXT NOT NULL, etag TEXT NOT NULL, body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_made ON responses(made);
"""


class SharedCache:
    def __init__(self, path: Path, entries: int, max_bytes: int, seconds: float):
        self.path, self.entries, self.max_bytes, self.seconds = path, entries, max_bytes, seconds
        self._local = threading.local()
        self._puts = 0
        self._broken = False
        self._lock = threading.Lock()

    def get(self, key: Key) -> Entry | None:
        from search_app.response_cache import Entry

        row = self._run(
            "SELECT status, headers, body, etag, made FROM responses WHERE key = ? AND made > ?",
            (_text(key), time.time() - self.seconds),
        )
        if not row:
            return None
        status, headers, body, etag, made = row[0]
        pairs = [(str(k), str(v)) for k, v in json.loads(str(headers))]
        return Entry(int(status), pairs, bytes(body), str(etag), float(made))

    def put(self, key: Key, entry: Entry) -> None:
        self._run(
            "INSERT OR REPLACE INTO responses(key, made, status, headers, etag, body)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (_text(key), entry.made, entry.status, json.dumps(entry.headers), entry.etag)
            + (entry.body,),
        )
        with self._lock:
            self._puts += 1
            trim = self._puts % TRIM_EVERY == 0
        if trim:
            self.trim()

    def trim(self) -> None:
        """Drop what expired, then the oldest past the entry and size bounds."""
        self._run("DELETE FROM responses WHERE made <= ?", (time.time() - self.seconds,))
        self._run(
            "DELETE FROM responses WHERE key IN (SELECT key FROM responses"
            " ORDER BY made DESC LIMIT -1 OFFSET ?)",
            (self.entries,),
        )
        size = self._run("SELECT coalesce(sum(length(body)), 0) FROM responses", ())
        if size and int(size[0][0]) > self.max_bytes:
            self._run(
                "DELETE FROM responses WHERE key IN (SELECT key FROM responses"
                " ORDER BY made LIMIT (SELECT count(*) / 2 FROM responses))",
                (),
            )

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _run(self, statement: str, args: tuple[object, ...]) -> list[tuple[Any, ...]]:
        if self._broken:
            return []
        try:
            db = self._db()
            with db:
                return db.execute(statement, args).fetchall()
        except (sqlite3.Error, OSError) as exc:
            with self._lock:
                if not self._broken:
                    log.warning("shared response cache %s off: %s", self.path, exc)
                self._broken = True
            return []

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=0.5, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(SCHEMA)
            self._local.conn = conn
        return conn


def _text(key: Key) -> str:
    return json.dumps(key, ensure_ascii=False)

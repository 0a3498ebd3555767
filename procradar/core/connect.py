"""Engines for the store's two back ends, with the per-connection settings each needs."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url


def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(_with_driver(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_session)
    return engine


def _with_driver(url: str) -> str:
    """A bare postgresql:// URL means psycopg 3, the driver procradar installs (SQLAlchemy's
    default for it would be psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _postgresql_session(dbapi_conn: Any, _record: Any) -> None:
    # Times come back in UTC whatever the server's TimeZone, as they do from SQLite (and
    # a date taken from them means the same day on either).
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_conn.commit()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _switch_to_wal(cursor: Any, attempts: int = 200) -> None:
    """Switching a fresh file to WAL takes an exclusive lock and SQLite answers "database
    is locked" at once, without its busy handler, while another process holds any lock on
    it (two processes opening a new store together). The switch is retried; once one
    process has made it, WAL is recorded in the file and the others' switch is a no-op."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)

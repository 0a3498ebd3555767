"""PostgreSQL fixtures: one throwaway server per test session, a fresh database per test.

Loaded as a pytest plugin by the tests that need it (`pytest_plugins = ["tests.pg_fixtures"]`).
The server (rigs/pgserver.py) starts on first use only, so SQLite-only runs never pay for it.
When the PostgreSQL binaries are missing the tests FAIL with the fix: `make test` installs
them through scripts/test-deps.sh, so a missing server is a broken setup, not an option.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rigs.pgserver import PgServer, PgServerError

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server, problem = None, ""
    try:
        server = PgServer().start()
    except PgServerError as exc:
        problem = str(exc)
    if server is None:
        pytest.fail(
            f"PostgreSQL is needed for the store's PostgreSQL tests: {problem}", pytrace=False
        )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """SQLAlchemy URL of an empty database, dropped after the test."""
    name = f"t{os.getpid()}_{next(_numbers)}"
    url = pg_server.create_database(name)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("pg_url"))

"""A throwaway PostgreSQL server for tests and local work.

Uses the server binaries of Debian's `postgresql` package (/usr/lib/postgresql/<ver>/bin,
installed by scripts/test-deps.sh). `initdb` makes a cluster under a fresh temp dir; the
server listens on 127.0.0.1 only, on a free port, with its unix socket inside the temp dir
and trust authentication (nothing but local test processes can reach it). `stop()` shuts it
down and removes the temp dir. initdb and postgres refuse to run as root, so under root they
run as the unprivileged `postgres` user (created by the Debian package) and the temp dir is
handed to that user.

    python -m rigs.pgserver          # prints the URL, serves until Ctrl-C
"""

from __future__ import annotations

import argparse
import glob
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SUPERUSER = "procradar"
SERVICE_USER = "postgres"
START_TIMEOUT = 60.0
# Durability is pointless for a cluster that is deleted afterwards; these make it cheap on
# a shared 2-core machine.
SERVER_OPTIONS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "32MB",
    "max_connections": "60",
    "dynamic_shared_memory_type": "mmap",
    # Not UTC on purpose: the store must hand back the same instants whatever the server's zone.
    "timezone": "Europe/Stockholm",
}
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PgServerError(RuntimeError):
    """The server could not be found or started; the message says what to do."""


def find_bindir() -> Path:
    """The newest installed PostgreSQL server binary dir, or env PROCRADAR_PG_BINDIR's."""
    override = os.environ.get("PROCRADAR_PG_BINDIR")
    if override:
        candidates = [Path(override)]
    else:
        found = (Path(p) for p in glob.glob(BIN_GLOB))
        candidates = sorted(found, key=lambda p: _version_key(p.parent.name), reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    raise PgServerError(
        f"PostgreSQL server binaries (initdb, postgres) not found under {BIN_GLOB}"
        + (f" (PROCRADAR_PG_BINDIR={override})" if override else "")
        + "; install Debian's postgresql package: `bash scripts/test-deps.sh` "
        "(apt-get install --no-install-recommends postgresql)"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name)) or (0,)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """One cluster in a temp dir; `start()`, `create_database()`, `url()`, `stop()`."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.base: Path | None = None
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._ids: tuple[int, int] | None = _service_ids() if os.geteuid() == 0 else None

    @property
    def sockdir(self) -> Path:
        assert self.base is not None, "the server is not started"
        return self.base / "sock"

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> PgServer:
        self.base = Path(tempfile.mkdtemp(prefix="procradar-pg-"))
        try:
            (self.base / "sock").mkdir()
            if self._ids is not None:
                for path in (self.base, self.base / "sock"):
                    os.chown(path, *self._ids)
            self._run(
                "initdb",
                "-D",
                str(self.base / "data"),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
            self._launch()
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self) -> None:
        assert self.base is not None
        # Another process may take the free port between probe and bind: try a few.
        for _attempt in range(3):
            self.port = free_port()
            cmd = [str(self.bindir / "postgres"), "-D", str(self.base / "data")]
            cmd += ["-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.sockdir)]
            for key, value in SERVER_OPTIONS.items():
                cmd += ["-c", f"{key}={value}"]
            logfile = open(self.base / "server.log", "ab")  # noqa: SIM115 - the server owns it
            try:
                self.proc = self._spawn(cmd, logfile)
            finally:
                logfile.close()
            if self._wait_ready():
                log.info("PostgreSQL up at %s (data in %s)", self.url(), self.base)
                return
            self._terminate()
        raise PgServerError(f"PostgreSQL did not start: {self._log_tail()}")

    def _wait_ready(self) -> bool:
        assert self.proc is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with psycopg.connect(self.url(driver="postgresql"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.1)
        return False

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        if not _DB_NAME.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
        with psycopg.connect(self.url(driver="postgresql"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open to it."""
        if not _DB_NAME.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
        with psycopg.connect(self.url(driver="postgresql"), autocommit=True) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))

    def stop(self) -> None:
        """Shut the server down (fast mode) and delete the cluster."""
        self._terminate()
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    def _terminate(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown: end sessions, then exit
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        proc = self._spawn(cmd, subprocess.PIPE)
        out, _ = proc.communicate()
        if proc.returncode != 0:
            tail = " | ".join(out.decode(errors="replace").strip().splitlines()[-6:])
            raise PgServerError(f"`{tool}` failed ({proc.returncode}): {tail}")

    def _spawn(self, cmd: list[str], stdout: IO[bytes] | int) -> subprocess.Popen[bytes]:
        """Start a PostgreSQL tool; under root as the service user, with a plain env."""
        if self._ids is None:
            return subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.STDOUT)
        home = str(self.base or "/")
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "LC_ALL": "C", "TZ": "UTC"}
        uid, gid = self._ids
        return subprocess.Popen(
            cmd,
            stdout=stdout,
            stderr=subprocess.STDOUT,
            user=uid,
            group=gid,
            extra_groups=[],
            env=env,
        )

    def _log_tail(self) -> str:
        if self.base is None or not (self.base / "server.log").exists():
            return "no server log"
        lines = (self.base / "server.log").read_text(errors="replace").strip().splitlines()
        return " | ".join(lines[-8:]) or "empty server log"

    def __enter__(self) -> PgServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _service_ids() -> tuple[int, int]:
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise PgServerError(
            f"running as root, and PostgreSQL refuses root: user {SERVICE_USER!r} is missing "
            "(Debian's postgresql package creates it; `bash scripts/test-deps.sh`)"
        ) from None
    return entry.pw_uid, entry.pw_gid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="procradar", help="database to create")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # taken by sigwait below
    try:
        server = PgServer().start()
    except PgServerError as exc:
        log.error("pgserver: %s", exc)
        return 1
    try:
        print(server.create_database(args.database), flush=True)
        signal.sigwait(stop_signals)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

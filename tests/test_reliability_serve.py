"""Serving under pressure (issue 13, item 5): idle and half-open connections to `procradar
serve` cannot lock out a normal client, and idle ones are closed after web.channel_timeout.

Before the fix waitress ran with its defaults (100 connections, 120 s idle timeout): about
100 clients that connect and send nothing, or only part of their headers, filled every
slot, and everyone else waited in the kernel's accept queue for minutes. The bounds below
are the client's own timeouts (a functional limit: answered or not), not speed targets."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import yaml

from tests.conftest import ROOT

IDLE = 150  # connect, send nothing
HALF_OPEN = 60  # send part of a request's headers, never the end
CLIENT_TIMEOUT = 30.0  # seconds a normal client waits for an answer before giving up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(tmp_path: Path, settings: dict[str, object] | None = None) -> Iterator[int]:
    """`procradar serve` in a child process on 127.0.0.1; yields its port once it answers."""
    port = _free_port()
    args = [sys.executable, "-m", "procradar"]
    if settings:
        config = tmp_path / "procradar.yaml"
        config.write_text(yaml.safe_dump(settings), "utf-8")
        args += ["--config", str(config)]
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(tmp_path / "data")}
    env.pop("PROCRADAR_CONFIG", None)
    log = tmp_path / "serve.log"  # a file, not a pipe: an unread pipe could stall the server
    proc = subprocess.Popen(
        [*args, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed just before waitress starts listening
        assert "serving on" in line, (line, log.read_text())
        for _ in range(600):  # until the listening socket accepts (a loaded machine is slow)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        assert _get(port, "/") == 200  # warm: the first request opens store and index
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def _hog(port: int, stack: ExitStack, partial: bytes | None) -> socket.socket:
    sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=10))
    if partial:
        sock.sendall(partial)
    return sock


def test_idle_and_half_open_connections_do_not_lock_out_a_client(tmp_path: Path) -> None:
    with _serve(tmp_path) as port, ExitStack() as stack:
        for _ in range(IDLE):
            _hog(port, stack, None)
        for i in range(HALF_OPEN):  # slowloris: headers started, never finished
            _hog(port, stack, f"GET /?q={i} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Wait: ".encode())
        # A normal client is answered before its own timeout, more than once.
        assert [_get(port, "/"), _get(port, "/api/v1/search?q=upphandling")] == [200, 200]


def test_idle_connections_are_closed_after_the_channel_timeout(tmp_path: Path) -> None:
    with _serve(tmp_path, {"web.channel_timeout": 2}) as port, ExitStack() as stack:
        idle = _hog(port, stack, None)
        half = _hog(port, stack, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for sock in (idle, half):
            sock.settimeout(CLIENT_TIMEOUT)
            assert sock.recv(1024) == b""  # the server hung up (a timeout raises instead)

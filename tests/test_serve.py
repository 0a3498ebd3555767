"""`procradar serve` answers over real HTTP on 127.0.0.1 and stops cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return bytes(resp.read())
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def start_serve(tmp_path: Path, *options: str) -> tuple[int, subprocess.Popen[str]]:
    """`procradar serve` on a free port of 127.0.0.1 over an empty data dir."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "procradar", "serve", "--port", str(port), *options],
        cwd=ROOT,
        env={**os.environ, "PROCRADAR_DATA_DIR": str(tmp_path / "data")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return port, proc


def test_serve_answers_and_escapes_queries(tmp_path: Path) -> None:
    port, proc = start_serve(tmp_path)
    try:
        page = wait_for(f"http://127.0.0.1:{port}/?q=%3Cscript%3Ealert(1)%3C/script%3E")
        assert b"<script>alert(1)" not in page
        assert b"&lt;script&gt;alert(1)" in page
        css = wait_for(f"http://127.0.0.1:{port}/static/style.css")
        assert b"font" in css
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    out = proc.stdout.read() if proc.stdout else ""
    assert f"http://127.0.0.1:{port}/" in out


def _workers(parent: int) -> set[int]:
    """Pids of the processes whose parent is `parent` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.add(int(entry.name))
    return found


def test_serve_with_workers_restarts_a_dead_one_and_stops_them_all(tmp_path: Path) -> None:
    import signal

    port, proc = start_serve(tmp_path, "--workers", "2")
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v1/sources")
        first = _workers(proc.pid)
        assert len(first) == 2
        # New connections reach both workers (the kernel spreads them over the sockets).
        for _ in range(30):
            assert b"items" in wait_for(f"http://127.0.0.1:{port}/api/v1/sources")
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (now := _workers(proc.pid)) == first or len(now) != 2:
            assert time.monotonic() < deadline, now
            time.sleep(0.2)
        assert victim not in now
        for _ in range(30):  # every connection is answered, whichever socket it lands on
            assert b"items" in wait_for(f"http://127.0.0.1:{port}/api/v1/sources", 10)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert _workers(proc.pid) == set()
    err = proc.stderr.read() if proc.stderr else ""
    assert f"worker {victim} stopped (signal SIGKILL)" in err
    assert "with 2 worker processes" in (proc.stdout.read() if proc.stdout else "")
    with socket.socket() as sock:  # nothing listens on the port any more
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))


def _connections_per_worker(port: int, workers: set[int]) -> dict[int, int]:
    """How many established connections to `port` each worker process holds (from /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # 01: established
            inodes.add(fields[9])
    held = {}
    for pid in workers:
        links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        held[pid] = sum(1 for link in links if link[8:-1] in inodes and link.startswith("socket:"))
    return held


def test_serve_workers_share_keep_alive_clients_evenly(tmp_path: Path) -> None:
    """Keep-alive clients stay with the worker that accepted them, so they must be spread
    evenly: the kernel's hash of addresses left one of two workers 14 clients of 20."""
    import http.client

    port, proc = start_serve(tmp_path, "--workers", "2")
    clients: list[http.client.HTTPConnection] = []

    def connect() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/v1/sources")
        assert conn.getresponse().read().startswith(b"{")
        clients.append(conn)

    try:
        wait_for(f"http://127.0.0.1:{port}/api/v1/sources")
        workers = _workers(proc.pid)
        deadline = time.monotonic() + 30
        while True:  # until both workers serve: a starting worker is never given a client
            connect(), connect()
            spread = sorted(_connections_per_worker(port, workers).values())
            for conn in clients:
                conn.close()
            clients.clear()
            if spread == [1, 1]:
                break
            assert time.monotonic() < deadline, spread
            time.sleep(0.5)
        time.sleep(0.5)  # the closed connections leave the workers' counts
        for _ in range(10):
            connect()
        assert sorted(_connections_per_worker(port, workers).values()) == [5, 5]
    finally:
        for conn in clients:
            conn.close()
        proc.terminate()
        proc.wait(timeout=20)

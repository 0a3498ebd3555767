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


def test_serve_answers_and_escapes_queries(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "procradar", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
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

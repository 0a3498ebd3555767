"""`scripts/es-node.sh` (python -m rigs.esnode): the node it starts dies with it."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time

from rigs.esnode import free_port


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_the_nodes() -> None:
    # Imported here: a module-level import would stop pytest rewriting it as a plugin later.
    from tests.es_fixtures import es_base_dir

    base, port = es_base_dir(), free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rigs.esnode",
            "-basePath",
            str(base),
            "-baseHttpPort",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the cluster is up or the launcher fails
        assert f"up: http://127.0.0.1:{port}" in line, proc.communicate(timeout=30)[1]
        assert _listening(port)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=90) == 0
        deadline = time.monotonic() + 10
        while _listening(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _listening(port), "the Elasticsearch node outlived its launcher"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(base, ignore_errors=True)

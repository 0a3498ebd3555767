"""Killing the process that runs the enrichment stage kills its fork server and workers
too (they were left running, still holding the NLP models in memory)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import os, sys
from procradar.stages.enrich import _pool

pool = _pool(2)
pids = set(pool.submit(os.getpid).result() for _ in range(4))
print(" ".join(map(str, sorted(pids))), os.getpid(), flush=True)
sys.stdin.read()  # wait to be killed
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its (new) parent.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds  # a bound on waiting, not a speed assertion
    while time.monotonic() < deadline and any(map(_alive, pids)):
        time.sleep(0.2)
    return [pid for pid in pids if _alive(pid)]


def test_pool_workers_die_with_the_stage_process() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        *workers, _own = map(int, child.stdout.readline().split())
        assert workers and all(map(_alive, workers))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        assert _gone_within(workers, 60) == []
    finally:
        if child.poll() is None:
            child.kill()

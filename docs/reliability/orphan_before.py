"""Does the crawl child outlive a SIGKILL of `procradar crawl`? (issue 13, docs/reliability.md)

Run with cwd = the checkout to test: `cd CHECKOUT && python orphan_before.py`. One source
points at a socket that accepts and never answers; once the crawl child has connected
(mid-crawl, waiting), the parent gets SIGKILL and the child is watched for 30 s."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # a thread may end while we look
            found += [int(x) for x in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(16)
    source = {"id": "hang", "url": f"http://127.0.0.1:{hang.getsockname()[1]}/",
              "allow_private_network": True}  # fmt: skip
    (tmp / "sources.yaml").write_text(yaml.safe_dump({"sources": [source]}))
    (tmp / "procradar.yaml").write_text(yaml.safe_dump({"sources_file": str(tmp / "sources.yaml")}))
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(tmp / "data")}
    args = [sys.executable, "-m", "procradar", "--config", str(tmp / "procradar.yaml"), "crawl"]
    parent = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hang.settimeout(300)
    conn, _ = hang.accept()  # the child is crawling: it waits on the silent source
    child = next(
        c for c in children(parent.pid)
        if alive(c) and b"crawlers.run" in Path(f"/proc/{c}/cmdline").read_bytes()
    )  # fmt: skip
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for second in range(31):
        if not alive(child):
            print(f"crawl child {child} gone {second} s after the parent's SIGKILL")
            break
        time.sleep(1)
    else:
        print(f"crawl child {child} STILL ALIVE 30 s after the parent's SIGKILL (orphaned)")
        os.kill(child, signal.SIGKILL)
    conn.close()


if __name__ == "__main__":
    main()

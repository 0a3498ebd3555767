"""SIGKILL at random moments (issue 13, item 7): `ingest`, `reindex` and `crawl` (which
enriches and indexes as it goes) are killed, then run again to the end; store and index
must then hold every article exactly once. `bench/reliability.py --long` runs ≥ 20 of these.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli


@dataclass
class KillRun:
    command: str
    killed_after: float
    killed: bool  # False: it finished before the kill came
    expected: int
    stored: int
    indexed: int

    @property
    def lost(self) -> int:
        return max(0, self.expected - min(self.stored, self.indexed))

    @property
    def duplicated(self) -> int:
        return max(0, self.stored - self.expected) + max(0, self.indexed - self.expected)


def write_docs(path: Path, count: int, seed: int = 1) -> int:
    """`count` documents, a tenth of them repeated with new text (updates): returns how
    many distinct URLs there are."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            n = rng.randrange(count * 9 // 10) if i % 10 == 9 else i
            text = f"Kommun {n} upphandlar vindkraft och ställer klimatkrav, version {i}. " * 4
            doc = {"url": f"https://kill.test/{n}", "title": f"Vindkraft {n}", "text": text}
            out.write(json.dumps(doc) + "\n")
    return len({json.loads(line)["url"] for line in path.open(encoding="utf-8")})


def counts(data: Path) -> tuple[int, int]:
    """(articles in the store, distinct URLs in the index), read straight from the files."""
    with sqlite3.connect(data / "procradar.db") as store:
        stored = store.execute("SELECT count(*) FROM articles").fetchone()[0]
    with sqlite3.connect(data / "index.sqlite") as index:
        rows, distinct = index.execute("SELECT count(*), count(DISTINCT url) FROM docs").fetchone()
    assert rows == distinct
    return int(stored), int(rows)


def kill_and_rerun(
    args: list[str], data: Path, expected: int, after: float, env: dict[str, str] | None = None
) -> KillRun:
    """Start `procradar *args`, SIGKILL it (and its process group) after `after` seconds,
    run it again to the end, and count what store and index hold."""
    environment = {**os.environ, "PROCRADAR_DATA_DIR": str(data), **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "procradar", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=after)
        killed = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = True
    again = subprocess.run(
        [sys.executable, "-m", "procradar", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert again.returncode == 0, again.stderr[-2000:]
    stored, indexed = counts(data)
    return KillRun(args[0], after, killed, expected, stored, indexed)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("kill") / "docs.jsonl"
    return path, write_docs(path, 200)


@pytest.mark.parametrize("after", [3.0, 6.0])
def test_ingest_killed_then_rerun_loses_and_duplicates_nothing(
    docs: tuple[Path, int], tmp_path: Path, after: float
) -> None:
    path, expected = docs
    run = kill_and_rerun(["ingest", str(path)], tmp_path / "data", expected, after)
    assert (run.lost, run.duplicated) == (0, 0)
    assert (run.stored, run.indexed) == (expected, expected)


def test_reindex_killed_then_rerun_loses_and_duplicates_nothing(
    docs: tuple[Path, int], tmp_path: Path
) -> None:
    path, expected = docs
    data = tmp_path / "data"
    run_cli("ingest", str(path), data_dir=data)
    run = kill_and_rerun(["reindex"], data, expected, 3.5)
    assert (run.lost, run.duplicated) == (0, 0)


def test_crawl_killed_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    from rigs.faultserver import Faults, fault_server

    with fault_server(articles=15, faults=Faults(enabled=False)) as server:
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": [server.source()]}), "utf-8")
        config = tmp_path / "procradar.yaml"
        settings = {"sources_file": str(sources), "crawl.download_delay": 0}
        config.write_text(yaml.safe_dump(settings), "utf-8")
        run = kill_and_rerun(["--config", str(config), "crawl"], tmp_path / "data", 15, 6.0)
    assert (run.lost, run.duplicated) == (0, 0)

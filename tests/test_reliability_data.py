"""Self-healing data and clear messages (issue 13, items 2-4): a damaged index is rebuilt
from the store, a damaged store is refused (never replaced), an empty store never empties
the index unasked, bad data dirs get one line, writers take turns via writer.lock."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from procradar.core.writelock import LOCK_NAME, WriterLockError, writer_lock
from tests.conftest import run_cli

N = 12


def _docs() -> str:
    return "".join(
        json.dumps(
            {
                "url": f"https://heal.test/{i}",
                "title": f"Klimatkrav i upphandling nummer {i}",
                "text": f"Regionen ställer klimatkrav när transporter upphandlas. Ärende {i}.",
                "published": "2026-03-01",
            }
        )
        + "\n"
        for i in range(N)
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("heal") / "data"
    run_cli("ingest", "-", data_dir=data, stdin=_docs())
    return data


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "data"))


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def _hits(data: Path) -> int:
    proc = run_cli("search", "klimatkrav", "--json", data_dir=data)
    return int(json.loads(proc.stdout)["total"])


def _damage(path: Path) -> None:
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    path.write_bytes(b"this is not an sqlite file " * 200)


def test_damaged_index_is_reported_once_and_rebuilt(data: Path) -> None:
    _damage(data / "index.sqlite")
    first = run_cli("search", "klimatkrav", data_dir=data)
    assert first.stderr.count("is damaged") == 1
    assert f"rebuilt from the store: {N} articles" in first.stderr
    assert f"of {N} hits" in first.stdout
    again = run_cli("search", "klimatkrav", data_dir=data)
    assert "damaged" not in again.stderr


def test_reindex_removes_and_recreates_a_damaged_index(data: Path) -> None:
    _damage(data / "index.sqlite")
    proc = run_cli("reindex", data_dir=data)
    assert f"reindexed {N} articles" in proc.stdout
    assert _hits(data) == N


def test_index_of_an_older_analysis_is_pointed_out_until_reindexed(data: Path) -> None:
    import sqlite3

    with sqlite3.connect(data / "index.sqlite") as db:
        db.execute("UPDATE settings SET value = '0+old' WHERE key = 'analysis'")
    first = run_cli("search", "klimatkrav", data_dir=data)
    assert f"of {N} hits" in first.stdout  # still answers
    assert first.stderr.count("procradar reindex") == 1
    run_cli("reindex", data_dir=data)
    assert "reindex" not in run_cli("search", "klimatkrav", data_dir=data).stderr


def test_damaged_store_is_refused_and_kept(data: Path) -> None:
    store = data / "procradar.db"
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    raw = bytearray(store.read_bytes())
    raw[:16] = b"not a database!\0"
    store.write_bytes(bytes(raw))
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    for args in (("reindex",), ("export",), ("ingest", "-")):
        line = _one_line_error(run_cli(*args, data_dir=data, check=False, stdin=_docs()))
        assert "is damaged" in line and "backup" in line and "operations.md" in line
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    assert _hits(data) == N  # the index still answers


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_empty_store_never_empties_the_index_unasked(data: Path, how: str) -> None:
    store = data / "procradar.db"
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    if how == "empty":
        store.write_bytes(b"")
    else:
        store.unlink()
    proc = run_cli("reindex", data_dir=data, check=False)
    assert proc.returncode == 1
    assert f"the index holds {N}" in proc.stderr and "--force" in proc.stderr
    if how == "empty":
        assert "empty file (0 bytes)" in proc.stderr
    assert _hits(data) == N
    forced = run_cli("reindex", "--force", data_dir=data)
    assert "reindexed 0 articles" in forced.stdout
    assert _hits(data) == 0


@pytest.mark.parametrize("case", ["under_a_file", "store_is_dir", "index_is_dir"])
def test_bad_data_dir_gets_one_line(tmp_path: Path, case: str) -> None:
    data = tmp_path / "data"
    if case == "under_a_file":
        (tmp_path / "plain").write_text("x")
        data = tmp_path / "plain" / "data"
    else:
        name = "procradar.db" if case == "store_is_dir" else "index.sqlite"
        (data / name).mkdir(parents=True)
    for args in (("search", "x"), ("ingest", "-"), ("reindex",)):
        line = _one_line_error(run_cli(*args, data_dir=data, check=False, stdin=_docs()))
        assert str(data.name) in line
        assert "cannot be created" in line or "should be a file" in line


def test_second_writer_waits_names_the_holder_and_detects_stale_locks(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from procradar.core.writelock import writer_lock\n"
            "with writer_lock(Path(sys.argv[1]), 'crawl'):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        said: list[str] = []
        with (
            pytest.raises(WriterLockError, match=rf"`crawl` \(pid {holder.pid}"),
            writer_lock(tmp_path, "reindex", wait=0.5, say=said.append),
        ):
            pass
        assert said and "waiting for `crawl`" in said[0]
    finally:
        holder.kill()  # SIGKILL: the kernel drops the flock, the file still names the pid
        holder.wait()
    assert json.loads((tmp_path / LOCK_NAME).read_text())["pid"] == holder.pid
    said = []
    with writer_lock(tmp_path, "reindex", wait=5, say=said.append):
        assert json.loads((tmp_path / LOCK_NAME).read_text())["command"] == "reindex"
    assert any("stale writer lock" in s and str(holder.pid) in s for s in said)
    assert (tmp_path / LOCK_NAME).read_text() == ""

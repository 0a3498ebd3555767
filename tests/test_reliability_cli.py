"""Command-line reliability (issue 13, items 1 and 4): terminal output carries no control
sequences, a query may start with a dash, bad source values are one line naming key and
file, a crawl that fetched nothing or crashed exits non-zero, and the crawl child dies
with its parent."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
import yaml

from procradar.core.sources import SourcesError, load_sources
from tests.conftest import ROOT, run_cli

HOSTILE_TITLE = (
    "Klimatkrav \x1b]0;pwned\x07\x1b[2J\x9b31m\x1bP1;2|x\x1b\\ i \u202eupphandling\r\x08"
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    docs = [
        {
            "url": "https://evil.test/\x1b[31mred",
            "title": HOSTILE_TITLE,
            "text": "Kommunen ställer klimatkrav \x1b]8;;http://x\x07länk\x1b]8;;\x07 på hotell.",
        },
        {"url": "https://plain.test/1", "title": "Hotellupphandling", "text": "Hotell och skola."},
    ]
    run_cli("ingest", "-", data_dir=data, stdin="".join(json.dumps(d) + "\n" for d in docs))
    return data


def test_search_output_has_no_control_sequences(data: Path) -> None:
    out = run_cli("search", "klimatkrav", data_dir=data).stdout
    assert "Klimatkrav" in out and "upphandling" in out
    bad = [c for c in out if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert bad == []
    assert "\u202e" not in out


def test_query_may_start_with_a_dash(data: Path) -> None:
    proc = run_cli("search", "-klimatkrav", data_dir=data, check=False)
    assert "No such option" not in proc.stderr
    assert proc.returncode == 2 and "only exclude" in proc.stderr  # the query's own rule
    hits = run_cli("search", "-klimatkrav", "hotell", "--json", data_dir=data).stdout
    assert [h["url"] for h in json.loads(hits)["hits"]] == ["https://plain.test/1"]
    assert "hits for '-hotell skola'" in run_cli("search", "-hotell", "skola", data_dir=data).stdout


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"feeds": 5}, "feeds"),
        ({"download_delay": "abc"}, "download_delay"),
        ({"max_pages": "abc"}, "max_pages"),
        ({"max_pages": 0}, "max_pages"),
        ({"download_delay": -1}, "download_delay"),
        ({"enabled": "no"}, "enabled"),
        ({"allow_private_network": "yes"}, "allow_private_network"),
        ({"name": ["a"]}, "name"),
        ({"listings": ["javascript:alert(1)"]}, "listings"),
        ({"url": "http://[::1/"}, "url"),
        ({"url": "http://x.se:99999/"}, "url"),
        ({"languages": {"sv": 1}}, "languages"),
    ],
)
def test_bad_source_values_are_one_line_naming_key_and_file(
    tmp_path: Path, extra: dict[str, object], key: str
) -> None:
    sources = tmp_path / "my-sources.yaml"
    entry = {"id": "x", "url": "https://x.se/", **extra}
    sources.write_text(yaml.safe_dump({"sources": [entry]}), "utf-8")
    with pytest.raises(SourcesError) as caught:
        load_sources(sources)
    message = str(caught.value)
    assert "\n" not in message
    assert "my-sources.yaml" in message and f"`{key}`" in message


def test_bad_source_value_stops_the_crawl_with_one_line(tmp_path: Path) -> None:
    proc = _crawl(tmp_path, [{"id": "x", "url": "https://x.se/", "max_pages": "abc"}])
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "sources.yaml" in lines[0] and "`max_pages`" in lines[0]


def _crawl(tmp_path: Path, sources: list[dict[str, object]]) -> subprocess.CompletedProcess[str]:
    file = tmp_path / "sources.yaml"
    file.write_text(yaml.safe_dump({"sources": sources}), "utf-8")
    config = tmp_path / "procradar.yaml"
    config.write_text(
        yaml.safe_dump({"sources_file": str(file), "crawl.download_timeout": 2}), "utf-8"
    )
    return run_cli("--config", str(config), "crawl", data_dir=tmp_path / "data", check=False)


def test_crawl_where_every_source_is_refused_exits_non_zero(tmp_path: Path) -> None:
    proc = _crawl(tmp_path, [{"id": "local", "url": "http://127.0.0.1:9/"}])
    assert proc.returncode == 1
    assert "no source could be fetched" in proc.stderr


def test_crawler_crash_exits_non_zero(tmp_path: Path) -> None:
    proc = _crawl(
        tmp_path,
        [{"id": "broken", "url": "http://127.0.0.1:9/", "override": "no-such-class"}],
    )
    assert proc.returncode == 1
    assert "crawler crashed for broken" in proc.stderr


def _children(pid: int) -> list[int]:
    """Children of every thread of `pid` (the crawl is started from a worker thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_crawl_child_dies_with_its_parent(tmp_path: Path) -> None:
    with ExitStack() as stack, socket.socket() as hang:  # accepts, never answers: crawl waits
        hang.bind(("127.0.0.1", 0))
        hang.listen(16)
        url = f"http://127.0.0.1:{hang.getsockname()[1]}/"
        file = tmp_path / "sources.yaml"
        entry = {"id": "hang", "url": url, "allow_private_network": True}
        file.write_text(yaml.safe_dump({"sources": [entry]}), "utf-8")
        config = tmp_path / "procradar.yaml"
        config.write_text(yaml.safe_dump({"sources_file": str(file)}), "utf-8")
        env = {**os.environ, "PROCRADAR_DATA_DIR": str(tmp_path / "data")}
        parent = subprocess.Popen(
            [sys.executable, "-m", "procradar", "--config", str(config), "crawl"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        child = None
        try:
            for _ in range(600):  # until the crawl child has started
                found = [c for c in _children(parent.pid) if _alive(c)]
                cmdlines = {c: Path(f"/proc/{c}/cmdline").read_bytes() for c in found}
                child = next((c for c, cmd in cmdlines.items() if b"crawlers.run" in cmd), None)
                if child:
                    break
                time.sleep(0.1)
            assert child is not None
            # Kill only once the child is mid-crawl, waiting on our silent server: a child
            # killed earlier dies anyway on its next progress line (broken pipe), which hid
            # the orphan before the fix.
            hang.settimeout(300)
            stack.enter_context(hang.accept()[0])
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait()
            for _ in range(600):  # a loaded machine may take a while to start the child
                if not _alive(child):
                    break
                time.sleep(0.1)
            assert not _alive(child)
        finally:
            if child and _alive(child):
                os.kill(child, signal.SIGKILL)
            if parent.poll() is None:
                parent.kill()
                parent.wait()

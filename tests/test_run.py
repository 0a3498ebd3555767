"""`procradar run` without reachable sources: one clear line per source, the UI data survives."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.conftest import CliRun


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def test_run_reports_each_unreachable_source(cli: CliRun, tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        + "".join(
            f"  - id: dead{i}\n    url: http://127.0.0.1:{closed_port()}/\n"
            "    allow_private_network: true\n"
            for i in range(2)
        )
    )
    config = tmp_path / "config.yaml"
    config.write_text("sources_file: sources.yaml\n")
    doc = {"url": "https://e.se/a", "title": "Klimatkrav", "text": "Klimatkrav i upphandling."}
    cli("ingest", "-", stdin=json.dumps(doc))
    proc = cli("--config", str(config), "run", "--no-serve")
    failed = [line for line in proc.stderr.splitlines() if "FAILED" in line]
    assert sorted(line.split("[")[1].split("]")[0] for line in failed) == ["dead0", "dead1"]
    hits = json.loads(cli("search", "klimatkrav", "--json").stdout)
    assert hits["total"] == 1

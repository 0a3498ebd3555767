"""Data-dir permissions (issue 13, item 4): an unreadable or read-only data dir, store or
index gets one line naming the file, never a traceback. Before the fix 8 of 10 such cases
ended in a Python traceback.

Root ignores file modes, so the commands run under `setpriv` with every capability
dropped: the process keeps uid 0 but the kernel now checks the modes as for anyone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

DOC = {"url": "https://perm.test/1", "title": "Klimatkrav", "text": "Kommunen ställer klimatkrav."}
COMMANDS = [("search", "klimatkrav"), ("ingest", "-"), ("reindex",)]  # read, write, rebuild
CASES = {  # what is made unreadable or read-only, and its mode
    "data dir unreadable": ("", 0o000),
    "data dir read-only": ("", 0o555),
    "store read-only": ("procradar.db", 0o444),
    "store unreadable": ("procradar.db", 0o000),
    "index read-only": ("index.sqlite", 0o444),
    "index unreadable": ("index.sqlite", 0o000),
}


def _as_unprivileged(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all"] if os.geteuid() == 0 else []
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(data)}
    env.pop("PROCRADAR_CONFIG", None)
    return subprocess.run(
        [*drop, sys.executable, "-m", "procradar", *args],
        cwd=ROOT,
        env=env,
        input=json.dumps(DOC) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("perm") / "data"
    run_cli("ingest", "-", data_dir=data, stdin=json.dumps(DOC) + "\n")
    return data


@pytest.mark.parametrize("case", list(CASES))
def test_permission_problems_are_one_line(template: Path, tmp_path: Path, case: str) -> None:
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed for this test")
    data = Path(shutil.copytree(template, tmp_path / "data"))
    name, mode = CASES[case]
    target = data / name if name else data
    target.chmod(mode)
    try:
        for args in COMMANDS:
            proc = _as_unprivileged(list(args), data)
            assert "Traceback" not in proc.stderr, (case, args, proc.stderr[-2000:])
            if proc.returncode != 0:
                lines = [line for line in proc.stderr.splitlines() if line.strip()]
                assert len(lines) == 1, (case, args, proc.stderr)
                assert (name or str(data)) in lines[0], (case, args, lines[0])
    finally:
        target.chmod(0o755)

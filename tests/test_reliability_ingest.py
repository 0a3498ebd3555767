"""Stored XSS at the door (issue 13, item 1): `ingest` refuses article URLs that are not
absolute http(s) addresses (javascript:, data:, file:, any case), one line each naming the
line number, and stores the rest. The site renders only http(s) links anyway
(tests/test_web.py); this keeps such URLs out of the store, the index and the exports.
Before the fix all of them were stored and indexed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

BAD = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(2)",
    "data:text/html,<script>alert(3)</script>",
    "file:///etc/passwd",
    "ftp://files.test/a",
    "https:///no-host",
    "//evil.test/relative",
]
GOOD = "https://ok.test/upphandling"


def test_ingest_refuses_urls_that_are_not_http(tmp_path: Path) -> None:
    data = tmp_path / "data"
    docs = [{"url": u, "title": f"Länk {i}", "text": "Kommunen upphandlar skolskjuts."}
            for i, u in enumerate([*BAD, GOOD])]  # fmt: skip
    proc = run_cli("ingest", "-", data_dir=data, stdin="".join(json.dumps(d) + "\n" for d in docs))
    assert "Traceback" not in proc.stderr
    for lineno in range(1, len(BAD) + 1):
        assert f"line {lineno}: 'url'" in proc.stderr, proc.stderr
    assert "1 new" in proc.stdout + proc.stderr
    exported = run_cli("export", data_dir=data).stdout.splitlines()
    assert [json.loads(line)["url"] for line in exported] == [GOOD]

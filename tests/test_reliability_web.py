"""A damaged index behind the web site (issue 13, item 3): before the fix a corrupt
index.sqlite made every page a 500 with a traceback in the log; now the site answers 503
with a one-line pointer to `procradar reindex`, and the running app serves again once
reindex has rebuilt the index (no restart)."""

from __future__ import annotations

import json
from pathlib import Path

from procradar.core.settings import Settings
from search_app import create_app
from tests.conftest import run_cli

N = 6


def test_damaged_index_is_a_clear_503_and_the_site_recovers_after_reindex(tmp_path: Path) -> None:
    data = tmp_path / "data"
    docs = [
        {
            "url": f"https://heal.test/web/{i}",
            "title": f"Klimatkrav vid upphandling av färjetrafik {i}",
            "text": f"Länet ställer klimatkrav när färjetrafik upphandlas. Ärende {i}.",
            "published": "2026-04-01",
        }
        for i in range(N)
    ]
    run_cli("ingest", "-", data_dir=data, stdin="".join(json.dumps(d) + "\n" for d in docs))
    index = data / "index.sqlite"
    for extra in ("-wal", "-shm"):
        Path(f"{index}{extra}").unlink(missing_ok=True)
    index.write_bytes(b"this is not an sqlite file " * 200)

    app = create_app({"TESTING": True}, settings=Settings({"data_dir": str(data)}))
    client = app.test_client()
    for path in ("/?q=klimatkrav&lang=en", "/api/v1/search?q=klimatkrav"):
        resp = client.get(path)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 503, (path, resp.status_code)
        assert "Traceback" not in body and "sqlite3" not in body
    page = client.get("/?q=klimatkrav&lang=en").get_data(as_text=True)
    assert "temporarily unavailable" in page.lower() or "reindex" in page

    run_cli("reindex", data_dir=data)
    again = client.get("/api/v1/search?q=klimatkrav")
    assert again.status_code == 200 and again.get_json()["total"] == N

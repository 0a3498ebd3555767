"""Issue 13's web defects, reproduced on a checkout of procradar (docs/reliability.md).

Run with the checkout first on the path: `cd CHECKOUT && PYTHONPATH=. python
web_before.py`. Prints one line per defect: what the site does with javascript:/data:
article URLs, its security headers, page=², endpoint=x, _method=x, a 250 KB query, a title
with `&` and `<script>` in snippets, and a damaged index.sqlite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from procradar.core.settings import Settings
from search_app import create_app

DOCS = [
    {"url": "javascript:alert(document.domain)", "title": "Farlig länk ett",
     "text": "Upphandling av skolskjuts med farlig länk."},
    {"url": "JaVaScRiPt:alert(1)", "title": "Farlig länk två",
     "text": "Upphandling av skolmat med farlig länk."},
    {"url": "data:text/html,<script>alert(2)</script>", "title": "Farlig länk tre",
     "text": "Upphandling av städning med farlig länk."},
    {"url": "https://ok.test/clarion", "title": "Konferens på Clarion Hotel & Congress",
     "text": "Kommunen håller leverantörsdag på Clarion Hotel & Congress om <script>-taggar."},
]  # fmt: skip


def main() -> None:
    data = Path(tempfile.mkdtemp()) / "data"
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(data)}
    lines = "".join(json.dumps(d) + "\n" for d in DOCS)
    cmd = [sys.executable, "-m", "procradar", "ingest", "-"]
    ingest = subprocess.run(cmd, input=lines, text=True, capture_output=True, env=env)
    print("ingest exit", ingest.returncode, "|", ingest.stdout.strip().replace("\n", " / "))
    # TESTING off: an exception becomes the HTTP 500 a visitor would get.
    app = create_app({"TESTING": False}, settings=Settings({"data_dir": str(data)}))
    client = app.test_client()

    html = client.get("/?q=farlig").get_data(as_text=True)
    bad = ("javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", "data:text/html")
    print("javascript:/data: URLs as links:", [u for u in bad if f'href="{u}' in html] or "none")
    resp = client.get("/")
    names = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
    print("headers on /:", {h: resp.headers.get(h) for h in names})
    for query in ("page=%C2%B2", "endpoint=x", "_method=x"):
        print(f"/?{query}: HTTP {client.get('/?' + query).status_code}")
    for path in ("/?q=", "/search.json?q="):
        resp = client.get(path + "a" * 250_000)
        print(f"{path}<250 KB>: HTTP {resp.status_code}, {len(resp.data)} bytes back")
    html = client.get("/?q=clarion").get_data(as_text=True)
    print("snippet escaped twice ('&amp;amp;' or '&amp;lt;' on the page):",
          "&amp;amp;" in html or "&amp;lt;" in html)  # fmt: skip

    index = data / "index.sqlite"
    for extra in ("-wal", "-shm"):
        Path(f"{index}{extra}").unlink(missing_ok=True)
    index.write_bytes(b"this is not an sqlite file " * 200)
    fresh = create_app({"TESTING": False}, settings=Settings({"data_dir": str(data)}))
    print("damaged index.sqlite, GET /: HTTP", fresh.test_client().get("/").status_code)


if __name__ == "__main__":
    main()

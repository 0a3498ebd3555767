"""CSV formula injection in `procradar export --format csv` (issue 13, item 1): a cell a
spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) gets a leading
quote (OWASP's rule), as the web's CSV downloads already did; JSON lines stay as stored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import run_cli

HOSTILE = [
    {
        "url": "https://formula.test/1",
        "title": '=HYPERLINK("http://evil.test","Klicka här")',
        "text": "=1+2 Kommunen upphandlar skolskjuts och ställer klimatkrav på fordonen.",
    },
    {
        "url": "https://formula.test/2",
        "title": "+SUM(A1:A9) upphandling av skolmat",
        "text": "@SUM(1) Regionen köper skolmat med krav på ekologiska råvaror.",
    },
    {
        "url": "https://formula.test/3",
        "title": "-2+3 ramavtal för städning",
        "text": "\tKommunen tecknar ramavtal för städning av skolor och förskolor.",
    },
]


def test_export_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_cli("ingest", "-", data_dir=data, stdin="".join(json.dumps(d) + "\n" for d in HOSTILE))
    out = run_cli("export", "--format", "csv", data_dir=data).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for key, cell in row.items():
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (key, cell)
    titles = sorted(r["title"] for r in rows)
    assert titles == sorted("'" + d["title"] for d in HOSTILE)  # kept, only made inert
    plain = run_cli("export", data_dir=data).stdout  # JSON lines carry the stored text
    assert sorted(json.loads(line)["title"] for line in plain.splitlines()) == sorted(
        d["title"] for d in HOSTILE
    )

"""The source registry: config/sources.yaml is complete and valid, mistakes get clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from procradar.core.settings import Settings
from procradar.core.sources import SourcesError, load_sources, validate, validate_all
from tests.conftest import run_cli

REQUIRED_ORGANISATIONS = [
    "Upphandlingsmyndigheten", "Konkurrensverket", "Sveriges Offentliga Inköpare",
    "Upphandling24", "Almega", "Svenskt Näringsliv", "Sveriges Kommuner och Regioner", "Adda",
    "Kammarkollegiet", "Region Skåne", "Region Stockholm", "Västra Götalandsregionen",
    "Stockholms stad", "Göteborgs Stad", "Malmö stad", "Direktoratet for forvaltning",
    "Leverandørutviklingsprogrammet", "KS", "Næringslivets Hovedorganisasjon", "Sykehusinnkjøp",
    "Oslo kommune", "Bergen kommune", "Trondheim kommune", "Statens vegvesen",
    "Digitaliseringsdirektoratet", "Konkurrence- og Forbrugerstyrelsen",
    "Staten og Kommunernes Indkøbsservice", "KL",
]  # fmt: skip


def test_registry_has_40_valid_sources_covering_the_required_organisations() -> None:
    sources = load_sources(Settings().sources_file)
    assert len(sources) >= 40
    assert len({s["id"] for s in sources}) == len(sources)
    names = " | ".join(f"{s['name']} / {s.get('organization')}" for s in sources)
    missing = [org for org in REQUIRED_ORGANISATIONS if org not in names]
    assert not missing
    assert {s["country"] for s in sources} == {"SE", "NO", "DK"}
    assert {"trade_press", "municipality", "region", "cpb", "programme"} <= {
        s["category"] for s in sources
    }
    assert all(s["url"].startswith("https://") and s["languages"] for s in sources)
    assert not any(s["allow_private_network"] for s in sources)


def test_a_source_needs_only_id_and_url() -> None:
    source = validate({"id": "x-kommun", "url": "https://x.se"})
    assert source["url"] == "https://x.se/" and source["name"] == "x-kommun"
    assert source["feeds"] == [] and source["enabled"] and not source["allow_private_network"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"url": "https://x.se/"}, "`id` is required"),
        ({"id": "X Y", "url": "https://x.se/"}, "`id` is required"),
        ({"id": "x"}, "(x): `url` is required"),
        ({"id": "x", "url": "ftp://x.se/"}, "must be an http(s) URL"),
        ({"id": "x", "url": "https://x.se/", "feeds": ["nope"]}, "`feeds` must be an http(s)"),
        ({"id": "x", "url": "https://x.se/", "langauge": "sv"}, "unknown field(s) langauge"),
        ({"id": "x", "url": "https://x.se/", "language": "de"}, "language 'de' is not one of"),
        ({"id": "x", "url": "https://x.se/", "country": "DE"}, "country 'DE' is not one of"),
        ("x", "a source must be a mapping"),
    ],
)
def test_mistakes_are_named(entry: object, message: str) -> None:
    with pytest.raises(SourcesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate(entry, "sources.yaml, entry 1")


def test_duplicate_ids_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="duplicate source id 'a'"):
        validate_all([{"id": "a", "url": "https://a.se"}, {"id": "a", "url": "https://b.se"}])
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources: {id: a}")
    with pytest.raises(SourcesError, match="must hold a list under `sources:`"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "missing.yaml")


def test_sources_list_and_crawl_cli_report_errors_clearly(tmp_path: Path) -> None:
    listed = run_cli("sources", "list", data_dir=tmp_path)
    assert "upphandlingsmyndigheten" in listed.stdout and "never" in listed.stdout
    unknown = run_cli("crawl", "--source", "no-such-source", data_dir=tmp_path, check=False)
    assert unknown.returncode == 2 and "unknown source id(s): no-such-source" in unknown.stderr
    broken = tmp_path / "sources.yaml"
    broken.write_text(yaml.safe_dump({"sources": [{"id": "a"}]}))
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"sources_file": str(broken)}))
    result = run_cli("--config", str(config), "sources", "list", data_dir=tmp_path, check=False)
    assert result.returncode == 1 and "(a): `url` is required" in result.stderr

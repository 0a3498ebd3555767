"""The source catalogue against the gazetteer, and switching sources on and off."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from procradar.core.catalogue import (
    Selector,
    SelectorError,
    add_rule,
    load_catalogue,
    parse_selectors,
    read_rules,
    registry,
)
from procradar.core.resources import CONFIG_DIR
from procradar.core.settings import Settings
from procradar.core.sources import SourcesError
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
IN_SCOPE = {"municipality", "region", "county", "cpb"}
# Buyers the website lists leave without an address (reasons in config/catalogue/websites.yaml).
NO_WEBSITE = {
    "se-cpb-inkop-gavleborg",
    "dk-cpb-statens-indkob",
}


def _gazetteer() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for code in ("se", "no", "dk"):
        for entry in yaml.safe_load((CONFIG_DIR / "gazetteers" / f"{code}.yaml").read_text()):
            out[entry["id"]] = entry
    return out


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> list:
    settings = Settings({"data_dir": str(tmp_path_factory.mktemp("data"))}, environ={})
    return registry(settings)


def test_every_buyer_has_a_source_and_every_source_a_buyer(entries: list) -> None:
    gazetteer = _gazetteer()
    buyers = {i for i, e in gazetteer.items() if e["type"] in IN_SCOPE and not e.get("dissolved")}
    covered = Counter(o for e in entries for o in e.organizations if o in gazetteer)
    assert buyers - set(covered) == set()  # no buyer without a source
    assert [o for o, n in covered.items() if n > 1] == []  # and each in one source only
    for row in load_catalogue():
        assert set(row["organizations"]) <= set(gazetteer), row["id"]  # no source without a buyer
        assert row["organization"] == row["id"] and row["enabled"] is False
        assert row.get("url") or row.get("curated") or row.get("missing_reason"), row["id"]
        if row.get("url"):
            assert row["website_source"], row["id"]  # every address names its list


def test_no_two_sources_share_a_host(entries: list) -> None:
    hosts = Counter(_host(e.url) for e in entries if e.url)
    assert [h for h, n in hosts.items() if n > 1] == []


def test_buyers_without_a_website_are_exactly_the_reported_ones(entries: list) -> None:
    missing = {e.id for e in entries if e.origin == "catalogue" and e.url is None}
    assert missing == NO_WEBSITE
    assert all(e.missing_reason for e in entries if e.id in NO_WEBSITE)


def test_generated_files_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/build_catalogue.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def _listed(tmp_path: Path, *args: str) -> list[dict]:
    out = run_cli("sources", "list", *args, "--json", data_dir=tmp_path)
    return json.loads(out.stdout)


def _ids(entries: list, **selector: str) -> list:
    return [e for e in entries if Selector(**selector).matches(e)]


def test_every_municipality_region_and_county_is_listed_with_a_website(
    tmp_path: Path, entries: list
) -> None:
    se = _listed(tmp_path, "--country", "SE", "--type", "municipality")
    assert len(se) == 290 and all(r["url"] for r in se)
    assert all(r["state"] == "off" for r in se if r["origin"] == "catalogue")
    no = _ids(entries, country="NO", type="municipality")
    assert len(no) == 357 and all(e.url for e in no)
    counties = _ids(entries, country="NO", type="county_municipality")
    assert len(counties) == 15 and all(e.url for e in counties)  # Oslo: oslo-kommune
    dk = _ids(entries, country="DK", type="municipality")
    regions = _ids(entries, country="DK", type="region")
    assert len(dk) == 98 and len(regions) == 5 and all(e.url for e in dk + regions)


def test_enable_by_region_then_disable_one(tmp_path: Path) -> None:
    out = run_cli("sources", "enable", "--country", "SE", "--region", "Skåne", data_dir=tmp_path)
    assert "enabled 34 source(s)" in out.stdout  # 33 municipalities and Region Skåne
    run_cli("sources", "disable", "se-kommun-1293", data_dir=tmp_path)
    on = _listed(tmp_path, "--enabled", "--country", "SE", "--type", "municipality")
    assert len(on) == 32 + 3  # Skåne less Hässleholm; curated Stockholm, Göteborg, Uppsala
    hassleholm = _listed(tmp_path, "--query", "hassleholm")
    assert [(r["id"], r["state"], r["organizations"]) for r in hassleholm] == [
        ("se-kommun-1293", "off", ["se-kommun-1293"])
    ]
    rules = read_rules(tmp_path / "sources-state.yaml")
    assert [(a, s.text()) for a, s in rules] == [
        ("enable", "country=SE,region=Skåne"),
        ("disable", "se-kommun-1293"),
    ]
    bad = run_cli("sources", "enable", "--region", "Atlantis", data_dir=tmp_path, check=False)
    assert bad.returncode == 2 and "no source matches 'region=Atlantis'" in bad.stderr


def test_settings_then_state_rules_decide(tmp_path: Path) -> None:
    settings = Settings(
        {
            "data_dir": str(tmp_path),
            "sources": {"enable": "country=DK,type=region; no-kommune-4631", "disable": "ski"},
        },
        environ={},
    )
    state = {e.id: e.enabled for e in registry(settings)}
    assert state["dk-region-1081"] and state["no-kommune-4631"] and state["region-hovedstaden"]
    assert not state["ski"] and state["adda"] and not state["dk-kommune-851"]
    add_rule(tmp_path / "sources-state.yaml", "enable", Selector(id="ski"))
    add_rule(tmp_path / "sources-state.yaml", "disable", Selector(country="DK", type="region"))
    state = {e.id: e.enabled for e in registry(settings)}
    assert state["ski"] and not state["dk-region-1081"] and not state["region-hovedstaden"]
    add_rule(tmp_path / "sources-state.yaml", "enable", Selector(id="dk-cpb-statens-indkob"))
    assert not {e.id: e.enabled for e in registry(settings)}["dk-cpb-statens-indkob"]  # no website


def test_selectors_parse_and_reject_clearly(entries: list) -> None:
    assert parse_selectors("country=NO,region=Vestland ; sykehusinnkjop") == [
        Selector(country="NO", region="Vestland"),
        Selector(id="sykehusinnkjop"),
    ]
    vestland = [e for e in entries if Selector(country="NO", region="Vestland").matches(e)]
    assert len(vestland) == 43 + 1  # its municipalities and the county municipality
    goteborg = [e.id for e in entries if Selector(region="Västra Götaland").matches(e)]
    assert "goteborgs-stad" in goteborg and "se-kommun-1490" in goteborg
    for text in ("country=", "colour=red", "country=SE,=x"):
        with pytest.raises(SelectorError, match="key=value"):
            Selector.parse(text)
    settings = Settings({"sources": {"enable": "flavour=sweet"}}, environ={})
    with pytest.raises(SourcesError, match="sources.enable"):
        registry(settings)

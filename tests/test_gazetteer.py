"""The gazetteers in config/gazetteers and the matcher in enrichment.gazetteer."""

import re
from collections import Counter
from pathlib import Path

import pytest

from enrichment.gazetteer import Gazetteer, load_entries, load_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _count(gaz: Gazetteer, country: str, kind: str) -> int:
    return sum(1 for e in gaz.entries if (e.country, e.type) == (country, kind) and not e.dissolved)


@pytest.mark.parametrize(
    ("country", "kind", "expected"),
    [
        ("SE", "municipality", 290),
        ("SE", "region", 21),
        ("NO", "municipality", 357),
        ("NO", "county", 15),
        ("DK", "municipality", 98),
        ("DK", "region", 5),
        ("FI", "municipality", 309),
        ("FI", "county", 21),  # wellbeing services counties
        ("FI", "region", 19),  # 18 regional councils and Åland
    ],
)
def test_official_counts(gaz: Gazetteer, country: str, kind: str, expected: int) -> None:
    assert _count(gaz, country, kind) == expected


def test_municipality_ids_carry_official_codes(gaz: Gazetteer) -> None:
    # Finnish ids are by name: fi.yaml's codes were not checked against the register.
    patterns = {
        "SE": r"se-kommun-\d{4}",
        "NO": r"no-kommune-\d{4}",
        "DK": r"dk-kommune-\d{3}",
        "FI": r"fi-kunta-[a-z-]+",
    }
    # Mostly a company or an ordinary word in news, so no bare place name (fi.yaml header).
    no_place = {"fi-kunta-nokia", "fi-kunta-outokumpu", "fi-kunta-sund"}
    for e in gaz.entries:
        if e.type == "municipality":
            assert re.fullmatch(patterns[e.country], e.id), e.id
            assert e.region, e.id
            assert bool(e.place) != (e.id in no_place), e.id


def test_every_municipality_has_a_current_region_of_its_country(gaz: Gazetteer) -> None:
    members: Counter[str] = Counter()
    for e in gaz.entries:
        if e.type == "municipality":
            region = gaz.region_of(e)
            assert region is not None and region.country == e.country, e.id
            assert not region.dissolved, e.id
            members[region.id] += 1
    assert members["se-region-14"] == 49  # Västra Götaland
    assert members["no-fylke-32"] == 21  # Akershus after 2024
    assert members["dk-region-1084"] == 29  # Hovedstaden
    assert members["fi-hva-pirkanmaa"] == 23
    assert members["fi-maakunta-aland"] == 16


@pytest.mark.parametrize(
    ("entry_id", "name", "region"),
    [
        ("se-kommun-1293", "Hässleholms kommun", "Region Skåne"),
        ("se-kommun-2080", "Falu kommun", "Region Dalarna"),
        ("se-kommun-0880", "Kalmar kommun", "Region Kalmar län"),
        ("no-kommune-1508", "Ålesund kommune", "Møre og Romsdal"),
        ("no-kommune-1580", "Haram kommune", "Møre og Romsdal"),
        ("no-kommune-3301", "Drammen kommune", "Buskerud"),
        ("no-kommune-3201", "Bærum kommune", "Akershus"),
        ("no-kommune-3905", "Tønsberg kommune", "Vestfold"),
        ("no-kommune-4602", "Kinn kommune", "Vestland"),
        ("no-kommune-5501", "Tromsø kommune", "Troms"),
        ("dk-kommune-751", "Aarhus Kommune", "Region Midtjylland"),
        ("dk-kommune-400", "Bornholms Regionskommune", "Region Hovedstaden"),
        ("fi-kunta-tampere", "Tampereen kaupunki", "Pirkanmaan hyvinvointialue"),
        ("fi-kunta-mustasaari", "Korsholms kommun", "Pohjanmaan hyvinvointialue"),
        ("fi-kunta-kuhmoinen", "Kuhmoisten kunta", "Pirkanmaan hyvinvointialue"),
    ],
)
def test_known_facts(gaz: Gazetteer, entry_id: str, name: str, region: str) -> None:
    entry = gaz.get(entry_id)
    assert entry is not None
    assert (entry.name, entry.region) == (name, region)


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Region Skånes", "se-region-12"),
        ("Hässleholms kommuns", "se-kommun-1293"),
        ("Upphandlingsmyndighetens", "se-agency-upphandlingsmyndigheten"),
        ("Konkurrensverkets", "se-agency-konkurrensverket"),
        ("SKR:s", "se-association-skr"),
        ("UHM", "se-agency-upphandlingsmyndigheten"),
        ("Statens inköpscentral", "se-cpb-kammarkollegiet"),
        ("Göteborgs Stad", "se-kommun-1480"),
        ("förvaltningsrätten i Malmö", "se-court-fr-malmo"),
        ("Oslo kommunes", "no-kommune-0301"),
        ("Difis", "no-agency-dfo"),
        ("DFØ", "no-agency-dfo"),
        ("KS's", "no-association-ks"),
        ("Statens Vegvesen", "no-agency-statens-vegvesen"),
        ("KLs", "dk-association-kl"),
        ("SKIs", "dk-cpb-ski"),
        ("Region Midtjyllands", "dk-region-1082"),
        ("EU-kommisjonen", "eu-agency-european-commission"),
        ("region skåne", "se-region-12"),
        ("REGION SKÅNE", "se-region-12"),
    ],
)
def test_lookup_resolves_names_aliases_and_genitives(
    gaz: Gazetteer, name: str, entry_id: str
) -> None:
    entry = gaz.lookup(name)
    assert entry is not None and entry.id == entry_id


@pytest.mark.parametrize(
    "name", ["kommunen", "ks", "Ks", "ski", "Ski", "kl", "skr", "dfø", "nye veier", "Regionen", ""]
)
def test_lookup_rejects_ordinary_words_and_miscased_acronyms(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None


def test_former_names_point_at_todays_bodies(gaz: Gazetteer) -> None:
    difi, digdir = gaz.lookup("Difi"), gaz.lookup("Digdir")
    assert difi is not None and digdir is not None
    assert difi.id == "no-agency-dfo" and "Difi" in difi.former_names
    assert digdir.id == "no-agency-digdir" != difi.id
    assert _lookup_id(gaz, "SKL") == "se-association-skr"
    assert _lookup_id(gaz, "Moderniseringsstyrelsen") == "dk-agency-okonomistyrelsen"
    assert _lookup_id(gaz, "Ski kommune") == "no-kommune-3207"  # Nordre Follo since 2020
    assert _lookup_id(gaz, "Hedmark fylkeskommune") == "no-fylke-34"  # Innlandet


@pytest.mark.parametrize(
    ("name", "successors"),
    [
        ("Viken", {"Østfold", "Akershus", "Buskerud"}),
        ("Vestfold og Telemark fylkeskommune", {"Vestfold", "Telemark"}),
        ("Troms og Finnmarks", {"Troms", "Finnmark"}),
    ],
)
def test_dissolved_counties_link_to_successors(
    gaz: Gazetteer, name: str, successors: set[str]
) -> None:
    entry = gaz.lookup(name)
    assert entry is not None and entry.dissolved == 2024
    assert {s.place for s in gaz.successors(entry)} == successors


def test_shared_names_are_ambiguous_until_qualified(gaz: Gazetteer) -> None:
    assert gaz.lookup("Herøy kommune") is None
    assert _lookup_id(gaz, "Herøy (Nordland)") == "no-kommune-1818"
    assert {e.id for e in gaz.place_entries("Herøy")} == {"no-kommune-1515", "no-kommune-1818"}
    assert {e.country for e in gaz.place_entries("Lund")} == {"SE", "NO"}


def test_find_returns_longest_non_overlapping_mentions(gaz: Gazetteer) -> None:
    text = (
        "Statens inköpscentral vid Kammarkollegiet och Hässleholms kommun träffade SKR:s "
        "jurister; Upphandlingsmyndighetens stöd nämndes, liksom förvaltningsrätten i Malmö."
    )
    matches = gaz.find(text)
    assert [m.entry.id for m in matches] == [
        "se-cpb-kammarkollegiet",
        "se-kommun-1293",
        "se-association-skr",
        "se-agency-upphandlingsmyndigheten",
        "se-court-fr-malmo",
    ]
    assert matches[0].surface == "Statens inköpscentral vid Kammarkollegiet"
    assert all(text[m.start : m.end] == m.surface for m in matches)


def test_find_in_norwegian_and_danish(gaz: Gazetteer) -> None:
    no = "Oslo kommunes innkjøpere møtte KS, Difis etterfølger DFØ og Nye Veier AS i Tromsø."
    assert [m.surface for m in gaz.find(no)] == [
        "Oslo kommunes",
        "KS",
        "Difis",
        "DFØ",
        "Nye Veier AS",
    ]
    da = "KLs udspil blev drøftet med SKI, Danske Regioner og Klagenævnet for Udbud i Aarhus."
    assert [m.entry.id for m in gaz.find(da)] == [
        "dk-association-kl",
        "dk-cpb-ski",
        "dk-association-danske-regioner",
        "dk-review-klagenaevnet-for-udbud",
    ]


def test_find_acronyms_in_hyphenated_compounds(gaz: Gazetteer) -> None:
    text = "KOFA-praksis og SKI-aftaler, men ikke Ski-VM eller ks-ledere."
    assert [(m.surface, m.entry.id) for m in gaz.find(text)] == [
        ("KOFA", "no-review-kofa"),
        ("SKI", "dk-cpb-ski"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen har beslutat att regionen ska vara med när mark köps in.",
        "Vi gikk på ski, og det tok en time. Ks og kl er ikke forkortelser her.",
        "Det bygges nye veier, og en sund kommune har orden i økonomien.",
        "Danske regioner og dansk industri har mange virksomheder.",
        "Alla företagarna i byn och byggföretagen i regionen var nöjda.",
    ],
)
def test_find_ignores_ordinary_words(gaz: Gazetteer, text: str) -> None:
    assert gaz.find(text) == []


def test_find_can_be_limited_to_countries(gaz: Gazetteer) -> None:
    text = "DI skriver om SKR."
    assert [m.entry.country for m in gaz.find(text)] == ["DK", "SE"]
    assert [m.entry.id for m in gaz.find(text, countries={"SE", "EU"})] == ["se-association-skr"]


def test_find_places_maps_municipality_names(gaz: Gazetteer) -> None:
    text = "Mötet hålls i Hässleholm. Møtet holdes i Tromsø. Mødet holdes i Aarhus og i Århus."
    places = gaz.find_places(text)
    assert [p.place for p in places] == ["Hässleholm", "Tromsø", "Aarhus", "Aarhus"]
    assert places[0].entries[0].id == "se-kommun-1293"


@pytest.mark.parametrize(
    "text",
    [
        "Mark är dyr i år. Anna Lund ledde mötet.",
        "Hole i veien ble tettet. Vik unna! Nes er et ord, Anne Vik et navn.",
        "Vejen er lang. Skive af brød.",
        "VIK OG NES I NYHETENE",
    ],
)
def test_find_places_ignores_ordinary_words(gaz: Gazetteer, text: str) -> None:
    assert gaz.find_places(text) == []


def test_ordinary_word_places_count_mid_sentence(gaz: Gazetteer) -> None:
    text = "Skolan byggs i Mark. Vi flytter til Vik. Hole kommune og Nes kommune samarbeider."
    assert [p.place for p in gaz.find_places(text)] == ["Mark", "Vik", "Hole", "Nes"]


def test_find_on_a_long_text_finds_every_mention(gaz: Gazetteer) -> None:
    # Its speed is measured by bench/enrich.py, not asserted here (shared machines vary).
    sentence = (
        "Hässleholms kommun och Region Skåne bjuder in till leverantörsträff om klimatkrav i "
        "livsmedelsupphandlingar; Upphandlingsmyndigheten, Konkurrensverket, SKR och Adda deltar "
        "i Hässleholm, och Oslo kommune, DFØ och KL följer arbetet. "
    )
    text = " ".join((sentence * 20).split()[:400])
    assert len(gaz.find(text)) > 50
    assert {m.entry.name for m in gaz.find(sentence)} >= {"Region Skåne", "Konkurrensverket"}


def test_loader_reports_unquoted_norway(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "- {id: no-x, name: X kommune, type: municipality, country: NO}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match='quote "NO"'):
        load_entries(tmp_path)


def test_loader_rejects_unknown_fields_and_successors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- {id: a, name: A, type: agency, country: SE, alias: [B]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown field"):
        load_entries(tmp_path)
    path.write_text(
        "- {id: a, name: A, type: agency, country: SE, successors: [b]}\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="unknown successors"):
        load_entries(tmp_path)


def _lookup_id(gaz: Gazetteer, name: str) -> str | None:
    entry = gaz.lookup(name)
    return entry.id if entry else None


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("City of Copenhagen", "dk-kommune-101"),
        ("the Municipality of Bergen", "no-kommune-4601"),
        ("Norrtälje Municipality", "se-kommun-0188"),
        ("Vestland County Council", "no-fylke-46"),
        ("Klagenemnda for offentlege anskaffingar", "no-review-kofa"),
        ("Norwegian Agency for Public and Financial Management", "no-agency-dfo"),
    ],
)
def test_lookup_knows_english_and_nynorsk_names(gaz: Gazetteer, name: str, entry_id: str) -> None:
    entry = gaz.lookup(name)
    assert entry is not None and entry.id == entry_id
    assert gaz.lookup("City of Atlantis") is None

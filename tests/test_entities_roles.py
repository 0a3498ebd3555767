"""Organisations beyond the gazetteer and their roles (enrichment/organizations.py)."""

from __future__ import annotations

from enrichment.entities import find_entities


def roles(text: str, language: str = "sv") -> dict[str, tuple[str, str, str]]:
    """name -> (role, type, country)"""
    return {
        o.name: (o.role, o.type, o.country) for o in find_entities(text, language).organizations
    }


def test_company_suffixes_give_supplier_and_country() -> None:
    found = roles(
        "Kontraktet gick till Nobina Sverige AB. I Norge kör Tide Buss AS, i Danmark kör "
        "Arriva Danmark A/S, medan Hansel Oy köper för Finland."
    )
    assert found["Nobina Sverige AB"] == ("supplier", "company", "SE")
    assert found["Tide Buss AS"] == ("supplier", "company", "NO")
    assert found["Arriva Danmark A/S"] == ("supplier", "company", "DK")


def test_sentence_opening_words_are_not_part_of_the_name() -> None:
    found = roles("Bussbolaget Nobina AB vann. Matverket Nord AS leverer fisk.", "nb")
    assert "Nobina AB" in found and "Bussbolaget Nobina AB" not in found
    # "Matverket" stays: what is left ("Nord AS") is no name on its own.
    assert "Matverket Nord AS" in found


def test_organisation_numbers_and_the_swedish_legal_form() -> None:
    found = roles(
        "Avtalet tecknades med Norrlandsgrus, organisationsnummer 556677-8899. "
        "Föreningen Svensk Markbyggnad (802411-1234) yttrade sig."
    )
    assert found["Norrlandsgrus"] == ("supplier", "company", "SE")
    assert found["Svensk Markbyggnad"][0] == "association" or (
        found.get("Föreningen Svensk Markbyggnad", ("",))[0] == "association"
    )
    text = "Vi anlitade Grus och Sten, org.nr. 987 654 321."
    numbered = {o.name: o.id for o in find_entities(text, "nb").organizations}
    assert "987 654 321" in numbered.values()


def test_context_makes_a_bare_name_a_supplier_and_a_person_is_no_organisation() -> None:
    found = roles(
        "Skyss har signert kontrakt med Vy Buss for nye ruter. Vy Buss vant konkurransen, "
        "sier Kari Nordmann, innkjøpssjef.",
        "nb",
    )
    assert found["Vy Buss"] == ("supplier", "company", "NO")
    assert found["Skyss"][0] == "buyer"
    assert "Kari Nordmann" not in found


def test_short_form_joins_the_registered_name() -> None:
    found = roles(
        "Bodø kommune har tildelt kontrakten til Salten Bygg AS. Salten Bygg fikk best score.",
        "nb",
    )
    assert "Salten Bygg" not in found
    assert found["Salten Bygg AS"][0] == "supplier"


def test_courts_authorities_and_associations() -> None:
    found = roles(
        "Saken gikk fra Salten og Lofoten tingrett til Hålogaland lagmannsrett. Datatilsynet "
        "og Maskinentreprenørenes Forbund uttalte seg, og Legemiddelindustrien (LMI) også.",
        "nb",
    )
    assert found["Salten og Lofoten tingrett"][0] == "court"
    assert found["Hålogaland lagmannsrett"][0] == "court"
    assert found["Datatilsynet"][:2] == ("authority", "agency")
    assert found["Maskinentreprenørenes Forbund"][0] == "association"
    assert found["Legemiddelindustrien"][0] == "association"
    assert found["LMI"][0] == "association"
    swedish = roles("Förvaltningsrätten i Malmö gav Konkurrensverket rätt; förvaltningsrätten sa")
    assert swedish["Förvaltningsrätten i Malmö"][0] == "court"
    assert swedish["Konkurrensverket"][0] == "authority"
    assert not any(name.lower() == "förvaltningsrätten" for name in swedish)


def test_agencies_buy_when_the_sentence_says_so() -> None:
    assert (
        roles("Upphandlingsmyndigheten ger ut en ny vägledning.")["Upphandlingsmyndigheten"][0]
        == "authority"
    )
    assert (
        roles("Naturvårdsverket upphandlar konsulter för miljöövervakning.")["Naturvårdsverket"][0]
        == "buyer"
    )
    assert roles("Trafikverket bygger om väg 40.")["Trafikverket"][0] == "buyer"  # gazetteer role


def test_bare_municipalities_in_a_list_of_buyers() -> None:
    found = roles("Götene, Skara och Vara upphandlar skolskjuts tillsammans.")
    assert {"Götene kommun", "Skara kommun", "Vara kommun"} <= set(found)
    assert found["Skara kommun"][0] == "buyer"
    # Only where the road runs: places, not buyers.
    places = roles("Kontrakten gjelder 870 kilometer veg i Namsos, Overhalla og Grong.", "nb")
    assert "Namsos kommune" not in places


def test_ordinary_capitalised_words_are_not_organisations() -> None:
    found = roles("Slik kjøper du riktig. Ändå vann ingen. I dag startar arbetet.", "nb")
    assert found == {}


def test_a_short_back_reference_is_the_body_named_before() -> None:
    found = roles(
        "Klagenævnet for Udbud har givet Falck Danmark A/S medhold. Klagenævnet finder, at "
        "Falcks tilbud var i orden. Veidekke Entreprenør AS bød også, men Veidekke tabte.",
        "da",
    )
    assert set(found) == {"Klagenævnet for Udbud", "Falck Danmark A/S", "Veidekke Entreprenør AS"}
    english = roles(
        "The Swedish Competition Authority has asked the court to act. According to the "
        "Authority, the deadline was missed.",
        "en",
    )
    assert set(english) == {"Konkurrensverket"}


def test_words_for_a_kind_of_body_are_no_names() -> None:
    found = roles(
        "Företagarna har frågat medlemmarna. Förbundet vill se enklare krav. Föreningen "
        "Svensk Kollektivtrafik håller med. Branschorganisationen har inte svarat."
    )
    assert set(found) == {"Företagarna", "Svensk Kollektivtrafik"}
    assert roles("EØS-regelverket gjelder. Regelverket er nytt, sier KS.", "nb") == {
        "KS": ("association", "association", "NO")
    }


def test_english_names_with_a_head_noun_and_small_words_inside() -> None:
    found = roles(
        "A report by the Nordic Council of Ministers was welcomed by the Market Court and "
        "the Nordic Pharmaceutical Forum. The Administrative Court in Oslo agreed.",
        "en",
    )
    assert found["Nordic Council of Ministers"][0] == "association"
    assert found["Market Court"][0] == "court"
    assert found["Nordic Pharmaceutical Forum"][0] == "other"
    assert found["Administrative Court in Oslo"][0] == "court"


def test_municipalities_named_the_english_way() -> None:
    found = roles(
        "The City of Copenhagen and Norrtälje Municipality buy together with Vestland County "
        "Council.",
        "en",
    )
    assert {"Københavns Kommune", "Norrtälje kommun", "Vestland fylkeskommune"} <= set(found)
    assert found["Københavns Kommune"][0] == "buyer"


def test_a_branch_of_a_national_association_is_its_own_body() -> None:
    found = roles(
        "NHO Service og Handel og NHO Arktis er enige med KS. KS Innkjøpskonferanse samler mange.",
        "nb",
    )
    assert {"NHO Service og Handel", "NHO Arktis", "KS"} == set(found)


def test_an_article_opens_some_danish_and_norwegian_names() -> None:
    found = roles(
        "Esbjerg Kommune har valgt Det Sunde Køkken ApS. Det Norske Teatret har skrive "
        "kontrakt med Sceneteknikk AS.",
        "da",
    )
    assert found["Det Sunde Køkken ApS"][0] == "supplier"
    assert found["Det Norske Teatret"][0] == "buyer"


def test_bidders_named_in_a_relative_clause_or_by_an_acronym() -> None:
    found = roles("Kolumbus valgte Boreal. Vy Buss og Tide, som også leverte tilbud, tapte.", "nb")
    assert found["Tide"][0] == "supplier"
    swedish = roles("ISS, som har haft uppdraget sedan 2019, har begärt överprövning. LOU gäller.")
    assert swedish == {"ISS": ("supplier", "company", "SE")}


def test_a_regional_body_keeps_its_region() -> None:
    found = roles("Länsstyrelsen i Gotlands län granskar. Bymiljøetaten i Oslo kommune kjøper.")
    assert "Länsstyrelsen i Gotlands län" in found
    assert "Bymiljøetaten" in found and "Oslo kommune" in found


def test_a_name_that_opens_with_a_suspended_compound() -> None:
    found = roles("Vann- og avløpsetaten har lyst ut. Lov- og regelverket er nytt.", "nb")
    assert found == {"Vann- og avløpsetaten": ("authority", "agency", "NO")}


def test_the_states_county_office_is_named_with_its_county() -> None:
    found = roles("Statsforvalteren i Vestland deltar. Statsforvalteren sier ja.", "nb")
    assert found == {"Statsforvalteren i Vestland": ("authority", "agency", "NO")}


def test_every_bidder_in_a_list_before_the_verb() -> None:
    found = roles("Peab och NCC lämnade anbud, men Skanska Sverige AB vann.")
    assert found["Peab"][0] == found["NCC"][0] == "supplier"
    assert roles("Atea, Dustin og Komplett vant rammeavtalen.", "nb")["Dustin"][0] == "supplier"


def test_a_supplier_named_in_apposition_or_after_what_it_was_awarded() -> None:
    found = roles("After the evaluation a new supplier, Brightline, would win the tender.", "en")
    assert found["Brightline"][0] == "supplier"
    found = roles(
        "Statsbygg har tildelt totalentreprisen for det nye kontorbygget ved havna til Veiding.",
        "nb",
    )
    assert found["Veiding"][0] == "supplier"


def test_a_company_after_a_common_noun_and_its_town_is_a_supplier() -> None:
    found = roles("Bageriet Mjölnarboden i Ljungby har fått uppdraget att leverera bröd.")
    assert found == {"Mjölnarboden": ("supplier", "company", "SE")}


def test_a_national_company_named_without_its_country_is_one_company() -> None:
    found = roles("Transbuss Sverige AB har vunnit upphandlingen. Transbuss fick högst poäng.")
    assert list(found) == ["Transbuss Sverige AB"]


def test_bare_municipalities_named_by_the_noun_before_or_in_an_agreement() -> None:
    found = roles("Först ut att avropa är kommunerna Umeå, Vännäs och Bjurholm.")
    assert {"Umeå kommun", "Vännäs kommun", "Bjurholms kommun"} <= set(found)
    found = roles("Luster og Årdal er med i avtalen.", "nn")
    assert found["Luster kommune"][0] == "buyer" and "Årdal kommune" in found
    # beside a municipality named in full, with another body between
    found = roles("Konkurranser som Bærum kommune, Oslobygg KF og Asker har gjennomført.", "nb")
    assert "Asker kommune" in found
    # where, not who
    assert roles(
        "Helse Vest deltar i planleggingen av møter i Bergen og Stavanger.", "nb"
    ).keys() <= {"Helse Vest RHF"}


def test_names_listed_beside_a_company_are_companies() -> None:
    found = roles("Tolv leverantörer får avtal, bland dem Knowit Sverige AB, Tietoevry och Sogeti.")
    assert found["Tietoevry"][0] == found["Sogeti"][0] == "supplier"
    found = roles("Regionen har tecknat avtal med Mediq Sverige AB och danska Abena.")
    assert found["Abena"][0] == "supplier"
    # a place in the list is still a place
    assert "Uppsala" not in roles("Avtalet med Nobina AB gäller i Stockholm och Uppsala.")


def test_universities_are_named_in_passing_unless_they_buy() -> None:
    found = roles(
        "Forskere ved Copenhagen Business School og Aarhus Universitet har fulgt det.", "da"
    )
    assert found["Copenhagen Business School"][0] == found["Aarhus Universitet"][0] == "other"
    found = roles("Bygget ved Universitetet i Agder er tildelt.", "nb")
    assert found["Universitetet i Agder"][0] == "other"
    assert roles("The University of Bergen has procured new microscopes.", "en") == {
        "University of Bergen": ("buyer", "other", "NO")
    }


def test_a_local_branch_of_an_association_and_the_unions() -> None:
    found = roles("Företagarna Luleå och Byggnads kritiserar upphandlingen.")
    assert found["Företagarna Luleå"][0] == found["Byggnads"][0] == "association"
    found = roles("Enligt Almega Tjänsteföretagen och Unionen saknas krav.")
    assert "Almega Tjänsteföretagen" in found and "Unionen" in found


def test_a_company_introduced_by_a_common_noun_for_companies() -> None:
    assert (
        roles("Sandoz A/S vandt over originalproducenten Medivo.", "da")["Medivo"][0] == "supplier"
    )
    assert roles("Oppdraget gikk til gårdsmeieriet Lia Melk.", "nb")["Lia Melk"][0] == "supplier"
    assert roles("Among the bidders was the bus maker Yuton.", "en")["Yuton"][0] == "supplier"
    assert roles("Bolaget har kontor i Malmö och Lund.") == {}


def test_norwegian_public_enterprises_buy_unless_they_bid() -> None:
    assert roles("Oppdraget er lyst ut av Bybygg KF.", "nb")["Bybygg KF"][0] == "buyer"
    assert roles("Fjordavfall IKS vant konkurransen.", "nb")["Fjordavfall IKS"][0] == "supplier"
    assert roles("Konkurranseklagenemnda opprettholdt vedtaket.", "nb") == {
        "Konkurranseklagenemnda": ("court", "review_body", "NO")
    }


def test_finnish_cities_named_bare_as_joint_buyers() -> None:
    found = roles("I höst upphandlar Vasa, Jyväskylä och Kuopio skolmat tillsammans.", "sv")
    for name in ("Vaasan kaupunki", "Jyväskylän kaupunki", "Kuopion kaupunki"):
        assert found[name] == ("buyer", "municipality", "FI")
    english = roles("Lahti and Porvoo signed a joint framework agreement for school buses.", "en")
    assert {"Lahden kaupunki", "Porvoon kaupunki"} <= set(english)
    assert {country for _, _, country in english.values()} == {"FI"}

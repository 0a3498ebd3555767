"""The ids of shared/taxonomy.md (a contract: never rename) and their labels in sv, nb and en."""

from __future__ import annotations

TOPIC_LABELS: dict[str, dict[str, str]] = {
    "innovation": {"sv": "Innovation", "nb": "Innovasjon", "en": "Innovation"},
    "dialogue": {
        "sv": "Dialog med leverantörer",
        "nb": "Leverandørdialog",
        "en": "Supplier dialogue",
    },
    "climate_environment": {
        "sv": "Klimat och miljö",
        "nb": "Klima og miljø",
        "en": "Climate and environment",
    },
    "social_ethical": {
        "sv": "Sociala och etiska krav",
        "nb": "Sosiale og etiske krav",
        "en": "Social and ethical requirements",
    },
    "digitalisation": {"sv": "Digitalisering", "nb": "Digitalisering", "en": "Digitalisation"},
    "sme": {"sv": "Små företag", "nb": "Små og mellomstore bedrifter", "en": "SMEs"},
    "legal": {
        "sv": "Juridik och överprövning",
        "nb": "Regelverk og klager",
        "en": "Law and review",
    },
    "award_criteria": {
        "sv": "Utvärdering och krav",
        "nb": "Tildelingskriterier",
        "en": "Award criteria",
    },
    "strategy_competence": {
        "sv": "Strategi och kompetens",
        "nb": "Strategi og kompetanse",
        "en": "Strategy and competence",
    },
    "healthcare": {"sv": "Hälso- och sjukvård", "nb": "Helse og omsorg", "en": "Healthcare"},
    "construction": {"sv": "Bygg och anläggning", "nb": "Bygg og anlegg", "en": "Construction"},
    "transport": {"sv": "Transport", "nb": "Transport", "en": "Transport"},
    "food": {"sv": "Livsmedel och måltider", "nb": "Mat og måltider", "en": "Food"},
}

KIND_LABELS: dict[str, dict[str, str]] = {
    "news": {"sv": "Nyhet", "nb": "Nyhet", "en": "News"},
    "event_report": {
        "sv": "Rapport från evenemang",
        "nb": "Referat fra arrangement",
        "en": "Event report",
    },
    "event_announcement": {"sv": "Inbjudan", "nb": "Invitasjon", "en": "Event"},
    "procurement_plan": {
        "sv": "Upphandlingsplan",
        "nb": "Anskaffelsesplan",
        "en": "Procurement plan",
    },
    "guidance": {"sv": "Vägledning", "nb": "Veiledning", "en": "Guidance"},
}

LANGUAGE_LABELS: dict[str, dict[str, str]] = {
    "sv": {"sv": "svenska", "nb": "svensk", "en": "Swedish"},
    "nb": {"sv": "norska (bokmål)", "nb": "bokmål", "en": "Norwegian Bokmål"},
    "nn": {"sv": "nynorska", "nb": "nynorsk", "en": "Norwegian Nynorsk"},
    "da": {"sv": "danska", "nb": "dansk", "en": "Danish"},
    "fi": {"sv": "finska", "nb": "finsk", "en": "Finnish"},
    "en": {"sv": "engelska", "nb": "engelsk", "en": "English"},
}

TOPICS: tuple[str, ...] = tuple(TOPIC_LABELS)
KINDS: tuple[str, ...] = tuple(KIND_LABELS)
LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_LABELS)

# What an organisation named in an article is to procurement (organizations[].role).
ROLE_LABELS: dict[str, dict[str, str]] = {
    "buyer": {"sv": "Upphandlande organisation", "nb": "Oppdragsgiver", "en": "Buyer"},
    "supplier": {"sv": "Leverantör / företag", "nb": "Leverandør / selskap", "en": "Supplier"},
    "association": {"sv": "Förening / bransch", "nb": "Forening / bransje", "en": "Association"},
    "authority": {"sv": "Myndighet", "nb": "Myndighet", "en": "Authority / agency"},
    "court": {"sv": "Domstol", "nb": "Domstol", "en": "Court"},
    "other": {"sv": "Övrig", "nb": "Annen", "en": "Other"},
}
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)

# Countries procradar knows (sources, organisations, facets). One definition: import it.
COUNTRY_LABELS: dict[str, dict[str, str]] = {
    "SE": {"sv": "Sverige", "nb": "Sverige", "en": "Sweden"},
    "NO": {"sv": "Norge", "nb": "Norge", "en": "Norway"},
    "DK": {"sv": "Danmark", "nb": "Danmark", "en": "Denmark"},
    "FI": {"sv": "Finland", "nb": "Finland", "en": "Finland"},
    "EU": {"sv": "EU", "nb": "EU", "en": "EU"},
}
COUNTRIES: tuple[str, ...] = tuple(COUNTRY_LABELS)

# Danish labels, kept in one block so the tables above stay readable.
_DA: dict[str, dict[str, str]] = {
    "topic": {
        "innovation": "Innovation",
        "dialogue": "Leverandørdialog",
        "climate_environment": "Klima og miljø",
        "social_ethical": "Sociale og etiske krav",
        "digitalisation": "Digitalisering",
        "sme": "Små og mellemstore virksomheder",
        "legal": "Jura og klager",
        "award_criteria": "Tildelingskriterier",
        "strategy_competence": "Strategi og kompetence",
        "healthcare": "Sundhed og pleje",
        "construction": "Byggeri og anlæg",
        "transport": "Transport",
        "food": "Fødevarer og måltider",
    },
    "kind": {
        "news": "Nyhed",
        "event_report": "Referat fra arrangement",
        "event_announcement": "Invitation",
        "procurement_plan": "Indkøbsplan",
        "guidance": "Vejledning",
    },
    "language": {
        "sv": "svensk",
        "nb": "norsk (bokmål)",
        "nn": "nynorsk",
        "da": "dansk",
        "fi": "finsk",
        "en": "engelsk",
    },
    "role": {
        "buyer": "Ordregiver",
        "supplier": "Leverandør / virksomhed",
        "association": "Forening / branche",
        "authority": "Myndighed",
        "court": "Domstol",
        "other": "Anden",
    },
    "country": {"SE": "Sverige", "NO": "Norge", "DK": "Danmark", "FI": "Finland", "EU": "EU"},
}
for _name, _table in (
    ("topic", TOPIC_LABELS),
    ("kind", KIND_LABELS),
    ("language", LANGUAGE_LABELS),
    ("role", ROLE_LABELS),
    ("country", COUNTRY_LABELS),
):
    for _id, _label in _DA[_name].items():
        _table[_id]["da"] = _label

# What each topic and kind covers, for docs/taxonomy.md and the web's help (in English).
TOPIC_HELP: dict[str, str] = {
    "innovation": "Buying new solutions: innovation procurement, innovation partnerships, "
    "pre-commercial procurement, procurement that leaves room for new ideas.",
    "dialogue": "Buyers and suppliers talking before and during a procurement: early and "
    "market dialogue, supplier meetings and breakfasts, RFIs, hearings, supplier development.",
    "climate_environment": "Climate and environmental requirements: emissions, fossil-free "
    "fuels and machinery, circular economy, energy use, the green transition.",
    "social_ethical": "Social and ethical requirements: labour-law conditions, wages, "
    "apprentices, employment requirements, human rights in supply chains, fair trade.",
    "digitalisation": "Digital and e-procurement: e-invoicing, e-ordering, data, AI and the "
    "IT systems buyers use.",
    "sme": "Access for small, medium-sized and local firms: lots, bid schools, local "
    "suppliers, social enterprises.",
    "legal": "Law and review: procurement acts (LOU, LUF, anskaffelsesloven, udbudsloven), "
    "thresholds, appeals, court and complaints-board rulings, supervision, EU directives.",
    "award_criteria": "How tenders are specified and evaluated: price against quality, "
    "functional specifications, life-cycle cost, value for money.",
    "strategy_competence": "Procurement strategy and organisation: national strategies, "
    "purchasing skills, category management, leadership, maturity surveys.",
    "healthcare": "Health and care purchasing: hospitals, medicines, medical devices, care "
    "for the elderly.",
    "construction": "Building, civil engineering, infrastructure and property.",
    "transport": "Vehicles, buses and public transport, ferries, fleets and fuel.",
    "food": "Food, meals and catering in schools, care homes and other public kitchens.",
}
KIND_HELP: dict[str, str] = {
    "news": "A news item or an analysis.",
    "event_report": "A report from a conference, supplier meeting or seminar that has taken place.",
    "event_announcement": "An invitation to, or the programme of, an event still to come: a "
    "date, often a place and a way to register.",
    "procurement_plan": "A list or announcement of planned procurements, purchasing volumes "
    "or forecasts.",
    "guidance": "A guide, policy, handbook or how-to.",
}
ROLE_HELP: dict[str, str] = {
    "buyer": "A public body buying in the text (municipality, region, agency, central "
    "purchasing body).",
    "supplier": "A company: bidder, winner, contractor, operator.",
    "association": "An association, federation or industry body.",
    "authority": "An agency or regulator acting as such, or a public body that is not buying "
    "in the text.",
    "court": "A court or complaints board ruling on procurement (förvaltningsrätt, KOFA, "
    "Klagenævnet for Udbud).",
    "other": "Anything else: programmes, networks, institutions named in passing.",
}

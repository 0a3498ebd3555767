"""A small hand-written corpus for the index contract suite (sv, nb, nn, da, en).

Each article is built to test one behaviour; the tests name them by their short key.
"""

from __future__ import annotations

from procradar.core.models import Article, Event, Organization

BASE = "https://example.test/"


def _org(
    name: str, country: str, type_: str = "municipality", region: str | None = None
) -> Organization:
    return Organization(name=name, type=type_, country=country, region=region)


def corpus() -> dict[str, Article]:
    docs = [
        Article(
            url=BASE + "sv-klimat",
            title="Umeå kommun skärper klimatkraven i byggupphandlingar",
            published="2026-03-12",
            language="sv",
            kind="news",
            topics=["climate_environment", "construction"],
            organizations=[_org("Umeå kommun", "SE", region="Region Västerbotten")],
            places=["Umeå"],
            summary="Kommunen ställer hårdare klimatkrav på betong och stål.",
            text=(
                "Umeå kommun har beslutat att alla nya byggentreprenader ska innehålla "
                "klimatkrav på betong och armering. Leverantörer som kan visa lägre utsläpp "
                "får ett prisavdrag i utvärderingen. Kraven gäller från första juni."
            ),
            source="umea",
        ),
        Article(
            url=BASE + "nb-klima",
            title="Oslo kommune innfører strengere klimakrav til anleggsplasser",
            published="2026-02-03",
            language="nb",
            kind="news",
            topics=["climate_environment", "construction"],
            organizations=[_org("Oslo kommune", "NO")],
            places=["Oslo"],
            summary="Utslippsfrie maskiner blir et krav i nye kontrakter.",
            text=(
                "Oslo kommune vil kreve utslippsfrie anleggsmaskiner i alle nye kontrakter "
                "fra neste år. Leverandørene får en overgangsperiode, og kommunen lover "
                "tett dialog med bransjen om hvordan klimakravene skal følges opp."
            ),
            source="oslo",
        ),
        Article(
            url=BASE + "da-udbud",
            title="Aarhus Kommune åbner for mindre virksomheder i nyt udbud",
            published="2025-11-20",
            language="da",
            kind="procurement_plan",
            topics=["sme"],
            organizations=[_org("Aarhus Kommune", "DK")],
            places=["Aarhus"],
            summary="Udbuddet af vedligehold deles i seks delkontrakter.",
            text=(
                "Aarhus Kommune deler det kommende udbud af bygningsvedligehold i seks "
                "delkontrakter, så små og mellemstore virksomheder kan byde. Kommunen "
                "holder et informationsmøde for leverandører i januar."
            ),
            source="aarhus",
        ),
        Article(
            url=BASE + "sv-dialog",
            title="Tidig dialog inför upphandlingen av skolmåltider",
            published="2026-01-15",
            language="sv",
            kind="event_announcement",
            topics=["dialogue", "food"],
            organizations=[_org("Region Skåne", "SE", "region")],
            places=["Malmö"],
            summary="Leverantörsträff om skolmat i Malmö den 4 februari.",
            text=(
                "Region Skåne bjuder in leverantörer till en leverantörsträff om skolmat. "
                "Vi vill föra en tidig dialog om råvaror, menyer och transporter innan "
                "upphandlingen annonseras. Anmälan senast 30 januari."
            ),
            events=[Event(date="2026-02-04", place="Malmö")],
            source="skane",
        ),
        Article(
            url=BASE + "sv-dialog-late",
            title="Dialogen med marknaden kom för sent, säger leverantörerna",
            published="2026-01-20",
            language="sv",
            kind="news",
            topics=["dialogue"],
            organizations=[_org("Upphandlingsmyndigheten", "SE", "agency")],
            summary="Många leverantörer efterlyser en dialog som börjar tidigare.",
            text=(
                "I en enkät svarar leverantörer att dialogen ofta kommer igång för sent. "
                "Det tidiga skedet, när behovet formuleras, är när de kan bidra mest."
            ),
            source="uhm",
        ),
        Article(
            url=BASE + "nn-ferje",
            title="Fylket lyser ut nye elektriske ferjesamband",
            published="2025-09-01",
            language="nn",
            kind="procurement_plan",
            topics=["transport", "climate_environment"],
            organizations=[_org("Vestland fylkeskommune", "NO", "region")],
            places=["Bergen"],
            summary="Fire samband skal ha utsleppsfrie ferjer frå 2028.",
            text=(
                "Vestland fylkeskommune skal lyse ut fire ferjesamband der ferjene må gå på "
                "straum. Fylket ønskjer innspel frå reiarlaga før konkurransen startar."
            ),
            # announced long before: a marketplace meeting the autumn after next
            events=[Event(date="2026-09-15", place="Bergen"), Event(date="not a date")],
            source="vestland",
        ),
        Article(
            url=BASE + "en-review",
            title="Swedish court sends school cleaning contract back to tender",
            published="2026-04-02",
            language="en",
            kind="news",
            topics=["legal"],
            organizations=[_org("Förvaltningsrätten i Luleå", "SE", "agency")],
            summary="A review found the award criteria unclear.",
            text=(
                "An administrative court ruled that the award criteria for school cleaning "
                "were too vague, and the municipality must repeat the procurement. "
                "Suppliers had complained that quality points were given without reasons."
            ),
            source="news-en",
        ),
        Article(
            url=BASE + "sv-innovation",
            title="Innovationsupphandling av digitala vårdtjänster",
            published="2026-05-05",
            language="sv",
            kind="guidance",
            topics=["innovation", "healthcare", "digitalisation"],
            organizations=[_org("Region Västerbotten", "SE", "region")],
            summary="Så använder regionen innovationsupphandling för digital vård.",
            text=(
                "Regionen beskriver hur en innovationsupphandling gick till steg för steg: "
                "behovsanalys, dialog, funktionskrav och utvärdering av lösningar. "
                "Budget för FoU & <pilot> redovisas i bilagan."
            ),
            source="vasterbotten",
        ),
        Article(
            url=BASE + "sv-skola",
            title="Ny skola i Luleå upphandlas som totalentreprenad",
            published="2025-12-10",
            language="sv",
            kind="procurement_plan",
            topics=["construction"],
            organizations=[_org("Luleå kommun", "SE")],
            summary="Upphandlingen av skolan startar i vår.",
            text="Luleå kommun upphandlar en ny skola som totalentreprenad med klimatkrav.",
            source="lulea",
        ),
        Article(
            url=BASE + "da-nodate",
            title="Vejledning om sociale klausuler i udbud",
            published=None,
            language="da",
            kind="guidance",
            topics=["social_ethical"],
            organizations=[_org("Konkurrence- og Forbrugerstyrelsen", "DK", "agency")],
            summary="Sådan bruger ordregivere sociale klausuler og lærlingeklausuler.",
            text=(
                "Vejledningen forklarer, hvordan en ordregiver kan stille krav om lærlinge "
                "og ordentlige arbejdsvilkår i offentlige udbud."
            ),
            source="kfst",
        ),
    ]
    return {a.url.removeprefix(BASE): a for a in docs}

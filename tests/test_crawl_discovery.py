"""A site unlike the sample sites, generated here and configured by nothing but its homepage
URL: no feed, no links from the homepage, articles reachable only through a sitemap index
(announced in robots.txt) whose news sitemap carries the titles and dates; one query-string
URL pattern for every article, tracking parameters in the sitemap, titles outside any <h1>,
body text typed into a table cell with <br> line breaks, no date on the page."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from crawlers.run import crawl
from procradar.core.settings import Settings
from procradar.core.store import Store
from procradar.stages.enrich import enrich_pending
from procradar.stages.samplesites import serving

SITE = "odder-indkob"
KOMMUNER = ["Aarhus Kommune", "Odder Kommune", "Skanderborg Kommune", "Horsens Kommune"]
EMNER = ["skolemad", "rengøring af institutioner", "elbiler til hjemmeplejen", "asfaltarbejder"]
SAETNINGER = [
    "{k} forbereder et nyt udbud af {e} og inviterer leverandørerne til dialog.",
    "Kontrakten forventes at løbe i fire år med en samlet værdi på omkring {n} millioner kroner.",
    "Kommunen vil gerne høre, hvordan markedet vurderer de foreslåede klimakrav.",
    "Små og mellemstore virksomheder opfordres til at byde på de enkelte delaftaler.",
    "Der stilles krav om løn- og arbejdsvilkår svarende til de gældende overenskomster.",
    "Udbudsmaterialet offentliggøres efter planen i løbet af næste kvartal.",
    "Sidste gang blev udbuddet klaget til Klagenævnet for Udbud, og kommunen har lært af sagen.",
    "Tildelingen sker på baggrund af det bedste forhold mellem pris og kvalitet.",
    "Leverandørerne kan sende skriftlige bemærkninger til indkøbsafdelingen inden fristen.",
    "Et udkast til kravspecifikationen bliver lagt på kommunens hjemmeside.",
    "Erfaringerne fra de andre kommuner i samarbejdet indgår i det nye udbud.",
    "Kommunen forventer, at omkring {n} virksomheder deltager i markedsdialogen.",
    "Målet er at halvere udledningen fra {e} inden 2030.",
    "Aftalen kan forlænges to gange med et år ad gangen.",
]


STANDING_PAGES = {
    "om": "Odder Indkøb er kommunernes fælles indkøbskontor.",
    "kontakt": "Skriv til indkob@example.dk eller ring 87 80 00 00.",
}


def articles(count: int) -> list[dict[str, str]]:
    rng = random.Random(11)
    out = []
    for i in range(1, count + 1):
        kommune, emne = rng.choice(KOMMUNER), rng.choice(EMNER)
        text = [s.format(k=kommune, e=emne, n=rng.randint(5, 400)) for s in SAETNINGER]
        rng.shuffle(text)
        out.append(
            {
                "id": str(100 + i),
                "title": f"{kommune} åbner dialog om {emne} (nr. {i})",
                "published": (date(2026, 2, 1) + timedelta(days=9 * i)).isoformat(),
                "text": "<br><br>\n".join(" ".join(text[k : k + 3]) for k in range(0, 14, 3)),
            }
        )
    return out


def build_site(root: Path, docs: list[dict[str, str]]) -> None:
    site = root / SITE
    public = site / "public"
    (public / "sitemaps").mkdir(parents=True)
    (site / "site.yaml").write_text(yaml.safe_dump({"id": SITE, "name": "Odder Indkøb"}))
    (public / "robots.txt").write_text(
        "User-agent: *\nDisallow: /cgi-bin/\n\nSitemap: {{BASE}}/sitemaps/index.xml\n"
    )
    (public / "index.html").write_text(
        "<html><head><title>Odder Indkøb</title></head><body><table><tr><td>"
        "<font size=5><b>Velkommen til Odder Indkøb</b></font><br>"
        "Her finder du nyt om kommunale indkøb.</td></tr></table></body></html>",
        encoding="utf-8",
    )
    (public / "sitemaps" / "index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{{BASE}}/sitemaps/nyheder.xml</loc></sitemap>"
        "<sitemap><loc>{{BASE}}/sitemaps/sider.xml</loc></sitemap></sitemapindex>"
    )
    urls = "".join(
        f"<url><loc>{{{{BASE}}}}/visning.html?id={d['id']}&amp;utm_source=sitemap</loc>"
        f"<news:news><news:publication_date>{d['published']}T07:30:00+01:00"
        f"</news:publication_date><news:title>{d['title']}</news:title></news:news></url>"
        for d in docs
    )
    (public / "sitemaps" / "nyheder.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>',
        encoding="utf-8",
    )
    pages = "".join(f"<url><loc>{{{{BASE}}}}/{p}/</loc></url>" for p in ("om", "kontakt"))
    (public / "sitemaps" / "sider.xml").write_text(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{pages}</urlset>'
    )
    for name, text in STANDING_PAGES.items():
        (public / name).mkdir()
        (public / name / "index.html").write_text(
            f"<html><body><table><tr><td>{text}</td></tr></table></body></html>", "utf-8"
        )
    for d in docs:
        (public / f"visning@id={d['id']}.html").write_text(
            f"<html><head><title>{d['title']} :: Odder Indkøb</title></head><body>"
            '<table width="100%"><tr><td class="menu"><a href="/">Forside</a></td>'
            f'<td class="tekst"><font size="5"><b>{d["title"]}</b></font><br><br>\n'
            f"{d['text']}</td></tr></table></body></html>",
            encoding="utf-8",
        )


def test_homepage_only_source_is_crawled_completely_through_its_sitemaps(tmp_path: Path) -> None:
    docs = articles(8)
    build_site(tmp_path / "sites", docs)
    settings = Settings(
        {"data_dir": str(tmp_path / "data"), "crawl.download_delay": 0, "crawl.autothrottle": False}
    )
    with serving(tmp_path / "sites") as sites:
        home = sites.base_url(SITE) + "/"
        source = {"id": SITE, "url": home, "allow_private_network": True}
        stats = crawl(settings, sources=[source])[SITE]
        requested = set(sites.sites[SITE].stats.paths)
    store = Store.open(settings)
    enrich_pending(store, workers=1)  # the crawl stores pages; the enrichment stage makes articles
    stored = {a.url.removeprefix(home.rstrip("/")): a for a in store.iter_articles()}
    assert set(stored) == {f"/visning.html?id={d['id']}" for d in docs}
    for d in docs:
        article = stored[f"/visning.html?id={d['id']}"]
        assert (article.title, article.published) == (d["title"], d["published"])
        assert article.source == SITE
    assert {"/om/", "/kontakt/"} <= requested  # fetched, judged boilerplate, not stored
    assert not any("utm_source" in path for path in requested)
    assert stats["discovery"]["sitemaps"][0].endswith("/sitemaps/index.xml")
    assert stats["errors"] == []

"""Render the Kvarnby kommun sample site (a Swedish municipal CMS that prints no date on
about half of its news items) from articles.yaml.

Discovery: a paginated /nyheter/ listing without dates (?sida=2, ?sida=3), an RSS feed of
the dated items only, and a sitemap.xml without lastmod that also names standing pages and
three items no listing links. Standing pages (contact, about, opening hours, privacy,
procurement information) must not be taken for articles. Writes public/, truth.json and
site.yaml. Run: /work/main/.venv/bin/python procradar/sample_sites/kvarnby-kommun/build.py
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
BASE = "{{BASE}}"  # filled in by the sample-site server
MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
ROBOTS = "User-agent: *\nDisallow: /sok/\n\nSitemap: {{BASE}}/sitemap.xml\n"
SHORT = (40, 80)  # words (lead and body) of a short news item
NORMAL = (81, 320)
STANDING = {  # path -> (title, layout, paragraphs); texts checked by their word counts
    "/om-kommunen/": (
        "Om Kvarnby kommun",
        "article",
        [
            "Kvarnby kommun ligger där Kvarnån rinner ut i sjön Långvattnet. Här bor drygt "
            "16 000 invånare, ungefär hälften i centralorten och resten i byarna Lövåsen, "
            "Brobacken och Sandvik. Kommunen bildades i sin nuvarande form vid "
            "kommunsammanslagningen på 1970-talet.",
            "Kommunen är den största arbetsgivaren på orten med omkring 1 400 anställda inom "
            "skola, omsorg, teknik och administration. Bland de privata arbetsgivarna finns en "
            "träindustri, flera åkerier och ett växande antal små företag inom besöksnäring "
            "och hantverk.",
            "Det politiska arbetet leds av kommunfullmäktige med 41 ledamöter. "
            "Kommunstyrelsen bereder ärendena och ansvarar för ekonomin, medan nämnderna "
            "sköter verksamheterna. Alla fullmäktigesammanträden är öppna för allmänheten och "
            "sänds på webben. Vill du veta mer om hur kommunen styrs, eller lämna synpunkter "
            "på verksamheten, är du välkommen att kontakta kommunens kontaktcenter.",
            "Kvarnby är känt för sina gamla vattenkvarnar längs ån, för Kvarnbydagarna varje "
            "sommar och för de långa vandringslederna runt Långvattnet.",
        ],
    ),
    "/personuppgifter/": (
        "Så behandlar vi dina personuppgifter",
        "article",
        [
            "Kvarnby kommun behandlar personuppgifter för att kunna ge dig service, handlägga "
            "ärenden och uppfylla de skyldigheter som kommunen har enligt lag. Varje nämnd är "
            "personuppgiftsansvarig för de uppgifter som behandlas inom dess verksamhet.",
            "Du har rätt att få veta vilka uppgifter vi har om dig och att begära rättelse om "
            "något är fel. Kommunens dataskyddsombud svarar på frågor om hur uppgifterna "
            "hanteras och tar emot klagomål. Du kan också vända dig till "
            "Integritetsskyddsmyndigheten.",
        ],
    ),
    "/naringsliv/upphandling/": (
        "Upphandling",
        "plain",
        [
            "Kommunen köper varor, tjänster och byggentreprenader för drygt 600 miljoner "
            "kronor om året. Alla inköp görs enligt lagen om offentlig upphandling, och "
            "annonserade upphandlingar finns i kommunens upphandlingssystem.",
            "Upphandlingsenheten hjälper förvaltningarna och svarar på frågor från företag. "
            "Nyheter om kommande upphandlingar och leverantörsträffar hittar du bland "
            'kommunens <a href="/nyheter/">nyheter</a>.',
            "Som leverantör kan du bevaka kommunens upphandlingar genom att registrera dig "
            "kostnadsfritt i upphandlingssystemet. Direktupphandlingar över 100 000 kronor "
            "dokumenteras och de flesta annonseras också där. Har du frågor om ett pågående "
            "anbud ställer du dem i systemet, så att alla anbudsgivare får samma svar.",
        ],
    ),
}


def longdate(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS.split()[d.month - 1]} {d.year}"


def words(text: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", text).split())


def body_html(items: list[Any]) -> str:
    """Body items -> the CMS's rich text ('## ' headings, {ul: [...]} lists)."""
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append("<ul>" + "".join(f"<li>{escape(li)}</li>" for li in item["ul"]) + "</ul>")
        elif item.startswith("## "):
            out.append(f"<h2>{escape(item[3:])}</h2>")
        else:
            out.append(f"<p>{escape(item)}</p>")
    return "\n".join(out)


def body_words(a: dict[str, Any]) -> int:
    text = " ".join(" ".join(i["ul"]) if isinstance(i, dict) else i for i in a["body"])
    return words(a["lead"] + " " + text)


def shell(site: dict[str, Any], path: str, title: str, head: str, main: str) -> str:
    """The page frame every page shares: header menu, breadcrumb, footer with addresses."""
    crumbs = '<a href="/">Startsida</a>'
    if path.startswith("/nyheter/") and path != "/nyheter/":
        crumbs += ' › <a href="/nyheter/">Nyheter</a>'
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{escape(title)} - {escape(site["name"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/rss+xml" title="Nyheter" href="/nyheter/rss.xml">
<link rel="canonical" href="{BASE}{path}">
{head}
</head>
<body>
<a class="skiplink" href="#content">Till innehållet</a>
<header class="site-header">
  <a class="logo" href="/">{escape(site["name"])}</a>
  <nav class="main-menu" aria-label="Huvudmeny"><ul>
    <li><a href="/nyheter/">Nyheter</a></li>
    <li><a href="/naringsliv/upphandling/">Näringsliv och upphandling</a></li>
    <li><a href="/oppettider/">Öppettider</a></li>
    <li><a href="/om-kommunen/">Om kommunen</a></li>
    <li><a href="/kontakt/">Kontakt</a></li>
  </ul></nav>
  <form class="search" action="/sok/"><input name="q" aria-label="Sök"><button>Sök</button></form>
</header>
<nav class="breadcrumb" aria-label="Du är här">{crumbs}</nav>
<main id="content">
{main}
</main>
<footer class="site-footer">
  <p>{escape(site["name"])}, {escape(site["address"])}</p>
  <p>Postadress: {escape(site["postal"])}</p>
  <p>Telefon {escape(site["phone"])}, e-post {escape(site["email"])}</p>
  <p><a href="/personuppgifter/">Personuppgifter</a> · <a href="/kontakt/">Kontakt</a></p>
</footer>
</body>
</html>
"""


def og(kind: str, a_title: str, description: str) -> str:
    return (
        f'<meta property="og:type" content="{kind}">\n'
        f'<meta property="og:title" content="{escape(a_title)}">\n'
        f'<meta property="og:description" content="{escape(description)}">\n'
        '<meta property="og:site_name" content="Kvarnby kommun">'
    )


def article_page(site: dict[str, Any], a: dict[str, Any], related: list[dict[str, Any]]) -> str:
    """One news item in the layout its CMS template gives it (see articles.yaml)."""
    layout, title = a["layout"], escape(a["title"])
    text = f'<p class="lead">{escape(a["lead"])}</p>\n{body_html(a["body"])}'
    og_type = "article" if layout in ("dated", "og") or a.get("og_article") else "website"
    head = og(og_type, a["title"], a["lead"])
    if layout == "dated":
        head += f'\n<meta property="article:published_time" content="{a["published"]}">'
        stamp = f'<time datetime="{a["published"]}">{longdate(a["published"])}</time>'
        main = (
            f'<article class="news-article">\n<h1>{title}</h1>\n'
            f'<p class="news-article__meta">Publicerad: {stamp}</p>\n'
            f'<div class="news-article__body">\n{text}\n</div>\n</article>'
        )
    elif layout == "article":
        main = (
            f'<article class="artikel">\n<h1>{title}</h1>\n'
            f'<div class="artikel__text">\n{text}\n</div>\n</article>'
        )
    elif layout == "og":  # SiteVision-like portlets: the headline in its own box
        main = (
            f'<div class="sv-portlet sv-heading"><h1>{title}</h1></div>\n'
            f'<div class="sv-portlet sv-text-portlet">\n{text}\n</div>'
        )
    else:  # jsonld, plain
        main = (
            f'<div class="content">\n<h1>{title}</h1>\n'
            f'<div class="content__text">\n{text}\n</div>\n</div>'
        )
    if layout == "jsonld":
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a["title"],
            "description": a["lead"],
            "publisher": {"@type": "GovernmentOrganization", "name": site["name"]},
            "mainEntityOfPage": BASE + a["path"],
        }
        script = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        head += f'\n<script type="application/ld+json">{script}</script>'
    links = "".join(f'<li><a href="{r["path"]}">{escape(r["title"])}</a></li>' for r in related)
    main += (
        '\n<div class="share">Dela: <a href="mailto:?subject=Tips">E-post</a></div>'
        f'\n<aside class="related"><h2>Fler nyheter</h2><ul>{links}</ul></aside>'
        '\n<p class="page-owner">Sidansvarig: kommunikationsenheten</p>'
    )
    return shell(site, a["path"], a["title"], head, main)


def listing_page(site: dict[str, Any], rows: list[dict[str, Any]], n: int, pages: int) -> str:
    teasers = "\n".join(
        f'<li class="news-list__item"><h2><a href="{a["path"]}">{escape(a["title"])}</a></h2>'
        f"<p>{escape(a['lead'])}</p></li>"
        for a in rows
    )
    nav = []
    if n > 1:
        nav.append(f'<a href="{list_href(n - 1)}">Föregående sida</a>')
    nav += [
        f"<span>{i}</span>" if i == n else f'<a href="{list_href(i)}">{i}</a>'
        for i in range(1, pages + 1)
    ]
    if n < pages:
        nav.append(f'<a href="{list_href(n + 1)}">Nästa sida</a>')
    main = (
        "<h1>Nyheter</h1>\n<p>Nyheter från Kvarnby kommun.</p>\n"
        f'<ul class="news-list">\n{teasers}\n</ul>\n'
        f'<nav class="pagination" aria-label="Sidor">{" ".join(nav)}</nav>'
    )
    path = list_href(n)
    return shell(site, path, "Nyheter", og("website", "Nyheter", "Nyheter"), main)


def list_href(n: int) -> str:
    return "/nyheter/" if n == 1 else f"/nyheter/?sida={n}"


def front_page(site: dict[str, Any], latest: list[dict[str, Any]]) -> str:
    teasers = "\n".join(
        f'<div class="puff"><h3><a href="{a["path"]}">{escape(a["title"])}</a></h3></div>'
        for a in latest
    )
    main = (
        f"<h1>Välkommen till {escape(site['name'])}</h1>\n"
        f'<section class="start-news"><h2>Aktuellt</h2>\n{teasers}\n'
        '<p><a href="/nyheter/">Alla nyheter</a></p></section>\n'
        '<section class="shortcuts"><h2>Genvägar</h2><ul>'
        '<li><a href="/oppettider/">Öppettider</a></li>'
        '<li><a href="/naringsliv/upphandling/">Upphandling</a></li>'
        '<li><a href="/kontakt/">Kontakta kommunen</a></li></ul></section>'
    )
    return shell(site, "/", "Startsida", og("website", site["name"], site["name"]), main)


def standing_page(site: dict[str, Any], path: str) -> str:
    title, layout, paragraphs = STANDING[path]
    text = "\n".join(f"<p>{Markup(p)}</p>" for p in paragraphs)
    if layout == "article":
        main = f'<article class="artikel">\n<h1>{escape(title)}</h1>\n{text}\n</article>'
    else:
        main = f'<div class="content">\n<h1>{escape(title)}</h1>\n{text}\n</div>'
    return shell(site, path, title, og("website", title, title), main)


def contact_page(site: dict[str, Any]) -> str:
    rows = [
        ("Kontaktcenter", site["phone"], site["email"]),
        ("Upphandlingsenheten", "0520-48 51 20", "upphandling@kvarnby.kommun.example"),
        ("Måltidsenheten", "0520-48 52 40", "maltider@kvarnby.kommun.example"),
        ("Gata och park", "0520-48 53 10", "gatapark@kvarnby.kommun.example"),
        ("Näringslivskontoret", "0520-48 50 70", "naringsliv@kvarnby.kommun.example"),
    ]
    table = "".join(f"<tr><td>{n}</td><td>{p}</td><td>{e}</td></tr>" for n, p, e in rows)
    main = (
        "<h1>Kontakt</h1>\n"
        f"<p>Besöksadress: {escape(site['address'])}</p>\n"
        f"<p>Postadress: {escape(site['postal'])}</p>\n"
        f"<p>Telefon: {escape(site['phone'])}</p>\n"
        f"<p>E-post: {escape(site['email'])}</p>\n"
        "<p>Kontaktcenter har öppet 8.00–16.30 på vardagar.</p>\n"
        f"<table><tr><th>Enhet</th><th>Telefon</th><th>E-post</th></tr>{table}</table>"
    )
    return shell(site, "/kontakt/", "Kontakt", og("website", "Kontakt", "Kontakt"), main)


def hours_page(site: dict[str, Any]) -> str:
    rows = [
        ("Kommunhuset", "8.00–16.30", "stängt"),
        ("Huvudbiblioteket", "10.00–19.00", "10.00–16.00"),
        ("Simhallen", "6.30–20.00", "9.00–15.00"),
        ("Återvinningscentralen", "7.00–19.00", "9.00–14.00"),
    ]
    table = "".join(f"<tr><td>{n}</td><td>{w}</td><td>{s}</td></tr>" for n, w, s in rows)
    main = (
        "<h1>Öppettider</h1>\n<p>Här hittar du öppettiderna för kommunens verksamheter. "
        "Avvikande tider inför helger meddelas bland nyheterna.</p>\n"
        f"<table><tr><th>Verksamhet</th><th>Vardagar</th><th>Lördag</th></tr>{table}</table>"
    )
    return shell(site, "/oppettider/", "Öppettider", og("website", "Öppettider", "Tider"), main)


def rss(site: dict[str, Any], items: list[dict[str, Any]]) -> str:
    def entry(a: dict[str, Any]) -> str:
        when = datetime.fromisoformat(a["published"]).replace(hour=9, tzinfo=UTC)
        return (
            f"<item><title>{escape(a['title'])}</title><link>{BASE}{a['path']}</link>"
            f"<guid>{BASE}{a['path']}</guid><pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{escape(a['lead'])}</description></item>"
        )

    body = "\n".join(entry(a) for a in items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Nyheter – {escape(site['name'])}</title><link>{BASE}/nyheter/</link>"
        f"<description>Nyheter från kommunen</description>\n{body}\n</channel></rss>\n"
    )


def sitemap(paths: list[str]) -> str:
    urls = "\n".join(f"<url><loc>{BASE}{escape(p)}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'
    )


def write(url_path: str, text: str) -> None:
    base, _, query = url_path.partition("?")
    target = PUBLIC / base.strip("/") / "index.html"
    if query:  # served for ?query by the sample-site server
        target = target.with_name(f"index@{query}.html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def prepare(items: list[dict[str, Any]]) -> None:
    """Give every item its path; check lengths and that undated items print no date."""
    for a in items:
        a["path"] = f"/nyheter/{a['slug']}/"
        a.setdefault("found", "listing")
        n = body_words(a)
        low, high = SHORT if n <= SHORT[1] else NORMAL
        if not low <= n <= high:
            raise SystemExit(f"{a['slug']}: {n} words")
        if (a["published"] is None) == (a["layout"] == "dated"):
            raise SystemExit(f"{a['slug']}: layout {a['layout']} with published {a['published']}")
        text = a["lead"] + json.dumps(a["body"], ensure_ascii=False)
        if a["published"] is None and re.search(r"\d{4}-\d\d-\d\d|\d\.\d{1,2}\.\d{4}", text):
            raise SystemExit(f"{a['slug']}: an undated item must not carry a date")


def truth(site_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("title", "published", "language", "kind", "topics", "organizations", "relevant")
    out = []
    for a in sorted(items, key=lambda a: a["path"]):
        entry = {"site": site_id, "path": a["path"], "language": "sv", **a}
        row = {"site": site_id, "path": a["path"], **{k: entry[k] for k in keys}}
        if a["layout"] == "plain" and body_words(a) <= SHORT[1]:
            # Nothing on the page says "article": only the news listing linking it does.
            row["listed_only"] = True
        out.append(row)
    return out


def main() -> None:
    data = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))
    site, items = data["site"], data["news"]
    prepare(items)
    shutil.rmtree(PUBLIC, ignore_errors=True)
    listed = [a for a in items if a["found"] == "listing"]
    for i, a in enumerate(items):
        others = listed[i % len(listed) :] + listed[: i % len(listed)]
        write(a["path"], article_page(site, a, [r for r in others if r is not a][:3]))
    per_page = site["per_page"]
    pages = -(-len(listed) // per_page)
    for n in range(1, pages + 1):
        rows = listed[(n - 1) * per_page : n * per_page]
        write(list_href(n), listing_page(site, rows, n, pages))
    write("/", front_page(site, listed[:4]))
    for path in STANDING:
        write(path, standing_page(site, path))
    write("/kontakt/", contact_page(site))
    write("/oppettider/", hours_page(site))
    dated = sorted((a for a in items if a["published"]), key=lambda a: a["published"])
    feed = rss(site, dated[::-1][: site["feed_items"]])
    (PUBLIC / "nyheter/rss.xml").write_text(feed, encoding="utf-8")
    standing = ["/kontakt/", "/oppettider/", *STANDING]
    not_articles = ["/", "/nyheter/", *[list_href(n) for n in range(2, pages + 1)], *standing]
    mapped = ["/", "/nyheter/", *standing, *(a["path"] for a in items)]
    (PUBLIC / "sitemap.xml").write_text(sitemap(mapped), encoding="utf-8")
    (PUBLIC / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    truth_json = json.dumps(truth(site["id"], items), ensure_ascii=False, indent=1)
    (HERE / "truth.json").write_text(truth_json + "\n", encoding="utf-8")
    config = {
        "id": site["id"],
        "name": site["name"],
        "last_modified": site["last_modified"],
        "source": site["source"],
        "not_articles": not_articles,
    }
    header = "# Generated by build.py from articles.yaml - edit those, not this file.\n"
    dumped = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (HERE / "site.yaml").write_text(header + dumped, encoding="utf-8")
    undated = sum(1 for a in items if a["published"] is None)
    print(f"{len(items)} articles ({undated} undated), {len(not_articles)} non-article paths")


if __name__ == "__main__":
    main()

"""Render the Indkøbsnyt sample site (Danish trade press on an Umbraco-like CMS) from articles.yaml.

Discovery is through /sitemap.xml, a sitemap index over a page sitemap and a Google News
sitemap, announced in robots.txt (which also disallows /soeg/). Writes public/, truth.json and
site.yaml. Run: /work/main/.venv/bin/python sample_sites/indkobsnyt/build.py
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS = "januar februar marts april maj juni juli august september oktober november december"
ROBOTS = """User-agent: *
Disallow: /soeg/
Disallow: /umbraco/
Disallow: /tilmelding/

Sitemap: {{BASE}}/sitemap.xml
"""
SEARCH_TERM = "klimakrav"


def dadate(iso: str) -> str:
    """'2026-03-12T09:00:00+01:00' -> '12. marts 2026'."""
    d = date.fromisoformat(iso[:10])
    return f"{d.day}. {MONTHS.split()[d.month - 1]} {d.year}"


def daweekday(iso: str) -> str:
    return f"{WEEKDAYS[date.fromisoformat(iso).weekday()].capitalize()} den {dadate(iso)}"


def bodyhtml(items: list[Any]) -> Markup:
    """Body items -> Umbraco rich-text HTML (the editor's subheadings are h3)."""
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append("<ul>" + "".join(f"<li>{Markup(li)}</li>" for li in item["ul"]) + "</ul>")
        elif item.startswith("## "):
            out.append(f"<h3>{escape(item[3:])}</h3>")
        else:
            out.append(f"<p>{Markup(item)}</p>")
    return Markup("\n".join(out))


def plain_text(items: list[Any]) -> str:
    text = " ".join(" ".join(i["ul"]) if isinstance(i, dict) else i for i in items)
    return re.sub(r"<[^>]+>", " ", text)


def jsonld(a: dict[str, Any], site: dict[str, Any]) -> Markup:
    """NewsArticle markup; the undated guide simply has no date properties."""
    author_type = "Organization" if a["author"] == "Redaktionen" else "Person"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "description": a["manchet"],
        "mainEntityOfPage": "{{BASE}}" + a["path"],
        "author": {"@type": author_type, "name": a["author"]},
        "publisher": {"@type": "Organization", "name": site["name"]},
        "inLanguage": "da-DK",
    }
    if a["published"]:
        data["datePublished"] = a["published"]
        data["dateModified"] = a["updated"] or a["published"]
    return Markup(json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/"))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.filters.update(
        dadate=dadate,
        daweekday=daweekday,
        bodyhtml=bodyhtml,
        daclock=lambda iso: datetime.fromisoformat(iso).strftime("%H.%M"),
        dotclock=lambda hhmm: str(int(hhmm[:2])) + "." + hhmm[3:],
    )
    env.globals["BASE"] = "{{BASE}}"  # filled in by the sample-site server
    return env


def write(url_path: str, text: str, filename: str = "index.html") -> None:
    target = PUBLIC / url_path.strip("/") / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


class Renderer:
    """Renders pages with the context every template needs."""

    def __init__(self, data: dict[str, Any]):
        self.env, self.site, self.tags = environment(), data["site"], data["tags"]

    def page(self, template: str, path: str, filename: str = "index.html", **ctx: Any) -> None:
        ctx.setdefault("breadcrumb", [])
        ctx.setdefault("doc_type", "listPage")
        html = self.env.get_template(template).render(
            site=self.site, tags=self.tags, path=path, **ctx
        )
        write(path, html, filename)

    def listing(self, path: str, heading: str, rows: list[dict[str, Any]], **ctx: Any) -> None:
        ctx.setdefault("pages", [path])
        ctx.setdefault("page", 0)
        ctx.setdefault("intro", "")
        ctx.setdefault("show_dates", True)
        ctx.setdefault("show_manchet", True)
        ctx.setdefault("section", "")
        crumbs = [("Forside", "/"), (heading, None)] if path != "/" else []
        self.page(
            "list.html.j2",
            path,
            heading=heading,
            rows=rows,
            page_title=heading,
            description=f"{heading} - {self.site['name']}",
            breadcrumb=crumbs,
            **ctx,
        )


def related(a: dict[str, Any], articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    others = [r for r in articles if r is not a and set(r["tags"]) & set(a["tags"])]
    return others[:3]


def render_articles(r: Renderer, articles: list[dict[str, Any]]) -> list[str]:
    """Article pages and event sign-up forms; return the form paths."""
    forms = []
    for a in articles:
        section_label = "Nyheder" if a["section"] == "nyheder" else "Viden og guides"
        r.page(
            "article.html.j2",
            a["path"],
            a=a,
            related=related(a, articles),
            jsonld=jsonld(a, r.site),
            page_title=a["title"],
            description=a["manchet"],
            section=a["section"],
            doc_type="articlePage",
            breadcrumb=[("Forside", "/"), (section_label, f"/{a['section']}/"), (a["title"], None)],
        )
        if a["event"]:
            target = a["event"]["registration"]
            r.page(
                "form.html.j2",
                target,
                a=a,
                page_title=f"Tilmelding: {a['title']}",
                description="Tilmelding",
                section="",
                doc_type="formPage",
            )
            forms.append(target)
    return forms


def render_lists(r: Renderer, articles: list[dict[str, Any]]) -> list[str]:
    """Front page, section lists, tag pages and the (robots-disallowed) search pages."""
    news = [a for a in articles if a["section"] == "nyheder"]
    per_page = r.site["per_page"]
    pages = ["/nyheder/"] + [f"/nyheder/?side={n}" for n in range(2, -(-len(news) // per_page) + 1)]
    for n in range(len(pages)):
        r.listing(
            "/nyheder/",
            "Nyheder",
            news[n * per_page : (n + 1) * per_page],
            pages=pages,
            page=n,
            section="nyheder",
            filename="index.html" if n == 0 else f"index@side={n + 1}.html",
        )
    r.listing("/", "Seneste nyt", news[:6], doc_type="frontPage")
    r.listing(
        "/viden/",
        "Viden og guides",
        [a for a in articles if a["section"] == "viden"],
        intro="Baggrund, guides og tjeklister til indkøbere og leverandører.",
        show_dates=False,
        section="viden",
    )
    paths = ["/", *pages, "/viden/"]
    for slug, label in r.tags.items():
        rows = [a for a in articles if slug in a["tags"]]
        r.listing(
            f"/emne/{slug}/", label, rows, show_dates=False, show_manchet=False, doc_type="tagPage"
        )
        paths.append(f"/emne/{slug}/")
    hits = [a for a in articles if SEARCH_TERM in plain_text(a["body"]).lower()]
    r.listing(
        "/soeg/",
        f"Søgeresultater for »{SEARCH_TERM}«",
        hits,
        doc_type="searchPage",
        filename=f"index@q={SEARCH_TERM}.html",
    )
    r.listing(
        "/soeg/",
        "Søg",
        [],
        intro="Skriv et søgeord for at søge i alle artikler.",
        doc_type="searchPage",
    )
    return paths + ["/soeg/", f"/soeg/?q={SEARCH_TERM}"]


def render_sitemaps(r: Renderer, articles: list[dict[str, Any]], list_paths: list[str]) -> None:
    dated = [a for a in articles if a["published"]]
    newest = max(a["updated"] or a["published"] for a in dated)
    urls = [
        {"path": p, "lastmod": newest, "changefreq": "daily"}
        for p in list_paths
        if "?" not in p and not p.startswith("/soeg/")
    ]
    urls += [
        {"path": a["path"], "lastmod": a["updated"] or a["published"], "changefreq": "monthly"}
        for a in articles
    ]
    recent = sorted(dated, key=lambda a: a["published"], reverse=True)
    env = r.env
    write("/sitemap.xml", env.get_template("sitemap-index.xml.j2").render(newest=newest), "")
    write(
        "/sitemaps/sitemap-artikler.xml",
        env.get_template("sitemap-pages.xml.j2").render(urls=urls),
        "",
    )
    write(
        "/sitemaps/sitemap-nyheder.xml",
        env.get_template("sitemap-news.xml.j2").render(
            site=r.site, articles=recent[: r.site["news_sitemap_size"]]
        ),
        "",
    )


def truth(site_id: str, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "site": site_id,
            "path": a["path"],
            "title": a["title"],
            "published": a["published"][:10] if a["published"] else None,
            "language": a["language"],
            "kind": a["kind"],
            "topics": a["topics"],
            "organizations": a["organizations"],
        }
        for a in sorted(articles, key=lambda a: a["path"])
    ]


def prepare(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for a in articles:
        a["path"] = f"/{a['section']}/{a['slug']}/"
        for optional in ("updated", "event"):
            a.setdefault(optional, None)
        words = len(plain_text(a["body"]).split())
        if not 150 <= words <= 450:
            raise SystemExit(f"{a['slug']}: body has {words} words, want 150-450")
    # Newest first; the undated guide sorts last.
    return sorted(articles, key=lambda a: a["published"] or "", reverse=True)


def main() -> None:
    data = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))
    articles = prepare(data["articles"])
    shutil.rmtree(PUBLIC, ignore_errors=True)
    renderer = Renderer(data)
    not_articles = render_lists(renderer, articles) + render_articles(renderer, articles)
    render_sitemaps(renderer, articles, not_articles)
    (PUBLIC / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    (PUBLIC / "css").mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "static/site.css", PUBLIC / "css/site.min.css")
    site = data["site"]
    truth_json = json.dumps(truth(site["id"], articles), ensure_ascii=False, indent=1)
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
    print(f"{len(articles)} articles, {len(not_articles)} non-article paths")


if __name__ == "__main__":
    main()

"""Render the Upphandlingsverket sample site (a Sitevision imitation) from articles.yaml.

Writes public/ (articles, the /nyheter/ list paginated as ?page=N, the news archive,
guidance and calendar lists, pages, an /intern/ draft that robots.txt forbids,
sitemap.xml), truth.json and site.yaml (with the redirect from the old URL and the
list of pages that are not articles). Run with the project venv:

    /work/main/.venv/bin/python sample_sites/upphandlingsverket/build.py
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
PER_PAGE = 10
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
WORD_RANGE = (150, 450)
NEWS = "/nyheter/"
ARCHIVE = "/nyheter/nyhetsarkiv/"

Article = dict[str, Any]


def swedish_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def anchor(text: str) -> str:
    """Sitevision heading ids keep the words, joined by hyphens."""
    return "-".join(re.findall(r"\w+", text))


def body_html(text: str) -> Markup:
    """Turn the light markup of articles.yaml into Sitevision text-portlet HTML."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if lines[0].startswith("## "):
            heading = lines.pop(0)[3:]
            blocks.append(f'<h2 class="subheading" id="h-{anchor(heading)}">{heading}</h2>')
        # consecutive "- " lines form one list, other consecutive lines one paragraph
        for is_item, group in groupby(lines, key=lambda line: line.startswith("- ")):
            run = list(group)
            if is_item:
                items = "".join(f"<li>{line[2:]}</li>" for line in run)
                blocks.append(f'<ul class="uv-list">{items}</ul>')
            else:
                blocks.append(f'<p class="normal">{" ".join(run)}</p>')
    return Markup("\n".join(blocks))


def plain_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def teaser(text: str, words: int = 28) -> str:
    parts = plain_text(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def hex_id(*seed: str) -> str:
    """A stable Sitevision-like node id (the hex part of "4.1a2b…")."""
    return hashlib.sha1("/".join(seed).encode()).hexdigest()[:22]


def svid(prefix: int, page: str, name: str) -> str:
    return f"svid{prefix}_{hex_id(page, name)}"


def node_id(page: str) -> str:
    return f"4.{hex_id(page, 'node')}"


def article_path(article: Article) -> str:
    if article.get("archive"):
        return f"{ARCHIVE}{article['slug']}.html"
    return f"/om-oss/nyheter/{article['published']}-{article['slug']}.html"


def date_line(article: Article) -> str:
    if article["date_style"] == "long":
        return f"Publicerad {swedish_date(article['published'])}"
    return f"Publicerad: {article['published']}"


def prepare(articles: list[Article]) -> list[Article]:
    articles = sorted(articles, key=lambda a: a["published"], reverse=True)
    for article in articles:
        lead = article.get("lead", "")
        article.update(
            path=article_path(article),
            html=body_html(article["body"]),
            anchor=anchor(article["title"]),
            date_line=date_line(article),
            description=teaser(lead or article["body"], 30),
            teaser=teaser(lead or article["body"]),
            updated=article.get("updated"),
        )
        words = len(re.findall(r"\w+", plain_text(lead + " " + article["html"])))
        assert WORD_RANGE[0] <= words <= WORD_RANGE[1], f"{article['slug']}: {words} words"
    for article in articles:
        article["related"] = related_links(article, articles)
    return articles


def related_links(article: Article, articles: list[Article]) -> list[tuple[str, str]]:
    """Three articles sharing the most topics, nearest in time first, then any extra links."""
    mine = set(article["topics"])

    def score(other: Article) -> tuple[int, int]:
        shared = len(mine & set(other["topics"]))
        return (-shared, abs((other["published"] - article["published"]).days))

    picks = sorted((a for a in articles if a is not article), key=score)[:3]
    links = [(a["path"], a["title"]) for a in picks]
    return links + [(x["href"], x["text"]) for x in article.get("extra_links", [])]


class Site:
    def __init__(self, cfg: dict[str, Any]):
        self.cfg = cfg
        self.articles = prepare(cfg["articles"])
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "xml"]),
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            BASE="{{BASE}}", site=cfg["site"], theme=cfg["theme"], svid=svid, node_id=node_id
        )
        self.not_articles: list[str] = []

    def write(self, path: str, template: str, **ctx: Any) -> None:
        """Write the page for a URL path; "/x/?page=2" becomes x/index@page=2.html."""
        url, _, query = path.partition("?")
        target = PUBLIC / url.lstrip("/")
        if url.endswith("/"):
            target = target / "index.html"
        if query:
            target = target.with_name(f"{target.stem}@{query}{target.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        ctx.setdefault("page_key", path)
        ctx.setdefault("nonce", hex_id(path, "nonce")[:16])
        ctx.setdefault("template_name", template.removesuffix(".html"))
        target.write_text(self.env.get_template(template).render(**ctx), encoding="utf-8")

    def build(self) -> None:
        shutil.rmtree(PUBLIC, ignore_errors=True)
        for article in self.articles:
            crumbs: list[tuple[str, str | None]] = [("Startsida", "/"), ("Nyheter", NEWS)]
            if article.get("archive"):
                crumbs.append(("Nyhetsarkiv", ARCHIVE))
            crumbs.append((article["title"], None))
            self.write(article["path"], "article.html", a=article, crumbs=crumbs, section="nyheter")
        self.news_listing()
        self.simple_listing(
            ARCHIVE,
            "Nyhetsarkiv",
            "Äldre nyheter från myndigheten.",
            [a for a in self.articles if a.get("archive")],
            with_crumb=True,
        )
        self.simple_listing(
            "/vagledning.html",
            "Vägledning",
            "Vägledningar, mallar och checklistor för offentliga affärer.",
            [a for a in self.articles if a["kind"] == "guidance"],
        )
        self.simple_listing(
            "/kalender.html",
            "Kalender",
            "Konferenser, leverantörsträffar och utbildningar.",
            [a for a in self.articles if a["kind"] == "event_announcement"],
        )
        intern = dict(self.cfg["intern"])
        intern.update(
            path=intern["path"],
            html=body_html(intern["body"]),
            anchor=anchor(intern["title"]),
            date_line=date_line({**intern, "date_style": "iso"}),
            description=teaser(intern["lead"]),
            date_style="iso",
            related=[],
            updated=None,
        )
        self.write(
            intern["path"],
            "article.html",
            a=intern,
            section="nyheter",
            crumbs=[("Startsida", "/"), ("Intern", None)],
        )
        for page in self.cfg["pages"]:
            page = dict(page, html=body_html(page["body"]))
            self.write(
                page["path"],
                "page.html",
                page=page,
                section="om-oss",
                crumbs=[("Startsida", "/"), (page["title"], None)],
            )
            self.not_articles.append(page["path"])
        self.write("/", "home.html", latest=self.articles[:4], crumbs=[])
        self.not_articles.append("/")
        self.sitemap()
        self.static_files()
        self.not_articles += [intern["path"], *self.redirects(), self.broken_link()]

    def news_listing(self) -> None:
        """/nyheter/ with ?page=N; the /intern/ draft slipped into the list by mistake."""
        intern = self.cfg["intern"]
        items = sorted(
            [
                *self.articles,
                {
                    "path": intern["path"],
                    "title": intern["title"],
                    "published": intern["published"],
                    "teaser": teaser(intern["lead"]),
                },
            ],
            key=lambda a: a["published"],
            reverse=True,
        )
        pages = -(-len(items) // PER_PAGE)

        def href(n: int) -> str:
            return NEWS if n == 1 else f"{NEWS}?page={n}"

        for n in range(1, pages + 1):
            listing = {
                "title": "Nyheter",
                "path": href(n),
                "page": n,
                "pages": pages,
                "description": "Nyheter och pressmeddelanden från Upphandlingsverket.",
                "entries": items[(n - 1) * PER_PAGE : n * PER_PAGE],
                "prev": href(n - 1) if n > 1 else None,
                "next": href(n + 1) if n < pages else None,
                "page_links": [(k, href(k)) for k in range(1, pages + 1)],
                "archive_link": True,
            }
            self.write(
                href(n),
                "listing.html",
                listing=listing,
                section="nyheter",
                crumbs=[("Startsida", "/"), ("Nyheter", None)],
            )
            self.not_articles.append(href(n))

    def simple_listing(
        self,
        path: str,
        title: str,
        description: str,
        items: list[Article],
        with_crumb: bool = False,
    ) -> None:
        crumbs: list[tuple[str, str | None]] = [("Startsida", "/")]
        if with_crumb:
            crumbs.append(("Nyheter", NEWS))
        listing = {
            "title": title,
            "path": path,
            "page": 1,
            "pages": 1,
            "entries": items,
            "description": description,
            "archive_link": False,
        }
        self.write(
            path,
            "listing.html",
            listing=listing,
            section="nyheter",
            crumbs=crumbs + [(title, None)],
        )
        self.not_articles.append(path)

    def redirects(self) -> dict[str, str]:
        return {a["old_path"]: a["path"] for a in self.articles if "old_path" in a}

    def broken_link(self) -> str:
        """The one deliberate dead link: a report that was never published."""
        for article in self.articles:
            for href in re.findall(r'href="(/publikationer/[^"]+)"', str(article["html"])):
                assert not (PUBLIC / href.lstrip("/")).exists()
                return href
        raise AssertionError("the broken link is missing from articles.yaml")

    def sitemap(self) -> None:
        entries: list[tuple[str, str | None]] = [
            ("/", None),
            (NEWS, None),
            (ARCHIVE, None),
            ("/om-oss.html", None),
            ("/om-oss/kontakta-oss.html", None),
        ]
        for article in self.articles:
            entries.append((article["path"], str(article["updated"] or article["published"])))
        target = PUBLIC / "sitemap.xml"
        target.write_text(
            self.env.get_template("sitemap.xml").render(entries=entries), encoding="utf-8"
        )

    def static_files(self) -> None:
        assets = HERE / "assets"
        for src in assets.rglob("*"):
            if src.is_file():
                dest = PUBLIC / src.relative_to(assets)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)

    def truth(self) -> list[dict[str, Any]]:
        return [
            {
                "site": self.cfg["site"]["id"],
                "path": a["path"],
                "title": a["title"],
                "published": a["published"].isoformat(),
                "language": a["language"],
                "kind": a["kind"],
                "topics": a["topics"],
                "organizations": a["organizations"],
            }
            for a in sorted(self.articles, key=lambda a: a["path"])
        ]

    def site_yaml(self) -> str:
        site = dict(self.cfg["site"])
        site.update(redirects=self.redirects(), not_articles=sorted(self.not_articles))
        header = "# Generated by build.py from articles.yaml — edit that file instead.\n"
        return header + yaml.safe_dump(site, allow_unicode=True, sort_keys=False, width=100)


def main() -> None:
    cfg = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))
    site = Site(cfg)
    site.build()
    truth = site.truth()
    (HERE / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "site.yaml").write_text(site.site_yaml(), encoding="utf-8")
    print(f"{cfg['site']['id']}: {len(truth)} articles, {len(site.not_articles)} other pages")


if __name__ == "__main__":
    main()

"""Render the Anskaffelsesdirektoratet sample site (Drupal 10 look-alike) from articles.yaml.

Writes public/ (pages, Atom feed, robots.txt, css), truth.json and site.yaml.
Run: /work/main/.venv/bin/python sample_sites/anskaffelsesdirektoratet/build.py
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
PER_PAGE = 10
WEEKDAYS = {
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "nn": ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"],
}
MONTHS = "januar februar mars april mai juni juli august september oktober november desember"
ROBOTS = """# Drupal robots.txt (trimmed)
User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /themes/*.css
# Directories
Disallow: /core/
Disallow: /profiles/
# Paths (clean URLs)
Disallow: /admin/
Disallow: /search/
Disallow: /user/login
Disallow: /user/register
Disallow: /node/add/
"""


def nodate(iso: str) -> str:
    """'2026-03-12T11:30:00+01:00' -> '12.03.2026' (Drupal 'short' date format)."""
    return datetime.fromisoformat(iso).strftime("%d.%m.%Y")


def eventdate(event: dict[str, Any], lang: str = "nb") -> str:
    """'torsdag 25. september 2025', or a range for events spanning several days."""
    start = date.fromisoformat(event["date"])
    end = date.fromisoformat(event.get("end_date") or event["date"])
    day_month = f"{end.day}. {MONTHS.split()[end.month - 1]} {end.year}"
    if end == start:
        return f"{WEEKDAYS[lang][start.weekday()]} {day_month}"
    first, last = WEEKDAYS[lang][start.weekday()], WEEKDAYS[lang][end.weekday()]
    return f"{first} {start.day}.–{last} {day_month}"


def clock(hhmm: str) -> str:
    return hhmm.replace(":", ".")


def bodyhtml(items: list[Any]) -> Markup:
    """Body items -> HTML: plain strings are paragraphs, '## ' headings, {ul: [...]} lists."""
    out = []
    for item in items:
        if isinstance(item, dict):
            lis = "".join(f"<li>{Markup(li)}</li>" for li in item["ul"])
            out.append(f"<ul>{lis}</ul>")
        elif item.startswith("## "):
            out.append(f"<h2>{escape(item[3:])}</h2>")
        else:
            out.append(f"<p>{Markup(item)}</p>")
    return Markup("\n".join(out))


def word_count(items: list[Any]) -> int:
    text = " ".join(" ".join(i["ul"]) if isinstance(i, dict) else i for i in items)
    return len(re.sub(r"<[^>]+>", " ", text).split())


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.filters.update(nodate=nodate, eventdate=eventdate, clock=clock, bodyhtml=bodyhtml)
    # The server, not Jinja, fills in the base URL: emit the literal placeholder.
    env.globals["BASE"] = "{{BASE}}"
    return env


def write(url_path: str, text: str, filename: str = "index.html") -> None:
    """Write the file that serves `url_path` ('/a/b' -> public/a/b/index.html)."""
    target = PUBLIC / url_path.strip("/") / filename if filename else PUBLIC / url_path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def related(article: dict[str, Any], articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Up to three other articles sharing the most tags, newest first."""
    others = [a for a in articles if a is not article and set(a["tags"]) & set(article["tags"])]
    others.sort(key=lambda a: (len(set(a["tags"]) & set(article["tags"])), a["published"]))
    return list(reversed(others))[:3]


def render_site(data: dict[str, Any]) -> list[str]:
    """Render every page into public/; return the paths that are not articles."""
    env, site, tags = environment(), data["site"], data["tags"]
    articles = sorted(data["articles"], key=lambda a: a["published"], reverse=True)
    common = {"site": site, "tags": tags}
    not_articles = ["/", "/om-oss"]
    for a in articles:
        html = env.get_template("article.html.j2").render(
            common,
            a=a,
            related=related(a, articles),
            path=a["path"],
            page_title=a["title"],
            description=a["ingress"],
            section="nyheter",
            body_class="path-node page-node-type-article",
            breadcrumb=[("Hjem", "/"), ("Nyheter", "/nyheter"), (a["title"], None)],
        )
        write(a["path"], html)
        if a.get("event"):
            form_path = f"/skjema/{a['event']['form']}"
            write(
                form_path,
                env.get_template("webform.html.j2").render(
                    common,
                    a=a,
                    path=form_path,
                    page_title=f"Påmelding: {a['title']}",
                    description=f"Påmeldingsskjema for {a['title']}",
                    section="",
                    body_class="path-webform",
                    breadcrumb=[("Hjem", "/"), ("Påmelding", None)],
                ),
            )
            not_articles.append(form_path)
    pages = ["/nyheter"] + [f"/nyheter?page={n}" for n in range(1, -(-len(articles) // PER_PAGE))]
    for n, href in enumerate(pages):
        html = env.get_template("listing.html.j2").render(
            common,
            rows=articles[n * PER_PAGE : (n + 1) * PER_PAGE],
            pages=pages,
            page=n,
            path=href,
            page_title="Nyheter",
            description="Nyheter fra Anskaffelsesdirektoratet",
            section="nyheter",
            body_class="path-nyheter",
            view_display="page_1",
            show_teasers=True,
            intro="",
            feed_link=True,
            breadcrumb=[("Hjem", "/"), ("Nyheter", None)],
        )
        write("/nyheter", html, "index.html" if n == 0 else f"index@page={n}.html")
    not_articles += pages
    for slug, label in tags.items():
        rows = [a for a in articles if slug in a["tags"]]
        write(
            f"/tema/{slug}",
            env.get_template("listing.html.j2").render(
                common,
                rows=rows,
                pages=[],
                page=0,
                path=f"/tema/{slug}",
                page_title=label,
                description=f"Alt om {label.lower()}",
                section="tema",
                body_class="path-taxonomy-term",
                view_display="taxonomy_term",
                show_teasers=False,
                intro=f"Innhold merket med {label.lower()}.",
                feed_link=False,
                breadcrumb=[("Hjem", "/"), ("Tema", None), (label, None)],
            ),
        )
        not_articles.append(f"/tema/{slug}")
    write(
        "/",
        env.get_template("front.html.j2").render(
            common,
            latest=articles[:5],
            path="/",
            page_title="Forside",
            description="Veiledning og nyheter om offentlige anskaffelser",
            section="",
            body_class="path-frontpage",
            breadcrumb=[],
        ),
    )
    write(
        "/om-oss",
        env.get_template("page.html.j2").render(
            common,
            path="/om-oss",
            page_title="Om oss",
            description="Om Anskaffelsesdirektoratet",
            section="",
            body_class="path-node page-node-type-page",
            breadcrumb=[("Hjem", "/"), ("Om oss", None)],
        ),
    )
    write(
        "/nyheter/feed.atom",
        env.get_template("feed.atom.j2").render(
            common,
            articles=articles,
            feed_updated=max(a.get("updated") or a["published"] for a in articles),
        ),
        filename="",
    )
    write("/robots.txt", ROBOTS, filename="")
    css = PUBLIC / "themes/custom/anskaffelser/css/style.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "static/style.css", css)
    return not_articles


def truth(site_id: str, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in sorted(articles, key=lambda a: a["path"]):
        entry = {
            "site": site_id,
            "path": a["path"],
            "title": a["title"],
            "published": a["published"][:10],
            "language": a["language"],
            "kind": a["kind"],
            "topics": a["topics"],
            "organizations": a["organizations"],
        }
        out.append(entry)
    return out


def site_config(data: dict[str, Any], not_articles: list[str]) -> dict[str, Any]:
    site = data["site"]
    redirects = {f"/node/{a['nid']}": a["path"] for a in data["articles"]}
    return {
        "id": site["id"],
        "name": site["name"],
        "last_modified": site["last_modified"],
        "source": site["source"],
        # Drupal's redirect module sends /node/<nid> shortlinks to the path alias.
        "redirects": redirects,
        "content_types": {"/nyheter/feed.atom": "application/atom+xml; charset=utf-8"},
        "not_articles": not_articles + list(redirects),
    }


def check(articles: list[dict[str, Any]]) -> None:
    for a in articles:
        words = word_count(a["body"])
        if not 150 <= words <= 450:
            raise SystemExit(f"{a['slug']}: body has {words} words, want 150-450")


def main() -> None:
    data = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))
    for a in data["articles"]:
        a["path"] = f"/nyheter/{a['slug']}"
        for optional in ("updated", "event", "press_release"):
            a.setdefault(optional, None)
    check(data["articles"])
    shutil.rmtree(PUBLIC, ignore_errors=True)
    not_articles = render_site(data)
    truth_json = json.dumps(
        truth(data["site"]["id"], data["articles"]), ensure_ascii=False, indent=1
    )
    (HERE / "truth.json").write_text(truth_json + "\n", encoding="utf-8")
    header = "# Generated by build.py from articles.yaml - edit those, not this file.\n"
    config = yaml.safe_dump(site_config(data, not_articles), allow_unicode=True, sort_keys=False)
    (HERE / "site.yaml").write_text(header + config, encoding="utf-8")
    print(f"{len(data['articles'])} articles, {len(not_articles)} non-article pages")


if __name__ == "__main__":
    main()

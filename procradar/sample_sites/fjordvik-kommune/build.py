"""Render the Fjordvik kommune sample site (a municipal CMS look-alike) from articles.yaml.

No feed and no sitemap: crawlers must discover the pages through /aktuelt/ (paginated as
/aktuelt/side-2/) and /kalender/. Writes public/, truth.json and site.yaml.
Run: /work/main/.venv/bin/python sample_sites/fjordvik-kommune/build.py
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
WEEKDAYS = ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"]
MONTHS = "januar februar mars april mai juni juli august september oktober november desember"
ROBOTS = "User-agent: *\nDisallow: /sok/\nDisallow: /skjema/\n"


def longdate(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day}. {MONTHS.split()[d.month - 1]} {d.year}"


def weekdaydate(iso: str) -> str:
    return f"{WEEKDAYS[date.fromisoformat(iso).weekday()]} {longdate(iso)}"


def shortdate(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


def month_abbr(iso: str) -> str:
    return MONTHS.split()[date.fromisoformat(iso).month - 1][:3] + "."


def bodyhtml(items: list[Any]) -> Markup:
    """Body items -> the CMS's rich-text HTML ('## ' headings, {ul: [...]} lists)."""
    out = []
    for item in items:
        if isinstance(item, dict):
            lis = "".join(f"<li>{Markup(li)}</li>" for li in item["ul"])
            out.append(f'<ul class="rich-text__list">{lis}</ul>')
        elif item.startswith("## "):
            out.append(f"<h2>{escape(item[3:])}</h2>")
        else:
            out.append(f"<p>{Markup(item)}</p>")
    return Markup("\n".join(out))


def body_words(items: list[Any]) -> int:
    text = " ".join(" ".join(i["ul"]) if isinstance(i, dict) else i for i in items)
    return len(re.sub(r"<[^>]+>", " ", text).split())


def event_jsonld(a: dict[str, Any]) -> Markup:
    """schema.org Event, as the CMS's calendar module emits it."""
    ev, oslo = a["event"], ZoneInfo("Europe/Oslo")

    def stamp(hhmm: str) -> str:
        return datetime.fromisoformat(f"{ev['date']}T{hhmm}").replace(tzinfo=oslo).isoformat()

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": a["title"],
        "description": a["lead"],
        "startDate": stamp(ev["start"]),
        "endDate": stamp(ev["end"]),
        "location": {
            "@type": "Place",
            "name": f"{ev['venue']}, {ev['room']}",
            "address": ev["address"],
        },
        "organizer": {"@type": "Organization", "name": ev["organiser"]},
        "url": "{{BASE}}" + a["path"],
    }
    return Markup(json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.filters.update(
        longdate=longdate,
        weekdaydate=weekdaydate,
        shortdate=shortdate,
        month_abbr=month_abbr,
        day=lambda iso: str(date.fromisoformat(iso).day),
        clock=lambda t: t.replace(":", "."),
        bodyhtml=bodyhtml,
    )
    env.globals["BASE"] = "{{BASE}}"  # filled in by the sample-site server
    return env


def write(url_path: str, text: str, filename: str = "index.html") -> None:
    target = PUBLIC / url_path.strip("/") / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def page(env: Environment, template: str, path: str, **context: Any) -> None:
    context.setdefault("lang", "nn")
    context.setdefault("og_type", "website")
    context.setdefault("body_class", "")
    write(path, env.get_template(template).render(path=path, **context))


def render_items(
    env: Environment, site: dict[str, Any], items: list[dict[str, Any]], section: str, category: str
) -> list[str]:
    """Render news or event pages; return the extra non-article paths (forms, .ics)."""
    extra = []
    for a in items:
        related = [r for r in items if r is not a][:3]
        crumb = (category, f"/{section}/")
        page(
            env,
            "item.html.j2",
            a["path"],
            site=site,
            a=a,
            related=related,
            lang=a["language"],
            section=section,
            category=category,
            page_title=a["title"],
            description=a["lead"],
            og_type="article",
            body_class=f"page-{section}-item",
            event_jsonld=event_jsonld(a) if a["event"] else "",
            breadcrumb=[("Heim", "/"), crumb, (a["title"], None)],
        )
        if not a["event"]:
            continue
        ics = env.get_template("event.ics.j2").render(a=a)
        write(a["path"], ics.replace("\n", "\r\n") + "\r\n", "kalender.ics")  # RFC 5545
        extra.append(a["path"] + "kalender.ics")
        registration = a["event"]["registration"]
        if registration["type"] == "form":
            page(
                env,
                "form.html.j2",
                registration["target"],
                site=site,
                a=a,
                section=section,
                page_title=f"Påmelding: {a['title']}",
                description="Påmeldingsskjema",
                breadcrumb=[("Heim", "/"), ("Påmelding", None)],
            )
            extra.append(registration["target"])
    return extra


def render_site(data: dict[str, Any]) -> list[str]:
    """Render every page; return the paths that are not articles."""
    env, site = environment(), data["site"]
    news = sorted(data["news"], key=lambda a: a["published"], reverse=True)
    events = sorted(data["events"], key=lambda a: a["event"]["date"])
    not_articles = ["/", "/aktuelt/", "/kalender/", "/innkjop/"]
    not_articles += render_items(env, site, news, "aktuelt", "Aktuelt")
    not_articles += render_items(env, site, events, "kalender", "Kalender")
    per_page = site["per_page"]
    pages = ["/aktuelt/"] + [f"/aktuelt/side-{n}/" for n in range(2, -(-len(news) // per_page) + 1)]
    for n, href in enumerate(pages):
        page(
            env,
            "news_list.html.j2",
            href,
            site=site,
            rows=news[n * per_page : (n + 1) * per_page],
            pages=pages,
            page=n,
            section="aktuelt",
            page_title="Aktuelt",
            description="Nyhende frå Fjordvik kommune",
            body_class="page-news-list",
            breadcrumb=[("Heim", "/"), ("Aktuelt", None)],
        )
    not_articles += pages[1:]
    page(
        env,
        "calendar.html.j2",
        "/kalender/",
        site=site,
        rows=events,
        section="kalender",
        page_title="Kalender",
        description="Komande arrangement i Fjordvik kommune",
        body_class="page-calendar",
        breadcrumb=[("Heim", "/"), ("Kalender", None)],
    )
    page(
        env,
        "front.html.j2",
        "/",
        site=site,
        news=news[:3],
        events=events[:3],
        section="heim",
        page_title="Forside",
        description="Fjordvik kommune",
        breadcrumb=[],
    )
    page(
        env,
        "info.html.j2",
        "/innkjop/",
        site=site,
        section="innkjop",
        page_title="Innkjøp og anskaffingar",
        description="Innkjøp i Fjordvik kommune",
        breadcrumb=[("Heim", "/"), ("Innkjøp og anskaffingar", None)],
    )
    (PUBLIC / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    css = PUBLIC / "static/css/fjordvik.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HERE / "static/fjordvik.css", css)
    return not_articles


def truth(site_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in sorted(items, key=lambda a: a["path"]):
        entry = {
            "site": site_id,
            "path": a["path"],
            "title": a["title"],
            "published": a["published"],
            "language": a["language"],
            "kind": a["kind"],
            "topics": a["topics"],
            "organizations": a["organizations"],
        }
        if a["duplicate_of"]:
            entry["duplicate_of"] = a["duplicate_of"]
        out.append(entry)
    return out


def prepare(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Give every item its path and the optional fields; check body lengths."""
    items = []
    for section, key in (("aktuelt", "news"), ("kalender", "events")):
        for a in data[key]:
            a["path"] = f"/{section}/{a['slug']}/"
            for optional in ("changed", "event", "duplicate_of", "source_note"):
                a.setdefault(optional, None)
            if not 150 <= body_words(a["body"]) <= 450:
                raise SystemExit(f"{a['slug']}: body has {body_words(a['body'])} words")
            items.append(a)
    return items


def main() -> None:
    data = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))
    site = data["site"]
    items = prepare(data)
    shutil.rmtree(PUBLIC, ignore_errors=True)
    not_articles = render_site(data)
    not_articles += site["broken_links"] + list(site["redirects"])
    truth_json = json.dumps(truth(site["id"], items), ensure_ascii=False, indent=1)
    (HERE / "truth.json").write_text(truth_json + "\n", encoding="utf-8")
    config = {
        "id": site["id"],
        "name": site["name"],
        "last_modified": site["last_modified"],
        "source": site["source"],
        "redirects": site["redirects"],
        "not_articles": not_articles,
    }
    header = "# Generated by build.py from articles.yaml - edit those, not this file.\n"
    dumped = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (HERE / "site.yaml").write_text(header + dumped, encoding="utf-8")
    print(f"{len(items)} articles, {len(not_articles)} non-article paths")


if __name__ == "__main__":
    main()

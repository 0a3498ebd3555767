"""Render the Inköpsforum sample site (a WordPress imitation) from articles.yaml.

Writes public/ (posts, paginated /nyheter/, category and tag archives, pages, the
RSS feed at /feed/), truth.json and site.yaml. Run with the project venv:

    /work/main/.venv/bin/python sample_sites/inkopsforum/build.py
"""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
PUBLIC = HERE / "public"
PER_PAGE = 10  # WordPress "Blog pages show at most"
FEED_SIZE = 10  # WordPress "Syndication feeds show the most recent"
STOCKHOLM = timezone(timedelta(hours=1))  # posts carry +01:00 like a site in CET
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

Post = dict[str, Any]


def swedish_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def body_html(text: str) -> Markup:
    """Turn the light markup of articles.yaml into Gutenberg-style block HTML."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if lines[0].startswith("## "):
            blocks.append(f'<h2 class="wp-block-heading">{lines.pop(0)[3:]}</h2>')
        # consecutive "- " lines form one list, other consecutive lines one paragraph
        for is_item, group in groupby(lines, key=lambda line: line.startswith("- ")):
            run = list(group)
            if is_item:
                items = "".join(f"<li>{line[2:]}</li>" for line in run)
                blocks.append(f'<ul class="wp-block-list">{items}</ul>')
            else:
                blocks.append(f"<p>{' '.join(run)}</p>")
    return Markup("\n".join(blocks))


def plain_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def word_count(markup: str) -> int:
    return len(re.findall(r"\w+", plain_text(markup)))


def excerpt(markup: str, words: int = 32) -> str:
    first = plain_text(markup.split("</p>")[0] if "<p>" in markup else markup).split()
    return " ".join(first[:words]) + (" […]" if len(first) > words else "")


def borrowed_body(ref: str) -> str:
    """Body of an article on another sample site ("site:slug"), for republished releases."""
    site_id, slug = ref.split(":", 1)
    other = yaml.safe_load((HERE.parent / site_id / "articles.yaml").read_text(encoding="utf-8"))
    for article in other["articles"]:
        if article["slug"] == slug:
            return "\n\n".join(str(p) for p in (article.get("lead"), article["body"]) if p)
    raise KeyError(f"{ref}: no such article")


Group = dict[str, dict[str, Any]]  # categories or tags by slug


def prepare(cfg: dict[str, Any]) -> tuple[list[Post], Group, Group]:
    categories = {
        slug: {"slug": slug, "name": name, "path": f"/kategori/{slug}/", "id": 3 + i, "posts": []}
        for i, (slug, name) in enumerate(cfg["categories"].items())
    }
    tags = {
        slug: {"slug": slug, "name": name, "path": f"/tagg/{slug}/", "id": 20 + i, "posts": []}
        for i, (slug, name) in enumerate(cfg["tags"].items())
    }
    posts = sorted(cfg["posts"], key=lambda p: (p["published"], p["time"]), reverse=True)
    for i, post in enumerate(posts):
        body = borrowed_body(post["body_from"]) if "body_from" in post else post["body"]
        post["html"] = body_html(body)
        words = word_count(post["html"])
        assert WORD_RANGE[0] <= words <= WORD_RANGE[1], f"{post['slug']}: {words} words"
        stamp = datetime.fromisoformat(f"{post['published']}T{post['time']}:00").replace(
            tzinfo=STOCKHOLM
        )
        post.update(
            id=2480 - 17 * i,
            path=f"/{post['slug']}/",
            iso=stamp.isoformat(),
            rfc822=format_datetime(stamp.astimezone(UTC)),
            date_text=swedish_date(post["published"]),
            show_date=post.get("show_date", True),
            meta_dates=post.get("meta_dates", True) and post.get("show_date", True),
            excerpt=excerpt(post["html"]),
            category=categories[post["category"]],
            tag_items=[tags[t] for t in post.get("tags", [])],
            lead_note=Markup(post.get("lead_note", "")),
            tail_note=Markup(post.get("tail_note", "")),
        )
        post["excerpt_plain"] = post["excerpt"].removesuffix(" […]")
        post["feed_html"] = "\n".join(
            str(x) for x in (post["lead_note"] and f"<p>{post['lead_note']}</p>", post["html"]) if x
        )
        post["category"]["posts"].append(post)
        for tag in post["tag_items"]:
            tag["posts"].append(post)
    return posts, categories, tags


def related(post: Post, posts: list[Post]) -> list[Post]:
    """Up to three posts sharing the most tags, nearest in time first (Jetpack-like)."""
    mine = {t["slug"] for t in post["tag_items"]} | {post["category"]["slug"]}

    def score(other: Post) -> tuple[int, int]:
        theirs = {t["slug"] for t in other["tag_items"]} | {other["category"]["slug"]}
        return (-len(mine & theirs), abs((other["published"] - post["published"]).days))

    return sorted((p for p in posts if p is not post), key=score)[:3]


class Site:
    def __init__(self, cfg: dict[str, Any]):
        self.cfg = cfg
        self.posts, self.categories, self.tags = prepare(cfg)
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "xml"]),
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            BASE="{{BASE}}",
            site=cfg["site"],
            theme=cfg["theme"],
            year=2026,
            charset="UTF-8",
            recent=self.posts[:5],
            category_list=[c for c in self.categories.values() if c["posts"]],
            tag_list=[t for t in self.tags.values() if t["posts"]],
        )
        for group in (self.categories, self.tags):
            for item in group.values():
                item["count"] = len(item["posts"])
        self.not_articles: list[str] = []
        self.content_types: dict[str, str] = {}

    def write(self, path: str, template: str, encoding: str = "utf-8", **ctx: Any) -> None:
        target = PUBLIC / path.lstrip("/")
        if path.endswith("/"):
            target = target / ("index.xml" if template.endswith(".xml") else "index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        charset = "windows-1252" if encoding == "cp1252" else "UTF-8"
        text = self.env.get_template(template).render(charset=charset, **ctx)
        target.write_bytes(text.encode(encoding))  # strict: fails on a character cp1252 lacks
        if encoding != "utf-8":
            self.content_types[path] = f"text/html; charset={charset.lower()}"

    def build(self) -> None:
        shutil.rmtree(PUBLIC, ignore_errors=True)
        for i, post in enumerate(self.posts):
            newer = self.posts[i - 1] if i > 0 else None
            older = self.posts[i + 1] if i + 1 < len(self.posts) else None
            encoding = "cp1252" if post.get("encoding") == "windows-1252" else "utf-8"
            self.write(
                post["path"],
                "single.html",
                encoding,
                post=post,
                newer=newer,
                older=older,
                related=related(post, self.posts),
            )
        self.archive("/nyheter/", "Nyheter", "Nyheter", self.posts, "blog", excerpts=True)
        for cat in self.categories.values():
            if cat["posts"]:
                self.archive(
                    cat["path"],
                    cat["name"],
                    f"Kategori: {cat['name']}",
                    cat["posts"],
                    f"archive category category-{cat['slug']}",
                )
        for tag in self.tags.values():
            if tag["posts"]:
                self.archive(
                    tag["path"],
                    tag["name"],
                    f"Etikett: {tag['name']}",
                    tag["posts"],
                    f"archive tag tag-{tag['slug']}",
                )
        for i, page in enumerate(self.cfg["pages"]):
            page.update(id=40 + i, path=f"/{page['slug']}/", html=body_html(page["body"]))
            self.write(page["path"], "page.html", page=page)
            self.not_articles.append(page["path"])
        self.write("/", "home.html", latest=self.posts[:4])
        self.not_articles.append("/")
        now = format_datetime(
            datetime.combine(self.posts[0]["published"], datetime.min.time(), UTC)
        )
        items = self.posts[:FEED_SIZE]
        assert all(p["show_date"] for p in items), "an undated post must stay out of the feed"
        self.write("/feed/", "feed.xml", items=items, build_date=now)
        self.content_types["/feed/"] = "application/rss+xml; charset=UTF-8"
        self.static_files()

    def archive(
        self,
        base: str,
        title: str,
        heading: str,
        posts: list[Post],
        body_class: str,
        excerpts: bool = False,
    ) -> None:
        pages = max(1, -(-len(posts) // PER_PAGE))

        def href(n: int) -> str:
            return base if n == 1 else f"{base}page/{n}/"

        for n in range(1, pages + 1):
            info = {
                "title": title,
                "heading": heading,
                "page": n,
                "pages": pages,
                "path": href(n),
                "body_class": body_class,
                "excerpts": excerpts,
                "posts": posts[(n - 1) * PER_PAGE : n * PER_PAGE],
                "prev_path": href(n - 1) if n > 1 else None,
                "next_path": href(n + 1) if n < pages else None,
                "page_links": [(k, href(k)) for k in range(1, pages + 1)],
            }
            self.write(href(n), "archive.html", archive=info)
            self.not_articles.append(href(n))

    def static_files(self) -> None:
        assets = HERE / "assets"
        for src in assets.rglob("*"):
            if src.is_file():
                dest = PUBLIC / src.relative_to(assets)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)

    def truth(self) -> list[dict[str, Any]]:
        rows = []
        for post in sorted(self.posts, key=lambda p: p["path"]):
            row = {
                "site": self.cfg["site"]["id"],
                "path": post["path"],
                "title": post["title"],
                "published": post["published"].isoformat() if post["show_date"] else None,
                "language": post["language"],
                "kind": post["kind"],
                "topics": post["topics"],
                "organizations": post["organizations"],
            }
            if "duplicate_of" in post:
                row["duplicate_of"] = post["duplicate_of"]
            rows.append(row)
        return rows

    def site_yaml(self) -> str:
        site = dict(self.cfg["site"])
        site.update(content_types=self.content_types, not_articles=sorted(self.not_articles))
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

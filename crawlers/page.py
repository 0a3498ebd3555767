"""What the crawler needs to know about one HTML page: links to follow, title, canonical URL,
and whether it is an article or a listing/tag/boilerplate page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawlers import urls
from crawlers.discovery import feeds_announced, iso_date

# Containers whose links and text are chrome, not content.
CHROME_TAGS = (
    "nav",
    "header",
    "footer",
    "aside",
    "script",
    "style",
    "noscript",
    "form",
    "template",
)
CHROME_WORDS = re.compile(
    r"cookie|consent|breadcrumb|brodsmul|brødsmul|menu|meny|sidebar|share|social|skip|"
    r"related|relaterad|relatert|relateret|lasmer|las-mer|les-mer|læs-mer|footer|header|banner",
    re.I,
)
LISTING_WORDS = re.compile(
    r"nyhet|nyheter|aktuellt|aktuelt|nyheder|nyhed|news|press|arkiv|archive|artik|blogg?|"
    r"kalender|calendar|evenemang|arrangement|event|seminar|konferen|aktivitet|magasin|"
    r"reportage|meddelel|meldinger|innsikt|insikt",
    re.I,
)
NEXT_WORDS = re.compile(
    r"^(nästa|neste|næste|next|äldre|eldre|ældre|older|fler|flere|mer|more|›|»|>|→)\b|"
    r"(nästa|neste|næste|next)\s*(sida|side|page)?\s*[›»>→]?$",
    re.I,
)
PAGE_PARAM = re.compile(r"(^|&)(page|sida|side|p|paged|pg|start|offset)=\d+", re.I)
ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "report", "pressrelease", "event"}
MIN_BODY_WORDS = 60


@dataclass
class Link:
    url: str
    text: str


@dataclass
class PageInfo:
    url: str
    canonical: str
    title: str
    title_from_h1: bool
    published: str | None  # structured date in the markup, if any
    is_article: bool
    reason: str
    body_words: int
    content_links: list[Link] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)
    nav_listings: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def _words(text: str | None) -> int:
    return len((text or "").split())


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _is_chrome(el: etree._Element) -> bool:
    if el.tag in CHROME_TAGS:
        return True
    marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    return bool(marks.strip()) and bool(CHROME_WORDS.search(marks)) and el.tag != "body"


def _in_chrome(el: etree._Element) -> bool:
    return any(_is_chrome(a) for a in el.iterancestors()) or _is_chrome(el)


def parse_tree(text: str) -> etree._Element | None:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), base_url=None)
    except (etree.ParserError, ValueError):
        return None


def _meta(tree: etree._Element, *names: str) -> str | None:
    for name in names:
        for el in tree.iterfind(".//meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            if key == name and el.get("content"):
                return _clean(el.get("content"))
    return None


def _jsonld_objects(tree: etree._Element) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                out.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph" and isinstance(v, list))
    return out


def _jsonld_type(obj: dict[str, object]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def main_region(tree: etree._Element) -> etree._Element:
    for path in (".//main", ".//*[@role='main']", ".//*[@id='content']", ".//*[@id='main']"):
        found = tree.find(path)
        if found is not None:
            return found
    body = tree.find(".//body")
    return body if body is not None else tree


def _linked_heading(el: etree._Element) -> bool:
    if el.tag not in ("h2", "h3", "h4", "h5"):
        return False
    return el.find(".//a[@href]") is not None or any(a.tag == "a" for a in el.iterancestors())


def _teasers(region: etree._Element) -> int:
    return sum(1 for el in region.iter("h2", "h3", "h4", "h5") if _linked_heading(el))


def _own_text_words(p: etree._Element) -> int:
    """Words of a paragraph that are not link text."""
    total = _words(p.text_content())
    linked = sum(_words(a.text_content()) for a in p.iter("a"))
    return total - linked


def body_words(region: etree._Element) -> int:
    """Words in the largest block of running text, counted per parent of the paragraphs.

    Article bodies keep their paragraphs together; listings spread short teaser texts over
    one block per item, and a parent that also holds linked headings is a teaser list.
    """
    per_parent: dict[etree._Element, int] = {}
    for p in region.iter("p", "blockquote", "li"):
        if _in_chrome(p):
            continue
        words = _own_text_words(p)
        if words <= 0 or (p.tag == "li" and words < 12):
            continue
        parent = p.getparent()
        if parent is None:
            continue
        if parent.tag in ("ul", "ol") and parent.getparent() is not None:
            parent = parent.getparent()
        per_parent[parent] = per_parent.get(parent, 0) + words
    best = 0
    for parent, words in per_parent.items():
        if sum(1 for c in parent if _linked_heading(c)) >= 2:
            continue
        # Bodies split into sections: count the grandparent's sections together.
        grand = parent.getparent()
        if grand is not None and grand in per_parent:
            continue
        siblings = sum(
            w for p, w in per_parent.items() if grand is not None and p.getparent() is grand
        )
        best = max(best, words, siblings if _teasers(grand) < 2 else 0)
    return best


def _title(tree: etree._Element, region: etree._Element) -> tuple[str, bool]:
    """The headline, and whether it came from an h1 (else from og:title or <title>)."""
    h1 = next((h for h in region.iter("h1") if _clean(h.text_content())), None)
    if h1 is None:
        h1 = next((h for h in tree.iter("h1") if _clean(h.text_content())), None)
    if h1 is not None:
        return _clean(h1.text_content()), True
    for candidate in (_meta(tree, "og:title", "twitter:title"), _clean(tree.findtext(".//title"))):
        if candidate:
            return re.split(r"\s+[|–—-]\s+", candidate)[0].strip(), False
    return "", False


def structured_date(tree: etree._Element, region: etree._Element) -> str | None:
    value = _meta(
        tree,
        "article:published_time",
        "datepublished",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "date",
        "pubdate",
        "publishdate",
    )
    if not value:
        for obj in _jsonld_objects(tree):
            if obj.get("datePublished"):
                value = str(obj["datePublished"])
                break
    if not value:
        for time_el in region.iter("time"):
            if time_el.get("datetime") and not _in_chrome(time_el):
                value = time_el.get("datetime")
                break
    return iso_date(value)


def _links(region: etree._Element, base: str, skip_chrome: bool = True) -> list[Link]:
    out = []
    for a in region.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        if skip_chrome and _in_chrome(a):
            continue
        out.append(Link(urls.canonical(urljoin(base, href)), _clean(a.text_content())))
    return out


def _pagination(tree: etree._Element, base: str) -> list[str]:
    found = [urljoin(base, el.get("href", "")) for el in tree.iterfind(".//*[@rel='next'][@href]")]
    for a in tree.iter("a"):
        href = a.get("href") or ""
        label = _clean(a.text_content())
        query = urlsplit(urljoin(base, href)).query
        parent = a.getparent()
        classes = f"{a.get('class', '')} {parent.get('class', '') if parent is not None else ''}"
        looks_paging = PAGE_PARAM.search(query) or NEXT_WORDS.search(label) or "pag" in classes
        if looks_paging and href and not href.startswith("#"):
            found.append(urljoin(base, href))
    return [urls.canonical(u) for u in dict.fromkeys(found)]


def analyse(text: str, url: str) -> PageInfo | None:
    tree = parse_tree(text)
    if tree is None:
        return None
    region = main_region(tree)
    canonical_href = next(
        (el.get("href") for el in tree.iterfind(".//link[@rel='canonical'][@href]")), None
    )
    canonical = urls.canonical(urljoin(url, canonical_href)) if canonical_href else url
    if not urls.same_site(canonical, url):
        canonical = url  # a canonical on another site would merge two publishers' copies
    words = body_words(region)
    verdict, reason = _verdict(tree, region, url, words)
    title, from_h1 = _title(tree, region)
    info = PageInfo(
        url=url,
        canonical=urls.canonical(canonical),
        title=title,
        title_from_h1=from_h1,
        published=structured_date(tree, region),
        is_article=verdict,
        reason=reason,
        body_words=words,
    )
    info.content_links = [link for link in _links(region, url) if urls.same_site(link.url, url)]
    info.pagination = [u for u in _pagination(tree, url) if urls.same_site(u, url)]
    info.nav_listings = [
        link for link in _links(tree, url, skip_chrome=False) if _is_listing_link(link, url)
    ]
    info.feeds = feeds_announced(tree, url)
    return info


def _is_listing_link(link: Link, base: str) -> bool:
    """A menu entry like "Nyheter" or /aktuellt/ — a section, not an article slug."""
    if not urls.same_site(link.url, base):
        return False
    segments = [s for s in urlsplit(link.url).path.split("/") if s]
    last = segments[-1] if segments else ""
    by_path = len(segments) <= 2 and len(last) <= 30 and bool(LISTING_WORDS.search(last))
    by_text = len(link.text) <= 30 and bool(LISTING_WORDS.search(link.text))
    return by_path or by_text


def _verdict(
    tree: etree._Element, region: etree._Element, url: str, words: int
) -> tuple[bool, str]:
    path = urlsplit(url).path
    if path in ("", "/") and not urlsplit(url).query:
        return False, "homepage"
    if PAGE_PARAM.search(urlsplit(url).query):
        return False, "paginated listing"
    if words < MIN_BODY_WORDS:
        return False, f"boilerplate only ({words} words of running text)"
    teasers = _teasers(region)
    if teasers >= 4 and words < 150:
        return False, f"listing ({teasers} linked headings)"
    return True, f"article ({words} words)"

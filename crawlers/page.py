"""What the crawler needs to know about one HTML page: links to follow, title, canonical URL,
and whether it is an article or a listing/tag/boilerplate page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawlers import dates, structure, urls
from crawlers.blocks import measure
from crawlers.discovery import feeds_announced, iso_date

# Containers whose links and text are chrome, not content.
CHROME_TAGS = ("nav", "aside", "script", "style", "noscript", "template", "select", "button")
PAGE_CHROME_TAGS = ("header", "footer")  # chrome at page level, content inside an <article>
CONTENT_ANCESTORS = ("article", "main", "section")
# Class/id words (split at spaces, - and _) that mark chrome. Whole words only: a class
# like "tag-sociala-krav" must not read as "social".
CHROME_WORDS = {
    "cookie", "cookies", "consent", "breadcrumb", "breadcrumbs", "brodsmulor", "brødsmuler",
    "menu", "meny", "sidebar", "share", "sharing", "social", "skiplink", "related",
    "relatedposts", "relaterade", "relaterte", "relaterede", "navigation", "navbar",
    "masthead", "colophon", "sitefooter", "siteheader",
}  # fmt: skip
CLASS_SPLIT = re.compile(r"[\s_-]+")
PUBLISHED_WORDS = re.compile(r"publi[cs]er|published|posted|dato|datum|date", re.I)
UPDATED_WORDS = re.compile(r"uppdater|oppdater|opdater|ändrad|endret|ændret|updated|modified", re.I)
# Names of news sections, as a URL path segment or a menu label.
LISTING_WORDS = re.compile(
    r"^(nyheter|nyhet|nyhende|aktuellt|aktuelt|nyheder|news|press|presse|pressrum|"
    r"pressmeddelanden|pressemeldinger|pressemeddelelser|nyhetsarkiv|nyhedsarkiv|arkiv|"
    r"archive|artiklar|artikler|articles|blogg?|kalender|calendar|evenemang|arrangement(er)?|"
    r"events?|seminarier|konferenser|aktiviteter|magasin|reportage|innsikt|insikt|"
    r"meddelelser|alla nyheter|alle nyheter|alle nyheder|fler nyheter|flere nyheter)"
    r"(\.\w+)?$",
    re.I,
)
NEXT_WORDS = re.compile(
    r"^(nästa|neste|næste|next|äldre|eldre|ældre|older|fler|flere|mer|more|›|»|>|→)\b|"
    r"(nästa|neste|næste|next)\s*(sida|side|page)?\s*[›»>→]?$",
    re.I,
)
PAGE_PARAM = re.compile(r"(^|&)(page|sida|side|p|paged|pg|start|offset)=\d+", re.I)
PAGE_PATH = re.compile(r"/(page|sida|side)[-/]?\d+/?$", re.I)
# How much running text an article needs depends on how clearly the page is built as one.
# Plain pages: standing pages (about us, membership, procurement info) run up to ~80 words,
# so a dated page needs 80 and an undated one 120. Marked up as an article (og:type,
# schema.org, <article> around the h1, or linked from a news listing) with its headline over
# running paragraphs, a short news item of 40 words is kept, dated or not.
MIN_BODY_WORDS = 80
MIN_UNDATED_WORDS = 120
MIN_SHORT_NEWS_WORDS = 40
# Marks only articles carry; the other signs (slug, paragraphs, a date) also fit standing pages.
STRONG_SIGNS = ("og:type", "schema.org", "<article>", "linked from a news listing")


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
    signs: list[str] = field(default_factory=list)  # structural evidence (crawlers.structure)
    # Not an article as fetched, but would be if a news listing linked it (the spider may
    # learn that after the page came in through the sitemap).
    article_if_listed: bool = False
    content_links: list[Link] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)
    nav_listings: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _is_chrome(el: etree._Element) -> bool:
    if el.tag in CHROME_TAGS:
        return True
    if el.tag in PAGE_CHROME_TAGS:
        return not any(a.tag in CONTENT_ANCESTORS for a in el.iterancestors())
    marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}".lower()
    if el.tag in ("body", "main") or not marks.strip():
        return False
    return not CHROME_WORDS.isdisjoint(CLASS_SPLIT.split(marks))


def _in_chrome(el: etree._Element) -> bool:
    return any(_is_chrome(a) for a in el.iterancestors()) or _is_chrome(el)


UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")  # the text is decoded already: ignore <meta>


def parse_tree(text: str) -> etree._Element | None:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=UTF8_HTML)
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


def main_region(tree: etree._Element) -> etree._Element:
    for path in (".//main", ".//*[@role='main']", ".//*[@id='content']", ".//*[@id='main']"):
        found = tree.find(path)
        if found is not None:
            return found
    body = tree.find(".//body")
    return body if body is not None else tree


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
        value = next(
            (t.get("datetime") for t in region.iter("time") if _is_publication_time(t)), None
        )
    return iso_date(value)


def _is_publication_time(el: etree._Element) -> bool:
    """A <time> that says when the page was published (not updated, not a teaser's date)."""
    if not el.get("datetime") or _in_chrome(el) or any(a.tag == "li" for a in el.iterancestors()):
        return False
    marks = f"{el.get('class', '')} {el.get('itemprop', '')}"
    if el.get("pubdate") is not None or "publish" in marks.lower():
        return True
    parent = el.getparent()
    before = (parent.text or "") if parent is not None else ""
    label = before + " " + marks
    return not UPDATED_WORDS.search(label) and bool(PUBLISHED_WORDS.search(label) or not before)


def _links(region: etree._Element, base: str, skip_chrome: bool = True) -> list[Link]:
    out = []
    for a in region.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        if skip_chrome and _in_chrome(a):
            continue
        out.append(Link(urls.absolute(base, href), _clean(a.text_content())))
    return out


def _pagination(tree: etree._Element, base: str) -> list[str]:
    found = [
        urls.absolute(base, el.get("href", "")) for el in tree.iterfind(".//*[@rel='next'][@href]")
    ]  # noqa: E501
    for a in tree.iter("a"):
        href = a.get("href") or ""
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        target = urlsplit(urls.absolute(base, href))
        label = _clean(a.text_content())
        parent = a.getparent()
        classes = f"{a.get('class', '')} {parent.get('class', '') if parent is not None else ''}"
        if (
            PAGE_PARAM.search(target.query)
            or PAGE_PATH.search(target.path)
            or (len(label.split()) <= 3 and NEXT_WORDS.search(label))
            or "pag" in classes
        ):
            found.append(target.geturl())
    return list(dict.fromkeys(found))


def analyse(
    text: str, url: str, dated_elsewhere: bool = False, from_listing: bool = False
) -> PageInfo | None:
    """`dated_elsewhere`: a feed or news sitemap gave the page's date (the page may not).
    `from_listing`: a news listing linked the page (the spider knows the linking page)."""
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
    teasers, words = measure(region, _is_chrome)
    published = structured_date(tree, region)
    region_text = region.text_content()
    published = published or dates.labelled_date(region_text)
    dated = bool(dated_elsewhere or published or dates.first_date(region_text))
    found = structure.assess(
        tree, region, url, _meta(tree, "og:type"), _jsonld_types(tree), _in_chrome
    )
    if from_listing:
        found.signs.append("linked from a news listing")
    verdict, reason = _verdict(url, teasers, words, dated, found)
    if_listed = False
    if not verdict and not from_listing:
        vouched = structure.Structure([*found.signs, "linked from a news listing"], found.against)
        if_listed = _verdict(url, teasers, words, dated, vouched)[0]
    title, from_h1 = _title(tree, region)
    info = PageInfo(
        url=url,
        canonical=urls.canonical(canonical),
        title=title,
        title_from_h1=from_h1,
        published=published,
        is_article=verdict,
        reason=reason,
        body_words=words,
        signs=found.signs + [f"not: {x}" for x in found.against],
        article_if_listed=if_listed,
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
    by_path = len(segments) <= 2 and bool(LISTING_WORDS.match(last))
    by_text = bool(LISTING_WORDS.match(link.text.strip(" ›»→")))
    return by_path or by_text


def _verdict(
    url: str, teasers: int, words: int, dated: bool, found: structure.Structure
) -> tuple[bool, str]:
    parts = urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        return False, "homepage"
    if PAGE_PARAM.search(parts.query) or PAGE_PATH.search(parts.path):
        return False, "paginated listing"
    undated = "" if dated else ", no date"
    if found.against and (not dated or words < MIN_UNDATED_WORDS):
        return False, f"standing page ({'; '.join(found.against)}), {words} words{undated}"
    needed = _words_needed(dated, found.signs)
    if words < needed:
        kind = f"listing ({teasers} teasers)" if teasers >= 2 else "boilerplate only"
        return False, f"{kind}, {words} < {needed} words of running text{undated}"
    evidence = f"; {', '.join(found.signs)}" if found.signs else ""
    return True, f"article ({words} words{undated}{evidence})"


def _words_needed(dated: bool, signs: list[str]) -> int:
    strong = any(sign.startswith(STRONG_SIGNS) for sign in signs)
    if strong and "h1 over running paragraphs" in signs:
        return MIN_SHORT_NEWS_WORDS
    if dated or strong or {"slug address", "h1 over running paragraphs"} <= set(signs):
        return MIN_BODY_WORDS
    return MIN_UNDATED_WORDS


def _jsonld_types(tree: etree._Element) -> set[str]:
    found: set[str] = set()
    for obj in _jsonld_objects(tree):
        kinds = obj.get("@type")
        for kind in kinds if isinstance(kinds, list) else [kinds]:
            if isinstance(kind, str):
                found.add(kind.rsplit("/", 1)[-1].lower())
    return found

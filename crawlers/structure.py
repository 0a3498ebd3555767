"""Whether a page is built like an article, whatever its date says.

Many municipal CMSs print no date at all on a news item, so a date cannot be what makes a
page an article. These are the structural signs an article carries (og:type, schema.org
type, an <article> around the headline, a headline followed by running paragraphs, a slug
address, a link from a news listing) and the signs of a standing page (a contact or
"about" address, a page that is mostly addresses and phone numbers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportage", "reportagenewsarticle",
    "analysisnewsarticle", "pressrelease", "report", "socialmediaposting",
}  # fmt: skip
# Last path segments of pages that stand (contact, about, opening hours, privacy …), in
# sv/nb/nn/da/en; matched on the slug's words (an "om-oss.html" or "kontakta-oss" too).
STANDING_SLUGS = re.compile(
    r"^(kontakt\w*|om|about|oppettider|öppettider|apningstider|åpningstider|opningstider|"
    r"åbningstider|abningstider|opening-hours|personuppgifter|personvern|personvernerklaering|"
    r"personoplysninger|privacy|integritet\w*|cookies?|cookiepolicy|tillganglighet\w*|"
    r"tilgjengelighet\w*|tilgaengelighed\w*|accessibility|webbtillganglighet|sitemap|"
    r"webbkarta|nettstedskart|sok|sök|search|soeg|login|logga-in|bli-medlem|medlemskap|"
    r"press(rum)?|presskontakt|organisation|organisasjon|jobba-hos-oss|lediga-jobb|"
    r"ledige-stillinger|english|in-english)$",
    re.I,
)
STANDING_PREFIXES = ("kontakt", "contact")
# "Om …" / "About …" pages are named by two or three words (om-oss, om-kvarnby-kommun);
# a longer slug that starts with "om" is a headline ("om-tre-veckor-oppnar-badet").
ABOUT_WORDS = ("om", "about")
SLUG_WORD = re.compile(r"[^\W_]+", re.U)
# Lines that are contact details rather than prose.
CONTACT_LINE = re.compile(
    r"(\+?\d[\d\s-]{6,}\d)|(@[\w-]+\.)|(\b\d{3}\s?\d{2}\s+\w)|(\bbox\b|\bpostboks\b|\bbesöks)|"
    r"(\d{1,2}[.:]\d{2}\s*[–-]\s*\d{1,2}[.:]\d{2})",
    re.I,
)
MIN_PARAGRAPH_WORDS = 8  # a line of running text, not a caption or a label
MIN_SINGLE_PARAGRAPH_WORDS = 30


@dataclass
class Structure:
    """The structural evidence found on one page."""

    signs: list[str] = field(default_factory=list)  # evidence that the page is an article
    against: list[str] = field(default_factory=list)  # evidence that it is a standing page

    @property
    def score(self) -> int:
        return len(self.signs)


def slug_words(url: str) -> list[str]:
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    last = re.sub(r"\.(html?|php|aspx?|jsp)$", "", segments[-1], flags=re.I) if segments else ""
    return SLUG_WORD.findall(last.lower())


def is_standing_path(url: str) -> bool:
    segments = [s for s in unquote(urlsplit(url).path).lower().split("/") if s]
    if not segments:
        return False
    last = re.sub(r"\.(html?|php|aspx?|jsp)$", "", segments[-1])
    if STANDING_SLUGS.match(last) or last.startswith(STANDING_PREFIXES):
        return True
    found = slug_words(url)
    return bool(found) and found[0] in ABOUT_WORDS and len(found) <= 3


def is_slug(url: str) -> bool:
    """A last path segment that reads as a headline: four or more words, or three with a
    number (…/snorojning-i-vinter-2026/), not a numeric id (/node/1041)."""
    found = slug_words(url)
    if len(found) >= 4:
        return True
    return (
        len(found) == 3 and any(w.isdigit() for w in found) and not all(w.isdigit() for w in found)
    )


def _heads_running_text(h1: etree._Element, region: etree._Element) -> bool:
    """Whether the headline stands over running text: in the nearest container around it
    that holds any (up to three levels out, never beyond the region), two paragraphs or one
    long one. A short news item is often a single paragraph."""
    container = h1.getparent()
    for _ in range(4):
        if container is None:
            return False
        lengths = [
            n
            for p in container.iter("p")
            if (n := len(p.text_content().split())) >= MIN_PARAGRAPH_WORDS
            and not any(a.tag in ("li", "aside", "nav", "footer") for a in p.iterancestors())
        ]
        if lengths:
            return len(lengths) >= 2 or sum(lengths) >= MIN_SINGLE_PARAGRAPH_WORDS
        if container is region:
            return False
        container = container.getparent()
    return False


def _contact_heavy(region: etree._Element) -> bool:
    """A short page whose lines are mostly addresses, phone numbers and opening hours."""
    lines = [ln.strip() for ln in region.itertext() if len(ln.strip()) > 3]
    if not lines:
        return False
    contact = sum(1 for ln in lines if CONTACT_LINE.search(ln))
    return contact >= 3 and contact * 3 >= len(lines)


def assess(
    tree: etree._Element,
    region: etree._Element,
    url: str,
    og_type: str | None,
    jsonld_types: set[str],
    in_chrome: Callable[[etree._Element], bool],
) -> Structure:
    found = Structure()
    if (og_type or "").lower() == "article":
        found.signs.append("og:type article")
    if jsonld_types & ARTICLE_TYPES:
        found.signs.append("schema.org " + "/".join(sorted(jsonld_types & ARTICLE_TYPES)))
    headlines = [h for h in region.iter("h1") if h.text_content().strip() and not in_chrome(h)]
    if len(headlines) == 1:
        h1 = headlines[0]
        if any(a.tag == "article" for a in h1.iterancestors()):
            found.signs.append("<article> holds the h1")
        if _heads_running_text(h1, region):
            found.signs.append("h1 over running paragraphs")
    elif len(headlines) > 1:
        found.against.append(f"{len(headlines)} h1 headlines")
    if is_slug(url):
        found.signs.append("slug address")
    if is_standing_path(url):
        found.against.append("standing-page address")
    if _contact_heavy(region):
        found.against.append("mostly contact details")
    return found

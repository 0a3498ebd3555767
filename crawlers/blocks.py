"""How much running text a page holds once its teaser items are taken away.

An article keeps its paragraphs together under one parent (or one level of sections); a
listing or tag page is a series of teasers — a headline link with a short text — and maybe
an intro line. Removing every teaser item and measuring what is left tells them apart, and a
"related articles" block inside an article is removed without hurting the body.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml import etree

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TITLE_CLASS = re.compile(r"title|heading|rubrik|overskrift|headline|link", re.I)
MAX_TEASER_WORDS = 90  # a teaser item's whole text; article bodies are longer
MIN_HEADLINE_WORDS = 3


def words(text: str | None) -> int:
    return len((text or "").split())


def _headline_link(a: etree._Element) -> bool:
    """A link that names another page the way a teaser does (not an inline link in text)."""
    if words(a.text_content()) < MIN_HEADLINE_WORDS:
        return False
    in_heading = any(x.tag in HEADINGS for x in a.iterancestors())
    if in_heading or next(a.iter(*HEADINGS), None) is not None:
        return True
    if TITLE_CLASS.search(a.get("class", "")):
        return True
    return not any(x.tag == "p" for x in a.iterancestors())


def _summaries(
    region: etree._Element, links: set[etree._Element]
) -> tuple[dict[etree._Element, int], dict[etree._Element, frozenset[str]]]:
    """Per element, in one bottom-up pass: its words, and up to two headline-link targets
    inside it (two are enough to know an element holds more than one teaser)."""
    total: dict[etree._Element, int] = {}
    targets: dict[etree._Element, frozenset[str]] = {}
    for el in reversed(list(region.iter())):
        count = words(el.text) if isinstance(el.tag, str) else 0
        found = {el.get("href", "")} if el in links else set()
        for child in el:
            count += total[child] + words(child.tail)
            if len(found) < 2:
                found |= targets[child]
        total[el] = count
        targets[el] = frozenset(sorted(found)[:2])
    return total, targets


def remove_teasers(region: etree._Element, is_chrome: Callable[[etree._Element], bool]) -> int:
    """Cut every teaser item out of `region` (in place); returns how many there were.

    A teaser item is the largest element around a headline link that holds no other
    headline link and little text."""
    links = [a for a in region.iter("a") if a.get("href") and _headline_link(a)]
    total, targets = _summaries(region, set(links))
    items = []
    for a in links:
        item = a
        while True:
            parent = item.getparent()
            if parent is None or parent is region:
                break
            if targets[parent] - {a.get("href", "")} or total[parent] > MAX_TEASER_WORDS:
                break
            item = parent
        items.append(item)
    removed = 0
    for item in dict.fromkeys(items):
        parent = item.getparent()
        if parent is not None and _attached(item, region) and not is_chrome(item):
            parent.remove(item)
            removed += 1
    return removed


def _attached(el: etree._Element, root: etree._Element) -> bool:
    return any(x is root for x in el.iterancestors())


INLINE = ("b", "i", "em", "strong", "span", "br", "small", "u", "abbr", "time", "sup", "sub")
MIN_LOOSE_WORDS = 20  # text typed straight into a <div> or <td>, lines split by <br>


def _loose_words(el: etree._Element) -> int:
    """Words of text that sits directly in a container (old CMSs: <div>text<br>text</div>)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in INLINE:
            parts.append(child.text_content() or "")
        parts.append(child.tail or "")
    return words(" ".join(parts))


def _own_words(el: etree._Element) -> int:
    """Words of a block that are not link text."""
    return words(el.text_content()) - sum(words(a.text_content()) for a in el.iter("a"))


def body_words(region: etree._Element, in_chrome: Callable[[etree._Element], bool]) -> int:
    """Words of the largest block of running text: paragraphs summed per parent, and a
    parent's sections summed with their siblings' (bodies split by subheadings)."""
    per_parent: dict[etree._Element, int] = {}
    for block in region.iter("p", "blockquote", "li", "td", "div", "section", "article"):
        if in_chrome(block) or any(x.tag in ("p", "li") for x in block.iterancestors()):
            continue
        if block.tag in ("p", "blockquote", "li"):
            count = _own_words(block)
            if count <= 0 or (block.tag == "li" and count < 8):
                continue
        else:
            count = _loose_words(block)
            if count < MIN_LOOSE_WORDS:
                continue
        parent = block.getparent()
        if parent is None:
            continue
        if parent.tag in ("ul", "ol", "tr", "tbody") and parent.getparent() is not None:
            parent = parent.getparent()
        per_parent[parent] = per_parent.get(parent, 0) + count
    best = 0
    by_grandparent: dict[etree._Element, int] = {}
    for parent, count in per_parent.items():
        best = max(best, count)
        grand = parent.getparent()
        if grand is not None:
            by_grandparent[grand] = by_grandparent.get(grand, 0) + count
    return max([best, *by_grandparent.values()])


def measure(region: etree._Element, is_chrome: Callable[[etree._Element], bool]) -> tuple[int, int]:
    """(teaser items, words of running text left without them) of a copy of `region`."""
    work = copy.deepcopy(region)
    teasers = remove_teasers(work, is_chrome)

    def in_chrome(el: etree._Element) -> bool:
        return is_chrome(el) or any(is_chrome(a) for a in el.iterancestors())

    return teasers, body_words(work, in_chrome)

"""Highlighted snippets, made the same way for both backends.

The window of text with the most distinct matched words is cut out, escaped and its matches
wrapped in <mark>. A word matches when it is a query word as written, shares a stem with
one, continues a prefix, contains one as a compound part, or is one of the cross-lingual
equivalents the query was expanded to (in the article's language).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import compress, islice, repeat

from procradar.core.crosslingual import equivalences
from procradar.core.index.analysis import compound_parts, stem
from procradar.core.index.plan import Plan

WINDOW = 32  # words
SCAN_CHARS = 4000  # a snippet comes from the start of a long text; scanning all costs time
_WORD = re.compile(r"[^\W_]+")


def make_matcher(plan: Plan, lang: str) -> Callable[[set[str]], set[str]]:
    """Which of a text's words to mark. Each text word stands for a few keys (`_keys`: as
    written, its stem, its compound parts' stems), kept across searches; a word is marked
    when a key is one the query's words give. All of that runs as set operations and
    C-level maps, with no Python call per word: a page decides a thousand words."""
    exact, stems, prefixes = plan.highlight_words(lang)
    stems |= equivalences().stems_for(plan.concept_ids(), lang)
    wanted = {EXACT + w for w in exact} | {STEM + s for s in stems}
    starts = tuple(prefixes)
    yes: set[str] = set()
    no: set[str] = set()

    def good(words: set[str]) -> set[str]:
        new = list(words.difference(yes, no))
        unmarked = list(compress(new, map(wanted.isdisjoint, map(_keys, new, repeat(lang)))))
        if starts:  # a prefix query: few, so a loop will do
            unmarked = [w for w in unmarked if not w.lower().startswith(starts)]
        no.update(unmarked)
        yes.update(set(new).difference(unmarked))
        return words & yes

    return good


EXACT, STEM = "=", "~"


@lru_cache(maxsize=200_000)
def _keys(word: str, lang: str) -> frozenset[str]:
    """A text word as written (lowered), its stem and its compound parts' stems, tagged.
    Kept across searches: the words of a page's twenty texts mostly recur in the next's."""
    low = word.lower()
    parts = (stem(p, lang) for p in compound_parts(low, lang))
    return frozenset((EXACT + low, STEM + stem(low, lang), *(STEM + p for p in parts)))


def snippet(plan: Plan, article: dict[str, object], window: int = WINDOW) -> str:
    lang = str(article.get("language") or "und")
    matcher = plan.matchers.get(lang)
    if matcher is None:  # one per language and search: its word cache serves every hit
        matcher = plan.matchers[lang] = make_matcher(plan, lang)
    for key in ("text", "summary", "title"):
        text = unicodedata.normalize("NFC", str(article.get(key) or ""))
        if text and not plan.match_all:
            found = _best_window(text, matcher, window)
            if found:
                return found
    fallback = str(article.get("summary") or article.get("text") or "")
    return _render(unicodedata.normalize("NFC", fallback), [], window)


def _best_window(text: str, matcher: Callable[[set[str]], set[str]], window: int) -> str | None:
    found = _WORD.findall(text, 0, SCAN_CHARS)
    good = matcher(set(found))
    if not good:
        return None
    hits = list(compress(range(len(found)), map(good.__contains__, found)))
    best = _densest(hits, [found[i].lower() for i in hits], window)
    begin = max(0, best - 4)
    marked = [i - begin for i in hits if begin <= i < begin + window]
    # Offsets of the window's words only (and one more: the "…" after it needs it).
    spans = [
        m.span() for m in islice(_WORD.finditer(text, 0, SCAN_CHARS), begin, begin + window + 1)
    ]
    return _render(text, spans, window, begin > 0, marked, more=len(found) > begin + window)


def _densest(hits: list[int], words: list[str], window: int) -> int:
    """The first hit starting the window with the most distinct matched words: one pass
    with two ends (a text naming the query fifty times made the pairwise scan dominate)."""
    best, best_score = hits[0], -1
    inside: dict[str, int] = {}
    end = 0
    for first, start in enumerate(hits):
        while end < len(hits) and hits[end] < start + window:
            inside[words[end]] = inside.get(words[end], 0) + 1
            end += 1
        if len(inside) > best_score:
            best, best_score = start, len(inside)
        left = words[first]
        inside[left] -= 1
        if not inside[left]:
            del inside[left]
    return best


def _render(
    text: str,
    spans: list[tuple[int, int]],
    window: int,
    cut_before: bool = False,
    marked: list[int] | None = None,
    more: bool | None = None,
) -> str:
    """The words spans[0 .. window-1] of `text`, escaped, those at `marked` wrapped in
    <mark>; "…" where text was cut before (`cut_before`) or after them."""
    spans = spans or [m.span() for m in _WORD.finditer(text, 0, SCAN_CHARS)]
    if not spans:
        return ""
    last = min(len(spans), window) - 1
    start, end = spans[0][0], spans[last][1]
    out: list[str] = ["… " if cut_before else ""]
    pos = start
    for i in marked or []:
        s, e = spans[i]
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    if (last < len(spans) - 1) if more is None else more:
        out.append(" …")
    return "".join(out)

"""Search that never answers nothing: when no article has all the query's words, fall back
to the best subset of them that still matches, and say which words were left out.

Backend-neutral: it only calls the backend's own search with rewritten requests, so SQLite
and Elasticsearch relax the same way. Which subset is "best": the largest one that matches,
and among subsets of that size the one keeping the most informative words (the rarest, by
how many articles match each word alone within the same filters), then the most hits.
A word that no article has is first tried in its likely spellings (procradar.core.index.
spelling): the most common variant that matches takes its place, and the result says so.
A first page left short goes on with the articles of the next subsets, below; so does a
query of two words or more that fewer than FEW_HITS articles match in full, and a long one
(FILL_UNITS words or more) that fewer articles match in full than fill the first page.
Digests never relax (a saved search means exactly what it says); the web app and the CLI
ask for it with SearchRequest.relax.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from itertools import combinations
from typing import Any

from procradar.core.crosslingual import equivalences
from procradar.core.index import spelling
from procradar.core.index.analysis import common_concepts
from procradar.core.index.base import SearchRequest, SearchResult
from procradar.core.index.everyday import is_everyday
from procradar.core.index.places import place_regions
from procradar.core.index.plan import LIST_FILTERS, Plan, Unit, make_plan
from procradar.core.query import Term

Search = Callable[[SearchRequest], SearchResult]
#: Above this many query units only the largest subsets are tried (the rest is too many).
MAX_UNITS = 8
MAX_SUBSETS = 40
#: At most this many more searches fill a relaxed first page that is not full.
MAX_FILLS = 4
MIN_FILL_HITS = 3
#: A query of two words or more that fewer than FEW_HITS articles match in full (one of
#: at least FILL_UNITS words: fewer than a page) goes on with the articles that have all
#: but one of its words. Five, half a first page: at three, a two-word query whose pair
#: only three or four articles have (erfaringar med innovasjonspartnarskap) left the rest
#: of the page empty while many articles have its rarer word.
FEW_HITS = 5
FILL_UNITS = 3
#: Common words are kept when the query's other words match more than this share of the
#: articles (within the filters): then they are no narrower than the common ones.
BROAD_SHARE = 0.5


def relaxed_search(search: Search, request: SearchRequest, expand_default: bool) -> SearchResult:
    search = _counts_once(search)
    if (focused := _without_common_words(search, request, expand_default)) is not None:
        return focused
    exact = replace(request, relax=False)
    result = search(exact)
    if request.offset or result.total >= max(FEW_HITS, request.limit):
        return result
    plan = make_plan(exact, expand_default)
    if not plan.units:
        return result
    units = plan.units[:MAX_UNITS]
    if result.total:
        # A long query that fewer articles match in full than fill a page: they come
        # first, then the articles with all but one of its words (no note: the top ones
        # have them all). A long question seldom has all its words in any one article.
        if len(plan.units) >= FILL_UNITS or result.total < FEW_HITS:
            weights = [_weight(search, exact, plan, unit) for unit in units]
            _fill(search, exact, plan, units, weights, tuple(range(len(units))), result)
        return result
    weights = [_weight(search, exact, plan, unit) for unit in units]
    respelled: dict[str, str] = {}
    for i, unit in enumerate(units):
        # An everyday word no article has is no slip (against -> agains): left out.
        if weights[i] == 0 and not _common(unit) and not _in_term(units, i, _word(unit)):
            found = _respell_in_term(units, i) or _respell(search, exact, plan, unit)
            if found is not None:
                respelled[_label(unit)] = _label(found)
                units[i], weights[i] = found, _weight(search, exact, plan, found)
    if respelled and _count(search, exact, plan, units):
        # A respelled word may be one nearly every article has (upphandlig -> upphandling):
        # then the other words lead, as they would have had it been spelled right.
        typed = replace(request, **_request_fields(plan, units + plan.units[MAX_UNITS:]))
        if (focused := _without_common_words(search, typed, expand_default)) is not None:
            focused.respelled = {**respelled, **focused.respelled}
            return focused
        best: tuple[int, ...] | None = tuple(range(len(units)))
    else:
        best = _best_subset(search, exact, plan, units, weights) if len(units) > 1 else None
    if best is None:
        return result
    kept = [units[i] for i in best]
    relaxed = search(replace(exact, **_request_fields(plan, kept)))
    _fill(search, exact, plan, units, weights, best, relaxed)
    relaxed.respelled = respelled
    # Everyday words left out go unsaid, as stop words do.
    relaxed.dropped = [
        _label(units[i]) for i in range(len(units)) if i not in best and not _common(units[i])
    ]
    relaxed.dropped += [_label(u) for u in plan.units[MAX_UNITS:]]
    _by_score(plan, relaxed)
    return relaxed


def _without_common_words(
    search: Search, request: SearchRequest, expand_default: bool
) -> SearchResult | None:
    """The relaxed search of the query's other words, when it has words of a concept nearly
    every article has (procurement, tender, contract in any language) and its other words
    match something; None otherwise. Like a stop word, such a word is left out silently:
    the articles that never name it are as much what the query asks for."""
    plan = make_plan(replace(request, relax=False), expand_default)
    others = [unit for unit in plan.units if not _common(unit)]
    if not others or len(others) == len(plan.units):
        return None
    focused = replace(request, **_request_fields(plan, others))
    exact = replace(focused, relax=False)
    matching = _count(search, exact, plan, others)
    # Other words that most articles have (kommunen: "korleis gjev ein tilbod til
    # kommunen") say as little as the common ones: leaving those out would answer a
    # near match-all. (The count of all articles is no full-text pass.)
    if not matching or matching > BROAD_SHARE * _count(search, exact, plan, []):
        return None
    return relaxed_search(search, focused, expand_default)


def _common(unit: Unit) -> bool:
    """A one-word unit whose concepts are all common ones (or their topics), or an
    everyday word without equivalents (year, next, stora: procradar.core.index.everyday)."""
    ids = [c.id for group in unit.concepts for c in group]
    common = common_concepts()
    if len(unit.groups) != 1:
        return False
    if not ids:
        return _everyday(unit.groups[0])
    return any(i in common for i in ids) and all(i in common or i.startswith("topic_") for i in ids)


def _everyday(group: list[Term]) -> bool:
    typed = [t for t in group if not t.variant]
    if len(typed) != 1 or typed[0].quoted or typed[0].prefix or len(typed[0].tokens) != 1:
        return False
    word = typed[0].tokens[0]
    return is_everyday(word) and not place_regions([word])


def _respell(search: Search, exact: SearchRequest, plan: Plan, unit: Unit) -> Unit | None:
    """The most common spelling variant of a one-word unit that matches nothing."""
    # One word typed (its other written forms, added by the planner, don't count).
    if len(unit.groups) != 1 or any(not t.variant for t in unit.groups[0][1:]):
        return None
    term = unit.groups[0][0]
    if term.is_phrase or term.prefix or term.quoted:
        return None
    for group in spelling.variant_groups(term.tokens[0]):
        either = Unit([[Term((variant,)) for variant in group]])
        if not _count(search, exact, plan, [either]):
            continue
        counted = []
        for variant in group:
            candidate = Unit([[Term((variant,))]])
            if hits := _count(search, exact, plan, [candidate]):
                counted.append((hits, candidate))
        if counted:
            return max(counted, key=lambda pair: pair[0])[1]
    return None


def _word(unit: Unit) -> str | None:
    """The one plain word a unit was typed as, if it is one."""
    typed = [t for t in unit.groups[0] if not t.variant] if len(unit.groups) == 1 else []
    if len(typed) != 1 or typed[0].is_phrase or typed[0].prefix or typed[0].quoted:
        return None
    return typed[0].tokens[0]


def _in_term(units: list[Unit], i: int, word: str | None) -> bool:
    """Whether `word` at unit i makes a multi-word dictionary term with the word before or
    after it (swimming pool): the planner joins them once the query is written out again."""
    if word is None:
        return False
    before = _word(units[i - 1]) if i > 0 else None
    after = _word(units[i + 1]) if i + 1 < len(units) else None
    pairs = [(before, word), (word, after)]
    return any(a and b and equivalences().for_query((a, b)) for a, b in pairs)


def _respell_in_term(units: list[Unit], i: int) -> Unit | None:
    """A spelling of a one-word unit that makes a dictionary term with its neighbour
    (swiming pool -> swimming pool): the likelier reading even when no article has the
    word alone, as most answers name the term in another language."""
    word = _word(units[i])
    if word is None:
        return None
    for group in spelling.variant_groups(word):
        for variant in group:
            if _in_term(units, i, variant):
                return Unit([[Term((variant,))]])
    return None


def _best_subset(
    search: Search, exact: SearchRequest, plan: Plan, units: list[Unit], weights: list[float]
) -> tuple[int, ...] | None:
    # A word no article has (within the filters) can only be left out.
    usable = [i for i in range(len(units)) if weights[i] > 0]
    largest = min(len(usable), len(units) - 1)
    for size in range(largest, 0, -1):
        if matching := _matching_subsets(search, exact, plan, units, weights, size):
            return max(matching)[2]
    return None


def _matching_subsets(
    search: Search,
    exact: SearchRequest,
    plan: Plan,
    units: list[Unit],
    weights: list[float],
    size: int,
) -> list[tuple[float, int, tuple[int, ...]]]:
    """(summed weight, articles, subset) for the subsets of `size` usable units that some
    article has (the most informative ones, at most MAX_SUBSETS)."""
    usable = [i for i in range(len(units)) if weights[i] > 0]
    subsets = sorted(combinations(usable, size), key=lambda s: -sum(weights[i] for i in s))[
        :MAX_SUBSETS
    ]
    scored = []
    for subset in subsets:
        hits = _count(search, exact, plan, [units[i] for i in subset])
        if hits:
            scored.append((sum(weights[i] for i in subset), hits, subset))
    return scored


def _fill(
    search: Search,
    exact: SearchRequest,
    plan: Plan,
    units: list[Unit],
    weights: list[float],
    best: tuple[int, ...],
    result: SearchResult,
) -> None:
    """A first page that the best subset leaves short (a long query whose rarest words
    only a few articles have, often just those in the query's own language) goes on with
    the articles of other subsets of as many words, then of one word fewer: ranked below,
    as they have fewer of the words."""
    if exact.offset or not exact.limit or len(result.hits) >= exact.limit or len(best) < 2:
        return
    if result.total > len(result.hits):
        return
    seen = {hit.url for hit in result.hits}
    searches = 0
    # A long question (FILL_UNITS + 1 words or more) may go down one size further: few
    # articles have all but one of its words when several of them are everyday ones.
    deeper = len(units) > FILL_UNITS and len(best) - 2 >= len(units) // 2
    for size in (len(best), len(best) - 1, *((len(best) - 2,) if deeper else ())):
        matching = _matching_subsets(search, exact, plan, units, weights, size)
        # Informative words first, but a subset only a few articles have (often words
        # without equivalents, in the query's language alone) after those that fill.
        order = sorted(matching, key=lambda m: (m[1] < MIN_FILL_HITS, -m[0], -m[1]))
        for _, _, subset in order:
            if subset == best:
                continue
            if searches == MAX_FILLS:
                return
            searches += 1
            request = _request_fields(plan, [units[i] for i in subset])
            more = search(replace(exact, facets=False, **request))
            for hit in more.hits:
                if hit.url not in seen:
                    seen.add(hit.url)
                    result.hits.append(hit)
                    result.total += 1
                    result.partial += 1
                    if len(result.hits) >= exact.limit:
                        return


def _by_score(plan: Plan, result: SearchResult) -> None:
    """A relaxed question's page in score order: with four words or more, an article of a
    filling subset (it lacks another word, often an everyday one) may answer it better
    than one of the best subset. `partial` still counts the filling hits at the end."""
    if len(plan.units) <= FILL_UNITS or not result.partial or not result.dropped:
        return
    filling = {hit.url for hit in result.hits[len(result.hits) - result.partial :]}
    result.hits.sort(key=lambda hit: -hit.score)
    trailing = 0
    while trailing < len(result.hits) and result.hits[-1 - trailing].url in filling:
        trailing += 1
    result.partial = trailing


def _counts_once(search: Search) -> Search:
    """`search`, with the counts (limit 0) of one relaxed search made once: choosing the
    subset and filling the page ask for the same subsets' counts."""
    counted: dict[str, SearchResult] = {}

    def once(request: SearchRequest) -> SearchResult:
        if request.limit:
            return search(request)
        key = repr(request)
        if key not in counted:
            counted[key] = search(request)
        return counted[key]

    return once


def _weight(search: Search, exact: SearchRequest, plan: Plan, unit: Unit) -> float:
    """How informative a word is: high for rare words, 0 for one no article has."""
    matching = _count(search, exact, plan, [unit])
    if not matching:
        return 0.0
    everything = _count(search, exact, plan, [])
    return 1.0 + math.log((1 + everything) / matching)


def _count(search: Search, exact: SearchRequest, plan: Plan, units: list[Unit]) -> int:
    probe = replace(exact, limit=0, offset=0, facets=False, **_request_fields(plan, units))
    return search(probe).total


def _request_fields(plan: Plan, units: list[Unit]) -> dict[str, Any]:
    """The request for a subset of units: their words re-written as query text, the
    excluded words kept, and every filter (also those written in the query) as fields."""
    words = [_typed(group) for unit in units for group in unit.groups]
    words += [f"-{term}" for term in plan.excluded]
    fields: dict[str, Any] = {a: list(getattr(plan.filters, a)) for a in LIST_FILTERS}
    fields.update(query=" ".join(words), after=plan.filters.after, before=plan.filters.before)
    return fields


def _label(unit: Unit) -> str:
    return " ".join(_typed(group) for group in unit.groups)


def _typed(group: list[Term]) -> str:
    """A group as the user wrote it: the planner adds the other written forms again."""
    return " OR ".join(str(t) for t in group if not t.variant)

"""Compile a Plan into Elasticsearch Query DSL (never query_string: user text stays data).

Weights mirror the SQLite backend's bm25 column weights: the word as written counts most,
its stems in the article's language less, cross-lingual concepts least.
"""

from __future__ import annotations

from typing import Any

from procradar.core.index.es_template import STEM_FIELD_LANGUAGES, TEXT_FIELDS, stem_field
from procradar.core.index.plan import Plan, Unit, titled
from procradar.core.query import Filters, Term

JSON = dict[str, Any]
EXACT = {"title": 10.0, "summary": 4.0, "text": 1.0, "meta": 3.0}
STEMMED = {
    stem_field(name, tag): boost
    for tag in STEM_FIELD_LANGUAGES
    for name, boost in zip(TEXT_FIELDS, (5.0, 2.0, 0.6), strict=True)
}
CONCEPT_BOOST = 1.0
FIELD_TIE = 0.5  # see _fields
FACET_FIELDS = {
    "topic": "topics",
    "language": "language",
    "kind": "kind",
    "country": "countries",
    "region": "regions",
    "source": "source",
    "org": "orgs",
}
_FILTER_FIELDS = {
    "topics": "topics",
    "languages": "language",
    "kinds": "kind",
    "sources": "source",
    "countries": "countries",
    "orgs": "org_keys",
    "regions": "regions",
}


def _any(queries: list[JSON]) -> JSON:
    return (
        queries[0]
        if len(queries) == 1
        else {"bool": {"should": queries, "minimum_should_match": 1}}
    )


def _per_field(kind: str, fields: dict[str, float], text: str) -> list[JSON]:
    return [{kind: {f: {"query": text, "boost": boost}}} for f, boost in fields.items()]


def _fields(queries: list[JSON]) -> JSON:
    """One word's matches in an article's fields: the best field counts, the others
    FIELD_TIE of theirs. SQLite's bm25 weighs a word's occurrences over the columns before
    it saturates, once per word; summed per field, Elasticsearch saturated each field apart
    and a word in the title, summary, text and their stems outweighed the concept match of
    an article in another language (dev nDCG@10 0.846 -> 0.848; ties 0, 0.3, 0.5 compared)."""
    if len(queries) == 1:
        return queries[0]
    return {"dis_max": {"queries": queries, "tie_breaker": FIELD_TIE}}


def term_query(term: Term) -> JSON:
    text = " ".join(term.tokens)
    if term.is_phrase:
        if term.prefix:
            return _any(_per_field("match_phrase_prefix", EXACT, text))
        if term.variant:  # another written form: by its stems only, as in SQLite
            return _any(_per_field("match_phrase", STEMMED, text))
        return _any(
            _per_field("match_phrase", EXACT, text) + _per_field("match_phrase", STEMMED, text)
        )
    if term.prefix:
        return _any(
            [{"prefix": {f: {"value": text, "boost": b}}} for f, b in (EXACT | STEMMED).items()]
        )
    if term.quoted:
        return _any(_per_field("match", EXACT, text))
    if term.variant:  # a variant ranks below the word as typed
        fields = STEMMED
        if term.tags:  # a variant of some languages only (see Term.tags)
            fields = {f: b for f, b in STEMMED.items() if f.rsplit("_", 1)[1] in term.tags}
        return _fields(_per_field("match", fields, text))
    return _fields(_per_field("match", EXACT, text) + _per_field("match", STEMMED, text))


def unit_query(unit: Unit) -> JSON:
    groups = [_any([term_query(t) for t in group]) for group in unit.groups]
    query = groups[0] if len(groups) == 1 else {"bool": {"must": groups}}
    if not unit.concepts:
        return query
    sets = [
        {
            "match": {
                "concepts": {
                    "query": " ".join(c.token for c in group),
                    "operator": "and",
                    "boost": CONCEPT_BOOST,
                }
            }
        }
        for group in unit.concepts
    ]
    # A concept named in an article's title adds its title mark's score, as in SQLite.
    sets += [
        {"match": {"concepts": {"query": group[0].title_token, "boost": CONCEPT_BOOST}}}
        for group in unit.concepts
        if len(group) == 1 and titled(group[0])
    ]
    # An English-only unit matches by its concepts alone, as in the SQLite backend.
    return _any([query, *sets] if groups and unit.literal else sets)


def filter_clauses(filters: Filters) -> list[JSON]:
    clauses: list[JSON] = []
    for attr, field in _FILTER_FIELDS.items():
        values = getattr(filters, attr)
        if values:
            if attr == "orgs":
                values = [v.casefold() for v in values]
            clauses.append({"terms": {field: values}})
    bounds = {k: v for k, v in (("gte", filters.after), ("lt", filters.before)) if v}
    if bounds:
        clauses.append({"range": {"published": bounds}})
    return clauses


def query(plan: Plan) -> JSON:
    must = [unit_query(u) for u in plan.units] or [{"match_all": {}}]
    body: JSON = {"must": must, "filter": filter_clauses(plan.filters)}
    since = plan.request.indexed_since
    if since is not None:  # epoch_millis, as written by elastic.source()
        body["filter"].append({"range": {"indexed_at": {"gte": int(since.timestamp() * 1000)}}})
    if plan.request.event_after is not None:
        body["filter"].append({"range": {"event_dates": {"gte": plan.request.event_after}}})
    if plan.request.relevant_only:  # documents indexed before the gate have no field: kept
        body["filter"].append({"bool": {"must_not": {"term": {"relevant": False}}}})
    if plan.excluded:
        body["must_not"] = [term_query(t) for t in plan.excluded]
    return {"bool": body}


def sort(plan: Plan, order: str) -> list[Any]:
    if order == "relevance" and not plan.match_all:
        return ["_score", {"published": {"order": "desc", "missing": "_last"}}, {"url": "asc"}]
    direction = "asc" if order == "date_asc" else "desc"
    return [{"published": {"order": direction, "missing": "_last"}}, "_score", {"url": "asc"}]


def facet_aggs(size: int) -> JSON:
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {
        name: {"terms": {"field": field, "size": size, "order": order}}
        for name, field in FACET_FIELDS.items()
    }

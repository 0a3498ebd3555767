"""Compile a Plan into an FTS5 MATCH expression.

Every token written into the expression comes from procradar.query.words (letters and
digits only) or from our own stemmer/concept tables, and is double-quoted besides, so no
user input can inject FTS5 syntax.
"""

from __future__ import annotations

from procradar.index.analysis import query_phrase_tokens, query_stem_tokens, stem_tag
from procradar.index.plan import Plan, Unit, query_parts
from procradar.query import Term

EXACT = "{title summary text meta}"
STEMMED = "{stitle ssummary stext}"
PARTS = "{parts}"
CONCEPTS = "{xl}"
# bm25 weights in column order (see SqliteIndex schema): the word as written counts most,
# its inflections less, compound parts and cross-lingual concepts least of all.
COLUMNS = ("title", "summary", "text", "meta", "stitle", "ssummary", "stext", "parts", "xl")
WEIGHTS = (10.0, 4.0, 1.0, 3.0, 5.0, 2.0, 0.6, 0.3, 0.25)


def quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _any(tokens: list[str]) -> str:
    return quote(tokens[0]) if len(tokens) == 1 else "(" + " OR ".join(map(quote, tokens)) + ")"


def term_expr(term: Term, expand_parts: bool = True) -> str:
    if term.is_phrase:
        return _phrase_expr(term)
    word = term.tokens[0]
    if term.prefix:
        # Words as written: every word whose stem starts with the prefix starts with it too,
        # and stemming the prefix itself (lever -> lev) would widen it past what was typed.
        return f"{EXACT}: {quote(word)} *"
    if term.quoted:
        return f"{EXACT}: {quote(word)}"
    stems = query_stem_tokens(word)
    alternatives = [f"{EXACT}: {quote(word)}", f"{STEMMED}: {_any(stems)}"]
    if expand_parts:
        alternatives.append(f"{PARTS}: {_any(stems)}")
        for lang, parts in query_parts(word):
            near = " ".join(quote(stem_tag(lang) + p) for p in parts)
            alternatives.append(f"{STEMMED}: NEAR({near}, {len(parts) + 2})")
    return "(" + " OR ".join(alternatives) + ")"


def _phrase_expr(term: Term) -> str:
    star = " *" if term.prefix else ""
    alternatives = [f"{EXACT}: {quote(' '.join(term.tokens))}{star}"]
    if not term.prefix:
        for phrase in query_phrase_tokens(term.tokens):
            alternatives.append(f"{STEMMED}: {quote(phrase)}")
    return "(" + " OR ".join(alternatives) + ")"


def unit_expr(unit: Unit) -> str:
    groups = [
        "(" + " OR ".join(term_expr(t, not t.quoted) for t in group) + ")" for group in unit.groups
    ]
    expr = " AND ".join(groups)
    if unit.concepts:
        sets = [" AND ".join(quote(c.token) for c in group) for group in unit.concepts]
        concepts = "(" + " OR ".join(f"({s})" for s in sets) + ")"
        expr = f"(({expr}) OR {CONCEPTS}: {concepts})" if groups else f"{CONCEPTS}: {concepts}"
    return expr


def match_expression(plan: Plan) -> str | None:
    """The MATCH expression of the positive part of the plan; None when it matches all."""
    if plan.match_all:
        return None
    return " AND ".join(unit_expr(u) for u in plan.units)


def excluded_expression(plan: Plan) -> str | None:
    if not plan.excluded:
        return None
    return " OR ".join(term_expr(t, expand_parts=False) for t in plan.excluded)

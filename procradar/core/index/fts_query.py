"""Compile a Plan into an FTS5 MATCH expression.

Every token written into the expression comes from procradar.core.query.words (letters and
digits only) or from our own stemmer/concept tables, and is double-quoted besides, so no
user input can inject FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet

from procradar.core.crosslingual import Concept
from procradar.core.index.analysis import query_phrase_tokens, query_stem_tokens, stem_tag
from procradar.core.index.plan import Plan, Unit, query_parts, titled
from procradar.core.query import Term

EXACT = "{title summary text meta}"
STEMMED = "{stitle ssummary stext}"
PARTS = "{parts}"
CONCEPTS = "{xl}"
# bm25 weights in column order (see SqliteIndex schema): the word as written counts most,
# its inflections less, compound parts least. Cross-lingual concepts weigh as much as plain
# text: most answers to an English or Danish query are written in another language, and at
# 0.25 they sank below passing same-language mentions (dev nDCG 0.832 -> 0.843 at 1.0).
COLUMNS = ("title", "summary", "text", "meta", "stitle", "ssummary", "stext", "parts", "xl")
WEIGHTS = (10.0, 4.0, 1.0, 3.0, 5.0, 2.0, 0.6, 0.3, 1.0)
# A prefix spelled out as the indexed words it stands for (SqliteIndex looks them up): FTS5
# merges a `word *` query's doclists in full before it returns one row, an OR of the words
# streams, so counting can stop early and rowid ranges run side by side.
Completions = Mapping[str, Sequence[str]]
# Every column holds its own kind of token: words as written (title, summary, text, meta),
# language-tagged stems (`sv0skol`: stitle, ssummary, stext, parts) and concept tokens
# (`xc...`: xl). A column filter that only names where a token can be anyway changes no
# match, yet makes FTS5 read every row's position list. The `plain` expressions leave such
# filters out: the passes that only find or count ids run three times faster on them; the
# scored passes keep the filters, so bm25 sees the same phrases.


def quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _any(tokens: list[str]) -> str:
    return quote(tokens[0]) if len(tokens) == 1 else "(" + " OR ".join(map(quote, tokens)) + ")"


def term_expr(
    term: Term,
    expand_parts: bool = True,
    completions: Completions | None = None,
    plain: bool = False,
    present: AbstractSet[str] | None = None,
) -> str:
    """`present`: the stem tokens the index holds (None: assume all). A word's stem in
    the five languages it is not written in is mostly in no article; left out, each pass
    reads fewer doclists and bm25 (which adds nothing for a phrase without hits, so the
    scores stay the same) fewer phrases."""
    if term.is_phrase:
        return _phrase_expr(term)
    word = term.tokens[0]
    exact = "" if plain else f"{EXACT}: "
    if term.prefix:
        # Words as written: every word whose stem starts with the prefix starts with it too,
        # and stemming the prefix itself (lever -> lev) would widen it past what was typed.
        words = (completions or {}).get(word)
        return f"{exact}{_any(list(words))}" if words else f"{exact}{quote(word)} *"
    if term.quoted:
        return f"{exact}{quote(word)}"
    every = query_stem_tokens(word)
    if term.tags:  # a variant of some languages only (see Term.tags)
        every = [t for t in every if t[:3] in {tag + "0" for tag in term.tags}]
        expand_parts = False
    stems = every if present is None else [t for t in every if t in present]
    # plain: stems in {stitle ssummary stext} or in {parts} is a stem anywhere
    stemmed = "" if plain and expand_parts else f"{STEMMED}: "
    alternatives = [stemmed + _any(stems)] if stems else []
    if not term.variant:  # a variant ranks below the word as typed
        alternatives.insert(0, f"{exact}{quote(word)}")
    if expand_parts:
        if not plain and stems:
            alternatives.append(f"{PARTS}: {_any(stems)}")
        for lang, parts in query_parts(word):
            tokens = [stem_tag(lang) + p for p in parts]
            if present is None or all(t in present for t in tokens):
                near = " ".join(map(quote, tokens))
                alternatives.append(f"{STEMMED}: NEAR({near}, {len(parts) + 2})")
    if not alternatives:  # a variant none of whose stems is indexed: still matches nothing
        alternatives.append(stemmed + quote((every or query_stem_tokens(word))[0]))
    return "(" + " OR ".join(alternatives) + ")"


def indexed_tokens(plan: Plan) -> set[str]:
    """The stem tokens term_expr may leave out when the index lacks them."""
    terms = [t for u in plan.units for g in u.groups for t in g] + plan.excluded
    out: set[str] = set()
    for term in terms:
        if term.is_phrase or term.prefix or term.quoted:
            continue
        out.update(query_stem_tokens(term.tokens[0]))
        for lang, parts in query_parts(term.tokens[0]):
            out.update(stem_tag(lang) + p for p in parts)
    return out


def _phrase_expr(term: Term) -> str:
    star = " *" if term.prefix else ""
    # A variant (another written form) matches by its stems only, below the phrase as typed.
    alternatives = [] if term.variant else [f"{EXACT}: {quote(' '.join(term.tokens))}{star}"]
    if not term.prefix:
        for phrase in query_phrase_tokens(term.tokens):
            alternatives.append(f"{STEMMED}: {quote(phrase)}")
    return "(" + " OR ".join(alternatives) + ")"


def unit_expr(
    unit: Unit,
    completions: Completions | None = None,
    plain: bool = False,
    present: AbstractSet[str] | None = None,
) -> str:
    groups = [
        "("
        + " OR ".join(term_expr(t, not t.quoted, completions, plain, present) for t in group)
        + ")"
        for group in unit.groups
    ]
    expr = " AND ".join(groups) if unit.literal or not unit.concepts else ""
    if unit.concepts:
        sets = [_concept_set(group) for group in unit.concepts]
        concepts = "(" + " OR ".join(f"({s})" for s in sets) + ")"
        where = "" if plain else f"{CONCEPTS}: "
        expr = f"(({expr}) OR {where}{concepts})" if expr else f"{where}{concepts}"
    return expr


def _concept_set(group: tuple[Concept, ...]) -> str:
    """All the concepts of `group`; a single one also by its title mark, which matches no
    other article but adds its own bm25 term (see crosslingual.TITLE_PREFIX): an article
    about the concept, named in its title in another language or by a synonym, would
    otherwise rank below one whose text has the query's rarer word in passing, as that
    word scores as written, as stem and as concept."""
    if len(group) == 1 and titled(group[0]):
        return f"({quote(group[0].token)} OR {quote(group[0].title_token)})"
    return " AND ".join(quote(c.token) for c in group)


def match_expression(
    plan: Plan,
    completions: Completions | None = None,
    plain: bool = False,
    present: AbstractSet[str] | None = None,
) -> str | None:
    """The MATCH expression of the positive part of the plan; None when it matches all.
    `plain`: the same matches, without the column filters that change none (see above)."""
    if plan.match_all:
        return None
    return " AND ".join(unit_expr(u, completions, plain, present) for u in plan.units)


def excluded_expression(
    plan: Plan,
    completions: Completions | None = None,
    plain: bool = False,
    present: AbstractSet[str] | None = None,
) -> str | None:
    if not plan.excluded:
        return None
    return " OR ".join(term_expr(t, False, completions, plain, present) for t in plan.excluded)


def prefix_words(plan: Plan) -> list[str]:
    """The single-word prefixes of the plan (`lever*`), excluded ones included."""
    terms = [t for u in plan.units for g in u.groups for t in g] + plan.excluded
    return [t.tokens[0] for t in terms if t.prefix and not t.is_phrase]

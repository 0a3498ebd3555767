"""From a SearchRequest to a backend-neutral plan: parsed terms, concepts, merged filters.

Both backends compile the same plan, which keeps their behaviour (and the contract suite)
in step: what matches is decided here, how it is scored is each backend's business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from procradar.core.crosslingual import Concept, equivalences
from procradar.core.index import nynorsk, spelling
from procradar.core.index.analysis import (
    common_concepts,
    compound_parts,
    split_query_compound,
    stem,
    stem_tag,
    stopwords,
)
from procradar.core.index.base import INTERVALS, MAX_LIMIT, SORTS, SearchRequest
from procradar.core.index.kinds import PREFIX as KIND_PREFIX
from procradar.core.index.kinds import facet_label, kinds_named
from procradar.core.index.places import wider_places
from procradar.core.query import (
    Filters,
    ParsedQuery,
    QueryError,
    Term,
    check_filter_value,
    parse,
    parse_date,
)

#: A word this long that is one slip from a concept's word is taken to mean it.
MIN_SLIP_LENGTH = 9
#: The stemmers whose stems of a query word are tried as words in the other languages, and
#: the shortest stem so tried (see _cognates).
COGNATE_LANGUAGES = ("sv", "nb", "da")
MIN_COGNATE = 5
COGNATE_SHARE = 0.7
LIST_FILTERS = ("topics", "languages", "kinds", "sources", "countries", "orgs", "regions")


@dataclass
class Unit:
    """Matches when every group matches (a group: any of its terms), or when an article has
    all the concepts of one of the `concepts` sets (cross-lingual expansion)."""

    groups: list[list[Term]]
    concepts: list[tuple[Concept, ...]] = field(default_factory=list)
    # False: the words are English words of its concepts that no Nordic list has, so the
    # unit matches by its concepts alone (see _english_only).
    literal: bool = True


@dataclass
class Plan:
    units: list[Unit]
    excluded: list[Term]
    filters: Filters
    request: SearchRequest
    expansions: dict[str, list[str]] = field(default_factory=dict)
    matchers: dict[str, Callable[[set[str]], set[str]]] = field(default_factory=dict, repr=False)

    @property
    def match_all(self) -> bool:
        return not self.units

    def highlight_words(self, lang: str) -> tuple[set[str], set[str], list[str]]:
        """(exact words, their stems in `lang`, prefixes) a snippet in `lang` should mark."""
        exact: set[str] = set()
        prefixes: list[str] = []
        for term in (t for u in self.units for g in u.groups for t in g):
            exact.update(term.tokens)
            if term.prefix:
                prefixes.append(term.tokens[-1])
        return exact, {stem(w, lang) for w in exact}, prefixes

    def concept_ids(self) -> list[str]:
        """Ids of the plan's concepts of the equivalence lists (kinds are no words)."""
        ids = [c.id for u in self.units for group in u.concepts for c in group]
        return [i for i in ids if not i.startswith(KIND_PREFIX)]


def titled(concept: Concept) -> bool:
    """Whether an article's title can name the concept (a topic or a kind is no word)."""
    return not concept.id.startswith(("topic_", KIND_PREFIX))


def make_plan(request: SearchRequest, expand_default: bool = True) -> Plan:
    _check_paging(request)
    expand = expand_default if request.expand is None else request.expand
    parsed, planned = _planned_words(request.query, expand)
    units = list(planned)
    plan = Plan(units, list(parsed.excluded), _merge_filters(request, parsed.filters), request)
    for unit in units:
        if unit.concepts:
            label = " ".join(" ".join(g[0].tokens) for g in unit.groups)
            plan.expansions[label] = sorted(
                {
                    " + ".join((c.terms.get("en") or c.all_terms())[0] for c in g)
                    if len(g) > 1
                    else t
                    for g in unit.concepts
                    for t in g[0].all_terms() or [facet_label(g[0])]
                }
                - {label}
            )
    return plan


@lru_cache(maxsize=1024)
def _planned_words(query: str, expand: bool) -> tuple[ParsedQuery, tuple[Unit, ...]]:
    """A query's parse and units. One page plans the same words several times (relaxing,
    its hits, its year counts), a fifth of the planning's cost each; the plans share
    these, and nothing changes them after."""
    parsed = parse(query, stopwords())
    return parsed, tuple(_units(parsed.groups, expand))


def _check_paging(request: SearchRequest) -> None:
    if not 0 <= request.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 0 and {MAX_LIMIT}")
    if request.offset < 0:
        raise QueryError("offset cannot be negative")
    if request.sort not in SORTS:
        raise QueryError(f"unknown sort '{request.sort}'; use one of: {', '.join(SORTS)}")
    if request.event_after is not None:
        request.event_after = parse_date(request.event_after, "event_after")


def with_value(request: SearchRequest, attr: str, value: str) -> SearchRequest:
    """`request` with `value` added to its list filter `attr` (a trend line's request)."""
    check_list_filter(attr)
    changed = replace(request)
    setattr(changed, attr, [*getattr(request, attr), value])
    return changed


def check_list_filter(attr: str) -> None:
    if attr not in LIST_FILTERS:
        raise QueryError(f"unknown filter '{attr}'; use one of: {', '.join(LIST_FILTERS)}")


def check_interval(interval: str) -> None:
    if interval not in INTERVALS:
        raise QueryError(f"unknown interval '{interval}'; use one of: {', '.join(INTERVALS)}")


def _merge_filters(request: SearchRequest, parsed: Filters) -> Filters:
    merged = Filters()
    for attr in LIST_FILTERS:
        values = [check_filter_value(attr, v) for v in getattr(request, attr)]
        values += [v for v in getattr(parsed, attr) if v not in values]
        setattr(merged, attr, values)
    afters = [d for d in (parsed.after, request.after) if d]
    befores = [d for d in (parsed.before, request.before) if d]
    merged.after = max(parse_date(d, "after") for d in afters) if afters else None
    merged.before = min(parse_date(d, "before") for d in befores) if befores else None
    return merged


def _units(groups: list[list[Term]], expand: bool) -> list[Unit]:
    """Group terms into units, spotting multi-word concepts ("climate requirements")."""
    units: list[Unit] = []
    i = 0
    while i < len(groups):
        span, concepts = _concept_span(groups, i) if expand else (1, [])
        unit_groups = [g for g in groups[i : i + span] if not _all_stop(g)]
        if span == 1 and expand:
            unit_groups = [_with_written_forms(g) for g in unit_groups]
            concepts = _group_concepts(unit_groups[0] if unit_groups else groups[i])
        if unit_groups or concepts:
            kept = unit_groups or groups[i : i + span]
            units.append(Unit(kept, concepts, literal=not (concepts and _english_only(kept))))
        i += span
    if not units and groups:  # only stop words: search them after all
        units = [Unit([g]) for g in groups]
    return units


def _english_only(groups: list[list[Term]]) -> bool:
    """Whether every word of a unit is an English word of the concept lists that none of
    the Nordic lists has (climate, requirements; not innovation). Most articles an English
    query wants are written in a Nordic language and match by concept; the few English
    articles would otherwise outrank them on the word itself, passing mentions included.
    Matched by concepts alone, all articles meet on the same tokens (titles still weigh)."""
    table = equivalences().by_stems
    nordic = ("sv", "nb", "da")
    typed = []
    for group in groups:
        group = [t for t in group if not t.variant]  # the words as typed
        if len(group) != 1 or group[0].quoted or group[0].prefix or group[0].is_phrase:
            return False
        typed.append(group[0].tokens[0])
    if not typed:
        return False
    # The words each an English-only concept word, or together an English-only term.
    terms = [(w,) for w in typed] if all(_english_word(w) for w in typed) else [tuple(typed)]
    for term in terms:
        if tuple(stem(w, "en") for w in term) not in table.get("en", {}):
            return False
        if any(tuple(stem(w, lang) for w in term) in table.get(lang, {}) for lang in nordic):
            return False
    return True


def _english_word(word: str) -> bool:
    table = equivalences().by_stems
    return (stem(word, "en"),) in table.get("en", {}) and not any(
        (stem(word, lang),) in table.get(lang, {}) for lang in ("sv", "nb", "da")
    )


def _with_written_forms(group: list[Term]) -> list[Term]:
    """The group with its plain words also in their other Norwegian written form
    (sjukehus -> sykehus, tjenester -> tenester): matched as the word itself; and in their
    stems by the other Nordic stemmers, in the languages where those add something."""
    out = list(group)
    for term in group:
        if term.quoted or term.prefix or term.stop:
            continue
        for forms in _written_forms(term.tokens):
            if all(t.tokens != forms for t in out):
                out.append(Term(forms, variant=True))
        for cognate, tags in _cognates(term.tokens, out):
            out.append(Term((cognate,), variant=True, tags=tags))
    return out


def _cognates(tokens: tuple[str, ...], known: list[Term]) -> list[tuple[str, tuple[str, ...]]]:
    """A word's stems by the other Nordic stemmers, as words, each with the stem languages
    where it gives a stem that the group's words do not: the Scandinavian languages share
    most stems but not their endings, and each article is stemmed by its own language's
    stemmer only (Swedish robotar -> robot meets Danish robotter -> robot; the Danish
    stemmer keeps robotar whole). Only those languages, so no article scores a stem twice.
    A short stem, or one far shorter than the word, is left out: there one language's stem
    is too often another's unrelated word (a respelt clearane -> Danish clear)."""
    if len(tokens) != 1 or not tokens[0].isalpha():
        return []
    word = tokens[0]
    seen = {
        (lang, stem(t.tokens[0], lang))
        for t in known
        if not t.is_phrase
        for lang in COGNATE_LANGUAGES
    }
    out: list[tuple[str, tuple[str, ...]]] = []
    for source in COGNATE_LANGUAGES:
        stemmed = stem(word, source)
        if stemmed == word or len(stemmed) < max(MIN_COGNATE, COGNATE_SHARE * len(word)):
            continue
        new = [lang for lang in COGNATE_LANGUAGES if (lang, stem(stemmed, lang)) not in seen]
        if new:
            seen.update((lang, stem(stemmed, lang)) for lang in new)
            out.append((stemmed, tuple(stem_tag(lang)[:-1] for lang in new)))
    return out


def _written_forms(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A word's other written forms; for a hyphenated phrase (KI-løysingar), the phrase
    with every word that has one in its first other form (KI-løsningar)."""
    if len(tokens) == 1:
        return [(form,) for form in nynorsk.variants(tokens[0])]
    turned = tuple((nynorsk.variants(t) or [t])[0] for t in tokens)
    return [turned] if turned != tokens else []


def _all_stop(group: list[Term]) -> bool:
    return all(t.stop for t in group)


def _concept_span(groups: list[list[Term]], start: int) -> tuple[int, list[tuple[Concept, ...]]]:
    """The longest run of plain single words from `start` that names a concept."""
    eq = equivalences()
    run: list[str] = []
    for group in groups[start : start + eq.max_words]:
        if len(group) != 1 or group[0].quoted or group[0].prefix or group[0].is_phrase:
            break
        run.append(group[0].tokens[0])
    for n in range(len(run), 1, -1):
        if concepts := eq.for_query(run[:n]):
            # A term that starts with a stop word ("the public") gives way to one that
            # starts after it and reaches further ("public sector").
            if groups[start][0].stop and start + 1 < len(groups):
                after, _ = _concept_span(groups, start + 1)
                if after > 1 and start + 1 + after > start + n:
                    return 1, []
            return n, _with_topics([(c,) for c in concepts])
    return 1, []


def _with_topics(found: list[tuple[Concept, ...]]) -> list[tuple[Concept, ...]]:
    """Add the topic of every single concept found: articles tagged with it match too; the
    kinds it names (guidance); and the regions a wider place is made of (Nord-Norge:
    Nordland, Troms, Finnmark)."""
    out = list(found)
    for group in found:
        topic = equivalences().topic(group[0].topic) if len(group) == 1 and group[0].topic else None
        if topic is not None and (topic,) not in out:
            out.append((topic,))
        if len(group) == 1:
            for kind in kinds_named(group[0].id):
                if (kind,) not in out:
                    out.append((kind,))
            for name in wider_places().get(group[0].id, ()):
                region = equivalences().region(name)
                if region is not None and (region,) not in out:
                    out.append((region,))
    return out


def _group_concepts(group: list[Term]) -> list[tuple[Concept, ...]]:
    out: list[tuple[Concept, ...]] = []
    for term in group:
        if term.quoted or term.prefix or term.stop:
            continue
        own = _with_topics([(c,) for c in equivalences().for_query(term.tokens)])
        for found in own or _slip_concepts(term) or _part_concepts(term):
            if found not in out:
                out.append(found)
    return out


def _slip_concepts(term: Term) -> list[tuple[Concept, ...]]:
    """A long word with no concepts that is a concept's word with its linking s left out or
    doubled (innkjøpsamarbeid, innkjøpssamarbeid) means that word, not its parts' concepts:
    compounds are joined either way. (Other slips are respelled by a relaxed search, which
    says so.)"""
    word = term.tokens[0]
    if term.is_phrase or len(word) < MIN_SLIP_LENGTH:
        return []
    for known in spelling.dictionary_neighbours(word):
        if not _one_s_apart(word, known):
            continue
        concepts = equivalences().for_query((known,))
        # A slip of a word nearly every article has (anskafelser) is left to the respelling
        # of a relaxed search, which then leaves it out like the word itself.
        if concepts and not {c.id for c in concepts} <= common_concepts():
            return _with_topics([(c,) for c in concepts])
    return []


def _one_s_apart(a: str, b: str) -> bool:
    short, long_ = sorted((a, b), key=len)
    if len(long_) != len(short) + 1:
        return False
    return any(long_[i] == "s" and long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _part_concepts(term: Term) -> list[tuple[Concept, ...]]:
    """A compound with no equivalents of its own borrows those of its parts, all of them
    required: `anskaffingsstrategi` -> procurement + strategy; `lärlingskrav` ->
    apprentices (krav has none). Still ranked below exact matches."""
    # A hyphenated compound (KI-løysingar, IT-konsulenter) is split where it is written.
    hyphenated = [term.tokens] if term.is_phrase and len(term.tokens) == 2 else []
    if term.is_phrase and not hyphenated:
        return []
    for lang in ("sv", "nb", "da"):
        parts = hyphenated[0] if hyphenated else split_query_compound(term.tokens[0], lang)
        found = [equivalences().for_query((p,)) for p in parts]
        needed = [concepts[0] for concepts in found if concepts]
        if not needed:
            continue
        out = [tuple(needed)]
        # The last part names what the thing is (an elfärja is a färja): its concept alone
        # matches too, below articles with all of them (unless nearly every article has it).
        last = found[-1][0] if found[-1] else None
        if len(needed) > 1 and last is not None and last.id not in common_concepts():
            out.append((last,))
        return out
    return []


def query_parts(word: str) -> list[tuple[str, tuple[str, ...]]]:
    """(language, stemmed compound parts) of a query word for each language that splits it."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for lang in ("sv", "nb", "da"):
        parts = tuple(stem(p, lang) for p in compound_parts(word, lang))
        if parts:
            out.append((lang, parts))
    return out

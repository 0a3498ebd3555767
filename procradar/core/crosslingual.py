"""Cross-lingual equivalences (config/search/equivalences.yaml): sv ↔ nb ↔ da ↔ en.

Articles are annotated at index time with the concepts they mention (in their own
language, after stemming and compound splitting); a query word that names a concept in any
language then also matches those annotations. Backends give the annotation a low weight, so
articles using the word itself stay on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from procradar.core.catalogue import region_names
from procradar.core.index import nynorsk
from procradar.core.index.analysis import QUERY_LANGUAGES, SEARCH_CONFIG, stem
from procradar.core.index.places import districts
from procradar.core.query import words
from procradar.core.taxonomy import TOPICS

EQUIVALENCES_FILE = SEARCH_CONFIG / "equivalences.yaml"
TERM_LANGUAGES = ("sv", "nb", "da", "en")  # `nn:` lists in the file are read as nb
DOC_LANGUAGE = {"nn": "nb"}
#: A concept's word this many letters longer than another concept's word of the same stem
#: lost a part of itself to the stemmer (anskaffelsesloven, anskaffelse).
OVERSTEMMED = 4  # nynorsk articles are matched against the Norwegian terms
# An article whose title names a concept also carries its token with this prefix, once: a
# title says what the article is about, and both backends add the mark's own score to the
# concept's (fts_query._concept_set, es_query.unit_query).
TITLE_PREFIX = "xt"


@dataclass(frozen=True)
class Concept:
    id: str
    topic: str | None
    terms: dict[str, tuple[str, ...]]  # lang -> surface terms

    @property
    def token(self) -> str:
        """How the concept is written into the index: letters only (FTS5 splits on `_`)."""
        return "xc" + self.id.replace("_", "")

    @property
    def title_token(self) -> str:
        """How an article whose title names the concept is marked besides (TITLE_PREFIX)."""
        return TITLE_PREFIX + self.id.replace("_", "")

    def all_terms(self) -> list[str]:
        return [t for lang in TERM_LANGUAGES for t in self.terms.get(lang, ())]


class Equivalences:
    def __init__(self, concepts: Sequence[Concept]):
        # Each taxonomy topic is a concept too, with no words of its own: articles tagged
        # with the topic carry its token, and a query word of a concept that belongs to the
        # topic also matches them (ranked with the concepts, below the word itself).
        topics = [Concept(f"topic_{t}", t, {}) for t in TOPICS]
        concepts = [*concepts, *region_concepts(), *district_concepts()]
        self.concepts = {c.id: c for c in [*concepts, *topics]}
        # lang -> stemmed term (tuple of word stems) -> concept ids
        self.by_stems: dict[str, dict[tuple[str, ...], set[str]]] = {}
        for concept in concepts:
            for lang, terms in concept.terms.items():
                table = self.by_stems.setdefault(lang, {})
                for term in terms:
                    key = tuple(stem(w, lang) for w in words(term))
                    if key:
                        table.setdefault(key, set()).add(concept.id)
        self._drop_overstemmed(concepts)
        # term as written (lower-cased words) -> concept ids, for the words whose stem no
        # longer leads to their own concept (see _drop_overstemmed)
        self.by_words: dict[tuple[str, ...], set[str]] = {}
        for concept in concepts:
            for terms in concept.terms.values():
                for term in terms:
                    if key := tuple(words(term)):
                        self.by_words.setdefault(key, set()).add(concept.id)
        self.max_words = max((len(k) for t in self.by_stems.values() for k in t), default=1)
        # Stems that start a multi-word term: only there is a longer look-ahead worth it.
        self.starts = {
            lang: {k[0] for k in table if len(k) > 1} for lang, table in self.by_stems.items()
        }

    def _drop_overstemmed(self, concepts: Sequence[Concept]) -> None:
        """A stem that a concept's word shares only because the stemmer cut off a part of it
        stays with the concept whose word it is: the Norwegian stemmer cuts -slov, so
        anskaffelsesloven stems as anskaffelse, and every article saying anskaffelse would
        name the procurement act."""
        for lang, table in self.by_stems.items():
            for key, ids in table.items():
                if len(ids) < 2:
                    continue
                lengths = {
                    c.id: [
                        len(t)
                        for t in c.terms.get(lang, ())
                        if tuple(stem(w, lang) for w in words(t)) == key
                    ]
                    for c in concepts
                    if c.id in ids
                }
                shortest = min(n for ns in lengths.values() for n in ns)
                cut = {cid for cid, ns in lengths.items() if min(ns) >= shortest + OVERSTEMMED}
                if cut != ids:
                    ids -= cut

    @classmethod
    def load(cls, path: Path = EQUIVALENCES_FILE) -> Equivalences:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        concepts = []
        for cid, spec in (data.get("concepts") or {}).items():
            terms = {lang: tuple(spec.get(lang) or ()) for lang in TERM_LANGUAGES}
            # Nynorsk forms join the Norwegian terms: nynorsk articles and queries are
            # stemmed and looked up as Norwegian (DOC_LANGUAGE).
            terms["nb"] += tuple(t for t in spec.get("nn") or () if t not in terms["nb"])
            concepts.append(Concept(str(cid), spec.get("topic"), terms))
        return cls(concepts)

    def in_document(self, stems: Sequence[str], parts: Iterable[str], lang: str) -> list[str]:
        """Concept tokens for every mention in a stemmed text (one per mention: tf counts)."""
        table = self.by_stems.get(DOC_LANGUAGE.get(lang, lang))
        if not table:
            return []
        starts = self.starts[DOC_LANGUAGE.get(lang, lang)]
        found: list[str] = []
        for i, first in enumerate(stems):
            longest = min(self.max_words, len(stems) - i) if first in starts else 1
            for n in range(1, longest + 1):
                for cid in table.get(tuple(stems[i : i + n]), ()):
                    found.append(self.concepts[cid].token)
        for part in parts:
            for cid in table.get((part,), ()):
                found.append(self.concepts[cid].token)
        return found

    def in_other_written_form(self, text_words: Sequence[str]) -> list[str]:
        """Concept tokens of a nynorsk text's words that name a concept only in their
        bokmål form (the lists give the common nynorsk forms, not every one): tenestene,
        marknadsdialogen, fagarbeidarar. One token per mention, as in_document."""
        table = self.by_stems["nb"]
        found: list[str] = []
        for word in text_words:
            if (stem(word, "nb"),) in table:
                continue  # in_document has it
            for form in nynorsk.variants(word):
                if ids := table.get((stem(form, "nb"),)):
                    found += [self.concepts[cid].token for cid in sorted(ids)]
                    break
        return found

    def topic(self, topic: str) -> Concept | None:
        return self.concepts.get(f"topic_{topic}")

    def country(self, code: str) -> Concept | None:
        return self.concepts.get(f"country_{code.lower()}")

    def region(self, name: str) -> Concept | None:
        return self.concepts.get(region_id(name))

    def district(self, name: str) -> Concept | None:
        return self.concepts.get(district_id(name))

    def annotations(
        self,
        topics: Iterable[str],
        countries: Iterable[str],
        regions: Iterable[str] = (),
        districts: Iterable[str] = (),
    ) -> list[str]:
        """Concept tokens an article carries for its topics, countries, regions and
        districts (the facets and places, not its words): "Vestland" finds a Bergen article
        that never names it, "Sunnmøre" one about Volda."""
        found = [self.topic(t) for t in topics] + [self.country(c) for c in countries]
        found += [self.region(r) for r in regions] + [self.district(d) for d in districts]
        return [c.token for c in found if c is not None]

    def for_query(self, tokens: Sequence[str]) -> list[Concept]:
        """Concepts a query word or phrase names in any of the query languages."""
        ids: set[str] = set()
        for lang in QUERY_LANGUAGES:
            key = tuple(stem(w, lang) for w in tokens)
            ids |= self.by_stems.get(lang, {}).get(key, set())
        # A listed word the stemmer cut down to another concept's word (anskaffingslova)
        # still means its own concept.
        listed = self.by_words.get(tuple(tokens), set())
        if listed and not listed & ids:
            ids = set(listed)
        return [self.concepts[i] for i in sorted(ids)]

    def stems_for(self, concept_ids: Iterable[str], lang: str) -> set[str]:
        """Stems of a concept's words in one language (to highlight them in a snippet)."""
        lang = DOC_LANGUAGE.get(lang, lang)
        out: set[str] = set()
        for cid in concept_ids:
            for term in self.concepts[cid].terms.get(lang, ()):
                out.update(stem(w, lang) for w in words(term))
        return out


def region_id(name: str) -> str:
    return "region_" + "".join(words(name))


def region_concepts() -> list[Concept]:
    """A concept per county or region of the catalogue (the region facet's values), named
    alike in every language: with its body's name (Region Skåne, Vestland fylke) and, for a
    Swedish county, without `län` (Kalmar län -> Kalmar)."""
    out = []
    names = region_names()
    for name in sorted(set(names.by_source.values()) | set(names.by_name.values())):
        forms = [name, f"region {name}", f"{name} fylke", f"{name} fylkeskommune"]
        if name.endswith(" län"):
            bare = name.removesuffix(" län")
            forms += [bare, f"region {bare.removesuffix('s')}"]
        terms = dict.fromkeys(TERM_LANGUAGES, tuple(forms))
        out.append(Concept(region_id(name), None, terms))
    return out


def district_id(name: str) -> str:
    return "district_" + "".join(words(name))


def district_concepts() -> list[Concept]:
    """A concept per district of config/search/districts.yaml, named alike in every
    language; articles carry it for their places (procradar.core.index.places)."""
    return [
        Concept(district_id(name), None, dict.fromkeys(TERM_LANGUAGES, forms))
        for name, forms in sorted(districts().items())
    ]


@cache
def equivalences() -> Equivalences:
    return Equivalences.load()

"""spaCy pipelines per language, built once per process from blank models.

    tokenizer (spaCy's, per language) → procradar_sentences → lemmatizer → procradar_entities
    → procradar_amounts → procradar_dates

No trained pipeline exists for the Nordic languages on PyPI, so everything after the
tokenizer is either a lookup table or our own component:

* sentences: the abbreviation-aware splitter of enrichment/text.py, so every stage agrees on
  where sentences end ("kl. 9.00" and "d. 4. juni" do not end one);
* lemmas: spaCy's lookup lemmatizer with the spacy-lookups-data tables for sv, da and en; the
  Norwegian table has 1,582 entries and there is none for nynorsk, so nb and nn (and fi) get
  Snowball stems from PyStemmer instead (measured in docs/benchmarks.md);
* entities: organisations (label ORG, kb_id the gazetteer id) and places (label LOC) from
  enrichment/gazetteer.py and config/enrichment/places.yaml, as an entity ruler would;
* amounts and dates: doc.spans["amounts"] / doc.spans["dates"], the parsed values on
  span._.amount / span._.date_mention.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

import numpy
import spacy
import Stemmer
from spacy.attrs import ENT_TYPE, IDX, IS_PUNCT, LEMMA, LOWER, SENT_START, SPACY
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from enrichment.amounts import find_amounts_at
from enrichment.dates import find_dates
from enrichment.entities import find_entities
from enrichment.text import sentences
from enrichment.topics import Unit, title_unit

SPACY_LANGUAGE = {"sv": "sv", "nb": "nb", "nn": "nb", "da": "da", "en": "en", "fi": "fi"}
LOOKUP_LEMMAS = frozenset({"sv", "da", "en"})  # spacy-lookups-data tables worth loading
CACHE_LIMIT = 500_000  # words remembered between documents (lemmas, topic forms)
SNOWBALL = {"nb": "norwegian", "nn": "norwegian", "fi": "finnish"}

if not Span.has_extension("amount"):
    Span.set_extension("amount", default=None)
    Span.set_extension("date_mention", default=None)
if not Doc.has_extension("language"):
    Doc.set_extension("language", default="und")
    Doc.set_extension("source_text", default=None)
    Doc.set_extension("published", default=None)
    Doc.set_extension("organizations", default=[])
    Doc.set_extension("places", default=[])


def text_of(doc: Doc) -> str:
    """The doc's text; Doc.text re-joins every token, so process() keeps the original."""
    text = doc._.source_text
    return text if text is not None else doc.text


def _write(doc: Doc, attr: int, values: Any) -> Doc:
    """Set one token attribute for the whole doc from an array of uint64 values."""
    return doc.from_array([attr], values.reshape((len(doc), 1)))


@Language.component("procradar_sentences")
def set_sentences(doc: Doc) -> Doc:
    if not len(doc):
        return doc
    starts = numpy.array([s.start for s in sentences(text_of(doc))], dtype="uint64")
    offsets = doc.to_array([IDX])
    flags = numpy.where(numpy.isin(offsets, starts), 1, -1).astype("uint64")
    flags[0] = 1
    # One array write: setting token.is_sent_start one by one re-checks the whole doc each time.
    return _write(doc, SENT_START, flags)


@Language.factory("procradar_lemmas", default_config={"language": "sv"})
def make_lemmatizer(nlp: Language, name: str, language: str) -> Lemmatizer:
    return Lemmatizer(language)


class Lemmatizer:
    """Lemmas from the spacy-lookups-data lookup table (sv, da, en) or Snowball stems (nb, nn,
    fi: the Norwegian table has 1,582 entries, nynorsk none). Does what spaCy's lemmatizer in
    lookup mode does with the same table, in one array write instead of per-token Python."""

    def __init__(self, language: str) -> None:
        self.lookup: Callable[[str], str]
        self.known: dict[int, int] = {}  # lower-case word hash -> lemma hash
        if language in LOOKUP_LEMMAS:
            table = load_lookups(SPACY_LANGUAGE[language], ["lemma_lookup"]).get_table(
                "lemma_lookup"
            )
            self.lookup = lambda word: table.get(word, word)
        else:
            stemmer = Stemmer.Stemmer(SNOWBALL.get(language, "porter"))
            self.lookup = stemmer.stemWord

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings, known = doc.vocab.strings, self.known
        lowers = doc.to_array([LOWER]).tolist()
        for lower in set(lowers) - known.keys():
            known[lower] = strings.add(self.lookup(strings[lower]))
        if len(known) > CACHE_LIMIT:
            known.clear()
        return _write(doc, LEMMA, numpy.array([known[h] for h in lowers], dtype="uint64"))


@Language.component("procradar_entities")
def set_entities(doc: Doc) -> Doc:
    found = find_entities(text_of(doc), doc._.language)
    spans = [
        doc.char_span(start, end, label="ORG", kb_id=org_id, alignment_mode="expand")
        for (start, end), org_id in zip(found.spans, found.ids, strict=True)
    ]
    spans += [
        doc.char_span(start, end, label="LOC", alignment_mode="expand")
        for start, end in found.place_spans
    ]
    doc.set_ents(filter_spans([s for s in spans if s is not None]), default="unmodified")
    doc._.organizations = found.organizations
    doc._.places = found.places
    return doc


@Language.component("procradar_amounts")
def set_amounts(doc: Doc) -> Doc:
    spans = []
    for amount, start in find_amounts_at(text_of(doc), doc._.language):
        end = start + len(amount.text)
        span = doc.char_span(start, end, label=amount.currency, alignment_mode="expand")
        if span is not None:
            span._.amount = amount
            spans.append(span)
    doc.spans["amounts"] = spans
    return doc


@Language.component("procradar_dates")
def set_dates(doc: Doc) -> Doc:
    spans = []
    for mention in find_dates(text_of(doc), doc._.published, doc._.language):
        span = doc.char_span(mention.start, mention.end, label="DATE", alignment_mode="expand")
        if span is not None:
            span._.date_mention = mention
            spans.append(span)
    doc.spans["dates"] = spans
    return doc


@cache
def pipeline(language: str) -> Language:
    """The pipeline for a language code (sv, nb, nn, da, en, fi; anything else: multilingual)."""
    nlp = spacy.blank(SPACY_LANGUAGE.get(language, "xx"))
    nlp.add_pipe("procradar_sentences")
    if language in LOOKUP_LEMMAS or language in SNOWBALL:
        nlp.add_pipe("procradar_lemmas", config={"language": language})
    for name in ("procradar_entities", "procradar_amounts", "procradar_dates"):
        nlp.add_pipe(name)
    nlp.initialize()
    return nlp


def process(text: str, language: str, published: date | None = None) -> Doc:
    """Run the language's pipeline over text; stages read the language and publication date."""
    nlp = pipeline(language)
    doc = nlp.make_doc(text)
    doc._.language = language
    doc._.source_text = text
    doc._.published = published
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def units(doc: Doc, title: str = "", masked_title: str | None = None) -> list[Unit]:
    """The doc's sentences as the topic tagger reads them: each word as its lower-cased form
    and its lemma; organisation names and punctuation blanked ("Sykehusbygg" is a buyer, not
    a topic). Read from token arrays: creating a Token object per word costs more."""
    result = [title_unit(title, masked_title)] if title else []
    if not len(doc):
        return result
    strings = doc.vocab.strings
    org, blank = strings.add("ORG"), ("",)
    columns = doc.to_array([LOWER, LEMMA, ENT_TYPE, IS_PUNCT, SENT_START, SPACY]).tolist()
    forms = _forms_cache(doc.vocab)
    text = text_of(doc)
    spans = sentences(text)
    number, tokens = 0, list[tuple[str, ...]]()
    joinable = hyphen = False  # the last word touches what follows; a hyphen waits
    for lower, lemma, ent_type, is_punct, sent_start, space in columns:
        if sent_start == 1 and tokens:
            result.append((number, spans[number].text if number < len(spans) else "", tokens))
            number, tokens = number + 1, list[tuple[str, ...]]()
            joinable = hyphen = False
        if is_punct and joinable and not space and strings[lower] in HYPHENS:
            hyphen = True
            continue
        if ent_type == org or is_punct:
            tokens.extend([blank, blank] if hyphen else [blank])
            joinable = hyphen = False
            continue
        key = (lower, lemma)
        if key not in forms:
            if len(forms) > CACHE_LIMIT:
                forms.clear()
            surface, base = strings[lower].rstrip("-"), strings[lemma].lower()
            forms[key] = (surface, base) if base and base != surface else (surface,)
        if hyphen:
            tokens[-1] = _hyphenated(tokens[-1], forms[key])
        else:
            tokens.append(forms[key])
        joinable, hyphen = not space, False
    if hyphen:
        tokens.append(blank)
    result.append((number, spans[number].text if number < len(spans) else "", tokens))
    return result


HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _hyphenated(first: tuple[str, ...], last: tuple[str, ...]) -> tuple[str, ...]:
    """ "pre-commercial", "e-fakturaer", "co2-utslipp": the tokenizer splits at the hyphen, but
    the lexicons (and the titles, read by enrichment/text.words) have such words whole. The
    whole word first, then the last part's own forms, which carry the meaning of a
    compound ("co2-utslipp" is about "utslipp")."""
    whole = f"{first[0]}-{last[0]}"
    lemma = f"{first[0]}-{last[-1]}"
    return (whole, *(f for f in (lemma, *last) if f != whole))


@cache
def _forms_cache(vocab: object) -> dict[tuple[int, int], tuple[str, ...]]:
    """(lower, lemma) hashes -> the forms the tagger tries; words repeat across documents."""
    return {}

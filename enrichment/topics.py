"""Topic tagging from per-language lexicons (config/topics/<lang>.yaml), compound-aware.

Nordic compounds carry the topic inside a longer word (innovationsupphandlingen,
klimakravene, leverantörsfrukosten), so lexicon terms match as word prefixes or, marked with
"*", anywhere inside a word. Every match is kept as evidence (term and sentence) so the UI
can show why an article carries a topic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from enrichment import topic_decision
from enrichment.resources import ResourceError, load_yaml
from enrichment.text import sentences, words

LEXICON_LANGUAGES = ("sv", "nb", "nn", "da", "en", "fi")
FALLBACK = {"und": "en"}
TITLE_WEIGHT = 2.0  # a term in the title counts this many times
MAX_EVIDENCE = 5
REPEAT_DECAY = 1.0  # the n-th occurrence of the same term counts 1/n**REPEAT_DECAY
GAP = 2  # words a "~" in a multi-word term may skip (never across punctuation or a name)
# Inflectional endings a compound's head may carry in sv/nb/nn/da/en ("personbilar",
# "ambulansebilene", "skraldebilerne", "refuse trucks"): the union, since a head is a noun.
HEAD_ENDINGS: tuple[str, ...] = (
    *("", "s", "e", "n", "a", "t", "en", "et", "er", "ar", "or", "na", "ne", "es", "ene"),
    *("ane", "arna", "erna", "orna", "erne", "ens", "ets", "ernes"),
)
# A head preceded by fewer letters is a word of its own, not a compound's last part: "mobil"
# and "stabil" end in "bil" but are not cars.
HEAD_MIN_MODIFIER = 3
# Nouns in -el lose the e before a vowel ending: läkemedel → läkemedlen, kørsel → kørslen,
# sykkel → sykler, legemiddel → legemidlene. The shortened stem counts only with such an ending
# at the end of the word, so "handl" (from handel) does not find "handling".
SYNCOPE = re.compile(r"[^aeiouyåäöæø\W-]el$")
SYNCOPE_ENDINGS = (
    *("a", "e", "en", "er", "et", "ar", "or", "es", "ene", "ane", "arna", "erna", "orna"),
    *("erne", "ens", "ets", "ernes", "arne"),
)

Hit = tuple[str, float, str]  # topic, weight, term as written in the lexicon
# A sentence that opens with a short label and a colon ("Skolskjuts: fyra områden ...",
# "Sak- og arkivsystem: ..."): how plans, programmes and lists name their items. A topic
# named in such a label is an item of the text even when it has one sentence of its own.
LABEL = re.compile(r"^\s*([^\W\d_][^:\n.!?«»\"”]{0,48}):\s+\S")
LABEL_MAX_WORDS = 5


@dataclass
class Lexicon:
    exact: dict[str, list[Hit]] = field(default_factory=dict)
    prefix: dict[str, list[Hit]] = field(default_factory=dict)
    prefix_lengths: tuple[int, ...] = ()
    infix: list[tuple[str, Hit]] = field(default_factory=list)
    # Multi-word terms: (first word, following words, first word may be inside a compound, hit);
    # a following word "~" stands for up to GAP words ("små ~ företag": "små och nya företag")
    phrases: list[tuple[str, tuple[str, ...], bool, Hit]] = field(default_factory=list)
    # "!word": a word containing it gets the topic from no prefix or infix term, so the
    # compounds an infix also finds but that mean something else (fagmiljø, arbeidsmiljø
    # under "*miljø"; ligebehandling under "*behandling") stay out.
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "-bil": the last part of a compound, inflected ("leasingbilar", "ambulansebilene"). A
    # short head as an infix would also fire inside unrelated words (bilag, fotograf).
    heads: dict[str, list[Hit]] = field(default_factory=dict)
    # "pris & kvalitet": both words (as prefixes) somewhere in one sentence. How a text weighs
    # price against quality is phrased in too many orders and with too many words between for
    # a list of phrases ("pris teller 40 prosent, og kvalitet 60").
    pairs: list[tuple[str, str, Hit]] = field(default_factory=list)
    # Shortened stems of -el terms (SYNCOPE) and whether the term may end a compound
    syncopated: list[tuple[str, bool, Hit]] = field(default_factory=list)


def _parse_term(raw: str) -> tuple[str, float]:
    term, _, weight = str(raw).partition("|")
    return term.strip().lower(), float(weight) if weight else 1.0


def _topic_terms(lang: str) -> dict[str, list[str]]:
    data: dict[str, Any] = load_yaml(f"topics/{lang}.yaml") or {}
    terms: dict[str, list[str]] = {}
    if data.get("extends"):
        terms = {t: list(v) for t, v in _topic_terms(data["extends"]).items()}
    for topic, entries in (data.get("topics") or {}).items():
        terms.setdefault(topic, []).extend(str(e) for e in entries or [])
    return terms


@cache
def lexicon(lang: str) -> Lexicon:
    lang = FALLBACK.get(lang, lang)
    if lang not in LEXICON_LANGUAGES:
        raise ResourceError(f"no topic lexicon for language {lang!r}")
    lex = Lexicon()
    for topic, entries in _topic_terms(lang).items():
        for raw in entries:
            term, weight = _parse_term(raw)
            hit: Hit = (topic, weight, term)
            if term.startswith("!"):
                lex.exclude[topic] = (*lex.exclude.get(topic, ()), term[1:])
                continue
            infix = term.startswith("*")
            body = term.lstrip("*=-")
            if " & " in body:
                first, _, second = body.partition(" & ")
                lex.pairs.append((first.strip(), second.strip(), hit))
            elif term.startswith("-"):
                lex.heads.setdefault(body, []).append(hit)
            elif " " in body:
                # "lønns- og arbeidsvilkår": the word before "og" is read without its hyphen
                first, *rest = (w.rstrip("-") or w for w in body.split())
                lex.phrases.append((first, tuple(rest), infix, hit))
            elif term.startswith("="):
                lex.exact.setdefault(body, []).append(hit)
            else:
                if infix:
                    lex.infix.append((body, hit))
                else:
                    lex.prefix.setdefault(body, []).append(hit)
                lex.syncopated += [(stem, infix, hit) for stem in _syncopated(body)]
    lex.prefix_lengths = tuple(sorted({len(p) for p in lex.prefix}))
    return lex


def _syncopated(body: str) -> tuple[str, ...]:
    """The stems an -el noun takes before a vowel ending: "läkemedl", and for a doubled
    consonant both "sykkl" and "sykl" (tunnlar keeps it, sykler does not)."""
    if not SYNCOPE.search(body):
        return ()
    stem = body[:-2] + "l"
    if len(stem) > 3 and stem[-2] == stem[-3]:
        return (stem, stem[:-3] + stem[-2:])
    return (stem,)


def _syncope_hits(lex: Lexicon, token: str) -> list[Hit]:
    found: list[Hit] = []
    for ending in SYNCOPE_ENDINGS:
        if token.endswith(ending):
            stem = token[: -len(ending)]
            found += [
                hit
                for needle, infix, hit in lex.syncopated
                if stem == needle or (infix and stem.endswith(needle))
            ]
    return found


@lru_cache(maxsize=300_000)
def _cached_token_hits(lang: str, token: str) -> tuple[Hit, ...]:
    lex = lexicon(lang)
    hits: list[Hit] = list(lex.exact.get(token, ()))
    for length in lex.prefix_lengths:
        if length > len(token):
            break
        hits.extend(lex.prefix.get(token[:length], ()))
    hits.extend(hit for needle, hit in lex.infix if needle in token)
    if lex.heads:
        hits.extend(_head_hits(lex, token))
    if lex.syncopated:
        hits.extend(_syncope_hits(lex, token))
    if lex.exclude:
        hits = [h for h in hits if h[2].startswith("=") or not _excluded(lex, h[0], token)]
    return _best_per_topic(hits)


def _head_hits(lex: Lexicon, token: str) -> list[Hit]:
    found: list[Hit] = []
    for ending in HEAD_ENDINGS:
        if not token.endswith(ending):
            continue
        stem = token[: len(token) - len(ending)] if ending else token
        for head, hits in lex.heads.items():
            modifier = len(stem) - len(head)
            if stem.endswith(head) and (modifier == 0 or modifier >= HEAD_MIN_MODIFIER):
                found.extend(hits)
    return found


def _excluded(lex: Lexicon, topic: str, token: str) -> bool:
    return any(needle in token for needle in lex.exclude.get(topic, ()))


def _best_per_topic(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    """One term per topic per word: "*klimat" and "*klimatkrav" in "klimatkraven" count once,
    at the higher weight."""
    best: dict[str, Hit] = {}
    for hit in hits:
        if hit[0] not in best or hit[1] > best[hit[0]][1]:
            best[hit[0]] = hit
    return tuple(best.values())


@lru_cache(maxsize=300_000)
def _phrase_starts(lang: str, token: str) -> tuple[int, ...]:
    """Indices of the multi-word terms whose first word matches token."""
    return tuple(
        index
        for index, (first, _rest, infix, _hit) in enumerate(lexicon(lang).phrases)
        if (first in token if infix else token.startswith(first))
    )


@dataclass
class _Tally:
    score: float = 0.0
    sentences: set[int] = field(default_factory=set)
    in_title: bool = False
    in_label: bool = False
    terms: set[str] = field(default_factory=set)
    max_weight: float = 0.0
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class TopicResult:
    topics: list[str]
    scores: dict[str, dict[str, Any]]


# One sentence as the tagger sees it: its number (-1 for the title), its text for the evidence,
# and its words, each as the forms to try (surface and lemma; "" for a masked name).
Unit = tuple[int, str, list[tuple[str, ...]]]


def tag(
    text: str,
    language: str,
    title: str = "",
    masked_text: str | None = None,
    masked_title: str | None = None,
) -> TopicResult:
    """Topics of a plain text whose evidence the decision model accepts, with scores and
    evidence.

    `masked_*` are the same strings with organisation names blanked out (same offsets):
    terms are matched there, evidence is quoted from the originals."""
    scan = masked_text if masked_text is not None else text
    units = [title_unit(title, masked_title)] if title else []
    for number, sentence in enumerate(sentences(text)):
        words_ = words(scan[sentence.start : sentence.end])
        units.append((number, sentence.text, [(w,) for w in words_]))
    return decide(tally(units, language), len(units) - bool(title))


def title_unit(title: str, masked_title: str | None = None) -> Unit:
    return (-1, title, [(w,) for w in words(masked_title or title)])


def decide(tallies: dict[str, _Tally], sentence_count: int = 99) -> TopicResult:
    top = max((t.score for t in tallies.values()), default=0.0)
    model = topic_decision.model()
    chosen = [
        t
        for t, tally in tallies.items()
        if model.accepts(t, tally, top, sentence_count, len(tallies))
    ]
    chosen.sort(key=lambda t: -tallies[t].score)
    scores = {
        t: {"score": round(tallies[t].score, 2), "evidence": tallies[t].evidence} for t in chosen
    }
    return TopicResult(topics=chosen, scores=scores)


def tally(units: list[Unit], language: str) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    seen: dict[str, int] = {}
    for number, sentence, tokens in units:
        factor = TITLE_WEIGHT if number < 0 else 1.0
        labelled = _label_topics(language, sentence) if number >= 0 else set()
        for topic, weight, term in _sentence_hits(language, tokens):
            tally = tallies.setdefault(topic, _Tally())
            seen[term] = seen.get(term, 0) + 1
            # The same word again adds less: four "fastigheter" are not four arguments.
            tally.score += weight * factor / seen[term] ** REPEAT_DECAY
            tally.sentences.add(number)
            tally.in_title = tally.in_title or number < 0
            tally.in_label = tally.in_label or topic in labelled
            tally.terms.add(term)
            tally.max_weight = max(tally.max_weight, weight)
            if len(tally.evidence) < MAX_EVIDENCE:
                tally.evidence.append({"term": term.lstrip("*="), "sentence": sentence})
    return tallies


def _label_topics(language: str, sentence: str) -> set[str]:
    """Topics named in the sentence's opening label, if it has one."""
    match = LABEL.match(sentence)
    if match is None:
        return set()
    label = words(match.group(1))
    if len(label) > LABEL_MAX_WORDS:
        return set()
    return {hit[0] for hit in _sentence_hits(language, [(w,) for w in label])}


def _sentence_hits(language: str, tokens: list[tuple[str, ...]]) -> list[Hit]:
    lang = FALLBACK.get(language, language)
    phrases = lexicon(lang).phrases
    surfaces = [forms[0] for forms in tokens]
    hits: list[Hit] = []
    for position, forms in enumerate(tokens):
        here = [h for f in forms for h in _cached_token_hits(lang, f)]
        for index in _phrase_starts(lang, forms[0]):
            _first, rest, _infix, hit = phrases[index]
            if "~" in rest:
                if _gapped_match(surfaces, position + 1, rest):
                    here.append(hit)
                continue
            following = surfaces[position + 1 : position + 1 + len(rest)]
            if len(following) == len(rest) and all(map(str.startswith, following, rest)):
                here.append(hit)
        # "elderly care" is one piece of evidence, though "elder care" also matches it.
        hits.extend(_best_per_topic(here) if len(here) > 1 else here)
    return hits + _pair_hits(lang, tokens)


def _pair_hits(lang: str, tokens: list[tuple[str, ...]]) -> list[Hit]:
    """The "a & b" terms whose two words are both in the sentence, in different words."""
    found: list[Hit] = []
    for first, second, hit in lexicon(lang).pairs:
        at_first = {i for i, forms in enumerate(tokens) if any(f.startswith(first) for f in forms)}
        if not at_first:
            continue
        if any(
            i not in at_first or len(at_first) > 1
            for i, forms in enumerate(tokens)
            if any(f.startswith(second) for f in forms)
        ):
            found.append(hit)
    return list(_best_per_topic(found))


def _gapped_match(surfaces: list[str], start: int, rest: tuple[str, ...]) -> bool:
    """Whether the words from start match rest, each "~" skipping up to GAP words. Adjectives
    and counts come between the words of a term ("små och nya företag", "träffat fjorton
    leverantörer") in any article, so a gap finds what a list of exact phrases misses."""
    if not rest:
        return True
    if rest[0] == "~":
        for skip in range(GAP + 1):
            if skip and (start + skip > len(surfaces) or not surfaces[start + skip - 1]):
                return False
            if _gapped_match(surfaces, start + skip, rest[1:]):
                return True
        return False
    return (
        start < len(surfaces)
        and bool(surfaces[start])
        and surfaces[start].startswith(rest[0])
        and _gapped_match(surfaces, start + 1, rest[1:])
    )

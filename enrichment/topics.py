"""Topic tagging from per-language lexicons (config/topics/<lang>.yaml), compound-aware.

Nordic compounds carry the topic inside a longer word (innovationsupphandlingen,
klimakravene, leverantörsfrukosten), so lexicon terms match as word prefixes or, marked with
"*", anywhere inside a word. Every match is kept as evidence (term and sentence) so the UI
can show why an article carries a topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from enrichment.resources import ResourceError, load_yaml
from enrichment.text import Sentence, sentences, words

LEXICON_LANGUAGES = ("sv", "nb", "nn", "da", "en")
FALLBACK = {"fi": "en", "und": "en"}
THRESHOLD = 3.0  # score a topic needs to be assigned
TITLE_WEIGHT = 2.0  # a term in the title counts this many times
MAX_EVIDENCE = 5

Hit = tuple[str, float, str]  # topic, weight, term as written in the lexicon


@dataclass
class Lexicon:
    exact: dict[str, list[Hit]] = field(default_factory=dict)
    prefix: dict[str, list[Hit]] = field(default_factory=dict)
    prefix_lengths: tuple[int, ...] = ()
    infix: list[tuple[str, Hit]] = field(default_factory=list)
    phrases: re.Pattern[str] | None = None
    phrase_hits: dict[str, Hit] = field(default_factory=dict)  # regex group name -> hit


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
    phrase_patterns: list[str] = []
    for topic, entries in _topic_terms(lang).items():
        for raw in entries:
            term, weight = _parse_term(raw)
            hit: Hit = (topic, weight, term)
            infix = term.startswith("*")
            body = term.lstrip("*=")
            if " " in body:
                name = f"p{len(phrase_patterns)}"
                lex.phrase_hits[name] = hit
                phrase_patterns.append(f"(?P<{name}>{_phrase_regex(body, infix)})")
            elif term.startswith("="):
                lex.exact.setdefault(body, []).append(hit)
            elif infix:
                lex.infix.append((body, hit))
            else:
                lex.prefix.setdefault(body, []).append(hit)
    lex.prefix_lengths = tuple(sorted({len(p) for p in lex.prefix}))
    if phrase_patterns:
        lex.phrases = re.compile("|".join(phrase_patterns))
    return lex


def _phrase_regex(body: str, infix: bool) -> str:
    parts = [re.escape(p) + r"[\w-]*" for p in body.split()]
    lead = r"" if infix else r"(?<![\w-])"
    return lead + r"\s+".join(parts)


def _token_hits(lang: str, token: str) -> list[Hit]:
    return list(_cached_token_hits(FALLBACK.get(lang, lang), token))


@lru_cache(maxsize=300_000)
def _cached_token_hits(lang: str, token: str) -> tuple[Hit, ...]:
    lex = lexicon(lang)
    hits: list[Hit] = list(lex.exact.get(token, ()))
    for length in lex.prefix_lengths:
        if length > len(token):
            break
        hits.extend(lex.prefix.get(token[:length], ()))
    hits.extend(hit for needle, hit in lex.infix if needle in token)
    # One term per topic per word: "*klimat" and "*klimatkrav" in "klimatkraven" count once,
    # at the higher weight.
    best: dict[str, Hit] = {}
    for hit in hits:
        if hit[0] not in best or hit[1] > best[hit[0]][1]:
            best[hit[0]] = hit
    return tuple(best.values())


@dataclass
class TopicResult:
    topics: list[str]
    scores: dict[str, dict[str, Any]]


def tag(text: str, language: str, title: str = "") -> TopicResult:
    """Topics with score >= THRESHOLD, each with its score and evidence."""
    totals: dict[str, float] = {}
    evidence: dict[str, list[dict[str, str]]] = {}
    for factor, sentence in _weighted_sentences(text, title):
        for topic, weight, term in _sentence_hits(language, sentence.text):
            totals[topic] = totals.get(topic, 0.0) + weight * factor
            found = evidence.setdefault(topic, [])
            if len(found) < MAX_EVIDENCE:
                found.append({"term": term.lstrip("*="), "sentence": sentence.text})
    chosen = sorted((t for t, s in totals.items() if s >= THRESHOLD), key=lambda t: -totals[t])
    scores = {t: {"score": round(totals[t], 2), "evidence": evidence[t]} for t in chosen}
    return TopicResult(topics=chosen, scores=scores)


def _weighted_sentences(text: str, title: str) -> list[tuple[float, Sentence]]:
    items = [(1.0, s) for s in sentences(text)]
    if title:
        items.insert(0, (TITLE_WEIGHT, Sentence(0, len(title), title)))
    return items


def _sentence_hits(language: str, sentence: str) -> list[Hit]:
    hits: list[Hit] = []
    for token in words(sentence):
        hits.extend(_token_hits(language, token))
    lex = lexicon(FALLBACK.get(language, language))
    if lex.phrases is not None:
        for match in lex.phrases.finditer(sentence.lower()):
            if match.lastgroup:
                hits.append(lex.phrase_hits[match.lastgroup])
    return hits

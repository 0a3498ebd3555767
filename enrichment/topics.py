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

LEXICON_LANGUAGES = ("sv", "nb", "nn", "da", "en", "fi")
FALLBACK = {"und": "en"}
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
class Decision:
    """When a topic's evidence counts as the article being about it (tuned on eval dev)."""

    threshold: float = 3.0  # summed term weights
    min_sentences: int = 2  # distinct sentences with evidence, unless the title has some
    single_sentence_score: float = 4.0  # ... or this much in one sentence
    relative: float = 0.2  # share of the top topic's score


DECISION = Decision()


@dataclass
class _Tally:
    score: float = 0.0
    sentences: set[int] = field(default_factory=set)
    in_title: bool = False
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class TopicResult:
    topics: list[str]
    scores: dict[str, dict[str, Any]]


def tag(
    text: str,
    language: str,
    title: str = "",
    masked_text: str | None = None,
    masked_title: str | None = None,
    decision: Decision = DECISION,
) -> TopicResult:
    """Topics whose evidence passes `decision`, each with its score and evidence.

    `masked_*` are the same strings with organisation names blanked out (same offsets):
    terms are matched there, evidence is quoted from the originals."""
    tallies = _tally(text, language, title, masked_text, masked_title)
    top = max((t.score for t in tallies.values()), default=0.0)
    chosen = [t for t, tally in tallies.items() if _passes(tally, top, decision)]
    chosen.sort(key=lambda t: -tallies[t].score)
    scores = {
        t: {"score": round(tallies[t].score, 2), "evidence": tallies[t].evidence} for t in chosen
    }
    return TopicResult(topics=chosen, scores=scores)


def _passes(tally: _Tally, top: float, decision: Decision) -> bool:
    if tally.score < decision.threshold or tally.score < decision.relative * top:
        return False
    spread = len(tally.sentences) >= decision.min_sentences or tally.in_title
    return spread or tally.score >= decision.single_sentence_score


def _tally(
    text: str, language: str, title: str, masked_text: str | None, masked_title: str | None
) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    items: list[tuple[int, Sentence, str]] = []
    if title:
        items.append((-1, Sentence(0, len(title), title), masked_title or title))
    scan = masked_text if masked_text is not None else text
    for number, sentence in enumerate(sentences(text)):
        items.append((number, sentence, scan[sentence.start : sentence.end]))
    for number, sentence, scanned in items:
        factor = TITLE_WEIGHT if number < 0 else 1.0
        for topic, weight, term in _sentence_hits(language, scanned):
            tally = tallies.setdefault(topic, _Tally())
            tally.score += weight * factor
            tally.sentences.add(number)
            tally.in_title = tally.in_title or number < 0
            if len(tally.evidence) < MAX_EVIDENCE:
                tally.evidence.append({"term": term.lstrip("*="), "sentence": sentence.text})
    return tallies


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

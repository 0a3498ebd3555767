"""Language identification for sv, nb, nn, da, fi and en, with foreign passages marked.

Marker words (config/enrichment/language.yaml) decide between the Nordic languages, where
langdetect is weakest (no bokmål/nynorsk split, Danish/bokmål confusions on short texts);
langdetect, seeded so results are deterministic, and the source's declared language only
break ties when a text has too few markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from enrichment.resources import load_yaml
from enrichment.text import sentences

LANGUAGES = ("sv", "nb", "nn", "da", "en", "fi")
# Below this many marker points a text is "short": the prior and langdetect get a say.
CONFIDENT_SCORE = 6.0
PASSAGE_MIN_SCORE = 6.0  # marker points a sentence needs to count as another language
PASSAGE_MIN_LEAD = 4.0  # ... and its lead over the document's language
PRIOR_WEIGHT = 0.15  # share of the top score granted to the source's declared language
_QUOTE_OPEN = re.compile(r":?\s*[«“]")
_TRIM = ' \n–—-"«»“”:'
_WORD = re.compile(r"[^\W\d_]+(?:[.-][^\W\d_]+)*", re.UNICODE)

Scores = dict[str, float]


@dataclass
class LanguageResult:
    language: str
    scores: Scores
    passages: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class _Markers:
    words: dict[str, tuple[tuple[str, float], ...]]
    suffixes: dict[str, tuple[tuple[str, float], ...]]  # ending -> (lang, weight)
    suffix_lengths: tuple[int, ...]
    substrings: tuple[tuple[str, str, float], ...]  # (needle, lang, weight)


def _parse_weighted(spec: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in (spec or "").split():
        word, _, weight = item.rpartition(":") if ":" in item else (item, "", "1")
        weights[word.lower()] = float(weight)
    return weights


@cache
def _markers() -> _Markers:
    data = load_yaml("enrichment/language.yaml")["languages"]
    words: dict[str, list[tuple[str, float]]] = {}
    suffixes: dict[str, list[tuple[str, float]]] = {}
    substrings: list[tuple[str, str, float]] = []
    for lang, spec in data.items():
        for word, weight in _parse_weighted(spec.get("words", "")).items():
            words.setdefault(word, []).append((lang, weight))
        for ending, weight in _parse_weighted(spec.get("suffixes", "")).items():
            suffixes.setdefault(ending, []).append((lang, weight))
        for needle, weight in _parse_weighted(spec.get("substrings", "")).items():
            if weight:
                substrings.append((needle, lang, weight))
    return _Markers(
        words={w: tuple(v) for w, v in words.items()},
        suffixes={s: tuple(v) for s, v in suffixes.items()},
        suffix_lengths=tuple(sorted({len(s) for s in suffixes}, reverse=True)),
        substrings=tuple(substrings),
    )


@lru_cache(maxsize=200_000)
def token_scores(token: str) -> tuple[tuple[str, float], ...]:
    """Marker points one lower-cased token gives each language (cached: tokens repeat)."""
    markers = _markers()
    points: dict[str, float] = {}
    for lang, weight in markers.words.get(token, ()):
        points[lang] = points.get(lang, 0.0) + weight
    if len(token) >= 5:
        ended: set[str] = set()  # only the longest matching ending of each language counts
        for length in markers.suffix_lengths:
            if length < len(token) - 1:
                for lang, weight in markers.suffixes.get(token[-length:], ()):
                    if lang not in ended:
                        ended.add(lang)
                        points[lang] = points.get(lang, 0.0) + weight
    for needle, lang, weight in markers.substrings:
        if needle in token:
            points[lang] = points.get(lang, 0.0) + weight
    return tuple(points.items())


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def marker_scores(text: str) -> Scores:
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for token in tokens(text):
        for lang, weight in token_scores(token):
            scores[lang] += weight
    return scores


def decide(scores: Scores, source_language: str | None = None) -> str:
    """The best-scoring language; Norwegian that nothing marks as nynorsk is bokmål."""
    prior = _normalise_code(source_language)
    top = max(scores.values())
    adjusted = dict(scores)
    if prior in adjusted:
        adjusted[prior] += max(top * PRIOR_WEIGHT, 1.0)
    best = max(LANGUAGES, key=lambda lang: (adjusted[lang], lang == prior))
    if best == "nn" and adjusted["nn"] - adjusted["nb"] < 2.0:
        return "nb"
    return best


def detect(text: str, source_language: str | None = None, title: str = "") -> LanguageResult:
    """The dominant language of title + text, and passages of text in another language."""
    segments = [(start, end, marker_scores(text[start:end])) for start, end in _segments(text)]
    scores = marker_scores(title)
    for _start, _end, segment_scores in segments:
        for lang, value in segment_scores.items():
            scores[lang] += value
    if max(scores.values()) < CONFIDENT_SCORE:
        _add_langdetect(f"{title}\n\n{text}", scores)
    language = decide(scores, source_language)
    if max(scores.values()) <= 0.0:
        language = _normalise_code(source_language) or "und"
    return LanguageResult(language, scores, passages(text, language, segments))


def passages(
    text: str, language: str, segments: list[tuple[int, int, Scores]] | None = None
) -> list[dict[str, object]]:
    """Runs of sentences (or «quotes») clearly in another language than the document's."""
    if segments is None:
        segments = [(start, end, marker_scores(text[start:end])) for start, end in _segments(text)]
    found: list[dict[str, object]] = []
    run: list[tuple[int, int, Scores]] = []
    for start, end, scores in segments:
        if _leans_foreign(scores, language) and (not run or _only_space(text, run[-1][1], start)):
            run.append((start, end, scores))
            continue
        found += _close_run(run, language)
        run = [(start, end, scores)] if _leans_foreign(scores, language) else []
    found += _close_run(run, language)
    return found


def _segments(text: str) -> list[tuple[int, int]]:
    """Sentences, with a «quoted» or “quoted” part split from its lead-in."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences(text):
        start = sentence.start
        for mark in _QUOTE_OPEN.finditer(sentence.text):
            if mark.start() > 0:
                spans.append((start, sentence.start + mark.start()))
                start = sentence.start + mark.end()
        spans.append((start, sentence.end))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip(_TRIM)), b) for a, b in spans if a < b]


def _leans_foreign(scores: Scores, language: str) -> bool:
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    return best != language and scores[best] - scores.get(language, 0.0) >= 2.0


def _close_run(run: list[tuple[int, int, Scores]], language: str) -> list[dict[str, object]]:
    """The run's language from its summed markers: a quote's first short sentence may lean
    bokmål and the next Danish, and the quote is one Danish passage."""
    if not run:
        return []
    total = dict.fromkeys(LANGUAGES, 0.0)
    for _start, _end, scores in run:
        for lang, value in scores.items():
            total[lang] += value
    other = decide(total)
    if other == language:
        return []
    lead = total[other] - total.get(language, 0.0)
    if total[other] < PASSAGE_MIN_SCORE or lead < PASSAGE_MIN_LEAD:
        return []
    return [{"start": run[0][0], "end": run[-1][1], "language": other}]


def _only_space(text: str, end: int, start: int) -> bool:
    return not text[end:start].strip(_TRIM)


def _normalise_code(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return {"no": "nb", "nob": "nb", "nno": "nn", "swe": "sv", "dan": "da"}.get(code, code)


def _add_langdetect(text: str, scores: Scores) -> None:
    """langdetect's probabilities as extra points: it is good at en/fi vs the rest."""
    for lang, prob in langdetect_probabilities(text).items():
        if lang == "no":
            scores["nb"] += 4.0 * prob
            scores["nn"] += 3.0 * prob
        elif lang in scores:
            scores[lang] += 4.0 * prob


def langdetect_probabilities(text: str) -> dict[str, float]:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return {item.lang: item.prob for item in detect_langs(text[:2000])}
    except LangDetectException:
        return {}

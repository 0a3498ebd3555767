"""The Elasticsearch index template: Nordic analyzers, the decompounder and the mapping.

Text is indexed twice: as written (`title`, `summary`, `text`, `meta`: standard analyzer)
and stemmed in the article's own language (`title_sv`, `text_no`, …), where the analyzer
also adds compound parts at the compound's position. Queries stem without decompounding,
so `krav` finds `klimatkraven` but `klimatkrav` does not find every `krav`. The filters
come from es/plugin (procradar_stemmer, procradar_decompound, procradar_lowercase).
"""

from __future__ import annotations

from typing import Any

from procradar.core.index.analysis import STEM_TAGS, STEMMERS, compound_words

TEXT_FIELDS = ("title", "summary", "text")
# stem tag (as in the SQLite backend) -> Snowball language
STEM_FIELD_LANGUAGES = {STEM_TAGS[lang]: STEMMERS[lang] for lang in STEM_TAGS}
COMPOUND_LISTS = {"sv": "sv", "no": "nb", "da": "da"}
KEYWORDS = (
    "language",
    "kind",
    "source",
    "topics",
    "countries",
    "regions",
    "orgs",
    "org_keys",
    "url",
)


def stem_field(field: str, tag: str) -> str:
    return f"{field}_{tag}"


def _word_list(lang: str) -> list[str]:
    return sorted(compound_words(lang))


def analysis() -> dict[str, Any]:
    filters: dict[str, Any] = {}
    analyzers: dict[str, Any] = {}
    for tag, language in STEM_FIELD_LANGUAGES.items():
        filters[f"stem_{tag}"] = {"type": "procradar_stemmer", "language": language}
        chain = ["procradar_lowercase", f"stem_{tag}"]
        analyzers[f"search_{tag}"] = {"type": "custom", "tokenizer": "standard", "filter": chain}
        if tag in COMPOUND_LISTS:
            filters[f"parts_{tag}"] = {
                "type": "procradar_decompound",
                "word_list": _word_list(COMPOUND_LISTS[tag]),
            }
            chain = ["procradar_lowercase", f"parts_{tag}", f"stem_{tag}"]
        analyzers[f"index_{tag}"] = {"type": "custom", "tokenizer": "standard", "filter": chain}
    return {"filter": filters, "analyzer": analyzers}


def mappings() -> dict[str, Any]:
    properties: dict[str, Any] = {
        name: {"type": "text", "analyzer": "standard"} for name in (*TEXT_FIELDS, "meta")
    }
    for tag in STEM_FIELD_LANGUAGES:
        for name in TEXT_FIELDS:
            properties[stem_field(name, tag)] = {
                "type": "text",
                "analyzer": f"index_{tag}",
                "search_analyzer": f"search_{tag}",
            }
    properties["concepts"] = {"type": "text", "analyzer": "whitespace"}
    properties.update({name: {"type": "keyword"} for name in KEYWORDS})
    properties["published"] = {"type": "date", "format": "strict_date"}
    properties["event_dates"] = {"type": "date", "format": "strict_date"}
    properties["indexed_at"] = {"type": "date", "format": "epoch_millis"}
    properties["relevant"] = {"type": "boolean"}  # the relevance gate's verdict
    properties["article"] = {"type": "object", "enabled": False}
    return {"dynamic": "strict", "properties": properties}


def template(prefix: str, shards: int, replicas: str) -> dict[str, Any]:
    return {
        "index_patterns": [f"{prefix}-v*"],
        "priority": 200,
        "template": {
            "settings": {
                "number_of_shards": shards,
                "auto_expand_replicas": replicas,
                "analysis": analysis(),
            },
            "mappings": mappings(),
        },
    }

"""The OpenAPI 3.0 document of /api/v1."""

from __future__ import annotations

from typing import Any

from procradar.core.query import COUNTRIES
from procradar.core.taxonomy import KINDS, LANGUAGES, ROLES, TOPICS
from search_app.params import MAX_PAGE


def _array(name: str, desc: str, enum: tuple[str, ...] | None = None) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string", "maxLength": 200}
    if enum:
        items = {"type": "string", "enum": list(enum)}
    return {
        "name": name,
        "in": "query",
        "description": desc,
        "schema": {"type": "array", "items": items, "maxItems": 20},
        "style": "form",
        "explode": True,
    }


FILTER_PARAMS: list[dict[str, Any]] = [
    {
        "name": "q",
        "in": "query",
        "description": 'Query text: words, "phrases", -word or NOT word, a OR b, prefix*.',
        "schema": {"type": "string", "maxLength": 500},
    },
    _array("topic", "Topic ids (any of them).", TOPICS),
    _array("kind", "Kinds of article.", KINDS),
    _array("language", "Article languages.", LANGUAGES),
    _array("country", "Countries.", COUNTRIES),
    _array("region", "Counties or regions by place name (Skåne, Vestland, Hovedstaden)."),
    _array("source", "Source ids."),
    _array("org", "Organisation names."),
    {
        "name": "after",
        "in": "query",
        "description": "Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).",
        "schema": {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
    },
    {
        "name": "before",
        "in": "query",
        "description": "Published before (YYYY, YYYY-MM or YYYY-MM-DD).",
        "schema": {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
    },
    {
        "name": "all",
        "in": "query",
        "description": "1: include general news the procurement-relevance gate turned away "
        "(by default only procurement news).",
        "schema": {"type": "string", "enum": ["0", "1"]},
    },
]
PAGING = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    },
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": ["relevance", "newest", "event"]},
    },
]
ERROR = {
    "description": "A clear error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _op(summary: str, params: list[dict[str, Any]], schema: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                    },
                },
                "400": ERROR,
                "404": ERROR,
                "429": ERROR,
                "503": ERROR,
            },
        }
    }


ARTICLE_SUMMARY = {
    "type": "object",
    "required": ["id", "url", "title"],
    "properties": {
        "id": {"type": "string"},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "published": {"type": "string", "nullable": True},
        "first_seen": {"type": "string", "nullable": True},
        "language": {"type": "string"},
        "kind": {"type": "string"},
        "source": {"type": "string", "nullable": True},
        "topics": {"type": "array", "items": {"type": "string"}},
        "organizations": {"type": "array", "items": {"type": "object"}},
        "places": {"type": "array", "items": {"type": "string"}},
        "amounts": {"type": "array", "items": {"type": "object"}},
        "events": {"type": "array", "items": {"type": "object"}},
        "summary": {"type": "string"},
        "relevant": {"type": "boolean"},
        "page": {"type": "string"},
        "api": {"type": "string"},
    },
}


def document(server: str) -> dict[str, Any]:
    obj = {"type": "object"}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "procradar API",
            "version": "1",
            "description": "Nordic public-procurement news: search, articles, facets, "
            "trends, events, organisations and sources.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/search": _op(
                "Search articles (summaries, paging links)", FILTER_PARAMS + PAGING, "SearchPage"
            ),
            "/facets": _op("Facet counts of a search", FILTER_PARAMS, "Facets"),
            "/articles/{id}": {
                "get": {
                    **_op("One article with its full text", [], "Article")["get"],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
                        }
                    ],
                }
            },
            "/trends": _op(
                "Articles per month by topic, country, organisation and compared queries",
                [
                    *FILTER_PARAMS,
                    {
                        "name": "cq",
                        "in": "query",
                        "schema": {
                            "type": "array",
                            "items": {"type": "string", "maxLength": 200},
                            "maxItems": 4,
                        },
                        "style": "form",
                        "explode": True,
                    },
                ],
                "Trends",
            ),
            "/events": _op(
                "Events announced in matching articles, upcoming first",
                [
                    *FILTER_PARAMS,
                    {
                        "name": "when",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["upcoming", "all"]},
                    },
                ],
                "Events",
            ),
            "/organisations": _op(
                "Organisations with most articles, with their role",
                [
                    {
                        "name": "role",
                        "in": "query",
                        "description": "Keep one role (buyer, supplier, …).",
                        "schema": {"type": "string", "enum": list(ROLES)},
                    }
                ],
                "List",
            ),
            "/sources": _op("Sources and their article counts", [], "List"),
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                },
                "ArticleSummary": ARTICLE_SUMMARY,
                "Article": {
                    "allOf": [
                        {"$ref": "#/components/schemas/ArticleSummary"},
                        {"type": "object", "properties": {"text": {"type": "string"}}},
                    ]
                },
                "SearchPage": {
                    "type": "object",
                    "required": ["total", "hits", "links"],
                    "properties": {
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "page_size": {"type": "integer"},
                        "hits": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ArticleSummary"},
                        },
                        "links": obj,
                        "expansions": obj,
                        "dropped": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "Query words left out: no article has them all.",
                        },
                        "respelled": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "Query word as typed -> the spelling searched.",
                        },
                        "partial": {
                            "type": "integer",
                            "description": "The last this many hits lack one of the query's "
                            "words (only a few articles have them all).",
                        },
                        "general_news_included": {"type": "boolean"},
                    },
                },
                "Facets": {
                    "type": "object",
                    "required": ["total", "facets"],
                    "properties": {"total": {"type": "integer"}, "facets": obj},
                },
                "Trends": {
                    "type": "object",
                    "required": ["periods"],
                    "properties": {"periods": {"type": "array", "items": {"type": "string"}}},
                },
                "Events": {
                    "type": "object",
                    "required": ["items"],
                    "properties": {
                        "total": {"type": "integer"},
                        "items": {"type": "array", "items": obj},
                    },
                },
                "List": {
                    "type": "object",
                    "required": ["items"],
                    "properties": {"items": {"type": "array", "items": obj}},
                },
            }
        },
    }

"""The Elasticsearch backend: ES 8 through the official client.

Documents live in versioned indices (`<prefix>-v<time>`) behind the alias `<prefix>`; an
index template gives every version the same analyzers and mapping. `rebuild` fills a new
version and swaps the alias in one atomic call, so searches never see an empty index.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from procradar.core.index import es_query
from procradar.core.index.analysis import STEM_TAGS
from procradar.core.index.base import (
    FACET_SIZE,
    PROGRESS_EVERY,
    Hit,
    IndexBackendError,
    Progress,
    SearchRequest,
    SearchResult,
)
from procradar.core.index.document import ANALYSIS_VERSION, IndexedDoc, prepare
from procradar.core.index.es_template import TEXT_FIELDS, mappings, stem_field, template
from procradar.core.index.histogram import fold
from procradar.core.index.plan import Plan, check_interval, make_plan, with_value
from procradar.core.index.relax import relaxed_search
from procradar.core.index.snippets import snippet
from procradar.core.models import Article
from procradar.core.settings import Settings

BULK_CHUNK = 500
GENERATION_SECONDS = 1.0
ES_ERRORS = (ApiError, TransportError)


def doc_id(url: str) -> str:
    """URLs can pass Elasticsearch's 512-byte id limit; their hash cannot."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _valid_date(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def source(doc: IndexedDoc) -> dict[str, Any]:
    body: dict[str, Any] = {
        "url": doc.url,
        "title": doc.title,
        "summary": doc.summary,
        "text": doc.text,
        "meta": doc.meta,
        "concepts": " ".join(doc.concepts),
        "language": doc.language,
        "kind": doc.kind,
        "source": doc.source or None,
        "topics": doc.facets["topic"],
        "countries": doc.facets["country"],
        "regions": doc.facets["region"],
        "event_dates": doc.facets["event"],
        "orgs": doc.facets["org"],
        "org_keys": [o.casefold() for o in doc.facets["org"]],
        "published": _valid_date(doc.published),
        "indexed_at": int(doc.indexed_at * 1000),
        "relevant": bool(doc.data.get("relevant", True)),
        "article": doc.data,
    }
    tag = STEM_TAGS.get(doc.language)
    if tag:
        for name in TEXT_FIELDS:
            body[stem_field(name, tag)] = getattr(doc, name)
    return body


class ElasticIndex:
    def __init__(
        self,
        url: str,
        prefix: str = "procradar",
        *,
        api_key: str | None = None,
        ca_certs: str | Path | None = None,
        shards: int = 1,
        replicas: str = "0-1",
        refresh: bool = False,
        expand_default: bool = True,
        timeout: float = 30.0,
    ):
        self.alias = prefix
        self.refresh = refresh
        self.expand_default = expand_default
        self.shards, self.replicas = shards, replicas
        tls: dict[str, Any] = {"ca_certs": str(ca_certs)} if ca_certs else {}
        hosts = [u.strip() for u in url.split(",") if u.strip()]  # several nodes: failover
        self.es = Elasticsearch(
            hosts, api_key=api_key, request_timeout=timeout, retry_on_timeout=True, **tls
        )
        self._ready = False
        self._generation: tuple[float, str] | None = None
        self.generation_seconds = GENERATION_SECONDS  # how long one stats answer is used

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticIndex:
        return cls(
            settings["search.elasticsearch.url"],
            settings["search.elasticsearch.index_prefix"],
            api_key=settings["search.elasticsearch.api_key"],
            ca_certs=settings["search.elasticsearch.ca_certs"],
            shards=settings["search.elasticsearch.shards"],
            replicas=settings["search.elasticsearch.replicas"],
            expand_default=settings["search.cross_lingual"],
        )

    # -- indices and the alias ---------------------------------------------------------

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ES_ERRORS as exc:
            raise IndexBackendError(f"Elasticsearch {what} failed: {exc}") from exc

    def _ensure(self) -> None:
        if self._ready:
            return
        body = template(self.alias, self.shards, self.replicas)
        self._call("template", self.es.indices.put_index_template, name=self.alias, **body)
        if not self._call("alias check", self.es.indices.exists_alias, name=self.alias):
            name = self._new_index()
            self._call("alias", self.es.indices.put_alias, index=name, name=self.alias)
        else:  # versions made before `indexed_at` existed: adding a field is allowed in place
            added = {k: mappings()["properties"][k] for k in ("indexed_at", "relevant")}
            self._call("mapping", self.es.indices.put_mapping, index=self.alias, properties=added)
        self._ready = True

    def _new_index(self) -> str:
        name = f"{self.alias}-v{time.time_ns()}"
        self._call(
            "create index",
            self.es.indices.create,
            index=name,
            mappings={"_meta": {"analysis": ANALYSIS_VERSION}},
        )
        return name

    @property
    def needs_reindex(self) -> bool:
        """An index behind the alias was built by another text analysis (ANALYSIS_VERSION
        in its mapping's _meta)."""
        self._ensure()
        found = self._call("mapping", self.es.indices.get_mapping, index=self.alias)
        return any(
            (body.get("mappings", {}).get("_meta") or {}).get("analysis") != ANALYSIS_VERSION
            for body in found.body.values()
        )

    def _live_indices(self) -> list[str]:
        found = self._call("alias lookup", self.es.indices.get_alias, name=self.alias)
        return sorted(found.body)

    # -- writing -----------------------------------------------------------------------

    def _bulk(self, actions: Iterable[dict[str, Any]], index: str) -> list[dict[str, Any]]:
        try:
            results = []
            for ok, item in helpers.streaming_bulk(
                self.es,
                actions,
                index=index,
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
                raise_on_exception=True,
            ):
                results.append(item)
                if not ok and next(iter(item.values())).get("status") != 404:
                    raise IndexBackendError(f"Elasticsearch bulk item failed: {item}")
            return results
        except ES_ERRORS as exc:
            raise IndexBackendError(f"Elasticsearch bulk failed: {exc}") from exc

    def _index_actions(self, articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
        for article in articles:
            yield {"_id": doc_id(article.url), "_source": source(prepare(article))}

    def _refresh(self, index: str | None = None) -> None:
        if self.refresh:
            self._call("refresh", self.es.indices.refresh, index=index or self.alias)

    def index(self, articles: Iterable[Article]) -> int:
        self._ensure()
        done = len(self._bulk(self._index_actions(articles), self.alias))
        self._refresh()
        return done

    def rebuild(self, articles: Iterable[Article], progress: Progress | None = None) -> int:
        self._ensure()
        old = self._live_indices()
        new = self._new_index()
        count = 0

        def counted() -> Iterator[dict[str, Any]]:
            nonlocal count
            for action in self._index_actions(articles):
                yield action
                count += 1
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count)

        try:
            self._bulk(counted(), new)
            self._call("refresh", self.es.indices.refresh, index=new)
        except IndexBackendError:
            self.es.indices.delete(index=new, ignore_unavailable=True)
            raise
        actions = [{"remove": {"index": i, "alias": self.alias}} for i in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self._call("alias swap", self.es.indices.update_aliases, actions=actions)
        for index in old:
            self._call("delete old index", self.es.indices.delete, index=index)
        return count

    def delete(self, urls: Iterable[str]) -> int:
        self._ensure()
        actions = ({"_op_type": "delete", "_id": doc_id(u)} for u in urls)
        results = self._bulk(actions, self.alias)
        self._refresh()
        return sum(1 for r in results if r["delete"].get("result") == "deleted")

    def clear(self) -> None:
        # A fresh empty version behind the alias (delete_by_query needs the reindex module,
        # which the node from Maven Central does not have).
        self.rebuild([])

    def count(self) -> int:
        self._ensure()
        return int(self._call("count", self.es.count, index=self.alias)["count"])

    # -- searching ---------------------------------------------------------------------

    def _search(self, plan: Plan, **body: Any) -> Any:
        self._ensure()
        return self._call(
            "search",
            self.es.search,
            index=self.alias,
            query=es_query.query(plan),
            track_total_hits=True,
            **body,
        )

    def search(self, q: SearchRequest) -> SearchResult:
        if q.relax:
            return relaxed_search(self.search, q, self.expand_default)
        plan = make_plan(q, self.expand_default)
        found = self._search(
            plan,
            sort=es_query.sort(plan, q.sort),
            track_scores=True,
            size=q.limit,
            from_=q.offset,
            source=["article"],
            aggs=es_query.facet_aggs(FACET_SIZE) if q.facets else None,
        )
        hits = [self._hit(h, plan) for h in found["hits"]["hits"]]
        facets: dict[str, list[tuple[str, int]]] = {}
        for name in es_query.FACET_FIELDS if q.facets else ():
            buckets = found["aggregations"][name]["buckets"]
            facets[name] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
        return SearchResult(
            hits=hits,
            total=int(found["hits"]["total"]["value"]),
            facets=facets,
            expansions=plan.expansions,
        )

    def _hit(self, raw: dict[str, Any], plan: Plan) -> Hit:
        article = raw["_source"]["article"]
        score = float(raw["_score"] or 0.0)
        text = snippet(plan, article) if plan.request.snippets else ""
        return Hit(article=article, score=score, snippet=text)

    def histogram(self, q: SearchRequest, interval: str = "month") -> list[tuple[str, int]]:
        check_interval(interval)
        plan = make_plan(q, self.expand_default)
        aggs = {
            "days": {
                "date_histogram": {
                    "field": "published",
                    "calendar_interval": "day",
                    "format": "yyyy-MM-dd",
                    "min_doc_count": 1,
                }
            }
        }
        found = self._search(plan, size=0, aggs=aggs)
        days = [
            (b["key_as_string"], int(b["doc_count"]))
            for b in found["aggregations"]["days"]["buckets"]
        ]
        return fold(days, interval)

    def histograms(
        self, q: SearchRequest, attr: str, values: list[str], interval: str = "month"
    ) -> dict[str, list[tuple[str, int]]]:
        return {v: self.histogram(with_value(q, attr, v), interval) for v in values}

    def more_like_this(self, url: str, limit: int = 5) -> list[Hit]:
        self._ensure()
        like = [{"_index": i, "_id": doc_id(url)} for i in self._live_indices()]
        mlt = {
            "more_like_this": {
                "fields": list(es_query.STEMMED),
                "like": like,
                "min_term_freq": 1,
                "min_doc_freq": 2,
                "max_query_terms": 16,
            }
        }
        found = self._call(
            "more like this",
            self.es.search,
            index=self.alias,
            query=mlt,
            size=limit,
            source=["article"],
        )
        plan = make_plan(SearchRequest())
        return [self._hit(h, plan) for h in found["hits"]["hits"]]

    def generation(self) -> str:
        """The index behind the alias and its write counters (a rebuild swaps the index,
        every write counts, so does a refresh). One stats call per `generation_seconds`
        at most: writes become searchable at the next refresh (1 s) anyway."""
        now = time.monotonic()
        if self._generation is not None and now - self._generation[0] < self.generation_seconds:
            return self._generation[1]
        self._ensure()
        stats = self._call(
            "stats", self.es.indices.stats, index=self.alias, metric="indexing,refresh"
        )
        parts = []
        for name, found in sorted(stats["indices"].items()):
            indexing = found["primaries"]["indexing"]
            refreshed = found["primaries"]["refresh"]["external_total"]
            parts.append(f"{name}:{indexing['index_total']}:{indexing['delete_total']}:{refreshed}")
        value = ",".join(parts)
        self._generation = (now, value)
        return value

    def drop(self) -> None:
        """Delete every index of this prefix and the template (tests, uninstall)."""
        self.es.indices.delete(
            index=f"{self.alias}-v*", ignore_unavailable=True, allow_no_indices=True
        )
        self.es.options(ignore_status=404).indices.delete_index_template(name=self.alias)
        self._ready = False

    def close(self) -> None:
        self.es.close()

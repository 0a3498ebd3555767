"""A query compound the part lists cannot split, whose last part names a concept, takes that
concept (Nordic compounds put the head last): hyrsjuksköterskor finds articles on nurses in
any language, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.index.plan import _head_concepts, make_plan
from procradar.core.models import Article
from tests.conftest import hit_paths

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://example.test/"


def _concept_ids(query: str) -> list[list[str]]:
    plan = make_plan(SearchRequest(query=query))
    return [[c.id for c in group] for unit in plan.units for group in unit.concepts]


def test_last_part_names_the_concept() -> None:
    assert ["nurses"] in _concept_ids("hyrsjuksköterskor")
    # an English slip is no Nordic compound: fur + nature would be biodiversity
    assert _head_concepts("furnature") == []
    # a word with concepts of its own, or parts the lists know, keeps those
    assert _concept_ids("sjuksköterskor")[0] == ["nurses"]
    assert _head_concepts("hyr") == []


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index(
        [
            Article(
                url=BASE + "da",
                title="Regionen køber vikarer",
                language="da",
                text="Aftalen omfatter sygeplejersker til sygehusene.",
                source="t",
            ),
            Article(
                url=BASE + "nb",
                title="Ny avtale om vask",
                language="nb",
                text="Sykehuset kjøper vasketjenester.",
                source="t",
            ),
        ]
    )
    return index


def test_compound_finds_its_heads_concept_in_another_language(index: Index) -> None:
    assert partial(hit_paths, base=BASE)(index, "hyrsjuksköterskor") == ["da"]

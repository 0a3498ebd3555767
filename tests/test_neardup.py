"""Near-duplicate fingerprints and story links, computed by the store on every upsert, with
candidates found through indexed band keys."""

from __future__ import annotations

from pathlib import Path

from procradar.core import neardup
from procradar.core.models import Article
from procradar.core.store import Store
from rigs.faultserver import make_articles

INTRO = "Pressmeddelande från Adda, publicerat i sin helhet.\n\n"
CONTACT = "\n\nPresskontakt: Adda, telefon 08-000 00 00, presstjänsten svarar vardagar."


def texts(count: int, seed: int = 3) -> list[str]:
    return ["\n\n".join(doc.paragraphs) for doc in make_articles(count, seed=seed)]


def test_sketch_is_deterministic_and_short_texts_have_none() -> None:
    text = texts(1)[0]
    first, again = neardup.sketch(text), neardup.sketch(text)
    assert first is not None and again is not None
    assert first.bands == again.bands and len(first.bands) == neardup.BANDS
    assert all(-(2**63) <= key < 2**63 for key in first.bands)  # fits a BIGINT column
    assert neardup.sketch("Kort text om upphandling.") is None


def test_copies_with_other_intro_or_contact_link_and_different_articles_never(
    tmp_path: Path,
) -> None:
    corpus = texts(60)
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    for i, text in enumerate(corpus):
        store.upsert_article(Article(url=f"https://a.se/{i}", text=text, source="a"))
    # The generated articles share many sentences, yet none of them is a copy of another.
    assert store.duplicate_urls() == []
    store.upsert_article(Article(url="https://b.se/1", text=INTRO + corpus[7], source="b"))
    store.upsert_article(Article(url="https://c.se/1", text=corpus[7] + CONTACT, source="c"))
    assert sorted(store.duplicate_urls()) == ["https://b.se/1", "https://c.se/1"]
    original = store.get_article("https://a.se/7")
    assert original is not None and original.links == ["https://b.se/1", "https://c.se/1"]
    assert original.fingerprint == neardup.sketch(corpus[7]).fingerprint  # type: ignore[union-attr]
    store.close()
    # A later process (nothing cached) finds the stored copy through the band table.
    again = Store(f"sqlite:///{tmp_path / 'store.db'}")
    again.upsert_article(Article(url="https://d.se/1", text=INTRO + corpus[20] + CONTACT))
    linked = again.get_article("https://d.se/1")
    assert linked is not None and linked.links == ["https://a.se/20"]
    again.close()


def test_caller_fingerprints_are_replaced_by_the_stores(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    one, other = texts(2, seed=11)
    store.upsert_article(Article(url="https://a.se/1", text=one, fingerprint="same"))
    store.upsert_article(Article(url="https://b.se/1", text=other, fingerprint="same"))
    assert store.duplicate_urls() == []
    assert store.get_article("https://b.se/1").fingerprint != "same"  # type: ignore[union-attr]
    store.close()

"""Which articles match a query, put together from the matches of its phrases.

A search reads the same phrases again and again: its concept and stem tokens recur in
every query naming the concept (`xccontract` in each query about contracts), and relaxing
a query counts many subsets of its words. FTS5 reads each phrase's doclist anew every
time, so a broad query's id pass cost ~15 ms of a ~14 ms average request on 100k
articles. Here each phrase (with the column filters around it) is read once per index
generation and kept as a bitmap of article ids; a query's ids are then unions,
intersections and differences of bitmaps.

Only the expressions procradar writes are taken apart: quoted phrases (a prefix star
allowed), NEAR groups, column filters, parentheses and AND/OR/NOT, with one kind of
operator per level (no question of precedence). Anything else gives None, and the caller
runs the expression in FTS5 as before. The phrases themselves are always matched by
FTS5, so what a phrase means never differs.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Bits = npt.NDArray[np.uint8]  # packed: bit i of the array = article id i
Ints = npt.NDArray[np.int64]
KEPT_BYTES = 32 * 2**20  # per index object: ~2,600 phrases at 100k articles, ~260 at 1M

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<filter>\{[^{}"]*\}\s*:)
    |(?P<near>NEAR\((?:[^()"]|"(?:[^"]|"")*")*\))
    |(?P<phrase>"(?:[^"]|"")*"(?:\s*\*)?)
    |(?P<open>\()|(?P<close>\))
    |(?P<op>AND|OR|NOT)(?![\w"])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Node:
    op: str  # "leaf", "AND", "OR" or "NOT" (binary: the first part minus the others)
    parts: tuple[Node, ...] = ()
    text: str = ""  # a leaf's FTS5 expression, its column filters included


def parse(expr: str) -> Node | None:
    """The expression as a tree of phrases, or None if it is not one procradar writes."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None or m.end() == pos:
            if expr[pos:].strip():
                return None
            break
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    parser = _Parser(tokens)
    node = parser.expression(())
    return node if node is not None and parser.at == len(tokens) else None


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def expression(self, filters: tuple[str, ...]) -> Node | None:
        parts = [self.term(filters)]
        op = ""
        while self._peek()[0] == "op":
            this = self._peek()[1]
            if op and this != op:
                return None  # mixed operators: leave precedence to FTS5
            op = this
            self.at += 1
            parts.append(self.term(filters))
        if any(p is None for p in parts):
            return None
        if not op:
            return parts[0]
        return Node(op, tuple(p for p in parts if p is not None))

    def term(self, filters: tuple[str, ...]) -> Node | None:
        kind, value = self._peek()
        self.at += 1
        if kind == "filter":
            return self.term((*filters, value.rstrip(":").strip()))
        if kind == "open":
            inner = self.expression(filters)
            if self._peek()[0] != "close":
                return None
            self.at += 1
            return inner
        if kind in ("phrase", "near"):
            text = value
            for f in reversed(filters):  # a filter covers the phrase as FTS5 would
                text = f"{f}: ({text})"
            return Node("leaf", text=text)
        return None


def leaves(node: Node) -> list[str]:
    if node.op == "leaf":
        return [node.text]
    return [text for part in node.parts for text in leaves(part)]


def monotone(node: Node) -> bool:
    """Whether more matches of a phrase can only mean more matches of `node` (no NOT)."""
    return node.op != "NOT" and all(monotone(part) for part in node.parts)


def evaluate(node: Node, bits: dict[str, Bits]) -> Bits:
    if node.op == "leaf":
        return bits[node.text]
    first, *rest = (evaluate(part, bits) for part in node.parts)
    out = first.copy()
    for other in rest:
        if node.op == "OR":
            out |= other
        elif node.op == "AND":
            out &= other
        else:
            out &= ~other
    return out


def to_bits(ids: Ints, size: int) -> Bits:
    mask = np.zeros(size, dtype=np.bool_)
    mask[ids] = True
    return np.packbits(mask)


def to_ids(bits: Bits, size: int) -> Ints:
    return np.flatnonzero(np.unpackbits(bits, count=size)).astype(np.int64)


def count(bits: Bits) -> int:
    return int(np.bitwise_count(bits).sum())


class PhraseSets:
    """Bitmaps of the phrases searched lately, for one generation of the index; the least
    recently used go first past KEPT_BYTES."""

    def __init__(self, kept_bytes: int = KEPT_BYTES):
        self.kept_bytes = kept_bytes
        self._lock = threading.Lock()
        self._bits: OrderedDict[str, Bits] = OrderedDict()
        self._bytes = 0
        self._key: tuple[int, int] = (-1, -1)  # generation, size

    def cached(self, key: tuple[int, int], texts: list[str]) -> dict[str, Bits]:
        with self._lock:
            if key != self._key:
                self._bits.clear()
                self._bytes, self._key = 0, key
            out = {}
            for text in texts:
                if text in self._bits:
                    self._bits.move_to_end(text)
                    out[text] = self._bits[text]
            return out

    def get(
        self, key: tuple[int, int], texts: list[str], fetch: Callable[[str], Ints]
    ) -> dict[str, Bits] | None:
        """Each phrase's bitmap, `fetch`ing (outside the lock) the ids of those not kept;
        None if an id lies past the generation's size (a write raced the search)."""
        out = self.cached(key, texts)
        size = key[1]
        for text in texts:
            if text in out:
                continue
            ids = fetch(text)
            if len(ids) and int(ids.max()) >= size:
                return None
            out[text] = to_bits(ids, size)
            with self._lock:
                if self._key == key and text not in self._bits:
                    self._bits[text] = out[text]
                    self._bytes += out[text].nbytes
                    while self._bytes > self.kept_bytes and self._bits:
                        self._bytes -= self._bits.popitem(last=False)[1].nbytes
        return out

"""Passages: the units an answer is made of, and their embeddings.

A passage is a sentence, or a bullet list read as one sentence with its introduction. A list that
opens a chunk is introduced by its section heading, which is read but not quoted. Each passage is
embedded at ingest with the index's embedder (one file per document under index/passages/), so the
answerer can rank passages by meaning as well as by words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from .textclean import sentences, table_prose
from .types import Chunk

MAX_ITEMS = 8
MAX_ITEM_CHARS = 400
MIN_CHARS = 25       # shorter single sentences are headings or fragments, not answers
MAX_CHARS = 600      # longer ones are run-on extraction, not sentences
_BULLET_GAP = re.compile(r"(^|\n)\s*[•–]\s*$")
_LABEL_RE = re.compile(r"^[A-ZÆØÅ]\w+\s+\d+(\s*,\s*\d+)*\s+[A-ZÆØÅ][^.!?]*\.?$")
MIN_STATEMENT_WORDS = 10


@dataclass(frozen=True)
class Passage:
    pos: int                       # passage number within the chunk
    lead: str
    items: tuple[str, ...] = ()
    lead_is_heading: bool = False

    @property
    def words(self) -> str:
        """The text as it stands in the source, for quoting."""
        return " ".join(self.items if self.lead_is_heading else (self.lead, *self.items))

    def prose(self) -> str:
        """One sentence of prose; a list reads «innledning: punkt; punkt; punkt»."""
        if not self.items:
            return self.lead
        return self.lead.rstrip(" :.") + ": " + "; ".join(i.rstrip(" .;:") for i in self.items) + "."

    @property
    def answerable(self) -> bool:
        """Long enough to say something, short enough to be a sentence, and not a numbered label
        («Tiltak 5, 7, 10 Videreutvikling av …», «Mål 3 Trygg skolevei»)."""
        if _LABEL_RE.match(self.lead) and len(self.words.split()) < MIN_STATEMENT_WORDS:
            return False
        return (len(self.lead) >= MIN_CHARS or bool(self.items)) and len(self.lead) <= MAX_CHARS


# A row label: a capitalised word, with or without numbers, before the row's capitalised name («Tiltak 9
# Rus som tema …», «Tiltak Økonomiske støtteordninger …»), at the start or after a word
_ROW_LABEL_RE = re.compile(r"(?:^|(?<=\S ))([A-ZÆØÅ][a-zæøå]+)( \d+(?:, \d+)*)? (?=[A-ZÆØÅ«“])")


def row_labels(text: str) -> set[str]:
    """The words that number a table's rows in the text: numbered two or more times («Tiltak 9 …»,
    «Tiltak 11 …»)."""
    numbered = [m.group(1) for m in _ROW_LABEL_RE.finditer(text) if m.group(2)]
    return {w for w in numbered if numbered.count(w) >= 2}


def rows(text: str, a: int, b: int, labels: set[str] = frozenset()) -> list[tuple[int, int]]:
    """A sentence span split where a table's rows run together: before each further occurrence of a
    label that recurs in it, numbered or opening the sentence («Tiltak 9 Av-og til kampanje Tiltak 9 Rus
    som tema …»), or of a word that numbers the rows elsewhere in the text (labels: «… våren 2025) Tiltak
    11 Samhandling …», «… ungdom Tiltak Sonemøter …»); not «… med Bærum Ungdomsråd og med Bærum Idrettsråd»."""
    found = [(m.start(), m.group(1), bool(m.group(2))) for m in _ROW_LABEL_RE.finditer(text, a, b)]
    words = [word for _, word, _ in found]
    opening = words[0] if found and found[0][0] == a else None
    cuts = [i for i, word, numbered in found
            if i > a and (word in labels or words.count(word) >= 2 and (numbered or word == opening))]
    bounds = [a, *cuts, b]
    return [(x, x + len(text[x:y].rstrip())) for x, y in zip(bounds, bounds[1:]) if text[x:y].strip()]


def passages(text: str, heading: str) -> list[Passage]:
    out: list[Passage] = []
    prev_end, open_list = 0, False
    labels = row_labels(text)
    spans = [(x, y, i > 0) for a, b in sentences(text) for i, (x, y) in enumerate(rows(text, a, b, labels))]
    for a, b, row in spans:
        gap = "\n" if row else text[prev_end:a]
        bullet = bool(_BULLET_GAP.search(gap))
        sentence = text[a:b]
        prev_end = b
        items = out[-1].items if out else ()
        if not bullet and "\n" not in gap and items and len(items[-1]) < MAX_ITEM_CHARS:
            # the next sentence of the same bullet item
            out[-1] = replace(out[-1], items=(*items[:-1], items[-1] + " " + sentence))
            continue
        if bullet and not out:
            out.append(Passage(0, heading, (), lead_is_heading=True))
            open_list = True
        if bullet and open_list and len(items) < MAX_ITEMS:
            out[-1] = replace(out[-1], items=(*out[-1].items, sentence))
            continue
        out.append(Passage(len(out), sentence))
        # a sentence directly followed by bullets introduces them
        open_list = not bullet
    # a heading introduces a list of several items; a single item stands as a sentence
    return [Passage(p.pos, p.items[0]) if p.lead_is_heading and len(p.items) == 1 else p for p in out]


def readable(chunk: Chunk) -> str | None:
    """The chunk as prose for passage selection; statistics tables are left to the figure answerer."""
    return table_prose(chunk.text) if chunk.kind == "table" else chunk.text


MIN_ROW_WORDS = 8    # a shorter table row is a label («Tiltak 5, 7 Videreutvikling av X»), not a statement …
# … unless it is a sentence of a cell, with no number after its first word («Foreldreveilederen er ikke
# oppdatert i 2024.», «Rutinen revideres jevnlig.»)
_CELL_SENTENCE_RE = re.compile(r"^[A-ZÆØÅ][a-zæøå]+\b(?!\s+\d)[^:]*\.$")


@lru_cache(maxsize=8192)
def chunk_passages(chunk: Chunk, short_rows: bool = False) -> tuple[Passage, ...]:
    """A chunk's passages, split once per chunk (chunks are immutable) rather than on every question.
    A table row too short to say anything stays out of answers; short_rows keeps it (it may name a
    measure: «Tiltak Økonomiske støtteordninger; eksempelvis fritidsstipend»)."""
    text = readable(chunk)
    if not text:
        return ()
    out = passages(text, chunk.section[-1])
    if chunk.kind == "table" and not short_rows:
        out = [p for p in out if len(p.words.split()) >= MIN_ROW_WORDS or _CELL_SENTENCE_RE.match(p.words)]
    return tuple(out)


# ---- embeddings, one file per document (a registered part of the index, see index.py) -------------

PART = "passages.npz"
VERSION = 8   # bumped when passage splitting changes, so stored passage keys are rebuilt


def build_part(path: Path, chunks: list[Chunk], source: str, vectors, embedder) -> None:
    """Embed every answerable passage of a document's chunks into path (written atomically)."""
    from .embed import embed_all

    keys, texts = [], []
    for c in chunks:
        for p in chunk_passages(c):
            if p.answerable:
                keys.append(f"{c.id}#{p.pos}")
                texts.append(p.prose())
    vecs = embed_all(embedder(), texts, "passage") if texts else np.zeros((0, 0), dtype=np.float32)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.savez(f, keys=np.array(keys, dtype=str), vectors=vecs.astype(np.float16))
    tmp.replace(path)


class PassageVectors:
    """All stored passage vectors, looked up by chunk id and passage number."""

    def __init__(self, files: list[Path]) -> None:
        self.row: dict[str, int] = {}
        blocks, offset = [], 0
        for f in files:
            if not f.exists():
                continue
            with np.load(f) as data:
                keys, vecs = data["keys"], data["vectors"]
            if len(keys):
                for j, k in enumerate(keys):
                    self.row.setdefault(str(k), offset + j)
                blocks.append(vecs.astype(np.float32))
                offset += len(keys)
        self.matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
        self.by_chunk: dict[str, list[int]] = {}
        for key, i in self.row.items():
            self.by_chunk.setdefault(key.rpartition("#")[0], []).append(i)

    def chunk_best(self, sims: np.ndarray, chunk_id: str) -> float | None:
        """The highest of a question's similarities (sims = matrix @ question) over a chunk's passages."""
        rows = self.by_chunk.get(chunk_id)
        return float(sims[rows].max()) if rows else None

    def similarity(self, query_vec: np.ndarray, chunk_id: str, pos: int) -> float | None:
        i = self.row.get(f"{chunk_id}#{pos}")
        return None if i is None else float(self.matrix[i] @ query_vec)

    def __len__(self) -> int:
        return len(self.row)

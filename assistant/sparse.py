"""BM25 over the chunks with Norwegian stemming and stop words (llama-index's BM25Retriever on bm25s).

Norwegian writes compounds as one word («voldslovbrudd», «butikktyveri»). With compound splitting
on, a long word whose two halves are both corpus words is indexed and searched with its halves too,
so «tyveri» finds «butikktyveri». It is off by default (ASSISTANT_BM25_COMPOUNDS=1 turns it on):
on the eval set it did not measurably help (README, «Sammensatte ord»). The answerer matches
compounds through their parts on its own (terms.py), where it does help.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path

import bm25s
import Stemmer
from llama_index.core.schema import TextNode
from llama_index.retrievers.bm25 import BM25Retriever

from .types import Chunk

TOKEN_RE = re.compile(r"[a-zæøåéü]+")
QUERY_TOKEN_RE = re.compile(r"[a-zæøåéü0-9]+")
VOCAB_FILE = "compound_vocab.json"
MIN_PART = 4


def compounds_enabled() -> bool:
    return os.environ.get("ASSISTANT_BM25_COMPOUNDS", "0") == "1"


@lru_cache(maxsize=1)
def stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("norwegian")


class CompoundSplitter:
    def __init__(self, vocab: set[str]) -> None:
        self.vocab = vocab

    @classmethod
    def from_texts(cls, texts: list[str]) -> "CompoundSplitter":
        counts = Counter(t for text in texts for t in TOKEN_RE.findall(text.lower()))
        return cls({w for w, n in counts.items() if len(w) >= MIN_PART and n >= 2})

    def split(self, word: str) -> list[str]:
        w = word.lower()
        if len(w) < 2 * MIN_PART + 1:
            return []
        best: list[str] = []
        for i in range(MIN_PART, len(w) - MIN_PART + 1):
            left, right = w[:i], w[i:]
            if right not in self.vocab:
                continue
            for head in (left, left[:-1] if left[-1:] in "se" else None):
                if head and len(head) >= MIN_PART - 1 and head in self.vocab | {"rus", "ran"}:
                    if min(len(head), len(right)) > min((len(p) for p in best), default=0):
                        best = [head, right]
        return best

    def expand(self, text: str) -> str:
        parts = [p for tok in TOKEN_RE.findall(text.lower()) for p in self.split(tok)]
        return f"{text} {' '.join(parts)}" if parts else text


def bm25_text(chunk: Chunk) -> str:
    return f"{chunk.section_path}\n{chunk.text}"


def build_bm25(chunks: list[Chunk], path: Path) -> None:
    texts = [bm25_text(c) for c in chunks]
    splitter = CompoundSplitter.from_texts(texts)
    if compounds_enabled():
        texts = [splitter.expand(t) for t in texts]
    nodes = [TextNode(id_=c.id, text=t, metadata={"doc_id": c.doc_id}) for c, t in zip(chunks, texts)]
    for node in nodes:
        node.excluded_embed_metadata_keys = ["doc_id"]
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    if not nodes:
        return
    retriever = BM25Retriever(nodes=nodes, stemmer=stemmer(), language="norwegian", similarity_top_k=len(nodes))
    retriever.persist(str(path), show_progress=False)
    (path / VOCAB_FILE).write_text(
        json.dumps({"compounds": compounds_enabled(), "vocab": sorted(splitter.vocab)}, ensure_ascii=False),
        encoding="utf-8",
    )


class SparseIndex:
    def __init__(self, path: Path) -> None:
        self.retriever = None
        self.splitter = None
        if not (path / VOCAB_FILE).exists():
            return
        data = json.loads((path / VOCAB_FILE).read_text(encoding="utf-8"))
        if data["compounds"]:
            self.splitter = CompoundSplitter(set(data["vocab"]))
        bm25 = bm25s.BM25.load(str(path), load_corpus=True, show_progress=False)
        n = len(bm25.corpus) if bm25.corpus is not None else 0
        self.retriever = BM25Retriever(
            existing_bm25=bm25, stemmer=stemmer(), language="norwegian", similarity_top_k=max(1, min(50, n))
        )

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if self.retriever is None:
            return []
        q = self.splitter.expand(query) if self.splitter else query
        q = " ".join(t for t in QUERY_TOKEN_RE.findall(q.lower()) if t not in _STOPWORDS) or query
        hits = self.retriever.retrieve(q)
        return [(h.node.node_id, float(h.score)) for h in hits if h.score > 0][:k]


_STOPWORDS = set(bm25s.stopwords.STOPWORDS_NORWEGIAN)

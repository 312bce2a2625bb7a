"""BM25 over the chunks with Norwegian stemming and stop words (bm25s), sharded per document.

Ingest tokenises and stems one document's chunks and stores the tokens with the document
(`docs/<key>/bm25.json`), so a changed document costs only its own tokenising. The retriever joins
the shards into one bm25s index when it loads, so scores use corpus-wide term statistics.

Norwegian writes compounds as one word («voldslovbrudd», «butikktyveri»). With compound splitting
on, a long word whose two halves are both words of the document is indexed and searched with its
halves too, so «tyveri» finds «butikktyveri». It is off by default (ASSISTANT_BM25_COMPOUNDS=1 turns
it on): on the eval set it did not measurably help (README, «Sammensatte ord»). The answerer matches
compounds through their parts on its own (terms.py), where it does help.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Container
from functools import lru_cache

from .types import Chunk

TOKEN_RE = re.compile(r"[a-zæøåéü]+")
QUERY_TOKEN_RE = re.compile(r"[a-zæøåéü0-9]+")
MIN_PART = 4
SHARD_FORMAT = 2


MIN_VERBAL_NOUN = 6   # «vaping»; shorter words ending in «-ing» («ting», «ring») are no verbal nouns


def as_verb(word: str, stems: Container[str]) -> str | None:
    """The verb a verbal noun is made of, when the documents write the verb and not the noun
    («vaping» – «vape»). stems: the stems the documents have."""
    if word.endswith("ing") and len(word) >= MIN_VERBAL_NOUN and stemmer().stemWord(word) not in stems:
        verb = word[:-3] + "e"
        if stemmer().stemWord(verb) in stems:
            return verb
    return None


def compounds_enabled() -> bool:
    return os.environ.get("ASSISTANT_BM25_COMPOUNDS", "0") == "1"


@lru_cache(maxsize=1)
def stemmer():
    import Stemmer

    return Stemmer.Stemmer("norwegian")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    import bm25s.stopwords

    return frozenset(bm25s.stopwords.STOPWORDS_NORWEGIAN)


class CompoundSplitter:
    def __init__(self, vocab: set[str]) -> None:
        self.vocab = vocab

    @staticmethod
    def counts(texts: list[str]) -> Counter:
        return Counter(t for text in texts for t in TOKEN_RE.findall(text.lower()))

    @classmethod
    def from_counts(cls, counts: Counter) -> "CompoundSplitter":
        return cls({w for w, n in counts.items() if len(w) >= MIN_PART and n >= 2})

    @classmethod
    def from_texts(cls, texts: list[str]) -> "CompoundSplitter":
        return cls.from_counts(cls.counts(texts))

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


def _tokenize(texts: list[str], stopwords) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(texts, stopwords=stopwords, stemmer=stemmer(), return_ids=False, show_progress=False)


def shard(chunks: list[Chunk]) -> dict:
    """One document's BM25 shard: chunk ids and their stemmed tokens (plus word counts for compounds)."""
    texts = [bm25_text(c) for c in chunks]
    data: dict = {"format": SHARD_FORMAT, "compounds": compounds_enabled(), "ids": [c.id for c in chunks]}
    if data["compounds"]:
        counts = CompoundSplitter.counts(texts)
        splitter = CompoundSplitter.from_counts(counts)
        texts = [splitter.expand(t) for t in texts]
        data["words"] = {w: n for w, n in counts.items() if len(w) >= MIN_PART}
    data["tokens"] = _tokenize(texts, "norwegian")
    return data


def shard_is_current(data: dict) -> bool:
    return data.get("format") == SHARD_FORMAT and data.get("compounds") == compounds_enabled()


class SparseIndex:
    """One bm25s index over the shards of every document."""

    def __init__(self, shards: list[dict]) -> None:
        self.retriever = None
        self.splitter = None
        self.ids: list[str] = [i for s in shards for i in s["ids"]]
        if not self.ids:
            return
        import bm25s

        if any(s.get("compounds") for s in shards):
            words: Counter = Counter()
            for s in shards:
                words.update(s.get("words", {}))
            self.splitter = CompoundSplitter.from_counts(words)
        self.retriever = bm25s.BM25()
        self.retriever.index([t for s in shards for t in s["tokens"]], show_progress=False)
        self.k = max(1, min(50, len(self.ids)))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if self.retriever is None:
            return []
        q = self.splitter.expand(query) if self.splitter else query
        q = " ".join(as_verb(t, self.retriever.vocab_dict) or t for t in QUERY_TOKEN_RE.findall(q.lower()) if t not in _stopwords()) or query
        # the query is tokenised as llama-index's BM25Retriever did it before the index was sharded
        tokens = _tokenize([q], "english")
        docs, scores = self.retriever.retrieve(tokens, k=self.k, show_progress=False, n_threads=1)
        hits = [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0])]
        return [(i, s) for i, s in hits if s > 0][:k]

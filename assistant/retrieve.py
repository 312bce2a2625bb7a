"""Hybrid retrieval: BM25 and dense results fused by reciprocal rank, with an optional document filter."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .config import Settings
from .docstore import DocPaths, Paths, damaged, read_doc_chunks, read_json
from .embed import get_embedder
from .index import check_index, open_collection
from .sparse import SparseIndex, shard_is_current
from .types import Chunk

RRF_K = 60
# Up to this many vectors the dense search is exact, over the vectors read once from Chroma, local or a
# server. Chroma's approximate graph is built anew by each process or server that loads the collection,
# and a build can miss one of the nearest chunks for a few questions (on a server, in 12 of 17 starts, one
# of the 20 nearest for 1–3 of 205 questions; once the second nearest): the same question got another
# answer after a restart, or from a server. Beyond this, Chroma's graph finds the candidates (the
# scale-out path).
EXACT_LIMIT = 20_000
READ_PAGE = 5000   # vectors read from Chroma per request


def rrf(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: score(d) = Σ 1 / (k + rank(d)), ranks starting at 1."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class Hit:
    chunk: Chunk
    score: float
    dense: float | None = None   # cosine similarity, when the dense retriever found it
    sparse: float | None = None  # BM25 score, when BM25 found it


SERVER_CANDIDATES = 3   # a Chroma server is asked for this many times the hits wanted, then scored exactly


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _nearest(ids: list[str], vectors: np.ndarray, vec: np.ndarray, k: int,
             allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
    """The k ids whose unit vectors are nearest the query vector (ties in their order), scored as
    llama-index scores them, exp(-cosine distance); allowed: a mask of the ids that may be returned."""
    sims = vectors @ (vec / (np.linalg.norm(vec) or 1))
    if allowed is not None:
        sims = np.where(allowed, sims, -np.inf)
    order = [i for i in np.argsort(-sims, kind="stable")[:k] if sims[i] > -np.inf]
    return [(ids[i], math.exp(-(1 - float(sims[i])))) for i in order]


class Retriever:
    """Everything a question needs from the index, loaded once.

    A missing half is never searched silently: missing chunks, BM25 shards or vectors raise
    IndexDamaged, whose message tells the user to run `assistant ingest` (which repairs them).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.manifest = check_index(settings)
        paths = Paths(settings.index_dir)
        self.paths = paths
        self.docs: dict[str, DocPaths] = {
            doc_id: DocPaths(paths.docs, e["key"]) for doc_id, e in self.manifest["documents"].items()
        }
        self.chunks: dict[str, Chunk] = {}
        shards = []
        for doc_id, dp in self.docs.items():
            name = self.manifest["documents"][doc_id]["file"]
            try:
                self.chunks.update((c.id, c) for c in read_doc_chunks(dp))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise damaged(paths, f"tekstbitene for {name} mangler eller kan ikke leses") from exc
            try:
                data = read_json(dp.bm25)
            except (OSError, ValueError) as exc:
                raise damaged(paths, f"BM25-delen for {name} mangler eller kan ikke leses") from exc
            if not shard_is_current(data):
                raise damaged(paths, f"BM25-delen for {name} er bygget med andre innstillinger")
            shards.append(data)
        self.sparse = SparseIndex(shards)
        self._collection = open_collection(settings, paths, create=False)
        n_vectors = self._collection.count()
        if self.chunks and n_vectors < len(self.chunks) // 2:
            raise damaged(paths, f"vektorlageret har {n_vectors} av {len(self.chunks)} vektorer")
        self.embedder = get_embedder(settings.embedder)
        self._exact = self._read_vectors(n_vectors) if n_vectors <= EXACT_LIMIT else None
        self._sources: dict[str, str] = {}
        self._last_query: tuple[str | None, object] = (None, None)
        self._store = None

    @property
    def store(self):
        """llama-index's ChromaVectorStore over the same collection, for llama-index components."""
        if self._store is None:
            from .vectors import llama_store

            self._store = llama_store(self._collection)
        return self._store

    def source(self, doc_id: str) -> str:
        if doc_id not in self._sources:
            try:
                self._sources[doc_id] = self.docs[doc_id].source.read_text(encoding="utf-8")
            except (OSError, KeyError, UnicodeDecodeError) as exc:
                raise damaged(self.paths, f"kildeteksten til {doc_id} mangler") from exc
        return self._sources[doc_id]

    def query_vector(self, query: str):
        """The question's embedding, computed once for the dense search and the passage ranking."""
        last = self._last_query  # one read: another thread may replace it meanwhile
        if last[0] != query:
            last = (query, self.embedder.embed_batch([query], "query")[0])
            self._last_query = last
        return last[1]

    def _read_vectors(self, count: int) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The ids of the chunks the index knows, their unit vectors and their documents (count: the
        collection's size)."""
        ids, rows = [], []
        # in pages, so a server sends no single reply of all the vectors (20 000 are some 150 MB as JSON)
        for offset in range(0, count, READ_PAGE):
            got = self._collection.get(include=["embeddings"], limit=READ_PAGE, offset=offset)
            for chunk_id, vector in zip(got["ids"], got["embeddings"]):
                if chunk_id in self.chunks:
                    ids.append(chunk_id)
                    rows.append(vector)
        if not ids:
            return [], np.zeros((0, 1), dtype=np.float32), np.array([])
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(ids), -1)
        return ids, _unit(vectors), np.array([self.chunks[i].doc_id for i in ids])

    def dense(self, query: str, k: int, doc_id: str | None = None) -> list[tuple[str, float]]:
        """Nearest chunks by the query's embedding: exact over the vectors read once, or asked of the
        Chroma collection directly (the same query llama-index's ChromaVectorStore makes, without
        building nodes: a fifth of the CPU), its candidates then scored exactly. The score is llama-index's,
        exp(-cosine distance), which the answerer's thresholds expect."""
        vec = np.asarray(self.query_vector(query), dtype=np.float32)
        if self._exact is not None:
            ids, vectors, docs = self._exact
            return _nearest(ids, vectors, vec, k, docs == doc_id if doc_id is not None else None) if ids else []
        where = {"doc_id": doc_id} if doc_id else None
        # the server's graph search finds the candidates (a few more than asked for); they are scored here
        # exactly, as the local search scores them, so near ties come out in the same order whichever
        # search found them
        n = min(SERVER_CANDIDATES * k, max(1, len(self.chunks)))
        result = self._collection.query(query_embeddings=[vec.tolist()], n_results=n, where=where, include=["embeddings"])
        ids = [i for i in result["ids"][0] if i in self.chunks]
        if not ids:
            return []
        got = dict(zip(result["ids"][0], result["embeddings"][0]))
        return _nearest(ids, _unit(np.asarray([got[i] for i in ids], dtype=np.float32)), vec, k)

    def bm25(self, query: str, k: int, doc_id: str | None = None) -> list[tuple[str, float]]:
        hits = self.sparse.search(query, k * 3 if doc_id else k)
        return [(i, s) for i, s in hits if i in self.chunks and (doc_id is None or self.chunks[i].doc_id == doc_id)][:k]

    def search(self, query: str, k: int = 8, mode: str = "hybrid", doc_id: str | None = None) -> list[Hit]:
        pool = max(k, 20)
        dense = self.dense(query, pool, doc_id) if mode in ("hybrid", "dense") else []
        sparse = self.bm25(query, pool, doc_id) if mode in ("hybrid", "bm25") else []
        dense_map, sparse_map = dict(dense), dict(sparse)
        if mode == "dense":
            ranked = dense
        elif mode == "bm25":
            ranked = sparse
        else:
            ranked = rrf([[i for i, _ in dense], [i for i, _ in sparse]])
        return [
            Hit(self.chunks[i], s, dense_map.get(i), sparse_map.get(i)) for i, s in ranked[:k] if i in self.chunks
        ]

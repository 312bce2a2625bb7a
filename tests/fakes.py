"""Test doubles and helpers: a deterministic fake embedder for tests whose subject is not dense
quality (filters, citations, tables), and a free port on localhost for the servers tests start."""

import hashlib
import re
import socket

import numpy as np


class HashEmbedder:
    def __init__(self, name: str = "fake-hash", dim: int = 64) -> None:
        self.name, self.dim = name, dim

    def embed_batch(self, texts, kind):
        out = np.full((len(texts), self.dim), 1e-3, dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_hash_embedder(monkeypatch, name: str = "test-hash", dim: int = 256) -> None:
    """Index and search with a HashEmbedder for one test: registered under name, chosen by ASSISTANT_EMBEDDER."""
    from assistant import embed

    monkeypatch.setitem(embed._CACHE, name, HashEmbedder(name, dim))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", name)

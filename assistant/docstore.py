"""The index on disk: one folder per document, one manifest, atomic writes.

    index/manifest.json            version, embedder, chunker settings, vector store, one entry per document
    index/tables.json              every document's tables in one list (for tables.load_tables)
    index/chroma/                  the local vector store (unless ASSISTANT_CHROMA_HOST is set)
    index/docs/<key>/doc.json      the document's manifest entry (rebuilds a damaged manifest)
    index/docs/<key>/source.txt    normalised source text; chunk offsets point into it
    index/docs/<key>/chunks.json   the document's chunks
    index/docs/<key>/tables.json   the document's statistics tables
    index/docs/<key>/bm25.json     the document's BM25 tokens (stemmed), one list per chunk
    index/docs/<key>/vectors.npy   the document's chunk vectors (repairs the vector store without embedding)

A further per-document artefact (e.g. passage embeddings) is added with `index.register_part`: it
joins `PARTS` (what ingest verifies) and is built for new, changed and existing documents. Every
write goes to a temporary file that is renamed into place, so an interrupted ingest never leaves a
half-written file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from .errors import IndexDamaged, IndexMissing
from .types import Chunk

# The parts of a document's folder that ingest verifies (file name → what it is, in Norwegian).
PARTS = {
    "source.txt": "kildetekst",
    "chunks.json": "tekstbiter",
    "tables.json": "tabeller",
    "bm25.json": "BM25",
    "vectors.npy": "vektorer",
}


def doc_key(doc_id: str) -> str:
    """A file-system-safe, readable folder name for a document id, unique through a short hash."""
    slug = re.sub(r"[^a-z0-9æøå._]+", "-", doc_id.lower()).strip("-.")[:60] or "dokument"
    return f"{slug}-{hashlib.sha1(doc_id.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


class DocPaths:
    def __init__(self, root: Path, key: str) -> None:
        self.key = key
        self.dir = root / key
        self.entry = self.dir / "doc.json"
        self.source = self.dir / "source.txt"
        self.chunks = self.dir / "chunks.json"
        self.tables = self.dir / "tables.json"
        self.bm25 = self.dir / "bm25.json"
        self.vectors = self.dir / "vectors.npy"

    def part(self, name: str) -> Path:
        return self.dir / name


class Paths:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.chroma = root / "chroma"
        self.docs = root / "docs"
        self.manifest = root / "manifest.json"
        self.tables = root / "tables.json"

    def doc(self, doc_id: str) -> DocPaths:
        return DocPaths(self.docs, doc_key(doc_id))

    @property
    def sources(self) -> "_Sources":
        """`paths.sources / f"{doc_id}.txt"` is that document's source (what tables.write_tables reads)."""
        return _Sources(self)


class _Sources:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def __truediv__(self, name: str) -> Path:
        return self.paths.doc(name.removesuffix(".txt")).source


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(path)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data, indent: int | None = None) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=indent))


def write_vectors(path: Path, vectors) -> None:
    import io

    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.asarray(vectors, dtype=np.float32))
    write_bytes(path, buf.getvalue())


def read_vectors(path: Path):
    import numpy as np

    return np.load(path)


def damaged(paths: Paths, what: str) -> IndexDamaged:
    return IndexDamaged(
        f"Indeksen i {paths.root} er skadet ({what}). Kjør «assistant ingest» for å reparere den."
    )


def missing(paths: Paths) -> IndexMissing:
    return IndexMissing(
        f"Fant ingen indeks i {paths.root}: kjør «assistant ingest» for å bygge den fra corpus/, eller pek på "
        "en eksisterende indeks med --index MAPPE eller ASSISTANT_INDEX=MAPPE "
        "(ASSISTANT_HOME=MAPPE bruker MAPPE/index og MAPPE/corpus)."
    )


def read_json(path: Path):
    """The parsed file; ValueError when it is truncated or not JSON, OSError when unreadable."""
    return json.loads(path.read_text(encoding="utf-8"))


def read_manifest(paths: Paths) -> dict | None:
    """The manifest, None when there is none; IndexDamaged when it cannot be read."""
    if not paths.manifest.exists():
        return None
    try:
        manifest = read_json(paths.manifest)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise damaged(paths, "manifest.json kan ikke leses") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("documents", {}), dict):
        raise damaged(paths, "manifest.json har feil form")
    return manifest


def read_doc_chunks(dp: DocPaths) -> list[Chunk]:
    return [Chunk.from_dict(c) for c in read_json(dp.chunks)]


def write_doc_chunks(dp: DocPaths, chunks: list[Chunk]) -> None:
    write_json(dp.chunks, [c.to_dict() for c in chunks])


def read_chunks(paths: Paths) -> dict[str, list[Chunk]]:
    """Every document's chunks by document id, as the manifest lists them."""
    manifest = read_manifest(paths) or {}
    out: dict[str, list[Chunk]] = {}
    for doc_id, entry in manifest.get("documents", {}).items():
        dp = DocPaths(paths.docs, entry["key"])
        try:
            out[doc_id] = read_doc_chunks(dp)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise damaged(paths, f"tekstbitene for {entry.get('file', doc_id)} mangler eller kan ikke leses") from exc
    return out


def part_sizes(dp: DocPaths) -> dict[str, int]:
    """Byte sizes of the parts that exist: recorded at ingest, compared on the next one."""
    sizes = {}
    for name in PARTS:
        try:
            sizes[name] = dp.part(name).stat().st_size
        except OSError:
            pass
    return sizes

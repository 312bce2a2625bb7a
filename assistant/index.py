"""Build, verify and repair the persisted index (layout: docstore.py; vectors: vectors.py).

Ingest costs the change. A document whose file, metadata and chunker settings are unchanged is not
read; a changed one is re-chunked, re-embedded and re-stored alone, in its own folder; a removed one
disappears. Deciding that nothing changed reads the manifest, stats the corpus files and the
documents' folders and counts the vectors cheaply: no embedder, no chromadb, no llama-index.

Ingest also verifies what it claims: every document's parts (source, chunks, tables, BM25 shard,
vectors) must be there with the sizes it recorded, and the vector store must hold the vectors the
manifest counts. A missing or damaged part is rebuilt from what is left (vectors from the stored
vectors or the store, chunks from the corpus file), and the report says what was repaired.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field

from . import config  # noqa: F401  (telemetry and thread settings before anything heavy loads)
from .config import CHUNK_MAX_CHARS, CHUNK_TARGET_CHARS, Settings
from .docstore import (
    PARTS,
    DocPaths,
    Paths,
    damaged,
    missing,
    part_sizes,
    read_chunks,
    read_doc_chunks,
    read_json,
    read_manifest,
    read_vectors,
    write_doc_chunks,
    write_json,
    write_text,
    write_vectors,
)
from .errors import AssistantError, EmbedderMismatch, IndexDamaged, IndexMissing, UnreadableDocument
from .loaders import corpus_files, doc_id_for, file_hash, read_metadata
from .types import Chunk
from .vectors import collection_name, probe_count, store_info

__all__ = ["IngestReport", "Paths", "check_index", "ingest", "open_collection", "read_chunks", "read_manifest",
           "vector_store"]

MANIFEST_VERSION = 2
OLD_LAYOUT = ("chunks.json", "bm25", "sources")  # version 1: one file for all chunks, one BM25 index


# Builders of further per-document parts, by file name (see register_part).
BUILDERS: dict = {}


def register_part(name: str, label: str, build) -> None:
    """Add a per-document artefact, e.g. passage embeddings: `build(path, chunks, source, vectors,
    embedder)` writes the file at path (use docstore.write_bytes/write_json: atomic); `embedder()`
    loads the embedder only if called. Ingest then writes it for new and changed documents, checks it
    like the other parts, and builds it for existing documents that lack it (no full rebuild)."""
    PARTS[name] = label
    BUILDERS[name] = build


from .passages import PART as _PASSAGES, VERSION as _PASSAGES_VERSION, build_part as _build_passages  # noqa: E402

register_part(_PASSAGES, "passasjevektorer", _build_passages)


def chunker_settings() -> dict:
    # the parser's version is bumped by hand when structure.py (or the tables read from it) changes what it produces
    return {"target_chars": CHUNK_TARGET_CHARS, "max_chars": CHUNK_MAX_CHARS, "parser": "assistant.structure@14",
            "passages": _PASSAGES_VERSION}


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # file name → Norwegian reason
    repaired: dict[str, list[str]] = field(default_factory=dict)  # file name → repaired parts (Norwegian)
    embedded_chunks: int = 0
    total_chunks: int = 0
    embed_seconds: float = 0.0
    seconds: float = 0.0
    rebuilt: str = ""  # why the whole index was rebuilt (Norwegian), if it was

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.repaired)


class Progress:
    """Ingest's progress callbacks; the CLI draws bars with them."""

    def documents(self, total: int) -> None: ...
    def document(self, name: str) -> None: ...
    def chunks(self, total: int) -> None: ...
    def embedded(self, n: int) -> None: ...
    def close(self) -> None: ...


def _lock(paths: Paths):
    """One ingest at a time per index; a second waits for the first."""
    import fcntl

    paths.root.mkdir(parents=True, exist_ok=True)
    f = open(paths.root / ".ingest.lock", "w")
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


def ingest(settings: Settings, log=lambda msg: None, progress: Progress | None = None) -> IngestReport:
    if not settings.corpus_dir.is_dir():
        raise IndexMissing(f"Fant ikke dokumentmappen {settings.corpus_dir}.")
    paths = Paths(settings.index_dir)
    try:
        lock = _lock(paths)
        try:
            return _Ingest(settings, paths, log, progress or Progress()).run()
        finally:
            lock.close()
    except OSError as exc:
        raise AssistantError(
            f"Klarte ikke å skrive indeksen i {paths.root} ({exc.strerror or exc}). Sjekk ledig plass og "
            "skrivetilgang, og kjør «assistant ingest» igjen."
        ) from exc


class _Ingest:
    def __init__(self, settings: Settings, paths: Paths, log, progress: Progress) -> None:
        self.settings, self.paths, self.log, self.progress = settings, paths, log, progress
        self.report = IngestReport()
        self.started = time.perf_counter()
        self._embedder = None
        self._coll = None

    # --- lazily opened heavy parts -------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from .embed import get_embedder

            self._embedder = get_embedder(self.settings.embedder)
        return self._embedder

    @property
    def coll(self):
        if self._coll is None:
            from .vectors import collection

            self._coll = collection(self.settings, self.paths.chroma)
        return self._coll

    def embedder_for_parts(self):
        """The embedder, loaded on first use, for a registered part that needs to embed."""
        return self.embedder

    # --- the run ---------------------------------------------------------------------------------
    def run(self) -> IngestReport:
        from .embed import embedder_name

        report, paths = self.report, self.paths
        self.name = embedder_name(self.settings.embedder)
        self.chunker = chunker_settings()
        manifest = self._manifest()
        known: dict[str, dict] = dict(manifest.get("documents", {})) if manifest else {}
        same_chunker = bool(manifest) and manifest.get("chunker") == self.chunker
        metadata = read_metadata(self.settings.corpus_dir)
        files = corpus_files(self.settings.corpus_dir)

        documents: dict[str, dict] = {}
        todo: list = []                      # (path, doc_id, entry or None, meta)
        repairs: dict[str, list[str]] = {}   # doc_id → damaged part file names
        stat_changed = False
        for path in files:
            doc_id = doc_id_for(path, self.settings.corpus_dir)
            entry = known.get(doc_id)
            meta = metadata.get(path.name, {})
            st = path.stat()
            if entry and same_chunker and entry.get("meta") == meta and "parts" in entry:
                if (entry.get("size"), entry.get("mtime_ns")) != (st.st_size, st.st_mtime_ns):
                    if file_hash(path) != entry["sha256"]:
                        todo.append((path, doc_id, entry, meta))
                        continue
                    entry = {**entry, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
                    stat_changed = True
                documents[doc_id] = entry
                sizes = part_sizes(DocPaths(paths.docs, entry["key"]))
                bad = [p for p in PARTS if p not in sizes or sizes[p] != entry["parts"].get(p)]
                if bad:
                    repairs[doc_id] = bad
                else:
                    report.unchanged.append(entry["file"])
            else:
                todo.append((path, doc_id, entry, meta))
        present = set(documents) | {t[1] for t in todo}
        removed = [d for d in known if d not in present]

        # the vector store: counted cheaply; checked document by document only when the count is off
        recorded = (manifest or {}).get("store") or {}
        expected = sum(e["chunks"] for e in known.values())
        count = probe_count(self.settings, paths.chroma, recorded) if recorded else 0
        if documents and (count != expected or recorded != store_info(self.settings)):
            for doc_id in self._docs_missing_vectors(documents):
                repairs.setdefault(doc_id, []).append("store")

        tables_ok = _stat(paths.tables) == (manifest or {}).get("tables_stat")
        if not tables_ok and not (todo or removed or repairs):
            self._write_tables(documents, changed=set(documents))
            report.repaired["tables.json"] = ["tabeller"]
        if not (todo or removed or repairs):
            if stat_changed or report.repaired:
                self._write_manifest(documents)
            return self._finish(documents)

        self.progress.documents(len(todo) + len(repairs))
        for doc_id in removed:
            self._remove(doc_id, known[doc_id])
        for path, doc_id, entry, meta in todo:
            self.progress.document(path.name)
            new = self._build(path, doc_id, entry, meta)
            if new is not None:
                documents[doc_id] = new
            elif entry is not None:
                documents[doc_id] = entry  # unreadable now: keep what the index already had
        for doc_id, bad in repairs.items():
            entry = documents[doc_id]
            self.progress.document(entry["file"])
            try:
                documents[doc_id] = self._repair(doc_id, entry, bad)
            except UnreadableDocument as exc:
                self.report.skipped[entry["file"]] = str(exc)
        self._write_tables(documents, changed={t[1] for t in todo} | set(repairs) | set(removed))
        self._write_manifest(documents)
        return self._finish(documents)

    def _finish(self, documents: dict) -> IngestReport:
        self.progress.close()
        self.report.total_chunks = sum(e["chunks"] for e in documents.values())
        self.report.seconds = time.perf_counter() - self.started
        return self.report

    def _manifest(self) -> dict | None:
        paths = self.paths
        try:
            manifest = read_manifest(paths)
        except IndexDamaged:
            manifest = self._manifest_from_docs()
            self.report.repaired["manifest.json"] = ["manifest"]
        old_layout = any((paths.root / p).exists() for p in OLD_LAYOUT)
        reason = ""
        if manifest and manifest.get("version") != MANIFEST_VERSION or (manifest is None and old_layout):
            reason = "Indeksen har et eldre format; bygger den på nytt med tekstbiter, BM25 og tabeller per dokument."
        elif manifest and manifest.get("embedder") != self.name:
            reason = f"Indeksen er bygget med {manifest.get('embedder')}; bygger alt på nytt med {self.name}."
        if reason:
            self.log(reason)
            self.report.rebuilt = reason
            self._wipe(manifest)
            return None
        return manifest

    def _manifest_from_docs(self) -> dict | None:
        """A damaged manifest rebuilt from the entries every document folder keeps."""
        documents, common = {}, None
        for entry_file in sorted(self.paths.docs.glob("*/doc.json")):
            try:
                e = read_json(entry_file)
                documents[e["doc_id"]] = e["entry"]
                common = common or e
            except (OSError, ValueError, KeyError, TypeError):
                continue
        if common is None:
            return None
        return {"version": common.get("version"), "embedder": common.get("embedder"),
                "chunker": common.get("chunker"), "store": common.get("store"), "documents": documents}

    def _wipe(self, manifest: dict | None) -> None:
        if self.settings.chroma_host:
            name = collection_name(self.settings)
            try:
                from .vectors import chroma_client

                chroma_client(self.settings, self.paths.chroma).delete_collection(name)
            except Exception:  # noqa: BLE001  (nothing to delete)
                pass
        for p in (self.paths.chroma, self.paths.docs, *(self.paths.root / p for p in OLD_LAYOUT)):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        for p in (self.paths.manifest, self.paths.tables):
            p.unlink(missing_ok=True)

    # --- one document ----------------------------------------------------------------------------
    def _embed(self, chunks: list[Chunk]):
        from .embed import embed_all

        self.progress.chunks(len(chunks))
        t0 = time.perf_counter()
        vectors = embed_all(self.embedder, [embed_text(c) for c in chunks], "passage", progress=self.progress.embedded)
        self.report.embed_seconds += time.perf_counter() - t0
        self.report.embedded_chunks += len(chunks)
        return vectors

    def _build(self, path, doc_id: str, entry: dict | None, meta: dict) -> dict | None:
        from dataclasses import replace

        from .loaders import load_document
        from .structure import chunk_document

        try:
            doc = load_document(path, meta)
            if doc.doc_id != doc_id:
                doc = replace(doc, doc_id=doc_id)
            chunks = chunk_document(doc)
        except UnreadableDocument as exc:
            self.report.skipped[path.name] = str(exc)
            return None
        dp = self.paths.doc(doc_id)
        vectors = self._embed(chunks)
        self._write_parts(dp, doc.text, chunks, vectors)
        from .vectors import replace_doc

        replace_doc(self.coll, doc_id, chunks, vectors)
        (self.report.updated if entry else self.report.added).append(path.name)
        st = path.stat()
        new = {
            "file": doc_id,
            "key": dp.key,
            "title": doc.title,
            "year": doc.year,
            "sha256": doc.sha256,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "format": doc.fmt,
            "pages": len(doc.page_starts) or None,
            "chunks": len(chunks),
            "meta": meta,
        }
        return self._seal(dp, doc_id, new)

    def _write_parts(self, dp: DocPaths, source: str | None, chunks: list[Chunk], vectors, only=None) -> None:
        from dataclasses import asdict

        from .sparse import shard
        from .tables import extract_tables

        def want(part):
            return only is None or part in only

        if source is not None and want("source.txt"):
            write_text(dp.source, source)
        if want("chunks.json"):
            write_doc_chunks(dp, chunks)
        if want("tables.json"):
            text = source if source is not None else dp.source.read_text(encoding="utf-8")
            write_json(dp.tables, [asdict(t) for t in extract_tables(chunks, text)])
        if want("bm25.json"):
            write_json(dp.bm25, shard(chunks))
        if vectors is not None and want("vectors.npy"):
            write_vectors(dp.vectors, vectors)
        for name, build in BUILDERS.items():
            if want(name):
                text = source if source is not None else dp.source.read_text(encoding="utf-8")
                build(dp.part(name), chunks, text, vectors, self.embedder_for_parts)

    def _seal(self, dp: DocPaths, doc_id: str, entry: dict) -> dict:
        """Record the parts' sizes (the next ingest compares them) and keep a copy of the entry."""
        entry = {**entry, "parts": part_sizes(dp)}
        write_json(dp.entry, {"doc_id": doc_id, "entry": entry, "version": MANIFEST_VERSION, "embedder": self.name,
                              "chunker": self.chunker, "store": store_info(self.settings)})
        return entry

    def _repair(self, doc_id: str, entry: dict, bad: list[str]) -> dict:
        """Rebuild the damaged parts of an unchanged document from what is left of it."""
        from .loaders import load_document
        from .structure import chunk_document
        from .vectors import replace_doc

        dp = DocPaths(self.paths.docs, entry["key"])
        source = chunks = vectors = None
        try:
            chunks = read_doc_chunks(dp) if "chunks.json" not in bad else None
        except (OSError, ValueError, KeyError, TypeError):
            bad.append("chunks.json")
        if "source.txt" in bad or chunks is None:
            path = self.settings.corpus_dir / entry["file"]
            doc = load_document(path, entry.get("meta"))
            source = doc.text
            if chunks is None:
                from dataclasses import replace

                chunks = chunk_document(replace(doc, doc_id=doc_id))
                bad += ["tables.json", "bm25.json"]
        if "vectors.npy" not in bad:
            try:
                vectors = read_vectors(dp.vectors)
                if len(vectors) != len(chunks):
                    vectors = None
            except (OSError, ValueError):
                vectors = None
        if vectors is None:
            vectors = self._vectors_from_store(doc_id, chunks)
            bad.append("vectors.npy")
        if vectors is None:
            vectors = self._embed(chunks)
            bad.append("store")
        self._write_parts(dp, source, chunks, vectors, only=set(bad))
        if "store" in bad:
            replace_doc(self.coll, doc_id, chunks, vectors)
        names = sorted({PARTS.get(p, "vektorlager" if p == "store" else p) for p in bad})
        self.report.repaired[entry["file"]] = names
        return self._seal(dp, doc_id, {**entry, "chunks": len(chunks)})

    def _vectors_from_store(self, doc_id: str, chunks: list[Chunk]):
        import numpy as np

        ids = [c.id for c in chunks]
        try:
            got = self.coll.get(ids=ids, include=["embeddings"])
        except Exception:  # noqa: BLE001  (a store that cannot answer is repaired by embedding)
            return None
        by_id = dict(zip(got["ids"], got["embeddings"] if got.get("embeddings") is not None else []))
        if any(i not in by_id for i in ids):
            return None
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def _docs_missing_vectors(self, documents: dict) -> list[str]:
        """Documents whose vectors in the store are not exactly their chunks (reads every id once)."""
        from .vectors import ids_by_doc

        in_store = ids_by_doc(self.coll)
        out = []
        for doc_id, entry in documents.items():
            try:
                want = {c.id for c in read_doc_chunks(DocPaths(self.paths.docs, entry["key"]))}
            except (OSError, ValueError, KeyError, TypeError):
                continue  # the chunks part is repaired anyway
            if in_store.get(doc_id, set()) != want:
                out.append(doc_id)
        return out

    def _remove(self, doc_id: str, entry: dict) -> None:
        from .vectors import delete_doc

        delete_doc(self.coll, doc_id)
        shutil.rmtree(DocPaths(self.paths.docs, entry["key"]).dir, ignore_errors=True)
        self.report.removed.append(entry["file"])

    # --- index-wide files ----------------------------------------------------------------------
    def _write_tables(self, documents: dict, changed: set[str]) -> None:
        """index/tables.json for tables.load_tables: the other documents' tables are kept as they are."""
        try:
            tables = [t for t in read_json(self.paths.tables) if t["doc_id"] not in changed]
            keep = set(documents) - changed
        except (OSError, ValueError, TypeError, KeyError):
            tables, keep = [], set()
        for doc_id, entry in documents.items():
            if doc_id in keep:
                continue
            try:
                tables.extend(read_json(DocPaths(self.paths.docs, entry["key"]).tables))
            except (OSError, ValueError):
                continue
        write_json(self.paths.tables, tables, indent=1)

    def _write_manifest(self, documents: dict) -> None:
        write_json(
            self.paths.manifest,
            {
                "version": MANIFEST_VERSION,
                "embedder": self.name,
                "chunker": self.chunker,
                "store": store_info(self.settings),
                "documents": dict(sorted(documents.items())),
                "tables_stat": _stat(self.paths.tables),
                "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            },
            indent=1,
        )


def embed_text(chunk: Chunk) -> str:
    """What the dense model sees: the section path gives short chunks their context."""
    return f"{chunk.section_path}\n{chunk.text}"


def check_index(settings: Settings) -> dict:
    """The manifest of a usable index, or one clear sentence saying how to get one."""
    from .embed import embedder_name

    paths = Paths(settings.index_dir)
    manifest = read_manifest(paths)
    if manifest is None:
        raise missing(paths)
    if manifest.get("version") != MANIFEST_VERSION:
        raise IndexMissing(
            f"Indeksen i {paths.root} har et eldre format. Kjør «assistant ingest» for å bygge den på nytt."
        )
    wanted = embedder_name(settings.embedder)
    if manifest.get("embedder") != wanted:
        raise EmbedderMismatch(
            f"Indeksen er bygget med embedderen «{manifest.get('embedder')}», men nå er «{wanted}» valgt. "
            "Kjør «assistant ingest» på nytt, eller velg samme embedder (ASSISTANT_EMBEDDER)."
        )
    if not _readable(paths.tables):
        raise damaged(paths, "tables.json mangler eller kan ikke leses")
    return manifest


def _stat(path) -> list[int] | None:
    """Size and modification time: what the next ingest compares to notice a damaged file."""
    try:
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]
    except OSError:
        return None


def _readable(path) -> bool:
    try:
        read_json(path)
        return True
    except (OSError, ValueError):
        return False


def open_collection(settings: Settings, paths: Paths, create: bool = True):
    """This index's chromadb collection: the one the manifest records (so a copied index finds its
    vectors), unless ASSISTANT_CHROMA_COLLECTION names another. Without create, a missing collection
    is IndexDamaged."""
    from .vectors import collection

    manifest = read_manifest(paths) or {}
    name = settings.chroma_collection or (manifest.get("store") or {}).get("collection")
    try:
        return collection(settings, paths.chroma, name=name, create=create)
    except AssistantError:
        raise
    except Exception as exc:  # noqa: BLE001  (chromadb's NotFoundError and friends)
        raise damaged(paths, f"vektorlageret «{name}» finnes ikke") from exc


def vector_store(settings: Settings, paths: Paths, create: bool = True):
    """llama-index's ChromaVectorStore over this index's collection, and the chromadb collection."""
    from .vectors import llama_store

    coll = open_collection(settings, paths, create)
    return llama_store(coll), coll

"""The Chroma vector store: a local folder or a `chroma run` server, one collection per index.

The collection name is derived from the index folder (or set with ASSISTANT_CHROMA_COLLECTION), so
two indexes on one server never touch each other's vectors. `probe_count` answers «how many vectors
are there» without importing chromadb (SQLite for the local store, one HTTP request for a server),
so an ingest that changes nothing stays fast; when it cannot tell, ingest asks chromadb itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import urllib.request
from pathlib import Path

from . import config  # noqa: F401  (telemetry off before chromadb is imported)
from .config import Settings
from .errors import AssistantError

TENANT, DATABASE = "default_tenant", "default_database"


def collection_name(settings: Settings) -> str:
    """ASSISTANT_CHROMA_COLLECTION, or «slt_<index folder name>_<hash of its absolute path>»."""
    if settings.chroma_collection:
        return settings.chroma_collection
    root = str(Path(settings.index_dir).resolve())
    stem = re.sub(r"[^a-zA-Z0-9_-]+", "-", Path(root).name)[:32].strip("-_") or "index"
    return f"slt_{stem}_{hashlib.sha1(root.encode()).hexdigest()[:10]}"


def store_info(settings: Settings) -> dict:
    """Where the vectors live; recorded in the manifest so a moved store is noticed."""
    return {"host": settings.chroma_host or None, "collection": collection_name(settings)}


def _host_port(settings: Settings) -> tuple[str, int]:
    host, _, port = settings.chroma_host.partition(":")
    try:
        return host or "localhost", int(port or 8000)
    except ValueError:
        raise AssistantError(
            f"ASSISTANT_CHROMA_HOST=«{settings.chroma_host}» er ikke på formen vert:port (f.eks. localhost:8000)."
        ) from None


def chroma_client(settings: Settings, chroma_dir: Path):
    import chromadb

    chroma_settings = chromadb.config.Settings(anonymized_telemetry=False)
    if settings.chroma_host:
        host, port = _host_port(settings)
        try:
            return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises ValueError/ConnectionError variants
            raise AssistantError(
                f"Får ikke kontakt med Chroma-serveren på {host}:{port}. Start den (chroma run --path … "
                f"--port {port}) eller fjern ASSISTANT_CHROMA_HOST."
            ) from exc
    chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)


def collection(settings: Settings, chroma_dir: Path, name: str | None = None, create: bool = True):
    client = chroma_client(settings, chroma_dir)
    name = name or collection_name(settings)
    if create:
        return client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
    return client.get_collection(name)


def llama_store(chroma_collection):
    from llama_index.vector_stores.chroma import ChromaVectorStore

    return ChromaVectorStore(chroma_collection=chroma_collection)


def probe_count(settings: Settings, chroma_dir: Path, info: dict) -> int | None:
    """Vectors in the recorded collection, read cheaply; 0 when it is gone, None when unknown."""
    if (settings.chroma_host or None) != info.get("host") or collection_name(settings) != info.get("collection"):
        return 0  # the store moved: nothing of this index is there yet
    if settings.chroma_host:
        return _probe_server(settings, info)
    db = chroma_dir / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        try:
            row = con.execute("SELECT id FROM collections WHERE name = ?", (info["collection"],)).fetchone()
            if row is None:
                return 0
            (n,) = con.execute(
                "SELECT count(*) FROM embeddings e JOIN segments s ON e.segment_id = s.id WHERE s.collection = ?",
                (row[0],),
            ).fetchone()
            return int(n)
        finally:
            con.close()
    except sqlite3.Error:
        return None


def _probe_server(settings: Settings, info: dict) -> int | None:
    host, port = _host_port(settings)
    base = f"http://{host}:{port}/api/v2/tenants/{TENANT}/databases/{DATABASE}/collections"
    try:
        with urllib.request.urlopen(f"{base}/{info['collection']}", timeout=3) as resp:
            cid = json.loads(resp.read())["id"]
        with urllib.request.urlopen(f"{base}/{cid}/count", timeout=3) as resp:
            return int(json.loads(resp.read()))
    except urllib.error.HTTPError as exc:
        return 0 if exc.code == 404 else None
    except (OSError, ValueError, KeyError):
        return None


def ids_by_doc(coll) -> dict[str, set[str]]:
    """Every vector id in the collection, grouped by the document it belongs to."""
    out: dict[str, set[str]] = {}
    total = coll.count()
    batch = 5000
    for offset in range(0, total, batch):
        got = coll.get(include=["metadatas"], limit=batch, offset=offset)
        for vid, meta in zip(got["ids"], got["metadatas"] or [{}] * len(got["ids"])):
            out.setdefault((meta or {}).get("doc_id", ""), set()).add(vid)
    return out


def metadata(chunk) -> dict:
    meta = {"doc_id": chunk.doc_id, "document": chunk.doc_title, "section": chunk.section_path, "kind": chunk.kind}
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.table:
        meta["table"] = chunk.table
    if chunk.year:
        meta["year"] = chunk.year
    return meta


def replace_doc(coll, doc_id: str, chunks, vectors, old_ids=None) -> None:
    """The document's vectors in the store become exactly these chunks' vectors.

    Written the way llama-index's ChromaVectorStore writes nodes (text as document, the node's
    metadata, ref_doc_id = the document), so its queries and deletes work on them.
    """
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    if old_ids is None:
        old_ids = set(coll.get(where={"doc_id": doc_id}, include=[])["ids"])
    stale = list(set(old_ids) - {c.id for c in chunks})
    for i in range(0, len(stale), 5000):
        coll.delete(ids=stale[i : i + 5000])
    batch = 1000
    for i in range(0, len(chunks), batch):
        part = chunks[i : i + batch]
        metas = []
        for c in part:
            node = TextNode(id_=c.id, text=c.text, metadata=metadata(c))
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=c.doc_id)
            metas.append(node_to_metadata_dict(node, remove_text=True, flat_metadata=True))
        coll.upsert(
            ids=[c.id for c in part],
            embeddings=[list(map(float, v)) for v in vectors[i : i + batch]],
            metadatas=metas,
            documents=[c.text for c in part],
        )


def delete_doc(coll, doc_id: str, ids=None) -> None:
    ids = list(ids) if ids is not None else coll.get(where={"doc_id": doc_id}, include=[])["ids"]
    for i in range(0, len(ids), 5000):
        coll.delete(ids=ids[i : i + 5000])

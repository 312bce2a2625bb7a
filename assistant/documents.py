"""The documents in the index as a reader sees them: title, year, pages, source URL, and choosing one.

Read from index/manifest.json (written by `assistant ingest`), so the chat and the CLI list exactly
what can be answered from. A fetched document's source URL comes from corpus/sources.yaml (`url`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Settings
from .errors import AssistantError
from .index import Paths, read_manifest


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    file: str
    year: int | None
    pages: int | None
    chunks: int
    url: str | None = None
    fetched: str | None = None

    @property
    def label(self) -> str:
        """«Veileder ved bekymring (2021, 12 sider)» for lists and filters."""
        facts = [str(self.year)] if self.year else []
        if self.pages:
            facts.append(f"{self.pages} sider" if self.pages != 1 else "1 side")
        return self.title + (f" ({', '.join(facts)})" if facts else "")


def list_documents(settings: Settings) -> list[DocumentInfo]:
    """Every indexed document, newest first, then by title; empty when there is no index yet."""
    manifest = read_manifest(Paths(settings.index_dir)) or {}
    docs = []
    for doc_id, entry in (manifest.get("documents") or {}).items():
        meta = entry.get("meta") or {}
        docs.append(DocumentInfo(
            doc_id=doc_id, title=entry.get("title") or doc_id, file=entry.get("file", ""),
            year=entry.get("year"), pages=entry.get("pages"), chunks=entry.get("chunks", 0),
            url=meta.get("url") or None, fetched=str(meta["fetched"]) if meta.get("fetched") else None,
        ))
    return sorted(docs, key=lambda d: (-(d.year or 0), d.title.lower()))


def find_document(settings: Settings, name: str) -> DocumentInfo:
    """The document a user named by id, file name or title (a unique part of it is enough)."""
    docs = list_documents(settings)
    wanted = name.strip().lower()
    for key in (lambda d: d.doc_id, lambda d: d.file.lower(), lambda d: d.title.lower()):
        exact = [d for d in docs if key(d) == wanted]
        if exact:
            return exact[0]
    partial = [d for d in docs if wanted and (wanted in d.title.lower() or wanted in d.file.lower())]
    if len(partial) == 1:
        return partial[0]
    choices = "; ".join(f"{d.doc_id} ({d.title})" for d in docs) or "ingen – kjør «assistant ingest» først"
    if len(partial) > 1:
        raise AssistantError(f"«{name}» passer på flere dokumenter. Velg ett av: {choices}.")
    raise AssistantError(f"Fant ikke dokumentet «{name}». Velg ett av: {choices}.")


def source_link(settings: Settings, citation, docs: list[DocumentInfo] | None = None) -> tuple[str, str] | None:
    """(link text, URL) to a cited document's source online, opened at the cited page:
    («Les Veileder ved bekymring (PDF, s. 4)», «https://…/veileder.pdf#page=4»). None when the document
    has no source URL (the user's own files)."""
    doc_id = citation.chunk_id.split(":", 1)[0] if citation.chunk_id else ""
    docs = docs if docs is not None else list_documents(settings)
    doc = next((d for d in docs if d.doc_id == doc_id), None) or next(
        (d for d in docs if d.title == citation.document), None)
    if doc is None or not doc.url:
        return None
    fmt = doc.file.rsplit(".", 1)[-1].upper() if "." in doc.file else "dokument"
    if citation.page:
        return f"Les {doc.title} ({fmt}, s. {citation.page})", f"{doc.url}#page={citation.page}"
    return f"Les {doc.title} ({fmt})", doc.url


def page_of_quote(source: str, quote: str, lo: int = 0, hi: int | None = None) -> int | None:
    """The page on which a quote begins, in a source whose pages are separated by form feeds (a PDF);
    None for a source without pages or a quote not found between lo and hi."""
    from .quotes import find_span

    if "\f" not in source:
        return None
    span = find_span(source, quote, lo, hi)
    return source.count("\f", 0, span[0]) + 1 if span else None


def with_quote_pages(citations: list, retriever) -> list:
    """Citations whose page is the page their quote stands on. A chunk knows only the page it starts
    on; a quote from later in the chunk can be on the next page."""
    from dataclasses import replace

    out = []
    for c in citations:
        chunk = retriever.chunks.get(c.chunk_id) if c.page and c.chunk_id else None
        page = None
        if chunk is not None:
            try:
                page = page_of_quote(retriever.source(chunk.doc_id), c.quote, chunk.start, chunk.end + 1)
            except OSError:
                page = None
        out.append(replace(c, page=page) if page and page != c.page else c)
    return out

"""Read corpus files (PDF, .md, .txt) into normalised source text with page offsets and metadata."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import UnreadableDocument

SUPPORTED = (".pdf", ".md", ".txt")
METADATA_FILE = "sources.yaml"
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    path: Path
    text: str                       # normalised source; offsets in chunks point into this
    sha256: str                     # hash of the file bytes
    page_starts: tuple[int, ...] = ()  # offset of each page (PDF only)
    year: int | None = None
    publisher: str | None = None
    url: str | None = None

    @property
    def fmt(self) -> str:
        return self.path.suffix.lower().lstrip(".")

    def page_at(self, offset: int) -> int | None:
        """1-based page number of a source offset, or None when pages are not known."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


def doc_id_for(path: Path, corpus_dir: Path | None = None) -> str:
    """The document's id: its path relative to the corpus, extension included («planer/rusplan.pdf»).

    Two files never share one, the same file keeps it across runs, and renaming a file is removing
    one document and adding another. Without corpus_dir the id is the file name.
    """
    rel = path.relative_to(corpus_dir) if corpus_dir is not None else Path(path.name)
    # a name that is not valid UTF-8 keeps its bytes visible instead of failing later
    return rel.as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED)


def read_metadata(corpus_dir: Path) -> dict[str, dict]:
    """Optional per-document metadata keyed by file name. A broken file is an error the user must fix."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UnreadableDocument(f"Klarte ikke å lese {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise UnreadableDocument(f"{path.name} må være en liste med filnavn som nøkler.")
    return {str(k): (v or {}) for k, v in data.items()}


def _default_title(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:]


def _year_from_name(path: Path) -> int | None:
    m = re.search(r"(19|20)\d{2}", path.stem)
    return int(m.group(0)) if m else None


def _read_pdf(path: Path) -> tuple[str, tuple[int, ...]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UnreadableDocument(f"{path.name} er passordbeskyttet og kan ikke leses.")
        pages = [normalise(page.extract_text() or "") for page in reader.pages]
    except UnreadableDocument:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument(f"{path.name} er ikke en lesbar PDF ({exc}).") from exc
    starts, parts, pos = [], [], 0
    for text in pages:
        starts.append(pos)
        parts.append(text)
        pos += len(text) + len(PAGE_BREAK)
    return PAGE_BREAK.join(parts), tuple(starts)


def load_document(path: Path, meta: dict | None = None) -> Document:
    meta = meta or {}
    if path.suffix.lower() == ".pdf":
        text, page_starts = _read_pdf(path)
    else:
        try:
            text, page_starts = normalise(path.read_text(encoding="utf-8")), ()
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"{path.name} er ikke UTF-8-tekst og kan ikke leses.") from exc
    if not text.strip():
        raise UnreadableDocument(f"{path.name} inneholder ingen lesbar tekst.")
    year = meta.get("year") or _year_from_name(path)
    return Document(
        doc_id=doc_id_for(path),
        title=str(meta.get("title") or _default_title(path)),
        path=path,
        text=text,
        sha256=file_hash(path),
        page_starts=page_starts,
        year=int(year) if year else None,
        publisher=meta.get("publisher"),
        url=meta.get("url"),
    )

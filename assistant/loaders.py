"""Read corpus files (PDF, .md, .txt) into normalised source text with page offsets and metadata."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import max_file_bytes
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
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


# C0 and C1 control characters (NUL included) except tab and newline; \f is the loader's own page break.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return CONTROL_RE.sub("", text)


def doc_id_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9æøå]+", "-", path.stem.lower()).strip("-")


def file_hash(path: Path) -> str:
    """The hash of a regular file's bytes. A symlink is hashed by where it points and a file over the
    size limit by its size and time, so neither is ever read (they are skipped when loaded)."""
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        target = os.readlink(path) if stat.S_ISLNK(st.st_mode) else ""
        return hashlib.sha256(f"special:{st.st_mode}:{target}".encode("utf-8", "replace")).hexdigest()
    if st.st_size > max_file_bytes():
        return hashlib.sha256(f"large:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Regular files and symlinks with a supported extension directly in the corpus folder. Symlinks are
    listed so that loading them can say why they are skipped; load_document never follows one."""
    max_file_bytes()   # a bad ASSISTANT_MAX_FILE_MB is reported before any file is read
    out = []
    for p in corpus_dir.iterdir():
        if p.suffix.lower() not in SUPPORTED:
            continue
        mode = p.lstat().st_mode
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            out.append(p)
    return sorted(out)


def read_metadata(corpus_dir: Path) -> dict[str, dict]:
    """Optional per-document metadata keyed by file name. A broken file is an error the user must fix."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"{path.name} er ikke UTF-8-tekst. Lagre filen som UTF-8 og prøv igjen.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (linje {mark.line + 1})" if mark is not None else ""
        raise UnreadableDocument(
            f"{path.name} er ikke gyldig YAML{where}. Rett feilen, eller fjern filen for å bruke filnavnene."
        ) from exc
    if not isinstance(data, dict):
        raise UnreadableDocument(
            f"{path.name} må ha filnavn som nøkler, med title, year, publisher eller url under hvert filnavn."
        )
    return {str(k): _entry(path.name, str(k), v) for k, v in data.items()}


def _entry(source: str, name: str, value) -> dict:
    """One file's metadata, checked: a mapping of text fields and a year."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UnreadableDocument(
            f"I {source} må «{name}» ha feltene under seg (f.eks. «title: …» og «year: 2024»), "
            f"ikke bare verdien «{_short(value)}»."
        )
    entry = {}
    for key, v in value.items():
        key = str(key)
        if v is None:
            continue
        if key == "year":
            if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())):
                raise UnreadableDocument(
                    f"I {source} må year for «{name}» være et årstall, for eksempel 2024, ikke «{_short(v)}»."
                )
            entry[key] = int(v)
        elif isinstance(v, (dict, list)):
            raise UnreadableDocument(f"I {source} må {key} for «{name}» være tekst, ikke en liste.")
        else:
            entry[key] = str(v) if not isinstance(v, (str, int, float)) else v
    return entry


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _default_title(path: Path) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:]


def _year_from_name(path: Path) -> int | None:
    m = re.search(r"(19|20)\d{2}", path.stem)
    return int(m.group(0)) if m else None


def read_file(path: Path, root: Path | None = None) -> bytes:
    """The bytes of a regular file inside root (default: the file's folder), never through a symlink,
    and only when it is within the size limit."""
    name = path.name
    root = (root or path.parent).resolve()
    if path.is_symlink():
        raise UnreadableDocument(
            f"{name} er en symbolsk lenke og blir ikke lest. Kopier selve filen inn i dokumentmappen hvis den skal være med."
        )
    if not path.resolve().is_relative_to(root):
        raise UnreadableDocument(f"{name} ligger utenfor dokumentmappen og blir ikke lest.")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableDocument(f"{name} kan ikke åpnes ({exc.strerror}). Sjekk at filen kan leses.") from exc
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableDocument(f"{name} er ikke en vanlig fil og blir ikke lest.")
        limit = max_file_bytes()
        if st.st_size > limit:
            raise UnreadableDocument(
                f"{name} er {_mb(st.st_size)} MB, over grensen på {_mb(limit)} MB, og blir ikke lest. "
                "Del opp filen, eller øk grensen med ASSISTANT_MAX_FILE_MB."
            )
        return f.read(limit + 1)


def _mb(n: int) -> str:
    mb = n / 1024 / 1024
    return (f"{mb:.0f}" if mb >= 10 else f"{mb:.2g}").replace(".", ",")


def decode_text(data: bytes, name: str) -> str:
    """Text from a .txt/.md file: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 (as
    Norwegian text saved on Windows often is). Anything else, or binary data, is an error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(CONTROL_RE.findall(text.replace("\r", "").replace("\f", "")))
        if controls > max(8, len(text) // 100):
            break
        return text
    raise UnreadableDocument(f"{name} ser ikke ut som tekst i UTF-8 og kan ikke leses. Lagre filen som UTF-8-tekst.")


def _read_pdf(data: bytes, name: str) -> tuple[str, tuple[int, ...]]:
    """Text per page. A PDF that opens with an empty password (owner password only) is read; pypdf's
    own warnings are kept out of the user's terminal; one unreadable page does not lose the others."""
    import io
    import logging
    import warnings

    from pypdf import PasswordType, PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR + 10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                reader = PdfReader(io.BytesIO(data))
                if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    raise UnreadableDocument(
                        f"{name} er passordbeskyttet og kan ikke leses. Lagre en kopi uten passord i dokumentmappen."
                    )
                pages = list(reader.pages)
            except UnreadableDocument:
                raise
            except Exception as exc:  # pypdf raises many kinds on damaged files
                raise UnreadableDocument(
                    f"{name} er ikke en lesbar PDF ({type(exc).__name__}). Sjekk at filen åpner i en PDF-leser."
                ) from exc
            texts = []
            for page in pages:
                try:
                    texts.append(normalise(page.extract_text() or ""))
                except Exception:  # one damaged page: keep the rest of the document
                    texts.append("")
    finally:
        pypdf_log.setLevel(level)
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + len(PAGE_BREAK)
    return PAGE_BREAK.join(texts), tuple(starts)


def load_document(path: Path, meta: dict | None = None, root: Path | None = None) -> Document:
    """A corpus file as normalised text. Symlinks, files outside root, files over the size limit,
    and files that are not text or PDF are refused with a Norwegian reason (UnreadableDocument)."""
    meta = meta or {}
    data = read_file(path, root)
    if path.suffix.lower() == ".pdf":
        text, page_starts = _read_pdf(data, path.name)
    else:
        text, page_starts = normalise(decode_text(data, path.name)), ()
    if not text.strip():
        raise UnreadableDocument(f"{path.name} inneholder ingen lesbar tekst.")
    year = meta.get("year") or _year_from_name(path)
    return Document(
        doc_id=doc_id_for(path),
        title=str(meta.get("title") or _default_title(path)),
        path=path,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        page_starts=page_starts,
        year=int(year) if year else None,
        publisher=meta.get("publisher"),
        url=meta.get("url"),
    )

"""Read corpus files (PDF, .md, .txt) into normalised source text with page offsets and metadata."""

from __future__ import annotations

import bisect
import codecs
import hashlib
import math
import os
import re
import stat
import statistics
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
        return max(1, bisect.bisect_right(self.page_starts, offset))


# C0 and C1 control characters (NUL included) except tab and newline; \f is the loader's own page break.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return CONTROL_RE.sub("", text)


def doc_id_for(path: Path, corpus_dir: Path | None = None) -> str:
    """The document's id: its path relative to the corpus, extension included («planer/rusplan.pdf»).

    Two files never share one, the same file keeps it across runs, and renaming a file is removing
    one document and adding another. Without corpus_dir the id is the file name.
    """
    rel = path.relative_to(corpus_dir) if corpus_dir is not None else Path(path.name)
    # a name that is not valid UTF-8 keeps its bytes visible instead of failing later
    return rel.as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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


@dataclass
class _PdfLine:
    text: str
    y: float | None = None        # baseline height on the page (PDF units, up is larger)
    size: float | None = None     # dominant effective font size of the line
    blanks_before: int = 0
    heading: int = 0              # heading level from font size (0: body text)


def _pdf_page_lines(page) -> list[_PdfLine]:
    """The page's text lines as pypdf extracts them, each with its position and font size
    (from pypdf's text visitor, whose pieces add up to the extracted text)."""
    pieces: list[tuple[str, float | None, float | None]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text:
            return
        try:
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
            size = round(float(font_size) * scale * 2) / 2 if font_size else None
        except (TypeError, IndexError, ValueError):
            y, size = None, None
        pieces.append((text, y, size))

    text = page.extract_text(visitor_text=visit) or ""
    if "".join(p[0] for p in pieces) != text:  # no positions to trust: lines only
        return [_PdfLine(t.rstrip()) for t in normalise(text).split("\n")]
    lines = [_PdfLine("")]
    weights: list[dict[float, int]] = [{}]
    for piece, y, size in pieces:
        for k, part in enumerate(normalise(piece).split("\n")):
            if k:
                lines.append(_PdfLine(""))
                weights.append({})
            if part.strip():
                if lines[-1].y is None:
                    lines[-1].y = y
                if size:
                    weights[-1][size] = weights[-1].get(size, 0) + len(part.strip())
            lines[-1].text += part
    for line, w in zip(lines, weights):
        line.text = line.text.rstrip()
        line.size = max(w, key=w.get) if w else None
    return lines


def _line_pitch(pages: list[list[_PdfLine]]) -> float | None:
    """The distance between two lines of running text: the smallest gap between consecutive lines
    that is common in the document (a double-spaced page has few single gaps, but has some)."""
    gaps = []
    for lines in pages:
        placed = [ln for ln in lines if ln.text.strip() and ln.y is not None]
        gaps += [round(a.y - b.y, 1) for a, b in zip(placed, placed[1:]) if a.y - b.y > 0.5]
    if not gaps:
        return None
    need = max(3, 0.05 * len(gaps))
    for g in sorted(set(gaps)):
        if sum(1 for x in gaps if abs(x - g) <= 0.1 * g) >= need:
            return g
    return statistics.median(gaps)


def _mark_gaps(pages: list[list[_PdfLine]]) -> None:
    """A vertical gap of more than one line's pitch becomes blank lines, as a paragraph break."""
    pitch = _line_pitch(pages)
    if not pitch:
        return
    for lines in pages:
        placed = [ln for ln in lines if ln.text.strip() and ln.y is not None]
        for a, b in zip(placed, placed[1:]):
            gap = a.y - b.y
            if gap > 0:
                b.blanks_before = max(0, min(4, round(gap / pitch) - 1))


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _drop_running_lines(pages: list[list[_PdfLine]]) -> None:
    """Remove page headers and footers: a line at the top or bottom of the page (page numbers
    aside) that recurs on most pages."""
    if len(pages) < 3:
        return

    def edges(lines: list[_PdfLine]) -> list[_PdfLine]:
        text = [ln for ln in lines if ln.text.strip()]
        placed = sorted((ln for ln in text if ln.y is not None), key=lambda ln: -ln.y)
        chosen = text[:2] + text[-2:] + placed[:2] + placed[-2:]
        return list({id(ln): ln for ln in chosen}.values())

    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_running_key(ln.text) for ln in edges(lines)}:
            counts[key] = counts.get(key, 0) + 1
    running = {k for k, n in counts.items() if n >= max(3, math.ceil(0.6 * len(pages)))}
    if not running:
        return
    for lines in pages:
        drop = {id(ln) for ln in edges(lines) if _running_key(ln.text) in running}
        lines[:] = [ln for ln in lines if id(ln) not in drop]


def _mark_headings(pages: list[list[_PdfLine]]) -> None:
    """Short lines in a font clearly larger than the body text are headings; the largest size is
    level 1. Without font sizes (or with one size only) nothing is marked."""
    weight: dict[float, int] = {}
    for lines in pages:
        for ln in lines:
            if ln.size and ln.text.strip():
                weight[ln.size] = weight.get(ln.size, 0) + len(ln.text.strip())
    if not weight:
        return
    body = max(weight, key=weight.get)

    def is_heading(ln: _PdfLine) -> bool:
        t = ln.text.strip()
        return bool(ln.size and ln.size >= body + max(1.0, 0.12 * body) and 2 <= len(t) <= 120
                    and len(t.split()) <= 15 and re.search(r"[A-Za-zÆØÅæøå]", t) and not t.endswith(","))

    sizes = sorted({ln.size for lines in pages for ln in lines if is_heading(ln)}, reverse=True)
    for lines in pages:
        for ln in lines:
            if is_heading(ln):
                ln.heading = min(3, sizes.index(ln.size) + 1)


def _join_hyphenation(pages: list[list[_PdfLine]]) -> None:
    """A word hyphenated over a page break is joined on the page where it begins
    («kriminalitets-» + «forebygging»); «rus- og» is left as written."""
    for this, nxt in zip(pages, pages[1:]):
        last = next((ln for ln in reversed(this) if ln.text.strip()), None)
        first = next((ln for ln in nxt if ln.text.strip()), None)
        if last is None or first is None or last.heading or first.heading:
            continue
        m = re.search(r"(\w+)-$", last.text)
        words = first.text.split(maxsplit=1)
        if not m or not m.group(1)[-1:].isalpha() or not words or not words[0][:1].islower():
            continue
        if words[0].rstrip(".,;:") in {"og", "eller", "samt", "til"}:
            continue
        keep_hyphen = not m.group(1).islower()  # «Ungdata-rapporten», «Al-Noor-moskeen»
        last.text = (last.text if keep_hyphen else last.text[:-1]) + words[0]
        first.text = words[1] if len(words) > 1 else ""
        first.blanks_before = 0


def _page_text(lines: list[_PdfLine]) -> str:
    out: list[str] = []
    for ln in lines:
        if not ln.text.strip():
            continue
        out.extend([""] * (ln.blanks_before if out else 0))
        out.append(("#" * ln.heading + " " + ln.text.strip()) if ln.heading else ln.text)
    return "\n".join(out)


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
    """Text and page offsets of a PDF, read by layout: headings marked by font size ('# ' as in
    Markdown), repeated page headers and footers removed, a word hyphenated across pages joined. A PDF
    that opens with an empty password (owner password only) is read; pypdf's own warnings are kept
    out of the user's terminal; one unreadable page does not lose the others."""
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
                raw_pages = list(reader.pages)
            except UnreadableDocument:
                raise
            except Exception as exc:  # pypdf raises many kinds on damaged files
                raise UnreadableDocument(
                    f"{name} er ikke en lesbar PDF ({type(exc).__name__}). Sjekk at filen åpner i en PDF-leser."
                ) from exc
            pages = []
            for page in raw_pages:
                try:
                    pages.append(_pdf_page_lines(page))
                except Exception:  # one damaged page: keep the rest of the document
                    pages.append([])
    finally:
        pypdf_log.setLevel(level)
    _drop_running_lines(pages)
    _mark_gaps(pages)
    _mark_headings(pages)
    _join_hyphenation(pages)
    starts, parts, pos = [], [], 0
    for lines in pages:
        text = _page_text(lines)
        starts.append(pos)
        parts.append(text)
        pos += len(text) + len(PAGE_BREAK)
    return PAGE_BREAK.join(parts), tuple(starts)


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

"""`assistant hent`: the documents the corpus links to, listed and (only when asked) downloaded into corpus/.

This is the only module that touches the network, and only from the `hent` command. A download is
checked before it lands in corpus/: a timeout per read and for the whole transfer, a size limit, the
content type, the %PDF signature and a PDF that pypdf can open; at most a few redirects. A file already
in corpus/ is never overwritten. Each fetched document is recorded in corpus/sources.yaml (title, year,
source URL, date fetched), so its chunks cite its own title and the chat can link to the source.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import Settings
from .lines import DOCUMENT_EXTENSIONS, is_document_url  # noqa: F401 (re-exported)
from .loaders import METADATA_FILE, corpus_files, load_document, read_metadata

PDF_TYPES = {"application/pdf", "application/x-pdf", "application/octet-stream", "binary/octet-stream",
             "application/force-download", "application/download", ""}
DEFAULT_MAX_MB = 50.0
DEFAULT_TIMEOUT = 30.0
MAX_REDIRECTS = 3
USER_AGENT = "SLT-assistenten (dokumenthenting)"
URL_IN_TEXT = re.compile(r"https?://[^\s<>»«\"')\]]+")
MD_LINK = re.compile(r"\[(?P<text>[^\]\n]{2,200})\]\((?P<url>https?://[^)\s]+)\)")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass
class Link:
    url: str
    text: str = ""                                   # the link text, where the document gives one
    cited_in: list[str] = field(default_factory=list)  # «document › section (s. N)»
    in_corpus: str | None = None                     # file name in corpus/, when already there

    @property
    def is_document(self) -> bool:
        return is_document_url(self.url)


@dataclass
class Fetched:
    url: str
    file: str
    title: str
    year: int | None
    pages: int


@dataclass
class FetchReport:
    fetched: list[Fetched] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)    # (url, Norwegian reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # already there


class FetchFailed(Exception):
    """One link that could not be fetched; the message is Norwegian and is shown as is."""


# --- links in the corpus ---------------------------------------------------------------------------


def local_name(url: str) -> str:
    """The file name a download gets in corpus/: the URL's last path segment, made safe."""
    tail = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).lower()
    stem = re.sub(r"[^a-z0-9æøå]+", "-", tail.rsplit(".", 1)[0] if "." in tail else tail).strip("-")
    return f"{stem[:100] or 'dokument'}.pdf"


def _clean_url(url: str) -> str:
    return url.rstrip(".,;:")


def find_links(settings: Settings, documents_only: bool = True) -> list[Link]:
    """Every link in the corpus (by default the document links), in order of first appearance,
    with the sections that cite it and the corpus file it was fetched into, if any."""
    from .errors import UnreadableDocument
    from .structure import parse

    meta = read_metadata(settings.corpus_dir)
    by_url = {str(m.get("url")): name for name, m in meta.items() if m.get("url")}
    links: dict[str, Link] = {}
    for path in corpus_files(settings.corpus_dir):
        try:
            doc = load_document(path, meta.get(path.name, {}))
        except UnreadableDocument:
            continue
        texts = {m.group("url"): m.group("text").strip() for m in MD_LINK.finditer(doc.text)}
        for section in parse(doc):
            for chunk in section.chunks:
                urls = list(chunk.links) + [_clean_url(u) for u in URL_IN_TEXT.findall(chunk.text)]
                for url in urls:
                    if not url.startswith(("http://", "https://")):
                        continue  # a path on the author's own machine cannot be fetched
                    if documents_only and not is_document_url(url):
                        continue
                    link = links.setdefault(url, Link(url, texts.get(url, "")))
                    where = f"{doc.title} › {chunk.section_path}" + (f" (s. {chunk.page})" if chunk.page else "")
                    if where not in link.cited_in:
                        link.cited_in.append(where)
    names = {p.name for p in corpus_files(settings.corpus_dir)}
    for link in links.values():
        if link.url in by_url and by_url[link.url] in names:
            link.in_corpus = by_url[link.url]
    return list(links.values())


# --- one download ----------------------------------------------------------------------------------


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.max_redirections = limit

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchFailed(f"videresendes til en adresse som ikke er http/https ({newurl}).")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(max_redirects: int) -> urllib.request.OpenerDirector:
    # No proxy handler from the environment: the only requests are the URLs the user asked for.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _LimitedRedirects(max_redirects))


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",") + " MB"


def download(url: str, dest: Path, max_bytes: int, timeout: float, max_redirects: int = MAX_REDIRECTS) -> None:
    """Write the PDF at url to dest (a new file), or raise FetchFailed with the reason in Norwegian."""
    host = urllib.parse.urlsplit(url).hostname or url
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/pdf"})
    total = max(timeout * 4, timeout + 10)
    deadline = time.monotonic() + total
    try:
        with _opener(max_redirects).open(request, timeout=timeout) as response:
            ctype = (response.headers.get_content_type() if response.headers.get("Content-Type") else "").lower()
            if ctype not in PDF_TYPES:
                raise FetchFailed(f"er ikke en PDF (nettstedet sendte {ctype}).")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchFailed(f"er for stor ({_mb(int(length))}; grensen er {_mb(max_bytes)}).")
            size = 0
            with open(dest, "xb") as out:
                while chunk := response.read(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchFailed(f"er for stor (over {_mb(max_bytes)}, som er grensen).")
                    if time.monotonic() > deadline:
                        raise FetchFailed(f"tok for lang tid å laste ned (over {total:g} s).")
                    out.write(chunk)
    except FetchFailed:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 404 or exc.code == 410:
            raise FetchFailed(f"finnes ikke lenger på {host} (HTTP {exc.code}).") from None
        if 300 <= exc.code < 400:
            raise FetchFailed(f"videresendes for mange ganger (over {max_redirects}).") from None
        raise FetchFailed(f"{host} svarte med feil (HTTP {exc.code}).") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise FetchFailed(f"{host} svarte ikke innen {timeout:g} s.") from None
        raise FetchFailed(f"fikk ikke kontakt med {host} (er maskinen koblet til nettet?).") from None
    except (TimeoutError, socket.timeout):
        raise FetchFailed(f"{host} svarte ikke innen {timeout:g} s.") from None
    except (ConnectionError, OSError) as exc:
        raise FetchFailed(f"nedlastingen fra {host} ble brutt ({exc.__class__.__name__}).") from None
    with open(dest, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise FetchFailed("er ikke en PDF (filen mangler PDF-signaturen; trolig en nettside).")


def pdf_facts(path: Path) -> tuple[str, int | None, int]:
    """(title from the PDF's metadata, year it was made, pages), or FetchFailed when pypdf cannot read it."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise FetchFailed("er passordbeskyttet og kan ikke leses.")
        info = reader.metadata or {}
        pages = len(reader.pages)
    except FetchFailed:
        raise
    except Exception:  # pypdf raises many kinds on a broken file
        raise FetchFailed("er ikke en lesbar PDF.") from None
    title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", str(info.get("/Title") or "")).strip()
    year = re.match(r"^(?:D:)?((?:19|20)\d{2})", str(info.get("/CreationDate") or ""))
    return title, int(year.group(1)) if year else None, pages


def _title_from_name(url: str) -> str:
    words = re.sub(r"[-_]+", " ", local_name(url).rsplit(".", 1)[0]).strip()
    return words[:1].upper() + words[1:]


def _record(corpus_dir: Path, name: str, entry: dict) -> None:
    """Append one entry to sources.yaml, keeping the user's own text and comments as they are."""
    path = corpus_dir / METADATA_FILE
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    block = yaml.safe_dump({name: entry}, allow_unicode=True, sort_keys=False, width=1000)
    sep = "" if not before or before.endswith("\n") else "\n"
    path.write_text(before + sep + block, encoding="utf-8")


# --- many links --------------------------------------------------------------------------------------


def fetch(settings: Settings, urls: list[str], *, link_texts: dict[str, str] | None = None,
          max_mb: float = DEFAULT_MAX_MB, timeout: float = DEFAULT_TIMEOUT,
          max_redirects: int = MAX_REDIRECTS, today: dt.date | None = None, log=lambda msg: None) -> FetchReport:
    """Download each URL into corpus/ and record it in sources.yaml; one failure never stops the rest."""
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        from .errors import IndexMissing

        raise IndexMissing(f"Fant ikke dokumentmappen {corpus}.")
    link_texts = link_texts or {}
    report = FetchReport()
    meta = read_metadata(corpus)
    for url in dict.fromkeys(urls):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            report.failed.append((url, "er ikke en nettadresse (må begynne med http:// eller https://)."))
            continue
        name = local_name(url)
        dest = corpus / name
        known_url = str(meta.get(name, {}).get("url") or "")
        if dest.exists() or (name in meta and known_url != url):
            if known_url == url:
                report.skipped.append((url, f"er allerede hentet (corpus/{name})."))
            elif not dest.exists():
                report.failed.append((url, f"{METADATA_FILE} har allerede en oppføring for {name} med en annen "
                                           f"adresse; fjern eller endre den oppføringen hvis du vil hente denne."))
            else:
                report.failed.append((url, f"corpus/{name} finnes fra før og blir ikke overskrevet; "
                                           f"gi den eksisterende filen et annet navn hvis du vil hente denne."))
            continue
        log(f"Henter {url} …")
        fd, tmp_name = tempfile.mkstemp(prefix=".hent-", suffix=".part", dir=corpus)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()
        try:
            download(url, tmp, int(max_mb * 1_000_000), timeout, max_redirects)
            meta_title, made, pages = pdf_facts(tmp)
            text = link_texts.get(url, "")
            title = text or meta_title or _title_from_name(url)
            year = YEAR.search(f"{text} {local_name(url)}")
            year = int(year.group(0)) if year else made
            os.link(tmp, dest)  # fails rather than overwrite a file that appeared meanwhile
        except FetchFailed as exc:
            report.failed.append((url, str(exc)))
            continue
        except FileExistsError:
            report.failed.append((url, f"corpus/{name} finnes fra før og blir ikke overskrevet."))
            continue
        finally:
            tmp.unlink(missing_ok=True)
        entry = {"title": title, "year": year, "url": url,
                 "fetched": (today or dt.date.today()).isoformat()}
        if name in meta:  # fetched before and the file since deleted: the entry is still there
            title, year = meta[name].get("title", title), meta[name].get("year", year)
        else:
            _record(corpus, name, {k: v for k, v in entry.items() if v is not None})
            meta[name] = entry
        report.fetched.append(Fetched(url, name, title, year, pages))
    return report


def limits_from_env() -> tuple[float, float]:
    """(max MB, timeout in seconds) from ASSISTANT_FETCH_MAX_MB / ASSISTANT_FETCH_TIMEOUT."""
    def num(var: str, default: float) -> float:
        try:
            value = float(os.environ.get(var, "") or default)
        except ValueError:
            from .errors import AssistantError

            raise AssistantError(f"{var} må være et tall, for eksempel {default:g}.") from None
        return value if value > 0 else default

    return num("ASSISTANT_FETCH_MAX_MB", DEFAULT_MAX_MB), num("ASSISTANT_FETCH_TIMEOUT", DEFAULT_TIMEOUT)

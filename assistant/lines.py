"""Line-level reading of a text extraction: each source line gets a kind and its offsets.

Municipal reports extracted from PDF share a few habits: bullet glyphs (•, ➢, o), footnotes at the
page bottom, URL lines repeated after the paragraph they belong to, whitespace tables with year
columns, narrow multi-line table cells and diagram labels. These heuristics name them generically;
nothing here knows the headings of a particular report.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

BULLET_RE = re.compile(r"^(?P<glyph>[•●▪■◦➢►▶✓✔\uf0b7\uf0a7\uf0d8]|o(?=\s)|[-–](?=\s))\s*")
SUB_BULLETS = {"➢", "o", "◦", "►", "▶", "-", "–", "\uf0a7", "\uf0d8"}
URL_RE = re.compile(r"^(https?://|file:///|www\.)\S+$")
CAPTION_RE = re.compile(r"^(?P<type>Tabell|Figur)\s*(?P<num>\d+)\s*[.:]", re.IGNORECASE)
NUMBER_TOKEN = r"[-−–]?\d+(?:[.,]\d+)?%?"
# A table row: an optional label, then at least two numbers to the end of the line.
ROW_RE = re.compile(rf"^(?P<label>.*?)(?P<values>(?:(?<=\s)|^)(?:{NUMBER_TOKEN})(?:\s+(?:{NUMBER_TOKEN}))+)\s*$")
YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
CHANGE_COL_RE = re.compile(r"^\d{2}-\d{2}$")
FOOTNOTE_RE = re.compile(r"^(?P<num>\d{1,2})\s+(?P<rest>\S.*)$")
NUMBERED_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>\S.*)$")
SENTENCE_END = tuple(".!?:;»\")")
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".odp", ".xls", ".xlsx", ".ods")


@dataclass
class Line:
    idx: int
    start: int      # offset of the first non-space character in the source
    end: int        # offset after the last non-space character
    text: str       # stripped text
    kind: str = "text"  # blank|url|footnote|caption|header|row|bullet|numbered|fragment|text
    glyph: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_lines(source: str) -> list[Line]:
    """Split on newlines and page breaks, keeping offsets of the stripped content."""
    lines: list[Line] = []
    for m in re.finditer(r"[^\n\f]*", source):
        if m.start() > 0 and m.start() == m.end() and source[m.start() - 1] not in "\n\f":
            continue  # finditer yields an empty match after each non-empty one
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        start = m.start() + lead
        lines.append(Line(len(lines), start, start + len(text), text, "text" if text else "blank"))
    return lines


def is_document_url(url: str) -> bool:
    """A link to a document file (a guide, a plan, a report), not to a web page."""
    path = urllib.parse.urlsplit(url).path.lower()
    return path.endswith(DOCUMENT_EXTENSIONS)


def is_header_row(text: str) -> bool:
    """A column header: at least three years (optionally a change column like 23-24)."""
    tokens = text.split()
    years = [t for t in tokens if YEAR_RE.fullmatch(t)]
    return len(years) >= 3 and all(
        YEAR_RE.fullmatch(t) or CHANGE_COL_RE.match(t) or not t[0].isdigit() for t in tokens
    )


def row_values(text: str) -> tuple[str, list[str]] | None:
    """Split a table row into its label and numeric values, or None if it is not a row."""
    m = ROW_RE.match(text)
    if not m:
        return None
    values = m.group("values").split()
    label = m.group("label").strip()
    if len(values) < 3 and not (len(values) >= 2 and label):
        return None
    if label and label[-1:] in ".,;:" and len(label) > 40:
        return None  # a sentence that happens to end in numbers
    return label, values


def classify(lines: list[Line]) -> list[Line]:
    next_footnote = 1
    for line in lines:
        t = line.text
        if not t:
            continue
        if URL_RE.match(t):
            line.kind = "url"
        elif CAPTION_RE.match(t) and line.words > 1:
            line.kind = "caption"
        elif is_header_row(t):
            line.kind = "header"
        elif (m := BULLET_RE.match(t)) and len(t) > 2:
            line.kind, line.glyph = "bullet", m.group("glyph")
        elif (m := FOOTNOTE_RE.match(t)) and int(m.group("num")) in (next_footnote, next_footnote + 1) \
                and not row_values(t) and not t[len(m.group("num")):].lstrip().startswith(("-", "år")):
            line.kind = "footnote"
            next_footnote = int(m.group("num")) + 1
        elif row_values(t):
            line.kind = "row"
        elif NUMBERED_RE.match(t) and re.match(r"^\d{1,2}(\.\d{1,2})*\.\s", t):
            line.kind = "numbered"
        elif re.fullmatch(r"[\d\s.,%<>-]+", t):
            line.kind = "fragment"
    _mark_footnote_continuations(lines)
    return lines


def _is_link_note(text: str) -> bool:
    m = FOOTNOTE_RE.match(text)
    return bool(m and URL_RE.match(m.group("rest").strip()))


def _mark_footnote_continuations(lines: list[Line]) -> None:
    """A footnote's wrapped lines follow it directly, with no blank line between. A footnote that is a link
    goes on only with the rest of the link: the text after it is the page's own («14 https://…» then
    «PST fremhever …»)."""
    i = 0
    while i < len(lines):
        j = i + 1
        if lines[i].kind == "footnote":
            link = _is_link_note(lines[i].text)
            while j < len(lines) and lines[j].kind in ("text", "fragment") and lines[j].text:
                if lines[j].text[:1].isupper() and lines[j - 1].text.endswith("."):
                    break
                if link and (" " in lines[j].text.strip()
                             or lines[j - 1].text.lower().endswith((*DOCUMENT_EXTENSIONS, ".html"))):
                    break
                lines[j].kind = "footnote"
                j += 1
        i = j


def significant(lines: list[Line], i: int, step: int, skip=("blank", "url", "footnote")) -> Line | None:
    """The nearest line from i in direction step whose kind is not in skip."""
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].kind not in skip:
            return lines[j]
        j += step
    return None

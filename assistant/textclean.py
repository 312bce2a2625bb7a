"""Render source lines as readable text, split it into sentences, and read text tables as rows.

Lines broken mid-sentence are joined, words hyphenated across lines are rejoined, and bullet glyphs
are normalised. Cleaning never reorders letters, so quotes.py can find any cleaned sentence's
verbatim span in the source by its letters alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import BULLET_RE, DOCUMENT_EXTENSIONS, SUB_BULLETS

# Words after a dangling hyphen that mean the hyphen is a suspended compound («barne- og unge»).
_CONJUNCTIONS = {"og", "eller", "til", "samt", "enn"}
WS_RE = re.compile(r"\s+")


def ws(text: str) -> str:
    return WS_RE.sub(" ", text).strip()


# A word, then a file name that repeats it where the PDF had a link («Foreldreveileder foreldreveileder.pdf som …»)
REPEATED_FILE_RE = re.compile(
    rf"\b([^\W\d_]+)\s+([^\W\d_]+)[\w.-]*(?:{'|'.join(re.escape(e) for e in DOCUMENT_EXTENSIONS)})\b", re.IGNORECASE)


def without_file_names(text: str) -> str:
    """The sentence as a person reads it: a link's file name that only repeats the word before it is
    left out (the citation shows the link); a file name the sentence needs («… kan lese veileder.pdf») stays."""
    return REPEATED_FILE_RE.sub(lambda m: m.group(1) if m.group(1).lower() == m.group(2).lower() else m.group(0), text)


# a footnote number glued to the word or sentence it follows («forsterke hverandre2.», «skriv8 datert»,
# «normaliseres.12»); not «vg2», and not inside a link («…/#chapter2»)
_GLUED_FOOTNOTE_RE = re.compile(r"(?:(?<=\s)|^)([A-ZÆØÅa-zæøå][a-zæøå]{3,}\.?)\d{1,2}(?=[\s.,;:)]|$)")


def as_read(text: str) -> str:
    """Text from the documents as a person reads it: no repeated file names, no footnote numbers."""
    return _GLUED_FOOTNOTE_RE.sub(r"\1", without_file_names(text))


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    kind: str  # "text" | "bullet" | "row"


class _Builder:
    def __init__(self) -> None:
        self.chars: list[str] = []

    def add(self, text: str) -> None:
        self.chars.extend(text)

    def last(self) -> str:
        return self.chars[-1] if self.chars else ""

    def drop_last(self) -> None:
        self.chars.pop()

    def result(self) -> str:
        return "".join(self.chars)


def _joins_without_space(prev: str, nxt: str) -> tuple[bool, bool]:
    """For a line ending in '-': (join without space, drop the hyphen)."""
    if not prev.endswith("-") or len(prev) < 2:
        return False, False
    first_word = nxt.split()[0] if nxt.split() else ""
    if first_word.lower() in _CONJUNCTIONS:
        return False, False
    before = prev[-2]
    if not before.isalpha() or before.isupper():
        return True, False  # «SLT-samarbeidet», «10-14»
    if first_word[:1].islower() and not re.search(r"[-./]", first_word):
        return True, True   # «erfarings-kompetanse» → «erfaringskompetanse»
    return True, False      # «veileder-ved-bekymring.pdf», «Ungdata-rapporten»


def render(source: str, pieces: list[Piece]) -> str:
    b = _Builder()
    prev_kind = None
    for piece in pieces:
        raw = source[piece.start:piece.end]
        if piece.kind == "bullet":
            m = BULLET_RE.match(raw)
            glyph = m.group("glyph") if m else ""
            raw = raw[m.end():] if m else raw
            if b.chars:
                b.add("\n")
            b.add("  – " if glyph in SUB_BULLETS else "• ")
        elif piece.kind == "row" or prev_kind == "row":
            if b.chars:
                b.add("\n")
        elif b.chars:
            prev = "".join(b.chars[-3:])
            glue, drop = _joins_without_space(prev.rstrip(), raw)
            if drop and b.last() == "-":
                b.drop_last()
            if not glue:
                b.add(" ")
        b.add(WS_RE.sub(" ", raw))
        prev_kind = piece.kind
    return b.result()


_ABBREVIATIONS = {
    "f.eks", "bl.a", "ca", "nr", "mv", "m.m", "jf", "evt", "dvs", "kl", "inkl", "tlf", "st", "meld",
    "mill", "mrd", "vs", "ref", "pkt", "osv", "m.fl", "v", "ev", "dr", "prof", "off", "tj",
}
# a sentence starts with a capital, a quote, a digit or a parenthesis; not «(for 8.–10. trinn)», which
# goes on with the sentence before it («Foreldreforedraget Utsett! (for 8. - 10. trinns foresatte).»)
_BREAK_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“0-9]|\((?![a-zæøå]))|\n+")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at index dot ends an abbreviation or an ordinal («8. trinn»)."""
    word = re.search(r"(\S+)$", text[: dot + 1])
    token = word.group(1).lower().rstrip(".") if word else ""
    return token in _ABBREVIATIONS or token.isdigit() and len(token) <= 2


TITLE_CHARS = 80   # how far a title in «» runs on after a «!» or «?» inside it


def _within_title(text: str, start: int, at: int) -> bool:
    """The break at `at` falls inside a title in quotes («Utsett! For foreldre»): a «…» opened since
    the sentence began closes shortly after."""
    opened = text.rfind("«", start, at)
    return opened != -1 and text.find("»", opened, at) == -1 and "»" in text[at: at + TITLE_CHARS]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in cleaned text: split at sentence-final punctuation and at line breaks."""
    spans, pos = [], 0
    for m in _BREAK_RE.finditer(text):
        if "\n" not in m.group(0) and text[m.start() - 1] == "." and _is_abbreviation(text, m.start() - 1):
            continue
        if "\n" not in m.group(0) and _within_title(text, pos, m.start()):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" •–"))
        a2, b2 = a + lead, a + len(seg.rstrip())
        if b2 > a2:
            out.append((a2, b2))
    return out


# «BK», «OPD», «BK &» opening a row, followed by the row's capitalised name or nothing
_ROW_KEY_RE = re.compile(r"^(?:[A-ZÆØÅ]{2,4}\s*&?\s*)+(?=$|[A-ZÆØÅ][a-zæøå])")


def _group_heading(line: str) -> bool:
    """An all-capitals line of a text table («FORELDRE OG FORESATTE»)."""
    return line.isupper() and len(line.split()) >= 2


def starts_row(line: str) -> bool:
    """A text-table line that opens a row with its organisation key, or a group heading."""
    return bool(_ROW_KEY_RE.match(line)) or _group_heading(line)


def table_prose(text: str) -> str | None:
    """Read a text table (cells of prose, no figures) as lines of prose, one per row; None for figures.

    A line that opens with an organisation key («BK», «OPD», «BK &») starts a new row, and the key
    is dropped; an all-capitals line is a group heading and stands alone. Lines within a row are
    joined like broken prose lines.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    tokens = text.split()
    if not tokens or sum(t.strip("-–+%.,").isdigit() for t in tokens) > 0.25 * len(tokens):
        return None
    rows: list[str] = []
    for line in lines:
        key = _ROW_KEY_RE.match(line)
        heading = _group_heading(line)
        body = line[key.end():].strip() if key else line
        if heading or key or not rows:
            rows.append(body)
            if heading:
                rows.append("")
            continue
        prev = rows[-1]
        glue, drop = _joins_without_space(prev, body)
        if drop:
            prev = prev[:-1]
        rows[-1] = prev + ("" if glue or not prev else " ") + body
    return "\n".join(r for r in rows if r)

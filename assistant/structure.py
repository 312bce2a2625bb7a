"""From a document's source text to sections and cited chunks.

Headings are found by generic heuristics: numbered chapters («3. Utfordringsbildet …»), the usual
front and back matter of a Norwegian report (Sammendrag, Forord, Avslutning, Referanser …), an
outlook heading («SLT 2025»), Markdown '#' headings, and short title-like lines that stand between
finished sentences and a new paragraph. Unnumbered headings are level 2, or level 3 under a level-2
heading that is directly followed by another heading, until a sibling sharing its first word.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field

from .config import CHUNK_MAX_CHARS, CHUNK_TARGET_CHARS
from .lines import CAPTION_RE, FOOTNOTE_RE, SENTENCE_END, Line, classify, is_document_url, significant, split_lines
from .loaders import Document
from .regions import Region, caption_lines, find_regions
from .textclean import Piece, render, starts_row
from .types import Chunk, unnumbered_table_label

FRONT_MATTER = {"sammendrag", "forord", "innhold", "innholdsfortegnelse", "innledning", "oppsummering"}
BACK_MATTER = {"avslutning", "referanser", "litteratur", "litteraturliste", "kilder", "vedlegg", "konklusjon"}
OUTLOOK_RE = re.compile(r"^[A-ZÆØÅ]{2,}(?:-[A-ZÆØÅ]+)?\s+(?:19|20)\d{2}$")
CHAPTER_RE = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<title>[A-ZÆØÅ].*)$")
SUBNUM_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>[A-ZÆØÅ].*)$")
MD_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*$")


@dataclass
class Heading:
    line: int
    title: str
    level: int


@dataclass
class Section:
    path: tuple[str, ...]
    heading: int | None             # line index of the heading
    chunks: list[Chunk] = field(default_factory=list)


# --- headings ------------------------------------------------------------------------------------


def _first_word(text: str) -> str:
    return re.sub(r"[^\wæøå]", "", text.split()[0].lower()) if text.split() else ""


def _is_list_number(lines: list[Line], i: int, num: int) -> bool:
    """«1. I Bærumsamfunnet …» is a list item when a neighbouring item is numbered one off,
    with no new paragraph between them."""
    for j in range(max(0, i - 8), min(len(lines), i + 9)):
        m = re.match(r"^(\d{1,2})\.\s", lines[j].text)
        if j == i or not m or abs(int(m.group(1)) - num) != 1:
            continue
        between = lines[min(i, j) + 1 : max(i, j)]
        if not any(ln.text[:1].isupper() and ln.words >= 6 for ln in between):
            return True
    return False


def _abbreviation(word: str) -> bool:
    """«SLT», «NAV»; not «I» or «Å», words of one letter opening a sentence."""
    return len(word) >= 2 and word.isupper() and word.isalpha()


def _key_value_row(text: str) -> bool:
    """«Tiltak NAV ungdom; jobb …», «Kjønn Flest gutter …»: a two-column row, not a heading. A line opening
    with an abbreviation before a name («SLT Ungdomsteam (utøvernivå)») names one thing: no key there."""
    words = text.split()
    if len(words) < 3 or not words[0][:1].isupper():
        return False
    if _abbreviation(words[0]) and not text.isupper():
        return False
    return words[1][:1].isupper() or (words[1][:1].isdigit() and len(words) >= 4)


def _title_like(line: Line) -> bool:
    t = line.text
    return (
        not _key_value_row(t)
        and
        3 <= len(t) <= 90
        and line.words <= 12
        and t[:1].isupper()
        and not t.endswith((".", ",", ";", ":"))
        and t.count(",") <= 1
        and "=" not in t
        and not t.endswith("&")
        and not re.search(r"\d{3,}", t.replace("2024", "").replace("2025", ""))
        and sum(c.isdigit() for c in t) <= 6
    )


def _prose_follows(lines: list[Line], i: int) -> bool:
    nxt = significant(lines, i, 1)
    if nxt is None:
        return False
    if nxt.kind == "bullet":
        return True
    return nxt.text[:1].isupper() or nxt.text[:1] in "«\"“(" or nxt.text[:1].isdigit()


def _sentence_closed_before(lines: list[Line], i: int, taken: set[int]) -> bool:
    prev = significant(lines, i, -1)
    if prev is None or prev.idx in taken:
        return True
    if prev.kind == "bullet" and _bullet_goes_on(lines, prev, i):
        return False
    if prev.kind in ("header", "row", "caption", "fragment", "bullet", "numbered"):
        return True  # a list item or table row ends where a heading begins
    return prev.text.endswith(SENTENCE_END) or prev.words <= 3


def _bullet_goes_on(lines: list[Line], prev: Line, i: int) -> bool:
    """The line continues the list item before it: the item ends on a comma («… v/Hege Hansen,» /
    «SALTO-sekretariatet»), or it ends without closing its sentence and an item with the same mark follows
    («➢ … v/Cecilie» / «Hellestveit» / «➢ …»): a heading does not stand inside a list."""
    end = prev.text.rstrip()
    if end.endswith(","):
        return True
    nxt = significant(lines, i, 1)
    # an item that ended its sentence before a line between two lists leaves it a heading
    return not end.endswith(SENTENCE_END) and nxt is not None and nxt.kind == "bullet" and nxt.text[:1] == prev.text[:1]


def _chapter_kind(line: Line, lines: list[Line], seen_numbered: bool) -> str | None:
    t = line.text
    m = CHAPTER_RE.match(t)
    if m and line.words <= 10 and not t.endswith((".", ",", ":")) and not _is_list_number(
        lines, line.idx, int(m.group("num"))
    ):
        return "numbered"
    word = _first_word(t)
    if line.words <= 4 and ":" not in t and (word in BACK_MATTER or (word in FRONT_MATTER and not seen_numbered)):
        return "keyword"
    if OUTLOOK_RE.match(t):
        return "outlook"
    return None


def find_headings(lines: list[Line], regions: list[Region]) -> list[Heading]:
    taken = {i for r in regions for i in r.lines}
    taken |= {j for ln in lines if ln.kind == "caption" for j in caption_lines(lines, ln.idx)}
    headings: list[Heading] = []
    seen_numbered = False
    level2: Heading | None = None
    nested = False  # the current level-2 heading has level-3 children
    for line in lines:
        if line.idx in taken or line.kind not in ("text", "numbered"):
            continue
        md = MD_HEADING_RE.match(line.text)
        if md:  # Markdown, or a PDF heading found by its font size
            heading = Heading(line.idx, md.group("title"), len(md.group("hashes")))
            headings.append(heading)
            seen_numbered = seen_numbered or bool(CHAPTER_RE.match(heading.title))
            if heading.level == 1:
                level2, nested = None, False
            continue
        chapter = _chapter_kind(line, lines, seen_numbered)
        if chapter and _prose_follows(lines, line.idx):
            seen_numbered = seen_numbered or chapter == "numbered"
            headings.append(Heading(line.idx, line.text, 1))
            level2, nested = None, False
            continue
        sub = SUBNUM_RE.match(line.text)
        if sub and line.words <= 12:
            headings.append(Heading(line.idx, line.text, min(3, sub.group("num").count(".") + 1)))
            continue
        if line.kind != "text" or not _title_like(line):
            continue
        if not (_sentence_closed_before(lines, line.idx, taken) and _prose_follows(lines, line.idx)):
            continue
        if level2 is not None and nested and _first_word(line.text) != _first_word(level2.title):
            headings.append(Heading(line.idx, line.text, 3))
            continue
        heading = Heading(line.idx, line.text, 2)
        headings.append(heading)
        level2 = heading
        nxt = significant(lines, line.idx, 1)
        nested = nxt is not None and nxt.kind == "text" and _title_like(nxt) and _prose_follows(lines, nxt.idx)
    return _drop_empty_runs(headings)


def _drop_empty_runs(headings: list[Heading]) -> list[Heading]:
    return [h for h in headings if h.title.strip()]


# --- sections and chunks -------------------------------------------------------------------------


@dataclass
class Unit:
    pieces: list[Piece]
    kind: str                        # "text" | "list" | "table"
    links: list[str] = field(default_factory=list)
    table: str | None = None
    anchor: int | None = None        # a table's caption line, or the line holding a footnote's mark: it stands there


def _bullet_units(lines: list[Line], idxs: list[int]) -> list[Unit]:
    """Group flow lines into units: a prose run, or one list item with its wrapped lines."""
    units: list[Unit] = []
    current: Unit | None = None
    prev_idx = None
    for i in idxs:
        line = lines[i]
        gap = (i - prev_idx - 1) if prev_idx is not None else 0
        blanks = gap
        if line.kind in ("bullet", "numbered"):
            current = Unit([Piece(line.start, line.end, "bullet" if line.kind == "bullet" else "item")], "list")
            units.append(current)
        elif current is not None and current.kind == "list" and not (
            blanks >= 2 and lines[prev_idx].text.endswith(SENTENCE_END) and line.text[:1].isupper()
        ):
            current.pieces.append(Piece(line.start, line.end, "text"))
        elif current is not None and current.kind == "text":
            current.pieces.append(Piece(line.start, line.end, "text"))
        else:
            current = Unit([Piece(line.start, line.end, "text")], "text")
            units.append(current)
        prev_idx = i
    return units


def _table_unit(doc: Document, lines: list[Line], region: Region, heading_title: str, seq: int) -> Unit:
    label = region.label
    if label is None:
        label = unnumbered_table_label(heading_title, seq)
        region.label = label
    caption = [Piece(lines[i].start, lines[i].end, "text") for i in region.caption] if region.part == 1 else []
    body = [Piece(lines[i].start, lines[i].end, "row") for i in region.lines if lines[i].kind != "blank"]
    anchor = region.caption[0] if region.caption else None
    return Unit(caption + body, "table", table=label, anchor=anchor)


def _split_table(unit: Unit, lines_by_start: dict[int, Line]) -> list[Unit]:
    """A long table is split by rows, each part repeating the header row."""
    size = sum(p.end - p.start for p in unit.pieces)
    if size <= CHUNK_MAX_CHARS:
        return [unit]
    header = [p for p in unit.pieces if lines_by_start[p.start].kind == "header"][:1]
    lead = [p for p in unit.pieces if p.kind == "text"]
    rows = [p for p in unit.pieces if p.kind == "row" and p not in header]
    parts, current, length = [], [], 0
    for row in rows:
        size = row.end - row.start
        full = length + size > CHUNK_TARGET_CHARS
        if current and (full and _row_boundary(lines_by_start, current[-1], row) or length + size > CHUNK_MAX_CHARS):
            parts.append(current)
            current, length = [], 0
        current.append(row)
        length += row.end - row.start
    if current:
        parts.append(current)
    return [Unit((lead if k == 0 else []) + header + part, "table", table=unit.table) for k, part in enumerate(parts)]


def _row_boundary(lines_by_start: dict[int, Line], prev: Piece, row: Piece) -> bool:
    """Whether a table may be cut between two lines: not inside a cell's running sentence."""
    before, after = lines_by_start[prev.start].text.rstrip(), lines_by_start[row.start].text.strip()
    return bool(re.search(r"[.!?:\d)]$", before)) or starts_row(after)


def _pack(units: list[Unit], source: str) -> list[list[Unit]]:
    """Pack flow units into chunks near the target size; tables stand alone."""
    groups: list[list[Unit]] = []
    current: list[Unit] = []
    size = 0
    listing = False   # the current group ends in a list that a sentence introduced
    for unit in units:
        usize = sum(p.end - p.start for p in unit.pieces)
        if unit.kind == "table":
            if current:
                groups.append(current)
            # a table row longer than a chunk (only in text without line breaks) is cut like prose
            parts = _split_long(unit, source) if usize > CHUNK_MAX_CHARS else [unit]
            groups.extend([part] for part in parts)
            current, size = [], 0
            continue
        if usize > CHUNK_MAX_CHARS:
            if current:
                groups.append(current)
                current, size = [], 0
            for piece_group in _split_long(unit, source):
                groups.append([piece_group])
            continue
        # a list stays with the sentence introducing it («… er et tilbud til:») up to the largest chunk
        introduced = unit.kind == "list" and bool(current) and (
            current[-1].kind == "list" and listing or _introduces(current[-1].pieces[-1], source))
        if current and size + usize > (CHUNK_MAX_CHARS if introduced else CHUNK_TARGET_CHARS):
            groups.append(current)
            current, size = [], 0
        listing = introduced
        current.append(unit)
        size += usize
    if current:
        groups.append(current)
    return groups


def _split_long(unit: Unit, source: str) -> list[Unit]:
    """Split a long prose run between lines, preferring lines that end a sentence."""
    parts, current, size = [], [], 0
    for piece in unit.pieces:
        current.append(piece)
        size += piece.end - piece.start
        if size >= CHUNK_TARGET_CHARS and (size >= CHUNK_MAX_CHARS or _ends_sentence(piece, source)):
            parts.append(Unit(current, unit.kind, list(unit.links), unit.table))
            current, size = [], 0
    if current:
        parts.append(Unit(current, unit.kind, list(unit.links), unit.table))
    return parts


SPACE_RE = re.compile(r"\s*")
CUT_MIN, CUT_MAX = 300, CHUNK_MAX_CHARS - CHUNK_TARGET_CHARS   # a cut line's pieces pack like lines
SENTENCE_GAP_RE = re.compile(r"[.!?]\s")


def _cut_long_lines(unit: Unit, source: str) -> Unit:
    """A line longer than a chunk (a paragraph written as one line, or a file without line breaks) is
    cut into pieces of CUT_MIN to CUT_MAX characters, at the last sentence end, else the last space,
    which then pack into chunks like ordinary lines (at most CHUNK_MAX_CHARS + CUT_MAX)."""
    if all(p.end - p.start <= CHUNK_MAX_CHARS for p in unit.pieces):
        return unit
    pieces: list[Piece] = []
    for piece in unit.pieces:
        start, kind = piece.start, piece.kind
        while piece.end - start > CUT_MAX:
            lo = start + CUT_MIN
            window = source[lo : start + CUT_MAX]
            last = None
            for last in SENTENCE_GAP_RE.finditer(window):
                pass
            space = max(window.rfind(" "), window.rfind("\t"))
            cut = lo + (last.start() + 1 if last else space if space > 0 else len(window))
            end = cut
            while end > start and source[end - 1].isspace():
                end -= 1
            pieces.append(Piece(start, end, kind))
            start, kind = min(piece.end, SPACE_RE.match(source, cut, piece.end).end()), "text"
        if start < piece.end:
            pieces.append(Piece(start, piece.end, kind))
    return Unit(pieces, unit.kind, list(unit.links), unit.table)


def _introduces(piece: Piece, source: str) -> bool:
    return source[piece.start : piece.end].rstrip().endswith(":")


def _ends_sentence(piece: Piece, source: str) -> bool:
    last = source[piece.start : piece.end].rstrip()[-1:]
    return bool(last) and last in ".!?:"


def chunk_id(doc_id: str, section: tuple[str, ...], spans: tuple[tuple[int, int], ...], text: str) -> str:
    h = hashlib.sha256(f"{doc_id}|{' › '.join(section)}|{spans}|{text}".encode()).hexdigest()
    return f"{doc_id}:{h[:16]}"


def parse(doc: Document) -> list[Section]:
    lines = classify(split_lines(doc.text))
    regions = find_regions(lines)
    headings = find_headings(lines, regions)
    region_at = {r.first: r for r in regions}
    in_region = {i for r in regions for i in r.lines}
    caption_taken = {i for r in regions for i in r.caption}
    lines_by_start = {ln.start: ln for ln in lines if ln.text}

    bounds = [h.line for h in headings] + [len(lines)]
    # text before the first heading gets the document title as its section
    starts = [(-1, None)] + [(h.line, h) for h in headings]
    paths: list[tuple[str, ...]] = []
    units_of: list[list[Unit]] = []
    stack: list[Heading] = []
    for k, (start, heading) in enumerate(starts):
        if heading is not None:
            stack = [h for h in stack if h.level < heading.level] + [heading]
        path = tuple(h.title for h in stack) or (doc.title,)
        paths.append(path)
        units_of.append(_section_units(doc, lines, start + 1, bounds[k], region_at, in_region, caption_taken, path))
    _move_to_anchors(units_of, [s for s, _ in starts], lines, doc.text)
    sections: list[Section] = []
    for k, (start, heading) in enumerate(starts):
        section = Section(paths[k], heading.line if heading else None)
        section.chunks = _make_chunks(doc, paths[k], units_of[k], lines_by_start)
        if heading is not None or section.chunks:
            sections.append(section)
    _attach_links(doc, lines, sections)
    return sections


def _move_to_anchors(units_of: list[list[Unit]], starts: list[int], lines: list[Line], source: str) -> None:
    """A table whose rows were extracted after the next heading stands where its caption is; a footnote
    printed at the foot of a page stands after the unit holding its mark (and the list that unit introduces,
    and the footnotes already there), not beside whatever text ends the section it was printed in."""
    placed: set[int] = set()
    for k, units in enumerate(units_of):
        for unit in list(units):
            if unit.anchor is None:
                continue
            home = bisect_right(starts, unit.anchor) - 1
            if unit.kind == "table":
                if 0 <= home < k:
                    units.remove(unit)
                    units_of[home].append(unit)
                continue
            at = lines[unit.anchor].start
            host = next((u for u in units_of[home] if u is not unit and u.pieces
                         and u.pieces[0].start <= at <= u.pieces[-1].end), None) if 0 <= home <= k else None
            if host is None:
                continue
            units.remove(unit)
            target = units_of[home]
            i = target.index(host) + 1
            introduces = _introduces(host.pieces[-1], source)
            while i < len(target) and (id(target[i]) in placed or (introduces and target[i].kind == "list")):
                i += 1
            target.insert(i, unit)
            placed.add(id(unit))


def _section_units(doc, lines, a, b, region_at, in_region, caption_taken, path) -> list[Unit]:
    units: list[Unit] = []
    flow: list[int] = []
    footnotes: list[int] = []
    table_seq = 0

    def flush():
        if flow:
            units.extend(_bullet_units(lines, flow))
            flow.clear()

    i = a
    while i < b:
        line = lines[i]
        if i in region_at and region_at[i].kind != "figure":
            region = region_at[i]
            table_seq += 1 if region.label is None else 0
            flush()
            units.append(_table_unit(doc, lines, region, path[-1], table_seq))
            i = region.last + 1
            continue
        if i in in_region or i in caption_taken:
            i += 1
            continue
        if line.kind == "footnote":
            footnotes.append(i)
        elif line.kind == "caption" and CAPTION_RE.match(line.text):
            flush()
            flow.extend(caption_lines(lines, i))
            flush()
            i = max(caption_lines(lines, i)) + 1
            continue
        elif line.kind in ("text", "bullet", "numbered", "row", "header"):
            flow.append(i)
        i += 1
    flush()
    units.extend(_footnote_units(lines, footnotes))
    return units


def _footnote_units(lines: list[Line], footnotes: list[int]) -> list[Unit]:
    """One unit per footnote, with its wrapped lines, anchored at the line holding its mark («nasjonalt13.»)
    when one stands before it."""
    units: list[Unit] = []
    for j in footnotes:
        m = FOOTNOTE_RE.match(lines[j].text)
        if m or not units:
            units.append(Unit([], "text", anchor=_footnote_mark(lines, j, m.group("num")) if m else None))
        units[-1].pieces.append(Piece(lines[j].start, lines[j].end, "text"))
    return units


MARK_LINES = 120   # lines before a footnote in which to look for its mark (a page and then some)


def _footnote_mark(lines: list[Line], at: int, num: str) -> int | None:
    """The line before a footnote whose word carries its number glued on («nasjonalt13.», «hverandre2.»)."""
    mark = re.compile(rf"[A-ZÆØÅa-zæøå]{{3}}\.?{num}(?=[\s.,;:)]|$)")
    return next((i for i in range(at - 1, max(-1, at - MARK_LINES), -1)
                 if lines[i].kind in ("text", "bullet", "numbered") and mark.search(lines[i].text)), None)


def _make_chunks(doc: Document, path, units: list[Unit], lines_by_start) -> list[Chunk]:
    expanded: list[Unit] = []
    for unit in units:
        parts = _split_table(unit, lines_by_start) if unit.kind == "table" else [unit]
        expanded.extend(_cut_long_lines(part, doc.text) for part in parts)
    chunks = []
    for group in _pack(expanded, doc.text):
        pieces = [p for u in group for p in u.pieces]
        text = render(doc.text, pieces).strip()
        if len(text) < 2:
            continue
        kinds = {u.kind for u in group}
        kind = "table" if "table" in kinds else ("list" if kinds == {"list"} else "text")
        spans = tuple((p.start, p.end) for p in pieces)
        chunks.append(
            Chunk(
                id=chunk_id(doc.doc_id, path, spans, text),
                doc_id=doc.doc_id,
                doc_title=doc.title,
                section=path,
                kind=kind,
                text=text,
                spans=spans,
                page=doc.page_at(spans[0][0]),
                table=next((u.table for u in group if u.table), None),
                year=doc.year,
            )
        )
    return chunks


def _slug(url: str) -> str:
    tail = url.rstrip("/").split("/")[-1].split("?")[0].split("#")[0]
    return re.sub(r"[^a-z0-9æøå]", "", tail.lower().rsplit(".", 1)[0])


def _attach_links(doc: Document, lines: list[Line], sections: list[Section]) -> None:
    """A URL belongs to the chunks that name its file, else to the chunk whose text ends nearest
    before it. Linear in the size of the document: the file names are found in one pass over the
    chunks' text, and the chunk before each URL in one sweep over the span ends.

    Each chunk also records where in it a link stands (Chunk.anchors), so that a citation shows only
    the links of the passages it quotes: a named file stands in its table row, or else where it is
    named; an unnamed URL stands on the line it was printed under (see _printed_under), else nowhere.
    A document link whose file name repeats a word of its section's heading (the section is about
    that guide) stands in every chunk of that section, as a «see also»."""
    chunks = [c for s in sections for c in s.chunks]
    urls = [line for line in lines if line.kind == "url"]
    if not chunks or not urls:
        return
    named = _chunks_naming(chunks, {_slug(line.text) for line in urls})
    before = _chunk_before(chunks, [line.start for line in urls])
    under = _printed_under(lines)
    links: dict[str, dict[str, None]] = {c.id: {} for c in chunks}   # ordered sets
    anchors: dict[str, dict[tuple[str, int, int], None]] = {c.id: {} for c in chunks}
    names: dict[str, dict[str, None]] = {c.id: {} for c in chunks}   # the URLs each chunk names
    letters: dict[int, tuple[str, list[int]]] = {}
    for line, fallback in zip(urls, before):
        url, slug = line.text, _slug(line.text)
        owners = named.get(slug)
        for k in owners or [fallback]:
            chunk = chunks[k]
            links[chunk.id][url] = None
            if owners:
                if url in names[chunk.id]:
                    continue  # the same URL printed again: named where it was named
                names[chunk.id][url] = None
                if k not in letters:
                    letters[k] = _letters(doc.text, chunk)
                spans = [_home(doc.text, chunk, a, b) for a, b in _named_at(doc.text, *letters[k], slug)]
            else:
                prev = under.get(line.idx)
                spans = [prev] if prev and any(a <= prev[0] < b for a, b in chunk.spans) else []
            for a, b in spans:
                anchors[chunk.id][(url, a, b)] = None
    for s in sections:
        for url in _guides(s.path[-1], dict.fromkeys(u for c in s.chunks for u in names[c.id])):
            for c in s.chunks:
                links[c.id][url] = None
                anchors[c.id][(url, c.start, c.end)] = None
        s.chunks = [_with_links(c, list(links[c.id]), list(anchors[c.id])) for c in s.chunks]


_LETTER_RE = re.compile(r"[a-z0-9æøå]", re.IGNORECASE)


def _letters(source: str, chunk: Chunk) -> tuple[str, list[int]]:
    """A chunk's letters and digits as _chunks_naming reads them, with their source offsets."""
    letters, offsets = [], []
    for a, b in chunk.spans:
        for m in _LETTER_RE.finditer(source, a, b):
            letters.append(m.group().lower())
            offsets.append(m.start())
    return "".join(letters), offsets


def _named_at(source: str, letters: str, offsets: list[int], slug: str) -> list[tuple[int, int]]:
    """The source spans where a chunk names a file: its letters spelled in order, across line breaks
    and hyphens, from the start of a word to the end of one («for foreldre veileder-ved-bekymring.pdf»
    names veileder-ved-bekymring.pdf, not foreldreveileder.pdf)."""
    spans = [(offsets[i], offsets[i + len(slug) - 1] + 1) for i in _find_all(letters, slug)] if slug else []
    return [(a, b) for a, b in spans
            if not (a > 0 and source[a - 1].isalnum() or b < len(source) and source[b].isalnum())]


def _home(source: str, chunk: Chunk, a: int, b: int) -> tuple[int, int]:
    """The text a link named at [a, b) belongs to: in a table, its whole row (a row's lines up to the
    next line that opens a row, as table_prose reads them); elsewhere the name itself, which the
    sentence or list item quoting it contains."""
    if chunk.kind != "table":
        return a, b
    rows: list[list[int]] = []
    for s, e in sorted(chunk.spans):
        if not rows or starts_row(source[s:e].strip()):
            rows.append([s, e])
        else:
            rows[-1][1] = max(rows[-1][1], e)
    for s, e in rows:
        if s <= a < e:
            return s, max(e, b)
    return a, b


def _printed_under(lines: list[Line]) -> dict[int, tuple[int, int]]:
    """For each URL line printed under a line of text, that line's span: the URL is the only one
    printed there (repeats aside), the line above ends a sentence or introduces it («… veileder:»)
    with only blank lines between, and a blank line follows. A run of several URLs, or one that
    breaks into running text, was printed at a page end, apart from its anchor: it is left out."""
    out: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        if lines[i].kind != "url":
            i += 1
            continue
        first = i
        while i + 1 < len(lines) and lines[i + 1].kind == "url":
            i += 1
        last, i = i, i + 1
        k = first - 1
        while k >= 0 and lines[k].kind == "blank":
            k -= 1
        if (len({ln.text for ln in lines[first : last + 1]}) == 1 and (i == len(lines) or lines[i].kind == "blank")
                and k >= 0 and lines[k].text.endswith((".", "!", "?", ":"))):
            out.update({j: (lines[k].start, lines[k].end) for j in range(first, last + 1)})
    return out


def _guides(heading: str, urls) -> list[str]:
    """Of the URLs named in a section, the documents whose file name repeats a long word of the
    section's heading («… ; Trygghetsprogrammet» and trygghetsprogrammet-veileder-2020.pdf): the
    section is about them. Web pages and files on the author's own machine are left where they stand."""
    words = {w for w in re.findall(r"[a-z0-9æøå]+", heading.lower()) if len(w) >= SLUG_MIN}
    out = []
    for url in urls:
        if not url.startswith(("http://", "https://")) or not is_document_url(url):
            continue
        tail = url.rstrip("/").split("/")[-1].split("?")[0].split("#")[0].lower().rsplit(".", 1)[0]
        if words & set(re.findall(r"[a-z0-9æøå]+", tail)):
            out.append(url)
    return out


SLUG_MIN = 8
FEW_PREFIXES = 64


def _chunks_naming(chunks: list[Chunk], slugs: set[str]) -> dict[str, list[int]]:
    """For each slug of at least SLUG_MIN letters, the indexes of the chunks whose letters contain it.
    Candidates are found by their first SLUG_MIN letters: with a few distinct prefixes by str.find,
    otherwise by one dictionary lookup per position; either way one pass per prefix or in all."""
    by_prefix: dict[str, list[str]] = {}
    for slug in slugs:
        if len(slug) >= SLUG_MIN:
            by_prefix.setdefault(slug[:SLUG_MIN], []).append(slug)
    if not by_prefix:
        return {}
    squashed = [re.sub(r"[^a-z0-9æøå]", "", c.text.lower()) for c in chunks]
    text = "|".join(squashed)          # «|» is never part of a slug, so no match crosses two chunks
    offsets = list(accumulate((len(sq) + 1 for sq in squashed[:-1]), initial=0))
    if len(by_prefix) <= FEW_PREFIXES:
        starts = ((i, prefix) for prefix in by_prefix for i in _find_all(text, prefix))
    else:
        starts = ((i, text[i : i + SLUG_MIN]) for i in range(len(text) - SLUG_MIN + 1)
                  if text[i : i + SLUG_MIN] in by_prefix)
    found: dict[str, set[int]] = {}
    for i, prefix in starts:
        for slug in by_prefix[prefix]:
            if text.startswith(slug, i):
                found.setdefault(slug, set()).add(bisect_right(offsets, i) - 1)
    return {slug: sorted(ks) for slug, ks in found.items()}


def _find_all(text: str, sub: str):
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


def _chunk_before(chunks: list[Chunk], positions: list[int]) -> list[int]:
    """For each position (ascending), the chunk with the latest span ending at or before it (the first
    such chunk on a tie); else the first chunk that starts before it; else the first chunk."""
    ends = sorted((e, k) for k, c in enumerate(chunks) for _, e in c.spans)
    starts = sorted((c.start, k) for k, c in enumerate(chunks))
    out: list[int] = []
    ei = si = 0
    best_end, best = -1, None      # latest span end so far, and its first chunk
    first_started = None           # lowest chunk index among chunks started so far
    for pos in positions:
        while ei < len(ends) and ends[ei][0] <= pos:
            e, k = ends[ei]
            if e > best_end or (e == best_end and k < best):
                best_end, best = e, k
            ei += 1
        while si < len(starts) and starts[si][0] <= pos:
            k = starts[si][1]
            first_started = k if first_started is None else min(first_started, k)
            si += 1
        out.append(best if best is not None else (first_started if first_started is not None else 0))
    return out


def _with_links(chunk: Chunk, links: list[str], anchors: list[tuple[str, int, int]]) -> Chunk:
    from dataclasses import replace

    return replace(chunk, links=tuple(links), anchors=tuple(anchors)) if links else chunk


def chunk_document(doc: Document) -> list[Chunk]:
    return [c for s in parse(doc) for c in s.chunks]

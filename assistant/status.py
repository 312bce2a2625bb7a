"""Status blocks as tables: a caption with a year over a two-column «label | value» block.

Reports summarise a service's year in a box: «Individsaker … 46», «Henvendelse til … 1 registrert sak
i 2024», «Systemarbeid Det ble registrert 53 systemoppdrag i 2024. …», next to rows of plain text
(«Kjønn Flest gutter …»). Extracted from PDF, a label is either stacked over a few short lines above its
value (a blank line between), or written on the value's first line, ending where the value's first
capitalised word begins. A row counts something only when its value is a bare number or its first
sentence holds exactly one count (no year, age, age group or percentage); text rows keep no value.
The caption's year is the one column, so the block answers figure questions like a table.
"""

from __future__ import annotations

import bisect
import re

from .lines import YEAR_RE, Line, classify, split_lines
from .tables import Row, Table
from .textclean import ws
from .types import Chunk

LABEL_MAX = 32          # a stacked label line is short: one cell of the label column
LABEL_LINES = 4
LABEL_WORDS = 8
MIN_ENTRIES = 3
STOP_KINDS = ("numbered", "caption", "header", "row", "bullet", "url", "footnote")
COUNT_RE = re.compile(r"(?<![\d\-–.,/])(\d{1,6})(?![\d\-–.,/%])(?!\s*(?:%|år\b|års\b|åring|prosent|-|–))")
BARE_RE = re.compile(r"^\d{1,6}$")
UNIT_RE = re.compile(r"\s*((?:[a-zæøå]+\s+){0,1}[a-zæøå]+)")


def _caption_ok(line: Line) -> bool:
    t = line.text
    return (line.kind == "text" and t[:1].isupper() and 3 <= line.words <= 15 and len(YEAR_RE.findall(t)) == 1
            and not t.endswith((".", ",", ":", ";")))


def _stacked_label(line: Line) -> bool:
    return len(line.text) <= LABEL_MAX and not line.text.endswith((".", ",", ":", ";")) and not BARE_RE.match(line.text)


def _inline_label(text: str) -> tuple[str, str] | None:
    """«Kjønn Flest gutter …» → («Kjønn», «Flest gutter …»): the value begins at the first capital."""
    words = text.split()
    if len(words) < 3 or not words[0][:1].isupper() or len(words[0]) < 3:
        return None
    for k in range(1, min(len(words), LABEL_WORDS)):
        if words[k][:1].isupper():
            if k == 1 or all(w[:1].islower() or w[:1] == "(" for w in words[1:k]):
                return " ".join(words[:k]), " ".join(words[k:])
            return None
    return None


def _paragraphs(lines: list[Line], start: int, inside) -> list[list[Line]]:
    """Paragraphs after the caption, while the lines stay in the caption's section and in the block."""
    out, current = [], []
    for line in lines[start:]:
        if line.kind == "blank":
            if current:
                out.append(current)
                current = []
            continue
        if line.kind in STOP_KINDS or not inside(line):
            break
        # a stacked label straight after a closed sentence starts a new entry («… for 2024.» / «Trekk ved»)
        if current and current[-1].text.endswith(".") and _stacked_label(line) and not _inline_label(line.text):
            out.append(current)
            current = []
        current.append(line)
    if current:
        out.append(current)
    return out


def _entries(paragraphs: list[list[Line]]) -> list[tuple[list[Line], list[Line], str]]:
    """(label lines, value lines, label text) for each entry; prose paragraphs continue the value."""
    entries: list[tuple[list[Line], list[Line], str]] = []
    k = 0
    while k < len(paragraphs):
        para = paragraphs[k]
        stacked = len(para) <= LABEL_LINES and all(_stacked_label(x) for x in para)
        if stacked and k + 1 < len(paragraphs):
            label = ws(" ".join(x.text for x in para))
            entries.append((para, list(paragraphs[k + 1]), label))
            k += 2
            continue
        inline = _inline_label(para[0].text)
        if inline:
            entries.append(([], list(para), inline[0]))
        elif entries:
            entries[-1][1].extend(para)  # the value goes on in a new paragraph
        else:
            break
        k += 1
    return entries


def _count(value: str) -> tuple[int, str] | None:
    """The one count of a value: «46», «1 registrert sak i 2024», «Det ble registrert 53 systemoppdrag …»."""
    value = value.strip()
    if BARE_RE.match(value):
        return int(value), ""
    first = re.split(r"(?<=[.!?])\s", value, maxsplit=1)[0]
    found = [m for m in COUNT_RE.finditer(first) if not YEAR_RE.fullmatch(m.group(1))]
    if len(found) != 1:
        return None
    m = found[0]
    unit = UNIT_RE.match(first, m.end())
    words = unit.group(1).split() if unit else []
    if not words:
        return None  # a number with nothing counted after it
    # «1 registrert sak i 2024» counts «registrert sak»; «53 systemoppdrag i 2024» counts «systemoppdrag»
    # a preposition ends what is counted; the words themselves are the value's own wording
    unit = words if len(words) == 2 and words[1] not in ("i", "på", "for", "av", "til", "med", "og") else words[:1]
    return int(m.group(1)), " ".join(unit)


def _first_sentence_end(value: str) -> int:
    return len(re.split(r"(?<=[.!?])\s", value, maxsplit=1)[0])


def find_status_blocks(chunks: list[Chunk], source: str) -> list[Table]:
    lines = classify(split_lines(source))
    owner: list[tuple[int, int, Chunk]] = sorted(((a, b, c) for c in chunks for a, b in c.spans), key=lambda x: x[:2])
    starts = [a for a, _, _ in owner]

    def chunk_at(pos: int) -> Chunk | None:
        k = bisect.bisect_right(starts, pos) - 1
        return owner[k][2] if k >= 0 and owner[k][0] <= pos < max(owner[k][1], owner[k][0] + 1) else None

    tables: list[Table] = []
    used: set[int] = set()
    for line in lines:
        if line.idx in used or not _caption_ok(line):
            continue
        home = chunk_at(line.start)
        if home is None:
            # the caption read as a heading: the block is that heading's section
            home = next((c for a, _, c in owner if a > line.start), None)
            if home is None or not home.section or home.section[-1] != ws(line.text):
                continue
        section = home.section
        # a bare number («46») may be in no chunk: lines up to the section's last text are the block's
        end = max((b for a, b, c in owner if c.section == section and a > line.start), default=line.end)

        def inside(x: Line, section=section, end=end) -> bool:
            c = chunk_at(x.start)
            return x.start <= end and (c is None or c.section == section)

        entries = _entries(_paragraphs(lines, line.idx + 1, inside))
        if len(entries) < MIN_ENTRIES or any(len(label.split()) > LABEL_WORDS for _, _, label in entries):
            continue
        year = YEAR_RE.search(line.text).group(0)
        rows = []
        for label_lines, value_lines, label in entries:
            value = ws(" ".join(x.text for x in value_lines))
            if label_lines:
                value_text = value
            else:
                value_text = value[len(value) - len(_inline_label(value)[1]):] if _inline_label(value) else value
            count = _count(value_text)
            used.update(x.idx for x in label_lines + value_lines)
            head = ws(" ".join(x.text for x in label_lines))
            # a count is quoted with its sentence; a text row whole, so its words are the row's, not prose
            cut = len(value) - len(value_text) + _first_sentence_end(value_text) if count else len(value)
            shown = (head + " " if head else "") + value[:cut]
            rows.append(Row(label, [label], {year: count[0] if count else None}, ws(shown),
                            count[1] if count else ""))
        if not any(r.values[year] is not None for r in rows):
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", line.text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))
        caption = ws(line.text)
        tables.append(Table(f"{home.doc_id}:{slug.strip('-')}", caption, caption, home.doc_id, home.id,
                            home.section_path, [year], rows, caption))
    return tables

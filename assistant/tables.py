"""Statistics tables as data: label, caption, columns (years, «23-24»), hierarchical rows and values.

Tables are read from the numeric table chunks and the source lines behind them, so a row's quote is
verbatim. A row is a child of the row above it when its label extends the parent's («Jenter» ›
«Jenter 10-14år»), or when it breaks the alphabetical order of the top-level rows and never exceeds
the parent («Vinning» › «Butikktyveri»). Short rows are aligned by the whitespace the extraction
kept, so a category split in 2021 lands in the right years.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from .lines import is_header_row, row_values
from .textclean import ws
from .types import Chunk

RANGE_RE = re.compile(r"\b(\d{1,2})\s*-\s*(\d{1,2})\b")


@dataclass
class Row:
    label: str
    path: list[str]
    values: dict[str, int | None]
    quote: str
    unit: str = ""                    # what a status block's number counts («systemoppdrag»), when it says


@dataclass
class Table:
    id: str
    label: str
    caption: str
    doc_id: str
    chunk_id: str
    section: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    header: str = ""                  # the header row as printed, so a quoted row can be read off by year

    @property
    def key(self) -> tuple[str, str]:
        """Tables are told apart by document and label: two documents may each have a «Tabell 2»."""
        return self.doc_id, self.label

    def row(self, label: str) -> Row | None:
        return next((r for r in self.rows if r.label.lower() == label.lower()), None)

    @property
    def years(self) -> list[str]:
        return [c for c in self.columns if re.fullmatch(r"(19|20)\d{2}", c)]


def _num(token: str) -> int:
    return int(token.replace("−", "-").replace("–", "-"))


def _line_bounds(source: str, a: int, b: int) -> tuple[int, int]:
    ls = source.rfind("\n", 0, a) + 1
    le = source.find("\n", b)
    return a - ls, (le if le >= 0 else len(source)) - b


def _header_columns(fragments: list[str], n_values: int) -> list[str]:
    """Columns from header cells wrapped over several lines («14-», «15», …, «Alder ikke oppgitt»)."""
    tokens = " ".join(fragments).split()
    if tokens and tokens[0].isalpha():
        tokens = tokens[1:]  # the row-label column's own name
    cols: list[str] = []
    for tok in tokens:
        joins_word = tok.isalpha() and tok[:1].islower() and cols and cols[-1].replace(" ", "").isalpha()
        if cols and (cols[-1].endswith("-") or joins_word):
            cols[-1] = cols[-1] + ("" if cols[-1].endswith("-") else " ") + tok
        else:
            cols.append(tok)
    return cols if len(cols) == n_values else [f"kolonne {i}" for i in range(1, n_values + 1)]


def parse_table(chunk: Chunk, source: str, part: int, parts: int, caption: str) -> Table | None:
    lines = [(a, b, source[a:b].strip()) for a, b in chunk.spans]
    columns: list[str] = []
    header_idx = next((i for i, (_, _, t) in enumerate(lines) if is_header_row(t)), None)
    body_start = 0
    header = ""
    if header_idx is not None:
        header = ws(lines[header_idx][2])
        tokens = lines[header_idx][2].split()
        columns = [t for t in tokens if t[0].isdigit()]
        body_start = header_idx + 1
    rows: list[Row] = []
    pending: list[str] = []
    fragments: list[str] = []
    for a, b, text in lines[body_start:]:
        parsed = row_values(text)
        if parsed is None:
            if text.lower().startswith("tabell"):
                continue
            pending.append(text)
            continue
        label, values = parsed
        if not columns:
            fragments, pending = pending, []
            columns = _header_columns(fragments, len(values))
            header = ws(" ".join(fragments))
        wrapped = pending
        label = " ".join(pending + ([label] if label else [])).strip()
        pending = []
        if not label or len(values) > len(columns):
            continue
        lead, trail = _line_bounds(source, a, b)
        if len(values) < len(columns) and lead > trail:
            cells = [None] * (len(columns) - len(values)) + [_num(v) for v in values]
        else:
            cells = [_num(v) for v in values] + [None] * (len(columns) - len(values))
        rows.append(Row(label, [label], dict(zip(columns, cells)), ws(" ".join(wrapped + [text]))))
    if not rows or not columns:
        return None
    _nest(rows)
    label = chunk.table or "Tabell"
    name = label
    ranges = list(dict.fromkeys(f"{m.group(1)}-{m.group(2)}" for m in RANGE_RE.finditer(caption)))
    if parts > 1:
        name = f"{label} ({ranges[part - 1]} år)" if len(ranges) == parts else f"{label} del {part}"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")).strip("-")
    return Table(f"{chunk.doc_id}:{slug}", name, caption, chunk.doc_id, chunk.id, chunk.section_path, columns, rows,
                 header)


def _nest(rows: list[Row]) -> None:
    top: Row | None = None
    for row in rows:
        if top is not None and _is_child(row, top):
            row.path = [top.label, row.label]
        else:
            top = row


def _is_child(row: Row, parent: Row) -> bool:
    if row.label.lower().startswith(parent.label.lower() + " "):
        return True
    if row.label.lower() in ("total", "totalt", "sum"):
        return False
    within = all(v is None or parent.values.get(k) is None or v <= parent.values[k]
                 for k, v in row.values.items() if not re.fullmatch(r"\d{2}-\d{2}", k))
    return within and row.label.lower() < parent.label.lower()


def extract_tables(chunks: list[Chunk], source: str) -> list[Table]:
    numeric = [c for c in chunks if c.kind == "table" and _is_numeric(c, source)]
    groups: dict[str, list[Chunk]] = {}
    for c in numeric:
        groups.setdefault(c.table or c.id, []).append(c)
    tables = []
    for group in groups.values():
        captions = [ws(source[a:b]) for c in group for a, b in c.spans if source[a:b].strip().lower().startswith("tabell")]
        caption = _caption_text(group[0], source) if captions else ""
        # chunks of one long table each repeat the header; a part starts where a caption does not follow
        for k, c in enumerate(group, start=1):
            t = parse_table(c, source, k, len(group), caption)
            if t:
                tables.append(t)
    from .status import find_status_blocks

    return tables + find_status_blocks(chunks, source)


def _caption_text(chunk: Chunk, source: str) -> str:
    parts = []
    for a, b in chunk.spans:
        text = source[a:b].strip()
        if is_header_row(text) or row_values(text):
            break
        parts.append(text)
    return ws(" ".join(parts))


def _is_numeric(chunk: Chunk, source: str) -> bool:
    texts = [source[a:b].strip() for a, b in chunk.spans]
    rows = [row_values(t) for t in texts if row_values(t)]
    headers = sum(1 for t in texts if is_header_row(t))
    return len(rows) + headers >= 2 or any(len(values) >= 5 for _, values in rows)


def write_tables(paths, chunks_by_doc) -> None:
    tables = []
    for doc_id, chunks in chunks_by_doc.items():
        source = (paths.sources / f"{doc_id}.txt").read_text(encoding="utf-8")
        tables.extend(asdict(t) for t in extract_tables(chunks, source))
    tmp = paths.tables.with_suffix(".tmp")
    tmp.write_text(json.dumps(tables, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(paths.tables)


def load_tables(settings) -> list[Table]:
    from .index import Paths, check_index

    check_index(settings)
    raw = json.loads(Paths(settings.index_dir).tables.read_text(encoding="utf-8"))
    return [Table(**{**t, "rows": [Row(**r) for r in t["rows"]]}) for t in raw]


def titled(t: Table) -> str:
    """The label and the caption, with the label said once («Tabell 3 (10-14 år). Antall …»)."""
    base = t.label.split(" (")[0]
    caption = t.caption
    if caption == t.label:
        return t.label
    if caption.lower().startswith(base.lower()):
        caption = caption[len(base):].lstrip(" .:")
    return f"{t.label}. {caption}" if caption else t.label


def find_tables(tables: list[Table], wanted: str) -> list[Table]:
    """Tables whose label is, or starts with, what was asked for («Tabell 3» gives both halves)."""
    w = " ".join(wanted.lower().split())
    exact = [t for t in tables if t.label.lower() == w or t.id == wanted]
    if exact:
        return exact
    return [t for t in tables if t.label.lower().startswith(w) and not t.label[len(w):len(w) + 1].isdigit()]


def format_table(t: Table) -> str:
    width = max(len("  " * (len(r.path) - 1) + r.label) for r in t.rows) + 2
    title = titled(t)
    lines = [title, " " * width + " ".join(f"{c:>6}" for c in t.columns)]
    for r in t.rows:
        name = "  " * (len(r.path) - 1) + r.label
        cells = " ".join(f"{'' if r.values.get(c) is None else r.values[c]:>6}" for c in t.columns)
        lines.append(f"{name:<{width}}{cells}")
    return "\n".join(lines)

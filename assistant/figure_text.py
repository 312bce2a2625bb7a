"""The Norwegian a figure answer is written in: values, changes with the computation stated, the
table's name and unit, the citation (header row with the years and the rows used) and the figure record."""

from __future__ import annotations

import re

from .tables import Row, Table
from .types import UNNUMBERED_TABLE, Citation

CAPTION_UNIT = re.compile(r"^(?:tabell\s*\d+\.?\s*)?antall\s+(.+?)(?:\s+(?:i|fordelt|for|med|etter)\s|[.,]|$)", re.I)
HOME_RE = re.compile(r"\b([A-ZÆØÅ][\wæøå-]+\s+(?:kommune|fylkeskommune|bydel))\b")


def value_sentence(t: Table, row: Row, year: str) -> str:
    value = row.values[year]
    base = f"{name(t)}{unit(t)} viser {value}{' ' + row.unit if row.unit else ''} for «{row.label}» i {year}"
    prev = str(int(year) - 1)
    before = row.values.get(prev)
    if before is not None:
        diff = value - before
        if diff:
            base += f", {abs(diff)} {'flere' if diff > 0 else 'færre'} enn i {prev} (fra {before} til {value}"
            base += f", {_pct(before, value)})" if before else ")"
        else:
            base += f", like mange som i {prev} ({before})"
    return base


def span(t: Table, row: Row, a: str, b: str, lead: str = "") -> str:
    va, vb = row.values.get(a), row.values.get(b)
    head = f"{lead} " if lead else f"{name(t)}{unit(t)}, «{row.label}»: "
    if va is None or vb is None:
        return head + f"tabellen har ikke verdier for både {a} og {b}"
    return head + change_words(va, vb, a, b)


def cite(chunks: dict, n: int, table: Table, rows: list[Row]) -> Citation:
    chunk = chunks.get(table.chunk_id)
    parts = ([table.header] if table.header else []) + [r.quote for r in rows if r is not None]
    return Citation(
        n=n, document=chunk.doc_title if chunk else table.doc_id, section=table.section,
        page=chunk.page if chunk else None, table=table.label, quote=" … ".join(dict.fromkeys(parts)),
        links=chunk.links_at(chunk.spans) if chunk else (), chunk_id=table.chunk_id, year=chunk.year if chunk else None,
    )


def figure(table: Table, rows: list[Row], year: str | None) -> dict:
    row = rows[0] if rows else None
    cols = table.years or table.columns
    return {
        "table": table.label, "document": table.doc_id,
        "row": " › ".join(row.path) if row else None, "column": year,
        "value": row.values.get(year) if row and year else None,
        "series": {y: row.values.get(y) for y in cols} if row else {},
        "columns": cols,
        "rows": [{"label": r.label, "path": r.path, "values": {c: r.values.get(c) for c in cols}} for r in rows],
    }


def written(text: str, word: str) -> str:
    m = re.search(rf"\b({re.escape(word)}\w*)", text, re.I)
    return m.group(1) if m else word


def phrase(text: str, word: str) -> str:
    """The words as the question wrote them, with «hele» before them («hele landet») or «kommune» after."""
    m = re.search(rf"\b((?:hele\s+)?{re.escape(word)}\w*(?:\s+kommune)?)", text, re.I)
    return m.group(1) if m else word


def home(t: Table, title: str) -> str:
    """The municipality a table is for, as its caption or its document's title names it."""
    for text in (t.caption, t.section, title):
        m = HOME_RE.search(text or "")
        if m:
            return m.group(1)
    return ""


def change_words(a: int, b: int, ya: str, yb: str) -> str:
    diff = b - a
    if diff == 0:
        return f"uendret fra {ya} til {yb} ({a})"
    pct = f" ({_pct(a, b)})" if a else ""
    return f"fra {a} i {ya} til {b} i {yb}: {abs(diff)} {'flere' if diff > 0 else 'færre'}{pct}"


def span_of(years: list[str], bare: bool = False) -> str:
    """«årene 2017–2024», or the one year a status block is for."""
    if len(years) == 1:
        return years[0] if bare else f"bare {years[0]}"
    return f"{years[0]}–{years[-1]}" if bare else f"årene {years[0]}–{years[-1]}"


def _pct(a: int, b: int) -> str:
    return f"{round(100 * (b - a) / a):+d} %"


def name(t: Table) -> str:
    return t.label.replace(UNNUMBERED_TABLE, "Tabellen under") if t.label.startswith(UNNUMBERED_TABLE) else t.label


def unit(t: Table) -> str:
    m = CAPTION_UNIT.match(t.caption or "")
    return f" (antall {m.group(1).lower()})" if m else ""

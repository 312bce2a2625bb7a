"""The data that flows between stages. A Chunk carries its own citation."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    doc_title: str
    section: tuple[str, ...]          # chapter › section › subsection
    kind: str                         # "text" | "list" | "table"
    text: str                         # cleaned for reading
    spans: tuple[tuple[int, int], ...]  # source offsets of the lines the text was built from
    page: int | None = None
    table: str | None = None
    links: tuple[str, ...] = ()
    year: int | None = None
    # where each link stands: (url, start, end) source offsets of the text it belongs to (its anchor's
    # sentence or table row); a link without an anchor in the text stands nowhere and is never cited
    anchors: tuple[tuple[str, int, int], ...] = ()

    @property
    def start(self) -> int:
        return min(a for a, _ in self.spans)

    @property
    def end(self) -> int:
        # a footnote printed elsewhere can make the last span not the latest one
        return max(b for _, b in self.spans)

    @property
    def section_path(self) -> str:
        return " › ".join(self.section)

    def links_at(self, spans) -> tuple[str, ...]:
        """The links that stand in the given source spans (e.g. a citation's quoted passages), in the
        chunk's order: a link's anchor overlaps one of them. A neighbour's link is not among them."""
        here = {url for url, a, b in self.anchors for lo, hi in spans if a < hi and lo < b}
        return tuple(url for url in self.links if url in here)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["section"] = list(self.section)
        d["spans"] = [list(s) for s in self.spans]
        d["links"] = list(self.links)
        d["anchors"] = [list(a) for a in self.anchors]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        return cls(
            **{
                **d,
                "section": tuple(d["section"]),
                "spans": tuple(tuple(s) for s in d["spans"]),
                "links": tuple(d.get("links", ())),
                "anchors": tuple((str(u), int(a), int(b)) for u, a, b in d.get("anchors", ())),
            }
        )


# A table without a number is named by the heading it stands under (structure.py), «… «Tiltak rus» (2)»
UNNUMBERED_TABLE = "Tabell uten nummer under"
UNNUMBERED_TABLE_RE = re.compile(rf"^{UNNUMBERED_TABLE} «(?P<heading>.+)»(?: \((?P<seq>\d+)\))?$")


def unnumbered_table_label(heading: str, seq: int = 1) -> str:
    return f"{UNNUMBERED_TABLE} «{heading}»" + (f" ({seq})" if seq > 1 else "")


@dataclass(frozen=True)
class Citation:
    n: int
    document: str
    section: str
    page: int | None
    table: str | None
    quote: str
    links: tuple[str, ...] = ()
    chunk_id: str = ""
    year: int | None = None

    @property
    def where(self) -> str:
        """Section path, page and table, as shown to the reader. A table without a number is named by
        the heading it stands under, which the section path already shows: there it is just «tabell»."""
        table = self.table
        unnumbered = UNNUMBERED_TABLE_RE.match(table or "")
        if unnumbered and unnumbered.group("heading") == self.section.split(" › ")[-1]:
            table = "tabell" + (f" {unnumbered.group('seq')}" if unnumbered.group("seq") else "")
        return self.section + (f", side {self.page}" if self.page else "") + (f", {table}" if table else "")

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "document": self.document,
            "section": self.section,
            "page": self.page,
            "table": self.table,
            "quote": self.quote,
            "links": list(self.links),
            "year": self.year,
        }


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    searched: str = ""
    figure: dict | None = None
    mode: str = "extractive"          # or "llm"
    fallback: str = ""                # why a generated answer was not shown
    suggestions: list[str] = field(default_factory=list)  # questions to ask next (after a refusal)
    passages: list[tuple[str, int]] = field(default_factory=list)  # (chunk id, passage number) said in prose

    def to_dict(self) -> dict:
        d = {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "searched": self.searched,
            "mode": self.mode,
        }
        if self.figure is not None:
            d["figure"] = self.figure
        if self.fallback:
            d["fallback"] = self.fallback
        if self.suggestions:
            d["suggestions"] = list(self.suggestions)
        return d

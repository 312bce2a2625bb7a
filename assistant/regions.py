"""Find table regions in classified lines: numeric tables with year columns, and narrow-cell regions.

A numeric table is a run of header/row lines (with wrapped row labels between them). The same
table printed twice is kept once; a run with two headers is two parts of one table. A narrow-cell
region is a run of short lines, as a multi-column table or a diagram becomes when extracted: it is a
table when it carries numbers or numbered items, otherwise diagram labels that are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import CAPTION_RE, Line, row_values, significant

NARROW = 45


@dataclass
class Region:
    lines: list[int]                  # line indices of the table body, in order
    kind: str                         # "numeric" | "cells" | "figure"
    caption: list[int] = field(default_factory=list)  # caption line indices
    label: str | None = None          # «Tabell 2» or a descriptive label
    part: int = 1
    parts: int = 1

    @property
    def first(self) -> int:
        return self.lines[0]

    @property
    def last(self) -> int:
        return self.lines[-1]


def _is_label_fragment(line: Line) -> bool:
    """A wrapped cell or row label inside a numeric table («Barnets atferd (delt i»)."""
    return line.kind in ("text", "fragment") and len(line.text) < 40 and not line.text.endswith(".")


def _numeric_runs(lines: list[Line]) -> list[list[int]]:
    runs, i, n = [], 0, len(lines)
    while i < n:
        if lines[i].kind not in ("header", "row"):
            i += 1
            continue
        run, j = [i], i + 1
        while j < n:
            line = lines[j]
            if line.kind in ("header", "row"):
                run.append(j)
            elif line.kind == "blank":
                pass
            elif _is_label_fragment(line):
                nxt = significant(lines, j, 1, skip=("blank",))
                k = j
                # keep wrapped labels only when a row follows within a few lines
                look = [lines[x] for x in range(j + 1, min(n, j + 8)) if lines[x].kind != "blank"][:4]
                if not any(x.kind == "row" for x in look) or nxt is None:
                    break
                run.append(k)
            else:
                break
            j += 1
        rows = [x for x in run if lines[x].kind == "row"]
        wide = any(len((row_values(lines[x].text) or ("", []))[1]) >= 5 for x in rows)
        if rows and (len(rows) >= 2 or wide or any(lines[x].kind == "header" for x in run)):
            runs.append(_extend_backwards(lines, run))
        i = j
    return runs


def _extend_backwards(lines: list[Line], run: list[int]) -> list[int]:
    """Pull in header cells wrapped over several short lines above the first row («Alder 14-», «15»)."""
    head, j = [], run[0] - 1
    while j >= 0:
        line = lines[j]
        if line.kind == "blank":
            j -= 1
            continue
        short = len(line.text) < 40 and (any(c.isdigit() for c in line.text) or line.text.endswith("-")
                                         or len(line.text) < 14)
        if line.kind in ("fragment", "text") and short and not line.text.endswith("."):
            head.insert(0, j)
            j -= 1
            continue
        break
    if lines[run[0]].kind == "header":
        return run  # a proper header row needs no wrapped cells above it
    return head + run


def _split_parts(lines: list[Line], run: list[int]) -> list[list[int]]:
    """A run with several header rows is several tables (or parts) printed one after the other."""
    parts, current = [], []
    for idx in run:
        if lines[idx].kind == "header" and any(lines[x].kind == "row" for x in current):
            parts.append(current)
            current = []
        current.append(idx)
    if current:
        parts.append(current)
    return parts


MARKED_HEADING = re.compile(r"^#{1,6}\s+\S")


def _narrow_runs(lines: list[Line], taken: set[int]) -> list[list[int]]:
    """Runs of short lines, bridging up to two wider (but not full-width) lines such as a long cell."""
    content = [ln for ln in lines if ln.kind not in ("blank", "url", "footnote") and ln.idx not in taken]
    widths = sorted(len(ln.text) for ln in content) or [0]
    full = widths[int(len(widths) * 0.9)]  # the width of a full prose line
    # a marked heading (Markdown, or a PDF heading found by its font size) ends a run
    marked = [bool(MARKED_HEADING.match(ln.text)) for ln in content]
    narrow = [len(ln.text) < NARROW and ln.kind not in ("bullet", "caption", "header", "numbered") and not m
              for ln, m in zip(content, marked)]
    bridge = [len(ln.text) < 0.92 * full and ln.kind != "numbered" and not m for ln, m in zip(content, marked)]
    runs, i = [], 0
    while i < len(content):
        if not narrow[i]:
            i += 1
            continue
        j = i
        while True:
            step = next((d for d in (1, 2, 3) if j + d < len(content) and narrow[j + d]
                         and all(bridge[j + e] for e in range(1, d))), None)
            if step is None or content[j + step].idx - content[j].idx > 12:
                break
            j += step
        run = content[i : j + 1]
        short = [ln for ln in run if len(ln.text) < NARROW]
        lengths = sorted(len(ln.text) for ln in run)
        if len(short) >= 6 and lengths[len(lengths) // 2] < 40:
            idxs = [ln.idx for ln in run]
            # a heading right after the region belongs to the text that follows it
            while len(idxs) > 1 and _looks_like_heading_before_prose(lines, idxs[-1]):
                idxs.pop()
            runs.append(idxs)
        i = j + 1
    return runs


def _looks_like_heading_before_prose(lines: list[Line], idx: int) -> bool:
    line = lines[idx]
    nxt = significant(lines, idx, 1)
    return (
        line.text[:1].isupper()
        and not any(c.isdigit() for c in line.text)
        and nxt is not None
        and len(nxt.text) >= 60
    )


def find_regions(lines: list[Line]) -> list[Region]:
    regions: list[Region] = []
    seen_bodies: set[tuple[str, ...]] = set()
    taken: set[int] = set()
    for run in _numeric_runs(lines):
        taken.update(run)
        for part in _split_parts(lines, run):
            body = tuple(lines[i].text for i in part if lines[i].kind == "row")
            if body in seen_bodies:
                continue  # the same table printed twice: kept once
            seen_bodies.add(body)
            regions.append(Region(lines=part, kind="numeric"))
    for run in _narrow_runs(lines, taken):
        has_numbers = any(re.search(r"\d", lines[i].text) for i in run)
        regions.append(Region(lines=run, kind="cells" if has_numbers else "figure"))
    regions.sort(key=lambda r: r.first)
    _assign_captions(lines, regions)
    return regions


def _assign_captions(lines: list[Line], regions: list[Region]) -> None:
    """A «Tabell N.» caption names the next table after it; tables right after each other share it."""
    captions = [ln for ln in lines if ln.kind == "caption" and ln.text.lower().startswith("tabell")]
    used: set[int] = set()
    prev: Region | None = None
    for region in regions:
        if region.kind == "figure":
            continue
        open_caps = [c for c in captions if c.idx < region.first and c.idx not in used]
        adjacent = prev is not None and prev.label and _only_blank_between(lines, prev.last, region.first)
        if adjacent:
            region.label, region.caption = prev.label, prev.caption
            region.part = prev.part + 1
        elif open_caps and region.kind == "numeric":
            cap = open_caps[-1]
            used.update(c.idx for c in open_caps)
            m = CAPTION_RE.match(cap.text)
            region.label = f"Tabell {m.group('num')}"
            region.caption = caption_lines(lines, cap.idx)
        prev = region
    by_label: dict[str, list[Region]] = {}
    for r in regions:
        if r.label:
            by_label.setdefault(r.label, []).append(r)
    for group in by_label.values():
        for r in group:
            r.parts = len(group)


def _only_blank_between(lines: list[Line], a: int, b: int) -> bool:
    return all(lines[i].kind in ("blank", "url") for i in range(a + 1, b))


def caption_lines(lines: list[Line], idx: int) -> list[int]:
    """A caption and its wrapped continuation («… 10-» / «17 år. Gjerningssted Bærum kommune.»)."""
    out = [idx]
    j = idx + 1
    while j < len(lines) and len(out) < 4:
        line = lines[j]
        if line.kind == "blank":
            j += 1
            continue
        prev = lines[out[-1]].text
        starts_low = line.text[:1].islower() or line.text[:1].isdigit()
        short_tail = prev.endswith(".") and line.words <= 5 and line.kind == "text"
        if line.kind in ("text", "fragment") and (starts_low or short_tail):
            nxt = significant(lines, j, 1)
            if short_tail and not starts_low and nxt is not None and nxt.text[:1].islower():
                break  # it starts a paragraph
            out.append(j)
            j += 1
            if not starts_low and not line.text.endswith("."):
                break
            continue
        break
    return out

"""Trace cleaned text back to a verbatim span of the source, for quoting.

Cleaning only joins lines, removes line-break hyphens and normalises bullets, so the letters and
digits of a cleaned sentence appear in the same order in the source. Matching on that skeleton
finds the span without keeping per-character offset maps in the index.

A search bounded by a chunk ([lo, hi)) builds the skeleton of that stretch only, so its cost does
not depend on the document's length or on how many documents there are. An unbounded search
caches whole-document skeletons, keyed by the source string object.
"""

from __future__ import annotations

from functools import lru_cache

from .textclean import ws


def _skeleton(text: str) -> tuple[str, list[int]]:
    chars, offsets = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            offsets.append(i)
    return "".join(chars), offsets


@lru_cache(maxsize=64)
def _doc_skeleton(source: str) -> tuple[str, tuple[int, ...]]:
    s, o = _skeleton(source)
    return s, tuple(o)


def _window_skeleton(source: str, lo: int, hi: int | None) -> tuple[str, "list[int] | tuple[int, ...]"]:
    """The skeleton of source[lo:hi], offsets into source."""
    if lo == 0 and hi is None:
        return _doc_skeleton(source)
    skel, offsets = _skeleton(source[lo:hi])
    return skel, [o + lo for o in offsets]


def find_span(source: str, text: str, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
    """The source span whose letters and digits spell text, searched within [lo, hi).

    When the whole text is not contiguous in the source (a footnote or a table was printed in the
    middle of the sentence), the longest matching prefix is returned.
    """
    target, _ = _skeleton(text)
    if not target:
        return None
    lo = max(0, lo)
    skel, offsets = _window_skeleton(source, lo, hi)
    a, b = 0, len(offsets)
    n = len(target)
    while n >= min(12, len(target)):
        pos = skel.find(target[:n], a, b)
        if pos >= 0:
            end = offsets[pos + n - 1] + 1
            while end < len(source) and source[end] in _CLOSING:
                end += 1
            return offsets[pos], end
        n = n * 3 // 4 if n > 24 else n - 4
    return None


MAX_QUOTE = 1500
_CLOSING = set(".!?)]»”\"'’")


def quote(source: str, texts: list[str], lo: int = 0, hi: int | None = None) -> str | None:
    """One verbatim span covering all the texts (sentences cited from one chunk), or the first
    text's span when they lie too far apart."""
    spans = [s for s in (find_span(source, t, lo, hi) for t in texts) if s]
    if not spans:
        return None
    a, b = min(s[0] for s in spans), max(s[1] for s in spans)
    if b - a > MAX_QUOTE:
        a, b = spans[0]
    return ws(source[a:b])

"""What the chat page shows, as safe Markdown: text from documents and questions is always plain text.

Streamlit renders strings as Markdown, so a corpus heading «![s](http://host/pixel.png)» or such a
question would make the browser fetch the image. Every string from outside the code goes through
`md_text`, which escapes all ASCII punctuation (CommonMark backslash escapes): no image, link,
autolink, HTML, math or emphasis can come from it. The only links on the page are the documents' own
http(s) links, made here by `md_link`.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import yaml

from .parts import LINE_LABEL_RE

PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
SAFE_URL_CHARS = "/:?#&=%+,;@!$*~.-_"


# what GitHub-flavoured Markdown would turn into a link even when escaped: URLs, www. names, e-mail addresses
URL_RE = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>]*[^\s<>.,;:!?)\]»\"']", re.I)
AUTOLINKABLE = re.compile(rf"{URL_RE.pattern}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)


def _escape(text: str) -> str:
    return PUNCTUATION.sub(r"\\\1", text)


def _code(text: str) -> str:
    """A code span: shown verbatim, never a link. The fence is longer than any backtick run inside."""
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_text(text: str) -> str:
    """Plain text for st.markdown/st.caption/labels: whitespace collapsed, Markdown and HTML inert,
    and URLs or e-mail addresses shown as code, since the Markdown renderer links them even when escaped."""
    flat = " ".join(str(text).split())
    out, at = [], 0
    for m in AUTOLINKABLE.finditer(flat):
        out.append(_escape(flat[at:m.start()]))
        out.append(_code(m.group(0)))
        at = m.end()
    out.append(_escape(flat[at:]))
    return "".join(out)


def answer_md(text: str) -> str:
    """An answer for st.markdown: its paragraphs and its «• » lines kept, each line made inert by md_text."""
    blocks = []
    for para in str(text).split("\n\n"):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        blocks.append("\n".join(f"- {md_text(ln[2:])}" if ln.startswith("• ") else md_text(ln) for ln in lines))
    return "\n\n".join(b for b in blocks if b)


def link_parts(link) -> tuple[str, str]:
    """(title, url) from a link given as a URL, a (title, url) pair or a {"title", "url"} dict."""
    if isinstance(link, dict):
        return str(link.get("title") or ""), str(link.get("url") or link.get("href") or "")
    if isinstance(link, (tuple, list)) and len(link) == 2:
        return str(link[0] or ""), str(link[1] or "")
    return "", str(link)


def link_title(url: str) -> str:
    """A readable title for a bare URL: «trygghetsprogrammet-veileder-2020.pdf» → «Trygghetsprogrammet veileder 2020 (PDF)»."""
    parts = urlsplit(url)
    name = unquote(PurePosixPath(parts.path).name)
    stem, _, ext = name.rpartition(".") if "." in name else (name, "", "")
    words = re.sub(r"[-_+]+", " ", stem).strip()
    letters = sum(ch.isalpha() for ch in words.replace(" ", ""))
    looks_like_id = re.search(r"[0-9a-f]{6,}", words.lower()) or letters < 0.7 * max(1, len(words.replace(" ", "")))
    if not words or (looks_like_id and ext.lower() not in ("pdf", "docx", "doc", "xlsx")):
        return parts.netloc.removeprefix("www.") or url
    title = words[0].upper() + words[1:]
    return f"{title} ({ext.upper()})" if ext.lower() in ("pdf", "docx", "doc", "xlsx") else title


def md_link(link) -> str:
    """A document's own link as Markdown; anything but http(s) is shown as text."""
    title, url = link_parts(link)
    title = title or link_title(url)
    if urlsplit(url).scheme not in ("http", "https"):
        return md_text(title or url)
    href = quote(url, safe=SAFE_URL_CHARS).replace("(", "%28").replace(")", "%29")
    return f"[{md_text(title)}]({href})"


def emphasise(text: str, parts) -> str:
    """Safe Markdown of `text` with each of `parts` (a string or several) in bold, whitespace-insensitive."""
    flat = " ".join(text.split())
    spans = []
    for part in [parts] if isinstance(parts, str) else parts:
        q = " ".join(part.split())
        at = flat.find(q) if q else -1
        if at >= 0 and not any(a < at + len(q) and at < b for a, b in spans):
            spans.append((at, at + len(q)))
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(md_text(flat[pos:a]) + (" " if flat[pos:a].endswith(" ") else ""))
        out.append(f"**{md_text(flat[a:b])}**" + (" " if flat[b:b + 1] == " " else ""))
        pos = b
    out.append(md_text(flat[pos:]))
    return "".join(out)


def cited_sentences(answer_text: str, n: int) -> list[str]:
    """The answer's sentences that carry the marker [n], without the marker."""
    pieces = re.split(r"\[(\d+)\]", answer_text)
    out = []
    for i in range(1, len(pieces), 2):
        if pieces[i] == str(n):
            text = pieces[i - 1].split("\n")[-1].strip().lstrip(".,;:• ").strip()
            if len(text) > 3:
                out.append(text)
                # a label the answer puts before it («Mer fra dokumentene: …») is not in the quote
                unlabelled = LINE_LABEL_RE.sub("", text)
                if unlabelled != text:
                    out.append(unlabelled)
    return out



# a sentence ends where the next one starts with a capital, a number or a bullet (not «bl.a. i», «ca. 200»)
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-ZÆØÅ«\"•\d])")


def surrounding(source: str, start: int, end: int, margin: int = 400) -> str:
    """The paragraph(s) around source[start:end]: out to the nearest blank line, at most `margin` more,
    and then to a sentence's end; only a window with no sentence end at all is cut at the margin."""
    lo = source.rfind("\n\n", max(0, start - margin), start)
    hi = source.find("\n\n", end, end + margin)
    if lo >= 0:
        lo += 2
    else:
        ends = list(_SENTENCE_END_RE.finditer(source, max(0, start - margin), start))
        lo = ends[0].end() if ends else max(0, start - margin)
    if hi < 0:
        ends = list(_SENTENCE_END_RE.finditer(source, end, min(len(source), end + margin)))
        hi = ends[-1].end() if ends else min(len(source), end + margin)
    return source[lo:hi].strip()


CARD_QUOTE = 300   # characters of a quote shown on a source card; all of it, in context, under «Vis mer»


def clipped(text: str, limit: int = CARD_QUOTE) -> str:
    """The text up to the last sentence end within limit, then « …» (at a word when no sentence ends)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    ends = list(_SENTENCE_END_RE.finditer(flat, 0, limit + 1))
    cut = ends[-1].end() if ends else flat.rfind(" ", 0, limit)
    return flat[: cut if cut > 0 else limit].rstrip() + " …"


def table_lines(text: str) -> str:
    """Safe Markdown of a table as its source lines, one row per line (run together, a table's numbers
    are unreadable)."""
    return "  \n".join(md_text(line.strip()) for line in text.splitlines() if line.strip())


def without_urls(text: str) -> str:
    """Text to read around a quote: web addresses (listed as links beside it) shown as «(lenke)», several in
    a row as one «(lenker)»."""
    text = re.sub(rf"\(?{URL_RE.pattern}\)?", "(lenke)", text, flags=re.I)
    return re.sub(r"\(lenke\)(?:\s*\(lenke\))+", "(lenker)", text)


def read_starters(path) -> dict[str, list[str]]:
    """Starter questions per user group from corpus/starters.yaml; none when the file is missing or broken."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(group): [str(q) for q in questions if str(q).strip()][:3]
            for group, questions in data.items() if isinstance(questions, list)}


def table_rows(figure: dict) -> tuple[list[str], list[list]]:
    """Header and rows of the table behind a figure answer, for display and CSV.

    Uses the figure's own "columns"/"rows" when the figure answerer gives them, else the one row
    with its series over the years."""
    columns, rows = figure.get("columns"), figure.get("rows")
    if isinstance(columns, list) and isinstance(rows, list) and rows:
        out = []
        for r in rows:
            if isinstance(r, dict):
                path = r.get("path")
                label = " › ".join(map(str, path)) if isinstance(path, (list, tuple)) and path else \
                    (r.get("label") or r.get("row") or "")
                values = r.get("values") or r.get("series") or {}
                out.append([label, *[values.get(str(c), values.get(c)) if isinstance(values, dict) else None
                                     for c in columns]])
            elif isinstance(r, (list, tuple)):
                out.append(list(r))
        if out:
            width = max(len(r) for r in out)
            header = ["Rad", *[str(c) for c in columns]]
            header = header if len(header) == width else header[:width] + [""] * (width - len(header))
            return header, out
    series = figure.get("series") or {}
    if not series:
        return [], []   # a figure refused («tabellene gjelder Bærum»): a table named, no row of it to show
    years = [str(y) for y in series]
    return ["Rad", *years], [[figure.get("row") or "", *series.values()]]


def csv_text(header: list[str], rows: list[list]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in r] for r in rows)
    return out.getvalue()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9æøå]+", "-", text.lower()).strip("-") or "tabell"

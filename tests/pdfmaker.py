"""Generated PDFs for the tests (fpdf2): pages of lines, each line with its own font size, an optional
header and footer repeated on every page, and metadata."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]


def _font_files() -> tuple[Path, Path] | None:
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    try:
        import matplotlib

        d = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
        if (d / "DejaVuSans.ttf").exists() and (d / "DejaVuSans-Bold.ttf").exists():
            return d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
    except ImportError:
        pass
    return None


class Writer:
    """A4 pages, one cell per line (no wrapping: a long table row runs on, as in a landscape table)."""

    def __init__(self, title: str | None = None, header: str | None = None, footer: str | None = None,
                 body_size: float = 9, pitch_mm: float = 5) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(False)
        fonts = _font_files()
        if fonts:
            self.pdf.add_font("body", "", str(fonts[0]))
            self.pdf.add_font("body", "B", str(fonts[1]))
            self.family, self.latin1 = "body", False
        else:  # the core fonts cover æøå in latin-1
            self.family, self.latin1 = "helvetica", True
        if title:
            self.pdf.set_title(title)
        self.header, self.footer, self.body_size, self.pitch = header, footer, body_size, pitch_mm

    def _text(self, text: str) -> str:
        if self.latin1:
            text = text.replace("–", "-").replace("•", "-").replace("’", "'").replace("“", '"').replace("”", '"')
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def page(self, lines: list[tuple[str, float | None]]) -> None:
        """lines: (text, font size or None for body text); an empty text is a blank line."""
        pdf = self.pdf
        pdf.add_page()
        if self.header:
            pdf.set_font(self.family, "", 7)
            pdf.set_xy(10, 5)
            pdf.cell(0, 4, self._text(self.header))
        if self.footer:
            pdf.set_font(self.family, "", 7)
            pdf.set_xy(10, 288)
            pdf.cell(0, 4, self._text(self.footer.format(page=pdf.page_no())))
        pdf.set_xy(10, 12)
        for text, size in lines:
            pdf.set_font(self.family, "B" if size else "", size or self.body_size)
            pdf.set_x(10)
            pdf.cell(0, self.pitch, self._text(text.rstrip()), new_x="LMARGIN", new_y="NEXT")

    def save(self, path: Path) -> Path:
        self.pdf.output(str(path))
        return path


def simple_pdf(path: Path, pages: list[str], title: str | None = None, heading_size: float = 15) -> Path:
    """One page per string; a first line starting with '# ' is a heading in a larger font."""
    w = Writer(title=title)
    for text in pages:
        lines = []
        for line in text.split("\n"):
            lines.append((line[2:], heading_size) if line.startswith("# ") else (line, None))
        w.page(lines)
    return w.save(path)


def report_pdf(txt: Path, out: Path, lines_per_page: int = 55, header: str | None = None,
               footer: str | None = "Side {page}") -> Path:
    """The report's own text as a PDF: one line per text line (blank lines kept as space), the
    headings the text parser finds in a larger font by level, a page break every lines_per_page
    lines, and a running header and footer on every page."""
    from assistant.lines import classify, split_lines
    from assistant.loaders import load_document
    from assistant.regions import find_regions
    from assistant.structure import find_headings

    doc = load_document(txt)
    lines = classify(split_lines(doc.text))
    levels = {h.line: h.level for h in find_headings(lines, find_regions(lines))}
    raw = doc.text.split("\n")
    assert len(raw) == len(lines)
    sizes = {1: 16, 2: 13, 3: 11.5}
    w = Writer(title=doc.title, header=header or doc.title, footer=footer)
    for start in range(0, len(raw), lines_per_page):
        w.page([(raw[i], sizes[levels[i]] if i in levels else None)
                for i in range(start, min(len(raw), start + lines_per_page))])
    return w.save(out)

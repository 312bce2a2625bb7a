"""The annual report as a PDF, the way the assistant really gets its documents: generated from the
report's own text (headings in a larger font, a page break every 55 lines, a running header and a page
number in the footer), read by the PDF reader and compared with the text version it came from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from assistant.evals import load_questions
from assistant.loaders import load_document
from assistant.structure import parse
from assistant.textclean import ws
from pdfmaker import report_pdf

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "slt-arsrapport-baerum-2024.txt"
QUESTIONS = ROOT / "evals" / "questions.jsonl"
HEADER = "SLT årsrapport 2024 – Bærum kommune"


@pytest.fixture(scope="module")
def report_as_pdf(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("report-pdf")
    (home / "corpus").mkdir()
    pdf = report_pdf(REPORT, home / "corpus" / "slt-arsrapport-baerum-2024.pdf", header=HEADER)
    meta = yaml.safe_load((ROOT / "corpus" / "sources.yaml").read_text(encoding="utf-8"))
    (home / "corpus" / "sources.yaml").write_text(
        yaml.safe_dump({pdf.name: meta[REPORT.name]}, allow_unicode=True), encoding="utf-8")
    return pdf


@pytest.fixture(scope="module")
def pdf_assistant(report_as_pdf):
    """The PDF instead of the .txt, embedded once with the default embedder."""
    from assistant.config import Settings
    from assistant.index import ingest
    from assistant.pipeline import Assistant

    corpus = report_as_pdf.parent
    settings = Settings.from_env(corpus=corpus, index=corpus.parent / "index")
    report = ingest(settings)
    assert report.added == [report_as_pdf.name] and not report.skipped
    return Assistant(settings)


class PdfPages:
    """The PDF's text page by page straight from pypdf, independent of the reader under test."""

    def __init__(self, pdf: Path) -> None:
        from pypdf import PdfReader

        texts = []
        for n, page in enumerate(PdfReader(str(pdf)).pages, start=1):
            text = (page.extract_text() or "").replace(HEADER, "", 1)
            texts.append(ws(re.sub(rf"(^|\n)Side {n}(\n|$)", "\n", text, count=1)))
        self.text = " ".join(texts)
        self.starts, pos = [], 0
        for t in texts:
            self.starts.append(pos)
            pos += len(t) + 1

    def pages_of(self, quote: str) -> set[int]:
        """The pages on which the quote begins (it may occur more than once)."""
        words = ws(quote).split()
        head = " ".join(words[:8])
        found, i = set(), self.text.find(head)
        while i >= 0:
            found.add(sum(1 for s in self.starts if s <= i))
            i = self.text.find(head, i + 1)
        return found


@pytest.fixture(scope="module")
def answers(pdf_assistant, assistant):
    """Every eval question asked of both indexes once: {id: (text answer, pdf answer)}."""
    return {q["id"]: (assistant.ask(q["question"]), pdf_assistant.ask(q["question"]), q)
            for q in load_questions(QUESTIONS)}


def test_the_pdf_reads_into_the_same_outline_as_the_text(report_as_pdf):
    text_doc, pdf_doc = load_document(REPORT), load_document(report_as_pdf)
    assert len(pdf_doc.page_starts) > 60
    assert HEADER not in pdf_doc.text and not re.search(r"^Side \d+$", pdf_doc.text, re.M)
    text_sections, pdf_sections = parse(text_doc), parse(pdf_doc)
    assert [s.path for s in pdf_sections] == [s.path for s in text_sections]
    text_chunks = {ws(c.text) for s in text_sections for c in s.chunks}
    pdf_chunks = [ws(c.text) for s in pdf_sections for c in s.chunks]
    same = sum(c in text_chunks for c in pdf_chunks)
    assert same >= 0.9 * len(text_chunks), (same, len(text_chunks))
    tables = lambda secs: sorted({c.table for s in secs for c in s.chunks if c.table})
    assert tables(pdf_sections) == tables(text_sections)


def _answer_ok(answer, q) -> bool:
    facts = all(ws(f).lower() in ws(answer.answer).lower() for f in q["facts"])
    return facts and answer.refused != q.get("answerable", True)


def test_answers_from_the_pdf_match_the_text(answers):
    answerable = {i: v for i, v in answers.items() if v[2].get("answerable", True)}
    same = [i for i, (t, p, _) in answerable.items() if ws(t.answer) == ws(p.answer)]
    ok_text = sum(_answer_ok(t, q) for t, _, q in answers.values())
    ok_pdf = sum(_answer_ok(p, q) for _, p, q in answers.values())
    print(f"\nsame answer: {len(same)}/{len(answerable)}; answers with their facts: text {ok_text}, pdf {ok_pdf}")
    assert len(same) >= 0.85 * len(answerable)
    assert sum(p.refused for _, p, _ in answerable.values()) <= sum(t.refused for t, _, _ in answerable.values()) + 1
    assert all(p.refused for _, p, q in answers.values() if not q.get("answerable", True))
    assert ok_pdf >= ok_text - 2


def test_every_citation_carries_the_page_its_quote_stands_on(answers, report_as_pdf):
    pdf = PdfPages(report_as_pdf)
    wrong, checked = [], 0
    for _, answer, q in answers.values():
        for c in answer.citations:
            on = pdf.pages_of(c.quote)
            assert on, (q["id"], "quote not found in the PDF", c.quote[:120])
            checked += 1
            if c.page not in on:
                wrong.append((q["id"], c.page, sorted(on), c.quote[:80]))
    print(f"\n{checked} citations, {len(wrong)} on the wrong page")
    for w in wrong:
        print(w)
    assert checked >= 60
    assert not wrong


def test_a_guide_read_by_layout(tmp_path):
    """Headings by font size, header and footer gone, a word hyphenated over a page break joined,
    and «rus- og» left alone."""
    from pdfmaker import Writer

    w = Writer(title="Veileder", header="Veileder ved bekymring – Bærum kommune", footer="Side {page} av 4")
    w.page([("1. Innledning", 16), ("", None), ("Denne veilederen er for ansatte i skolen og barnehagen i hele kommunen.", None),
            ("Den sier hva du gjør ved bekymring for en elev, og hvem du kan ringe.", None)])
    w.page([("Hvem kontakter jeg", 13), ("", None), ("Snakk først med nærmeste leder, som kjenner rutinene på skolen. Arbeidet er", None),
            ("en del av det langsiktige og systematiske kriminalitets-", None)])
    w.page([("forebyggende arbeidet i kommunen, sammen med politiet og SLT-koordinator.", None), ("", None), ("Tiltakene i denne veilederen gjelder både forebygging av", None),
            ("rus-", None)])
    w.page([("og kriminalitetsforebygging i skolen, fra første klasse til siste år.", None), ("", None), ("2. Oppfølging", 16), ("", None),
            ("Konsultasjonsteamet drøfter saken anonymt innen en uke etter at du har meldt den.", None)])
    doc = load_document(w.save(tmp_path / "veileder.pdf"))
    assert "Bærum kommune" not in doc.text and "Side" not in doc.text
    lines = re.split(r"[\n\f]", doc.text)
    assert "# 1. Innledning" in lines and "## Hvem kontakter jeg" in lines and "# 2. Oppfølging" in lines
    joined = doc.text.index("systematiske kriminalitetsforebyggende\farbeidet i kommunen")
    assert doc.page_at(joined) == 2
    assert "rus-\f" in doc.text or "rus-\n" in doc.text  # a suspended compound is not a hyphenated word
    sections = parse(doc)
    assert [s.path for s in sections if s.chunks] == [
        ("1. Innledning",), ("1. Innledning", "Hvem kontakter jeg"), ("2. Oppfølging",)]
    chunk = next(c for s in sections for c in s.chunks if "Konsultasjonsteamet" in c.text)
    assert chunk.page == 4


def test_a_pdf_in_one_font_size_gets_no_marked_headings(tmp_path):
    from pdfmaker import Writer

    w = Writer()
    w.page([("Innledning", None), ("", None), ("Dette er en kort tekst om forebygging.", None)])
    doc = load_document(w.save(tmp_path / "enkel.pdf"))
    assert "#" not in doc.text and "Innledning" in doc.text

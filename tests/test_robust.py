"""Bad files, hostile input and slow servers: each is handled with one Norwegian sentence, and nothing
else is lost (the other documents are still indexed and the other questions still answered)."""

import contextlib
import io
import json
import os
import re
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli import format_answer, main
from assistant.config import CHUNK_MAX_CHARS
from assistant.errors import InvalidQuestion
from assistant.question import EXAMPLE, MAX_QUESTION_CHARS

ROOT = Path(__file__).resolve().parents[1]
SECRET = "Zqxjvhemmelighet"          # text in a file outside the corpus that must never be indexed


def _pdf(path: Path, text: str, **encryption) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A tiny corpus of good files next to every kind of bad one, ingested once through the CLI."""
    home = tmp_path_factory.mktemp("hostile")
    corpus, outside = home / "corpus", home / "utenfor"
    corpus.mkdir()
    outside.mkdir()
    (outside / "passwd").write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    (corpus / "notat.txt").write_text(
        "Fryktkapital\n\nFryktkapital er et tiltak for ungdom i Bærum. Tiltaket gir trygghet og mestring.\n",
        encoding="utf-8")
    (corpus / "kontroll.md").write_bytes(
        "# Nattravnene\n\nNattravnene\x00 går tur\x07 i sentrum\x1b hver fredag.\n".encode())
    (corpus / "windows.txt").write_bytes("Trygghetsvandring i Bærum skjer om høsten.\n".encode("cp1252"))
    (corpus / "binar.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "stor.txt").write_text("Stor fil om ingenting. " * 9000, encoding="utf-8")   # ~200 KB
    (corpus / "passwd.txt").symlink_to(outside / "passwd")
    (corpus / "alias.txt").symlink_to(corpus / "notat.txt")
    os.mkfifo(corpus / "fifo.txt")                                    # would block a reader forever
    _pdf(corpus / "eier.pdf", "Konsultasjonsteamet gir råd til ansatte. " * 3, owner_password="eier")
    _pdf(corpus / "bruker.pdf", f"{SECRET} bak passord. " * 3, owner_password="eier", user_password="bruker")
    _pdf(corpus / "skadet.pdf", "Ungdomsteamet jobber ute om kvelden. " * 3)
    damaged = re.sub(rb"startxref\s+\d+", b"startxref\n999", (corpus / "skadet.pdf").read_bytes())
    (corpus / "skadet.pdf").write_bytes(damaged)                        # pypdf recovers, with English warnings
    (corpus / "sources.yaml").write_text('notat.txt:\n  title: "Fryktkapital-notat"\n  year: "2023"\n',
                                         encoding="utf-8")
    index = home / "index"
    with pytest.MonkeyPatch.context() as mp:
        for var in ("ASSISTANT_LLM", "ASSISTANT_CHROMA_HOST", "ASSISTANT_EMBEDDER", "ASSISTANT_BM25_COMPOUNDS"):
            mp.delenv(var, raising=False)
        mp.setenv("ASSISTANT_MAX_FILE_MB", "0,1")
        code, out, err = _run(["ingest", "--corpus", str(corpus), "--index", str(index)])
    from assistant.config import Settings
    from assistant.retrieve import Retriever

    settings = Settings.from_env(corpus=corpus, index=index)
    return {"code": code, "out": out, "err": err, "settings": settings, "retriever": Retriever(settings),
            "corpus": corpus}


def _texts(retriever) -> list[str]:
    return [c.text for c in retriever.chunks.values()]


def _good_documents_indexed(retriever) -> None:
    texts = " ".join(_texts(retriever))
    for word in ("Fryktkapital", "Nattravnene", "Trygghetsvandring i Bærum", "Konsultasjonsteamet", "Ungdomsteamet"):
        assert word in texts, word
    top = retriever.search("Fryktkapital for ungdom", k=1)[0].chunk
    assert "Fryktkapital" in top.text


def _skip_lines(err: str, name: str) -> list[str]:
    return [line for line in err.splitlines() if name in line]


def test_symlinks_are_not_followed_out_of_the_corpus(hostile):
    assert hostile["code"] == 0, hostile["err"]
    (line,) = _skip_lines(hostile["err"], "passwd.txt")
    assert "passwd.txt er en symbolsk lenke og blir ikke lest" in line
    assert len(_skip_lines(hostile["err"], "alias.txt")) == 1
    assert not _skip_lines(hostile["err"], "fifo.txt")
    index = hostile["settings"].index_dir
    for path in index.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    _good_documents_indexed(hostile["retriever"])


def test_files_over_the_size_limit_are_skipped_with_a_message(hostile):
    (line,) = _skip_lines(hostile["err"], "stor.txt")
    assert "over grensen på 0,1 MB" in line and "ASSISTANT_MAX_FILE_MB" in line
    assert not any("Stor fil om ingenting" in t for t in _texts(hostile["retriever"]))
    _good_documents_indexed(hostile["retriever"])


def test_control_characters_are_removed_and_other_encodings_read(hostile):
    retriever = hostile["retriever"]
    for chunk in retriever.chunks.values():
        assert not re.search(r"[\x00-\x08\x0b\x0d-\x1f\x7f]", chunk.text + retriever.source(chunk.doc_id))
    assert any("Nattravnene går tur i sentrum hver fredag" in t for t in _texts(retriever))
    assert any("Trygghetsvandring i Bærum skjer om høsten" in t for t in _texts(retriever))   # Windows-1252
    (line,) = _skip_lines(hostile["err"], "binar.txt")
    assert "ser ikke ut som tekst" in line
    _good_documents_indexed(retriever)


def test_pdf_with_only_an_owner_password_is_read_and_pypdf_stays_quiet(hostile):
    assert any("Konsultasjonsteamet gir råd til ansatte" in t for t in _texts(hostile["retriever"]))
    (line,) = _skip_lines(hostile["err"], "bruker.pdf")
    assert "bruker.pdf er passordbeskyttet" in line
    assert any("Ungdomsteamet" in t for t in _texts(hostile["retriever"]))      # the damaged PDF, recovered
    assert "startxref" not in hostile["err"] and "Traceback" not in hostile["err"]
    assert all(not re.search(r"[A-Za-z]+ (pointer|found|object|stream)\b", line)
               for line in hostile["err"].splitlines()), hostile["err"]


def test_each_skipped_file_is_reported_once(hostile):
    for name in ("passwd.txt", "alias.txt", "stor.txt", "binar.txt", "bruker.pdf"):
        assert len(_skip_lines(hostile["err"], name)) == 1, hostile["err"]


def test_metadata_year_as_text_is_read(hostile):
    chunks = [c for c in hostile["retriever"].chunks.values() if "Fryktkapital" in c.text]
    assert chunks and all(c.year == 2023 and c.doc_title == "Fryktkapital-notat" for c in chunks)


@pytest.mark.parametrize("yaml_text, message", [
    ("notat.txt: Fryktkapital-notat\n", "må «notat.txt» ha feltene under seg"),
    ("notat.txt:\n  year: tjuetjuefire\n", "må year for «notat.txt» være et årstall"),
    ("notat.txt:\n  title: [\n", "er ikke gyldig YAML (linje"),
    ("- notat.txt\n", "må ha filnavn som nøkler"),
])
def test_broken_sources_yaml_is_one_norwegian_sentence_and_keeps_the_index(hostile, yaml_text, message):
    corpus, settings = hostile["corpus"], hostile["settings"]
    original = (corpus / "sources.yaml").read_text(encoding="utf-8")
    try:
        (corpus / "sources.yaml").write_text(yaml_text, encoding="utf-8")
        code, _, err = _run(["ingest", "--corpus", str(corpus), "--index", str(settings.index_dir)])
        outline_code, _, outline_err = _run(["outline", "--corpus", str(corpus)])
    finally:
        (corpus / "sources.yaml").write_text(original, encoding="utf-8")
    assert code == 2 and outline_code == 2
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert message in outline_err
    from assistant.retrieve import Retriever

    _good_documents_indexed(Retriever(settings))


# --- questions ------------------------------------------------------------------------------------


def _stdin(monkeypatch, data: bytes) -> None:
    """A strict UTF-8 stdin, as a terminal or pipe gives Python: invalid bytes would raise."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict"))


def test_batch_answers_every_line_after_a_bad_one(report_index, monkeypatch, capsys):
    index = str(report_index[0].index_dir)
    lines = [b"Hva er Utsett?", b"\xff\xfe Hva?", b"x" * (MAX_QUESTION_CHARS + 1),
             b"Hva er Utsett?\x00", b"Hvor mange anmeldelser for vold i 2024?"]
    _stdin(monkeypatch, b"\n".join(lines) + b"\n")
    code = main(["ask", "--json", "-", "--index", index])
    out, err = capsys.readouterr()
    assert "\x00" not in out and "Traceback" not in err
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) == len(lines) and code == 2
    assert "\ufffd" in objs[1]["question"] and "answer" in objs[1]
    assert "for langt" in objs[2]["error"] and f"høyst {MAX_QUESTION_CHARS} tegn" in objs[2]["error"]
    assert "Feil på linje 3: Spørsmålet er for langt" in err
    for i in (0, 3):
        assert not objs[i]["refused"] and "Utsett" in objs[i]["answer"]
    assert objs[4]["figure"] and not objs[4]["refused"]


def test_invalid_bytes_in_a_cli_argument_and_the_chat(report_index, monkeypatch, capsys):
    index = str(report_index[0].index_dir)
    code = main(["ask", os.fsdecode(b"Hva er Utsett?\xff"), "--index", index])   # as Python decodes argv
    out, err = capsys.readouterr()
    assert code == 0 and "Utsett" in out and not err
    _stdin(monkeypatch, b"Hva er \xffUtsett?\n\n")
    code = main(["chat", "--index", index])
    out, err = capsys.readouterr()
    assert code == 0 and "Utsett" in out and "Traceback" not in err
    out.encode("utf-8")                                  # printable: no lone surrogates


def test_question_length_is_limited_in_one_place(assistant):
    with pytest.raises(InvalidQuestion, match=f"for langt .*høyst {MAX_QUESTION_CHARS} tegn"):
        assistant.ask("Hva er Utsett? " + "b " * 100_000)            # 200,000 characters
    ok = "Hva er Utsett?" + " " * 10 + "x" * (MAX_QUESTION_CHARS - 25)
    assert len(ok) < MAX_QUESTION_CHARS and assistant.ask(ok) is not None
    with pytest.raises(InvalidQuestion, match="Spørsmålet er tomt"):
        assistant.ask(" \x00 \n")
    assert not assistant.ask("Hva er Utsett?").refused


def test_messages_propose_a_question_that_is_answered(assistant, report_index, capsys):
    with pytest.raises(InvalidQuestion) as exc:
        assistant.ask("   ")
    assert f"«{EXAMPLE}»" in str(exc.value)
    assert not assistant.ask(EXAMPLE).refused
    code = main(["ask", "  ", "--index", str(report_index[0].index_dir)])
    assert code == 2 and f"«{EXAMPLE}»" in capsys.readouterr().err


def test_a_question_in_english_is_asked_for_in_norwegian(assistant):
    from assistant.norwegian import in_english
    from assistant.pipeline import IN_ENGLISH

    a = assistant.ask("what does the municipality do about youth crime?")
    assert a.refused and a.answer == IN_ENGLISH and not a.citations
    # English loans in a Norwegian message are Norwegian
    assert not in_english("hvordan er gaming og memes på snapchat koblet til radikalisering")
    assert not in_english("hva er SLT")


def test_nul_from_an_old_index_is_never_printed(assistant):
    a = assistant.ask("Hva er Utsett?")
    a = replace(a, answer=a.answer + "\x00\x1b[2J", citations=[replace(c, quote=c.quote + "\x00") for c in a.citations])
    text = format_answer(a)
    assert "\x00" not in text and "\x1b" not in text and "Utsett" in text


# --- CLI errors -----------------------------------------------------------------------------------


def test_search_k_must_be_positive(report_index, capsys):
    index = str(report_index[0].index_dir)
    for k in ("-1", "0", "1000"):
        assert main(["search", "Utsett", "--k", k, "--index", index]) == 2
        assert "--k må være et heltall fra 1 til" in capsys.readouterr().err
    assert main(["search", "Utsett", "--k", "3", "--index", index]) == 0
    assert len(re.findall(r"^\d+\. \[", capsys.readouterr().out, re.M)) == 3


def test_eval_with_a_missing_or_broken_questions_file(report_index, tmp_path, capsys):
    index = str(report_index[0].index_dir)
    assert main(["eval", "--questions", str(tmp_path / "mangler.jsonl"), "--index", index]) == 2
    assert "Fant ikke spørsmålsfilen" in capsys.readouterr().err
    broken = tmp_path / "q.jsonl"
    broken.write_text('{"id": "a", "category": "x", "question": "Hva er Utsett?", "facts": [], "evidence": []}\n{oops\n',
                      encoding="utf-8")
    assert main(["eval", "--questions", str(broken), "--index", index]) == 2
    err = capsys.readouterr().err
    assert "Linje 2" in err and "Traceback" not in err
    good = tmp_path / "ok.jsonl"
    good.write_text(broken.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main(["eval", "--questions", str(good), "--index", index]) == 0
    assert "| alle | 1 |" in capsys.readouterr().out


# --- bounded work ---------------------------------------------------------------------------------


@pytest.fixture
def silent_server():
    """A server that accepts connections and reads, but never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    held, stop = [], threading.Event()

    def serve():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1", held
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    sock.close()


def test_a_language_model_that_never_answers_costs_the_deadline_only(report_index, assistant, silent_server):
    from assistant.pipeline import Assistant

    url, held = silent_server
    settings = replace(report_index[0], llm="openai:stum", llm_base_url=url, llm_timeout=1.0)
    slow = Assistant(settings)
    t0 = time.perf_counter()
    a = slow.ask("Hva er Utsett?")
    seconds = time.perf_counter() - t0
    for _ in range(50):                          # the server thread may accept a little later
        if held:
            break
        time.sleep(0.1)
    assert held, "the request reached the server"
    assert a.mode == "extractive" and a.fallback == "språkmodellen svarte ikke innen 1 sekund"
    assert a.answer == assistant.ask("Hva er Utsett?").answer
    assert seconds < 30, seconds                 # the deadline plus answering (was 2 × 120 s), with room for a busy machine
    assert "innen 1 sekund" in format_answer(a)


def test_numeric_settings_are_checked_before_any_work(monkeypatch, tmp_path):
    from assistant.config import Settings
    from assistant.errors import AssistantError
    from assistant.loaders import corpus_files

    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "abc")
    with pytest.raises(AssistantError, match="ASSISTANT_LLM_TIMEOUT må være et positivt tall"):
        Settings.from_env()
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "2,5")
    assert Settings.from_env().llm_timeout == 2.5
    monkeypatch.setenv("ASSISTANT_MAX_FILE_MB", "-3")
    with pytest.raises(AssistantError, match="ASSISTANT_MAX_FILE_MB må være et positivt tall"):
        corpus_files(tmp_path)


def test_a_file_without_line_breaks_is_chunked_like_any_other(tmp_path):
    from assistant.loaders import load_document
    from assistant.structure import CUT_MAX, chunk_document

    report = (ROOT / "corpus" / "slt-arsrapport-baerum-2024.txt").read_text(encoding="utf-8")
    one_line = " ".join(report.split())
    path = tmp_path / "en-linje.txt"
    path.write_text(one_line, encoding="utf-8")
    chunks = chunk_document(load_document(path))
    assert len(chunks) > 50
    assert max(len(c.text) for c in chunks) <= CHUNK_MAX_CHARS + CUT_MAX
    # every letter is kept, in order (a word longer than a piece, like a long URL, may be cut, and a
    # hyphen at a cut is read like one at a line break), and each chunk's spans point at its own text
    letters = lambda text: re.sub(r"[\s-]", "", text)  # noqa: E731
    assert letters("".join(c.text for c in chunks)) == letters(one_line)
    for c in chunks[:20]:
        assert letters("".join(one_line[a:b] for a, b in c.spans)) == letters(c.text)


def test_links_go_to_the_chunk_that_names_them_else_the_one_before(tmp_path):
    from assistant.loaders import load_document
    from assistant.structure import chunk_document

    filler = "Dette er en setning om forebygging i kommunen. " * 22
    text = (
        "https://example.no/tidlig.pdf\n\n"
        f"1. Kapittel om skole\n\n{filler}\nSe veilederen Bekymringsveileder for ansatte.\n\n"
        f"2. Kapittel om foreldre\n\n{filler}\nForeldremøtet er viktig.\n"
        "https://example.no/foreldremote.pdf\n\n"
        f"3. Kapittel om fritid\n\n{filler}\n"
        "https://example.no/dokumenter/bekymringsveileder.pdf\n"
    )
    path = tmp_path / "lenker.txt"
    path.write_text(text, encoding="utf-8")
    chunks = chunk_document(load_document(path))
    owner = {url: [c for c in chunks if url in c.links] for c in chunks for url in c.links}
    named = owner["https://example.no/dokumenter/bekymringsveileder.pdf"]
    assert [("Bekymringsveileder" in c.text) for c in named] == [True]       # named, far before the URL
    (before,) = owner["https://example.no/foreldremote.pdf"]
    assert "Foreldremøtet er viktig" in before.text                          # no name: the chunk before
    (first,) = owner["https://example.no/tidlig.pdf"]
    assert first is chunks[0]                                                # before any chunk: the first


# --- harmless additions keep the answer -----------------------------------------------------------


def _typo(question: str) -> str:
    """Swap two letters in the middle of the question's longest word (six letters or more)."""
    words = question.split(" ")
    i = max(range(len(words)), key=lambda k: (len(words[k].strip("?.,!»«")), -k))
    w = words[i]
    if len(w.strip("?.,!»«")) < 6:
        return question
    m = len(w) // 2
    words[i] = w[: m - 1] + w[m] + w[m - 1] + w[m + 1 :]
    return " ".join(words)


PERTURBATIONS = {
    "« Takk!»": lambda q: q + " Takk!",
    "« Svar kort.»": lambda q: q + " Svar kort.",
    "skrivefeil": _typo,
    "små bokstaver": str.lower,
}


@pytest.fixture(scope="module")
def perturbed(request):
    """answer_ok per perturbation for the eval's answerable questions that are answered as written."""
    from assistant.evals import evaluate, load_questions

    assistant = request.getfixturevalue("assistant")
    questions = [q for q in load_questions(ROOT / "evals" / "questions.jsonl") if q.get("answerable", True)]
    base = {r["id"]: r["answer_ok"] for r in evaluate(assistant, questions, modes=())}
    kept = [q for q in questions if base[q["id"]]]
    out = {}
    for name, change in PERTURBATIONS.items():
        rows = evaluate(assistant, [{**q, "question": change(q["question"])} for q in kept], modes=())
        out[name] = (sum(r["answer_ok"] for r in rows), len(rows))
    return out


# Measured 2026-11-27 (80 answerable questions answered as written): « Takk!», « Svar kort.» and lower
# case keep every answer; a typo in the longest word keeps 78 of 80 since misspelt words are read as the
# documents' words (31 without). A perturbation listed here is xfail (strict=False: a fix turns it into a pass).
KNOWN_FRAGILE: dict[str, str] = {}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=False, reason=KNOWN_FRAGILE[name]))
    if name in KNOWN_FRAGILE else name
    for name in PERTURBATIONS
])
def test_harmless_additions_keep_the_answer(perturbed, name):
    ok, n = perturbed[name]
    assert ok >= 0.95 * n, f"{name}: {ok} av {n} svar beholdt"

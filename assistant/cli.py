"""Command line: assistant ingest | outline | search | ask | chat | tables | eval | app | run."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from .config import Settings
from .errors import AssistantError
from .question import check_question, clean_text
from .types import Answer


def _settings(args) -> Settings:
    return Settings.from_env(corpus=getattr(args, "corpus", None), index=getattr(args, "index", None))


def cmd_ingest(args) -> int:
    from .index import ingest

    logged: list[str] = []

    def log(message: str) -> None:
        logged.append(message)
        print(clean_output(message), file=sys.stderr)

    report = ingest(_settings(args), log=log)
    print(
        f"Ferdig på {report.seconds:.1f} s: {len(report.added)} nye, {len(report.updated)} endret, "
        f"{len(report.removed)} fjernet, {len(report.unchanged)} uendret dokument(er); "
        f"{report.embedded_chunks} tekstbiter embeddet, {report.total_chunks} i indeksen."
    )
    for name, reason in report.skipped.items():   # each skipped file once, also when ingest logged it
        if not any(name in m and reason in m for m in logged):
            print(clean_output(f"Hoppet over {name}: {reason}"), file=sys.stderr)
    return 0


def cmd_outline(args) -> int:
    from .loaders import corpus_files, load_document, read_metadata
    from .errors import UnreadableDocument
    from .structure import parse

    settings = _settings(args)
    meta = read_metadata(settings.corpus_dir)
    for path in corpus_files(settings.corpus_dir):
        try:
            doc = load_document(path, meta.get(path.name, {}))
        except UnreadableDocument as exc:
            print(f"{path.name}: {exc}", file=sys.stderr)
            continue
        sections = parse(doc)
        total = sum(len(s.chunks) for s in sections)
        print(f"{doc.title} ({path.name}) – {len(sections)} seksjoner, {total} tekstbiter")
        for s in sections:
            tables = sorted({c.table for c in s.chunks if c.table})
            extra = f"  [{', '.join(tables)}]" if tables else ""
            print(f"{'  ' * len(s.path)}{s.path[-1]} ({len(s.chunks)}){extra}")
    return 0


MAX_K = 100


def cmd_search(args) -> int:
    from .retrieve import Retriever

    if not 1 <= args.k <= MAX_K:
        raise AssistantError(f"--k må være et heltall fra 1 til {MAX_K}, for eksempel --k 5.")
    query = check_question(args.query)
    retriever = Retriever(_settings(args))
    hits = retriever.search(query, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps([{**h.chunk.to_dict(), "score": h.score} for h in hits], ensure_ascii=False))
        return 0
    for i, h in enumerate(hits, 1):
        c = h.chunk
        where = c.section_path + (f", s. {c.page}" if c.page else "") + (f", {c.table}" if c.table else "")
        print(clean_output(f"{i}. [{h.score:.3f}] {c.doc_title} › {where} ({c.kind})"))
        print(clean_output("   " + c.text[:300].replace("\n", "\n   ") + ("…" if len(c.text) > 300 else "")))
    return 0


def format_answer(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("Kilder:")
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.document} – {c.where}")
            lines.append(f"    «{c.quote}»")
            for link in c.links:
                lines.append(f"    Lenke: {link}")
    if answer.fallback:
        lines.append(f"\n(Språkmodellens svar ble ikke brukt fordi {answer.fallback}; svaret er hentet direkte fra dokumentene.)")
    return clean_output("\n".join(lines))


def clean_output(text: str) -> str:
    """Text for the terminal: no NUL or other control characters (an old index may hold them)."""
    return "\n".join(clean_text(line) for line in text.split("\n"))


def cmd_ask(args) -> int:
    from .pipeline import Assistant

    if args.question == "-":
        return _ask_batch(Assistant(_settings(args)))
    question = check_question(args.question)   # before the index and models are loaded
    answer = Assistant(_settings(args)).ask(question)
    print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer))
    return 0


def _ask_batch(assistant) -> int:
    """One JSON answer per non-empty stdin line. A line that cannot be answered (too long, no words)
    gets {"question", "error"} and the batch goes on; the exit code is 2 when any line failed."""
    failed = 0
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        line = clean_text(raw.decode("utf-8", "replace")).strip()
        if not line:
            continue
        try:
            out = assistant.ask(line).to_dict()
        except AssistantError as exc:
            failed += 1
            print(f"Feil på linje {n}: {exc}", file=sys.stderr)
            out = {"question": line[:200], "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 2 if failed else 0


def cmd_chat(args) -> int:
    from .chat import Conversation
    from .pipeline import Assistant

    assistant = Assistant(_settings(args))
    conversation = Conversation()
    print("SLT-assistenten. Still et spørsmål (tom linje eller Ctrl-D avslutter).")
    while True:
        try:
            q = input("\nDu: ").strip()
        except EOFError:
            break
        if not q:
            break
        answer = assistant.ask(q, conversation)
        if answer.searched and answer.searched != q:
            print(f"(Søkte etter: {answer.searched})")
        print("\n" + format_answer(answer))
    return 0


def cmd_tables(args) -> int:
    from .tables import format_table, load_tables

    tables = load_tables(_settings(args))
    if not args.label:
        for t in tables:
            print(f"{t.label}: {t.caption or ''} ({len(t.rows)} rader, kolonner {', '.join(t.columns)})")
        return 0
    wanted = [t for t in tables if t.label.lower() == args.label.lower() or t.id == args.label]
    if not wanted:
        raise AssistantError(f"Fant ingen tabell som heter «{args.label}». Se «assistant tables» for en liste.")
    for t in wanted:
        print(format_table(t))
    return 0


EVAL_KEYS = ("id", "category", "question", "facts", "evidence")


def cmd_eval(args) -> int:
    from .evals import run_eval

    path = Path(args.questions)
    _check_questions_file(path)
    if args.out and not Path(args.out).resolve().parent.is_dir():
        raise AssistantError(f"Mappen for --out finnes ikke: {Path(args.out).resolve().parent}. Opprett den først.")
    return run_eval(_settings(args), path, compare=args.compare, out=args.out)


def _check_questions_file(path: Path) -> None:
    """A readable JSONL file of eval questions, or one Norwegian sentence saying what is wrong."""
    if not path.is_file():
        raise AssistantError(
            f"Fant ikke spørsmålsfilen {path}. Oppgi en fil med --questions, for eksempel evals/questions.jsonl."
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"Klarte ikke å lese {path} som UTF-8-tekst. Sjekk filen.") from exc
    count = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            item = None
        if not isinstance(item, dict) or any(k not in item for k in EVAL_KEYS):
            raise AssistantError(
                f"Linje {n} i {path} er ikke et gyldig spørsmål: hver linje må være et JSON-objekt med "
                f"{', '.join(EVAL_KEYS)}."
            )
        count += 1
    if not count:
        raise AssistantError(f"{path} inneholder ingen spørsmål.")


def cmd_app(args) -> int:
    app = Path(__file__).with_name("app.py")
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.host,
           "--server.port", str(args.port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.call(cmd, env=env)


def cmd_run(args) -> int:
    cmd_ingest(args)
    return cmd_app(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="SLT-assistenten: spørsmål og svar med kilder.")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--corpus", help="dokumentmappe (standard: corpus/ eller ASSISTANT_CORPUS)")
        sp.add_argument("--index", help="indeksmappe (standard: index/ eller ASSISTANT_INDEX)")
        sp.set_defaults(func=func)
        return sp

    add("ingest", cmd_ingest, "bygg eller oppdater indeksen fra corpus/")
    add("outline", cmd_outline, "vis disposisjonen som ble funnet i hvert dokument")
    sp = add("search", cmd_search, "vis de mest relevante tekstbitene")
    sp.add_argument("query")
    sp.add_argument("--k", type=int, default=5)
    sp.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    sp.add_argument("--json", action="store_true")
    sp = add("ask", cmd_ask, "still ett spørsmål (- leser ett spørsmål per linje fra stdin)")
    sp.add_argument("question")
    sp.add_argument("--json", action="store_true")
    add("chat", cmd_chat, "samtale i terminalen")
    sp = add("tables", cmd_tables, "list statistikktabellene, eller vis én")
    sp.add_argument("label", nargs="?")
    sp = add("eval", cmd_eval, "mål svarkvaliteten på evals/questions.jsonl")
    sp.add_argument("--questions", default="evals/questions.jsonl")
    sp.add_argument("--compare", action="store_true", help="sammenlign dense, BM25 og hybrid")
    sp.add_argument("--out", help="skriv resultatene per spørsmål til denne filen (JSONL)")
    for name, func, help_ in (("app", cmd_app, "start chatten i nettleseren"),
                              ("run", cmd_run, "bygg indeksen og start chatten")):
        sp = add(name, func, help_)
        sp.add_argument("--host", default=os.environ.get("ASSISTANT_HOST", "127.0.0.1"))
        sp.add_argument("--port", type=int, default=int(os.environ.get("ASSISTANT_PORT", "8501")))
    return p


def _tolerant_streams() -> None:
    """Invalid bytes typed or piped in become U+FFFD, and printing never fails on a character."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    _tolerant_streams()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AssistantError as exc:
        print(clean_output(f"Feil: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:           # `assistant ask … | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0
    except OSError as exc:
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        where = f" {exc.filename}" if exc.filename else ""
        print(clean_output(f"Feil: klarte ikke å lese eller skrive{where} ({exc.strerror or exc}). "
                           "Sjekk at mappen finnes, kan skrives til og at disken ikke er full."), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 (the last resort: one sentence, not a traceback)
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(clean_output(f"Feil: noe uventet gikk galt ({type(exc).__name__}: {str(exc)[:200]}). "
                           "Kjør med ASSISTANT_DEBUG=1 for detaljer, og meld fra om feilen."), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

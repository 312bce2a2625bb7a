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
from .types import Answer


def _settings(args) -> Settings:
    return Settings.from_env(corpus=getattr(args, "corpus", None), index=getattr(args, "index", None))


def cmd_ingest(args) -> int:
    from .index import ingest

    report = ingest(_settings(args), log=lambda m: print(m, file=sys.stderr))
    print(
        f"Ferdig på {report.seconds:.1f} s: {len(report.added)} nye, {len(report.updated)} endret, "
        f"{len(report.removed)} fjernet, {len(report.unchanged)} uendret dokument(er); "
        f"{report.embedded_chunks} tekstbiter embeddet, {report.total_chunks} i indeksen."
    )
    for name, reason in report.skipped.items():
        print(f"Hoppet over {name}: {reason}", file=sys.stderr)
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


def cmd_search(args) -> int:
    from .retrieve import Retriever

    retriever = Retriever(_settings(args))
    hits = retriever.search(args.query, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps([{**h.chunk.to_dict(), "score": h.score} for h in hits], ensure_ascii=False))
        return 0
    for i, h in enumerate(hits, 1):
        c = h.chunk
        where = c.section_path + (f", s. {c.page}" if c.page else "") + (f", {c.table}" if c.table else "")
        print(f"{i}. [{h.score:.3f}] {c.doc_title} › {where} ({c.kind})")
        print("   " + c.text[:300].replace("\n", "\n   ") + ("…" if len(c.text) > 300 else ""))
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
    return "\n".join(lines)


def cmd_ask(args) -> int:
    from .pipeline import Assistant

    if args.question == "-":
        assistant = Assistant(_settings(args))
        for line in sys.stdin:
            q = line.strip()
            if not q:
                continue
            print(json.dumps(assistant.ask(q).to_dict(), ensure_ascii=False), flush=True)
        return 0
    if not args.question.strip():
        raise AssistantError("Spørsmålet er tomt. Skriv et spørsmål, for eksempel «Hva er SLT?».")
    answer = Assistant(_settings(args)).ask(args.question)
    print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer))
    return 0


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
    from .tables import find_tables, format_table, load_tables, titled

    tables = load_tables(_settings(args))
    several = len({t.doc_id for t in tables}) > 1
    if not args.label:
        for t in tables:
            where = f" [{t.doc_id}]" if several else ""
            print(f"{titled(t)}{where} ({len(t.rows)} rader, kolonner {', '.join(t.columns)})")
        return 0
    wanted = find_tables(tables, args.label)
    if not wanted:
        raise AssistantError(f"Fant ingen tabell som heter «{args.label}». Se «assistant tables» for en liste.")
    for t in wanted:
        print(format_table(t) + (f"\n(fra {t.doc_id})" if several else "") + "\n")
    return 0


def cmd_eval(args) -> int:
    from .evals import run_eval

    return run_eval(_settings(args), Path(args.questions), compare=args.compare, out=args.out)


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AssistantError as exc:
        print(f"Feil: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

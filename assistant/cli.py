"""Command line: assistant ingest | outline | search | ask | chat | feedback | hent | tables | tiltak | eval | app | run."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .config import Settings
from .errors import AssistantError
from .question import check_question, clean_text
from .textclean import as_read
from .types import Answer


def _settings(args) -> Settings:
    return Settings.from_env(corpus=getattr(args, "corpus", None), index=getattr(args, "index", None))


class _Bars:
    """Progress on stderr while ingest works: documents, and chunks embedded batch by batch."""

    def __init__(self) -> None:
        self.docs = self.chunks_bar = None
        self.started = False

    def documents(self, total: int) -> None:
        from tqdm import tqdm

        self.docs = tqdm(total=total, unit="dok", desc="Dokumenter", file=sys.stderr, leave=False, disable=None)

    def document(self, name: str) -> None:
        if self.docs is not None:
            if self.started:
                self.docs.update(1)
            self.started = True
            self.docs.set_description_str(name[:40])

    def chunks(self, total: int) -> None:
        from tqdm import tqdm

        if self.chunks_bar is None:
            self.chunks_bar = tqdm(total=0, unit="bit", desc="Embedding", file=sys.stderr, leave=False, disable=None)
        self.chunks_bar.total += total
        self.chunks_bar.refresh()

    def embedded(self, n: int) -> None:
        self.chunks_bar.update(n)

    def close(self) -> None:
        for bar in (self.docs, self.chunks_bar):
            if bar is not None:
                bar.close()
        self.docs = self.chunks_bar = None


def ingest_summary(report) -> str:
    per_s = report.embedded_chunks / report.embed_seconds if report.embed_seconds > 0 else None
    # a large embedder on CPU manages well under one chunk a second: «0 per sekund» would say nothing
    rate = "" if per_s is None else f" ({per_s:.0f} per sekund)" if per_s >= 10 else f" ({per_s:.2g} per sekund)"
    return (
        f"Ferdig på {report.seconds:.1f} s: {len(report.added)} nye, {len(report.updated)} endret, "
        f"{len(report.removed)} fjernet, {len(report.unchanged)} uendret"
        + (f", {len(report.repaired)} reparert" if report.repaired else "")
        + " dokument(er); "
        f"{report.embedded_chunks} tekstbiter embeddet{rate}, {report.total_chunks} i indeksen."
    )


def cmd_ingest(args) -> int:
    from .index import ingest

    bars = _Bars()
    logged: list[str] = []

    def log(message: str) -> None:
        logged.append(message)
        print(clean_output(message), file=sys.stderr)

    try:
        report = ingest(_settings(args), log=log, progress=bars)
    finally:
        bars.close()
    print(ingest_summary(report))
    for name, parts in report.repaired.items():
        print(f"Reparerte {name}: {', '.join(parts)}.", file=sys.stderr)
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
    from .chat import one_line
    from .retrieve import Retriever
    from .spelling import Speller
    from .terms import Vocabulary

    if not 1 <= args.k <= MAX_K:
        raise AssistantError(f"--k må være et heltall fra 1 til {MAX_K}, for eksempel --k 5.")
    query = check_question(args.query)
    retriever = Retriever(_settings(args))
    searched = Speller(Vocabulary(list(retriever.chunks.values()))).correct(query)
    hits = retriever.search(searched, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps([{**h.chunk.to_dict(), "score": h.score} for h in hits], ensure_ascii=False))
        return 0
    if searched != query:
        print(clean_output(f"(Søkte etter: {one_line(searched)})"))
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
            lines.append(f"    «{as_read(c.quote)}»")
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

    doc_id = _document_id(args)
    if args.question == "-":
        return _ask_batch(Assistant(_settings(args)), doc_id)
    question = check_question(args.question)   # before the index and models are loaded
    answer = Assistant(_settings(args)).ask(question, doc_id=doc_id)
    if not args.json and answer.searched and answer.searched != question:
        from .chat import one_line

        print(clean_output(f"(Søkte etter: {one_line(answer.searched)})"))   # typos corrected or small talk left out
    print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer))
    if not args.json:
        _print_source_links(_settings(args), answer)
    return 0


def _print_source_links(settings, answer: Answer) -> None:
    """«[2] Les Veileder ved bekymring (PDF, s. 4): https://…#page=4» for documents fetched from the web."""
    from .documents import list_documents, source_link

    docs = list_documents(settings)
    for c in answer.citations:
        link = source_link(settings, c, docs)
        if link:
            print(f"[{c.n}] {link[0]}: {link[1]}")


def _document_id(args) -> str | None:
    """`--dokument` narrows the answer to one document, named by id, file name or title."""
    if not getattr(args, "dokument", None):
        return None
    from .documents import find_document

    return find_document(_settings(args), args.dokument).doc_id


def cmd_hent(args) -> int:
    """List the documents the corpus links to, or fetch them into corpus/ and ingest."""
    from .fetch import fetch, find_links, limits_from_env

    settings = _settings(args)
    links = find_links(settings)
    if not args.urls and not args.alle:
        if not links:
            print("Dokumentene i corpus/ lenker ikke til andre dokumenter.")
            return 0
        for link in links:
            state = f"i corpus/ ({link.in_corpus})" if link.in_corpus else "ikke hentet"
            print(f"{'✓' if link.in_corpus else '–'} {link.url}  [{state}]")
            if link.text:
                print(f"    Lenketekst: {link.text}")
            for where in link.cited_in:
                print(f"    Nevnt i: {where}")
        print(f"\n{len(links)} dokumentlenker, {sum(1 for l in links if l.in_corpus)} allerede i corpus/. "
              "Hent alle med «assistant hent --alle», eller noen med «assistant hent URL …».")
        return 0
    urls = list(args.urls) or [link.url for link in links if not link.in_corpus]
    if not urls:
        print("Alle dokumentene som lenkes til, er allerede i corpus/.")
        return 0
    max_mb, timeout = limits_from_env()
    report = fetch(settings, urls, link_texts={l.url: l.text for l in links if l.text},
                   max_mb=args.maks_mb or max_mb, timeout=args.tidsavbrudd or timeout,
                   log=lambda m: print(m, file=sys.stderr))
    for f in report.fetched:
        year = f", {f.year}" if f.year else ""
        print(f"Hentet {f.url}\n    → corpus/{f.file}: «{f.title}»{year}, {f.pages} sider")
    for url, reason in report.skipped:
        print(f"Hoppet over {url}: {reason}")
    for url, reason in report.failed:
        print(f"Kunne ikke hente {url}: {reason}", file=sys.stderr)
    if report.fetched:
        cmd_ingest(args)
    if report.failed:
        print(f"{len(report.failed)} av {len(urls)} lenker kunne ikke hentes; de andre er hentet eller fantes fra før.",
              file=sys.stderr)
        return 1
    return 0


def _line_editing() -> None:
    """Arrow keys, history (↑) and Ctrl-R in `assistant chat`, where the platform has readline."""
    try:
        import readline  # noqa: F401  (importing it is what turns line editing on for input())
    except ImportError:
        pass


NEW_CONVERSATION = ("/ny", "ny samtale")


# The embedding engine's OpenMP threads spin while waiting by default; on a busy machine that turns
# a 30 ms question into seconds. Set before the engine loads (the chat and the app only).
QUIET_THREADS = {"OMP_WAIT_POLICY": "PASSIVE"}


def _ask_batch(assistant, doc_id: str | None = None) -> int:
    """One JSON answer per non-empty stdin line. A line that cannot be answered (too long, no words)
    gets {"question", "error"} and the batch goes on; the exit code is 2 when any line failed."""
    failed = 0
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        line = clean_text(raw.decode("utf-8", "replace")).strip()
        if not line:
            continue
        try:
            out = assistant.ask(line, doc_id=doc_id).to_dict()
        except AssistantError as exc:
            failed += 1
            print(f"Feil på linje {n}: {exc}", file=sys.stderr)
            out = {"question": line[:200], "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 2 if failed else 0


def cmd_chat(args) -> int:
    for key, value in QUIET_THREADS.items():
        os.environ.setdefault(key, value)
    from .chat import MAX_QUESTION_CHARS, TOO_LONG, Conversation, one_line
    from .pipeline import Assistant

    assistant = Assistant(_settings(args))
    conversation = Conversation()
    _line_editing()
    print("SLT-assistenten. Still et spørsmål; «/ny» starter en ny samtale, tom linje eller Ctrl-D avslutter.")
    while True:
        try:
            q = input("\nDu: ").strip()
        except EOFError:
            break
        # bytes that are not UTF-8 arrive as surrogates, which cannot be printed or searched
        q = q.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if not q:
            break
        if q.lower() in NEW_CONVERSATION:
            conversation.clear()
            print("Ny samtale: tidligere spørsmål brukes ikke lenger.")
            continue
        if len(q) > MAX_QUESTION_CHARS:
            print(TOO_LONG)
            continue
        try:
            answer = assistant.ask(q, conversation)
        except AssistantError as exc:
            print(f"Feil: {exc}")
            continue
        if answer.searched and answer.searched != q:
            print(f"(Søkte etter: {one_line(answer.searched)})")
        print("\n" + format_answer(answer))
    return 0


def cmd_feedback(args) -> int:
    from .feedback import FeedbackStore, export

    store = FeedbackStore(_settings(args).index_dir)
    rows = store.rows()
    text = export(rows, args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Skrev {len(rows)} tilbakemelding(er) til {args.out}.", file=sys.stderr)
    elif not rows and args.format == "tekst":
        print(f"Ingen tilbakemeldinger ennå ({store.path}).")
    else:
        sys.stdout.write(text)
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


def cmd_tiltak(args) -> int:
    """The catalogue of measures (services, programmes, teams, guides, tiltak) found in the documents."""
    from .pipeline import Assistant

    answerer = Assistant(_settings(args)).answerer
    measures = answerer.help.measures
    if args.query:
        terms = answerer.vocab.terms(args.query)
        measures = [m for m, _ in answerer.help.fitting(args.query, terms)] if terms else []
        if not measures:
            print(f"Fant ingen tiltak som passer til «{args.query}».")
            return 0
    chunks = answerer.retriever.chunks
    for m in measures:
        chunk = chunks[m.chunk_id]
        print(f"• {m.name} — {chunk.doc_title}, {m.section}")
        print(f"    {m.line}")
        for link in answerer.citation(1, chunk, [m.description]).links:   # the links in its own row
            print(f"    Lenke: {link}")
    return 0


EVAL_KEYS = ("id", "category", "question", "facts", "evidence")


def cmd_eval(args) -> int:
    from .evals import run_eval

    path = Path(args.questions)
    _check_questions_file(path)
    if args.out and not Path(args.out).resolve().parent.is_dir():
        raise AssistantError(f"Mappen for --out finnes ikke: {Path(args.out).resolve().parent}. Opprett den først.")
    return run_eval(_settings(args), path, compare=args.compare, out=args.out, blind=args.blind)


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


APP_OPTIONS = ("--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "minimal", "--client.showErrorDetails", "none",
               "--client.showSidebarNavigation", "false")


def cmd_bench(args) -> int:
    from .bench import PARTS, run_bench

    copies = tuple(int(c) for c in args.copies.split(","))
    parts = tuple(args.only.split(",")) if args.only else PARTS
    report = run_bench(_settings(args), args.questions, copies=copies, per_thread=args.per_thread,
                       log=lambda m: print(m, file=sys.stderr, flush=True), parts=parts)
    print(report)
    if args.out:
        Path(args.out).write_text(report + "\n", encoding="utf-8")
    return 0


def cmd_app(args) -> int:
    from .index import check_index

    settings = _settings(args)
    check_index(settings)   # a missing index is said here, in one sentence, before the server starts
    app = Path(__file__).with_name("app.py")
    env = {**QUIET_THREADS, **os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "ASSISTANT_CORPUS": str(settings.corpus_dir), "ASSISTANT_INDEX": str(settings.index_dir)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.host,
           "--server.port", str(args.port), *APP_OPTIONS]
    print(f"SLT-assistenten: http://{args.host}:{args.port} (Ctrl-C avslutter)", file=sys.stderr, flush=True)
    sys.stdout.flush()
    # the server replaces this process, so stopping it (Ctrl-C, kill, a service manager) stops the server
    os.execve(sys.executable, cmd, env)
    return 0  # not reached


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
    sp.add_argument("--dokument", help="svar bare fra dette dokumentet (id, filnavn eller tittel)")
    add("chat", cmd_chat, "samtale i terminalen")
    sp = add("feedback", cmd_feedback, "list eller eksporter tilbakemeldingene fra chatten")
    sp.add_argument("--format", choices=["tekst", "csv", "jsonl"], default="tekst")
    sp.add_argument("--out", help="skriv til denne filen i stedet for til skjermen")
    sp = add("hent", cmd_hent, "list dokumentene corpus lenker til, eller hent dem (eneste kommando som bruker nettet)")
    sp.add_argument("urls", nargs="*", metavar="URL", help="hent disse lenkene til corpus/")
    sp.add_argument("--alle", action="store_true", help="hent alle dokumentlenker som ikke er i corpus/")
    sp.add_argument("--maks-mb", type=float, help="største fil som hentes (standard 50, ASSISTANT_FETCH_MAX_MB)")
    sp.add_argument("--tidsavbrudd", type=float, help="sekunder å vente på svar (standard 30, ASSISTANT_FETCH_TIMEOUT)")
    sp = add("tables", cmd_tables, "list statistikktabellene, eller vis én")
    sp.add_argument("label", nargs="?")
    sp = add("tiltak", cmd_tiltak, "list tiltak, tjenester og veiledere dokumentene beskriver (eventuelt de som passer til et søk)")
    sp.add_argument("query", nargs="?")
    sp = add("eval", cmd_eval, "mål svarkvaliteten på evals/questions.jsonl")
    sp.add_argument("--questions", default="evals/questions.jsonl")
    sp.add_argument("--compare", action="store_true", help="sammenlign dense, BM25 og hybrid")
    sp.add_argument("--out", help="skriv resultatene per spørsmål til denne filen (JSONL)")
    sp.add_argument("--blind", action="store_true",
                    help="vis bare summene, ikke svarene (for testsettet evals/test.jsonl, som aldri brukes til tuning)")
    sp = add("bench", cmd_bench, "mål ytelsen mot llama-index-oppskriften (tar mange minutter)")
    sp.add_argument("--questions", default="evals/questions.jsonl")
    sp.add_argument("--copies", default="1,16,64", help="antall kopier av dokumentene i skaleringsmålingen")
    sp.add_argument("--per-thread", type=int, default=50, help="spørsmål per tråd med 8 samtidige brukere")
    sp.add_argument("--out", help="skriv tabellene (markdown) også til denne filen")
    sp.add_argument("--only", help="bare disse delene: sammenligning,last,skalering")
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
        code = args.func(args)
        # flushed here, not at exit, so a reader gone away (`… | head`) is met by the handler below
        sys.stdout.flush()
        return code
    except AssistantError as exc:
        print(clean_output(f"Feil: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`assistant ask … | head`): stop quietly, and keep Python from
        # complaining when it flushes stdout on exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
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

"""`assistant bench`: this project against the plain llama-index recipe, on the same text with the
same embedder, in one run; latency under load with and without the thread settings; and scaling
with 1, 16 and 64 copies of the corpus using a cheap random-weight embedder.

Every measured thing runs in its own process (`python -m assistant.bench <task> <json>`), so CPU
time, peak memory and import costs belong to that task alone. The result is a markdown report.
Measured, never asserted: times on a shared machine vary; compare the rows of one run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from .config import Settings

RANDOM = "bench-random"
RECIPE_COLLECTION = "recipe"


# --- helpers shared by the tasks ---------------------------------------------------------------------
class RandomEmbedder:
    """Random weights over hashed words: as cheap as an embedder gets, for measuring everything else."""

    name = RANDOM
    dim = 384

    def __init__(self) -> None:
        import numpy as np

        self._w = np.random.default_rng(0).standard_normal((4096, self.dim)).astype(np.float32)

    def embed_batch(self, texts, kind):
        import zlib

        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = [zlib.crc32(w.encode()) % 4096 for w in text.lower().split()]
            if rows:
                out[i] = self._w[rows].sum(axis=0)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        return out


def _register_random() -> None:
    from .embed import register_embedder

    register_embedder(RANDOM, RandomEmbedder)


def _settings(home: str, embedder: str) -> Settings:
    s = Settings.from_env(corpus=Path(home) / "corpus", index=Path(home) / "index")
    return dataclasses.replace(s, embedder=embedder)


def _pcts(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50": statistics.median(ms), "p95": ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))], "n": len(ms)}


def _questions(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _hits(found: list[list[str]], questions: list[dict]) -> dict:
    from .evals import _contains

    rows = [[any(_contains(t, e) for e in q["evidence"]) for t in texts] for q, texts in zip(questions, found)]
    return {"hit@1": sum(r[:1] == [True] for r in rows) / len(rows), "hit@5": sum(any(r[:5]) for r in rows) / len(rows)}


def _scored(questions: list[dict]) -> list[dict]:
    """Questions whose evidence retrieval should find (figure questions are answered from tables)."""
    return [q for q in questions if q.get("evidence") and q.get("answerable", True) and q["category"] != "tall"]


def _latency(ask, questions: list[str], threads: int, per_thread: int) -> dict:
    ask(questions[0])  # warm
    if threads <= 1:
        times = []
        for q in questions[:per_thread]:
            t0 = time.perf_counter()
            ask(q)
            times.append((time.perf_counter() - t0) * 1000)
        return _pcts(times)
    times: list[float] = []
    lock = threading.Lock()

    def user(offset: int) -> None:
        mine = []
        for j in range(per_thread):
            q = questions[(offset * 7 + j) % len(questions)]
            t0 = time.perf_counter()
            ask(q)
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            times.extend(mine)

    workers = [threading.Thread(target=user, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return _pcts(times)


# --- the recipe: SentenceSplitter defaults, VectorStoreIndex over ChromaVectorStore ---------------------
def _recipe_parts(home: str, embedder: str):
    import chromadb
    from llama_index.core import StorageContext
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from .embed import LlamaIndexEmbedding, get_embedder

    client = chromadb.PersistentClient(
        path=str(Path(home) / "recipe-chroma"), settings=chromadb.config.Settings(anonymized_telemetry=False)
    )
    coll = client.get_or_create_collection(RECIPE_COLLECTION)
    store = ChromaVectorStore(chroma_collection=coll)
    return store, StorageContext.from_defaults(vector_store=store), LlamaIndexEmbedding(get_embedder(embedder))


def _recipe_documents(home: str):
    from llama_index.core import Document

    files = sorted((Path(home) / "corpus").glob("*.txt"))
    return [Document(text=f.read_text(encoding="utf-8"), id_=f.name, metadata={"file": f.name}) for f in files]


def task_ingest_recipe(a: dict) -> dict:
    from llama_index.core import VectorStoreIndex

    _, ctx, embed = _recipe_parts(a["home"], a["embedder"])
    t0 = time.perf_counter()
    index = VectorStoreIndex.from_documents(_recipe_documents(a["home"]), storage_context=ctx, embed_model=embed)
    out = {"ingest_s": time.perf_counter() - t0, "chunks": index.vector_store._collection.count()}
    if a.get("update"):
        from llama_index.core import Document

        doc = _recipe_documents(a["home"])[0]
        changed = Document(text=doc.text.replace("Bærum", "Baerum", 1), id_=doc.id_, metadata=doc.metadata)
        t0 = time.perf_counter()
        index.delete_ref_doc(doc.id_, delete_from_docstore=True)
        index.insert(changed)
        out["update_s"] = time.perf_counter() - t0
    return out


def task_query_recipe(a: dict) -> dict:
    from llama_index.core import VectorStoreIndex

    store, _, embed = _recipe_parts(a["home"], a["embedder"])
    retriever = VectorStoreIndex.from_vector_store(store, embed_model=embed).as_retriever(similarity_top_k=5)
    qs = _scored(_questions(a["questions"]))
    found = [[n.node.get_content() for n in retriever.retrieve(q["question"])] for q in qs]
    questions = [q["question"] for q in _questions(a["questions"])]
    one = _latency(retriever.retrieve, questions, 1, len(questions))
    eight = _latency(retriever.retrieve, questions, 8, a["per_thread"])
    return {**_hits(found, qs), "one": one, "eight": eight}


# --- this project -------------------------------------------------------------------------------------
def task_ingest_project(a: dict) -> dict:
    from .index import ingest

    r = ingest(_settings(a["home"], a["embedder"]))
    return {"chunks": r.total_chunks, "embed_s": r.embed_seconds}


def task_query_project(a: dict) -> dict:
    from .pipeline import Assistant

    assistant = Assistant(_settings(a["home"], a["embedder"]))
    qs = _scored(_questions(a["questions"]))
    found = [[h.chunk.text for h in assistant.retriever.search(q["question"], k=5)] for q in qs]
    questions = [q["question"] for q in _questions(a["questions"])]
    out = _hits(found, qs)
    out["search_one"] = _latency(lambda q: assistant.retriever.search(q, k=5), questions, 1, len(questions))
    out["one"] = _latency(assistant.ask, questions, 1, len(questions))
    out["eight"] = _latency(assistant.ask, questions, 8, a["per_thread"])
    return out


def task_latency(a: dict) -> dict:
    from .pipeline import Assistant

    a = {**a, "omp": os.environ.get("OMP_WAIT_POLICY")}
    assistant = Assistant(_settings(a["home"], a["embedder"]))
    questions = [q["question"] for q in _questions(a["questions"])]
    return {**_latency(assistant.ask, questions, a["threads"], a["per_thread"]), "omp": a["omp"]}


def task_scale_project(a: dict) -> dict:
    from .index import ingest

    _register_random()
    settings = _settings(a["home"], RANDOM)
    first = ingest(settings)
    target = sorted(settings.corpus_dir.glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace("Bærum", "Baerum", 1), encoding="utf-8")
    t0 = time.perf_counter()
    upd = ingest(settings)
    return {"chunks": first.total_chunks, "ingest_s": first.seconds, "update_s": time.perf_counter() - t0, "update_embedded": upd.embedded_chunks}


def task_scale_recipe(a: dict) -> dict:
    _register_random()
    return task_ingest_recipe({**a, "embedder": RANDOM, "update": True})


TASKS = {name[5:].replace("_", "-"): f for name, f in globals().items() if name.startswith("task_")}


# --- the parent: runs tasks in child processes and measures them -----------------------------------------
def _run(task: str, args: dict, env: dict | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    child_env = {**os.environ, **(env or {})}
    if child_env.get("ASSISTANT_THREAD_DEFAULTS") == "0":
        from .config import THREAD_DEFAULTS_SET

        for name in THREAD_DEFAULTS_SET:  # what this process's config set, not what the user set
            child_env.pop(name, None)
    proc = subprocess.run([sys.executable, "-c", _CHILD, task, json.dumps(args)],
                          capture_output=True, text=True, env=child_env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    out["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


# the child reports its own peak memory (ru_maxrss of RUSAGE_CHILDREN is a maximum over all children)
_CHILD = """
import json, resource, sys
from assistant.bench import TASKS, _register_random
_register_random()
out = TASKS[sys.argv[1]](json.loads(sys.argv[2]))
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _make_home(base: Path, name: str, texts: dict[str, str]) -> str:
    home = base / name
    shutil.rmtree(home, ignore_errors=True)
    (home / "corpus").mkdir(parents=True)
    for fname, text in texts.items():
        (home / "corpus" / fname).write_text(text, encoding="utf-8")
    return str(home)


def _busy(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()


def _noop_wall(home: str) -> float:
    env = {**os.environ, "ASSISTANT_EMBEDDER": RANDOM}
    cmd = [sys.executable, "-m", "assistant.cli", "ingest", "--corpus", f"{home}/corpus", "--index", f"{home}/index"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


PARTS = ("sammenligning", "last", "skalering")


def run_bench(settings: Settings, questions: str, copies=(1, 16, 64), per_thread: int = 50, log=print,
              parts=PARTS) -> str:
    from .loaders import corpus_files

    base = Path(settings.home) / ".bench"
    base.mkdir(exist_ok=True)
    texts = {p.name: p.read_text(encoding="utf-8") for p in corpus_files(settings.corpus_dir) if p.suffix == ".txt"}
    embedder = settings.embedder
    lines = [f"Kjørt {time.strftime('%Y-%m-%d %H:%M')} på {platform.node()} ({os.cpu_count()} kjerner, "
             f"{platform.processor() or platform.machine()}), Python {platform.python_version()}, "
             f"embedder {embedder}, last før start {os.getloadavg()[0]:.1f}.", ""]

    if "sammenligning" in parts:
        lines += _compare(base, texts, embedder, questions, per_thread, log)
    if "last" in parts:
        lines += _under_load(base, texts, embedder, questions, per_thread, log)
    if "skalering" in parts:
        lines += _scaling(base, texts, copies, log)
    return "\n".join(lines)


def _compare(base: Path, texts: dict, embedder: str, questions: str, per_thread: int, log) -> list[str]:
    """1. the project against the recipe, same text, same embedder"""
    lines: list[str] = []
    log("1/3 dette prosjektet mot llama-index-oppskriften …")
    rows = {}
    for name, ingest_task, query_task in (("SLT-assistenten", "ingest-project", "query-project"),
                                          ("llama-index-oppskrift", "ingest-recipe", "query-recipe")):
        home = _make_home(base, name.split("-")[0].lower(), texts)
        ing = _run(ingest_task, {"home": home, "embedder": embedder})
        qry = _run(query_task, {"home": home, "embedder": embedder, "questions": questions, "per_thread": per_thread})
        rows[name] = (ing, qry)
        log(f"  {name}: {json.dumps({'ingest': ing, 'query': qry})}")
    lines += ["| | tekstbiter | ingest CPU s | ingest vegg s | topp-RSS ingest MB | topp-RSS spørsmål MB | hit@1 | hit@5 "
              "| 1 bruker p50/p95 ms | 8 samtidige p50/p95 ms |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, (ing, q) in rows.items():
        lines.append(
            f"| {name} | {ing['chunks']} | {ing['cpu_s']:.0f} | {ing['wall_s']:.0f} | {ing['rss_mb']:.0f} | {q['rss_mb']:.0f} "
            f"| {100 * q['hit@1']:.0f} % | {100 * q['hit@5']:.0f} % | {q['one']['p50']:.0f} / {q['one']['p95']:.0f} "
            f"| {q['eight']['p50']:.0f} / {q['eight']['p95']:.0f} |")
    proj = rows["SLT-assistenten"][1]
    lines += ["", f"Prosjektets latens er for hele svaret (`ask`: søk, svar og sitat); søket alene: p50 "
              f"{proj['search_one']['p50']:.0f} ms, p95 {proj['search_one']['p95']:.0f} ms. Oppskriftens latens er bare "
              "søket (`retrieve`, 5 treff).", ""]

    return lines


def _under_load(base: Path, texts: dict, embedder: str, questions: str, per_thread: int, log) -> list[str]:
    """2. latency under load, with and without the thread settings"""
    log("2/3 svartid under last …")
    home = str(base / "slt")
    lines: list[str] = []
    if not (Path(home) / "index" / "manifest.json").exists():
        home = _make_home(base, "slt", texts)
        _run("ingest-project", {"home": home, "embedder": embedder})
    lines += ["| svartid (`ask`), p50 / p95 ms | OMP_WAIT_POLICY=PASSIVE (standard) | uten (motorens standard) |",
              "|---|---|---|"]
    n_q = len(_questions(questions))
    for label, busy, threads, per in (("alene", 0, 1, n_q), ("3 CPU-løkker ved siden av", 3, 1, n_q),
                                      (f"8 tråder × {per_thread} spørsmål", 0, 8, per_thread)):
        cells = []
        for env in ({}, {"ASSISTANT_THREAD_DEFAULTS": "0"}):
            loops = _busy(busy)
            try:
                r = _run("latency", {"home": home, "embedder": embedder, "questions": questions,
                                     "threads": threads, "per_thread": per}, env=env)
            finally:
                _stop(loops)
            cells.append(f"{r['p50']:.0f} / {r['p95']:.0f}")
            log(f"  {label} {env or 'PASSIVE'}: {r}")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    lines.append("")

    return lines


def _scaling(base: Path, texts: dict, copies, log) -> list[str]:
    """3. scaling with copies of the corpus, cheap random-weight embedder"""
    log("3/3 skalering …")
    lines = ["| kopier | tekstbiter | prosjekt ingest ms/bit | prosjekt ett dokument endret s (embeddet) | prosjekt "
              "uendret s | oppskrift ingest ms/bit | oppskrift ett dokument endret s |", "|---|---|---|---|---|---|---|"]
    for n in copies:
        many = {f"kopi-{i:03d}-{k}": v for i in range(n) for k, v in texts.items()}
        ph = _make_home(base, f"scale-p-{n}", many)
        p = _run("scale-project", {"home": ph})
        noop = _noop_wall(ph)
        rh = _make_home(base, f"scale-r-{n}", many)
        r = _run("scale-recipe", {"home": rh})
        log(f"  {n}: project {p} no-op {noop:.2f}s recipe {r}")
        lines.append(f"| {n} | {p['chunks']} | {1000 * p['ingest_s'] / p['chunks']:.1f} | "
                     f"{p['update_s']:.1f} ({p['update_embedded']}) | {noop:.1f} | "
                     f"{1000 * r['ingest_s'] / r['chunks']:.1f} | {r['update_s']:.1f} |")
        shutil.rmtree(ph, ignore_errors=True)
        shutil.rmtree(rh, ignore_errors=True)
    return lines + [""]


if __name__ == "__main__":
    result = TASKS[sys.argv[1]](json.loads(sys.argv[2]))
    print(json.dumps(result))

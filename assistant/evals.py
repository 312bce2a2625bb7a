"""`assistant eval`: answer and citation accuracy, refusals, hit@k and latency per category.

evals/questions.jsonl (dev, tuned on) and evals/test.jsonl (blind, measured once) hold one object per
line: id, category, question, facts (what the answer must contain: each a string, or a list of
alternatives of which one suffices), evidence (strings one of which a cited quote must contain),
answerable (default true) and optionally style («typed» or «plain»). An unanswerable question counts as
correct when it is refused and its facts are present. A line with «before» (a list of earlier messages) is
a conversation: those are asked first in one chat, and only the answer to the last question is judged.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

from .chat import Conversation
from .config import Settings
from .pipeline import Assistant
from .textclean import ws


def _norm(s: str) -> str:
    return ws(s).lower()


def _contains(hay: str, needle: str) -> bool:
    """The needle in the answer; a number as a number of its own, not a part of another or of an age group
    («17» is not in «Tabell 3 (15-17 år)» nor in «172»)."""
    hay, needle = _norm(hay), _norm(needle)
    if re.fullmatch(r"\d+(?: \d{3})*", needle):
        hay = re.sub(r"(?<=\d) ?([-–]) ?(?=\d)", r"\1", hay)   # «10 - 17år» is «10-17år»
        # an age group is one or two digits on either side of a dash; a span of years is no age group
        return re.search(rf"(?<!\d)(?<!\b\d[-–])(?<!\b\d\d[-–]){re.escape(needle)}(?!\d|[-–]\d{{1,2}}\b|[.,]\d)",
                         hay) is not None
    return needle in hay


def has_fact(answer: str, fact: str | list[str]) -> bool:
    return any(_contains(answer, f) for f in ([fact] if isinstance(fact, str) else fact))


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(assistant: Assistant, questions: list[dict], modes=("hybrid",)) -> list[dict]:
    rows = []
    assistant.ask(questions[0]["question"])  # warm-up: models and indexes loaded
    for q in questions:
        conversation = Conversation() if q.get("before") else None
        for earlier in q.get("before", []):
            assistant.ask(earlier, conversation)
        t0 = time.perf_counter()
        a = assistant.ask(q["question"], conversation)
        ms = (time.perf_counter() - t0) * 1000
        # a follow-up is searched as the conversation completed it
        searched = (a.searched or q["question"]) if conversation else q["question"]
        answerable = q.get("answerable", True)
        facts_ok = all(has_fact(a.answer, f) for f in q["facts"])
        cited = any(_contains(c.quote, e) for c in a.citations for e in q["evidence"]) if q["evidence"] else None
        hits = {}
        for mode in modes:
            found = [h.chunk.text for h in assistant.retriever.search(searched, k=5, mode=mode)]
            hits[mode] = [any(_contains(t, e) for e in q["evidence"]) for t in found] if q["evidence"] else []
        lead = a.answer.split(" [", 1)[0]
        passage_hit = any(_contains(lead, e) for e in q["evidence"]) if q["evidence"] and not a.figure else None
        rows.append({
            "id": q["id"], "category": q["category"], "style": q.get("style", ""), "answerable": answerable,
            "refused": a.refused, "figure": a.figure is not None,
            "answer_ok": (facts_ok and not a.refused) if answerable else (a.refused and facts_ok),
            "citation_ok": cited, "passage_hit": passage_hit, "ms": ms, "hits": hits, "answer": a.answer,
        })
    return rows


def _pct(xs) -> str:
    xs = [x for x in xs if x is not None]
    return f"{100 * sum(xs) / len(xs):.0f} %" if xs else "–"


def summarize(rows: list[dict], modes=("hybrid",), by: str = "category") -> str:
    cats = defaultdict(list)
    for r in rows:
        cats[r.get(by) or "–"].append(r)
    cats["alle"] = rows
    head = f"| {'kategori' if by == 'category' else 'stil'} | n | svar | kilde | avslag presisjon | avslag recall | " + " | ".join(
        f"hit@1 {m} | hit@5 {m}" for m in modes) + " | p50 ms | p95 ms |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for cat, rs in cats.items():
        refused = [r for r in rs if r["refused"]]
        unans = [r for r in rs if not r["answerable"]]
        prec = _pct([not r["answerable"] for r in refused]) if refused else "–"
        rec = _pct([r["refused"] for r in unans]) if unans else "–"
        hitcols = []
        for m in modes:
            hs = [r["hits"][m] for r in rs if r["hits"].get(m)]
            hitcols += [_pct([h[0] for h in hs]), _pct([any(h) for h in hs])]
        ms = sorted(r["ms"] for r in rs)
        p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
        lines.append(f"| {cat} | {len(rs)} | {_pct([r['answer_ok'] for r in rs])} | "
                     f"{_pct([r['citation_ok'] for r in rs])} | {prec} | {rec} | " + " | ".join(hitcols)
                     + f" | {statistics.median(ms):.0f} | {p95:.0f} |")
    return "\n".join(lines)


def run_eval(settings: Settings, path: Path, compare: bool = False, out: str | None = None,
             blind: bool = False) -> int:
    modes = ("dense", "bm25", "hybrid") if compare else ("hybrid",)
    rows = evaluate(Assistant(settings), load_questions(path), modes)
    print(summarize(rows, modes))
    if any(r["style"] for r in rows):
        print()
        print(summarize(rows, modes, by="style"))
    answerable = [r for r in rows if r["answerable"]]
    false_refusals = sum(r["refused"] for r in answerable)
    # a table figure given where the question's figure was not: the worst kind of miss
    wrong_figures = [r["id"] for r in rows if r["figure"] and not r["refused"] and not r["answer_ok"]]
    print(f"\nPassasje-hit@1 (første setning i svaret holder beviset): "
          f"{_pct([r['passage_hit'] for r in rows if r['answerable']])}")
    print(f"Falske avslag: {false_refusals} av {len(answerable)} besvarbare; "
          f"tabelltall gitt som ikke var det spurte: {len(wrong_figures)} {wrong_figures if wrong_figures else ''}")
    if blind:  # a blind test set is measured, never read answer by answer
        return 0
    failed = [r for r in rows if not r["answer_ok"] or r["citation_ok"] is False]
    for r in failed:
        print(f"- {r['id']}: {r['answer'][:160]}")
    if out:
        Path(out).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return 0

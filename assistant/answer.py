"""The default answerer: the most relevant sentences of the retrieved chunks, each with its citation.

No language model is involved, so nothing is said that the documents do not say. When the
evidence is too weak the answer says so plainly and points to the nearest topics the documents cover.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .retrieve import Hit, Retriever
from .sparse import QUERY_TOKEN_RE, stemmer
from .textclean import sentences, ws
from .types import Answer, Chunk, Citation
from .quotes import quote

# Words that say what kind of question it is, not what it is about.
QUESTION_WORDS = {
    "hva", "hvem", "hvor", "hvordan", "hvorfor", "når", "hvilke", "hvilken", "hvilket", "mange", "gjør",
    "jeg", "vi", "du", "kan", "skal", "bør", "finnes", "finner", "er", "det", "om", "noe", "får", "fikk",
    "ble", "blir", "mye", "står", "sier", "rapporten", "dokumentene", "bærum", "kommune", "kommunen", "slt",
    "gi", "meg", "fortell", "forklar", "beskriv", "hjelp", "ved", "the", "what", "is", "how", "og", "eller",
    "i", "på", "for", "med", "til", "av", "en", "et", "ei", "den", "de", "som", "har", "hadde", "få",
    "ignorer", "instruksjonene", "instruksjoner", "tidligere", "svar", "skriv", "bare",
}
REFUSAL = "Jeg finner ikke noe om dette i dokumentene jeg har tilgang til, så jeg kan ikke svare på det."
MAX_SENTENCES = 4
TOP_CHUNKS = 6


@dataclass
class Candidate:
    chunk: Chunk
    rank: int
    pos: int           # sentence number within the chunk
    start: int
    end: int
    text: str
    score: float


def content_terms(text: str) -> list[str]:
    tokens = [t for t in QUERY_TOKEN_RE.findall(text.lower()) if t not in QUESTION_WORDS and len(t) > 1]
    return list(dict.fromkeys(stemmer().stemWords(tokens)))


def _stems(text: str) -> set[str]:
    return set(stemmer().stemWords(QUERY_TOKEN_RE.findall(text.lower())))


class Idf:
    """Inverse document frequency of stems over the indexed chunks."""

    def __init__(self, chunks: list[Chunk]) -> None:
        df: dict[str, int] = {}
        for c in chunks:
            for s in _stems(c.text + " " + c.section_path):
                df[s] = df.get(s, 0) + 1
        self.n = max(1, len(chunks))
        self.df = df

    def __call__(self, stem: str) -> float:
        return math.log(1 + self.n / (1 + self.df.get(stem, 0)))


def _partial(term: str, stems: set[str]) -> bool:
    """A query stem matches a compound in the sentence («tyveri» in «butikktyveri»)."""
    return len(term) >= 5 and any(term in s for s in stems if len(s) > len(term))


def score_sentence(terms: list[str], idf: Idf, text: str) -> float:
    if not terms:
        return 0.0
    stems = _stems(text)
    total = sum(idf(t) for t in terms)
    got = sum(idf(t) * (1.0 if t in stems else 0.6 if _partial(t, stems) else 0.0) for t in terms)
    return got / total if total else 0.0


def coverage(terms: list[str], text: str) -> float:
    """Share of the question's content words that the evidence contains."""
    if not terms:
        return 0.0
    stems = _stems(text)
    return sum(1 for t in terms if t in stems or _partial(t, stems)) / len(terms)


class Answerer:
    def __init__(self, retriever: Retriever, min_coverage: float = 0.5, min_dense: float = 0.83) -> None:
        self.retriever = retriever
        self.idf = Idf(list(retriever.chunks.values()))
        self.min_coverage = min_coverage
        self.min_dense = min_dense

    def evidence(self, query: str, doc_id: str | None = None) -> tuple[list[Hit], list[Candidate], list[str]]:
        hits = self.retriever.search(query, k=TOP_CHUNKS, doc_id=doc_id)
        terms = content_terms(query)
        cands: list[Candidate] = []
        for rank, hit in enumerate(hits):
            if hit.chunk.kind == "table":
                continue
            prior = 1.0 / (1 + 0.15 * rank)
            for pos, (a, b) in enumerate(sentences(hit.chunk.text)):
                text = hit.chunk.text[a:b]
                if len(text) < 25 or len(text) > 600:
                    continue
                s = score_sentence(terms, self.idf, text + " " + hit.chunk.section[-1]) * prior
                cands.append(Candidate(hit.chunk, rank, pos, a, b, text, s))
        return hits, cands, terms

    def refuse_reason(self, hits: list[Hit], cands: list[Candidate], terms: list[str]) -> bool:
        if not hits or not cands or not terms:
            return True
        best = max(cands, key=lambda c: c.score)
        cov = max(coverage(terms, h.chunk.text + " " + h.chunk.section_path) for h in hits[:3])
        top_dense = max((h.dense or 0.0) for h in hits)
        return best.score < 0.45 or (cov < self.min_coverage and top_dense < self.min_dense)

    def answer(self, question: str, searched: str | None = None, doc_id: str | None = None) -> Answer:
        query = searched or question
        hits, cands, terms = self.evidence(query, doc_id)
        if self.refuse_reason(hits, cands, terms):
            return self._refusal(question, query, hits)
        chosen = select(cands)
        return self.compose(question, query, chosen)

    def _refusal(self, question: str, query: str, hits: list[Hit]) -> Answer:
        topics = list(dict.fromkeys(h.chunk.section[-1] for h in hits[:3]))
        text = REFUSAL
        if topics:
            text += " Dokumentene handler blant annet om: " + "; ".join(topics) + "."
        return Answer(question=question, answer=text, refused=True, searched=query)

    def compose(self, question: str, query: str, chosen: list[Candidate]) -> Answer:
        numbers: dict[str, int] = {}
        parts: list[str] = []
        citations: list[Citation] = []
        by_chunk: dict[str, list[Candidate]] = {}
        for c in chosen:
            by_chunk.setdefault(c.chunk.id, []).append(c)
        for c in chosen:
            if c.chunk.id not in numbers:
                numbers[c.chunk.id] = len(numbers) + 1
                group = by_chunk[c.chunk.id]
                citations.append(self.citation(numbers[c.chunk.id], c.chunk, " ".join(g.text for g in group)))
            parts.append(with_marker(c.text, numbers[c.chunk.id]))
        return Answer(question=question, answer=" ".join(parts), refused=False, citations=citations, searched=query)

    def citation(self, n: int, chunk: Chunk, text: str) -> Citation:
        source = self.retriever.source(chunk.doc_id)
        q = quote(source, text, chunk.start, chunk.end) or ws(source[chunk.spans[0][0] : chunk.spans[0][1]])
        return Citation(
            n=n, document=chunk.doc_title, section=chunk.section_path, page=chunk.page, table=chunk.table,
            quote=q, links=chunk.links, chunk_id=chunk.id, year=chunk.year,
        )


def select(cands: list[Candidate]) -> list[Candidate]:
    """The best sentence, its neighbours when they also answer, and strong sentences from other chunks."""
    ranked = sorted(cands, key=lambda c: -c.score)
    best = ranked[0]
    chosen = [best]
    same = {c.pos: c for c in cands if c.chunk.id == best.chunk.id}
    # a sentence that introduces a list («… følgende:») brings its items along
    nxt = best.pos + 1
    while nxt in same and len(chosen) < MAX_SENTENCES and (
        best.text.rstrip().endswith(":") or same[nxt].score >= 0.6 * best.score
    ):
        chosen.append(same[nxt])
        nxt += 1
    used_chunks = {best.chunk.id}
    for c in ranked[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if c.chunk.id in used_chunks or c.score < 0.75 * best.score:
            continue
        if any(_similar(c.text, o.text) for o in chosen):
            continue
        chosen.append(c)
        used_chunks.add(c.chunk.id)
    return sorted(chosen, key=lambda c: (c.rank, c.pos))


def _similar(a: str, b: str) -> bool:
    sa, sb = _stems(a), _stems(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb))) > 0.8


def with_marker(sentence: str, n: int) -> str:
    s = sentence.strip()
    m = re.search(r"[.!?:]+$", s)
    if m:
        return f"{s[: m.start()]} [{n}]{s[m.start():]}"
    return f"{s} [{n}]."

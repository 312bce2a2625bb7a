"""The default answerer: the most relevant passages of the retrieved chunks, each with its citation.

A passage is a sentence, or a bullet list read as one sentence with its introduction. No language
model is involved, so nothing is said that the documents do not say. When no passage covers the
question well enough (see Answerer.refuse), the answer says so plainly and points to the nearest
topics the documents cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .quotes import quote
from .retrieve import Hit, Retriever
from .terms import Term, Vocabulary, has_action, is_action_question, stems, unknown_share
from .textclean import sentences, table_prose, ws
from .types import Answer, Chunk, Citation

REFUSAL = "Jeg finner ikke noe om dette i dokumentene jeg har tilgang til, så jeg kan ikke svare på det."
MAX_SENTENCES = 4
TOP_CHUNKS = 8
CONTEXT_WEIGHT = 0.35    # how much a matching section and paragraph lift the sentences in them
LEAD_WEIGHT = 0.8        # the first sentence under a matching heading is taken to be about it
SHORT_ANSWER = 160       # an answer shorter than this also gets the sentence that follows
MAX_ITEMS = 8
MAX_ITEM_CHARS = 400
ACTION_WEIGHT = 0.5      # for «Hva gjør jeg …»: the share of the ranking that goes to saying what to do
# Sentences opening with these words lean on the sentence before («Disse tilbys mat, gaver …»).
ANAPHORS = {"disse", "dette", "de", "den", "det", "denne", "dermed", "derfor", "her", "slik", "programmet",
            "tiltaket", "samarbeidet", "prosjektet", "tilbudet"}


@dataclass(frozen=True)
class Passage:
    """A sentence, or a bullet list with the sentence that introduces it. A list that opens the
    chunk is introduced by its section heading, which is read but not quoted."""

    pos: int                       # passage number within the chunk
    lead: str
    items: tuple[str, ...] = ()
    lead_is_heading: bool = False

    @property
    def words(self) -> str:
        """The text as it stands in the source, for quoting."""
        return " ".join(self.items if self.lead_is_heading else (self.lead, *self.items))

    def prose(self) -> str:
        """One sentence of prose; a list reads «innledning: punkt; punkt; punkt»."""
        if not self.items:
            return self.lead
        return self.lead.rstrip(" :.") + ": " + "; ".join(i.rstrip(" .;") for i in self.items) + "."


def passages(text: str, heading: str) -> list[Passage]:
    out: list[Passage] = []
    prev_end, open_list = 0, False
    for a, b in sentences(text):
        gap = text[prev_end:a]
        bullet = bool(re.search(r"(^|\n)\s*[•–]\s*$", gap))
        sentence = text[a:b]
        prev_end = b
        items = out[-1].items if out else ()
        if not bullet and "\n" not in gap and items and len(items[-1]) < MAX_ITEM_CHARS:
            # the next sentence of the same bullet item
            out[-1] = replace(out[-1], items=(*items[:-1], items[-1] + " " + sentence))
            continue
        if bullet and not out:
            out.append(Passage(0, heading, (), lead_is_heading=True))
            open_list = True
        if bullet and open_list and len(items) < MAX_ITEMS:
            out[-1] = replace(out[-1], items=(*out[-1].items, sentence))
            continue
        out.append(Passage(len(out), sentence))
        # a sentence directly followed by bullets introduces them
        open_list = not bullet
    # a heading introduces a list of several items; a single item stands as a sentence
    return [Passage(p.pos, p.items[0]) if p.lead_is_heading and len(p.items) == 1 else p for p in out]


@dataclass
class Candidate:
    chunk: Chunk
    rank: int
    pos: int           # passage number within the chunk
    text: str          # as it reads in the answer
    words: str         # as it is matched and quoted
    score: float       # how much of the question it answers
    rank_score: float  # score, adjusted for what kind of answer the question wants
    coverage: float    # how much of the question its chunk, with the section path, covers


def readable(chunk: Chunk) -> str | None:
    """The chunk as prose for sentence selection; statistics tables are left to the figure answerer."""
    return table_prose(chunk.text) if chunk.kind == "table" else chunk.text


class Answerer:
    def __init__(self, retriever: Retriever, min_support: float = 0.55, sure_support: float = 0.9,
                 min_dense: float = 0.85) -> None:
        self.retriever = retriever
        self.vocab = Vocabulary(list(retriever.chunks.values()))
        self.min_support = min_support
        self.sure_support = sure_support
        self.min_dense = min_dense

    def evidence(self, query: str, doc_id: str | None = None) -> tuple[list[Hit], list[Candidate], list[Term]]:
        hits = self.retriever.search(query, k=TOP_CHUNKS, doc_id=doc_id)
        terms = self.vocab.terms(query)
        action = is_action_question(query)
        cands: list[Candidate] = []
        for rank, hit in enumerate(hits):
            text = readable(hit.chunk)
            if text is None:
                continue
            prior = 1.0 / (1 + 0.15 * rank)
            context = self.vocab.match(terms, hit.chunk.section_path + " " + text)
            heading = self.vocab.match(terms, hit.chunk.section[-1])
            for p in passages(text, hit.chunk.section[-1]):
                if (len(p.lead) < 25 and not p.items) or len(p.lead) > 600:
                    continue
                own = self.vocab.match(terms, p.words)
                if p.pos == 0:
                    own = max(own, LEAD_WEIGHT * heading)
                score = ((1 - CONTEXT_WEIGHT) * own + CONTEXT_WEIGHT * max(own, context)) * prior
                ranked = score
                if action:
                    ranked *= 1 - ACTION_WEIGHT + ACTION_WEIGHT * has_action(self.vocab.analyse(p.words))
                cands.append(Candidate(hit.chunk, rank, p.pos, p.prose(), p.words, score, ranked, context))
        return hits, cands, terms

    def support(self, cands: list[Candidate], terms: list[Term]) -> float:
        """How much of the question one retrieved passage of the documents covers (0–1). Words the
        documents never use count against it; words found only in different places do not add up,
        which is what gives away «åpningstider» + «legevakten» or «innbyggere» + «Tromsø»."""
        if not cands or not terms:
            return 0.0
        return max(c.coverage for c in cands) * (1 - unknown_share(terms))

    def refuse(self, hits: list[Hit], cands: list[Candidate], terms: list[Term]) -> bool:
        """Refuse unless one passage covers most of the question; when it covers only part of it,
        the embedding must also find the question close to the documents (common words such as
        «strømmen» or «passet» can be matched by chance, the meaning cannot)."""
        support = self.support(cands, terms)
        if support < self.min_support:
            return True
        top_dense = max((h.dense or 0.0 for h in hits), default=0.0)
        return support < self.sure_support and top_dense < self.min_dense

    def answer(self, question: str, searched: str | None = None, doc_id: str | None = None) -> Answer:
        query = searched or question
        hits, cands, terms = self.evidence(query, doc_id)
        if self.refuse(hits, cands, terms):
            return self._refusal(question, query, hits)
        return self.compose(question, query, select(cands))

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
                citations.append(self.citation(numbers[c.chunk.id], c.chunk, [g.words for g in group]))
            parts.append(with_marker(c.text, numbers[c.chunk.id]))
        return Answer(question=question, answer=" ".join(parts), refused=False, citations=citations, searched=query)

    def citation(self, n: int, chunk: Chunk, texts: list[str]) -> Citation:
        source = self.retriever.source(chunk.doc_id)
        q = quote(source, texts, chunk.start, chunk.end) or ws(source[chunk.spans[0][0] : chunk.spans[0][1]])
        return Citation(
            n=n, document=chunk.doc_title, section=chunk.section_path, page=chunk.page, table=chunk.table,
            quote=q, links=chunk.links, chunk_id=chunk.id, year=chunk.year,
        )


def _leans_back(text: str) -> bool:
    first = text.split(maxsplit=1)[0].lower().strip(",.:;«»") if text.split() else ""
    return first in ANAPHORS


def select(cands: list[Candidate]) -> list[Candidate]:
    """The best sentence with the sentences it needs or introduces, and strong sentences from
    other chunks; in document order within a chunk."""
    ranked = sorted(cands, key=lambda c: (-c.rank_score, c.rank, c.pos))
    best = ranked[0]
    same = {c.pos: c for c in cands if c.chunk.id == best.chunk.id}
    chosen = [best]
    # a sentence that leans on the one before it brings that one along
    if _leans_back(best.text) and best.pos - 1 in same:
        chosen.insert(0, same[best.pos - 1])
    # a sentence that introduces a list («… følgende:») brings its items; a following sentence that
    # leans back or also answers comes along
    nxt = best.pos + 1
    while nxt in same and len(chosen) < MAX_SENTENCES and (
        same[nxt - 1].text.rstrip().endswith(":") or _leans_back(same[nxt].text)
        or same[nxt].rank_score >= 0.6 * best.rank_score or sum(len(c.text) for c in chosen) < SHORT_ANSWER
    ):
        chosen.append(same[nxt])
        nxt += 1
    used_chunks = {best.chunk.id}
    for c in ranked[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if c.chunk.id in used_chunks or c.rank_score < 0.75 * best.rank_score:
            continue
        if any(_similar(c.text, o.text) for o in chosen):
            continue
        chosen.append(c)
        used_chunks.add(c.chunk.id)
    # the chunk with the best sentence first; each chunk's sentences in document order
    order = {c.chunk.id: -c.rank_score for c in reversed(ranked) if c in chosen}
    return sorted(chosen, key=lambda c: (order[c.chunk.id], c.pos))


def _similar(a: str, b: str) -> bool:
    sa, sb = stems(a), stems(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb))) > 0.8


def with_marker(sentence: str, n: int) -> str:
    s = sentence.strip()
    m = re.search(r"[.!?:]+$", s)
    if m:
        return f"{s[: m.start()]} [{n}]{s[m.start():]}"
    return f"{s} [{n}]."

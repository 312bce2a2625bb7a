"""Help questions — «Hva gjør jeg …», «Hvem kan vi kontakte …», «Hvor får vi hjelp …» — answered
with the help itself: the measures from the catalogue that fit the situation, each one line with
its citation, after the (at most two) passages that answer best.

Whether a question asks for help is read from its meaning (closeness to a few generic ways of
asking for help), and which measures fit from the meaning and the words of the situation it
describes. Nothing here names a measure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

import numpy as np

from .catalogue import Measure, build
from .norwegian import OFFER_RE, asking
from .retrieve import Hit
from .terms import Term, has_action, is_action_question, scene_is_topic

# Generic ways of asking what to do or where to turn; a question close to one asks for help.
HELP_ASKING = (
    "Hva gjør jeg hvis jeg er bekymret for en elev?",
    "Hva kan vi som foreldre gjøre, og hvor får vi hjelp?",
    "Hvem kan jeg kontakte eller drøfte saken med?",
    "Finnes det et tilbud eller noen som kan hjelpe oss?",
    "Er dette noe å være bekymret for, og hva kan vi gjøre?",
    "Finnes det noe oppfølging eller støtte for ham?",
)
HELP_COS = 0.865         # closeness to a way of asking for help that makes it a help question
MAX_MEASURES = 4
MIN_FIT = 0.3            # a measure must fit at least this well (0–1) to be offered
RELATIVE_FIT = 0.75      # … and nearly as well as the best one
MEANING_SHARE = 0.6      # of a measure's fit, the part from meaning (the rest from words)
FOUND_BONUS = 0.2        # for a measure in the chunk the search found first (less for lower ranks)
ASKED_SHARE = 0.75       # of the meaning a measure must fit, the share of the sentences that ask
                         # (typed dev sets: 0 / 0.5 / 0.75 / 1 → +0 / +3 / +3 / +4 right, one lost at 1)
ACTION_BONUS = 0.15      # for a measure whose description says where to turn or what is offered
AREA_CHUNKS = 2          # the headings over this many chunks the search found first name the situation's area
AREA_WEIGHT = 0.3        # how much sharing the area's words lifts a measure
                         # (tuning sets, 0.15 / 0.3 with 2 chunks: +3 / +5 −1 right; 3 chunks: +7 −2)


# «Behovet for en veileder er meldt inn …»: a measure the documents only say is needed is not there to turn to
_ONLY_NEEDED_RE = re.compile(r"\bbehovet\s+for\b", re.IGNORECASE)
_CLAUSE_RE = re.compile(r"[.?!,;:]+|\s+(?:og|men)\s+")
MIN_CLAUSE_WORDS = 3


def clauses(text: str) -> list[str]:
    """The clauses of a question long enough to ask something on their own."""
    return [c.strip() for c in _CLAUSE_RE.split(text) if len(c.split()) >= MIN_CLAUSE_WORDS]


class HelpDesk:
    def __init__(self, answerer) -> None:
        self.answerer = answerer

    @cached_property
    def measures(self) -> list[Measure]:
        return build(list(self.answerer.retriever.chunks.values()))

    @cached_property
    def _asking(self) -> np.ndarray:
        return self.answerer.retriever.embedder.embed_batch(list(HELP_ASKING), "query")

    def is_help_question(self, query: str) -> bool:
        """People tell the situation first and ask after it («… han er livredd nå. finnes det noe
        oppfølging for han»): the question and each of its clauses is held against the ways of asking."""
        if is_action_question(query) or OFFER_RE.match(asking(query)):
            return True
        qvec = self.answerer.retriever.query_vector(query)
        if float((self._asking @ qvec).max()) >= HELP_COS:
            return True
        parts = clauses(query)
        if len(parts) < 2:
            return False
        vecs = self.answerer.retriever.embedder.embed_batch(parts, "query")
        return float((vecs @ self._asking.T).max()) >= HELP_COS

    def named(self, heavy: list[Term]) -> Measure | None:
        """The measure the question names by the words weighing most in it («må han møte på avklaringssamtalen»:
        «Bekymringssamtale og avklaringssamtale»): a question about that measure, not a request for help."""
        known = [t for t in heavy if t.known]
        if not known:
            return None
        return next((m for m, name in zip(self.measures, self._names) if not m.from_heading
                     and all(t.match(name) >= 1.0 for t in known)), None)

    @cached_property
    def _offers(self) -> list[bool]:
        """Each measure says where to turn or what is offered: in its description, or — for a heading that
        names something (`Measure.heads_its_text`) — anywhere in the text under it: «Konsultasjonsteam
        ekstremisme» says what it is first, and «… trenger en å rådføre seg med andre instanser» after. A
        heading over a topic («Fryktkapital», «Hatkriminalitet – beskrevet av politiet») or over what happened
        («Samarbeid rundt ungdomsarrangementer»: «I 2024 ble ikke Kadetten … gjennomført») is no measure
        because its text mentions help."""
        vocab, chunks = self.answerer.vocab, self.answerer.retriever.chunks
        return [has_action(vocab.analyse(chunks[m.chunk_id].text if m.heads_its_text else m.description))
                for m in self.measures]

    @cached_property
    def _offered(self) -> list[tuple[Measure, bool]]:
        """The measures there to turn to, each with whether it says where to turn (`_offers`): not one the
        documents only say is needed."""
        return [(m, offers) for m, offers in zip(self.measures, self._offers)
                if not _ONLY_NEEDED_RE.search(m.description)]

    @cached_property
    def _names(self) -> list[set[str]]:
        """Each measure's name, analysed once (as `measures` is listed)."""
        return [self.answerer.vocab.analyse(m.name) for m in self.measures]

    def need(self, query: str) -> np.ndarray:
        """The meaning a measure must fit: mostly that of the sentences that ask («finnes det noe der jeg
        kan møte andre foreldre»), partly that of the whole message with the scene told before them
        («sønnen min har havnet i trøbbel med politiet …»). The scene alone describes the problem, and the
        passages closest to it describe the problem too."""
        qvec = self.answerer.retriever.query_vector(query)
        if scene_is_topic(self.answerer.vocab, query):
            return qvec   # «… Hvor får jeg hjelp i kommunen?»: the scene is the need
        avec = self.answerer.retriever.embedder.embed_batch([asking(query)], "query")[0]
        mixed = (1 - ASKED_SHARE) * qvec + ASKED_SHARE * avec
        return mixed / np.linalg.norm(mixed)

    def area(self, terms: list[Term], hits: Sequence[Hit]) -> list[Term]:
        """The words of the headings over the passages the search found first for the situation: the
        documents' own name for its area («Utfordringsbildet rusbruk» for «gutten røyker hasj»), which the
        measures for it share («… unge som har en bekymringsfull rusbruk») though the asker's words do not."""
        vocab, asked = self.answerer.vocab, {t.stem for t in terms}
        out: dict[str, Term] = {}
        for h in hits[:AREA_CHUNKS]:
            for t in vocab.terms(h.chunk.section[-1]):
                if t.known and t.stem not in asked:
                    out.setdefault(t.stem, t)
        return list(out.values())

    def fitting(self, query: str, terms: list[Term], doc_id: str | None = None,
                hits: Sequence[Hit] = ()) -> list[tuple[Measure, float]]:
        """The measures that fit the question, best first, with their fit (0–1). hits: what the search
        found for the question; a measure in a chunk found high fits better."""
        from .answer import closeness

        found = {h.chunk.id: rank for rank, h in enumerate(hits)}
        qvec = self.need(query)
        vocab, vectors = self.answerer.vocab, self.answerer.vectors
        area = self.area(terms, hits)
        sims = vectors.matrix @ qvec if len(vectors) else None
        scored = []
        for m, offers in self._offered:
            if doc_id and self.answerer.retriever.chunks[m.chunk_id].doc_id != doc_id:
                continue
            # what it is, and what the text around it says about it
            own = closeness(vectors.similarity(qvec, m.chunk_id, m.pos))
            around = closeness(vectors.chunk_best(sims, m.chunk_id)) if sims is not None else 0.0
            meaning = (own + around) / 2
            words = vocab.match(terms, f"{m.name} {m.description} {m.section}")
            fit = MEANING_SHARE * meaning + (1 - MEANING_SHARE) * words
            if area:
                fit += AREA_WEIGHT * vocab.match(area, f"{m.name} {m.description} {m.section}")
            if found and m.chunk_id in found:
                fit += FOUND_BONUS / (1 + found[m.chunk_id])
            if offers:
                fit += ACTION_BONUS  # it says where to turn or what is offered
            elif m.from_heading:
                continue  # a heading over text that offers nothing is a topic, not help
            scored.append((m, fit))
        scored.sort(key=lambda x: -x[1])
        if not scored or scored[0][1] < MIN_FIT:
            return []
        best = scored[0][1]
        return [(m, f) for m, f in scored[:MAX_MEASURES] if f >= RELATIVE_FIT * best]

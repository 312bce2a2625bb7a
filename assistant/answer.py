"""The default answerer: the most relevant passages of the retrieved chunks, each with its citation.

A passage is a sentence, or a bullet list read as one sentence with its introduction. No language
model is involved, so nothing is said that the documents do not say. When no passage covers the
question well enough (see Answerer.refuse), the answer says so plainly and points to the nearest
topics the documents cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import numpy as np

from .asks import ACRONYM_RE, AIM, AIM_RE, EVALUATED, GRADE, Expansion, Want, holds, place_wanted, wanted
from .catalogue import Measure
from .figure_question import is_participle
from .help import HelpDesk
from .lines import YEAR_RE
from .mention import ASIDE, CALLED_RE, Mentions, as_written, called
from .norwegian import asking, lemma, sentences, topical
from .passages import PART as PASSAGES_PART
from .passages import Passage, PassageVectors, chunk_passages, passages, readable  # noqa: F401 (re-exported)
from .quotes import find_span
from .retrieve import Hit, Retriever
from .scope import Scope, Scopes
from .terms import STOP_WORDS, Term, Vocabulary, has_action, naming_topics, scene_is_topic, stems, unknown_share
from .textclean import as_read, ws
from .types import Answer, Chunk, Citation

REFUSAL = "Jeg finner ikke noe om dette i dokumentene jeg har tilgang til, så jeg kan ikke svare på det."
MEASURES_INTRO = "Dette beskriver dokumentene som kan hjelpe:"
MORE = "Mer fra dokumentene:"
NEAREST_HELP = ("Dokumentene svarer ikke direkte på dette, men de beskriver disse tilbudene og tiltakene, som "
                "ligger nærmest situasjonen du beskriver:")
INTRO_WORDS = 20         # a list's introduction is short («Deres mandat er å:»); a longer one may hold a sentence
                         # the source left without its full stop («… sine politiske mål Oppsummert er dette …:»)
HELP_PASSAGES = 2         # the strongest passages of prose said with the measures of a help answer (each with
                          # the sentences next to it that it needs: `strongest`)
NEAREST_HELP_FIT = 0.45   # a measure fits a situation well (listed before the passages)
REFUSED_HELP_FIT = 0.4    # … or well enough to be offered when nothing answers it, tied to it by a topic word
AREA_TIE_UNKNOWN = 0.5    # the share of a question the documents never use up to which their area words tie it
MAX_SENTENCES = 4
TOP_CHUNKS = 8
NAME_WEIGHT = 0.25       # names the documents never use refuse a question when they carry this share of it
MIN_NAME_CHARS = 3       # a capitalised word shorter than this is an abbreviation or a typo, not a named scope
MEANING_CHUNKS = 4       # chunks added to the candidates because one of their passages is closest in meaning
CONTEXT_WEIGHT = 0.35    # how much a matching section and paragraph lift the sentences in them
LEAD_WEIGHT = 0.8        # the first sentence under a matching heading is taken to be about it
UNDER_HEADING = 0.5      # … and a later one, less surely (a detail: «Møtefrekvensen er hver 6. uke» under «Koordineringsgruppen»)
SHORT_ANSWER = 160       # an answer shorter than this also gets the sentence that follows
HEAVY_SHARE = 0.5        # a question's words weighing this share of its heaviest one are what it is about
ITEM_BACK = 3            # sentences a sentence holding a detail may go on from, back to the item it stands under
OFF_TOPIC_MARGIN = 1.25  # a passage naming a question's topic must cover this much more of it than those holding
                         # the detail it asks for, for the detail to be missing (tuning sets: 1.0 / 1.25 / 1.5 give
                         # the same / the same / one right fewer; 1.0 lost «hvor mange i 10. klasse drikker
                         # alkohol …» to a passage 3 % ahead in an earlier form of the check)
SCOPE_SHARE = 0.6       # a passage within the scope a question names must rank this close to the best
                        # (typed dev set: 0.5 / 0.6 / 0.7 → 59 / 60 / 60 % right)
MEANING_WEIGHT = 0.2     # share of a passage's rank that comes from its meaning (embedding), not its words
# Cosine similarities of the embedder between a question and a passage: below LOW unrelated, above
# HIGH as close as a paraphrase. Measured on the dev questions (README, «Avslag»).
COS_LOW, COS_HIGH = 0.82, 0.93
SCENE_WEIGHT = 0.5       # a word of the sentences before the one that asks, against a word it asks with
PHRASE_BONUS = 0.3       # a passage writing a name the question writes ranks this much higher (tuning sets: four
                         # «utsett for elever» questions right, none lost; any neighbouring words, not only quoted
                         # names: +6 −21 at 0.3, worse at 0.1)
DEFINING_BONUS = 0.5     # for «Hva er X?»: a sentence saying what X is ranks this much higher
# «Hva er Utsett?», «hva er tryggby-prosjektet egentlig», «hva er egentlig SLT for noe», «Hva går Tryggby ut på?»,
# «Hva står forkortelsen SLT for?»: what something is, not «Hva er målet med Utsett?» nor «hva er det for noe» (what
# «det» is, mention.called reads from a name given before it)
ASKS_DEFINITION_RE = re.compile(r"^\W*(hva|ka)\s+(?:(er|betyr|innebærer)\s+(?:egentlig\s+)?(?!(?:det|dette|den|denne)\b)"
                                r"(?!\S+\s+(?:med|for(?!\s+noe\W*$)|i|til|av|på|om)\b)\S+(\s+\S+){0,2}?(?:\s+for\s+noe)?"
                                r"|går\s+\S+(\s+\S+){0,2}?\s+ut\s+på|står\s+\S+(\s+\S+){0,2}?\s+for)\W*$", re.IGNORECASE)


def asks_definition(query: str, names: set[str] | frozenset[str] = frozenset()) -> bool:
    """One of the sentences that ask is «Hva er X?» («hva er egentlig utsett? … er det noe vits å gå»),
    also with the place it is in: «Hva er Tryggby-prosjektet i Bærum?», «… i bærum kommune» (names: the
    municipalities, in lower case)."""
    return any(ASKS_DEFINITION_RE.match(_AT_PLACE_RE.sub(lambda m: "" if m.group(1).lower() in names else m.group(0), s))
               for s in sentences(asking(query)))


_AT_PLACE_RE = re.compile(r"\s+i\s+(\w+)(?:\s+kommune)?(?=\W*$)", re.IGNORECASE)


# any «hva er …», also one asks_definition leaves out («hva er utsett for foreldre»)
WHAT_IS_RE = re.compile(r"^\W*(?:hva|ka)\s+(?:er|betyr)\b", re.IGNORECASE)
# within a sentence's first words: the verb after its subject that says what the subject is
_DEFINING_VERB_RE = re.compile(r"^(?:\S+\s+){1,8}?(er\s+(?:et|en|ei|ett)|heter|kalles|står for)\b", re.IGNORECASE)
# Sentences opening with these words lean on the sentence before («Disse tilbys mat, gaver …») …
ANAPHORS = {"disse", "dette", "de", "den", "det", "denne", "her", "slik"}
# … of which these surely point back, where «Det …», «De …» may just open a sentence («Det har i 2024 vært …»);
# a possessive too («Deres mandat er å:»)
POINTING = {"disse", "dette", "denne", "deres", "dens", "dets"}
# … and so do sentences with these among their first words, which draw a conclusion from it
CONCLUDING = {"derfor", "dermed", "således"}
CONCLUDING_SPAN = 5
# … and so does one opening on one more of what was named before («Et annet mål er …»)
ANOTHER = {"annet", "annen", "anna", "tredje", "fjerde"}


@dataclass
class Candidate:
    chunk: Chunk
    rank: int
    pos: int           # passage number within the chunk
    text: str          # as it reads in the answer
    words: str         # as it is matched and quoted
    score: float       # how much of the question its words answer
    rank_score: float  # score and meaning, adjusted for what kind of answer the question wants
    coverage: float    # how much of the question its chunk, with the section path, covers
    meaning: float     # 0–1, closeness in meaning to the question (0 when not embedded)


def closeness(cos: float | None) -> float:
    return 0.0 if cos is None else min(1.0, max(0.0, (cos - COS_LOW) / (COS_HIGH - COS_LOW)))


class Answerer:
    def __init__(self, retriever: Retriever, min_support: float = 0.25, sure_support: float = 0.9,
                 min_meaning: float = 0.4) -> None:
        self.retriever = retriever
        self.vocab = Vocabulary(list(retriever.chunks.values()))
        doc_ids = sorted({c.doc_id for c in retriever.chunks.values()})
        self.vectors = PassageVectors([retriever.paths.doc(d).part(PASSAGES_PART) for d in doc_ids])
        self._keys = sorted(self.vectors.row, key=self.vectors.row.get)
        self.min_support = min_support
        self.sure_support = sure_support
        self.min_meaning = min_meaning
        self.help = HelpDesk(self)
        self.scopes = Scopes(list(retriever.chunks.values()))
        self.mentions = Mentions(self.vocab, list(retriever.chunks.values()), retriever.source)

    def nearest_passages(self, qvec: np.ndarray, k: int) -> list[tuple[str, int, float]]:
        """(chunk id, passage number, cosine) of the k passages closest in meaning to the question."""
        if not len(self.vectors):
            return []
        sims = self.vectors.matrix @ qvec
        top = np.argsort(-sims)[:k]
        out = []
        for i in top:
            chunk_id, _, pos = self._keys[i].rpartition("#")
            out.append((chunk_id, int(pos), float(sims[i])))
        return out

    def evidence(self, query: str, doc_id: str | None = None) -> tuple[list[Hit], list[Candidate], list[Term]]:
        hits = self.retriever.search(query, k=TOP_CHUNKS, doc_id=doc_id)
        qvec = self.retriever.query_vector(query)
        # a passage close in meaning brings its chunk along, though the chunk as a whole ranked lower
        seen = {h.chunk.id for h in hits}
        for chunk_id, _, _ in self.nearest_passages(qvec, 3 * MEANING_CHUNKS):
            chunk = self.retriever.chunks.get(chunk_id)
            if chunk and chunk_id not in seen and (doc_id is None or chunk.doc_id == doc_id):
                hits.append(Hit(chunk, 0.0))
                seen.add(chunk_id)
            if len(hits) >= TOP_CHUNKS + MEANING_CHUNKS:
                break
        terms = self.scene_set(query, self.vocab.terms(query))
        definition = asks_definition(query, self.places)
        # the quoted names the question writes; not for «hva er utsett for foreldre»: the sentence saying what it is
        quoted = [] if WHAT_IS_RE.match(query) else self.vocab.names_in(query)
        cands: list[Candidate] = []
        for rank, hit in enumerate(hits):
            prior = 1.0 / (1 + 0.15 * min(rank, TOP_CHUNKS))
            text = readable(hit.chunk)
            if text is None:
                continue
            context = self.covering(terms, hit.chunk, text)
            heading = self.vocab.match(terms, hit.chunk.section[-1])
            before = hit.chunk.section_path
            for p in chunk_passages(hit.chunk):
                earlier, before = before, before + " " + p.words
                if not p.answerable:
                    continue
                own = self.vocab.match(terms, p.words)
                # «modellen» in a sentence is the «SLT-modellen» named above it
                if named := named_before(p.words, earlier):
                    own = max(own, self.vocab.match(terms, p.words + " " + named))
                if p.pos == 0:
                    own = max(own, LEAD_WEIGHT * heading)
                else:
                    own = max(own, UNDER_HEADING * heading)
                score = ((1 - CONTEXT_WEIGHT) * own + CONTEXT_WEIGHT * max(own, context)) * prior
                meaning = closeness(self.vectors.similarity(qvec, hit.chunk.id, p.pos))
                ranked = (1 - MEANING_WEIGHT) * score + MEANING_WEIGHT * meaning * prior
                if definition and self.defines(p.words, terms):
                    ranked *= 1 + DEFINING_BONUS
                if quoted and self.vocab.writes(quoted, p.words):
                    ranked *= 1 + PHRASE_BONUS
                cands.append(Candidate(hit.chunk, rank, p.pos, display(self.shown(p, terms)), p.words, score, ranked,
                                       context, meaning))
        return hits, cands, terms

    def shown(self, p: Passage, terms: list[Term]) -> Passage:
        """A list whose items are paragraphs of their own («Jobb: …; Overgang mellom skoler: …; Skolearenaen:
        …») shows the items the question's words touch; a list of short items (names, members) stays whole.
        The quote still holds the whole list."""
        if len(p.items) < MIN_LONG_ITEMS or sum(map(len, p.items)) / len(p.items) < LONG_ITEM:
            return p
        # the items the words touch, best first, as many as fit in LONG_LIST characters (at least one)
        scored = sorted(((self.vocab.match(terms, i), k) for k, i in enumerate(p.items)), key=lambda sk: (-sk[0], sk[1]))
        keep, size = set(), 0
        for score, k in scored:
            if score <= 0 or (keep and size + len(p.items[k]) > LONG_LIST):
                break
            keep.add(k)
            size += len(p.items[k])
        return replace(p, items=tuple(i for k, i in enumerate(p.items) if k in keep)) if keep else p

    def scene_set(self, query: str, terms: list[Term]) -> list[Term]:
        """Words that only set the scene before the sentence that asks weigh less than the words it asks with;
        not a name the asker gives with «heter»/«kalles» («… har hørt om noe som heter utsett»): it is what they
        ask about, wherever it stands."""
        if scene_is_topic(self.vocab, query):
            return terms
        named = " ".join(m.group(1) for m in CALLED_RE.finditer(query))
        in_question = {t.stem for t in self.vocab.terms(f"{asking(query)} {named}")}
        return [t if t.stem in in_question else replace(t, weight=t.weight * SCENE_WEIGHT) for t in terms]

    def defines(self, text: str, terms: list[Term]) -> bool:
        """The sentence says what one of the question's terms is: the term is its subject before «er
        et/en» («Utsett! er et …», «… (SLT) er en modell …»), or is named by «heter»/«kalles» («Prosjektet heter
        Tryggby»)."""
        m = _DEFINING_VERB_RE.search(text)
        if not m:
            return False
        named = text[: m.start(1)] + (text[m.end(): m.end() + 40] if m.group(1).lower() in ("heter", "kalles") else "")
        subject = self.vocab.analyse(named)
        return any(t.known and t.match(subject) == 1.0 for t in terms)

    def support(self, cands: list[Candidate], terms: list[Term]) -> float:
        """How much of the question one retrieved passage of the documents covers (0–1). Words the
        documents never use count against it by how much they name a topic of their own; words found
        only in different places do not add up."""
        if not cands or not terms:
            return 0.0
        return max(c.coverage for c in cands) * (1 - unknown_share(terms))

    def covering(self, terms: list[Term], chunk: Chunk, text: str) -> float:
        """How much of the terms the chunk's readable text with its section path covers (a candidate's coverage)."""
        return self.vocab.match(terms, chunk.section_path + " " + text)

    def refuse_topic(self, hits: list[Hit], cands: list[Candidate], terms: list[Term], form: list[Term],
                     situation: bool = False) -> bool:
        """Refuse when the documents cover neither the question nor its topic. The topic is the question less
        the words asking for a kind of detail (form: «hvem driver», «telefonnummeret»): they count neither as
        words the documents never use nor as words a chunk must cover («hvem driver familiekafeen» is covered
        by a chunk naming the «familiekafe», whether or not it says «driver»). The documents then are about
        the topic, and are told to lack the detail when they do."""
        if not self.refuse(hits, cands, terms, situation=situation):
            return False
        if not form:
            return True
        topic = [t for t in terms if t not in form]
        covered: dict[str, float] = {}
        for c in cands:
            if c.chunk.id not in covered:
                covered[c.chunk.id] = self.covering(topic, c.chunk, readable(c.chunk) or "")
        return self.refuse(hits, [replace(c, coverage=covered[c.chunk.id]) for c in cands], topic)

    def refuse(self, hits: list[Hit], cands: list[Candidate], terms: list[Term], situation: bool = False) -> bool:
        """Refuse unless the documents cover the question: in words, one chunk covers most of it; and
        when the words cover it only partly, a passage is also close to it in meaning. A request for
        help describes a situation in everyday words the documents do not use («dattera mi blir truet
        på snap»), so there closeness in meaning alone is enough."""
        support = self.support(cands, terms)
        meaning = max((c.meaning for c in cands), default=0.0)
        if support < self.min_support:
            return not (situation and meaning >= self.min_meaning)
        return support < self.sure_support and meaning < self.min_meaning and not self.headed(cands, terms)

    def with_heaviest(self, chosen: list[Candidate], cands: list[Candidate], terms: list[Term]) -> list[Candidate]:
        """A word weighing near the most in the question («vestre» in «… ungdomsskole i vestre bærum, hvilket av
        ungdomsteamene …»), when the chosen sentences lack it, is brought by a sentence of the best one's chunk
        that has it and ranks near it («Teamene kalles Ungdomsteam vestre Bærum 13-16 …»)."""
        if not chosen or len(chosen) >= MAX_SENTENCES:
            return chosen
        said = self.vocab.analyse(" ".join(c.words for c in chosen))
        missing = [t for t in heaviest(terms) if t.known and t.match(said) < 1.0]
        if not missing:
            return chosen
        lacking = max(missing, key=lambda t: t.weight)
        best = max(chosen, key=lambda c: c.rank_score)
        having = [c for c in cands if c.chunk.id == best.chunk.id and c not in chosen
                  and c.rank_score >= OTHER_SHARE * best.rank_score and lacking.match(self.vocab.analyse(c.words)) >= 1.0]
        if not having:
            return chosen
        add = max(having, key=lambda c: c.rank_score)
        own = sorted([c for c in chosen if c.chunk.id == best.chunk.id] + [add], key=lambda c: c.pos)
        return own + [c for c in chosen if c.chunk.id != best.chunk.id]

    @cached_property
    def places(self) -> set[str]:
        """The municipalities the documents are about or name, in lower case."""
        return self.scopes.home | self.scopes.municipalities

    @cached_property
    def _in_order(self) -> list[Chunk]:
        """The chunks in the order they stand in their documents."""
        return sorted(self.retriever.chunks.values(), key=lambda c: (c.doc_id, c.start))

    @cached_property
    def _previous(self) -> dict[str, Chunk]:
        """Each chunk's previous chunk in its document and section."""
        ordered = self._in_order
        return {c.id: p for p, c in zip(ordered, ordered[1:]) if p.doc_id == c.doc_id and p.section == c.section}

    def with_intro(self, chosen: list[Candidate]) -> list[Candidate]:
        """A list opening a chunk comes with the sentence introducing it at the end of the chunk before
        («Støttesenteret … ligger på politihuset på Grønland i Oslo. Deres mandat er å:»), and the one before
        that when the introduction points back to it."""
        first = chosen[0] if chosen else None
        prev = self._previous.get(first.chunk.id) if first and first.pos == 0 else None
        if prev is None or not prev.text.rstrip().endswith(":") or len(chosen) >= MAX_SENTENCES:
            return chosen
        said = chunk_passages(prev)   # «Deres mandat er å:» is too short to answer alone
        if not said or not said[-1].words.rstrip().endswith(":"):
            return chosen
        if len(said[-1].words.split()) > INTRO_WORDS:
            return chosen
        # … with the sentence it points back to («Deres mandat …»)
        lead = said[-2:] if len(said) > 1 and _points_back(said[-1].words) and len(chosen) + 2 <= MAX_SENTENCES else said[-1:]
        return [Candidate(prev, first.rank, p.pos, display(p), p.words, first.score, first.rank_score, first.coverage,
                          first.meaning) for p in lead] + chosen

    def opening(self, chunk: Chunk) -> str:
        """The first passage of the chunk's section and of each section above it, where it names one year
        («Bærum kommune gjennomførte Ungdata ungdomsundersøkelsen i 2022.»): the year the section is about."""
        return " ".join(self._openings.get((chunk.doc_id, chunk.section[:i]), "")
                        for i in range(1, len(chunk.section) + 1))

    @cached_property
    def _openings(self) -> dict[tuple[str, tuple[str, ...]], str]:
        out: dict[tuple[str, tuple[str, ...]], str] = {}
        for c in self._in_order:
            if (c.doc_id, c.section) not in out and c.kind != "table":
                first = next(iter(chunk_passages(c)), None)
                one_year = first is not None and len(set(YEAR_RE.findall(first.words))) == 1
                out[(c.doc_id, c.section)] = first.words if one_year else ""
        return out

    def headed(self, cands: list[Candidate], terms: list[Term]) -> bool:
        """The heading over the best passage names what weighs most in the question («Områderettet innsats
        på Emma Hjorth» for «emma hjorth – hva har kommunen satt i gang der»): a name embeds poorly, so
        the meaning of such a question says little, while the section it names is about it."""
        heavy = heaviest(terms)
        if not heavy or not cands or any(not t.known for t in heavy):
            return False   # a heavy word the documents never use («… på en CV») is a topic they lack
        best = max(cands, key=lambda c: c.rank_score)
        heading = self.vocab.analyse(best.chunk.section[-1])
        return all(t.match(heading) >= 1.0 for t in heavy)

    def answer(self, question: str, searched: str | None = None, doc_id: str | None = None,
               given: frozenset[tuple[str, int]] = frozenset()) -> Answer:
        """The cited answer; `given` holds passages an earlier part of the same message already said,
        so a later part says what they did not, where the documents hold more about it."""
        query = topical(searched or question)
        query = called(query) or query
        hits, cands, terms = self.evidence(query, doc_id)
        names = [t for t in terms if t.name and not t.known and len(t.word) >= MIN_NAME_CHARS]
        if names and sum(t.weight for t in names) >= NAME_WEIGHT * sum(t.weight for t in terms):
            written = [re.search(rf"\b{re.escape(t.word)}\b", query, re.IGNORECASE) for t in names]
            return self._refusal(question, query, cands, terms,
                                 scope=[w.group(0) if w else t.word for w, t in zip(written, names)])
        # «Hva blir været i Sandvika i morgen?»: of what it asks, the documents know only the place
        places = self.scopes.places_in(query)
        if places and any(not t.known and t.weight > 0 for t in terms) and all(
                t.word in places for t in terms if t.known and t.weight > 0):
            return self._refusal(question, query, cands, terms)
        mention = self.mentions.only_mentioned(query, terms)
        if mention is not None:
            return self._mention(question, query, *mention)
        want = wanted(query)
        # a question whose form asks for one fact or a procedure (a count, a price, how to apply), what
        # something is for, or what it is («Hva er fryktkapital?») is no request for help
        helping = (want is None and not AIM.asked.search(query) and not EVALUATED.asked.search(query)
                   and not asks_definition(query, self.places)
                   and not self.help.named(heaviest(terms)) and self.help.is_help_question(query))
        # the words that ask for a kind of detail («telefonnummeret») are the question's form: when the
        # documents never use them, they do not count against a topic the documents cover, which is then
        # told that the detail is missing («Dokumentene oppgir ikke telefonnummer …»)
        form_said = form_words(want.asked, query) if isinstance(want, Want) else set()
        if isinstance(want, Expansion):   # «hva står forkortelsen BTI for»
            form_said = {w.lower() for w in ACRONYM_RE.search(query).group(0).split()} - {want.acronym.lower()}
        form = [t for t in terms if t.word.lower() in form_said]
        scope = self.scopes.of(query)
        if scope:
            # a passage naming a year of its own is about that year, whatever year its section opens with
            inside = [c for c in cands if self.scopes.covers(
                scope, f"{c.chunk.section_path} {c.words}", around(c),
                "" if YEAR_RE.search(c.words) else self.opening(c.chunk))]
            best = max((c.rank_score for c in cands), default=0.0)
            # naming Asker in passing does not make a passage an answer about Asker
            if (not inside or max(c.rank_score for c in inside) < SCOPE_SHARE * best
                    or self.refuse_topic(hits, inside, terms, form)):
                return self._refusal(question, query, cands, terms, outside=scope)
            cands = inside + in_scope_with(inside, cands)
        if self.refuse_topic(hits, cands, terms, form, situation=helping):
            refusal = self._refusal(question, query, cands, terms)
            return (self._nearest_help(refusal, hits, terms, doc_id) if helping else None) or refusal
        if (isinstance(want, Want) and want.of is not None and want.own_words
                and not any(t.known and want.of.match(t.word) for t in terms)):
            want = replace(want, of=None)  # «tiendeklassinger»: the documents count them in words of their own
        if want is not None:
            held = holding(want, cands)
            if not held or (isinstance(want, Want) and want.kind.startswith("antall") and _unwritten_event(query, terms)):
                return self._missing(question, query, want, select(cands)[0])
            # a detail held only by passages about something else is missing for this topic (a role asked
            # about by name is held only where the passage names what the role is in, so not here)
            off = (self.off_topic(held, want, cands, terms, question, form_said)
                   if isinstance(want, Want) and want.own_words else None)
            if off is not None:
                return self._missing(question, query, want, off)
            cands = held
        elif AIM.asked.search(query):
            cands = holding(AIM, cands) or cands
        elif GRADE.asked.search(query):
            cands = holding_nearby(GRADE, cands) or cands
        elif EVALUATED.asked.search(query):
            cands = holding_nearby(EVALUATED, cands) or cands
        elif (place := place_wanted(query, self.scopes.written_names)) and (placed := holding(place, cands)):
            cands, helping = placed, False   # the place to go is the answer, not the measures for the situation
        cands, newest = newest_document(query, cands)
        cands = unsaid(cands, given)
        chosen = self.with_heaviest(select(cands), cands, terms)
        if asks_definition(query, self.places):
            chosen = with_expansion(with_purpose(chosen, cands), cands, query)
        if newest:
            answer = self.compose(question, query, chosen)
            answer.answer += f" (Svaret bygger på det nyeste dokumentet, fra {newest}.)"
            return answer
        if helping:
            prose = self.with_intro(strongest(chosen, HELP_PASSAGES))
            # a measure the prose already says is not listed again; one the prose leaves out is
            fitting = [(m, fit) for m, fit in self.help.fitting(query, terms, doc_id, hits)
                       if not any(c.chunk.id == m.chunk_id and c.pos == m.pos for c in prose)]
            if fitting:
                # where to turn comes first when it fits the situation well, unless the best passages
                # already say what to do
                acts = any(has_action(self.vocab.analyse(c.words)) for c in prose)
                first = not acts and fitting[0][1] >= NEAREST_HELP_FIT
                return self.compose(question, query, prose, [m for m, _ in fitting[:3]], measures_first=first)
        return self.compose(question, query, self.with_intro(chosen))

    def off_topic(self, held: list[Candidate], want: Want, cands: list[Candidate], terms: list[Term],
                  question: str, form: set[str]) -> Candidate | None:
        """A passage naming what the question is about (its heaviest word, not the words asking for the
        kind of detail: form) that covers clearly more of the question than every passage holding what it
        wants: the documents do not hold it for this topic («hvor mange fikk ungdomsstraff» is not
        answered by «seks ungdommer tvangsplassert»). That passage, to say what the documents do say;
        None when a holding passage is about as close to the question."""
        topic = [t for t in terms if t.known and t.word.lower() not in form]
        # a later part of a message is about its own words, read with the first part's («REN – fra når …
        # og hvor mange saker var det»: the cases, not «pålagt»)
        own = [t for t in topic if re.search(rf"\b{re.escape(t.word)}\b", question, re.IGNORECASE)]
        top = max(own or topic, key=lambda t: t.weight, default=None)
        if top is None:
            return None

        def covered(c: Candidate, before: str = "") -> tuple[bool, float]:
            """Whether the passage (with its section's heading) names the topic, or the sentences it goes on
            from name it in full, and how much of the question the passage covers."""
            stems = self.vocab.analyse(f"{c.chunk.section_path} {c.words}")
            names = top.match(stems) > 0 or (bool(before) and top.match(self.vocab.analyse(before)) >= 1.0)
            return names, sum(t.weight * t.match(stems) for t in topic)

        # a sentence holding the detail may name the topic only in the item it goes on from («Spillkontakt
        # for unge …: … Tilbudet opprettholdes i første omgang ut 2025»)
        holders = [covered(c, self._before(c)) for c in held if holds(want, c.words)]
        if any(names for names, _ in holders):
            return None
        naming = [(weight, c) for c in cands for names, weight in [covered(c)] if names]
        if not naming:
            return None
        weight, passage = max(naming, key=lambda x: x[0])
        return passage if weight > OFF_TOPIC_MARGIN * max((w for _, w in holders), default=0.0) else None

    def _before(self, c: Candidate) -> str:
        """The words of the sentences before this one that it may go on from: back to the item it stands
        under («Spillkontakt for unge …: Pilotering …. Ble i gangsatt i 2023. Tilbudet opprettholdes …»),
        at most ITEM_BACK passages; else the one right before."""
        said = chunk_passages(c.chunk)[:c.pos]
        back = said[-ITEM_BACK:]
        titled = next((i for i in range(len(back) - 1, -1, -1) if ":" in back[i].lead), None)
        return " ".join(p.words for p in (back[titled:] if titled is not None else back[-1:]))

    def _nearest_help(self, refusal: Answer, hits: list[Hit], terms: list[Term], doc_id: str | None) -> Answer | None:
        """A request for help the documents do not answer as asked: still a refusal, but one that lists
        the measures fitting the situation best, cited, so the asker has somewhere to turn."""
        # what ties a measure to the situation must be a word naming a topic («ranet»), not «hele tiden» …
        topical_terms = naming_topics(terms)
        fitting = [m for m, fit in self.help.fitting(refusal.searched, terms, doc_id, hits) if fit >= REFUSED_HELP_FIT]
        measures = [m for m in fitting if self.vocab.match(topical_terms, f"{m.name} {m.description}") > 0]
        if not measures and unknown_share(terms) < AREA_TIE_UNKNOWN:
            # … or, failing that, a word of the area where the documents speak of that topic («Utfordringsbildet
            # rusbruk» for «hasj»), when they know most of the question (not «Hvordan baker jeg surdeigsbrød?»)
            known = [t for t in topical_terms if t.known]
            speaking = [h for h in hits if any(t.match(self.vocab.analyse(h.chunk.text)) >= 1.0 for t in known)]
            area = self.help.area(terms, speaking)
            measures = [m for m in fitting if self.vocab.match(area, f"{m.name} {m.description}") > 0]
        if not measures:
            return None
        answer = self.compose(refusal.question, refusal.searched, [], measures[:3], NEAREST_HELP)
        answer.refused, answer.suggestions = True, refusal.suggestions
        return answer

    def _mention(self, question: str, query: str, term: Term, chunk: Chunk, p: Passage) -> Answer:
        written = re.search(rf"[\w-]*{re.escape(term.word)}[\w-]*", query, re.IGNORECASE)
        name = as_written(query, written.group(0) if written else term.word, p.words)
        shown, quoted = display(p), p.words
        # rows or bullets run together as prose: the line it stands on, not the rows around it (a list
        # the passage reads as a list stays whole: «Fact ung; MST; BTI» says what kind of thing it is)
        line = self.mentions.line(chunk, p, name) if not p.items else ""
        # … but an item that is a paragraph of its own («Mitt møte med Norge … v/ Safia Abdi Haase») is shown alone
        line = line or next((i for i in p.items if name.lower() in i.lower() and len(i) > len(name) + ASIDE), "")
        if line:
            shown = quoted = line
        # a person may be named with a title («v/ forsker Stian Lid ved OsloMET»): no more than that is said
        what = "sier ikke mer om hvem" if re.match(r"\W*hvem\b", query, re.IGNORECASE) else "beskriver ikke hva"
        text = f"Dokumentene nevner «{name}», men {what} det er. Det nevnes her: {with_marker(shown, 1)}"
        return Answer(question=question, answer=text, refused=True, searched=query,
                      citations=[self.citation(1, chunk, [quoted])])

    def _missing(self, question: str, query: str, want: Want | Expansion, nearest: Candidate) -> Answer:
        """The documents are about the topic but do not hold what is asked (a price, a time …): say so,
        and what they do say, cited."""
        text = (f"{want.missing()} Det nærmeste de sier: "
                f"{with_marker(nearest.text, 1)}")
        return Answer(question=question, answer=text, refused=True, searched=query,
                      citations=[self.citation(1, nearest.chunk, [nearest.words])])

    def _refusal(self, question: str, query: str, cands: list[Candidate], terms: list[Term], scope: list[str] = (),
                 outside: Scope | None = None) -> Answer:
        text = REFUSAL
        if scope:
            text = (f"Jeg finner ikke noe om dette i dokumentene jeg har tilgang til: de nevner ikke {_names(scope)}, "
                    "så jeg kan ikke svare på det.")
        elif outside:
            text = (f"Jeg finner ikke noe om dette for {outside.named()} i dokumentene jeg har tilgang til, "
                    "så jeg kan ikke svare på det.")
        return Answer(question=question, answer=text, refused=True, searched=query,
                      suggestions=self.suggestions(cands, terms))

    def suggestions(self, cands: list[Candidate], terms: list[Term], n: int = 3) -> list[str]:
        """The nearest topics the documents do cover, as questions a person can ask next: of the
        passages ranked first by words and meaning together, the deepest heading above each that shares
        a word with the question («Bæring av kniv/annet våpen», not «Delmål» or «Sammendrag»); failing
        that, the section of the passage ranked first."""
        near = sorted((c for c in cands if c.meaning > 0 or c.coverage > 0), key=lambda c: -c.rank_score)
        topics: list[str] = []
        # headings sharing a word naming a topic first, then any word the documents use
        for use in (naming_topics(terms), [t for t in terms if t.known]):
            for c in near:
                heading = next((h for h in reversed(c.chunk.section) if self.vocab.match(use, h) > 0), None)
                if heading and heading not in topics:
                    topics.append(heading)
        if not topics and near:
            topics = [near[0].chunk.section[-1]]  # no heading shares a word: the section closest in meaning
        return [f"Hva sier dokumentene om «{t}»?" for t in topics[:n]]

    def compose(self, question: str, query: str, chosen: list[Candidate], measures: list[Measure] = (),
                measures_intro: str = MEASURES_INTRO, measures_first: bool = False) -> Answer:
        """The chosen passages as prose and the fitting measures one per line (after the prose, or
        before it under «Mer fra dokumentene»); one citation per chunk, numbered in order of first
        use, quoting everything said from it."""
        said: dict[str, list[str]] = {}
        prose = [(c.chunk.id, c.words) for c in chosen]
        # the quote holds what the line says: the description as far as the line shows it
        listed = [(m.chunk_id, brief(m.description, MEASURE_LINE - max(0, len(m.line) - len(m.description))))
                  for m in measures]
        for chunk_id, words in (listed + prose if measures_first else prose + listed):
            said.setdefault(chunk_id, []).append(words)
        numbers = {chunk_id: n for n, chunk_id in enumerate(said, start=1)}
        chunks = self.retriever.chunks
        citations = [self.citation(numbers[i], chunks[i], texts) for i, texts in said.items()]
        # sources from documents of different years: each statement says which document it is from
        dated = len({c.chunk.year for c in chosen}) > 1
        text = " ".join(with_marker((f"{c.chunk.doc_title} ({c.chunk.year}): " if dated else "") + c.text,
                                    numbers[c.chunk.id]) for c in chosen)
        if measures:
            lines = measures_intro + "\n" + "\n".join(
                "• " + with_marker(as_read(brief(m.line)), numbers[m.chunk_id]) for m in measures)
            text = f"{lines}\n\n{MORE} {text}" if measures_first and text else f"{text}\n\n{lines}"
            text = text.strip()
        return Answer(question=question, answer=text, refused=False, citations=citations, searched=query,
                      passages=[(c.chunk.id, c.pos) for c in chosen])

    def citation(self, n: int, chunk: Chunk, texts: list[str]) -> Citation:
        """The chunk's citation, quoting the texts said from it, with the links that stand in them."""
        source = self.retriever.source(chunk.doc_id)
        spans = quote_spans(source, texts, chunk.start, chunk.end) or [chunk.spans[0]]
        q = QUOTE_GAP.join(ws(source[a:b]) for a, b in spans)
        return Citation(
            n=n, document=chunk.doc_title, section=chunk.section_path, page=chunk.page, table=chunk.table,
            quote=q, links=chunk.links_at(spans), chunk_id=chunk.id, year=chunk.year,
        )


QUOTE_GAP = " … "
MAX_JOIN_GAP = 3     # source characters between two cited spans that still read as one quote


def quote_spans(source: str, texts: list[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """The verbatim source spans of the cited texts, in source order; spans that touch are merged."""
    spans = sorted(s for s in (find_span(source, t, lo, hi) for t in texts) if s)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a - merged[-1][1] <= MAX_JOIN_GAP:
            merged[-1][1] = max(merged[-1][1], b)
        elif not merged or a >= merged[-1][1]:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


WANT_SHARE = 0.35  # a passage holding what the question wants may rank this much below the best
                   # (typed dev set: 0.25 / 0.35 / 0.5 → 61 / 60 / 60 % right, dev 93 % for all)


def in_scope_with(inside: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
    """The passages outside a scope that belong with one inside it, ranked no higher: the one before a passage
    with no subject of its own («Implementeres på ungdomsskolene i 2025», in a row after the name of what is
    implemented), and one going on from it («I 2023 ble det i Norge påtaleavgjort 21 800 forhold … Det er 28
    prosent flere enn året før.»)."""
    at = {(c.chunk.id, c.pos): c for c in inside}
    out = []
    for c in cands:
        if (c.chunk.id, c.pos) in at:
            continue
        after, before = at.get((c.chunk.id, c.pos + 1)), at.get((c.chunk.id, c.pos - 1))
        if after is not None and _subjectless(after.text):
            out.append(replace(c, rank_score=min(c.rank_score, after.rank_score)))
        elif before is not None and _leans_back(c.text):
            out.append(replace(c, rank_score=min(c.rank_score, before.rank_score)))
    return out


def holding(want: Want | Expansion, cands: list[Candidate]) -> list[Candidate]:
    """The passages that hold the kind of answer the question wants (a time, a price …), first; the
    other passages of their chunks come along for context. None when no passage ranking near the
    best holds it (a price in an unrelated passage far down is no answer)."""
    best = max((c.rank_score for c in cands), default=0.0)
    hold = {id(c) for c in cands if c.rank_score >= WANT_SHARE * best and holds(want, c.words)}
    keep = {c.chunk.id for c in cands if id(c) in hold}
    return [c if id(c) in hold else replace(c, rank_score=WANT_SHARE * c.rank_score)
            for c in cands if c.chunk.id in keep]


NEARBY_SHARE = 0.95   # a passage holding a soft want, in the best one's section, ranks this close to it


def holding_nearby(want: Want, cands: list[Candidate]) -> list[Candidate]:
    """All passages, when one of the best passage's section holds what a soft want asks for (the grades a
    programme is for, said further down in its section): that one ranked just below the best, so the
    answer still opens with the best and says it too."""
    best = max(cands, key=lambda c: c.rank_score)
    own = [c for c in cands if c.chunk.section_path == best.chunk.section_path]
    held = max((c for c in own if holds(want, c.words)), key=lambda c: c.rank_score, default=None)
    if held is None:
        return []
    return [replace(c, rank_score=max(c.rank_score, NEARBY_SHARE * best.rank_score)) if c is held else c for c in cands]


GIVEN_SHARE = 0.6   # a passage not yet said answers a later part when it ranks this close to the best


def unsaid(cands: list[Candidate], given: frozenset[tuple[str, int]]) -> list[Candidate]:
    """For a later part of a message: the passages an earlier part has not said, when one of them
    answers nearly as well as the best; otherwise all (the part is then answered by what was said, and
    the join drops the repeated sentences)."""
    if not given:
        return cands
    best = max(c.rank_score for c in cands)
    fresh = [c for c in cands if (c.chunk.id, c.pos) not in given]
    return fresh if fresh and max(c.rank_score for c in fresh) >= GIVEN_SHARE * best else cands


NEWEST_SHARE = 0.8   # the newest document answers when its best passage is this close to the best of all


def newest_document(query: str, cands: list[Candidate]) -> tuple[list[Candidate], int | None]:
    """A question that names no year, answered by documents of different years: the newest document's
    passages, when it answers nearly as well as any, and its year to say so. Otherwise all of them."""
    years = {c.chunk.year for c in cands if c.chunk.year}
    if len(years) < 2 or YEAR_RE.search(query):
        return cands, None
    newest = max(years)
    best = max(c.rank_score for c in cands)
    own = [c for c in cands if c.chunk.year == newest]
    older = [c for c in cands if c.chunk.year != newest and c.rank_score >= NEWEST_SHARE * best]
    if own and older and max(c.rank_score for c in own) >= NEWEST_SHARE * best:
        return own, newest
    return cands, None


def _names(names: list[str]) -> str:
    quoted = [f"«{n if n.isupper() else n[:1].upper() + n[1:]}»" for n in names]   # «MOT», «Tromsø»
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


_FOOTNOTE_RE = re.compile(r"^\d{1,2}\s+(?=[A-ZÆØÅ])")


# a table row opening with its numbered label: «Tiltak 8, 10 Undervisningsopplegg …»
_LABELLED_ROW_RE = re.compile(r"^([A-ZÆØÅ][a-zæøå]+ \d{1,3}(?:, ?\d{1,3})*) (?=[A-ZÆØÅ«“\"])")


def display(p: Passage) -> str:
    """The passage as it reads in an answer: a list opening a chunk without its heading glued in front,
    no footnote number read as the start of the sentence, and a table row's numbered label set off from
    the row («Tiltak 8, 10: Undervisningsopplegg …»)."""
    if p.lead_is_heading:
        text = "; ".join(i.rstrip(" .;:") for i in p.items) + "."
    else:
        text = p.prose()
    return as_read(_LABELLED_ROW_RE.sub(r"\1: ", _FOOTNOTE_RE.sub("", text)))


LONG_ITEM = 150      # characters: list items this long on average are paragraphs, shown only where they fit
LONG_LIST = 600     # characters of such a list's items shown at most (the items touched most first)
MIN_LONG_ITEMS = 3   # (dev sets at 150 and 250: no answer more or less right, the 47 changed ones 40 % shorter)
MEASURE_LINE = 250   # characters; a measure's line ends at the last sentence or list item within this


def brief(text: str, limit: int = MEASURE_LINE) -> str:
    """A measure's text cut to one line's worth, at the end of a sentence or list item («…; …»)."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in re.finditer(r"[.;!?](?=\s)", text[:limit])]
    return text[: ends[-1]].rstrip(" ;") if ends else text


def _leans_back(text: str) -> bool:
    """The sentence opens on the one before it («Dette …», «Et annet mål er …»), or draws its conclusion («Bærum
    antas derfor å være …»)."""
    words = [w.lower().strip(",.:;«»") for w in text.split()[:CONCLUDING_SPAN]]
    return bool(words) and (words[0] in ANAPHORS or any(w in CONCLUDING for w in words)
                            or (len(words) > 1 and words[0] in ("en", "ei", "et") and words[1] in ANOTHER))


_DONE_TO_RE = re.compile(r"\b(?:ble|blir|blitt)\s+([a-zæøå]+t)\b", re.IGNORECASE)


def _unwritten_event(question: str, terms: list[Term]) -> bool:
    """A count of what was done to people that the documents never write of («hvor mange ble arrestert / dømt»):
    no number in them counts it, whatever it stands beside. The passive of the counting clause only: what the
    counted did («har røykt hasj») the documents may say in words of their own («brukt»), and a scene before
    the question («ble avhørt av politiet, hvor mange …») is not what is counted."""
    unknown = {t.word.lower() for t in terms if not t.known}
    clause = re.split(r"\bhvor\s+mange\b", question, flags=re.IGNORECASE)[-1]
    return any(w.lower() in unknown and is_participle(w.lower()) for w in _DONE_TO_RE.findall(clause))


def _subjectless(text: str) -> bool:
    """The sentence has no subject of its own: it opens with a verb in the passive, a verb's infinitive with
    «-s» («Implementeres på ungdomsskolene i 2025», in a row after the name of what is implemented)."""
    first = _first_word(text, 30)
    if len(first) <= MIN_DEFINITE:
        return False
    base = lemma(first)
    return base != first and first == base + "s" and base[-1:] in "aeiouyæøå"


def _leans_on(text: str, before: str) -> bool:
    """The sentence opens on the one before it («Dette …») or on what that one names («Prosjektet …»)."""
    return _leans_back(text) or _refers_to(text, before)


def _points_back(text: str) -> bool:
    """The sentence opens with a word that surely points to the one before it («Denne muligheten …»,
    «Deres mandat …»)."""
    return _first_word(text, 20) in POINTING


def _first_word(text: str, span: int) -> str:
    """The first word within the text's first `span` characters, in lower case («» when none)."""
    return (re.findall(r"[a-zæøå]+", text[:span].lower()) or [""])[0]


def form_words(asked: re.Pattern, query: str) -> set[str]:
    """The words of the question that ask for a kind of detail: those the asking pattern cannot match
    without («når», «åpent» and «hvilke ukedager»; not «fritidsklubbene» in «når har fritidsklubbene åpent»)."""
    form = set()
    for m in asked.finditer(query):
        for w in re.finditer(r"\w+", m.group(0)):
            a, b = m.start() + w.start(), m.start() + w.end()
            if not asked.search(query[:a] + query[b:]):
                form.add(w.group(0).lower())
    return form


def heaviest(terms: list[Term]) -> list[Term]:
    """The question's words weighing near the most: what it is about."""
    top = max((t.weight for t in terms), default=0.0)
    return [t for t in terms if top and t.weight >= HEAVY_SHARE * top]


_DEFINITE_ENDINGS = ("et", "en", "a")
MIN_DEFINITE = 6   # «Prosjektet», «Tiltaket»: shorter words («Det», «Men») are no definite nouns
MIN_NOUN = 4       # letters of the noun without its ending


# «-het», «-itet» end the noun itself («kriminalitet», «trygghet»), definite or not («tryggheten»)
_NO_DEFINITE_RE = re.compile(r"(?:het|itet)(?:en)?$")
_INFLECTED = r"(?:e|er|et|en|ene|a)?\b"   # a noun's endings: «prosjekt», «prosjekter», «prosjektene»
_NUMBERED_LABEL_RE = re.compile(r"^\s*[a-zæøå]+\s+\d+(?:\s*,\s*\d+)*\s+")


def _definite_noun(word: str) -> str:
    """The noun of a word in the definite singular («prosjektet»: «prosjekt»); "" for a word too short to be
    one, or ending in «-het», «-itet» («Hatkriminalitet», «Tryggheten»), which is no definite ending."""
    if len(word) < MIN_DEFINITE or _NO_DEFINITE_RE.search(word):
        return ""
    noun = next((word[: -len(e)] for e in _DEFINITE_ENDINGS if word.endswith(e)), "")
    return noun if len(noun) >= MIN_NOUN else ""


def _definite_nouns(text: str) -> list[tuple[str, str]]:
    """(word, noun) for each word of the text in the definite singular, in order, each once."""
    words = dict.fromkeys(re.findall(r"\b[a-zæøå]{%d,}\b" % MIN_DEFINITE, text))
    return [(word, noun) for word in words if (noun := _definite_noun(word))]


def _refers_to(text: str, before: str) -> bool:
    """The sentence opens with a definite noun the sentence before names («… igangsatte kommunen et
    større prosjekt …» – «Prosjektet heter Tryggby …» – «Prosjektet er støttet av …»): it goes on about it."""
    noun = _definite_noun((re.findall(r"[a-zæøå]+", text[:40].lower()) or [""])[0])
    if not noun:
        return False
    # the noun itself or inflected, written in lower case there (or opening it): a name («Trygghetsprogrammet»)
    # repeated is no reference back, nor a compound it begins («Arbeidet» – «arbeidsgruppene»)
    inflected = noun + _INFLECTED
    # … or opening a table's row after its numbered label («Tiltak 16 Foreldreveileder som …»)
    opening = _NUMBERED_LABEL_RE.sub("", before.lower(), count=1)
    return bool(re.search(rf"\b{inflected}", before)) or bool(re.match(rf"\s*{inflected}", opening))


def _goes_on(text: str, before: str) -> bool:
    """The sentence opens on what the sentences before named («Prosjektet …»), or names in the definite
    what they named in another form («… skrive en kontrakt med …» – «… må foresatte også signere kontrakten»)."""
    if _refers_to(text, before):
        return True
    for word, noun in _definite_nouns(text):
        if not re.search(rf"\b{word}\b", before, re.I) and re.search(rf"\b(?:en|et|ei|ett)\s+{noun}\b", before):
            return True
    return False


OPENING_WORDS = 5   # the words of a sentence's opening clause


def _opens_on_plural(text: str, before: str) -> bool:
    """The sentence's opening words name in the definite plural what the sentences before named without the
    ending («… ble det satt inn ekstra tiltak …» – «Samhandlende rundt tiltakene var …»; «tjeneste» – «tjenestene»)."""
    for word in re.findall(r"[a-zæøå]+", text.lower())[:OPENING_WORDS]:
        if len(word) < MIN_DEFINITE or not word.endswith("ene") or re.search(rf"\b{word}\b", before, re.I):
            continue
        if re.search(rf"\b(?:{word[:-3]}|{word[:-2]})(?:e?r)?\b", before, re.I):
            return True
    return False


def _opening_lower(text: str) -> str:
    """The sentence with its first word in lower case («Programmet fokuserer …»): a definite noun opening it."""
    return text[:1].lower() + text[1:]


@lru_cache(maxsize=65536)
def named_before(text: str, before: str) -> str:
    """The compounds written before a sentence that its definite nouns stand for: «I Bærum ble modellen
    besluttet innført i 2013» speaks of the «SLT-modellen» named above it."""
    out = []
    for first, noun in _definite_nouns(_opening_lower(text)):
        # a name made with the noun: joined by a hyphen («SLT-modellen») or capitalised («Bekymringssamtalen»);
        # not any word ending in it («kommunen» is no «fylkeskommunen», «jobbet» no «deltidsjobb»)
        out += [m.group(0) for m in re.finditer(rf"\b[\w-]+{noun}{_INFLECTED}", before, re.I)
                if len(m.group(0)) > len(first) + 1 and (m.group(0)[0].isupper() or re.search(rf"-{noun}", m.group(0), re.I))]
    return " ".join(dict.fromkeys(out))


FOLLOW_SHARE = 0.6   # the sentence after an answering one comes along when it ranks this close to it


def strongest(chosen: list[Candidate], n: int) -> list[Candidate]:
    """The n passages of an answer that rank highest, in the answer's order, each with the sentence before it
    that it leans on or refers to («Stiftelsen 10. august drifter …» – «Stiftelsen jobber for …») and the next
    sentence when that one goes on from it (also by naming in the definite plural what it named) or ranks close
    to it (FOLLOW_SHARE of it, not of the best): what a help answer says before its measures.
    The first n in the answer's order may be the weaker ones («Samarbeid mellom foreldre kan være vanskelig …»
    before «Det har kommet tilbakemelding om at foreldre … ønsker å … komme i kontakt med andre foreldre»)."""
    def follows(i: int, j: int) -> bool:
        """chosen[j] is the sentence right after chosen[i] in the document."""
        return 0 <= min(i, j) and max(i, j) < len(chosen) and chosen[j].chunk.id == chosen[i].chunk.id \
            and chosen[j].pos - chosen[i].pos == j - i == 1

    top = sorted(range(len(chosen)), key=lambda i: -chosen[i].rank_score)[:n]
    keep = set(top) | {i - 1 for i in top if follows(i - 1, i) and _leans_on(chosen[i].text, chosen[i - 1].text)}
    keep |= {i + 1 for i in top if follows(i, i + 1) and (
        _leans_back(chosen[i + 1].text) or _goes_on(chosen[i + 1].text, chosen[i].text)
        or _opens_on_plural(chosen[i + 1].text, chosen[i].text)
        or chosen[i + 1].rank_score >= FOLLOW_SHARE * chosen[i].rank_score)}
    return [c for i, c in enumerate(chosen) if i in keep]


OTHER_SHARE = 0.6   # a sentence from another chunk joins the answer when it ranks this close to the best
                    # (dev sets: 0.75 / 0.6 / 0.5 → 71 / 73 / 73 % right on dev_typed, 60 / 62 / 62 % on dev_typed3)


SAME_SHARE = 0.9   # a sentence of the best one's chunk joins the answer when it ranks this close to the best
                   # (dev sets: 0.8 / 0.9 → +3 with two lost / +3 with one lost)


def select(cands: list[Candidate]) -> list[Candidate]:
    """The best sentence with the sentences it needs or introduces, and strong sentences from
    other chunks; in document order within a chunk."""
    ranked = sorted(cands, key=lambda c: (-c.rank_score, c.rank, c.pos))
    best = ranked[0]
    same = {c.pos: c for c in cands if c.chunk.id == best.chunk.id}
    chosen = [best]
    # a sentence that leans on the one before it brings that one along, and the one that one opens on in turn
    # («… påtaleavgjort 21 800 forhold …» – «Det er 28 prosent flere enn året før.» – «De påtaleavgjorte …»)
    if best.pos - 1 in same and _leans_on(best.text, same[best.pos - 1].text):
        chosen.insert(0, same[best.pos - 1])
        if best.pos - 2 in same and _leans_back(chosen[0].text):
            chosen.insert(0, same[best.pos - 2])
    # a sentence that introduces a list («… følgende:») brings its items; a following sentence that
    # leans back or also answers comes along
    nxt = best.pos + 1
    while nxt in same and len(chosen) < MAX_SENTENCES and (
        same[nxt - 1].text.rstrip().endswith(":") or _leans_back(same[nxt].text)
        or same[nxt].rank_score >= FOLLOW_SHARE * best.rank_score or sum(len(c.text) for c in chosen) < SHORT_ANSWER
    ):
        chosen.append(same[nxt])
        nxt += 1
    # a sentence of the same chunk answering nearly as well comes too, with the sentences it leans on or
    # that lean on it («… et tverrfaglig team som består av relevante tjenester. Dette gjelder blant annet Nav, …»)
    for c in ranked[1:]:
        if c.chunk.id != best.chunk.id or c.rank_score < SAME_SHARE * best.rank_score or c in chosen:
            continue
        if any(_similar(c.text, o.text) for o in chosen):
            continue
        before, after = same.get(c.pos - 1), same.get(c.pos + 1)
        group = ([before] if before is not None and _leans_back(c.text) else []) + [c] + (
            [after] if after is not None and _leans_back(after.text) else [])
        group = [g for g in group if g not in chosen]
        if len(chosen) + len(group) > MAX_SENTENCES:
            break
        chosen.extend(group)
    # a sentence going on about what the best one speaks of («Prosjektet er støttet av …») comes when there is room
    nxt = best.pos + 1
    while nxt in same and len(chosen) < MAX_SENTENCES and _goes_on(
            same[nxt].text, " ".join(same[p].text for p in range(best.pos, nxt))):
        if same[nxt] not in chosen:
            chosen.append(same[nxt])
        nxt += 1
    used_chunks = {best.chunk.id}
    for c in ranked[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if c.chunk.id in used_chunks or c.rank_score < OTHER_SHARE * best.rank_score:
            continue
        if any(_similar(c.text, o.text) for o in chosen):
            continue
        # … with the sentence it leans on («Dette gjøres ikke lenger, og det finnes dermed ikke statistikk …»)
        before = next((o for o in cands if o.chunk.id == c.chunk.id and o.pos == c.pos - 1), None)
        group = ([before] if before is not None and _leans_back(c.text) and before not in chosen else []) + [c]
        # … and the sentence that leans on it («Denne muligheten … er bortfalt»), when there is room
        after = next((o for o in cands if o.chunk.id == c.chunk.id and o.pos == c.pos + 1), None)
        if after is not None and _points_back(after.text) and len(chosen) + len(group) < MAX_SENTENCES:
            group.append(after)
        if len(chosen) + len(group) > MAX_SENTENCES:
            continue
        chosen.extend(group)
        used_chunks.add(c.chunk.id)
    # the chunk with the best sentence first; each chunk's sentences in document order
    order = {c.chunk.id: -c.rank_score for c in reversed(ranked) if c in chosen}
    return sorted(chosen, key=lambda c: (order[c.chunk.id], c.pos))


# A sentence that says what something is for, or whom: «Formålet med programmet er …», «… har til hensikt
# å …», «Målgruppen er …»
PURPOSE_RE = re.compile(rf"{AIM_RE.pattern}|^(?:\S+\s+){{0,2}}?målgruppen\b", re.IGNORECASE)   # what for, or whom
PURPOSE_SPAN = 4   # sentences after the answer's last one (or before its first) in which to look for what the
                   # thing is for


_ABOUT_IT_RE = re.compile(r"\b(?:med|for)\s+(?:programmet|tiltaket|prosjektet|tilbudet|teamet|ordningen|satsingen)\b",
                          re.IGNORECASE)


def with_purpose(chosen: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
    """For «Hva er X?»: the sentence saying what X is for (or whom), when it stands shortly after in
    the same chunk, or else shortly before («Hovedmålet med programmet er …» before «X er et tilbud til
    …»), comes along; the answer stays within MAX_SENTENCES, giving up its last sentences."""
    first = chosen[0].chunk.id
    if any(AIM_RE.search(c.text) for c in chosen if c.chunk.id == first):
        return chosen   # «… som har som hovedmål å …»: the answer already says what it is for
    said = [c.pos for c in chosen if c.chunk.id == first]
    near = [c for c in cands if c.chunk.id == first and c.pos not in said and PURPOSE_RE.search(c.text)]
    after = [c for c in near if max(said) < c.pos <= max(said) + PURPOSE_SPAN]
    # before it, only a sentence about the thing itself («Hovedmålet med programmet er …»), not the aim of
    # the measure described before it in the same chunk
    before = [c for c in near if min(said) - PURPOSE_SPAN <= c.pos < min(said) and _ABOUT_IT_RE.search(c.text)]
    purpose = min(after, key=lambda c: c.pos, default=None) or max(before, key=lambda c: c.pos, default=None)
    if purpose is None:
        return chosen
    own = [c for c in chosen if c.chunk.id == first][: MAX_SENTENCES - 1]
    others = [c for c in chosen if c.chunk.id != first]
    return own + [purpose] + others[: max(0, MAX_SENTENCES - len(own) - 1)]


ACRONYM_WORD_RE = re.compile(r"\b[A-ZÆØÅ]{2,6}\b")


def with_expansion(chosen: list[Candidate], cands: list[Candidate], query: str) -> list[Candidate]:
    """For «Hva er SLT?»: an abbreviation the documents write in capitals is also spelled out, by the
    best passage that does so («… samarbeidsmodellen SLT (Samordning av Lokale rus- og …)»), when the
    answer does not already; it comes first, and the answer stays within MAX_SENTENCES."""
    asked = {w.upper() for w in re.findall(r"\b[\wæøå]{2,6}\b", query.lower())}
    written = {w for c in chosen for w in ACRONYM_WORD_RE.findall(c.words)}
    acronym = next((w for w in sorted(asked & written) if w.lower() not in STOP_WORDS), None)
    if acronym is None:
        return chosen
    spelled = Expansion(acronym)
    if any(spelled.found(c.words) for c in chosen):
        return chosen
    spelling = max((c for c in cands if acronym in c.words and spelled.found(c.words)),
                   key=lambda c: c.rank_score, default=None)
    return [spelling, *chosen[: MAX_SENTENCES - 1]] if spelling else chosen


def _similar(a: str, b: str) -> bool:
    sa, sb = stems(a), stems(b)
    return len(sa & sb) / max(1, min(len(sa), len(sb))) > 0.8


def around(c: Candidate) -> str:
    """The passages on either side of a candidate, in its chunk: where a place it speaks of may be named."""
    return " ".join(p.words for p in chunk_passages(c.chunk) if abs(p.pos - c.pos) == 1)


def with_marker(sentence: str, n: int) -> str:
    s = sentence.strip()
    m = re.search(r"[.!?:]+$", s)
    if m:
        return f"{s[: m.start()]} [{n}]{s[m.start():]}"
    return f"{s} [{n}]."

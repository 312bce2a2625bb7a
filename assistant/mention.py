"""Names the documents mention without saying what they are. «Hva er BTI?» about a name that only
stands in a list («Fact ung; MST; BTI») is answered «Dokumentene nevner «BTI», men beskriver ikke hva
det er», with the mention cited, rather than with unrelated sentences. Also the typed way of asking
what something is: «… noe som heter Utsett … ka er det?».
"""

from __future__ import annotations

import re
from typing import Callable

from .lines import BULLET_RE, SENTENCE_END
from .norwegian import TOPIC_WORD, specificity
from .passages import Passage, chunk_passages
from .quotes import find_span
from .terms import STOP_WORDS, Term, Vocabulary
from .types import Chunk

# «Hva er X?», «Hva betyr X?», «Hva står X for?»: the question asks what something is.
DEFINITION_RE = re.compile(r"^\W*(hva|hvem|ka)\s+(er|betyr|står|gjør|innebærer|går\b.*\but\s+på)\b", re.IGNORECASE)
# «… noe som heter Utsett … ka er det?»: a name introduced, then asked about by a pronoun.
CALLED_RE = re.compile(r"\b(?:heter|kalles|het)\s+[«\"]?([\w!-]{3,})", re.IGNORECASE)
# … or a name set in quotes («foreldremøte om 'utsett' på 8. trinn. hva er det for noe»)
QUOTED_RE = re.compile(r"[«\"'‘“]([\w!-]{3,}(?:\s+[\w!-]+){0,2})[»\"'’”]")
ASKS_WHAT_IT_IS_RE = re.compile(r"\b(hva|ka)\s+(er|betyr)\s+(det|dette|den|det\s+for\s+noe)\b", re.IGNORECASE)


# «fact ung hva er det for noe», «U16 i tromsø – hva går det ut på», «bti hva står det for», «Hvordan fungerer
# Trygg-kontakten?»: a name of one to four words, then asked about by a pronoun; or «hvordan fungerer» a name
FRONTED_RE = re.compile(r"^\W*(?P<name>\S+(?:\s+\S+){0,3}?)\s*[-–—:,]?\s+(?:hva|ka)\s+(?:(?:er|betyr)\s+(?:det|dette|den)"
                        r"(?:\s+(?:egentlig|for\s+noe))*|går\s+(?:det|den|dette)\s+ut\s+på"
                        r"|(?P<stands>står)\s+(?:det|den|dette)\s+for)\W*$"
                        r"|^\W*hvordan\s+fungerer\s+(?P<works>\S+(?:\s+\S+){0,3}?)\W*$", re.IGNORECASE)


def called(query: str) -> str | None:
    """«Hva er X?» for a question that names X with «heter»/«kalles» or in quotes and asks what it is, or that
    names X first and then asks what it is («utsett hva er det»); «Hva står X for?» for «bti hva står det for»."""
    for name in (CALLED_RE.search(query), QUOTED_RE.search(query)):
        if name and ASKS_WHAT_IT_IS_RE.search(query[name.end():]):
            return f"Hva er {name.group(1)}?"
    fronted = FRONTED_RE.match(query.strip())
    if fronted:
        what = (fronted.group("name") or fronted.group("works")).strip(" -–—:,?!.")
        words = what.lower().split()
        # a name, not a clause or a pronoun: «hvordan fungerer det (i praksis)» goes on about the last question,
        # «jeg skjønner ikke, hva betyr det» and «sønnen min fikk …, hva betyr det» tell, not name
        if words and words[0] not in STOP_WORDS and sum(w in STOP_WORDS for w in words) <= 1:
            return f"Hva står {what} for?" if fronted.group("stands") else f"Hva er {what}?"
    return None


# «hva er kjærlighetstrappen som …», «hva er FLYT for noe, ser det står i lista …»: a name of one to three
# words, then a relative clause, «for noe» or a comma before where the asker met it (not a comma in a
# list of names: «hva er forandringshuset, FLYT og Fellesverket»)
RELATIVE_RE = re.compile(r"(\W*(?:hva|ka)\s+(?:er|betyr)\s+\S+?(?:\s+\S+?){0,2}?)"
                         r"(?:\s+som\s+|\s+for\s+noe\b|\s*,\s+(?!(?:\S+\s+){0,2}(?:og|eller)\s))", re.IGNORECASE)
HYPHENATED_RE = re.compile(r"(?<![\w-])\w+(?:-\w+)+(?![\w-])")
MIN_HYPHEN_PART = 2    # «e-post» is a prefix and a word, not a hyphenated name («MST-can», «av-og-til»)
MENTION_WEIGHT = 0.5   # the name must carry at least this share of the question's weight
MENTION_CHUNKS = 4     # a name found in more chunks than this is more than a mention
# After a name, the verbs of a sentence that says what it is or does.
_EXPLAINING_VERBS = r"(er|var|betyr|står|består|tilbyr|handler|går|gir|skal|jobber|arbeider|ble|har|kan|bidrar|retter)"


def _explains(text: str, word: str) -> bool:
    """The name is the subject of a sentence in the text: it opens the sentence and a verb follows."""
    pattern = rf"(^|[.!?:]\s+|\n)(\S+\s+){{0,3}}{re.escape(word)}\S*(\s+\S+){{0,3}}\s+{_EXPLAINING_VERBS}\b"
    if re.search(pattern, text, re.IGNORECASE):
        return True
    # … or it is an abbreviation in parentheses after what it stands for («Kompetansesenteret for
    # kriminalitetsforebygging (KfK)»), not after some other word («beskyttelsesfaktorer (FHI)»)
    return any(spells(text[: m.start()], word)
               for m in re.finditer(rf"\(\s*{re.escape(word)}\s*\)", text, re.IGNORECASE))


SPELLED_WORDS = 8   # words before an abbreviation in which to find what it stands for


def spells(before: str, abbreviation: str, span: int = SPELLED_WORDS) -> bool:
    """The words just before (the last `span`) spell the abbreviation: its first letter starts one of them, and its other
    letters follow in order anywhere after it, so inside compounds too («Kompetansesenteret for
    kriminalitetsforebygging» – KfK). Loose for a short abbreviation over many words: keep `span` small there."""
    letters = [c for c in abbreviation.lower() if c.isalpha()]
    words = before.lower().split()[-span:]
    if len(letters) < 2:
        return False
    for i, w in enumerate(words):
        if w[:1] != letters[0]:
            continue
        rest, k = " ".join(words[i:])[1:], 1
        for c in rest:
            if k < len(letters) and c == letters[k]:
                k += 1
        if k == len(letters):
            return True
    return False


ASIDE = 40   # characters beside a name in a list item or a line of its own that still only name it


def written(name: str) -> re.Pattern:
    """The name as written in a text, its parts joined by spaces or hyphens («MST-can», «Av-og til»)."""
    parts = r"[\s-]+".join(re.escape(p) for p in re.split(r"[\s-]+", name.lower()))
    return re.compile(rf"(?<![\w-]){parts}(?![\w-])", re.IGNORECASE)


NAME_WORDS = 4   # words of a name that may follow the one found


def as_written(query: str, name: str, text: str) -> str:
    """The name as the text writes it, with the words the question writes after it when the text writes
    them after it too («fact ung» – «Fact ung»)."""
    words = re.findall(r"[\w-]+", query)
    lower = [w.lower() for w in words]
    if name.lower() not in lower:
        return name
    i = lower.index(name.lower())
    for n in range(min(NAME_WORDS, len(words) - i), 0, -1):
        found = written(" ".join(words[i: i + n])).search(text)
        if found:
            return found.group(0)
    return name


def own_line(source: str, span: tuple[int, int], pattern: re.Pattern) -> str:
    """The short line of the source within span on which the name stands as a bullet or a table cell
    («• MST-can», «Tiltak 9 Av-og til kampanje jul+sommerferie»), though a passage's text runs the lines
    together; "" when it stands in running text, also on the short last line of a wrapped sentence."""
    lo, hi = span
    for m in pattern.finditer(source, lo, hi):
        line_start = source.rfind("\n", 0, m.start()) + 1
        line_end = source.find("\n", m.end())
        raw = source[line_start: len(source) if line_end < 0 else line_end].strip()
        line = BULLET_RE.sub("", raw).strip()
        if len(line) - (m.end() - m.start()) > ASIDE:
            continue
        before = source[:line_start].rstrip()
        # a line of its own: a bullet, or a line opening with a capital or a number after one that ended
        if BULLET_RE.match(raw) or (line[:1].isupper() or line[:1].isdigit()) and (
                not before or before.endswith(SENTENCE_END)):
            return line
    return ""


def _in_passing(p: Passage, word: str, named: bool = False) -> bool:
    """Named as one of several (between commas, after «og», in a short list item), not talked about. A name of
    several words (named) also in a long list item that does not say what it is («Mitt møte med Norge
    … v/ Safia Abdi Haase»: a talk and its speaker); a single word there may be any word («organisert»)."""
    if any(word in i.lower() and (len(i) <= len(word) + ASIDE or named and not _explains(i, word)) for i in p.items):
        return True
    w = re.escape(word)
    # a name after «og» («barnevernet og Fact ung»), not an everyday word («og organisert», «Oppvekst og
    # Utdanning»)
    if specificity(word) >= TOPIC_WORD and any(
            m.group(1)[:1].isupper() for m in re.finditer(rf"\b(?:og|eller)\s+({w})", p.words, re.IGNORECASE)):
        return True
    # between commas, or in an aside in parentheses with other words («(produsert av SALTO)»)
    return bool(re.search(rf"{w}\S*(\s+\S+){{0,2}}\s*[,;]|[,;]\s*(\S+\s+){{0,2}}{w}"
                          rf"|\([^()]*\S\s+{w}[^()]*\)|\({w}\S*\s+[^()]*\S[^()]*\)", p.words, re.IGNORECASE))


def _an_item(chunk: Chunk, p: Passage) -> bool:
    """The passage is one item of a list in the chunk («– Konfliktsituasjonen … v/Cecilie Hellestveit»)."""
    return bool(re.search(rf"(?:^|\n)\s*(?:{BULLET_RE.pattern.lstrip('^')})\s*{re.escape(p.words[:ASIDE])}", chunk.text))


class Mentions:
    def __init__(self, vocab: Vocabulary, chunks: list[Chunk], source: Callable[[str], str]) -> None:
        self.vocab = vocab
        self.chunks = chunks
        self.source = source   # a document's source text, by its id

    def only_mentioned(self, query: str, terms: list[Term]) -> tuple[Term, Chunk, Passage] | None:
        """For «Hva er X?»: when the documents name X only in passing (in a list, as an aside) and no
        sentence or heading says what it is, the mention, to be shown as such."""
        if not DEFINITION_RE.match(query):
            return None
        # «hva er kjærlighetstrappen som de bruker i seksualundervisningen»: a relative clause says where
        # the asker met the name; what is asked about is the name
        m = RELATIVE_RE.match(query)
        head = m.group(1) if m else query
        if head != query:
            asked = {t.stem for t in self.vocab.terms(head)}
            terms = [t for t in terms if t.stem in asked] or terms
            query = head
        hyphenated = max(HYPHENATED_RE.findall(query), key=len, default="")
        if min(map(len, hyphenated.split("-"))) >= MIN_HYPHEN_PART:
            found = self._mentioned_as_written(hyphenated, terms)
            if found is not None:
                return found
        phrase = self._rare_run(query, terms)
        if phrase:
            found = self._mentioned_as_written(phrase, terms)
            if found is not None:
                return found
        # the names the documents use in few places; together they must be what the question is about
        # («Salto-oppfølgingen i Grorud-modellen»: two names, neither explained)
        known = [t for t in terms if t.known and not t.parts and self.vocab.df.get(t.stem, 0) <= MENTION_CHUNKS]
        if not known or sum(t.weight for t in known) < MENTION_WEIGHT * sum(t.weight for t in terms):
            return None  # the question is about more than the names
        heaviest, *others = sorted(known, key=lambda t: -t.weight)
        found = self._passing_mentions(heaviest, query)
        if not found or not all(self._passing_mentions(t, query) for t in others):
            return None  # one of them is explained, or has a section of its own
        return (heaviest, *found[0])

    def _passing_mentions(self, term: Term, query: str) -> list[tuple[Chunk, Passage]]:
        """The passages naming the term in passing; [] when a section is about it or a passage says what
        it is."""
        found: list[tuple[Chunk, Passage]] = []
        for chunk in self.chunks:
            if term.stem in self.vocab.analyse(chunk.section_path):
                return []  # a section about it
            if term.word not in chunk.text.lower():
                continue
            for p in chunk_passages(chunk):
                if term.stem in self.vocab.analyse(p.words):
                    if _explains(p.words, term.word) or not _in_passing(p, term.word):
                        return []
                    found.append((chunk, p))
        # a name is cited where the documents write it as the question does («FLYT») or, typed in lower
        # case, with a capital: not where the same letters are an everyday word («god flyt av informasjon»)
        typed = re.search(rf"\b{re.escape(term.word)}\b", query, re.IGNORECASE)
        if typed and typed.group(0) != typed.group(0).lower():
            found.sort(key=lambda cp: typed.group(0) not in cp[1].words)
        else:
            word = re.compile(rf"\b{re.escape(term.word)}\b", re.IGNORECASE)
            found.sort(key=lambda cp: not any(m.group(0)[:1].isupper() for m in word.finditer(cp[1].words)))
        return found

    def line(self, chunk: Chunk, p: Passage, name: str) -> str:
        """The short line of the source the name stands on in the passage, or ""."""
        return own_line(self.source(chunk.doc_id), self._span(chunk, p), written(name))

    def _span(self, chunk: Chunk, p: Passage) -> tuple[int, int]:
        """Where the passage stands in the source (the chunk's range when it cannot be found)."""
        return find_span(self.source(chunk.doc_id), p.words, chunk.start, chunk.end) or (chunk.start, chunk.end)

    def _rare_run(self, query: str, terms: list[Term]) -> str:
        """The longest run of two or more words of the question that each stand in few chunks of the
        documents: a name of several words, typed in lower case («kasper fiskers kriminalpræventive …»)."""
        rare = {t.word for t in terms if t.known and not t.parts and self.vocab.df.get(t.stem, 0) <= MENTION_CHUNKS}
        best: list[str] = []
        run: list[str] = []
        for word in re.findall(r"[\w!]+", query.lower()):
            run = [*run, word] if word in rare else []
            best = run if len(run) > len(best) else best
        return " ".join(best) if len(best) >= 2 else ""

    def _mentioned_as_written(self, name: str, terms: list[Term]) -> tuple[Term, Chunk, Passage] | None:
        """only_mentioned for a name of several parts («MST-can», «Trygg-kontakten», «Kasper Fiskers
        Kriminalpræventive Styresystem»), found as written."""
        parts = re.split(r"[\s-]+", name.lower())
        own = sum(t.weight for t in terms if t.word in parts)
        total = sum(t.weight for t in terms)
        if all(p in STOP_WORDS for p in parts):
            own = total   # a name made of small words («av-og-til») weighs as the whole question
        if own < MENTION_WEIGHT * total:
            return None
        pattern = written(name)
        found: list[tuple[Chunk, Passage]] = []
        for chunk in self.chunks:
            if pattern.search(chunk.section_path):
                return None
            if not pattern.search(chunk.text):
                continue
            for p in chunk_passages(chunk):
                if pattern.search(p.words):
                    if _explains(p.words, name.lower()) or not (
                            _in_passing(p, name.lower(), named=True) or _an_item(chunk, p)
                            or own_line(self.source(chunk.doc_id), self._span(chunk, p), pattern)):
                        return None
                    found.append((chunk, p))
        if not found or len({c.id for c, _ in found}) > MENTION_CHUNKS:
            return None
        return Term(name.lower(), (), own, True, "", name.lower()), *found[0]

"""What a question is about, and how well a piece of text matches it.

A question is reduced to its content terms (Norwegian stems without question and stop words). Each
term is weighed by how rare it is in the indexed chunks and checked against the corpus vocabulary:
a term the documents never use, not even inside a compound, is evidence that the question is about
something else. Norwegian compounds are matched both ways: «tyveri» matches «butikktyveri», and
«foreldreforedraget» matches a text with «foreldre» and «foredrag».
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import bm25s

from . import norwegian
from .sparse import QUERY_TOKEN_RE, TOKEN_RE, as_verb, stemmer
from .types import Chunk

# Words that say what kind of question it is, not what it is about: question words, the verbs and
# pronouns of asking, and words about the documents themselves. Nothing about any topic.
QUESTION_WORDS = {
    "hva", "hvem", "hvor", "hvordan", "hvorfor", "når", "hvilke", "hvilken", "hvilket", "mange", "gjør",
    "gjøres", "gjort", "jeg", "vi", "du", "kan", "skal", "bør", "finnes", "finner", "er", "det", "om",
    "noe", "får", "fikk", "ble", "blir", "blitt", "mye", "står", "sier", "rapporten", "dokumentene",
    "gi", "oppgi", "meg", "fortell", "forklar", "beskriv", "hjelp", "ved", "ifølge", "betyr", "skjer", "gikk",
    "handler", "frem", "fram",  # verb particles: «kom frem»
}
STOP_WORDS = QUESTION_WORDS | set(bm25s.stopwords.STOPWORDS_NORWEGIAN)
PARTIAL = 0.7       # credit for a match inside a compound or through a compound's parts
MIN_PARTIAL = 5     # shortest stem matched inside a longer word
MIN_PART = 3        # shortest compound part
MIN_COMPOUND = 7    # shortest word read as a compound of two («rusbruk»)
VERB_WEIGHT = 0.3   # the question's verb says less about the topic than its nouns do
UNKNOWN_POWER = 1.5   # a word the documents lack weighs specificity**1.5: everyday words («sønnen», «morgen») little
                    # (tuning sets 1 / 1.5 / 2: +0 / +1 / +1 −1 right, one more out-of-scope answered at 2)
EVERYDAY = 0.3      # the weight left to a corpus word that is among the commonest in Norwegian
CAPITALISED_RE = re.compile(r"(?<![\w-])[A-ZÆØÅ][a-zæøåéü]+")
QUOTED_NAME_RE = re.compile(r"[«“\"]([^«»“”\"]{3,80})[»”\"]")   # a name the documents write in quotes
MAX_NAME_WORDS = 4   # … of a few words
NAME_CHUNKS = 3      # … whose neighbouring words stand together in at most this many chunks
SUSPENDED_RE = re.compile(r"([a-zæøå]{3,})-\s+(?:og|eller)\s+([a-zæøå]{6,})")


PART = "~"           # marks the stem of a compound's part in an analysed text («~mål» from «formålet»)
WORD = "="           # marks a word as written in an analysed text, for names («=utsett»)
NAME_STEM_CREDIT = 0.5  # a name matched only through its stem («Utsett» – «utsettes»)


def stems(text: str) -> set[str]:
    return set(stemmer().stemWords(QUERY_TOKEN_RE.findall(text.lower())))


@dataclass(frozen=True)
class Term:
    stem: str
    parts: tuple[str, ...]   # stems of the compound's parts, when the whole word is not a corpus word
    weight: float
    known: bool              # the documents use it, whole, inside a compound or through its parts
    name: str = ""           # the word as written, when the question capitalises it mid-sentence
    word: str = ""           # the word as the question has it

    def match(self, text_stems: set[str]) -> float:
        """1 for the word itself, PARTIAL for it inside a compound of the text or for the text
        having this compound's parts (text_stems from Vocabulary.analyse). A name must be written
        the same way for full credit."""
        if self.name and WORD + self.name in text_stems:
            return 1.0
        if self.stem in text_stems:
            return NAME_STEM_CREDIT if self.name else 1.0
        if _inside(self.stem, text_stems):
            return PARTIAL
        if self.parts:
            got = sum(1 for p in self.parts if p in text_stems or _inside(p, text_stems))
            return PARTIAL * got / len(self.parts)
        return 0.0


def _inside(stem: str, text_stems: set[str]) -> bool:
    if PART + stem in text_stems:
        return True
    return len(stem) >= MIN_PARTIAL and any(stem in s for s in text_stems if len(s) > len(stem))


class Vocabulary:
    """Stem frequencies over the indexed chunks: the weights and the corpus knowledge of terms."""

    def __init__(self, chunks: list[Chunk]) -> None:
        df: dict[str, int] = {}
        counts: Counter[str] = Counter()
        capitalised: Counter[str] = Counter()
        for c in chunks:
            text = c.text + " " + c.section_path
            counts.update(TOKEN_RE.findall(text.lower()))
            capitalised.update(w.lower() for w in CAPITALISED_RE.findall(text))
            for s in stems(text):
                df[s] = df.get(s, 0) + 1
        self.n = max(1, len(chunks))
        self.df = df
        self.counts = counts     # how often each word is written in the documents
        self.words = set(counts)
        # stems the documents write only as stop words: «været» (the weather) is not «være»
        written: dict[str, set[str]] = {}
        for w in self.words:
            written.setdefault(stemmer().stemWord(w), set()).add(w)
        self.stop_stems = {s for s, ws in written.items() if ws <= STOP_WORDS}
        # words the documents mostly write with a capital: names («Utsett», «Sandvika»)
        self.names = {w for w, n in capitalised.items() if 2 * n > counts[w]}
        self._long = [s for s in df if len(s) >= MIN_PARTIAL]
        self._analysed: dict[str, tuple[str, ...]] = {}
        # the neighbouring words of the short names the documents write in quotes, with a capital (“Utsett for
        # elever”; not «rekruttering til kriminalitet», nor a plan's long title), that stand together in few
        # chunks: a name, not a phrase of everyday writing («barn og unge i Bærum»)
        said = Counter(pair for c in chunks for pair in self.pairs(c.text))
        self.quoted = {pairs for c in chunks for m in QUOTED_NAME_RE.finditer(c.text)
                       if m.group(1)[:1].isupper() and len(m.group(1).split()) <= MAX_NAME_WORDS
                       and (pairs := frozenset(self.pairs(m.group(1))))
                       and all(said[pair] <= NAME_CHUNKS for pair in pairs)
                       # … and a word that names a topic: «Snakke med barn» is also how anyone says it
                       and any(norwegian.specificity(w) >= norwegian.TOPIC_WORD
                               for w in QUERY_TOKEN_RE.findall(m.group(1).lower()))}

    def idf(self, stem: str) -> float:
        return math.log(1 + self.n / (1 + self.df.get(stem, 0)))

    def is_word(self, word: str) -> bool:
        return word in self.words or stemmer().stemWord(word) in self.df

    def stem(self, word: str) -> str:
        """The word's stem as the documents have it, where the stemmer alone does not find it."""
        stem = stemmer().stemWord(word)
        if stem not in self.df and stem.endswith("r") and stem[:-1] in self.df:
            stem = stem[:-1]  # present tense the stemmer left alone: «sprer» – «spre»
        if stem not in self.df and not word.isdigit():
            base = stemmer().stemWord(norwegian.lemma(word))
            if base in self.df:
                stem = base  # an inflection the stemmer does not know: «ungene» – «unge»
        # a verbal noun of a verb the documents use («vaping» – «vape»), unless they write the noun inside a
        # compound («Datingverden»: «dating» is no «data»)
        if stem not in self.df and (verb := as_verb(word, self.df)) and not any(word in s for s in self._long):
            stem = stemmer().stemWord(verb)
        return stem

    def uses(self, word: str) -> bool:
        """The documents use the word: as written, through its stem or lemma, or as a compound of two
        of their words."""
        return word in self.words or self.stem(word) in self.df or bool(self.split(word))

    def split(self, word: str) -> tuple[str, ...]:
        """Stems of the two corpus words a compound is made of; () when none."""
        parts = self._split_words(word)
        return tuple(stemmer().stemWords(list(parts))) if parts else ()

    def _split_words(self, word: str) -> tuple[str, str] | None:
        """The compound's two words as written, preferring balanced halves."""
        best: tuple[str, str] | None = None
        if len(word) < MIN_COMPOUND:
            return None  # «snuser» is no «snu» + «ser»
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            left, right = word[:i], word[i:]
            # the last part is a word as written, or an inflection of a word of some length («søk» of
            # «søkelsen» is none: «undersøkelsen» is no «under» + «søkelsen»)
            if right not in self.words and not (self.is_word(right) and len(stemmer().stemWord(right)) > MIN_PART):
                continue
            heads = [left] + ([left[:-1]] if left[-1] in "se" and len(left) > MIN_PART else [])
            # the first part is a word as the documents write it, not only a stem («und» of «under»)
            if any(h in self.words for h in heads):
                if best is None or min(len(left), len(right)) > min(map(len, best)):
                    best = (left, right)
        return best

    def analyse(self, text: str) -> set[str]:
        """The text's stems, and its compounds' parts marked with PART."""
        out: set[str] = set()
        for word in QUERY_TOKEN_RE.findall(text.lower()):
            if word not in self._analysed:
                stem = stemmer().stemWord(word)
                parts = self.split(word) if len(word) >= 2 * MIN_PART and not word.isdigit() else ()
                self._analysed[word] = (stem, WORD + word, *(PART + p for p in parts))
            out.update(self._analysed[word])
        # «sommer- og deltidsjobb» also says «sommerjobb»
        for m in SUSPENDED_RE.finditer(text.lower()):
            word = m.group(2)
            last = next((word[i:] for i in range(MIN_PART, len(word) - MIN_PART + 1) if word[i:] in self.words), None)
            if last:
                out.add(stemmer().stemWord(m.group(1) + last))
        return out

    def pairs(self, text: str) -> set[tuple[str, str]]:
        """Stems of the words that stand next to each other in the text, with at most one stop word
        between («Utsett for elever»: («utsett», «elev»)). A number parts them: «10. august 2019» is a date."""
        out: set[tuple[str, str]] = set()
        last, gap = None, 0
        for word in QUERY_TOKEN_RE.findall(text.lower()):
            if word.isdigit():
                last = None
                continue
            if word in STOP_WORDS:
                gap += 1
                continue
            stem = stemmer().stemWord(word)
            if last and gap <= 1:
                out.add((last, stem))
            last, gap = stem, 0
        return out

    def names_in(self, question: str) -> list[frozenset[tuple[str, str]]]:
        """The short names the documents put in quotes that the question writes, word by word («utsett for
        elever»: “Utsett for elever”)."""
        asked = self.pairs(question)
        return [name for name in self.quoted if name <= asked]

    def writes(self, names: list[frozenset[tuple[str, str]]], text: str) -> bool:
        """The text writes one of the names whole, not only its words apart («Utsett! … alle trinn … elever»)."""
        said = self.pairs(text)
        return any(name <= said for name in names)

    def match(self, terms: list[Term], text: str) -> float:
        """Weighted share of the question's known terms found in the text (0–1)."""
        use = [t for t in terms if t.known]
        total = sum(t.weight for t in use)
        if not total:
            return 0.0
        text_stems = self.analyse(text)
        return sum(t.weight * t.match(text_stems) for t in use) / total

    def terms(self, text: str) -> list[Term]:
        """The question's content terms. A word the documents use is weighed by its rarity in them; a
        word they never use, not even through its lemma or a compound's parts, by how much it names a
        topic in Norwegian at large (norwegian.specificity) — everyday words weigh little."""
        out: dict[str, Term] = {}
        matches = list(QUERY_TOKEN_RE.finditer(text.lower()))
        verb = verb_index([m.group(0) for m in matches])
        for i, m in enumerate(matches):
            word = m.group(0)
            stem = self.stem(word)
            # a stop word written in capitals before a hyphen, in a message that is not in capitals, is a name:
            # «MOT-programmet» (not «han vil IKKE»: capitals for emphasis)
            acronym = (text[m.start():m.end()].isupper() and text[m.end():m.end() + 1] == "-"
                       and not text.isupper())
            if ((word in STOP_WORDS or stem in STOP_WORDS) and not acronym) or len(word) < 2 or stem in out:
                continue
            if i == 1 and matches[0].group(0) == "hvor" and word in DEGREE_WORDS:
                continue   # «hvor ofte», «hvor stort»: the form of the question, as «hvor mange» is
            capitalised = m.start() > 0 and text[m.start()].isupper() and not sentence_start(text, m.start())
            name = word if capitalised and word in self.words else ""
            # a word rare in the documents but everyday in Norwegian («takk», «gå») says less about the topic
            scale = (VERB_WEIGHT if i == verb else 1.0) * (EVERYDAY + (1 - EVERYDAY) * norwegian.specificity(word))
            if stem in self.df and stem not in self.stop_stems:
                out[stem] = Term(stem, (), scale * self.idf(stem), True, name, word)
                continue
            parts = self.split(word) if not word.isdigit() else ()
            # inside a longer corpus word, or another inflection of one («tilbyr» – «tilby»)
            inside = len(stem) >= MIN_PARTIAL and any(stem in s or s.startswith(stem[:-1]) for s in self._long)
            if parts or inside:
                weight = max((self.idf(p) for p in parts), default=self.idf(stem))
                out[stem] = Term(stem, parts, scale * weight, True, "", word)
                continue
            # a verb the documents write only as its verbal noun, too short to be found inside other words
            # («mobbet», «mobbes»: «mobbing»; «gamer»: «gaming»): a verb's form, not the noun («tolken»), and a
            # word no more common in Norwegian than that noun; a more common one has senses of its own («vinner»,
            # «hører», «soner», «lese», «bonde»: not «vinning», «høring», «soning», «lesing», «bonding»)
            noun = next((stem + e for e in VERBAL_NOUN if stem + e in self.df and stem + e not in self.stop_stems), None)
            if (noun and noun not in out and word[len(stem):] in VERB_ENDINGS and len(stem) >= MIN_VERB_STEM
                    and norwegian.zipf(word) <= norwegian.zipf(noun)):
                out[noun] = Term(noun, (), scale * self.idf(noun), True, name, word)
                continue
            # never used by the documents: a name the question capitalises is a topic of its own
            topic = 1.0 if capitalised else norwegian.specificity(word) ** UNKNOWN_POWER
            weight = (VERB_WEIGHT if i == verb else 1.0) * topic * self.idf(stem)
            out[stem] = Term(stem, (), weight, False, word if capitalised else "", word)
        return list(out.values())


def sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:«\"(-–"


VERBAL_NOUN = ("ing", "ning")   # the endings that make a verb's noun («mobbe» – «mobbing», «game» – «gaming»)
VERB_ENDINGS = ("e", "er", "es", "et", "a", "t", "te", "de")   # «mobbe», «gamer», «mobbes», «mobbet», «mobba»
MIN_VERB_STEM = 3   # «gam» in «gamer»; «øk» is too short to tell
WH_WORDS = {"hva", "hvem", "hvor", "hvordan", "hvorfor", "når"}
QUANTIFIERS = {"mange", "mye"}                                    # «hvor mange elever gikk …»: a noun follows
DEGREE_WORDS = {"lenge", "ofte", "stor", "stort", "store", "høy", "høyt", "høye", "langt", "tidlig", "sent"}  # «hvor ofte møtes …»: the verb
DEGREE_ADJECTIVES = {"stor", "stort", "store", "høy", "høyt", "høye"}   # «hvor stort budsjett har …»: or a noun
AUXILIARIES = {"har", "hadde", "er", "var", "ble", "blir", "skal", "kan", "vil", "må", "bør"}
PREPOSITIONS = {"fra", "i", "på", "av", "ved", "hos", "blant"}


def verb_index(words: list[str]) -> int | None:
    """Where a Norwegian question has its verb: second, after the question word («Hvem vant …»,
    «Hvordan sprer …»), after «hvor mange» and its noun, after «hvor ofte», after «hvem fra Bærum»; after an
    auxiliary, a participle right behind it («Hva har skjedd …»)."""
    if not words:
        return None
    if words[0] in WH_WORDS:
        i = 1
        noun_follows = len(words) > 2 and words[1] in DEGREE_ADJECTIVES and words[2] not in AUXILIARIES
        if words[0] == "hvor" and len(words) > 1 and (words[1] in QUANTIFIERS or noun_follows):
            i = 3
        elif words[0] == "hvor" and len(words) > 1 and words[1] in DEGREE_WORDS:
            i = 2
        # «hvem fra bærum deltok …», «hva i rapporten viser …»: the question word's phrase runs on
        while i + 2 < len(words) and words[i] in PREPOSITIONS:
            i += 2
    else:  # «Hvilke (eksterne) samarbeidspartnere har …»: the noun phrase has no fixed length
        return None
    if i < len(words) and words[i] in AUXILIARIES:
        i += 1
        return i if i < len(words) and words[i].endswith(("dd", "tt", "rt")) else None
    return i if i < len(words) else None


def naming_topics(terms: list[Term]) -> list[Term]:
    """The terms the documents use that name a topic («ranet», «skolefrokost»), not everyday words
    («hele tiden», «komme»)."""
    return [t for t in terms if t.known and norwegian.specificity(t.word) >= norwegian.TOPIC_WORD]


def no_topic(terms: list[Term]) -> bool:
    """Only everyday words the documents use («hvor får jeg hjelp», «hvem kan vi snakke med»): no word
    naming a topic, no name, and no word the documents lack («surdeigsbrød», «været i Oslo»)."""
    return all(t.known and not t.name for t in terms) and not naming_topics(terms)


def scene_is_topic(vocab: "Vocabulary", query: str) -> bool:
    """The whole message says what it is about: it is one sentence, or the sentence that asks names no
    topic of its own («… Hvem kan vi snakke med?», «… Hvor får jeg hjelp?»), so the scene told before it
    is the topic."""
    asked = norwegian.asking(query)
    return asked == query or no_topic(vocab.terms(asked))


def unknown_share(terms: list[Term]) -> float:
    """Weighted share of the question's terms that the documents never use."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if not t.known) / total if total else 1.0


# «Hva gjør jeg ved …», «Hvor kan foreldre få hjelp …», also after the situation («… vaper hver dag hva
# gjør jeg»): the asker wants what to do, not the state of things.
ACTION_QUESTION_RE = re.compile(
    r"(?:^|[.?!,;]\s*|\s)(hva|ka|hvordan|hvor|hvem|hvilke[nt]?)\b.{0,30}\b(gjør|gjøre|skal|bør|kan|går|kontakter|ringer|melder)\s+"
    r"(jeg|vi|man|foreldre|foresatte|skolen|ansatte|lærere?)\b",
    re.IGNORECASE,
)
# Words of the sentences that say what to do or where to turn.
ACTION_WORDS = "veileder veiledning kontakt kontaktinformasjon varsle rådføre hjelp tilbud tilbys ringe søke"


# «hvor begynner jeg?», «hvem spør jeg?»: the asker is the subject of the question, right after a verb in
# the present tense (not «er»: «hva er jeg nødt til å vite» asks what is so)
ASKER_ACTS_RE = re.compile(r"(?:^|[.?!,;]\s*)(?:hva|ka|hvordan|hvor|hvem)\s+(?!er\s)[a-zæøå]+r\s+jeg\b", re.IGNORECASE)


def is_action_question(question: str) -> bool:
    return bool(ACTION_QUESTION_RE.search(question) or ASKER_ACTS_RE.search(question))


MIN_ACTION_PART = 4   # a shorter action stem inside a compound is chance: «søk» in «undersøke» («under» + «søke»)


def has_action(text_stems: set[str]) -> bool:
    """The text says what to do or where to turn, also inside a compound («lavterskeltilbud»)."""
    return bool(_action_stems() & text_stems) or any(PART + s in text_stems for s in _action_stems()
                                                     if len(s) >= MIN_ACTION_PART)


@lru_cache(maxsize=1)
def _action_stems() -> frozenset[str]:
    return frozenset(stems(ACTION_WORDS))

"""The scope a question names — a municipality, the country, a year — and whether a text stays in it.

A report is about its own municipality and year: «Hvem er SLT-koordinator i Asker kommune?» is not
answered by a sentence about Bærum's coordinators, and «Blir Kadetten arrangert i 2025?» not by a
sentence about 2024. The documents' own scope (the names in their titles, their years) is implied
and never needs to be repeated in the text that answers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .catalogue import proper_names
from .mention import MENTION_CHUNKS
from .lines import YEAR_RE
from .norwegian import asking, specificity, zipf
from .terms import STOP_WORDS, stems

# «Asker kommune»: Norwegian names a municipality this way, whatever its name.
MUNICIPALITY_RE = re.compile(r"\b([a-zæøå][\w-]{2,})\s+kommunes?\b", re.IGNORECASE)
# The country as a scope. Any of these words in a text covers it; a question names it only in the
# narrower phrases of COUNTRY_RE, since «landet» alone is also «the land» or «landed».
COUNTRY = ("norge", "landet", "nasjonalt", "nasjonale", "nasjonal", "landsbasis", "landsgjennomsnittet")
COUNTRY_RE = re.compile(r"\b(i\s+(?:hele\s+)?norge|hele\s+landet|landsbasis|nasjonalt)\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[\wæøå-]+")
YEAR_SPAN_RE = re.compile(r"\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b")
# what a year showed or brought: verbs in the past tense, or the perfect with «så langt», «hittil» in one clause
# («hvordan har ungdomskrimen utviklet seg i 2025 så langt»; not «hva er prioriteringene for 2025 så langt», nor
# «så langt det er mulig»); not «var», «ble» («Hva var planen for 2025?») nor participles alone («Blir
# innsatsområdene endret i 2025?»)
PAST_RE = re.compile(r"\b(viste|gikk|økte|sank|endte)\b"
                     r"|\bhar\b[^,.;?!]*\b(?:så\s+langt|hittil)\b(?!\s+(?:det|som|dere|jeg|vi|man|du|en)\b)",
                     re.IGNORECASE)
MAX_SPAN = 30            # a longer «year-year» span is not a period a document covers
NAME_SPECIFICITY = 0.4   # a lower-case word before «kommune» this rare in Norwegian is taken for a name
# Where the documents name municipalities: «Oslo kommune», «kommunene Asker, Bærum og Oslo», «Asker og
# Bærum kommuner». A question may then name one without «kommune»: «hvem er slt-koordinator i asker».
_NAMES = r"[A-ZÆØÅ][\w-]+(?:\s*,\s*[A-ZÆØÅ][\w-]+)*(?:\s+og\s+[A-ZÆØÅ][\w-]+)?"
_MUNICIPALITIES_RE = re.compile(rf"\b([A-ZÆØÅ][\w-]+)\s+kommunes?\b|\bkommunene\s+({_NAMES})|({_NAMES})\s+kommuner\b")
# «i asker», «fra oslo» — but «i Asker og Bærum» names the documents' own municipality too
IN_PLACE_RE = re.compile(r"\b(i|fra|for|på|ved)\s+([\wæøå-]{3,})(?:\s+og\s+([\wæøå-]+))?", re.IGNORECASE)
IN_MUNICIPALITY = ("i", "fra", "for")   # «på asker» is no way to name a municipality
AT_PLACE = ("i", "fra", "på", "ved")    # «i drammen», «bor på rykkinn», «ved emma hjorth»
NAME_WORDS = 3     # words of a name: «Emma Hjorth»
NAME_PREFIX = 5    # letters of each word of a name a text must have («Hjort» for «Hjorth»)
MIN_WORD = 4       # a shorter word after a place is an abbreviation of the word the documents write there («pd»)
MIN_PART = 3       # letters of each part of a compound an abbreviation gives the initials of
PART_ZIPF = 3.0    # … and how common a word each part is in Norwegian («politi», «distrikt»)
_MID_CAPITAL_RE = re.compile(r"(?<=[a-zæøå,;] )([A-ZÆØÅ][\wæøå-]+)")   # not after a number: a table row


def _initials(letters: str, word: str) -> bool:
    """The letters are the initials of the word's parts, each part a Norwegian word: «pd» of «politidistrikt»
    («politi» + «distrikt»); not «pr» or «pt», whose last letter opens no word there."""
    if not word.startswith(letters[0]):
        return False
    if len(letters) == 1:
        return zipf(word) >= PART_ZIPF
    return any(zipf(word[:i]) >= PART_ZIPF and _initials(letters[1:], word[i:])
               for i in range(MIN_PART, len(word) - MIN_PART + 1))


def municipalities(chunks: list) -> set[str]:
    """The names the documents write as municipalities, lower case: written with a capital more often
    than without («Asker», not «Andre kommuner» at the start of a sentence)."""
    named: set[str] = set()
    for c in chunks:
        for m in _MUNICIPALITIES_RE.finditer(c.text):
            named |= set(re.findall(r"[A-ZÆØÅ][\w-]+", "".join(g or "" for g in m.groups())))
    text = " ".join(c.text for c in chunks)
    return {n.lower() for n in named
            if len(re.findall(rf"\b{re.escape(n)}\b", text)) > len(re.findall(rf"\b{re.escape(n.lower())}\b", text))}


@dataclass(frozen=True)
class Scope:
    places: tuple[str, ...] = ()   # lower case, as the question writes them
    # other names the documents mention only in passing («i drammen»), as the documents write them
    # («Drammen»): a text must name them
    names: tuple[str, ...] = ()
    country: bool = False
    years: tuple[str, ...] = ()
    # the years all come after every document's, and the question asks what happened then («hva viste
    # Ungdata i 2025?»): documents written before can plan for that year, not report on it
    reported_later: bool = False

    def __bool__(self) -> bool:
        return bool(self.places or self.names or self.country or self.years)

    def named(self) -> str:
        """The scope as a reader would say it: «Asker kommune», «hele landet», «2025»."""
        parts = [f"{p[:1].upper() + p[1:]} kommune" for p in self.places]
        parts += list(self.names)
        parts += ["hele landet"] if self.country else []
        parts += list(self.years)
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " og " + parts[-1]


class Scopes:
    """The documents' own scope, and the scope a question names beyond it."""

    def __init__(self, chunks: list) -> None:
        titles = {c.doc_title for c in chunks}
        self.home = {w.lower() for t in titles for w in _WORD_RE.findall(t) if w[:1].isupper()}
        self.home_years = {str(c.year) for c in chunks if c.year}
        self.names = proper_names(chunks)
        self.municipalities = municipalities(chunks) - self.home - STOP_WORDS
        # words the documents write with a capital in running text more often than without: names as
        # they write them («Drammen»; not «Fritidsklubber», which opens table rows but is lower case in
        # sentences), and in how many chunks each word stands
        self._text = " ".join(c.text.lower() for c in chunks)
        capital, lower, self._chunks_with = Counter(), Counter(), Counter()
        for c in chunks:
            capital.update(_MID_CAPITAL_RE.findall(c.text))
            words = _WORD_RE.findall(c.text)
            lower.update(w for w in words if w.islower())
            self._chunks_with.update({w.lower() for w in words})
        # … and whose word family the documents never write in lower case: a heading run into the text
        # before it («Mandat SLT ungdomsteam Teamet skal …») capitalises «teamet», which sentences write «team»
        ordinary = {stem for w in lower for stem in stems(w)}
        self._written = {w.lower(): w for w, n in capital.items()
                         if n > lower[w.lower()] and not stems(w) & ordinary}

    @cached_property
    def written_names(self) -> set[str]:
        """The names the documents write, as they write them («Drammen»), but for their own («Bærum»)."""
        return {w for k, w in self._written.items() if k not in self.home}

    def _passing_name(self, word: str) -> bool:
        """A name the documents mention only in passing: written as a name, in few chunks, rare in
        Norwegian by its word frequency, and no compound with a hyphen («SLT-arbeidet» is a thing of
        theirs, no place)."""
        return (word in self._written and word not in self.home and word not in STOP_WORDS and "-" not in word
                and specificity(word) >= NAME_SPECIFICITY and self._chunks_with[word] <= MENTION_CHUNKS)

    def _name_of_theirs(self, place: str, rest: str) -> str | None:
        """The name the documents write that the place begins («i Oslo politidistrikts gjennomgang»: «Oslo
        politidistrikt»), as they write it: something of theirs, which a passage must name, not another
        municipality."""
        after = re.match(r"\s+([a-zæøå]{2,})", rest.lower())
        if not after or after.group(1) in STOP_WORDS:
            return None
        word = after.group(1)
        if len(word) >= MIN_WORD:   # by its first letters
            m = re.search(rf"\b{re.escape(place)}\s+{re.escape(word[:NAME_PREFIX])}[\wæøå]*", self._text)
        else:   # a shorter one as the initials of a compound's parts («oslo pd»: «Oslo politidistrikt»)
            m = next((m for m in re.finditer(rf"\b{re.escape(place)}\s+({re.escape(word[0])}[\wæøå]*)", self._text)
                      if _initials(word, m.group(1))), None)
        if not m:
            return None
        first, *others = m.group(0).split()
        return " ".join([self._written.get(first, first.capitalize()), *(self._written.get(w, w) for w in others)])

    def of(self, question: str) -> Scope:
        places = []
        for m in MUNICIPALITY_RE.finditer(question):
            name = m.group(1).lower()
            # a name, not an everyday word before «kommune» («annen kommune», «naboens kommune»): written
            # with a capital, a name in the documents («oslo»), or a rare word that is no genitive
            named = (m.group(1)[:1].isupper() or name in self.names
                     or (specificity(name) >= NAME_SPECIFICITY and not name.endswith("s")))
            if named and name not in self.home and name not in places and name not in STOP_WORDS:
                places.append(name)
        names = []
        for m in IN_PLACE_RE.finditer(question):
            preposition, name, also = m.group(1).lower(), m.group(2).lower(), (m.group(3) or "").lower()
            if also in self.home or name in places:
                continue
            if name in self.municipalities:
                theirs = self._name_of_theirs(name, question[m.end(2):])
                if theirs:
                    names.append(theirs)
                elif preposition in IN_MUNICIPALITY:
                    places.append(name)
            elif preposition in AT_PLACE and self._passing_name(name):
                # the whole name, as the documents write it («emma hjorth» – «Emma Hjorth»)
                words = [self._written[name]]
                for w in _WORD_RE.findall(question[m.end(2):])[:NAME_WORDS - 1]:
                    if w.lower() in STOP_WORDS or w.lower() not in self._written:
                        break
                    words.append(self._written[w.lower()])
                if " ".join(words) not in names:
                    names.append(" ".join(words))
        years = [y for y in dict.fromkeys(YEAR_RE.findall(question)) if y not in self.home_years]
        later = bool(years) and bool(self.home_years) and min(int(y) for y in years) > max(map(int, self.home_years))
        return Scope(tuple(places), tuple(names), bool(COUNTRY_RE.search(question)), tuple(years),
                     later and bool(PAST_RE.search(asking(question))))

    def places_in(self, question: str) -> set[str]:
        """The words a question uses as a place the documents name («i Sandvika», «på Rykkinn»), lower case."""
        return {m.group(2).lower() for m in IN_PLACE_RE.finditer(question)
                if m.group(1).lower() in AT_PLACE and m.group(2).lower() in self._written}

    @staticmethod
    def covers(scope: Scope, text: str, around: str = "", opening: str = "") -> bool:
        """The text (a passage with its section path) says something within the scope: it names the
        municipality, the country and the year. A place named in passing may be named around it, in the
        passages next to it («… et «etter skole tilbud» til de under 13 år. Det anses som et viktig tilbud til de
        yngre barna på Rykkinnområdet.»)."""
        if scope.reported_later:
            return False
        low = text.lower()
        words = set(_WORD_RE.findall(low))
        # the municipality as such («Asker kommune», «Bærum og Asker kommuner»), not a name in passing
        # («kommuneadvokaten i Asker»)
        if any(not re.search(rf"\b{re.escape(p)}\s+kommune", low) for p in scope.places):
            return False
        near = f"{low} {around.lower()}"
        if any(not re.search(rf"\b{re.escape(w.lower()[:NAME_PREFIX])}", near) for n in scope.names for w in n.split()):
            return False
        if scope.country and not words.intersection(COUNTRY):
            return False
        # years by their digits; a span («2025-2028», «2025–2028») covers every year in it
        # a year said where the passage's section opens holds for the section («Bærum kommune gjennomførte
        # Ungdata i 2022. …» over «30 prosent av guttene …»)
        years = set(YEAR_RE.findall(f"{text} {opening}"))
        for a, b in YEAR_SPAN_RE.findall(text):
            years |= {str(y) for y in range(int(a), min(int(b), int(a) + MAX_SPAN) + 1)}
        return set(scope.years) <= years

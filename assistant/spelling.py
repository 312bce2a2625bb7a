"""Misspelt question words, read as the document words they stand for.

A typo in the main word of a question («radikalisring», «mobbbing», «utset») would otherwise be taken
for a topic the documents lack, and the question refused. A word is corrected only when nothing vouches
for it as written: the documents do not use it (not through its stem, its lemma or a compound's parts)
and Norwegian at large does not know it (wordfreq, simplemma). So a real word the documents lack
(«katt», «buskene») or a place they never name («Ringerike», «Tromsø») stays itself, and is still read
as a topic of its own.

A misspelt word becomes the document word nearest to it in spelling (Damerau–Levenshtein: a swapped,
missing, extra or wrong letter is one edit): one edit for words of medium length, two for long ones,
one for a name (a word capitalised mid-sentence); at equal distance the word the documents use most.
Short words are left alone: too many words are one edit apart («vold», «volt», «bold»). A compound the
documents never use whole is corrected in one of its halves («mobbbingsaker» – «mobbingsaker»).

wordfreq lists words seen about once in a hundred million, which takes in common typos («regisrert»). A word
it has seen that rarely, long enough, is read as a document word a hundred times as common that is the same word
with one letter more, not at its start: a dropped letter («regisrert», «modelen»). A rare word a letter apart in
another way is often a word of its own («trusser», «råtall», «flykting»), and one a first letter apart its
opposite («urapportert»), so those stay.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from . import norwegian
from .terms import MIN_PART, STOP_WORDS, Vocabulary, sentence_start

MIN_LENGTH = 5      # shorter words are never corrected
LONG = 10           # from this length a word may have two edits
MIN_TARGET = 4      # the shortest document word a misspelling is read as
CACHE = 20_000      # question words remembered with their reading
LINKS = "se"        # a compound's first half may end in a linking letter («mobbing-s-saker»)
BARELY = 1.5        # zipf: a word Norwegian at large has seen no more than this is no word vouched for …
COMMONER = 2.0      # … when a document word with one letter more is this much commoner (zipf: a hundred times)
DROPPED_MIN = 7     # … and the word is at least this long

WORD_RE = re.compile(r"[a-zæøåéü0-9]+", re.IGNORECASE)


class Speller:
    """Corrects question words against one Vocabulary's documents; build once, use for every question."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._by_length: dict[int, list[str]] = {}
        for w in sorted(vocab.counts):
            if len(w) >= MIN_TARGET:
                self._by_length.setdefault(len(w), []).append(w)
        self._cache: dict[tuple[str, bool], str | None] = {}

    def correct(self, text: str) -> str:
        """The text with each misspelt word replaced by the document word it stands for, with the
        capitals it was written with; the text itself when nothing is misspelt."""
        return WORD_RE.sub(lambda m: _same_case(m.group(0), self._read(text, m) or m.group(0)), text)

    def corrections(self, text: str) -> list[tuple[str, str]]:
        """(as written, as read) for each misspelt word of the text."""
        return [(m.group(0), read) for m in WORD_RE.finditer(text) if (read := self._read(text, m))]

    def word(self, word: str, name: bool = False) -> str | None:
        """The document word a misspelt word stands for (lower case), or None when it is not misspelt
        or no document word is near enough."""
        key = (word, name)
        cache = self._cache
        if key in cache:
            return cache[key]
        read = self._word(word, name)
        if len(self._cache) >= CACHE:
            self._cache = {}       # replaced, not cleared: another thread may be reading the old one
        self._cache[key] = read
        return read

    def _read(self, text: str, m: re.Match) -> str | None:
        name = m.group(0)[0].isupper() and not sentence_start(text, m.start())
        return self.word(m.group(0).lower(), name)

    def _word(self, word: str, name: bool) -> str | None:
        if len(word) < MIN_LENGTH or not word.isalpha() or word in STOP_WORDS:
            return None
        if self.vocab.uses(word):
            return None
        if norwegian.known(word):
            seen = max(norwegian.zipf(word), norwegian.zipf(norwegian.lemma(word)))
            if seen > BARELY or len(word) < DROPPED_MIN:
                return None
            found = self._nearest(word, 1, name)   # «regisrert»: a typo common enough to be listed
            return found if found and _dropped_letter(word, found) and norwegian.zipf(found) - seen >= COMMONER else None
        # two words Norwegian knows, put together, unless a document word is one letter away: «rapporen» is
        # «rapporten», not «rap» + «poren»
        if _compound_of_known(word) and (name or self._nearest(word, 1, name) is None):
            return None
        found = self._nearest(word, 1 if name or len(word) < LONG else 2, name)
        if found is None and not name:
            found = self._compound(word)
        return found

    def _nearest(self, word: str, edits: int, name: bool = False) -> str | None:
        """The nearest document word; at equal distance a name for a name, then the commonest."""
        n = len(word)
        targets = [w for length in range(n - edits, n + edits + 1) for w in self._by_length.get(length, ())]
        found = process.extract(word, targets, scorer=DamerauLevenshtein.distance, score_cutoff=edits, limit=None)
        if not found:
            return None
        names = self.vocab.names if name else ()
        return min(found, key=lambda f: (f[1], f[0] not in names, -self.vocab.counts[f[0]], f[0]))[0]

    def _compound(self, word: str) -> str | None:
        """One half misspelt, one edit, the other half a document word; the most balanced split."""
        best: tuple[int, str] | None = None
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            left, right = word[:i], word[i:]
            fixed = None
            if self.vocab.is_word(right) and len(left) >= MIN_LENGTH:
                head = self._nearest(left, 1)
                if head is None and left[-1] in LINKS and len(left) > MIN_LENGTH:
                    stem = self._nearest(left[:-1], 1)
                    head = stem + left[-1] if stem else None
                fixed = head + right if head else None
            elif self._is_head(left) and len(right) >= MIN_LENGTH:
                tail = self._nearest(right, 1)
                fixed = left + tail if tail else None
            if fixed and (best is None or min(i, len(word) - i) > best[0]):
                best = (min(i, len(word) - i), fixed)
        return best[1] if best else None

    def _is_head(self, left: str) -> bool:
        return self.vocab.is_word(left) or (left[-1] in LINKS and len(left) > MIN_PART and self.vocab.is_word(left[:-1]))


MIN_KNOWN_PART = 4   # parts of a compound vouched for by Norwegian at large


def _compound_of_known(word: str) -> bool:
    """Two words Norwegian knows as written, put together («klassechatten» = «klasse» + «chatten»): a
    compound of its own, not a misspelling. Norwegian never writes three equal letters at the seam, so
    «mobbbing» is no «mobb» + «bing»."""
    for i in range(MIN_KNOWN_PART, len(word) - MIN_KNOWN_PART + 1):
        left, right = word[:i], word[i:]
        if left[-1] == right[0] and (left[-2] == left[-1] or right[1] == right[0]):
            continue
        if norwegian.zipf(left) > 0 and norwegian.zipf(right) > 0:
            return True
    return False


def _dropped_letter(word: str, full: str) -> bool:
    """The word is the full word with one letter left out, not its first («regisrert»: «registrert»)."""
    return len(full) == len(word) + 1 and any(full[:i] + full[i + 1:] == word for i in range(1, len(full)))


def _same_case(written: str, read: str) -> str:
    if written.isupper() and len(written) > 1:
        return read.upper()
    return read[:1].upper() + read[1:] if written[:1].isupper() else read

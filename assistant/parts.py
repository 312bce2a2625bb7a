"""Two questions in one — «hvor ofte møtes gruppa, og hvilke tjenester er med i den?» — are answered
part by part, and the answers joined with their citations numbered anew. Each part is found by the
question word that opens it after «og», a comma or a question mark.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .norwegian import YES_NO_RE, YES_NO_VERBS
from .terms import STOP_WORDS
from .types import Answer

# A new question starts at a question word after «?», «, og», «og» or «,»; or, after «og» or «,», at a verb
# followed by its subject («…, og er det evaluert?», «…, har de noe for foreldre?»): the inverted order of a
# Norwegian yes/no question; not «og har det tøft hjemme», where «det» is no subject.
# The question word may come after a preposition («…, og for hvilke trinn er det?»).
_QUESTION_WORD = r"(?:(?:for|i|på|til|med|om|fra|av)\s+)?(?:hva|ka|hvem|hvor|hvordan|hvorfor|når|hvilke[nt]?)"
# not «en», «et», «noen»: «…? har en sønn på 15 som ruser seg» tells the asker's situation
_DETERMINER = r"(?:samme|denne|dette|disse|alle)"
_SPLIT_RE = re.compile(rf"(?:\?+\s*(?:og\s+)?|,\s*og\s+|\s+og\s+|,\s*)(?={_QUESTION_WORD}\b)"
                       rf"|(?:,\s*og\s+|\s+og\s+|,\s*)(?!(?:har|hadde)\s+det\b)(?={YES_NO_RE.pattern})"
                       # after a question mark, a verb before its subject is a question of its own («…? og gjelder
                       # samme aldersgrense …»), not a verb with no subject («…? må ringe dem i dag»)
                       rf"|\?+\s*(?:og\s+)?(?!(?:har|hadde)\s+det\b)(?=(?:{YES_NO_RE.pattern})|(?:{YES_NO_VERBS})\s+{_DETERMINER}\b)",
                       re.IGNORECASE)
MAX_PARTS = 3
MIN_WORDS = 3      # a shorter part («og hvor?») is no question of its own …
_WHY_RE = re.compile(r"\W*hvorfor(?:\s+(?:det|da|egentlig))?\W*", re.IGNORECASE)   # … but «… og hvorfor» asks why
_MARK_RE = re.compile(r"\[(\d+)\]")


# A part that asks: it opens with a question word or a verb («kan de komme …»), or «antall» as in a search
# («antall voldsanmeldelser i 2024, og hvor mange av dem …»), or ends in «?».
_ASKS_RE = re.compile(rf"^\W*(?:{_QUESTION_WORD}|{YES_NO_VERBS}|går|antall)\b", re.IGNORECASE)


# «Hva er forskjellen på ungdomsoppfølging og ungdomsstraff?»: what each of the two is
_DIFFERENCE_RE = re.compile(r"\b(?:hva|ka)\s+er\s+forskjellen\s+(?:på|mellom)\s+(?P<a>[\w/-]+(?:\s+[\w/-]+)?)"
                            r"\s+og\s+(?P<b>[\w/-]+(?:\s+[\w/-]+){0,2})\W*$", re.IGNORECASE)


# an adjective shares the noun after the second one («selektert og indikert forebygging»); a name does not
_ADJECTIVE_ENDINGS = ("ert", "et", "ig", "isk", "ell", "iv", "al", "ær", "lig")


def difference(question: str, m: re.Match | None = None) -> list[str] | None:
    """«Hva er forskjellen på A og B?» as «Hva er A?» and «Hva er B?»; an adjective A shares B's noun
    («selektert og indikert forebygging»: «selektert forebygging»; not «MST og Fact ung»)."""
    m = m or _DIFFERENCE_RE.search(question.strip())
    if not m:
        return None
    a, b = m.group("a"), m.group("b")
    if len(a.split()) == 1 and len(b.split()) == 2 and a.islower() and a.endswith(_ADJECTIVE_ENDINGS):
        a = f"{a} {b.split()[-1]}"
    return [f"Hva er {a}?", f"Hva er {b}?"]


_TOPIC_THEN_ASKS_RE = re.compile(rf"(?:\s[–-]|\s?:)\s*{_QUESTION_WORD}\b", re.IGNORECASE)
# … or, before a difference only, a topic of one to three words and a question word without a mark between
# («ungdomsstraff hvor lenge kan det vare og hva er forskjellen …»); not a scene («Vi vet ikke hvor mye …»).
# Elsewhere such a message stays one question.
_TOPIC_THEN_ASKS_BARE_RE = re.compile(r"^\W*(?P<topic>(?:[\w-]+\s+){1,3}?)(?:hvor\s+(?:mange|mye|lenge|ofte|gammel|gamle"
                                      r"|stor|stort|store)|hvem|hvordan|hvilke[nt]?)\b", re.IGNORECASE)
# what may stand between a question and a difference asked after it: a mark or «og» («…, og hva er forskjellen»),
# not «Kan noen forklare hva er forskjellen …», where the difference is what is asked
_BEFORE_DIFFERENCE_RE = re.compile(r"(?:[.?!,;:–-]\s*(?:og\s+)?|\s+og\s+)$", re.IGNORECASE)
_PRONOUNS = {"det", "den", "dette", "denne", "de", "disse"}


def _asks(text: str) -> bool:
    """The text asks: it opens as a question, ends in «?», or asks after naming its topic."""
    return bool(_ASKS_RE.match(text)) or text.rstrip().endswith("?") or bool(_TOPIC_THEN_ASKS_RE.search(text))


def _names_then_asks(text: str) -> bool:
    """A topic in words of content («ungdomsstraff») and then a question word."""
    m = _TOPIC_THEN_ASKS_BARE_RE.match(text)
    return bool(m) and not any(w.lower() in STOP_WORDS for w in m.group("topic").split())


def _before_difference(text: str, m: re.Match) -> list[str]:
    """The question asked before a difference, as parts (none when what stands before is a scene, or
    leads into the difference: «Kan noen forklare hva er forskjellen …»)."""
    lead = text[:m.start()]
    if not _BEFORE_DIFFERENCE_RE.search(lead):
        return []
    before = re.sub(r"(?:[\s,]+og)?[\s,.;:–?!-]*$", "", lead, flags=re.IGNORECASE)
    asks = _asks(before) or lead.rstrip().endswith("?") or _names_then_asks(before)
    if len(before.split()) < MIN_WORDS or not asks:
        return []   # «Sønnen vår har fått en sak i konfliktrådet. Hva er forskjellen …»: a scene, no question
    return [p.strip(" ,.?!") + "?" for p in split(before)]


def split(question: str) -> list[str]:
    """The questions a question holds; one element when it holds one. Context before the first
    question («noen i 8b har delt memes …, og når vi tar det opp …») stays with it."""
    text = question.strip()
    m = _DIFFERENCE_RE.search(text)
    if m:
        two = difference(text, m)
        # a question before the difference is a part of its own («ungdomsstraff hvor lenge kan det vare og hva
        # er forskjellen på det og ungdomsoppfølging»), and «det» in the difference is what that part names
        before = _before_difference(text, m)
        if not before:
            return two
        named = [p for p, word in zip(two, m.group("a", "b")) if word.lower() not in _PRONOUNS]
        return [*before[:MAX_PARTS - len(named)], *named]
    cuts = list(_SPLIT_RE.finditer(text))
    raw = [text[a.end() if a else 0 : b.start() if b else len(text)]
           for a, b in zip([None, *cuts], [*cuts, None])]
    # the first part asks when it opens as a question, ends in «?», or asks after naming its topic
    # («utsett for elever – hvilket trinn er det for»)
    first_asks = _asks(raw[0]) or (bool(cuts) and "?" in cuts[0].group(0))
    if len(raw) > 1 and not first_asks:
        raw = [raw[0] + cuts[0].group(0) + raw[1], *raw[2:]]
    pieces = [p.strip(" ,.?!") + "?" for i, p in enumerate(raw)
              if len(p.split()) >= MIN_WORDS or (i and _WHY_RE.fullmatch(p))]
    return pieces[:MAX_PARTS] if len(pieces) > 1 else [question]


# A label that opens a line of an answer before what it introduces («Mer fra dokumentene: …»)
LINE_LABEL_RE = re.compile(r"^[A-ZÆØÅ][^.:\[\n]{0,40}:\s+")


_CITED_END_RE = re.compile(r"(?<=\]\.)\s+")   # after «… [2].»: the next cited sentence starts


def _unsaid(text: str, said: set[str]) -> str:
    """The answer's cited sentences (in a paragraph, or a «• » measure) that an earlier part did not
    already give; `said` gathers what has been given, compared without source numbers and labels."""
    kept = []
    for line in text.split("\n"):
        new = []
        for sentence in _CITED_END_RE.split(line):
            key = _MARK_RE.sub("", LINE_LABEL_RE.sub("", sentence)).strip(" .•")
            if key and key in said:
                continue
            if key:
                said.add(key)
            new.append(sentence)
        if new or not line.strip():
            kept.append(" ".join(new))
    # an introduction of the answer's own («… som kan hjelpe:», no source) whose every item an earlier part
    # gave goes too
    kept = [line for i, line in enumerate(kept)
            if not (line.rstrip().endswith(":") and not _MARK_RE.search(line))
            or (i + 1 < len(kept) and kept[i + 1].startswith("• "))]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def join(question: str, answers: list[Answer]) -> Answer:
    """One answer from the parts' answers: the texts one after another, the citations numbered in
    order of appearance, a source cited by two parts listed once."""
    citations, texts, numbers = [], [], {}
    said: set[str] = set()
    for a in answers:
        renumber = {}
        for c in a.citations:
            key = (c.chunk_id, c.quote)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(replace(c, n=numbers[key]))
            renumber[c.n] = numbers[key]
        text = _MARK_RE.sub(lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]", a.answer)
        texts.append(_unsaid(text, said))
    texts = [t for t in texts if t]
    # a source whose every sentence was already said by an earlier part is listed no more
    used = sorted({int(n) for t in texts for n in _MARK_RE.findall(t)})
    renumber = {old: new for new, old in enumerate(used, start=1)}
    texts = [_MARK_RE.sub(lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]", t) for t in texts]
    citations = [replace(c, n=renumber[c.n]) for c in citations if c.n in renumber]
    first = answers[0]
    return replace(first, question=question, answer="\n\n".join(texts), citations=citations,
                   refused=all(a.refused for a in answers), searched=" / ".join(a.searched for a in answers),
                   figure=next((a.figure for a in answers if a.figure), None),
                   suggestions=[] if not all(a.refused for a in answers) else first.suggestions)

"""Conversation: a question is read as a follow-up only when it cannot stand alone.

Three kinds of question:
- elliptical («Og i 2022?», «Hva med jentene?», «Enn guttene?»): always completed from the conversation;
- referring back («Hvor finner jeg den veilederen?», «Hva betyr det?»): searched alone first, and
  completed from the conversation only when alone it finds no good evidence (the pipeline decides);
- complete: never merged with anything.

A rewrite is built from the question the previous turn stood on (its *anchor*: the last complete
question) and the new question, never from an earlier rewrite that added words to it, so rewrites do not pile
up. A rewrite that only swapped something in the anchor («… i 2023?», «… jentene 15-17 år …?») is complete
itself, and is what the next follow-up goes on from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .figure_question import AGE_RANGE_RE
from .lines import YEAR_RE  # figures reads years the same way, through this module
from .norwegian import YES_NO_VERBS
from .types import Answer

MAX_QUESTION_CHARS = 1000
TOO_LONG = (f"Spørsmålet er for langt (over {MAX_QUESTION_CHARS} tegn). Skriv det kortere, "
            "gjerne som ett spørsmål om gangen.")

# «Og …», «Men …», «Enn …», «Hva med …», «Samme for …», «Også …» open a question that leans on the last one
OPENER = re.compile(r"^\s*(?:(?:og|men)\s+)?(?:hva\s+så\s+med|hva\s+med|hvordan\s+med|enn|samme\s+for|samme|også|og|men)\b[\s,]*",
                    re.I)
QUESTION_WORD = re.compile(rf"^(hva|hvem|hvor|hvordan|hvorfor|hvilke|hvilken|hvilket|når|{YES_NO_VERBS})\b", re.I)
# Pronouns and demonstratives that point at something said before. «det» only counts outside the
# expletive «er det / det er / var det / finnes det …» («Hva er det SLT gjør?» stands alone).
BACK_REFERENCES = re.compile(r"\b(den|denne|dette|disse|dem|der|dit|samme|tallet|tallene|tabellen|veilederen|tiltaket)\b",
                             re.I)
REFERRING_DET = re.compile(r"\bdet\b(?!\s+(er|var|blir|ble|finnes|fins|gjelder|går|står|skjer|har)\b)", re.I)
JOIN = " – "    # how a rewrite adds the follow-up's own words to the anchor
WHEN_WORDS = ("i", "for", "da", "år", "året")   # the words around a year in a follow-up of nothing else
# swaps the row an answer's figure came from in a question for the one words said after it name (figure_match)
RowSwap = Callable[[str, dict, str], "str | None"]
EXPLETIVE_BEFORE = re.compile(r"\b(er|var|blir|ble|finnes|fins|gjelder|går|står|skjer|har|hvordan)\s+det\b", re.I)


@dataclass
class Turn:
    question: str
    searched: str
    answer: Answer
    anchor: str = ""      # the complete question this turn stood on


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    rewrote_whole: bool = False   # the last rewrite only swapped something in the anchor: a question of its own

    @property
    def anchor(self) -> str:
        return self.turns[-1].anchor if self.turns else ""

    def kind(self, question: str) -> str:
        """«ellipsis», «refers» (a follow-up only if it finds nothing alone) or «complete»."""
        if not self.turns:
            return "complete"
        return question_kind(question)

    def rewrite(self, question: str, swap_row: RowSwap | None = None) -> str:
        """The question completed from the previous turn's anchor. With `swap_row`, a follow-up naming a row
        next to the one the last figure came from («hva med jentene?») asks for that row instead."""
        if not self.turns:
            return question
        figure = self.turns[-1].answer.figure
        swap = (lambda asked, said: swap_row(asked, figure, said)) if swap_row and figure else None
        text, self.rewrote_whole = completed(self.anchor, question, swap)
        return text

    def add(self, question: str, searched: str, answer: Answer) -> None:
        """searched: what the answer was looked up with (the question, or its rewrite as the answerer read it)."""
        if searched == question or not self.turns:
            anchor = question
        elif answer is not None and not answer.refused and (self.rewrote_whole or _one_row(answer.figure)):
            # a rewrite that only swapped a year, an age group or a row; or one a table row answered, which is
            # what it asked for («… – jentene?» answered from «Jenter»): «og i 2023?» goes on from it
            anchor = searched
        else:
            anchor = self.anchor
        self.turns.append(Turn(question, searched, answer, anchor))

    def clear(self) -> None:
        self.turns.clear()


def _one_row(figure: dict | None) -> bool:
    return bool(figure) and figure.get("row") is not None and len(figure.get("rows") or ()) <= 1


def _opened(question: str) -> tuple[re.Match | None, str]:
    """The opener a follow-up starts with («Og», «Hva med» …), if any, and the rest of the question."""
    q = question.strip()
    opener = OPENER.match(q)
    return opener, q[opener.end():] if opener else q


def question_kind(question: str) -> str:
    q = question.strip()
    opener, rest = _opened(q)
    if opener and not QUESTION_WORD.match(rest.strip()):
        return "ellipsis"
    if only_when(rest):
        return "ellipsis"       # «I 2022?», «Året?»
    if opener or refers_back_words(q):
        return "refers"
    return "complete"


def only_when(text: str) -> bool:
    """Nothing but years and the small words around them («i 2022», «for 2021 da»)."""
    return all(YEAR_RE.fullmatch(w) or w.lower() in WHEN_WORDS for w in re.findall(r"\w+", text))


def names_nothing(question: str) -> bool:
    """An opener, years and small words only («Og i 2022?»): there is nothing to answer without a question
    before it."""
    return only_when(_opened(question)[1])


def refers_back_words(question: str) -> bool:
    if BACK_REFERENCES.search(question):
        return True
    for m in REFERRING_DET.finditer(question):
        if not EXPLETIVE_BEFORE.search(question[: m.end()][-20:]):
            return True
    return False


def refers_back(question: str) -> bool:
    """Whether a question may lean on the previous one (elliptical or with a back-reference)."""
    return question_kind(question) != "complete"


_YEAR = r"(?:19|20)\d{2}"
# a year with the words that place it, or a span of two («mellom 2019 og 2022», «i perioden 2019-2022»)
YEAR_PHRASE_RE = re.compile(rf"\b(?:(?:mellom|fra|i\s+perioden|perioden)\s+)?{_YEAR}\s*(?:[-–]|og|til)\s*{_YEAR}\b"
                            rf"|\b(?:(?:i|for|år|året|fra|til)\s+)?{_YEAR}\b", re.IGNORECASE)


# a single year a change is counted from («endringen fra 2023», «økt siden 2022?»)
SINCE_YEAR_RE = re.compile(rf"\b(?:fra|siden)\s+({_YEAR})\b(?!\s*(?:[-–]|og|til)\s*{_YEAR})", re.IGNORECASE)


def merge(anchor: str, question: str) -> str:
    """«Hvor mange anmeldelser for vold i 2024?» + «Og i 2022?» → «Hvor mange anmeldelser for vold i 2022?»."""
    return completed(anchor, question)[0]


def completed(anchor: str, question: str, swap: Callable[[str, str], str | None] | None = None) -> tuple[str, bool]:
    """The follow-up completed from the anchor, and whether that only swapped something in the anchor (a year,
    an age group, a row) rather than adding the follow-up's words to it after «JOIN». `swap` puts the words
    left of the follow-up in place of the anchor's words they stand in for, if it can."""
    base = anchor.strip().rstrip(" ?.!")
    q = question.strip()
    new_years = YEAR_RE.findall(q)
    if len(new_years) > 1:
        # «… i 2024 sammenlignet med 2023»: a span or comparison of its own stays as the question says it
        base = re.sub(r"\s+", " ", YEAR_PHRASE_RE.sub("", base)).strip(" ,")
        rest = re.sub(r"\s+", " ", OPENER.sub("", q, count=1)).strip(" ?.!,")
        return f"{base}{JOIN}{rest}?", False
    since = SINCE_YEAR_RE.search(q)
    old = list(YEAR_RE.finditer(base))
    if since and len(old) == 1 and int(old[0].group()) > int(since.group(1)):
        # «Hva var endringen fra 2023?» after «… i 2024»: the change from that year up to the anchor's
        phrase = next((m for m in YEAR_PHRASE_RE.finditer(base) if m.start() <= old[0].start() < m.end()), old[0])
        base = f"{base[: phrase.start()]}fra {since.group(1)} til {old[0].group()}{base[phrase.end():]}"
    elif new_years:
        if old:   # the year asked about is the last one named («fra 2023 til 2024» → «fra 2023 til 2022»)
            base = base[: old[-1].start()] + new_years[0] + base[old[-1].end():]
        else:
            base = f"{base} i {new_years[0]}"
    ages = AGE_RANGE_RE.findall(q)
    old_ages = list(AGE_RANGE_RE.finditer(base))
    if len(ages) == 1 and len(old_ages) == 1:
        # «… 14-15 år?» + «og hvor mange 18-19?»: the age group asked about replaces the anchor's, as a year does
        base = base[: old_ages[0].start()] + "-".join(ages[0]) + base[old_ages[0].end():]
        q = AGE_RANGE_RE.sub("", q)
    rest = OPENER.sub("", q, count=1).strip(" ?.!")
    rest = YEAR_PHRASE_RE.sub("", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" ,?.")
    if rest.lower() in ("", "i", "da", "for"):
        return base + "?", True
    swapped = swap(base, rest) if swap else None
    return (f"{swapped}?", True) if swapped else (f"{base}{JOIN}{rest}?", False)


def one_line(text: str, limit: int = 120) -> str:
    """Text cut to one line for display («Søkte etter: …»)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"

"""Conversation: follow-up questions are resolved against the previous turn before searching.

A question is rewritten only when it refers back («Og i 2023?», «Hva med jentene?», «Hvor finner jeg
den veilederen?»); the rewritten query is what gets searched, and it is shown to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .types import Answer

YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
FOLLOW_UP_START = re.compile(r"^(og|men|hva med|hvordan med|enn|samme|også|hvor finner jeg den|hvor finner jeg det)\b", re.I)
BACK_REFERENCES = re.compile(r"\b(den|det|dette|denne|disse|dem|der|samme|veilederen|tiltaket|tallet|tabellen)\b", re.I)


@dataclass
class Turn:
    question: str
    searched: str
    answer: Answer


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def resolve(self, question: str) -> str:
        """The query to search for: the question itself, or the question merged with the last turn."""
        if not self.turns or not refers_back(question):
            return question
        previous = self.turns[-1].searched
        new_years = YEAR_RE.findall(question)
        base = YEAR_RE.sub(new_years[0], previous) if new_years and YEAR_RE.search(previous) else previous
        rest = FOLLOW_UP_START.sub("", question.strip()).strip(" ?.")
        rest = YEAR_RE.sub("", rest).replace(" i ", " ").strip()
        if rest.lower() in ("", "i", "da"):
            return base
        return f"{base} {rest}".strip()

    def add(self, question: str, searched: str, answer: Answer) -> None:
        self.turns.append(Turn(question, searched, answer))


def refers_back(question: str) -> bool:
    q = question.strip()
    words = q.split()
    if FOLLOW_UP_START.match(q):
        return True
    return len(words) <= 6 and bool(BACK_REFERENCES.search(q))

"""One check for every question, wherever it comes from: the CLI, a batch on stdin, the terminal chat
or the web app (all go through pipeline.Assistant.ask)."""

from __future__ import annotations

import re

from .errors import InvalidQuestion

MAX_QUESTION_CHARS = 1000
EXAMPLE = "Hva er Utsett?"          # a question the documents answer, for messages that propose one

_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Invalid bytes (which Python keeps as lone surrogates from argv and stdin) become U+FFFD, and
    control characters such as NUL are removed, so the text can always be printed and stored."""
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        pass
    return _CONTROL_RE.sub("", _SURROGATE_RE.sub("\ufffd", text))


def check_question(question: str | None) -> str:
    """The question as it will be searched and answered, or a Norwegian error saying what to do."""
    q = _SPACE_RE.sub(" ", clean_text(question or "")).strip()
    if not q:
        raise InvalidQuestion(f"Spørsmålet er tomt. Skriv et spørsmål, for eksempel «{EXAMPLE}».")
    if len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(
            f"Spørsmålet er for langt ({len(q)} tegn). Skriv det kortere, høyst {MAX_QUESTION_CHARS} tegn, "
            "og still gjerne flere korte spørsmål."
        )
    if not any(c.isalnum() for c in q):
        raise InvalidQuestion(f"Spørsmålet inneholder ingen ord. Skriv et spørsmål, for eksempel «{EXAMPLE}».")
    return q

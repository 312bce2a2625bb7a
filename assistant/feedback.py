"""Feedback on answers (👍/👎 and a comment), kept on this machine in SQLite under the index root.

Personal data is masked before anything is written: e-mail addresses, phone numbers, fødselsnumre and
names of persons (two or more capitalised words in a row, or a capitalised word after «heter»,
«jeg er», «sønnen min» …). Nothing is sent anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import time
from pathlib import Path

FILE_NAME = "feedback.sqlite3"
COLUMNS = ("id", "time", "rating", "comment", "question", "searched", "answer", "refused", "sources")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 11 digits, optionally «ddmmåå nnnnn» — checked before phone numbers, which are shorter
FNR = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d{2}[\s-]?)?(?:\d[\s-]?){7}\d(?![\d])")
UPPER = "A-ZÆØÅÄÖÜÉ"
NAME_WORD = rf"[{UPPER}][a-zæøåäöüé]+(?:-[{UPPER}][a-zæøåäöüé]+)?"
FULL_NAME = re.compile(rf"\b{NAME_WORD}(?:\s+(?:{NAME_WORD}|[{UPPER}]\.))+")
NAME_CUE = re.compile(
    rf"\b(heter|navnet (?:mitt |hans |hennes )?er|jeg er|sønnen min|datteren min|barnet mitt|eleven min|"
    rf"eleven|gutten|jenta|min sønn|min datter|kontakt|ring|spør)\s+({NAME_WORD})", re.I)


def mask(text: str) -> str:
    """The text with e-mail addresses, fødselsnumre, phone numbers and person names replaced."""
    if not text:
        return text
    text = EMAIL.sub("[e-post]", text)
    text = FNR.sub("[fødselsnummer]", text)
    text = PHONE.sub("[telefon]", text)
    text = FULL_NAME.sub("[navn]", text)
    return NAME_CUE.sub(lambda m: f"{m.group(1)} [navn]" if m.group(2)[0].isupper() else m.group(0), text)


class FeedbackStore:
    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / FILE_NAME

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(
            "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, "
            "rating INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, "
            "searched TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL, refused INTEGER NOT NULL, "
            "sources TEXT NOT NULL DEFAULT '[]')"
        )
        return con

    def add(self, rating: int, answer, comment: str = "") -> int:
        """Store one rating (+1 / -1) of an Answer; returns the row id."""
        sources = [{"document": c.document, "where": c.where} for c in answer.citations]
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO feedback (time, rating, comment, question, searched, answer, refused, sources) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (time.strftime("%Y-%m-%dT%H:%M:%S"), 1 if rating > 0 else -1, mask(comment.strip()),
                 mask(answer.question), mask(answer.searched), mask(answer.answer), int(answer.refused),
                 json.dumps(sources, ensure_ascii=False)),
            )
            return int(cur.lastrowid)

    def update(self, row_id: int, rating: int | None = None, comment: str | None = None) -> None:
        with self._connect() as con:
            if rating is not None:
                con.execute("UPDATE feedback SET rating = ? WHERE id = ?", (1 if rating > 0 else -1, row_id))
            if comment is not None:
                con.execute("UPDATE feedback SET comment = ? WHERE id = ?", (mask(comment.strip()), row_id))

    def rows(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self._connect() as con:
            cur = con.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")
            return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]


def export(rows: list[dict], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    lines = []
    for r in rows:
        thumb = "👍" if r["rating"] > 0 else "👎"
        lines.append(f"{r['id']}. {r['time']} {thumb} {r['question']}")
        if r["comment"]:
            lines.append(f"   Kommentar: {r['comment']}")
    return "\n".join(lines) + ("\n" if lines else "")

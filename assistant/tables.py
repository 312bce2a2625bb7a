"""Statistics tables as data (filled in by the figures work)."""

from __future__ import annotations

import json


def write_tables(paths, chunks_by_doc) -> None:
    paths.tables.write_text(json.dumps([], ensure_ascii=False), encoding="utf-8")

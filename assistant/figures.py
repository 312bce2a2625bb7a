"""Figure questions answered from the statistics tables (filled in by the figures work)."""

from __future__ import annotations


class FigureAnswerer:
    def __init__(self, retriever) -> None:
        self.retriever = retriever

    def answer(self, question: str, searched: str):
        return None

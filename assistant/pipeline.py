"""One question in, one cited answer out: figure lookup first, then retrieval and the answerer."""

from __future__ import annotations

from .answer import Answerer
from .chat import Conversation
from .config import Settings
from .question import check_question
from .retrieve import Retriever
from .types import Answer


class Assistant:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.retriever = Retriever(self.settings)
        self.answerer = Answerer(self.retriever)
        from .figures import FigureAnswerer
        from .llm import make_generator

        self.figures = FigureAnswerer(self.retriever)
        self.generator = make_generator(self.settings)

    def ask(self, question: str, conversation: Conversation | None = None, doc_id: str | None = None) -> Answer:
        question = check_question(question)
        searched = conversation.resolve(question) if conversation else question
        answer = self.figures.answer(question, searched)
        if answer is None:
            answer = self.answerer.answer(question, searched=searched, doc_id=doc_id)
            if self.generator is not None and not answer.refused:
                answer = self.generator.improve(answer, self.answerer, searched, doc_id)
        if conversation is not None:
            conversation.add(question, searched, answer)
        return answer

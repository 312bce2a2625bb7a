"""One question in, one cited answer out: misspelt words corrected, figure lookup first, then retrieval
and the answerer. What was searched, when it differs from the question, is the answer's `searched`."""

from __future__ import annotations

import re

from .answer import Answerer, form_words
from .asks import Want, holds, wanted, without_form
from .chat import Conversation, merge, names_nothing, one_line, refers_back_words
from .config import Settings
from .documents import with_quote_pages
from .figure_question import is_change_word, is_figure_word
from .lines import YEAR_RE
from .norwegian import TOPIC_WORD, asking, asks, in_english, small_talk, specificity, topical
from .parts import join, split
from .question import EXAMPLE, check_question
from .retrieve import Retriever
from .spelling import Speller
from .terms import naming_topics, no_topic
from .types import Answer

# Beyond chat.BACK_REFERENCES, in a later part of one message: «hvilke aldre dekker de?», «er det evaluert?»
# («det» before what it is said to be, not the dummy of «er det noen …», «er det i Bærum …», «finnes det …»)
PRONOUN_RE = re.compile(r"\b(de|dem)\b|(?<!finnes )(?<!fins )\bdet\s+"
                        r"(?!(?:noe|noen|en|et|ei|mange|flere|mye|andre|i|på|til|for|av|om|med)\b)\w+"
                        r"|\bdet\W*$", re.IGNORECASE)   # «…, og for hvilke trinn er det?»
CONTINUES_RE = re.compile(r"\bogså\b", re.IGNORECASE)  # with a back-reference: goes on about the last topic
TOPIC_CHUNKS = 10      # a word the documents use in this many chunks names one of their topics («vold»)
SMALL_TALK_WORDS = 3   # small talk is short («takk for svaret»); a longer message tells something
SPEAKS_OF = 0.5   # share of a later part's topic an earlier answer must name to have answered it
PART_QUOTE = 80   # characters of a part the documents say nothing about, quoted back
NOTHING_MORE = "Dokumentene sier ikke mer om dette enn i forrige svar. Det de sier:"
IN_ENGLISH = (f"Jeg svarer på norsk, ut fra norske dokumenter. Skriv gjerne spørsmålet på norsk, for eksempel "
              f"«{EXAMPLE}».")
SMALL_TALK = f"Spør gjerne om noe dokumentene handler om, for eksempel «{EXAMPLE}»."
FOLLOW_UP_TERMS = 2  # a question of at most this many everyday words, in a conversation, goes on about the last
NO_TOPIC_TERMS = 1   # a first message of at most this many content words, none naming a topic, says too little
NOTHING_BEFORE = ("Hva gjelder det? Det er ikke noe tidligere spørsmål i samtalen å bygge videre på. Skriv hele "
                  "spørsmålet – hva du vil vite, og for hvilket år.")
NO_TOPIC = ("Hva gjelder det? Skriv gjerne litt om situasjonen – hvem det gjelder og hva som har skjedd – så finner "
            "jeg hjelpen dokumentene beskriver for akkurat det.")
_MARKER_RE = re.compile(r"\s*\[\d+\]")


def _unmarked(text: str) -> str:
    """An answer's text without its source numbers, which a later answer may number differently."""
    return _MARKER_RE.sub("", text)


# a question word that asks for no number: a later part opening with it is no question for the tables
NO_NUMBER_RE = re.compile(r"^\W*(?:hvorfor|hvordan|hvem|hva)\b", re.IGNORECASE)


class Assistant:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.retriever = Retriever(self.settings)
        self.answerer = Answerer(self.retriever)
        self.speller = Speller(self.answerer.vocab)
        from .figures import FigureAnswerer
        from .llm import make_generator

        self.figures = FigureAnswerer(self.retriever, self.answerer.vocab, self.answerer.scopes)
        self.generator = make_generator(self.settings)

    def ask(self, question: str, conversation: Conversation | None = None, doc_id: str | None = None) -> Answer:
        """Answer one question; with a conversation, a follow-up that cannot stand alone is completed first."""
        question = check_question(question)
        if in_english(question):
            return Answer(question=question, answer=IN_ENGLISH, refused=True, searched=question)
        if conversation is not None and not conversation.turns and names_nothing(question):
            # «Og i 2022?» as the first message: of what? Asking back beats guessing a table
            return Answer(question=question, answer=NOTHING_BEFORE, refused=True, searched=question)
        kind = conversation.kind(question) if conversation is not None else "complete"
        if kind == "complete" and self._small_talk(question):
            # «takk», «hei»: nothing to look up, and not the topic a follow-up goes on about
            return Answer(question=question, answer=SMALL_TALK, refused=True, searched=question)
        merged = False
        last = conversation.turns[-1] if conversation is not None and conversation.turns else None
        if last is not None and last.answer.answer == NO_TOPIC and kind == "complete" and not asks(question):
            # the situation told after «Hva gjelder det?» is searched with the question it answers, and is
            # what later follow-ups go on about
            answer = self._answer(question, f"{question.rstrip(' .')}. {last.question}", doc_id)
        elif kind == "ellipsis":
            answer, merged = self._answer(question, self._rewrite(conversation, question), doc_id), True
        elif kind == "refers" and (not self._names_a_topic(question) or CONTINUES_RE.search(question)) or (
                kind == "complete" and conversation is not None and conversation.turns
                and asks(question) and self._goes_on(question)):
            # «og hvordan søker man?», «hvor får jeg hjelp»: nothing of its own to search for, so it
            # continues the last question;
            # «gjelder det også hvis vi ikke har anmeldt det?»: «også» says it goes on about the same thing
            answer, merged = self._answer(question, self._rewrite(conversation, question), doc_id), True
        elif kind == "refers":
            # a back-reference is followed only when the question alone finds no good evidence
            answer = self._answer(question, question, doc_id)
            if answer.refused:
                rewritten = self._answer(question, self._rewrite(conversation, question), doc_id)
                if not rewritten.refused:
                    answer, merged = rewritten, True
        elif (last is None and asks(question) and self._says_too_little(question)
              and self.answerer.help.is_help_question(question)):
            # «hvor får jeg hjelp» as the first message: help for what? Asking back beats a refusal or a guess
            answer = Answer(question=question, answer=NO_TOPIC, refused=True, searched=question)
        else:
            answer = self._answer_parts(question, doc_id)
        if conversation is not None:
            if merged and last is not None and not answer.refused and _unmarked(answer.answer) in _unmarked(last.answer.answer):
                # a follow-up the documents say nothing more about: say so, rather than repeat as if new
                answer.answer = f"{NOTHING_MORE}\n\n{answer.answer}"
            # a question answered as it stands (small talk dropped, typos corrected) is the next anchor
            conversation.add(question, answer.searched if merged else question, answer)
        return answer

    def _answer_parts(self, question: str, doc_id: str | None) -> Answer:
        """A question holding two or three questions gets each answered; a part with no topic of its own
        («… og hvor lenge varer det?») is read with the first part's."""
        parts = split(question)
        if len(parts) == 1:
            return self._answer(question, question, doc_id)
        answers: list[Answer] = []
        given: set[tuple[str, int]] = set()
        for i, part in enumerate(parts):
            # a later part speaking of «de», «dette» … (or of «det» that is no dummy) speaks of the first part's topic
            # … and one asking only about figures («hvor stor var nedgangen fra 2019?») of the first part's figure
            only_figures = self._asks_only_figures(part)
            alone = (self._names_a_topic(part) and not only_figures
                     and not (refers_back_words(part) or PRONOUN_RE.search(part)))
            # … its topic, not its form: «…, og hvem henviste mest?» wants no count from «hvor mange …»
            searched = part if i == 0 or alone else merge(without_form(parts[0], part), part)
            a = self._answer(part, searched, doc_id, frozenset(given))
            if a.figure and NO_NUMBER_RE.match(part) and any(a.answer == b.answer for b in answers):
                # the first part's figure again («hvor mange butikktyverier var det i 2024, og hvorfor gikk det
                # ned?»): the later part asks for no number, which the text may answer
                a = self._answer(part, searched, doc_id, frozenset(given), tables=False)
            if i and a.figure and only_figures and any(
                    b.figure and all(y in b.answer for y in YEAR_RE.findall(part)) for b in answers):
                # «…, og hvor stor var nedgangen i prosent?»: the figure given, set against the year before, says
                # its change already (and names each year the part names)
                continue
            given.update(a.passages)
            # a part whose kind of detail an earlier answer about the same thing gives («når skjer det meste av volden?
            # hvilke dager og tid på døgnet»: the days are named) adds nothing; one about something else is told what
            # is missing for it («… og hvor ofte er det temakveld for foreldre?»)
            want = wanted(searched)
            if (i and a.refused and isinstance(want, Want)
                    and any(holds(want, b.answer) and self._speaks_of(b.answer, part, want) for b in answers)):
                continue
            if a.refused and not a.citations:
                # the sentence that asks, not the scene told before it
                a.answer = f"Om «{one_line(asking(part), PART_QUOTE)}» finner jeg ikke noe i dokumentene."
            if not any(a.answer == b.answer for b in answers):
                answers.append(a)
        if all(a.refused for a in answers):
            return self._answer(question, question, doc_id)
        joined = join(question, answers)
        # what the asker sees as searched: the question as corrected, not how each part was read
        joined.searched = self.speller.correct(topical(question))
        return joined

    def _speaks_of(self, text: str, part: str, want: Want) -> bool:
        """The text names most of what the part of a question names, less the words asking for the detail
        («hvilke dager og tid på døgnet»: «tid», «døgnet»), not something else («… og hvor ofte er det temakveld
        for foreldre» after an answer about the board's meetings)."""
        vocab, form = self.answerer.vocab, form_words(want.asked, part)
        return vocab.match([t for t in naming_topics(vocab.terms(part)) if t.word not in form], text) >= SPEAKS_OF

    def _rewrite(self, conversation: Conversation, question: str) -> str:
        """The follow-up completed from the conversation; one naming the row next to the last figure's asks
        for that row."""
        return conversation.rewrite(question, self.figures.swap_row)

    def _asks_only_figures(self, question: str) -> bool:
        """Words of figures and change, and years, only: none says of what («hvor stor var nedgangen fra 2023?»)."""
        return all(is_figure_word(t.word) or YEAR_RE.fullmatch(t.word) for t in self.answerer.vocab.terms(question))

    def _names_a_topic(self, question: str) -> bool:
        """The question names something of its own the documents know (a noun, a name), not only verbs
        and everyday words («og hvordan søker man?»)."""
        return bool(naming_topics(self.answerer.vocab.terms(question)))

    def _small_talk(self, question: str) -> bool:
        """A few words that ask nothing, none specific and none a topic of the documents («takk», «hei»,
        «ok, flott»; not «vold», «foreldre» or «jeg er bekymret for sønnen min»)."""
        vocab = self.answerer.vocab
        return len(question.split()) <= SMALL_TALK_WORDS and small_talk(question) and not any(
            t.known and vocab.df.get(t.stem, 0) >= TOPIC_CHUNKS for t in vocab.terms(question))

    def _goes_on(self, question: str) -> bool:
        """A short question of everyday words, no name and no word naming a topic, in the documents or in
        Norwegian at large («hvor får jeg hjelp», «hvem kan jeg ringe da?»): it goes on about the last
        question. «hva tilbyr politiet til skolene?» says what it is about, in everyday words too. A word of
        change («nedgangen», «økte») says what is asked about the topic, and names none."""
        terms = [t for t in self.answerer.vocab.terms(question) if not is_change_word(t.word)]
        return len(terms) <= FOLLOW_UP_TERMS and not any(
            t.name or specificity(t.word) >= TOPIC_WORD for t in terms)

    def _says_too_little(self, question: str) -> bool:
        """At most NO_TOPIC_TERMS content words, none naming a topic («hvor får jeg hjelp»)."""
        terms = self.answerer.vocab.terms(question)
        return len(terms) <= NO_TOPIC_TERMS and no_topic(terms)

    def _answer(self, question: str, searched: str, doc_id: str | None,
                given: frozenset[tuple[str, int]] = frozenset(), tables: bool = True) -> Answer:
        searched = topical(searched)  # «… Takk!», «… Svar kort.» are not part of what is asked
        searched = self.speller.correct(searched)  # «radikalisring» is searched as «radikalisering»
        answer = self.figures.answer(question, searched) if tables else None
        if answer is not None and doc_id and (answer.figure or {}).get("document") not in (None, doc_id):
            answer = None  # a table from another document than the one asked about
        if answer is not None and self.figures.counts_elsewhere(searched, answer):
            # «hvor mange overgrep skjedde i Bærum»: the table counts patients, the text next to it the overgrep
            prose = self.answerer.answer(question, searched=searched, doc_id=doc_id, given=given)
            if self.figures.counted_in_text(searched, answer, prose):
                answer = prose
        elsewhere = None
        if answer is not None and (answer.figure or {}).get("scope"):
            # a figure for the country or another place: the text may state it; else say what the tables have
            elsewhere, answer = answer, None
        if answer is None:
            answer = self.answerer.answer(question, searched=searched, doc_id=doc_id, given=given)
            if elsewhere is not None and (answer.refused or not self.figures.stated(answer, elsewhere)):
                answer = elsewhere
            elif self.generator is not None and not answer.refused:
                answer = self.generator.improve(answer, self.answerer, searched, doc_id)
        if not answer.searched:
            answer.searched = searched
        answer.citations = with_quote_pages(answer.citations, self.retriever)
        return answer

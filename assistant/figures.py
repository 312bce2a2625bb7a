"""Figure questions answered exactly from the statistics tables, or handed on.

A question is reduced to its topic words (figure words like «hvor mange», «økte», years and age
ranges are read separately). A table answers only when every topic word is covered: by the table's
label, caption, section path or column headers, by one row's path, or — for the words that say who
and how (a participle such as «anmeldt», a word of the prose around the table such as «ungdom») —
by the text the table stands in. Names (a place, a service) must be in the table itself. No table id,
row name or offence is known to the code: matching uses the answerer's term machinery (stems,
compound parts) and lemmas. When nothing covers the question, None hands it to the text answerer;
the Total row is only used when the question asks for the total, or names nothing a row could be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .chat import YEAR_RE
from .figure_question import (
    AGE_RANGE_RE, AGGREGATE_ROW, ALTERNATIVE, DOWN, EXPLANATION, FIGURE_CUES, FIGURE_WORDS, QUERY_TOKEN_RE, RANK_CHANGE,
    RANK_LOW, SERIES, SHARE, WH_START, WHICH_YEAR, Ask, _lemma, _range_fits, _ranges, is_national, is_participle,
    read_question,
)
from .tables import Row, Table, load_tables, titled
from .terms import Term, Vocabulary, stems
from .types import Answer, Citation

CAPTION_UNIT = re.compile(r"^(?:tabell\s*\d+\.?\s*)?antall\s+(.+?)(?:\s+(?:i|fordelt|for|med|etter)\s|[.,]|$)", re.I)
FULL = 0.7 - 1e-9   # the answerer's credit for a word inside a compound counts as covered
PART_MARK = "~"     # how Vocabulary.analyse marks a compound's part
LOOSE = 1.0         # words only the surrounding text has may weigh at most this share of those the table has
PREFIX = 6          # a shared beginning this long is the same word («anmeldt» – «anmeldelser»)


def _inside_any(part: str, analysed: set[str]) -> bool:
    return part in analysed or PART_MARK + part in analysed or (len(part) >= 3 and any(part in s for s in analysed))




@dataclass
class Facets:
    """The texts one table is matched on, analysed once."""
    table: Table
    head: set[str]                     # label, caption, columns, section path, sentences presenting it
    caption: set[str]                  # label, caption and column names
    unit: set[str]                     # what the caption says is counted
    section: set[str]                  # the section path
    rows: list[set[str]]               # each row's path
    labels: list[set[str]]             # each row's own label
    prose: set[str]                    # the prose of the sections around the table
    scope: set[str]                    # the document's title: a Bærum report's tables are about Bærum
    head_words: set[str] = field(default_factory=set)
    row_words: list[set[str]] = field(default_factory=list)
    ranges: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Pick:
    table: Table
    row: Row | None
    column: str | None
    score: float


class FigureAnswerer:
    def __init__(self, retriever) -> None:
        self.retriever = retriever
        try:
            self.tables = load_tables(retriever.settings)
        except (OSError, ValueError):
            self.tables = []
        chunks = list(retriever.chunks.values())
        self.vocab = Vocabulary(chunks)
        self.names = _names(chunks)
        self.facets = [self._facets(t, chunks) for t in self.tables]
        self.row_names = _row_names(self.facets)
        self.table_stems = set().union(*(f.caption | f.section | set().union(*f.rows) for f in self.facets)) if self.facets else set()

    # --- reading the tables ----------------------------------------------------------------------

    def _facets(self, t: Table, chunks) -> Facets:
        cols = " ".join(c for c in t.columns if not YEAR_RE.fullmatch(c))
        caption = " ".join([t.label, t.caption, cols])
        presenting = " ".join(_presenting(t, chunks))
        head = " ".join([caption, t.section.replace(" › ", " "), presenting])
        parent = t.section.split(" › ")[:-1] or t.section.split(" › ")
        near = [c.text for c in chunks if c.doc_id == t.doc_id and c.kind != "table"
                and list(c.section[: len(parent)]) == parent]
        label_ranges = _ranges(t.label.replace(t.label.split(" (")[0], ""))
        cap_ranges = _ranges(t.caption)
        return Facets(
            table=t, head=self.vocab.analyse(head), caption=self.vocab.analyse(caption),
            unit=self.vocab.analyse(_unit(t)),
            section=self.vocab.analyse(t.section.replace(" › ", " ")),
            rows=[self.vocab.analyse(" ".join(r.path + [r.unit])) for r in t.rows],
            labels=[self.vocab.analyse(r.label) for r in t.rows],
            prose=self.vocab.analyse(_without(" ".join(near), [r.quote for r in t.rows])),
            scope=self.vocab.analyse(self._title(t, chunks)),
            head_words=set(QUERY_TOKEN_RE.findall(head.lower())),
            row_words=[set(QUERY_TOKEN_RE.findall(" ".join(r.path + [r.unit]).lower())) for r in t.rows],
            ranges=label_ranges or (cap_ranges if len(cap_ranges) == 1 else []),
        )

    @staticmethod
    def _title(t: Table, chunks) -> str:
        return next((c.doc_title for c in chunks if c.doc_id == t.doc_id), t.doc_id)

    # --- the question's topic --------------------------------------------------------------------

    def topic(self, ask: Ask) -> list[tuple[str, Term, bool]]:
        """(word, term, is a name) for each word that says what is counted."""
        out = []
        seen = set()
        original = {w.lower(): w for w in re.findall(r"[A-Za-zÆØÅæøå]+", ask.text)}
        first = (re.findall(r"[A-Za-zÆØÅæøå]+", ask.text) or [""])[0].lower()
        for w in ask.words:
            if w in FIGURE_WORDS or len(w) < 2 or w in seen:
                continue
            seen.add(w)
            found = self.vocab.terms(w)
            stem = found[0].stem if found else next(iter(stems(w)), w)
            idf = getattr(self.vocab, "idf", None)
            weight = idf(stem) if idf else (found[0].weight if found else 1.0)
            term = Term(stem, found[0].parts if found else (), weight, found[0].known if found else self.vocab.is_word(w))
            written = original.get(w, w)
            name = (written[:1].isupper() and w != first) or w in self.names
            parts = () if term.match(self.table_stems) >= 1 else (term.parts or self._split(w))
            if parts and (name or any(p in FIGURE_WORDS or len(p) < 3 for p in parts)
                          or not any(p in self.table_stems for p in parts)):
                parts = ()
            if parts:
                # «voldsanmeldelser»: «vold» names the row, «anmeldelser» the table
                for p in parts:
                    if p not in seen and p not in FIGURE_WORDS:
                        seen.add(p)
                        ask.groups[p] = w
                        out.append((p, Term(p, (), idf(p) if idf else 1.0, True), False))
                continue
            out.append((w, term, name))
        return out

    def _covers(self, word: str, term: Term, analysed: set[str], words: set[str], near: set[str] = frozenset()) -> float:
        """1 for the word in the text, 0.7 inside a compound there or through the compound's parts
        (one part in the text, the others in the text or in near); lemmas and shared beginnings too."""
        got = term.match(analysed) if term.known else 0.0
        if got >= FULL:
            return got
        lemma = _lemma(word)
        for w in words:
            if w == word or _lemma(w) == lemma or (len(w) >= PREFIX and len(word) >= PREFIX and w[:PREFIX] == word[:PREFIX]):
                return 1.0
        parts = term.parts or self._split(word)
        if parts:
            here = [p for p in parts if p in analysed or PART_MARK + p in analysed]
            if here and all(p in here or _inside_any(p, analysed | near) for p in parts):
                return FULL
        return got

    def _split(self, word: str) -> tuple[str, ...]:
        split = getattr(self.vocab, "split", None)
        return tuple(split(word)) if split and len(word) >= 6 else ()

    # --- choosing table, row and column ----------------------------------------------------------

    def picks(self, ask: Ask, topic=None) -> list[Pick]:
        topic = self.topic(ask) if topic is None else topic
        out = []
        for f in self.facets:
            pick = self._pick(f, ask, topic)
            if pick:
                out.append(pick)
        out.sort(key=lambda p: -p.score)
        return out

    def _pick(self, f: Facets, ask: Ask, topic) -> Pick | None:
        t = f.table
        ranges = ask.ranges
        # an age group asked for must be the table's, a row's or a column's
        table_range_ok = not ranges or any(_range_fits(r, h) for r in ranges for h in f.ranges)
        column = self._column_for(t, ranges)
        head_cover, weak = {}, {}
        near = f.prose | f.head
        for w, term, name in topic:
            head_cover[w] = self._covers(w, term, f.head, f.head_words, near)
            if name:
                weak[w] = term.match(f.scope) >= FULL
            else:
                # a word that names rows elsewhere («vold», «jenter») is a category this table lacks
                weak[w] = term.match(self.row_names) < FULL and (term.match(f.prose) >= FULL or self._parts_in(term, near) or (
                    is_participle(w) and self._covers(w, term, f.prose, set(), near) >= FULL))
        # a word every row has («Barnets …») says which table, not which row
        shared = {w for w, term, _ in topic
                  if t.rows and all(self._covers(w, term, f.labels[i], set()) >= FULL for i in range(len(t.rows)))}
        best: Pick | None = None
        for i, row in enumerate(t.rows):
            if all(v is None for v in row.values.values()):
                continue  # a row of text («Kjønn Flest gutter …») gives no number
            row_ranges = _ranges(row.label)
            range_named = bool(ranges) and any(_range_fits(r, h) for r in ranges for h in row_ranges)
            if ranges and not table_range_ok and not range_named and not column:
                continue
            if not ranges and row_ranges and f.ranges and row_ranges[0] != f.ranges[0] and _unranged_sibling(t, row):
                continue  # «jenter» is the Jenter row, not «Jenter 10-14år»
            row_set = set(QUERY_TOKEN_RE.findall(row.label.lower()))
            in_label = {w: self._covers(w, term, f.labels[i], row_set, near) for w, term, _ in topic}
            in_row = {w: max(in_label[w], 0.9 * self._covers(w, term, f.rows[i], f.row_words[i], near))
                      for w, term, _ in topic}
            strong = {w: max(head_cover[w], in_row[w]) for w, _, _ in topic}
            if any(strong[w] < FULL and not weak[w] for w, _, _ in topic):
                continue
            sure = [term.weight for w, term, _ in topic if strong[w] >= FULL]
            named = {ask.groups[w] for w, _, _ in topic if w in ask.groups and strong[w] >= FULL}
            loose = [term.weight for w, term, _ in topic
                     if strong[w] < FULL and not is_participle(w) and ask.groups.get(w) not in named]
            if topic and (not sure or sum(loose) >= LOOSE * sum(sure)):
                continue  # mostly words the table itself does not have
            # a word of the caption or section names the table; only the others can name a row
            # what the table counts («Antall mistenkte personer») weighs most
            level = {w: 2.0 if term.match(f.unit) >= FULL else 1.5 if term.match(f.caption) >= FULL else 1.2 if term.match(f.section) >= FULL or w in shared
                     else 0 for w, term, _ in topic}
            if topic and not any(level[w] or in_row[w] >= FULL for w, term, name in topic
                                 if not name and term.match(f.scope) < FULL):
                continue  # what is counted is only in the prose around the table (a place alone is no topic)
            row_topic = sum(1 for w, _, _ in topic if not level[w] and in_row[w] >= FULL)
            if row_topic == 0 and not range_named:
                # nothing in the question names a row: only the total answers it
                if not (AGGREGATE_ROW.match(row.label) or _is_total(f, row)):
                    continue
            extra = len({x for x in row_set - set(ask.words) if not x[:1].isdigit()}) * 0.05
            score = sum(level[w] or (in_row[w] if in_row[w] >= FULL else 0.5 if strong[w] >= FULL else 0)
                        for w, _, _ in topic)
            score += (1 if ranges and (table_range_ok or range_named) else 0) - extra
            if not ranges and f.ranges and t.label != t.label.split(" (")[0]:
                score -= 0.5  # one part of a table split by age, when no age was asked
            if best is None or score > best.score:
                best = Pick(t, row, column, score)
        return best

    def _parts_in(self, term: Term, analysed: set[str]) -> bool:
        return bool(term.parts) and all(p in analysed or any(p in s for s in analysed if len(p) >= 3) for p in term.parts)

    @staticmethod
    def _column_for(t: Table, ranges) -> str | None:
        for c in t.columns:
            rs = _ranges(c)
            if rs and any(_range_fits(r, rs[0]) for r in ranges):
                return c
        return None

    # --- answering -------------------------------------------------------------------------------

    def answer(self, question: str, searched: str) -> Answer | None:
        q = searched
        # a figure question, or a keyword query with a year («butikktyverier i 2024»)
        figure = FIGURE_CUES.search(q) or (YEAR_RE.search(q) and not WH_START.match(q))
        if not self.tables or not figure or EXPLANATION.match(q):
            return None
        if SHARE.search(q):
            return None  # the tables count; a share is stated in the text, if anywhere
        ask = read_question(q)
        elsewhere = self._elsewhere(question, ask)
        if elsewhere is not None:
            return elsewhere
        if ask.rank:
            return self._ranking(question, ask)
        alternatives = self._alternatives(ask)
        if alternatives:
            return self._side_by_side(question, ask, alternatives)
        picks = self.picks(ask)
        if not picks:
            return self._out_of_scope(question, ask)
        return self._single(question, ask, picks[0])

    def _out_of_scope(self, question: str, ask: Ask) -> Answer | None:
        """«vold i Oslo», «innbrudd», «13-åringer»: a table has the rest of the question but not this one
        word or age group. Say so, and what the table does have, rather than hand on a figure question
        the tables nearly answer."""
        topic = self.topic(ask)
        covered = {w for w, term, _ in topic if any(
            self._covers(w, term, f.head | set().union(*f.rows), f.head_words | set().union(*f.row_words)) >= FULL
            or term.match(f.prose) >= FULL for f in self.facets)}
        missing = [(w, term, name) for w, term, name in topic if w not in covered and w not in ask.groups]
        if any(not name for _, _, name in missing):
            return None  # a word of what is counted: the text may have it
        if len(missing) > 1 or (not missing and not ask.ranges):
            return None
        rest = [x for x in topic if x not in missing]
        narrowed = Ask(**{**ask.__dict__, "ranges": [] if not missing else ask.ranges})
        picks = self.picks(narrowed, rest) if rest else []
        if not picks:
            return None
        t = picks[0].table
        if missing:
            what = f"«{_written(ask.text, missing[0][0])}»"
        else:
            what = "aldersgruppen " + " og ".join(f"{a}-{b} år" if a != b else f"{a} år" for a, b in ask.ranges)
        span = f" ({_span_of(t.years, bare=True)})" if t.years else ""
        text = (f"Jeg finner ingen tabell med tall for {what} i dokumentene. Nærmest er {titled(t).rstrip('.')}"
                f"{span}. Spør gjerne om det tabellen viser.")
        return Answer(question, text, True, [self._cite(1, t, [])], ask.text, self._figure(t, [], None))

    def _elsewhere(self, question: str, ask: Ask) -> Answer | None:
        """«vold i hele landet», «narkotika i Asker»: a table has what is counted, but the question asks
        about the country or a place (or service) the table is not for. Say which figures the documents
        do have; the answer is marked with the scope, so a number the text states there can replace it."""
        topic = self.topic(ask)
        places = [x for x in topic if is_national(x[0]) or x[2]]
        rest = [x for x in topic if x not in places]
        if not places or not rest:
            return None
        picks = self.picks(ask, rest)
        if not picks:
            return None
        missing = []
        for p in self.picks(ask, topic) + picks:
            missing = self._not_covering(p.table, places)
            if not missing:
                return None  # a table for that place («Asker» is a row there)
        t = picks[0].table
        missing = self._not_covering(t, places)
        what = " og ".join(f"«{_phrase(ask.text, w)}»" for w in missing)
        home = _home(t, self._title(t, self.retriever.chunks.values()))
        span = f" ({_span_of(t.years, bare=True)})" if t.years else ""
        text = (f"Jeg finner ingen tabell i dokumentene med disse tallene for {what}"
                + (f": tabellene gjelder {home}" if home else "") + f". Nærmest er {titled(t).rstrip('.')}{span}"
                + (f". Spør gjerne om tallene for {home}." if home else ". Spør gjerne om det tabellen viser."))
        fig = {**self._figure(t, [], None), "scope": [_phrase(ask.text, w) for w in missing]}
        return Answer(question, text, True, [self._cite(1, t, [])], ask.text, fig)

    def _not_covering(self, t: Table, places) -> list[str]:
        """The places the table's own text (label, caption, section, rows, document title) does not name."""
        f = self._f(t)
        own = f.caption | f.section | f.scope | set().union(*f.rows)
        words = set(QUERY_TOKEN_RE.findall(" ".join([t.label, t.caption, t.section, self._title(t, self.retriever.chunks.values())]
                                                     + [" ".join(r.path) for r in t.rows]).lower()))
        return [w for w, term, _ in places if self._covers(w, term, own, words) < FULL]

    @staticmethod
    def stated(prose: Answer, elsewhere: Answer) -> bool:
        """The text answer states the figure for the place the table answer could not give."""
        return states_figure(prose, (elsewhere.figure or {}).get("scope") or [])

    def _alternatives(self, ask: Ask) -> list[Ask] | None:
        """«jenter og gutter», «10-14 og 15-17 år», «vold vs trusler»: one question per side."""
        if len(ask.ranges) >= 2:
            subs = [read_question(AGE_RANGE_RE.sub("", ask.text) + f" {a}-{b} år") for a, b in ask.ranges[:3]]
            return subs
        for m in ALTERNATIVE.finditer(ask.text):
            a, b = m.group(1).strip(",.?"), m.group(2).strip(",.?")
            if any(c.isdigit() for c in a + b) or a.lower() in FIGURE_WORDS or b.lower() in FIGURE_WORDS:
                continue
            left = ask.text[: m.start()] + a + ask.text[m.end():]
            right = ask.text[: m.start()] + b + ask.text[m.end():]
            return [read_question(left), read_question(right)]
        return None

    def _single(self, question: str, ask: Ask, pick: Pick) -> Answer | None:
        t, row = pick.table, pick.row
        years = t.years
        if not years:
            return self._no_years(question, ask, pick)
        missing = [y for y in ask.years if y not in years]
        if missing:
            text = (f"{_name(t)} dekker {_span_of(years)}, så jeg har ikke tall for "
                    f"{', '.join(missing)} i den tabellen.")
            return Answer(question, text, True, [self._cite(1, t, [row])], ask.text, self._figure(t, [row], None))
        if ask.series or (not ask.years and SERIES.search(ask.text)):
            return self._series(question, ask, t, row)
        if len(ask.years) >= 2:
            a, b = sorted(set(ask.years))[0], sorted(set(ask.years))[-1]
            text = self._span(t, row, a, b) + " [1]."
            return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, self._figure(t, [row], b))
        year = ask.years[0] if ask.years else years[-1]
        value = row.values.get(year)
        if value is None:
            text = f"{_name(t)} har ingen verdi for «{row.label}» i {year}."
            return Answer(question, text, True, [self._cite(1, t, [row])], ask.text, self._figure(t, [row], year))
        text = self._value_sentence(t, row, year) + " [1]."
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, self._figure(t, [row], year))

    def _no_years(self, question: str, ask: Ask, pick: Pick) -> Answer | None:
        """A table of one year, with other columns (age groups): the column asked for, or the total."""
        t, row = pick.table, pick.row
        col = pick.column or next((c for c in t.columns if AGGREGATE_ROW.match(c)), None)
        if col is None or row.values.get(col) is None:
            return None
        f = next(f for f in self.facets if f.table is t)
        if any(not (stems(y) & f.prose) and y not in t.caption for y in ask.years):
            return None  # a year the table's text does not speak of
        text = f"{_name(t)} viser {row.values[col]} for «{row.label}», kolonnen «{col}» [1]."
        fig = {**self._figure(t, [row], None), "column": col, "value": row.values[col]}
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, fig)

    def _series(self, question: str, ask: Ask, t: Table, row: Row) -> Answer:
        ys = [y for y in t.years if row.values.get(y) is not None]
        if ask.years:
            lo, hi = min(ask.years), max(ask.years)
            ys = [y for y in ys if lo <= y <= hi] if len(ask.years) >= 2 else [y for y in ys if y >= lo]
        listed = ", ".join(f"{y}: {row.values[y]}" for y in ys)
        text = f"{_name(t)}{_unit(t)}, «{row.label}» år for år: {listed}."
        if len(ys) >= 2:
            text += " " + self._span(t, row, ys[0], ys[-1], lead="Samlet") + "."
        return Answer(question, text + " [1]", False, [self._cite(1, t, [row])], ask.text, self._figure(t, [row], ys[-1] if ys else None))

    def _side_by_side(self, question: str, ask: Ask, subs: list[Ask]) -> Answer | None:
        parts, cites, used = [], [], []
        for sub in subs:
            sub.years = sub.years or ask.years
            picks = self.picks(sub)
            if not picks:
                return None
            p = picks[0]
            t, row = p.table, p.row
            if not t.years or any(y not in t.years for y in sub.years) or (p.table, p.row) in used:
                return None
            used.append((t, row))
            year = sub.years[0] if len(sub.years) == 1 else (max(sub.years) if sub.years else t.years[-1])
            n = next((c.n for c in cites if c.table == t.label and c.chunk_id == t.chunk_id), None)
            if n is None:
                n = len(cites) + 1
                cites.append(self._cite(n, t, [r for tt, r in used if tt is t]))
            else:
                cites[n - 1] = self._cite(n, t, [r for tt, r in used if tt is t])
            if len(sub.years) >= 2:
                parts.append(self._span(t, row, min(sub.years), max(sub.years)) + f" [{n}]")
            else:
                parts.append(self._value_sentence(t, row, year) + f" [{n}]")
        if len(parts) < 2:
            return None
        text = ". ".join(parts) + "."
        figs = [self._figure(t, [r], None) for t, r in used]
        fig = {**figs[0], "rows": [x for f in figs for x in f["rows"]]}
        return Answer(question, text, False, cites, ask.text, fig)

    def _ranking(self, question: str, ask: Ask) -> Answer | None:
        """«Hvilken lovbruddstype økte mest / var høyest i 2024»: across the rows of one table.
        «Hvilket år var det flest …»: across the years of one row."""
        if WHICH_YEAR.search(ask.text):
            return self._top_year(question, ask)
        topic = self.topic(ask)
        best = None
        for f in self.facets:
            t = f.table
            if not t.years:
                continue
            if ask.ranges and not any(_range_fits(r, h) for r in ask.ranges for h in f.ranges):
                continue
            if not ask.ranges and f.ranges and t.label != t.label.split(" (")[0]:
                continue
            cover = [self._covers(w, term, f.head, f.head_words) >= FULL
                     or (not name and term.match(self.row_names) < FULL
                         and (is_participle(w) or term.match(f.prose) >= FULL)) for w, term, name in topic]
            strong = sum(self._covers(w, term, f.caption | f.section, f.head_words) >= FULL
                         for w, term, _ in topic if term.match(f.scope) < FULL)
            if topic and (not all(cover) or not strong):
                continue
            if best is None or strong > best[1]:
                best = (t, strong)
        if best is None:
            return None
        t = best[0]
        if any(y not in t.years for y in ask.years):
            return None
        rows = [r for r in t.rows if not AGGREGATE_ROW.match(r.label) and not _is_total(self._f(t), r)]
        change = bool(RANK_CHANGE.search(ask.text))
        low = bool(RANK_LOW.search(ask.text)) or (change and bool(DOWN.search(ask.text)))
        year = max(ask.years) if ask.years else t.years[-1]
        start = min(ask.years) if len(ask.years) >= 2 else str(int(year) - 1)
        if change and start not in t.years:
            return None

        def measure(r: Row):
            a, b = r.values.get(start), r.values.get(year)
            if change:
                return None if a is None or b is None else b - a
            return b

        lines, used = [], []
        for level, group in (("", [r for r in rows if len(r.path) == 1]), ("under", [r for r in rows if len(r.path) > 1])):
            scored = [(measure(r), r) for r in group if measure(r) is not None]
            if not scored:
                continue
            top = (min if low else max)(scored, key=lambda x: x[0])
            ties = [r for v, r in scored if v == top[0]]
            if level and used and (top[0] >= measure(used[0]) if not low else top[0] <= measure(used[0])) is False:
                continue
            used.extend(ties)
            names = " og ".join(f"«{r.label}»" + (f" (under «{r.path[0]}»)" if len(r.path) > 1 else "") for r in ties)
            what = "underkategoriene" if level else "hovedkategoriene"
            if change:
                r = ties[0]
                lines.append(f"blant {what} {'gikk' if low else 'økte'} {names} mest{' ned' if low else ''} fra {start} til {year}: "
                             + _change_words(r.values[start], r.values[year], start, year))
            else:
                lines.append(f"blant {what} var {names} {'lavest' if low else 'høyest'} i {year}, med {top[0]}")
        if not lines:
            return None
        text = f"{_name(t)}{_unit(t)}: " + "; ".join(lines).capitalize()[:1] + "; ".join(lines)[1:] + " [1]."
        return Answer(question, text, False, [self._cite(1, t, used)], ask.text, self._figure(t, used, year))

    def _top_year(self, question: str, ask: Ask) -> Answer | None:
        picks = self.picks(ask)
        if not picks or not picks[0].table.years:
            return None
        t, row = picks[0].table, picks[0].row
        values = [(row.values[y], y) for y in t.years if row.values.get(y) is not None]
        if not values:
            return None
        low = bool(RANK_LOW.search(ask.text))
        top = (min if low else max)(values)[0]
        years = [y for v, y in values if v == top]
        text = (f"{_name(t)}{_unit(t)}, «{row.label}»: {'lavest' if low else 'høyest'} i {' og '.join(years)}, med {top} "
                f"(årene {t.years[0]}–{t.years[-1]}) [1].")
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, self._figure(t, [row], years[-1]))

    def _f(self, t: Table) -> Facets:
        return next(f for f in self.facets if f.table is t)

    # --- wording ---------------------------------------------------------------------------------

    def _value_sentence(self, t: Table, row: Row, year: str) -> str:
        value = row.values[year]
        base = f"{_name(t)}{_unit(t)} viser {value}{' ' + row.unit if row.unit else ''} for «{row.label}» i {year}"
        prev = str(int(year) - 1)
        before = row.values.get(prev)
        if before is not None:
            diff = value - before
            if diff:
                base += f", {abs(diff)} {'flere' if diff > 0 else 'færre'} enn i {prev} (fra {before} til {value}"
                base += f", {_pct(before, value)})" if before else ")"
            else:
                base += f", like mange som i {prev} ({before})"
        return base

    def _span(self, t: Table, row: Row, a: str, b: str, lead: str = "") -> str:
        va, vb = row.values.get(a), row.values.get(b)
        head = f"{lead} " if lead else f"{_name(t)}{_unit(t)}, «{row.label}»: "
        if va is None or vb is None:
            return head + f"tabellen har ikke verdier for både {a} og {b}"
        return head + _change_words(va, vb, a, b)

    def _cite(self, n: int, table: Table, rows: list[Row]) -> Citation:
        chunk = self.retriever.chunks.get(table.chunk_id)
        parts = ([table.header] if table.header else []) + [r.quote for r in rows if r is not None]
        return Citation(
            n=n, document=chunk.doc_title if chunk else table.doc_id, section=table.section,
            page=chunk.page if chunk else None, table=table.label, quote=" … ".join(dict.fromkeys(parts)),
            links=chunk.links if chunk else (), chunk_id=table.chunk_id, year=chunk.year if chunk else None,
        )

    @staticmethod
    def _figure(table: Table, rows: list[Row], year: str | None) -> dict:
        row = rows[0] if rows else None
        cols = table.years or table.columns
        return {
            "table": table.label, "document": table.doc_id,
            "row": " › ".join(row.path) if row else None, "column": year,
            "value": row.values.get(year) if row and year else None,
            "series": {y: row.values.get(y) for y in cols} if row else {},
            "columns": cols,
            "rows": [{"label": r.label, "path": r.path, "values": {c: r.values.get(c) for c in cols}} for r in rows],
        }


def _written(text: str, word: str) -> str:
    m = re.search(rf"\b({re.escape(word)}\w*)", text, re.I)
    return m.group(1) if m else word


def _without(text: str, quotes: list[str]) -> str:
    """The prose around a table, less the table's own rows (a status block's rows are text)."""
    text = " ".join(text.split())
    for q in quotes:
        text = text.replace(q, " ")
    return text


def _phrase(text: str, word: str) -> str:
    """The words as the question wrote them, with «hele» before them («hele landet»)."""
    m = re.search(rf"\b((?:hele\s+)?{re.escape(word)}\w*)", text, re.I)
    return m.group(1) if m else word


HOME_RE = re.compile(r"\b([A-ZÆØÅ][\wæøå-]+\s+(?:kommune|fylkeskommune|bydel))\b")


def _home(t: Table, title: str) -> str:
    """The municipality a table is for, as its caption or its document's title names it."""
    for text in (t.caption, t.section, title):
        m = HOME_RE.search(text or "")
        if m:
            return m.group(1)
    return ""


def states_figure(answer: Answer, scope: list[str]) -> bool:
    """The answer quotes a sentence with the asked place or country and a number that is not a year."""
    national = any(is_national(w.split()[-1]) for w in scope)

    def names(text: str) -> bool:
        words = re.findall(r"[A-Za-zÆØÅæøå]+", text)
        return any((national and is_national(x)) or any(x.lower() == w.split()[-1].lower() for w in scope)
                   for x in words)

    for c in answer.citations:
        for sentence in re.split(r"(?<=[.!?])\s+", c.quote or ""):
            # the country may be said as «Norge» in the text and «nasjonalt» in the question or heading
            named = names(sentence) or (names(c.section or "") and not HOME_RE.search(sentence))
            counts = [m for m in re.finditer(r"\b\d[\d  ]*\b", sentence) if not YEAR_RE.fullmatch(m.group(0).strip())]
            if named and counts:
                return True
    return False


def _change_words(a: int, b: int, ya: str, yb: str) -> str:
    diff = b - a
    if diff == 0:
        return f"uendret fra {ya} til {yb} ({a})"
    pct = f" ({_pct(a, b)})" if a else ""
    return f"fra {a} i {ya} til {b} i {yb}: {abs(diff)} {'flere' if diff > 0 else 'færre'}{pct}"


def _span_of(years: list[str], bare: bool = False) -> str:
    """«årene 2017–2024», or the one year a status block is for."""
    if len(years) == 1:
        return years[0] if bare else f"bare {years[0]}"
    return f"{years[0]}–{years[-1]}" if bare else f"årene {years[0]}–{years[-1]}"


def _pct(a: int, b: int) -> str:
    return f"{round(100 * (b - a) / a):+d} %"


def _name(t: Table) -> str:
    return t.label if not t.label.lower().startswith("tabell uten nummer") else t.label.replace(
        "Tabell uten nummer under", "Tabellen under")


def _unit(t: Table) -> str:
    m = CAPTION_UNIT.match(t.caption or "")
    return f" (antall {m.group(1).lower()})" if m else ""


def _presenting(t: Table, chunks) -> list[str]:
    """Sentences that present the table: «Tabell 2 viser …», or «(se tabell under)» in its section."""
    base = t.label.split(" (")[0]
    numbered = re.compile(re.escape(base) + r"(?!\d)", re.I) if re.search(r"\d", base) else None
    under = re.compile(r"\btabell(en)?\s+(under|nedenfor)\b", re.I)
    out = []
    for c in chunks:
        if c.doc_id != t.doc_id or c.kind == "table":
            continue
        same = c.section_path == t.section
        sentences = re.split(r"(?<=[.!?])\s+", c.text)
        for k, sentence in enumerate(sentences):
            if numbered and numbered.search(sentence):
                out.append(sentence)
            elif same and under.search(sentence):
                out.extend(sentences[k:k + 2])  # «Tabellen under viser …. Dette utgjorde …»
    return out


def _row_names(facets: list[Facets]) -> set[str]:
    """Stems that tell a table's rows apart («vold», «jente»), not those every row shares («barnets»)."""
    out: set[str] = set()
    for f in facets:
        counts: dict[str, int] = {}
        for label, row in zip(f.labels, f.table.rows):
            if all(v is None for v in row.values.values()):
                continue  # a row of text names no category of figures
            for stem in label:
                if stem.startswith(PART_MARK):
                    continue  # a compound's part («~sak» of «individsaker») is no category of its own
                counts[stem] = counts.get(stem, 0) + 1
        out |= {s for s, n in counts.items() if n < len(f.labels) and not s[:1].isdigit()}
    return out


def _is_total(f: Facets, row: Row) -> bool:
    """A row for the table's whole group («10 - 17år» when the caption says 10-17 år)."""
    rs = _ranges(row.label)
    return bool(rs and f.ranges and rs[0] == f.ranges[0] and len(row.path) == 1)


def _unranged_sibling(t: Table, row: Row) -> bool:
    """The row has a parent without an age group («Jenter» for «Jenter 10-14år»)."""
    return len(row.path) > 1 and not _ranges(row.path[0])


def _names(chunks) -> set[str]:
    """Words the documents only ever write capitalised: places, services, organisations."""
    upper, lower = set(), set()
    for c in chunks:
        for m in re.finditer(r"(?<=[a-zæøå,;] )([A-ZÆØÅ][a-zæøå]{2,})\b|\b([a-zæøå]{3,})\b", c.text):
            if m.group(1):
                upper.add(m.group(1).lower())
            else:
                lower.add(m.group(2))
    return upper - lower

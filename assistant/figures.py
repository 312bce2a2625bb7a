"""Figure questions answered exactly from the statistics tables, or handed on.

FigureAnswerer reads the question (figure_question), chooses table, row and column (figure_match),
refuses what the tables do not cover (figure_scope) and writes the answer in Norwegian with the
computation stated (figure_text): a value, a change over a span, a series, a ranking across rows or
years, or two figures side by side. None hands the question to the text answerer.
"""

from __future__ import annotations

import re

from .asks import HOW_MANY_RE, Want, holds, wanted
from .chat import YEAR_RE
from .figure_match import ABBREVIATION_RE, FULL, Facets, Pick, TableMatcher, _abbreviates, _age_groups, is_total
from .figure_question import (
    AGE_RANGE_RE, AGGREGATE_ROW, ALTERNATIVE, BY_AGE, DOWN, EXPLANATION, FIGURE_CUES, RANK_CHANGE, RANK_LOW,
    QUERY_TOKEN_RE, SERIES, SHARE, WH_START, WHICH_YEAR, Ask, _range_fits, _ranges, _unaged, is_figure_word, is_participle,
    read_question,
)
from .figure_scope import elsewhere, out_of_scope, states_figure
from .figure_text import change_words, figure, name, span, span_of, unit, value_sentence
from .norwegian import TOPIC_WORD, asks, sentences, specificity
from .tables import Row, Table
from .terms import stems
from .types import Answer


# «siden 2021» asks from that year on (not «fra 2021», which may name the year itself)
SINCE_RE = re.compile(r"\bsiden\s+((?:19|20)\d\d)\b(?!\s*(?:til|og|-|–)\s*(?:19|20)\d\d)", re.I)
# «i fjor» beside a year of its own («… i fjor? og 2023?»): the newest year, said in words
LAST_YEAR_RE = re.compile(r"(?<!før, )(?<!før )\bi\s*fjor\b", re.I)   # not «året før, i fjor»: the year before

# a clause asking for a figure after a scene set before it in the same sentence
_ASKED_CLAUSE_RE = re.compile(r"(?:[,;:–]|\s-)\s*(?=(?:hvor\s+(?:mange|mye|stor|høy)|antall|hvilke[nt]?|hva\s+var)\b)", re.IGNORECASE)


def asked_clause(question: str) -> str | None:
    """The clause that asks for the figure, when a clause setting the scene in everyday words comes before
    it. A scene naming a topic («innbrudd i bilen, hvor mange ble anmeldt?»), a place («jeg bor i Oslo, …»)
    or a year may say what is counted, where or when: the clause alone would get a Bærum total or 2024."""
    m = _ASKED_CLAUSE_RE.search(question)
    if not m:
        return None
    scene = question[: m.start()]
    if YEAR_RE.search(scene) or re.search(r"(?<=\S )[A-ZÆØÅ]", scene) or any(
            specificity(w) >= TOPIC_WORD for w in QUERY_TOKEN_RE.findall(scene.lower()) if not w.isdigit()):
        return None
    return question[m.end():]


def _row_names_word(row: Row, word: str) -> bool:
    """The row's path has the word, or writes it short («off.» for «offentlig»)."""
    return stems(word) <= stems(" ".join(row.path)) or any(
        _abbreviates(a.lower(), word.lower()) for a in ABBREVIATION_RE.findall(row.label))


def _age_group_only(label: str) -> bool:
    """A row label that is an age group and nothing else («10 - 14år»; not «Jenter 10-14år»)."""
    return bool(_ranges(label)) and not re.sub(r"\s*år\b", "", AGE_RANGE_RE.sub(" ", label)).strip()


# «hvilke butikker …», «hvilken type vold …»: the kind asked to be named
WHICH_KIND_RE = re.compile(r"\W*hvilke[nt]?\s+(?:(?:type|typer|slags|form|former|sort|kategori)\s+(?:av\s+)?)?(\w+)",
                           re.IGNORECASE)


def _only_which_most(q: str) -> bool:
    """The question asks which thing is most or least («hva ruser ungdom seg mest på»), and no other figure
    cue marks it as a count (no «hvor mange», «antall», «tall», change)."""
    cues = {m.group(0).lower() for m in FIGURE_CUES.finditer(q)}
    return bool(cues) and cues <= {"mest", "minst", "størst"} and bool(re.match(r"\W*(hva|hvilke[nt]?)\b", q, re.I))


def _named_column(t: Table, ask: Ask) -> str | None:
    """A column that is no age group, each of whose words the question has («ikke oppgitt alder»: «Alder ikke
    oppgitt»)."""
    asked = stems(ask.text)
    for c in t.columns:
        words = stems(c)
        if words and not re.search(r"\d", c) and not AGGREGATE_ROW.match(c) and words <= asked:
            return c
    return None


class FigureAnswerer(TableMatcher):
    """Answers a figure question from the tables, or returns None."""

    def answer(self, question: str, searched: str) -> Answer | None:
        q = searched
        # a figure question, or a keyword query with a year («butikktyverier i 2024»)
        figure = FIGURE_CUES.search(q) or (YEAR_RE.search(q) and not WH_START.match(q))
        if not self.tables or not figure or EXPLANATION.match(q):
            return None
        if SHARE.search(q):
            return None  # the tables count; a share is stated in the text, if anywhere
        ask = read_question(self._asked(q))
        if self.untabled(ask):
            return None   # the text may count it («hvor mange ungdommer fikk ungdomsoppfølging»), or not
        scoped = elsewhere(self, question, ask)
        if scoped is not None:
            return scoped
        if ask.rank:
            return self._ranking(question, ask)
        alternatives = self._alternatives(ask)
        if alternatives:
            return self._side_by_side(question, ask, alternatives)
        picks = self.picks(ask)
        clause = asked_clause(q)
        if not picks and clause and not self.scopes.of(q[: len(q) - len(clause)]):
            # «sønnen min går i 8. og er 13, hvor mange gutter …»: the scene names nothing a table counts
            ask = read_question(clause)
            picks = self.picks(ask)
        if not picks:
            return out_of_scope(self, question, ask)
        if _only_which_most(q) and (AGGREGATE_ROW.match(picks[0].row.label) or is_total(self._f(picks[0].table), picks[0].row)
                                    or self._which_within(q, picks[0].row)):
            # «hva ruser ungdom seg mest på» asks which thing, and names no row: a total is no answer;
            # «hvilke butikker er det mest tyveri fra» asks which kind within the row «Butikktyveri»: nor is it
            return None
        return self._single(question, ask, picks[0])

    def _which_within(self, q: str, row: Row) -> bool:
        """The kind the question asks to be named («hvilke butikker …», «hvilken type vold …») is in the row's
        own label («Butikktyveri», «Vold»): it asks which ones within the row, and the row's figure, which counts
        them all, names none of them."""
        m = WHICH_KIND_RE.match(q)
        return bool(m) and bool(self._stems(m.group(1)) & self._stems(row.label))

    def _asked(self, q: str) -> str:
        """The question without the sentences after it that ask nothing and name nothing a table has: they say
        why one asks, not what is counted («… hvor mange var registrert mistenkt i 2024? trenger tallene til et
        notat»). A year they name still says when («… trenger tallet for 2024»). A scene before the question is
        left as it is («jeg er journalist i budstikka. hvor mange ungdommer …» keeps «ungdommer»)."""
        parts = sentences(q)
        last = max((i for i, s in enumerate(parts) if asks(s)), default=None)
        told = parts[last + 1:] if last is not None else []
        if not told or any(map(self.tabled, told)):
            return q
        return " ".join([*parts[: last + 1], *(y for s in told for y in YEAR_RE.findall(s))])

    def counts_elsewhere(self, question: str, answer: Answer) -> bool:
        """The question counts something («hvor mange overgrep») that the table answering it names only inside
        other words («overgrepsmottaket») or not at all: the text around the table may count it itself."""
        m = HOW_MANY_RE.search(question)
        f = self._answering(answer)
        if not m or answer.refused or f is None:
            return False
        word = m.group(1).lower()
        found = self.vocab.terms(word)
        if is_figure_word(word) or not found or not found[0].known:
            return False
        named = f.caption | f.unit | set().union(*f.rows)
        return found[0].match(named) < 1.0   # not whole: inside a compound («overgrepsmottaket») is elsewhere

    def counted_in_text(self, question: str, answer: Answer, prose: Answer) -> bool:
        """The text answer counts what is asked, next to the count, in the section the table stands in
        («Overgrep som har funnet sted i Bærum var 22.»), and not as the table's figure (that answer is the
        table's, which cites the row)."""
        want = wanted(question)
        f = self._answering(answer)
        if prose.refused or not prose.citations or f is None or not isinstance(want, Want) or want.beside is None:
            return False
        first, value = prose.citations[0], answer.figure.get("value")
        same = value is not None and re.search(rf"(?<![\d,.]){value}(?![\d,])", first.quote)
        return first.section == f.table.section and holds(want, first.quote) and not same

    def _answering(self, answer: Answer) -> Facets | None:
        """The facets of the table a figure answer is from."""
        fig = answer.figure or {}
        return next((f for f in self.facets if f.table.label == fig.get("table")
                     and f.table.doc_id == fig.get("document")), None)

    @staticmethod
    def stated(prose: Answer, scoped: Answer) -> bool:
        """The text answer states the figure for the place the table answer could not give."""
        return states_figure(prose, (scoped.figure or {}).get("scope") or [])

    def _alternatives(self, ask: Ask) -> list[tuple[Ask, list[Pick]]] | None:
        """«jenter og gutter», «10-14 og 15-17 år», «vold vs trusler»: one question per side, with the
        rows it finds."""
        if len(ask.ranges) >= 2:
            # each side in its own age group only («under 15 eller 15-17»: the side for 10-14 lacks «15-17»)
            return self._sides(ask, [read_question(_unaged(AGE_RANGE_RE.sub("", ask.text)) + f" {a}-{b} år")
                                     for a, b in ask.ranges[:3]])
        for m in ALTERNATIVE.finditer(ask.text):
            a, b = m.group(1).strip(",.?"), m.group(2).strip(",.?")
            if any(c.isdigit() for c in a + b) or is_figure_word(a.lower()) or is_figure_word(b.lower()):
                continue
            if is_participle(a.lower()) and is_participle(b.lower()) and self.tabled(a) and self.tabled(b):
                continue   # «mistenkt eller siktet»: the tables' own two words for what happened to the counted
            left = ask.text[: m.start()] + a + ask.text[m.end():]
            right = ask.text[: m.start()] + b + ask.text[m.end():]
            sides = self._sides(ask, [read_question(left), read_question(right)])
            return sides if self._two_rows(sides, a, b) else None
        return None

    def _sides(self, ask: Ask, subs: list[Ask]) -> list[tuple[Ask, list[Pick]]]:
        """Each side's question, in the question's years unless it names its own, with the rows it finds."""
        for sub in subs:
            sub.years = sub.years or ask.years
        return [(sub, self.picks(sub)) for sub in subs]

    @staticmethod
    def _two_rows(sides: list[tuple[Ask, list[Pick]]], a: str, b: str) -> bool:
        """Each side finds a row of its own that names it («vold eller trusler»: «Vold», «Trusler»). Not
        when both find one row («kniv eller våpen»: «Bæring av kniv/annet våpen»), nor when a side's row
        does not name it («vold mot offentlig tjenesteperson»: no row «offentlig»); the question is then
        one question."""
        picks = [p for _, p in sides]
        if not all(p and p[0].row is not None for p in picks):
            # a side no table has: the side-by-side answer says none; unless the row the other side found
            # names both («vold mot offentlig tjenesteperson»: «Mot. off. tj.person» under «Vold»)
            found = [p[0].row for p in picks if p and p[0].row is not None]
            return not any(_row_names_word(row, a) and _row_names_word(row, b) for row in found)
        if len({(id(p[0].table), p[0].row.label) for p in picks}) == 1:
            return False   # both sides find one row («kniv eller våpen»: «Bæring av kniv/annet våpen»)
        named = [stems(" ".join([*p[0].row.path, p[0].row.unit, p[0].table.caption])) for p in picks]
        return all(stems(side) & words for side, words in zip((a, b), named))

    def _single(self, question: str, ask: Ask, pick: Pick) -> Answer | None:
        t, row = pick.table, pick.row
        years = t.years
        if not years:
            return self._no_years(question, ask, pick)
        missing = [y for y in ask.years if y not in years]
        if missing:
            text = (f"{name(t)} dekker {span_of(years)}, så jeg har ikke tall for "
                    f"{', '.join(missing)} i den tabellen.")
            return Answer(question, text, True, [self._cite(1, t, [row])], ask.text, figure(t, [row], None))
        if ask.series or (not ask.years and SERIES.search(ask.text)):
            return self._series(question, ask, t, row)
        since = SINCE_RE.search(ask.text)
        newest = (since and ask.years == [since.group(1)]
                  or LAST_YEAR_RE.search(ask.text) and len(ask.years) == 1 and row.values.get(years[-1]) is not None)
        if len(ask.years) >= 2 or (newest and ask.years[0] != years[-1]):
            # «har økt siden 2021», «i fjor? og 2023?»: from that year to the table's last
            asked = ask.years if len(ask.years) >= 2 else [*ask.years, years[-1]]
            a, b = sorted(set(asked))[0], sorted(set(asked))[-1]
            text = span(t, row, a, b) + " [1]."
            lacking = row.values.get(a) is None or row.values.get(b) is None   # no change to give: said, and refused
            return Answer(question, text, lacking, [self._cite(1, t, [row])], ask.text, figure(t, [row], b))
        year = ask.years[0] if ask.years else years[-1]
        value = row.values.get(year)
        if value is None:
            text = f"{name(t)} har ingen verdi for «{row.label}» i {year}."
            return Answer(question, text, True, [self._cite(1, t, [row])], ask.text, figure(t, [row], year))
        text = value_sentence(t, row, year) + " [1]."
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, figure(t, [row], year))

    def _no_years(self, question: str, ask: Ask, pick: Pick) -> Answer | None:
        """A table of one year, with other columns (age groups): the column asked for, or the total."""
        t, row = pick.table, pick.row
        f = next(f for f in self.facets if f.table is t)
        # the year the table is of: the one its caption and presenting sentences name («Dette utgjorde i 2024
        # totalt 143 personer»); without one, any year the prose around it speaks of
        of = sorted(w for w in f.head if YEAR_RE.fullmatch(w))
        missing = [y for y in ask.years if y not in (of or f.prose) and y not in t.caption]
        if missing and of:
            text = f"{name(t)} gjelder {' og '.join(of)}, så jeg har ikke tall for {', '.join(missing)} i den tabellen."
            return Answer(question, text, True, [self._cite(1, t, [row])], ask.text, figure(t, [row], None))
        if missing:
            return None  # a year the table's text does not speak of
        if pick.columns:
            # an age group made of several columns: their sum, with the sum written out
            values = [row.values.get(c) for c in pick.columns]
            if any(v is None for v in values):
                return None
            total = sum(values)
            named = ", ".join(f"«{c}»" for c in pick.columns[:-1]) + f" og «{pick.columns[-1]}»"
            text = (f"{name(t)} viser {total} for «{row.label}» i kolonnene {named} til sammen "
                    f"({' + '.join(map(str, values))}) [1].")
            fig = {**figure(t, [row], None), "column": " + ".join(pick.columns), "value": total}
            return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, fig)
        col = pick.column or _named_column(t, ask) or next((c for c in t.columns if AGGREGATE_ROW.match(c)), None)
        if col is None or row.values.get(col) is None:
            return None
        text = f"{name(t)} viser {row.values[col]} for «{row.label}», kolonnen «{col}» [1]."
        fig = {**figure(t, [row], None), "column": col, "value": row.values[col]}
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, fig)

    def _series(self, question: str, ask: Ask, t: Table, row: Row) -> Answer:
        ys = [y for y in t.years if row.values.get(y) is not None]
        if ask.years:
            lo, hi = min(ask.years), max(ask.years)
            ys = [y for y in ys if lo <= y <= hi] if len(ask.years) >= 2 else [y for y in ys if y >= lo]
        listed = ", ".join(f"{y}: {row.values[y]}" for y in ys)
        text = f"{name(t)}{unit(t)}, «{row.label}» år for år: {listed}."
        if len(ys) >= 2:
            text += " " + span(t, row, ys[0], ys[-1], lead="Samlet") + "."
        return Answer(question, text + " [1]", False, [self._cite(1, t, [row])], ask.text, figure(t, [row], ys[-1] if ys else None))

    def _side_by_side(self, question: str, ask: Ask, sides: list[tuple[Ask, list[Pick]]]) -> Answer | None:
        parts, cites, used = [], [], []
        for sub, picks in sides:
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
                parts.append(span(t, row, min(sub.years), max(sub.years)) + f" [{n}]")
            elif row.values.get(year) is None:
                parts.append(f"{name(t)} har ingen verdi for «{row.label}» i {year} [{n}]")
            else:
                parts.append(value_sentence(t, row, year) + f" [{n}]")
        if len(parts) < 2:
            return None
        text = ". ".join(parts) + "."
        figs = [figure(t, [r], None) for t, r in used]
        fig = {**figs[0], "rows": [x for f in figs for x in f["rows"]]}
        return Answer(question, text, False, cites, ask.text, fig)

    def _ranking(self, question: str, ask: Ask) -> Answer | None:
        """«Hvilken lovbruddstype økte mest / var høyest i 2024»: across the rows of one table.
        «Hvilket år var det flest …»: across the years of one row."""
        if WHICH_YEAR.search(ask.text):
            return self._top_year(question, ask)
        topic = self.topic(ask)
        if BY_AGE.search(ask.text) and not ask.ranges and (top := self._top_age_column(question, ask, topic)):
            return top
        best = None
        for f in self.facets:
            t = f.table
            if not t.years:
                continue
            if ask.ranges and not any(_range_fits(r, h) for r in ask.ranges for h in f.ranges):
                continue
            if not ask.ranges and f.ranges and t.label != t.label.split(" (")[0]:
                continue
            counted = self.counts(f, topic)
            cover = [self._covers(w, term, f.head, f.head_words) >= FULL
                     or (not name and not self.category(term, counted)
                         and (is_participle(w) or term.match(f.prose) >= FULL)) for w, term, name in topic]
            strong = sum(self._covers(w, term, f.caption | f.section, f.head_words) >= FULL
                         for w, term, _ in topic if term.match(f.scope) < FULL)
            if topic and (not all(cover) or not strong):
                continue
            # what the question says is counted picks among tables that tie («flest anmeldelser»: Tabell 2, not
            # Tabell 1's persons)
            if best is None or (strong, counted) > best[1]:
                best = (t, (strong, counted))
        if best is None:
            return None
        t = best[0]
        if any(y not in t.years for y in ask.years):
            return None
        rows = [r for r in t.rows if not AGGREGATE_ROW.match(r.label) and not is_total(self._f(t), r)]
        by_age = [r for r in rows if _age_group_only(r.label)] if BY_AGE.search(ask.text) and not ask.ranges else []
        change = bool(RANK_CHANGE.search(ask.text))
        # the lowest value, or of a change the lowest («økte minst», «gikk mest ned»); «gikk minst ned» is the highest
        low = bool(RANK_LOW.search(ask.text)) != (change and bool(DOWN.search(ask.text)))
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
        levels = ((("", [r for r in rows if len(r.path) == 1]), ("under", [r for r in rows if len(r.path) > 1]))
                  if not by_age else (("alder", by_age),))  # the age groups side by side, whatever their nesting
        for level, group in levels:
            scored = [(measure(r), r) for r in group if measure(r) is not None]
            if not scored:
                continue
            top = (min if low else max)(scored, key=lambda x: x[0])
            ties = [r for v, r in scored if v == top[0]]
            if level and used and (top[0] >= measure(used[0]) if not low else top[0] <= measure(used[0])) is False:
                continue
            used.extend(ties)
            names = " og ".join(f"«{r.label}»" + (f" (under «{r.path[0]}»)" if len(r.path) > 1 and level != "alder" else "")
                                for r in ties)
            what = {"": "hovedkategoriene", "under": "underkategoriene", "alder": "aldersgruppene"}[level]
            if change:
                r = ties[0]
                told = change_words(r.values[start], r.values[year], start, year)
                if (top[0] >= 0) if low else (top[0] <= 0):   # «hva økte mest» when nothing rose: say so
                    lines.append(f"ingen av {what} {'gikk ned' if low else 'økte'} fra {start} til {year}; "
                                 f"{names} {'økte minst' if low else 'gikk minst ned'}: " + told)
                else:
                    lines.append(f"blant {what} {'gikk' if low else 'økte'} {names} mest{' ned' if low else ''} "
                                 f"fra {start} til {year}: " + told)
            else:
                lines.append(f"blant {what} var {names} {'lavest' if low else 'høyest'} i {year}, med {top[0]}")
        if not lines:
            return None
        text = f"{name(t)}{unit(t)}: " + "; ".join(lines).capitalize()[:1] + "; ".join(lines)[1:] + " [1]."
        return Answer(question, text, False, [self._cite(1, t, used)], ask.text, figure(t, used, year))

    def _top_age_column(self, question: str, ask: Ask, topic) -> Answer | None:
        """«Hvilken aldersgruppe var det flest av på overgrepsmottaket»: across the age-group columns of the row
        asked for, in a table whose columns are age groups. topic: the question's words, as `_ranking` read them."""
        picks = self.picks(ask, topic)
        # only where the columns are no years: a column «23-24» beside years is a change, no age group
        groups = _age_groups(picks[0].table) if picks and picks[0].row is not None and not picks[0].table.years else []
        row = picks[0].row if picks else None
        scored = [(row.values[c], c) for c, _ in groups if row.values.get(c) is not None]
        if len(scored) < 2:
            return None
        t, low = picks[0].table, bool(RANK_LOW.search(ask.text))
        top = (min if low else max)(v for v, _ in scored)
        cols = [c for v, c in scored if v == top]
        text = (f"{name(t)}{unit(t)}, «{row.label}»: {'lavest' if low else 'høyest'} i aldersgruppen "
                f"{' og '.join(f'«{c}»' for c in cols)}, med {top} [1].")
        fig = {**figure(t, [row], None), "column": cols[0], "value": top}
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, fig)

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
        text = (f"{name(t)}{unit(t)}, «{row.label}»: {'lavest' if low else 'høyest'} i {' og '.join(years)}, med {top} "
                f"(årene {t.years[0]}–{t.years[-1]}) [1].")
        return Answer(question, text, False, [self._cite(1, t, [row])], ask.text, figure(t, [row], years[-1]))

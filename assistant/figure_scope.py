"""Figure questions the tables do not cover: an age group or a word no table has, the whole country or
another place (or service) than the tables are for. The answer says so and names the nearest table,
with no number from it; a number the text states for that place may replace it (see states_figure)."""

from __future__ import annotations

import re

from .lines import YEAR_RE
from .figure_match import FULL, TableMatcher
from .figure_question import OLDEST, QUERY_TOKEN_RE, Ask, is_national
from .figure_text import HOME_RE, figure, home, phrase, span_of, written
from .tables import Table, titled
from .types import Answer


def out_of_scope(m: TableMatcher, question: str, ask: Ask) -> Answer | None:
    """«vold i Oslo», «innbrudd», «13-åringer»: a table has the rest of the question but not this one
    word or age group. Say so, and what the table does have, rather than hand on a figure question
    the tables nearly answer."""
    topic = m.topic(ask)
    covered = {w for w, term, _ in topic if any(
        m._covers(w, term, f.head | set().union(*f.rows), f.head_words | set().union(*f.row_words)) >= FULL
        or term.match(f.prose) >= FULL for f in m.facets)}
    missing = [(w, term, name) for w, term, name in topic if w not in covered and w not in ask.groups]
    if any(not name for _, _, name in missing):
        return None  # a word of what is counted: the text may have it
    if len(missing) > 1 or (not missing and not ask.ranges):
        return None
    rest = [x for x in topic if x not in missing]
    narrowed = Ask(**{**ask.__dict__, "ranges": [] if not missing else ask.ranges})
    picks = m.picks(narrowed, rest) if rest else []
    if not picks:
        return None
    t = picks[0].table
    if missing:
        what = f"«{written(ask.text, missing[0][0])}»"
    else:
        what = "aldersgruppen " + " og ".join(_age_group(a, b) for a, b in ask.ranges)
    span = f" ({span_of(t.years, bare=True)})" if t.years else ""
    text = (f"Jeg finner ingen tabell med tall for {what} i dokumentene. Nærmest er {titled(t).rstrip('.')}"
            f"{span}. Spør gjerne om det tabellen viser.")
    return Answer(question, text, True, [m._cite(1, t, [])], ask.text, figure(t, [], None))


def elsewhere(m: TableMatcher, question: str, ask: Ask) -> Answer | None:
    """«vold i hele landet», «narkotika i Asker»: a table has what is counted, but the question asks
    about the country or a place (or service) the table is not for. Say which figures the documents
    do have; the answer is marked with the scope, so a number the text states there can replace it."""
    topic = m.topic(ask)
    named = m.scopes.of(ask.text).places  # «asker kommune» typed in lower case
    places = [x for x in topic if is_national(x[0]) or x[2] or x[0] in named]
    rest = [x for x in topic if x not in places]
    if not places or not rest:
        return None
    picks = m.picks(ask, rest)
    if not picks:
        return None
    for p in m.picks(ask, topic) + picks:
        missing = not_covering(m, p.table, places)
        if not missing:
            return None  # a table for that place («Asker» is a row there)
    t = picks[0].table
    missing = not_covering(m, t, places)
    what = " og ".join(f"«{phrase(ask.text, w)}»" for w in missing)
    where = home(t, m._title(t, m.retriever.chunks.values()))
    span = f" ({span_of(t.years, bare=True)})" if t.years else ""
    text = (f"Jeg finner ingen tabell i dokumentene med disse tallene for {what}"
            + (f": tabellene gjelder {where}" if where else "") + f". Nærmest er {titled(t).rstrip('.')}{span}"
            + (f". Spør gjerne om tallene for {where}." if where else ". Spør gjerne om det tabellen viser."))
    fig = {**figure(t, [], None), "scope": [phrase(ask.text, w) for w in missing]}
    return Answer(question, text, True, [m._cite(1, t, [])], ask.text, fig)


def not_covering(m: TableMatcher, t: Table, places) -> list[str]:
    """The places the table's own text (label, caption, section, rows, document title) does not name."""
    f = m._f(t)
    own = f.caption | f.section | f.scope | set().union(*f.rows)
    words = set(QUERY_TOKEN_RE.findall(" ".join([t.label, t.caption, t.section, m._title(t, m.retriever.chunks.values())]
                                                 + [" ".join(r.path) for r in t.rows]).lower()))
    return [w for w, term, _ in places if m._covers(w, term, own, words) < FULL]


def states_figure(answer: Answer, scope: list[str]) -> bool:
    """The answer quotes a sentence with the asked place or country and a number that is not a year."""
    keys = [next((x for x in w.lower().split() if x not in ("hele", "kommune")), w.lower()) for w in scope]
    national = any(is_national(k) for k in keys)

    def names(text: str) -> bool:
        words = re.findall(r"[A-Za-zÆØÅæøå]+", text)
        return any((national and is_national(x)) or x.lower() in keys for x in words)

    for c in answer.citations:
        for sentence in re.split(r"(?<=[.!?])\s+", c.quote or ""):
            # the country may be said as «Norge» in the text and «nasjonalt» in the question or heading; a
            # place must stand in the sentence itself («Dette utgjorde 143 personer» under a heading
            # naming Drammen may count anything there)
            named = names(sentence) or (national and names(c.section or "") and not HOME_RE.search(sentence))
            counts = [m for m in re.finditer(r"\b\d[\d  ]*\b", sentence) if not YEAR_RE.fullmatch(m.group(0).strip())]
            if named and counts:
                return True
    return False


def _age_group(lo: int, hi: int) -> str:
    """«10-14 år», «15 år», and open groups as a person writes them: «61 år og eldre», «15 år og yngre»."""
    if hi == OLDEST:
        return f"{lo} år og eldre"
    if lo == 0:
        return f"{hi} år og yngre"
    return f"{lo}-{hi} år" if lo != hi else f"{lo} år"

"""Choosing the table, row and column a figure question asks for, or none.

A question is reduced to its topic words (figure words like «hvor mange», «økte», years and age
ranges are read separately). A table answers only when every topic word is covered: by the table's
label, caption, section path or column headers, by one row's path, or — for the words that say who
and how (a participle such as «anmeldt», a word of the prose around the table such as «ungdom») —
by the text the table stands in. Names (a place, a service) must be in the table itself. No table id,
row name or offence is known to the code: matching uses the answerer's term machinery (stems,
compound parts), lemmas, spelling variants («atferd» – «adferd») and words typed short («anm»). When
nothing covers the question, None hands it to the text answerer; the Total row is only used when the
question asks for the total, or names nothing a row could be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein

from .lines import YEAR_RE
from .figure_question import (AGGREGATE, AGGREGATE_ROW, QUERY_TOKEN_RE, Ask, _lemma, _range_fits, _ranges,
                              is_figure_word, is_participle, read_question, upwards)
from .figure_text import cite, unit
from .norwegian import TOPIC_WORD, specificity, zipf
from .scope import Scopes
from .tables import Row, Table, load_tables
from .terms import AUXILIARIES, DEGREE_WORDS, STOP_WORDS, Term, Vocabulary, stems
from .types import Citation

FULL = 0.7 - 1e-9   # the answerer's credit for a word inside a compound counts as covered
PART_MARK = "~"     # how Vocabulary.analyse marks a compound's part
LOOSE = 1.0         # words only the surrounding text has may weigh at most this share of those the table has
PARTICIPLE_PART = 4   # the shortest part a participle splits into
ACT_ROOT = 4         # a verb's root this long tells whether the tables write it («sikt» – «siktede»)
PREFIX = 6          # a shared beginning this long is the same word («anmeldt» – «anmeldelser»)
# the verbs a passive or perfect participle follows («ble tvangsplassert», «har vært siktet»)
BEFORE_PARTICIPLE = AUXILIARIES | {"blei", "blitt", "bli", "vært", "være", "få", "fikk", "fått"}
AFTER_PARTICIPLE = 3   # words after a participle that say where («begått i Bærum»)
VARIANT = 0.95      # credit for another spelling of the word
MIN_ABBREVIATION = 3   # letters of a word typed short («anm» for «anmeldelser»)
COMPOUND_REST = 5     # letters of the last part of a compound the question names by its first («misbruk»; not «verk»)
COMPOUND_ZIPF = 3.0   # … a word this common in Norwegian («misbruk» 4.0; not «tekt» 1.2)
ABBREVIATION_RE = re.compile(r"\b([^\W\d_]+)\.")   # a word written short in a row label («Mot. off. tj.person»)


def _variant(a: str, b: str) -> bool:
    """Another spelling of a long word: one letter apart past the first («atferd» – «adferd»; not «venter» –
    «jenter», «næring» – «bæring»)."""
    return (len(a) >= PREFIX and len(b) >= PREFIX and a[0] == b[0] and a != b
            and DamerauLevenshtein.distance(a, b) <= 1)


def _abbreviates(short: str, word: str) -> bool:
    """A word the documents never use, typed as the beginning of one the table has («anm», «anmeldelser»)."""
    return MIN_ABBREVIATION <= len(short) < PREFIX and len(word) > len(short) and word.startswith(short)


def _verbal_noun(verb: str, noun: str) -> bool:
    """The noun is the verb's «-ing» noun («bære» – «bæring», «anmelde» – «anmelding»)."""
    base = verb[:-1] if verb.endswith("e") else verb
    return len(base) >= 3 and noun in (base + "ing", base + "ingen", base + "inger")


def _opens_compound(word: str, compound: str) -> bool:
    """The word, one that names a topic in Norwegian, is the first part of the compound, and the rest a common
    Norwegian word («rus» + «misbruk»; not «vold» + «tekt», nor an ending: «sak» + «ene»; not «råd» + «givende»:
    «råd» is an everyday word)."""
    rest = compound[len(word):]
    return (len(word) >= MIN_ABBREVIATION and compound.startswith(word) and len(rest) >= COMPOUND_REST
            and zipf(rest) >= COMPOUND_ZIPF and specificity(word) >= TOPIC_WORD)


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
    title: set[str] = field(default_factory=set)   # the heading right over the table
    # each row's label without the words it writes short («Mot. off. tj.person»: «person»), analysed and as
    # words; None for a label that writes none short
    unshortened: list[tuple[set[str], set[str]] | None] = field(default_factory=list)


@dataclass
class Pick:
    table: Table
    row: Row | None
    column: str | None
    score: float
    # the age-group columns that together make up the group asked for («19 år eller yngre»: 14-15, 16-17, 18-19)
    columns: tuple[str, ...] = ()
    counted: bool = False   # a word of the question is what the table counts


class TableMatcher:
    """The tables, analysed once, and the question's topic matched against them."""

    def __init__(self, retriever, vocab: Vocabulary | None = None, scopes: Scopes | None = None) -> None:
        """vocab and scopes: the text answerer's, when there is one, so the chunks are analysed once."""
        self.retriever = retriever
        try:
            self.tables = load_tables(retriever.settings)
        except (OSError, ValueError):
            self.tables = []
        chunks = list(retriever.chunks.values())
        self.vocab = vocab or Vocabulary(chunks)
        self.names = _names(chunks)
        self.scopes = scopes or Scopes(chunks)  # the municipality a question names, as the text answerer reads it
        self.facets = [self._facets(t, chunks) for t in self.tables]
        self.row_names = [(f, _row_names([f])) for f in self.facets]
        self.table_stems = set().union(*(f.caption | f.section | set().union(*f.rows) for f in self.facets)) if self.facets else set()
        # … and with the sentences presenting each table («antallet bekymringsmeldinger … (se tabell under)»)
        self.table_words = self.table_stems.union(*(f.head for f in self.facets))
        self.table_forms = set().union(*(f.head_words.union(*f.row_words) for f in self.facets))
        # the words the row labels write short; an everyday word with a full stop («Mot.») is no abbreviation
        self.abbreviations = {a.lower() for t in self.tables for r in t.rows for a in ABBREVIATION_RE.findall(r.label)
                              if specificity(a.lower()) > 0}

    def _facets(self, t: Table, chunks) -> Facets:
        cols = " ".join(c for c in t.columns if not YEAR_RE.fullmatch(c))
        # the header over the row labels names what they are («Hovedårsak melding»)
        over_labels = t.header.split(t.columns[0])[0] if t.columns and t.columns[0] in t.header else ""
        caption = " ".join([t.label, t.caption, cols, over_labels])
        presenting = " ".join(_presenting(t, chunks))
        parent = t.section.split(" › ")[:-1] or t.section.split(" › ")
        near = [c.text for c in chunks if c.doc_id == t.doc_id and c.kind != "table"
                and list(c.section[: len(parent)]) == parent]
        head = " ".join([caption, t.section.replace(" › ", " "), presenting, *_qualifiers(t, near)])
        label_ranges = _ranges(t.label.replace(t.label.split(" (")[0], ""))
        cap_ranges = _ranges(t.caption)
        return Facets(
            table=t, head=self.vocab.analyse(head), caption=self.vocab.analyse(caption),
            unit=self.vocab.analyse(unit(t)),
            section=self.vocab.analyse(t.section.replace(" › ", " ")),
            rows=[self.vocab.analyse(" ".join(r.path + [r.unit])) for r in t.rows],
            labels=[self.vocab.analyse(r.label) for r in t.rows],
            prose=self.vocab.analyse(_without(" ".join(near), [r.quote for r in t.rows])),
            scope=self.vocab.analyse(self._title(t, chunks)),
            head_words=set(QUERY_TOKEN_RE.findall(head.lower())),
            row_words=[set(QUERY_TOKEN_RE.findall(" ".join(r.path + [r.unit]).lower())) for r in t.rows],
            ranges=label_ranges or (cap_ranges if len(cap_ranges) == 1 else []),
            title=self.vocab.analyse(t.section.split(" › ")[-1]),
            unshortened=[self._unshortened(r.label) for r in t.rows],
        )

    def _unshortened(self, label: str) -> tuple[set[str], set[str]] | None:
        if not ABBREVIATION_RE.search(label):
            return None
        plain = ABBREVIATION_RE.sub(" ", label)
        return self.vocab.analyse(plain), set(QUERY_TOKEN_RE.findall(plain.lower()))

    @staticmethod
    def _title(t: Table, chunks) -> str:
        return next((c.doc_title for c in chunks if c.doc_id == t.doc_id), t.doc_id)

    def topic(self, ask: Ask) -> list[tuple[str, Term, bool]]:
        """(word, term, is a name) for each word that says what is counted."""
        out = []
        seen = set()
        original = {w.lower(): w for w in re.findall(r"[A-Za-zÆØÅæøå]+", ask.text)}
        first = (re.findall(r"[A-Za-zÆØÅæøå]+", ask.text) or [""])[0].lower()
        for i, w in enumerate(ask.words):
            if is_figure_word(w) or len(w) < 2 or w in seen or (i and ask.words[i - 1] == "hvor" and w in DEGREE_WORDS):
                continue   # «hvor stor var nedgangen»: the degree asked, not a word of what is counted
            seen.add(w)
            found = self.vocab.terms(w)
            stem = found[0].stem if found else next(iter(stems(w)), w)
            idf = getattr(self.vocab, "idf", None)
            weight = idf(stem) if idf else (found[0].weight if found else 1.0)
            term = Term(stem, found[0].parts if found else (), weight, found[0].known if found else self.vocab.is_word(w))
            written = original.get(w, w)
            name = (written[:1].isupper() and w != first) or w in self.names
            parts = () if term.match(self.table_stems) >= 1 else (term.parts or self._split(w))
            # a participle splits into words, not syllables («politianmeldt»: «politi», «anmeldt»; «undersøkt» is
            # no «und» + «søkt»)
            shortest = PARTICIPLE_PART if is_participle(w) else 3
            if parts and (name or any(is_figure_word(p) or len(p) < shortest for p in parts)
                          or not any(p in self.table_stems for p in parts)):
                parts = ()
            if parts:
                # «voldsanmeldelser»: «vold» names the row, «anmeldelser» the table
                for p in parts:
                    if p not in seen and not is_figure_word(p):
                        seen.add(p)
                        ask.groups[p] = w
                        out.append((p, Term(p, (), idf(p) if idf else 1.0, True), False))
                continue
            out.append((w, term, name))
        return out

    def untabled(self, ask: Ask) -> str | None:
        """The question's heaviest word, when the documents use it and no table has it, whole, as the beginning
        of a table's word or through all of its parts («ungdomsoppfølging»; not «voldssaker»: «vold», «sak»; not
        «økonomisk»: «Økonomi»): the tables count something else. Not a participle («tvangsplassert»,
        «anmeldt»: how, not what) when the tables write its verb («anmeldelser», «mistenkte»); «tvangsplassert»,
        which no table writes, is what the question counts."""
        best: tuple[float, str, Term] | None = None
        for w in ask.words:
            if is_figure_word(w) or w in self.names or not self.vocab.is_word(w):
                continue
            found = self.vocab.terms(w)
            if found and (best is None or found[0].weight > best[0]):
                best = (found[0].weight, w, found[0])
        if best is None:
            return None
        _, w, term = best
        if self._tabled_act(w) or self._describes(w, ask.words) or term.match(self.table_words) >= FULL or any(
                min(len(x), len(w)) >= PREFIX and (x.startswith(w) or w.startswith(x)) for x in self.table_forms) or any(
                _abbreviates(a, w) for a in self.abbreviations) or any(_verbal_noun(w, x) for x in self.table_forms):
            return None   # «økonomisk» is the row «Økonomi»; «offentlig» is «off.» in «Mot. off. tj.person»
        parts = term.parts or self._split(w)
        return None if parts and all(p in self.table_words for p in parts) else w

    def _describes(self, word: str, words: list[str]) -> bool:
        """A participle right after another noun than the counted one (the question's first word that is no
        figure word), with no auxiliary before it and nothing after it but the documents' own scope: «hvor mange
        gutter … for lovbrudd begått i Bærum» says where the offences were, not what is counted. Not «ungdommer
        ble tvangsplassert», «barn plassert utenfor hjemmet», «tall på ungdom tvangsplassert», nor «vold begått på
        skolen» (a place the tables do not tell apart)."""
        if not is_participle(word) or word not in words:
            return False
        i = words.index(word)
        before = words[i - 1] if i else ""
        counted = next((w for w in words if w not in STOP_WORDS and not is_figure_word(w)), "")
        if not before or before == counted or before in BEFORE_PARTICIPLE or is_figure_word(before) or (
                before in self.scopes.home or before in self.names):
            return False
        return all(w in STOP_WORDS or w in self.scopes.home or w.isdigit() for w in words[i + 1:i + 1 + AFTER_PARTICIPLE])

    def _tabled_act(self, word: str) -> bool:
        """A participle whose verb the tables write: «anmeldt» («anmeldelser»), «utsatt» («utsatte»), and one too
        short to tell («tatt»)."""
        if not is_participle(word):
            return False
        roots = {_lemma(word).rstrip("aeiouyæøå"), word[:-1]}
        if all(len(r) < ACT_ROOT for r in roots):
            return True
        verbs = {r for r in roots if len(r) >= ACT_ROOT}
        # … also at the end of a compound («politianmeldt»: «anmeld»), by a verb long enough to tell
        verbs |= {r[i:] for r in roots for i in range(1, len(r)) if len(r) - i >= PREFIX}
        return any(x.startswith(v) for v in verbs for x in self.table_forms)

    def tabled(self, text: str) -> bool:
        """The text names something a table has, in its caption, section, head or rows («vold»; not «notat»)."""
        return any(not is_figure_word(w) and (found := self.vocab.terms(w)) and found[0].match(self.table_words) >= FULL
                   for w in QUERY_TOKEN_RE.findall(text.lower()) if not any(c.isdigit() for c in w))

    def _covers(self, word: str, term: Term, analysed: set[str], words: set[str], near: set[str] = frozenset(),
                label: bool = False) -> float:
        """1 for the word in the text, 0.7 inside a compound there or through the compound's parts
        (one part in the text, the others in the text or in near); lemmas and shared beginnings too. In a row's
        label (label=True), also as the first part of a compound (`_opens_compound`)."""
        got = term.match(analysed) if term.known else 0.0
        if got >= FULL:
            return got
        lemma = _lemma(word)
        for w in words:
            if w == word or _lemma(w) == lemma or (len(w) >= PREFIX and len(word) >= PREFIX and w[:PREFIX] == word[:PREFIX]) or (
                    not term.known and _abbreviates(word, w)):
                return 1.0
        # … or the first part of a compound whose last part is a word of its own («rus»: «rusmisbruk»; not «vold»:
        # «voldtekt»)
        if label and any(_opens_compound(word, w) or _opens_compound(term.stem, w) for w in words):
            return FULL
        if term.match(self.table_stems) < FULL and any(_variant(w, word) for w in words):
            return VARIANT   # only when no table writes the word as asked («atferd»: «Barnets atferd»)
        parts = term.parts or self._split(word)
        if parts:
            here = [p for p in parts if p in analysed or PART_MARK + p in analysed]
            if here and all(p in here or _inside_any(p, analysed | near) for p in parts):
                return FULL
        return got

    def _split(self, word: str) -> tuple[str, ...]:
        split = getattr(self.vocab, "split", None)
        return tuple(split(word)) if split and len(word) >= 6 else ()

    def picks(self, ask: Ask, topic=None) -> list[Pick]:
        topic = self.topic(ask) if topic is None else topic
        out = []
        for f in self.facets:
            pick = self._pick(f, ask, topic)
            if pick:
                out.append(pick)
        # a table that counts what the question counts («mistenkt»: Tabell 1's persons) before one that only
        # mentions it (Tabell 2 counts reports «med en eller flere mistenkte»)
        out.sort(key=lambda p: (-p.counted, -p.score))
        return out

    def _pick(self, f: Facets, ask: Ask, topic) -> Pick | None:
        t = f.table
        ranges = ask.ranges
        # an age group asked for must be the table's, a row's or a column's
        table_range_ok = not ranges or any(_range_fits(r, h) for r in ranges for h in f.ranges)
        column = self._column_for(t, ranges)
        columns = () if column else self._columns_making(t, ranges)
        head_cover, weak = {}, {}
        near = f.prose | f.head
        counted = self.counts(f, topic)
        for w, term, name in topic:
            head_cover[w] = self._covers(w, term, f.head, f.head_words, near)
            if name:
                weak[w] = term.match(f.scope) >= FULL
            else:
                # a word that names rows elsewhere («vold», «jenter») is a category this table lacks
                weak[w] = not self.category(term, counted) and (term.match(f.prose) >= FULL or self._parts_in(term, near) or (
                    is_participle(w) and self._covers(w, term, f.prose, set(), near) >= FULL))
        # a word every row has («Barnets …») says which table, not which row; a word naming one of its rows
        # names that row, though the section names it too
        label_words = [set(QUERY_TOKEN_RE.findall(row.label.lower())) for row in t.rows]
        labelled = {w: [self._covers(w, term, analysed, written, label=True) >= FULL
                        for analysed, written in zip(f.labels, label_words)]
                    for w, term, _ in topic}
        shared = {w for w, named in labelled.items() if t.rows and all(named)}
        row_words = {w for w, named in labelled.items() if any(named)}
        best: Pick | None = None
        for i, row in enumerate(t.rows):
            if all(v is None for v in row.values.values()):
                continue  # a row of text («Kjønn Flest gutter …») gives no number
            row_ranges = _ranges(row.label)
            range_named = bool(ranges) and any(_range_fits(r, h) for r in ranges for h in row_ranges)
            if ranges and not table_range_ok and not range_named and not column and not columns:
                continue
            if not ranges and row_ranges and f.ranges and row_ranges[0] != f.ranges[0] and _unranged_sibling(t, row):
                continue  # «jenter» is the Jenter row, not «Jenter 10-14år»
            row_set = label_words[i]
            in_label = {w: self._covers(w, term, f.labels[i], row_set, near, label=True) for w, term, _ in topic}
            if any(v >= FULL for v in in_label.values()):
                # a row another word names may spell this one otherwise («hensynsløs atferd»: «Hensynsløs adferd»)
                in_label = {w: max(v, VARIANT if any(_variant(x, w) for x in row_set) else 0.0)
                            for w, v in in_label.items()}
            in_row = {w: max(in_label[w], 0.9 * self._covers(w, term, f.rows[i], f.row_words[i], near))
                      for w, term, _ in topic}
            for w in self._only_short(f, i, topic, in_label):
                in_label[w] = in_row[w] = 0.0
            strong = {w: max(head_cover[w], in_row[w]) for w, _, _ in topic}
            if any(strong[w] < FULL and not weak[w] for w, _, _ in topic):
                continue
            sure = [term.weight for w, term, _ in topic if strong[w] >= FULL]
            named = {ask.groups[w] for w, _, _ in topic if w in ask.groups and strong[w] >= FULL}
            # what all rows of a table counting something else are («lovbrudd») is no loose word in a table that
            # counts what is asked: it says what they were counted for
            loose = [term.weight for w, term, _ in topic
                     if strong[w] < FULL and not is_participle(w) and ask.groups.get(w) not in named
                     and not (counted and self.names_all_rows(term))]
            if topic and (not sure or sum(loose) >= LOOSE * sum(sure)):
                continue  # mostly words the table itself does not have
            # a word of the caption or section names the table; only the others can name a row
            # what the table counts («Antall mistenkte personer») weighs most; a word naming a row is a row
            # word, though the section names it too («narkotika» under «Narkotikakriminalitet»)
            level = {w: 2.0 if term.match(f.unit) >= FULL else 1.5 if term.match(f.caption) >= FULL
                     else 1.2 if (term.match(f.section) >= FULL and w not in row_words) or w in shared
                     else 0 for w, term, _ in topic}
            if topic and not any(level[w] or in_row[w] >= FULL for w, term, name in topic
                                 if not name and term.match(f.scope) < FULL):
                continue  # what is counted is only in the prose around the table (a place alone is no topic)
            row_topic = sum(1 for w, _, _ in topic if not level[w] and in_row[w] >= FULL)
            by_place = row_topic and all(name for w, _, name in topic if not level[w] and in_row[w] >= FULL)
            if by_place and not any(level[w] >= 1.5 or term.match(f.title) >= FULL for w, term, name in topic if not name):
                continue  # a place names the row, and nothing asked names what this table counts
            if row_topic == 0 and not range_named:
                # nothing in the question names a row: only the total answers it
                if not (AGGREGATE_ROW.match(row.label) or is_total(f, row)):
                    continue
            extra = len({x for x in row_set - set(ask.words) if not x[:1].isdigit()}) * 0.05
            score = sum(level[w] or (in_row[w] if in_row[w] >= FULL else 0.5 if strong[w] >= FULL else 0)
                        for w, _, _ in topic)
            score += (1 if ranges and (table_range_ok or range_named) else 0) - extra
            if not ranges and f.ranges and t.label != t.label.split(" (")[0]:
                score -= 0.5  # one part of a table split by age, when no age was asked
            if best is None or score > best.score:
                best = Pick(t, row, column, score, columns, counted)
        return best

    def _only_short(self, f: Facets, i: int, topic, in_label: dict[str, float]) -> list[str]:
        """The words that name row i only where its label writes a word short, when no other word of the question
        names it as written: «offer» shares its stem with «off.» in «Mot. off. tj.person», but «vold mot
        offentlig tjenesteperson» names the row by «person» too."""
        if f.unshortened[i] is None:
            return []
        analysed, words = f.unshortened[i]
        named = [w for w, term, _ in topic if in_label[w] >= FULL]
        if any(self._covers(w, term, analysed, words) >= FULL for w, term, _ in topic if w in named):
            return []
        return named

    def _naming(self, term: Term) -> list[Facets]:
        """The tables whose rows the word tells apart («vold», «jenter»)."""
        return [f for f, names in self.row_names if term.match(names) >= FULL]

    @staticmethod
    def _in_captions(term: Term, naming: list[Facets]) -> bool:
        """Each of these tables has the word in its caption: it says what all their rows are («lovbrudd» in
        «fordelt etter lovbruddstype», though a row is «Seksuallovbrudd»), not one of them."""
        return bool(naming) and all(term.match(f.caption) >= FULL for f in naming)

    def names_all_rows(self, term: Term) -> bool:
        """Each table whose rows the word names has it in its caption too (`_in_captions`)."""
        return self._in_captions(term, self._naming(term))

    def category(self, term: Term, counted: bool) -> bool:
        """The word is a category a table without it lacks; not, in a table that counts what the question
        counts («mistenkt»: Tabell 1's persons), a word for what all of another table's rows are: «mistenkt for
        lovbrudd» asks for persons. («hvor mange lovbrudd … jenter» counts offences, which Tabell 1 does not.)"""
        naming = self._naming(term)
        return bool(naming) and not (counted and self._in_captions(term, naming))

    def counts(self, f: Facets, topic) -> bool:
        """A word of the question is what the table counts («mistenkt»: «Antall mistenkte personer»)."""
        return any(term.match(f.unit) >= FULL for _, term, _ in topic)

    def _parts_in(self, term: Term, analysed: set[str]) -> bool:
        return bool(term.parts) and all(p in analysed or any(p in s for s in analysed if len(p) >= 3) for p in term.parts)

    @staticmethod
    def _column_for(t: Table, ranges) -> str | None:
        """The column whose age group is the one asked for; none when the asked group spans several columns
        («19 år eller yngre» over 14-15, 16-17 and 18-19: no one column holds it)."""
        groups = _age_groups(t)
        for r in ranges:
            inside = [g for _, g in groups if r[0] <= g[0] and g[1] <= r[1]]
            if _straddled(r, groups):
                continue   # «16 år eller yngre» with a column 16-17: no column holds it
            for c, g in groups:
                if _range_fits(r, g) and len(inside) <= 1:
                    return c
        return None

    @staticmethod
    def _columns_making(t: Table, ranges) -> tuple[str, ...]:
        """The age-group columns that together are exactly the group asked for, up to an age it names («19 år
        eller yngre»: 14-15, 16-17 and 18-19, when the youngest column is 14-15): each column wholly inside or
        wholly outside it, and the last ending at its upper age («30 og eldre» up to a column «>80»)."""
        groups = _age_groups(t)
        for lo, hi in ranges:
            inside = [(c, g) for c, g in groups if lo <= g[0] and g[1] <= hi]
            if len(inside) >= 2 and not _straddled((lo, hi), groups) and inside[-1][1][1] == hi:
                return tuple(c for c, _ in inside)
        return ()

    def swap_row(self, asked: str, figure: dict, said: str) -> str | None:
        """The question `asked`, answered from one row, with the words naming that row swapped for those `said`
        after it, when they name the row next to it: after «hvor mange gutter 15-17 år …» (row «Gutter 15-17år»),
        «jentene» is the row that differs from it in that word only («Jenter 15-17år»), so «gutter» becomes
        «jentene». None — the words are then added to the question as they stand — when any word said names no
        such row («jentene som ble ranet», «jentene i oslo», «i fjor»), when the row asked for lies inside the
        old one («ungdommer 15-17 år» → «guttene»: «Gutter 15-17år»), or when `asked` does not pin the old row
        down (no age group where the row has one: the row came from a question after it)."""
        table = next((t for t in self.tables if t.label == figure.get("table") and t.doc_id == figure.get("document")),
                     None)
        old = next((r for r in table.rows if " › ".join(r.path) == figure.get("row")), None) if table else None
        # words asking about the figure («økte det?», «sammenlignet med») say nothing of the row
        words = [w for w in QUERY_TOKEN_RE.findall(said.lower()) if w not in STOP_WORDS and not is_figure_word(w)]
        total = (next((r for r in table.rows if AGGREGATE_ROW.match(r.label) or is_total(self._f(table), r)), None)
                 if table and AGGREGATE.fullmatch(said.strip()) else None)
        if total is not None and old is not None and total is not old:
            words = [said.strip()]   # «og totalt?»: the table's row for all, named by the word said
        if old is None or len(figure.get("rows", ())) > 1 or not words or any(c.isdigit() for c in said):
            return None
        if self.scopes.of(said) or _ranges(old.label) and sorted(_ranges(old.label)) != sorted(read_question(asked).ranges):
            return None   # a place or year said with it; or the question does not name the old row's age group
        said_stems = [self._stems(w) for w in words]
        old_stems = self._stems(old.label)
        if total is not None:
            gone = old_stems - self._stems(total.label)
        else:
            # every word said names what the row adds, and the row adds nothing unsaid; of those, the row sharing
            # most with the old one
            swaps = [old_stems - self._stems(row.label) for row in table.rows
                     if (added := self._stems(row.label) - old_stems)
                     and all(s & added for s in said_stems) and added <= set().union(*said_stems)]
            if not swaps:
                return None
            gone = min(swaps, key=len)
        naming = [m for m in re.finditer(r"\w+(?:-\w+)*", asked) if self._stems(m.group()) & gone]
        if not gone or not naming:
            return None
        between = QUERY_TOKEN_RE.findall(asked[naming[0].end(): naming[-1].start()].lower())
        if any(w not in STOP_WORDS for w in between if not self._stems(w) & gone):
            return None   # the old row is named in two places
        after = asked[naming[-1].end():]
        if _ranges(asked[naming[0].start(): naming[-1].end()]):
            after = re.sub(r"^\s*år\b", "", after)   # the age group's «år» goes with it
        return asked[: naming[0].start()] + " ".join(words) + after

    def _stems(self, text: str) -> set[str]:
        """Stems and compound parts of the text, without its words as written and its small words."""
        return {t.removeprefix(PART_MARK) for t in self.vocab.analyse(text)
                if not t.startswith("=") and t not in STOP_WORDS}

    def _f(self, t: Table) -> Facets:
        return next(f for f in self.facets if f.table is t)

    def _cite(self, n: int, table: Table, rows: list[Row]) -> Citation:
        return cite(self.retriever.chunks, n, table, rows)


def _without(text: str, quotes: list[str]) -> str:
    """The prose around a table, less the table's own rows (a status block's rows are text)."""
    text = " ".join(text.split())
    for q in quotes:
        text = text.replace(q, " ")
    return text


def _qualifiers(t: Table, near: list[str]) -> set[str]:
    """The words the prose around a table writes right before what it counts («Totalt ble 250 unike personer …»
    over «antall mistenkte personer»): what the table counts is called so too. Not a word of figures, a verb
    («færre anmeldelser», «registrerte anmeldelser», «samler anmeldelser») or a small word («og personer»)."""
    counted = unit(t).rstrip(") ").split()[-1:]
    return {w for text in near for noun in counted
            for w in re.findall(rf"\b([a-zæøå]+)\s+{re.escape(noun)}\b", text.lower())
            if w not in STOP_WORDS and not is_figure_word(w) and not is_participle(w) and not _present_tense(w)}


def _present_tense(word: str) -> bool:
    """A verb in the present tense: its lemma with «-r» («samler»: «samle», «omfatter»: «omfatte»). Before a
    noun, a plural noun with the same ending («jenter») hardly stands."""
    return word.endswith("er") and _lemma(word) == word[:-1]


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


def is_total(f: Facets, row: Row) -> bool:
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


OPEN_AGE_RE = re.compile(r">\s*(\d{1,2})|(\d{1,2})\s*\+")   # a column for the oldest: «>80», «80+»


def _age_groups(t: Table) -> list[tuple[str, tuple[int, int]]]:
    """The table's columns that are age groups, with their ages; the oldest may be open upwards («>80»)."""
    groups = []
    for c in t.columns:
        if rs := _ranges(c):
            groups.append((c, rs[0]))
        elif m := OPEN_AGE_RE.fullmatch(c.strip()):
            groups.append((c, upwards(m)))
    return groups


def _straddled(asked: tuple[int, int], groups: list[tuple[str, tuple[int, int]]]) -> bool:
    """A column holds ages on both sides of an end of the asked group (16-17 for «16 år eller yngre»)."""
    lo, hi = asked
    return any(g[0] < lo <= g[1] or g[0] <= hi < g[1] for _, g in groups)

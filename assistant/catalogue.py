"""The named measures the documents describe — services, programmes, teams, guides, tiltak — each
with what it is and where it is said, so a help question can be answered with the help itself.

Built from the indexed chunks with three generic readings of a municipal document:
- a defining sentence: «Trygghetsprogrammet er et tilbud til …», «Utsett! er et … tiltak»;
- a section whose heading names what its first sentence describes;
- a row of a tiltak table: «Tiltak 10 Veileder ved bekymring … Det er utarbeidet en lokal veileder …».
Nothing in here knows this report's measures; a new action plan is catalogued the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .norwegian import TOPIC_WORD, specificity
from .passages import Passage, chunk_passages
from .sparse import stemmer
from .terms import STOP_WORDS
from .types import Chunk

MAX_NAME_WORDS = 7
# Finite verbs and pronouns: a «name» holding one is the start of a clause.
_CLAUSE_WORDS = {"har", "er", "var", "kan", "skal", "vil", "blir", "ble", "det", "den", "de", "vi", "jeg", "at"}
_MID_CAPITAL_RE = re.compile(r"(?<=[a-zæøå0-9,;] )([A-ZÆØÅ][\w!-]+)")
_ROW_LABEL_RE = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+\s+\d+(?:\s*,\s*\d+)*\s+(?=[A-ZÆØÅ])")   # «Tiltak 8, 10 »
# «X er et/en …», «X tilbyr …», «X består av …»: a sentence that says what X is
_DEFINING_RE = re.compile(
    r"^«?(?P<name>[A-ZÆØÅ0-9][^.:;,()]{1,70}?)»?\s+(?:(?:er|var)\s+(?:et|en|ei|ett)\s+\w+"
    r"|(?:tilbyr|gir|jobber|arbeider|består av|kan tilby|kan gi)\b)", re.UNICODE)
# «Tiltak 10 Veileder ved bekymring …», «Tiltak 5, 7, 10 Videreutvikling av Utsett», «Tiltak Økonomiske
# støtteordninger; eksempelvis fritidsstipend»
_TILTAK_RE = re.compile(r"^Tiltak\s+(?:\d+(?:\s*,\s*\d+)*\s+)?(?P<rest>[A-ZÆØÅ«“\"].+)$", re.DOTALL)
# «Spillkontakt for unge som er tilbaketrukne: Pilotering av et lavterskeltilbud …»: a label, then what it is
_LABELLED_RE = re.compile(r"^(?P<name>[A-ZÆØÅ][^.:;!?]{2,80}):\s+(?P<desc>[A-ZÆØÅ].{20,})$", re.DOTALL)
# Rows of a table read as one run of text start again at each row label («… Tiltak 12 …», «… Delmål …»).
_ROW_START_RE = re.compile(r"\s+(?=(?:Tiltak|Delmål)\s+(?:\d|[A-ZÆØÅ«“\"]))")
_BRACKETS_RE = re.compile(r"\([^)]*\)")
MIN_ROW_WORDS = 4   # a tiltak row with no separate description says what it is in its name, when this long


@dataclass(frozen=True)
class Measure:
    name: str
    description: str      # the passage that says what it is, as it stands in the source (for the quote)
    chunk_id: str
    pos: int              # passage number of the description within the chunk
    section: str
    defined: bool = False  # the description is a sentence saying what it is («X er et tilbud …»)
    text: str = ""         # one line for an answer: «Navn: hva det er»
    from_heading: bool = False  # named by layout (a heading, a «Label:»): may be a topic rather than a measure
    # a heading naming something (its first word a name the documents capitalise mid-sentence) that its first
    # sentence names too («Konsultasjonsteam ekstremisme»: «… et tverrfaglig team; Konsultasjonsteam ekstremisme
    # som …»): the text under the heading is about it
    heads_its_text: bool = False

    @property
    def line(self) -> str:
        return self.text or self.description


def _is_name(name: str, proper: set[str], placed: bool = False) -> bool:
    """A name of something: capitalised or numbered, not a clause, and a lone word only when the
    documents capitalise it mid-sentence too (not «Tilbudet» or «Nedenfor» opening a sentence)."""
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or words[0].lower() in STOP_WORDS or name.isdigit():
        return False
    head = words[: [w.lower() for w in words].index("som")] if "som" in (w.lower() for w in words) else words
    if any(w.lower() in _CLAUSE_WORDS for w in head):
        return False  # «Forskning har vist at det ikke»; a relative clause («… for unge som er …») is fine
    if words[0].strip("!«»").lower() in proper or (placed and len(words) > 1):
        return True  # a proper name, or a name where the layout puts one (a row's name cell, a heading)
    # past the first word (capitalised anyway at a sentence start), a capital or a number names it
    return len(words) > 1 and any(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in words[1:])


def _no_everyday_word(name: str) -> bool:
    """A one-word name is no everyday word: «Skole er en viktig faktor …» says what school means to
    something, while «Trygghetsprogrammet er et tilbud …» says what a measure is."""
    words = name.split()
    return len(words) > 1 or specificity(words[0].strip("!«»").lower()) >= TOPIC_WORD


def proper_names(chunks: list[Chunk], in_prose: bool = False) -> set[str]:
    """Words the documents capitalise in the middle of a sentence: names («Trygghetsprogrammet»). In prose
    (in_prose), a table row's numbered label ends a sentence and the cell after it opens one: «Tiltak 8, 10
    Undervisningsopplegget …» names a row («Undervisningsopplegg» is a measure there), but makes no name of a
    sentence it opens elsewhere («Undervisningsopplegget består av to deler …»)."""
    out: set[str] = set()
    for c in chunks:
        for m in _MID_CAPITAL_RE.finditer(_ROW_LABEL_RE.sub(". ", c.text) if in_prose else c.text):
            out.add(m.group(1).lower())
    return out


def _row_name(rest: str) -> tuple[str, str]:
    """Split a tiltak row into its name and its description: the description starts at the first
    capitalised word after the name's first word, or after the name's first sentence."""
    words = rest.split()
    for i in range(1, min(len(words), MAX_NAME_WORDS + 1)):
        inside_brackets = " ".join(words[:i]).count("(") > " ".join(words[:i]).count(")")
        if words[i][:1].isupper() and words[i - 1][-1:] not in "«(" and not inside_brackets:
            return " ".join(words[:i]).rstrip(" .:"), " ".join(words[i:])
    # the name's first sentence ends at a full stop before a capital, not after an ordinal («for 7. klasse»;
    # a year may end it: «… fra 2024. Tilbudet …»)
    end = re.search(r"(?<!(?<!\d)\d)(?<!(?<!\d)\d\d)\.\s+(?=[A-ZÆØÅ])", rest)
    if end is None:
        return rest.rstrip(" ."), ""
    return rest[: end.start()].rstrip(" ."), rest[end.end():]


def _overlaps(a: str, b: str) -> bool:
    sa = {s for s in stemmer().stemWords(re.findall(r"\w+", a.lower())) if s not in STOP_WORDS and len(s) > 2}
    sb = set(stemmer().stemWords(re.findall(r"\w+", b.lower())))
    return bool(sa & sb)


def measures_in(chunk: Chunk, first_of_section: bool, proper: set[str], named: set[str]) -> list[Measure]:
    """The chunk's measures: tiltak rows, labelled lines, defining sentences (whose lone word must be a name
    in prose: `named`, proper_names(in_prose=True)) and its heading."""
    out: list[Measure] = []
    ps: list[Passage] = [p for p in chunk_passages(chunk, short_rows=True) if p.answerable]
    for p in ps:
        lead = p.lead if not p.lead_is_heading else ""
        rows = [m for m in map(_TILTAK_RE.match, _ROW_START_RE.split(lead)) if m]
        for row in rows:
            text = row.group(0).strip()
            name, desc = _row_name(row.group("rest"))
            if _is_name(name, proper, placed=True) and len(desc.split()) >= 4:
                out.append(Measure(name, text, chunk.id, p.pos, chunk.section_path, text=f"{name}: {desc}"))
            elif not desc and len(name.split()) >= MIN_ROW_WORDS:
                # «Tiltak 12 Veiledning til foresatte til unge som har en bekymringsfull rusbruk»
                out.append(Measure(" ".join(name.split()[:MAX_NAME_WORDS]), text, chunk.id, p.pos,
                                   chunk.section_path, text=name.rstrip(" .") + "."))
        if rows:
            continue
        label = _LABELLED_RE.match(lead)
        if label and len(label.group("name").split()) <= MAX_NAME_WORDS and _is_name(label.group("name"), proper, placed=True):
            out.append(Measure(label.group("name").strip(), p.words, chunk.id, p.pos, chunk.section_path,
                               text=p.prose(), from_heading=True))
            continue
        m = _DEFINING_RE.match(lead)
        if m and _is_name(m.group("name"), named) and _no_everyday_word(m.group("name")):
            out.append(Measure(m.group("name").strip(" «»"), p.words, chunk.id, p.pos, chunk.section_path,
                               defined=True, text=p.prose()))
    heading = chunk.section[-1]
    # a one-word heading names something when it is no everyday word («Fryktkapital», not «Skole»)
    heading_names = proper | ({heading.lower()} if specificity(heading.lower()) >= TOPIC_WORD else set())
    if first_of_section and ps and _is_name(heading, heading_names, placed=True) and _overlaps(heading, ps[0].words):
        prose = ps[0].prose()
        text = prose if _overlaps(heading, prose.split(":")[0]) else f"{heading}: {prose}"
        name = _BRACKETS_RE.sub("", heading).strip()   # «SLT koordineringsgruppen (koordineringsnivå)»
        heads = name.split()[0].strip("!«»").lower() in proper and name.lower() in ps[0].words.lower()
        out.append(Measure(heading, ps[0].words, chunk.id, ps[0].pos, chunk.section_path, text=text,
                           from_heading=True, heads_its_text=heads))
    return out


def _thin(m: Measure) -> bool:
    return len(m.line.split()) < 12


def build(chunks: list[Chunk]) -> list[Measure]:
    """Every measure once (by name), in document order; a defining sentence wins over a table row or
    a heading's first sentence."""
    seen: dict[tuple[str, str], int] = {}
    out: list[Measure] = []
    sections: set[tuple[str, tuple[str, ...]]] = set()
    proper, named = proper_names(chunks), proper_names(chunks, in_prose=True)
    for chunk in sorted(chunks, key=lambda c: (c.doc_id, c.start)):
        key = (chunk.doc_id, chunk.section)
        first = key not in sections
        sections.add(key)
        if chunk.kind == "table" and not any(ch.isalpha() for ch in chunk.text[:1]):
            continue
        for m in measures_in(chunk, first, proper, named):
            k = (chunk.doc_id, m.name.lower().strip("!«» "))
            if k not in seen:
                seen[k] = len(out)
                out.append(m)
            elif (m.defined and not out[seen[k]].defined) or (
                    (m.defined or not out[seen[k]].defined) and _thin(out[seen[k]]) and not _thin(m)):
                out[seen[k]] = m  # a row that only points elsewhere («Se egen tekst») gives way
    return out

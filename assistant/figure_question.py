"""Reading a figure question: which years, which age groups, and what kind of answer it asks for.

Figure words («hvor mange», «økte», «flest», «i fjor») say what is asked of the figures, not what they
count; they are Norwegian question wording, not knowledge about a report. Age groups come as ranges
(«10-14 år», «mellom 10 og 14 år», «15 til 17 år»), open ends («under 15») or single ages («13-åringer»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma
from bm25s.stopwords import STOPWORDS_NORWEGIAN

from .lines import YEAR_RE
from .scope import COUNTRY
from .sparse import QUERY_TOKEN_RE

# Words of a change, up or down or either way, in the forms a question writes them; the rankings, «down» and the
# figure words below are built from these, and the cues from their singular forms («reduksjonen» is found wherever
# «nedgangen» is).
UP = r"økte|økt|økning\w*"
DOWN_WORDS = r"nedgang\w*|reduksjon\w*|falt"
FELL = r"gikk\s+(?:\w+\s+)?ned\b(?!\s+fordi)"   # «gikk ned», «gikk mye ned»; «gikk det ned fordi …» asks why
CHANGED = r"endret|endring\w*"
CHANGE = rf"{UP}|{DOWN_WORDS}|{CHANGED}|{FELL}"
# A cue is a change in the singular: «hvilke endringer …», «økningene på …» ask what changed, and «falt» and
# «endret» alone say more than a figure («har falt utenfor skolen», «endret praksis»)
CHANGE_CUES = r"økte|økt|økning(?:en)?|nedgang(?:en)?|reduksjon(?:en)?|endring(?:en)?"
FIGURE_CUES = re.compile(
    rf"\b(hvor mange|antall|antallet|tall|tallet|tallene|{CHANGE_CUES}|{FELL}|"
    r"utvikling|utviklingen|utviklet|prosent|høyest|lavest|flest|færrest|sammenlign\w*|"
    r"størst|minst|mest)\b"
    # «flere»/«færre» compare figures with «enn», after «hvor mange», or over a year («Ble det anmeldt
    # flere ran i 2024?»); «forsøk med flere miljøarbeidere», «finnes det flere tilbud» mean «several»
    r"|\b(?:flere|færre)\b.*\benn\b|\bhvor\s+mange\s+(?:flere|færre)\b"
    r"|(?<!\bmed )(?<!finnes det )(?<!fins det )\b(?:flere|færre)\b(?=.*\b(?:19|20)\d{2}\b)", re.I)
EXPLANATION = re.compile(r"\s*(hvorfor|hva skyldes|hva er årsaken|hva forklarer|hva kan forklare)\b", re.I)
# Words that say what is asked of the figures (how many, which change), not what they count.
FIGURE_WORDS = set("""
antall antallet tall tallet tallene mange mye hvor hva hvilken hvilke hvilket hvem hvordan når var ble blir er har
hadde være vært fått få finnes det den de dem som og eller mot vs versus enn med i på for av om til fra mellom
utvikling utviklingen
utviklet prosent prosenten prosentvis flere færre høyest høyeste lavest laveste flest færrest mest minst størst
største minste
sammenlign sammenligne sammenlignet sammenligna sammenligning sammenlikne sammenliknet sammenlikna sammenlikning forskjell forskjellen totalt total sum til sammen samlet alle
alt år året årene årets siste hele perioden periode gikk ned opp ifølge tabellen tabell tabellene statistikken
kan du gi meg oppgi begge henholdsvis vis vise oversikt se si sagt hver hvert per siden gjennom over under nå ca omtrent rundt like
registrerte type typer åringer åring aldersgruppen aldersgruppe alderen blant fikk får gjaldt gjelder gjorde
jobber jobbet kom kommet skjedde finnes fantes ligger lå totale samla snitt gjennomsnitt gjennomsnittlig
gått øke steget sunket fjor ifjor én tilbake yngste eldste stemmer riktig sant
motta mottar mottok mottatt
""".split()) | set(STOPWORDS_NORWEGIAN)

_CHANGE_WORD = re.compile(rf"{UP}|{DOWN_WORDS}|{CHANGED}", re.I)


def is_change_word(word: str) -> bool:
    """A word of change in any form («økte», «nedgangen», «endringen»)."""
    return bool(_CHANGE_WORD.fullmatch(word))


def is_figure_word(word: str) -> bool:
    """The word says what is asked of the figures: a figure word, or a word of change in any form
    («økningene», «reduksjonen»)."""
    return word in FIGURE_WORDS or is_change_word(word)

AGGREGATE = re.compile(r"\b(totalt|total|til sammen|samlet|i alt|alle)\b", re.I)
SUMMED = re.compile(r"\b(sammenlagt|til\s+sammen|tilsammen|samlet|i\s+alt)\b", re.I)
AGGREGATE_ROW = re.compile(r"^(total|totalt|sum|i alt|alle|samlet)$", re.I)
SERIES = re.compile(r"\b(utvikl\w*|over tid|hvert år|per år|år for år|gjennom årene|trend\w*|alle årene|hele perioden)\b", re.I)
RANK = re.compile(rf"\b(høyest\w*|lavest\w*|flest|færrest"
                  rf"|(?:{UP}|{DOWN_WORDS}|ned)\b.{{0,20}}\b(?:mest|minst|størst)"
                  rf"|(?:mest|minst|størst\w*)\b.{{0,20}}\b(?:{UP}|{DOWN_WORDS}|ned))\b", re.I)
WHICH_YEAR = re.compile(r"\b(hvilke[nt]? år|når)\b", re.I)
WH_START = re.compile(r"^\s*(hva|hvordan|hvorfor|hvem|hvilke[nt]?|når|hvor|kan|er|har|fortell|beskriv|finnes|fins|"
                      r"gjør|går|blir|ble|skal|vil|må|bør|var)\b", re.I)
BY_AGE = re.compile(r"\b(alder|alderen|aldersgrupp\w*|alderstrinn\w*)\b", re.I)   # «hvilken aldersgruppe …»
RANK_LOW = re.compile(r"\b(lavest\w*|færrest|minst)\b", re.I)
RANK_CHANGE = re.compile(rf"\b({CHANGE})\b", re.I)
DOWN = re.compile(rf"\b({FELL}|{DOWN_WORDS}|færre)\b", re.I)
SHARE = re.compile(r"\b(prosent(?:andel)?\s+av|andel(?:en)?|hvor stor del)\b", re.I)  # a share, not a count
# «mellom 10 og 14 år», «mellom 15 og 17» (an age group with «år» left out; not «mellom 10 og 20 prosent»)
BETWEEN_RE = re.compile(r"\bmellom\s+(\d{1,2})\s+og\s+(\d{1,2})(?:\s*år\b)?(?!\s*(?:%|prosent|\d|[.,]\d))", re.I)
# «15 til 17 år», «i alderen 15 til 17», «aldersgruppen 15 til 17», «10 til 14-åringer»: «til» between two ages
# after a word of age, or before «år»/«åring» («økte fra 12 til 17» names no age: two figures, no group)
TO_RE = re.compile(r"\b(?:alder\w*|mellom)\s+(?:fra\s+)?(\d{1,2})\s+til\s+(\d{1,2})\b"
                   r"|\b(\d{1,2})\s+til\s+(\d{1,2})\s*-?\s*(?=år\b|åring)", re.I)
# … or with nothing counted after it, where a table's label has its age group: «gutter 15 til 17 – hvor mange …»,
# «jenter 10 til 14 i 2024» (not «2 til 3 kvelder», «fra 12 til 17»)
BARE_TO_RE = re.compile(r"(?<!\bfra\s)\b(\d{1,2})\s+til\s+(\d{1,2})\b(?![.,]\d)(?=\s*(?:[^\w\s]|$|(\w+)))", re.I)
# «16 eller 17 år», «14 og 15 år»: two neighbouring ages are the age group they make (16-17)
NEIGHBOURS_RE = re.compile(r"\b(\d{1,2})\s+(?:eller|og)\s+(\d{1,2})\s*-?\s*(?=år\b|åring)", re.I)
YEARS_OLD_RE = re.compile(r"(?<=\bår)\s+gam(?:le|mel)\b", re.I)   # «16 år gamle»: an age, no topic («gamle saker» is)
PERCENT = re.compile(r"\b(prosent\w*)\b|%", re.I)
ALTERNATIVE = re.compile(r"(\S+)\s+(?:og|vs\.?|versus|mot|eller)\s+(\S+)", re.I)
# «under 18», «19 år eller yngre»; «over 18», «18 og eldre»: the age below or above (the number is the first
# group that matched)
UNDER_RE = re.compile(r"\b(?:under|yngre\s+enn)\s+(\d{1,2})\b|\b(\d{1,2})\s*(?:år\s+)?(?:eller|og)\s+yngre\b", re.I)
OVER_RE = re.compile(r"\b(?:over|eldre\s+enn)\s+(\d{1,2})\b|\b(\d{1,2})\s*(?:år\s+)?(?:eller|og)\s+(?:eldre|over|oppover)\b", re.I)
OLDEST = 99   # the upper end of an age group open upwards («over 18», «>80»)
AGE_WORD_RE = re.compile(r"åring\w*")
AGE_RE = re.compile(r"(?<![\d-])(\d{1,2})\s*-?\s*(?:år|åring\w*)\b", re.I)


def _norm_range(a: str, b: str) -> tuple[int, int]:
    return int(a), int(b)


AGE_RANGE_RE = re.compile(r"(?<![\d.])(\d{1,2})\s*[-–]\s*(\d{1,2})(?![\d.])")  # «10-14år», «15 - 17 år»


def _ranges(text: str) -> list[tuple[int, int]]:
    return list(dict.fromkeys(_norm_range(m.group(1), m.group(2)) for m in AGE_RANGE_RE.finditer(text)
                              if int(m.group(1)) < int(m.group(2)) and int(m.group(2)) < 100))


@dataclass
class Ask:
    """What a figure question asks, read from its wording."""
    text: str
    words: list[str]
    years: list[str]
    ranges: list[tuple[int, int]]      # age groups asked for, as (low, high); open ends by under/over
    aggregate: bool
    series: bool
    rank: bool
    percent: bool
    groups: dict = field(default_factory=dict)   # a compound's part → the compound («sak» → «voldssaker»)


def upwards(m: re.Match) -> tuple[int, int]:
    """The age group open upwards that a match of OVER_RE or a column like it names: above its first group's
    age («over 80», «>80»: 81 and older), or from its second group's («80 og eldre», «80+»)."""
    return (int(m.group(1)) + 1, OLDEST) if m.group(1) else (int(m.group(2)), OLDEST)


def _unaged(text: str) -> str:
    """The text without its open age groups («under 15», «eldre enn 29», «19 år eller yngre»)."""
    return UNDER_RE.sub(" ", OVER_RE.sub(" ", text))


def read_question(q: str) -> Ask:
    ranges = _ranges(q) + [(int(a), int(b)) for a, b in BETWEEN_RE.findall(q) if int(a) < int(b)]
    ranges += [r for m in TO_RE.finditer(q)
               if (r := (int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))))[0] < r[1]]
    rest = TO_RE.sub(" ", BETWEEN_RE.sub(" ", q))
    bare = [m for m in BARE_TO_RE.finditer(rest) if int(m.group(1)) < int(m.group(2))
            and (m.group(3) is None or m.group(3).lower() in STOPWORDS_NORWEGIAN)]
    ranges += [(int(m.group(1)), int(m.group(2))) for m in bare]
    for m in reversed(bare):
        rest = rest[: m.start()] + " " + rest[m.end():]
    rest = AGE_RANGE_RE.sub(" ", rest)
    neighbours = [m for m in NEIGHBOURS_RE.finditer(rest) if int(m.group(2)) == int(m.group(1)) + 1]
    ranges += [(int(m.group(1)), int(m.group(2))) for m in neighbours]
    for m in reversed(neighbours):
        rest = rest[: m.start()] + " " + rest[m.end():]
    for m in UNDER_RE.finditer(rest):
        ranges.append((0, int(m.group(1)) - 1) if m.group(1) else (0, int(m.group(2))))
    for m in OVER_RE.finditer(rest):
        ranges.append(upwards(m))
    rest = _unaged(rest)
    for m in AGE_RE.finditer(rest):
        if not YEAR_RE.fullmatch(m.group(1)):
            ranges.append((int(m.group(1)), int(m.group(1))))
    # «10-14 åringene»: the age group's word is no topic, in any inflection; nor are the words of an open age
    # group («eldre enn 29», «20 år eller eldre»)
    words = [w for w in QUERY_TOKEN_RE.findall(YEARS_OLD_RE.sub(" ", _unaged(q)).lower()) if not any(c.isdigit() for c in w) and not AGE_WORD_RE.fullmatch(w)]
    # groups inside another group asked for are its parts when the question says they add up («under 18 …
    # (14-15 og 16-17 sammenlagt)»); else each is asked for («10-17 åringer, hvor mange var 10-14 år»)
    if SUMMED.search(q):
        ranges = [r for r in ranges if not any(o != r and o[0] <= r[0] and r[1] <= o[1] for o in ranges)]
    return Ask(q, words, YEAR_RE.findall(q), ranges, bool(AGGREGATE.search(q)),
               bool(SERIES.search(q)), bool(RANK.search(q)) and bool(re.search(r"\b(hv(ilke[nt]?|a)|når)\b", q, re.I)),
               bool(PERCENT.search(q)))


@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="nb").lower()


def is_national(word: str) -> bool:
    """«landet», «nasjonalt», «Norge»: the whole country, in the words the text answerer's scope uses,
    compared as lemmas too («nasjonale», «landet»)."""
    w = word.lower()
    return w in COUNTRY or _lemma(w) in _country_lemmas()


@lru_cache(maxsize=1)
def _country_lemmas() -> frozenset[str]:
    return frozenset(_lemma(w) for w in COUNTRY)


def is_participle(word: str) -> bool:
    """«anmeldt», «registrert», «undersøkt»: says what happened to the counted, not what they are."""
    lemma = _lemma(word)
    if lemma == word or word in (lemma + "et", lemma + "en", lemma + "er", lemma + "a"):
        return False
    return word.endswith(("t", "te", "de", "dd")) and lemma[-1:] in "aeiouyæøå"


def _range_fits(asked: tuple[int, int], have: tuple[int, int]) -> bool:
    """The asked group is the table's group; an open group is the youngest or oldest group ending where it
    ends: «under 15» is 10-14 and «over 14» is 15-17, but «under 16» is not 10-14 (it leaves out 15)."""
    lo, hi = asked
    if lo == 0:
        return have[1] == hi
    if hi == OLDEST:
        return have[0] == lo
    return have == asked

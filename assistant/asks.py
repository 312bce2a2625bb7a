"""The kind of answer a question wants, when its form says so: a time, a price, a phone number, an
e-mail or a street address. «Hva koster temakvelden?» is not answered by a sentence that describes
the evening without a price; the documents mention the topic but do not hold what is asked.

Each kind is the Norwegian way of asking for it and the shape such an answer has in any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .mention import spells
from .norwegian import specificity
from .terms import STOP_WORDS

_MONTHS = "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
_DAYS = "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|helg|helgen|helger|hverdag|hverdager"
# a clock time or range («kl. 18», «18:30», «18-22»), not an age group («12-23 år», «13-20-åringer»)
_CLOCK = r"\bkl\.?\s*\d|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[-–]\s*\d{1,2}\b(?!\s*-?(?:år|åring))"
# a sentence saying there is no figure to give («det finnes dermed ikke statistikk for …»)
_NO_FIGURE = r"\b(?:finnes|fins|foreligger)\s+(?:\w+\s+){0,2}?ikke\s+(?:\w+\s+)?(?:statistikk|tall|data|oversikt)\b"
_SEASONS = r"morgen|morgenen|formiddag|formiddagen|ettermiddag|ettermiddagen|kveldstid|natt|natten|nattestid|midnatt|høst|høsten|vår|våren|sommer|sommeren|vinter|vinteren|jul|julen|påske|påsken|kveld|kvelder|kvelden|uke|uker|ukentlig|daglig|måned|måneder|årlig|skoleår|skoleåret|semester"


_NUMBER = r"\d+|en|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|femten|tjue|hundre|tusen"
# «en», «ett», «to», «ni», «ti» are also everyday words; alone they are no count
# a year («i 2024»), a footnote glued to a word («normaliseres.12») or an ordinal («9. trinn») counts nothing
_COUNT = r"(?<![.,])(?!(?:19|20)\d\d\b)\d+(?!\.\s*[a-zæøå])|tre|fire|fem|seks|sju|syv|åtte|elleve|tolv|femten|tjue|hundre|tusen|halvparten|flertallet"


# a clock time or a day or evening: when something is open
_OPENING_HOURS = rf"{_CLOCK}|\b({_DAYS}|kveld|kvelder|kveldstid)\b"


STEM_LETTERS = 5    # letters a word of the question and the text must share to be the same word («kniv», «knivbæring»)
PENALTY_SPAN = 8    # words between a penalty and what it is for («… straffes med bot for knivbæring»)


@dataclass(frozen=True)
class Want:
    kind: str              # how the refusal names what is missing («åpningstider»)
    asked: re.Pattern      # the question asks for it
    shape: re.Pattern      # a text that holds it
    of: re.Pattern | None = None   # what is counted («hvor mange skoler»): a count of something else is no answer
    # the documents may name what is counted in words of their own («tiendeklassinger»); a role asked
    # about by name («hvem er rektor ved …») they must name
    own_words: bool = True
    beside: re.Pattern | None = None   # the count stands next to what it counts

    def missing(self) -> str:
        if not self.own_words:
            return f"Dokumentene oppgir ikke {self.kind}."
        return f"Dokumentene oppgir ikke {self.kind} for dette."


WANTS = (
    Want("telefonnummer", re.compile(r"\b(telefon\w*|tlf|mobilnummer\w*|nummeret)\b", re.I),
         re.compile(r"\b(?!(?:19|20)\d\d\s(?:19|20)\d\d\b)(\d{2}\s?\d{2}\s?\d{2}\s?\d{2}|\d{3}\s?\d{2}\s?\d{3})\b")),
    Want("e-postadresse", re.compile(r"\b(e-?post\w*|e-?mail\w*|mailadresse\w*)\b", re.I),
         re.compile(r"\S@\S")),
    # «adressa» too; not «de med adresse i Bærum», who are counted by where they live
    Want("adresse", re.compile(r"(?<!med )\b(adress[ea]\w*|besøksadress[ea]\w*)\b|\bmed\s+adress[ea]\w*\b(?!\s+i\b)", re.I),
         re.compile(r"\b\w+(vei|veien|gate|gata|gaten|plass|torg|torget|allé)\s+\d+|\b\d{4}\s+[A-ZÆØÅ]\w+")),
    Want("pris", re.compile(r"\b(kost(?:e|er|et|a)?|kostnad\w*|pris\w*|egenandel\w*|betale)\b", re.I),   # «hvor mye kostet»
         re.compile(r"\b(kr|kroner|nok|gratis|kostnadsfri\w*|egenandel\w*|millioner|mill)\b|\d+\s*,-", re.I)),
    # «hvor mye penger bruker kommunen på …», «hvor mye midler fikk de», a budget: an amount of money
    # … and what one gets («hvor mye kan man få i fritidsstipend», «hvor mye får en»)
    Want("beløp", re.compile(r"\bhvor\s+mye\s+(penger|midler|kroner)\b|\bbeløp\w*|\bbudsjett\w*"
                             r"|\bhvor\s+mye\s+(?:kan\s+(?:man|jeg|vi|en|du|de|dere)\b(?!\s+(?!få\b)\w)"
                             r"|får\s+(?:man|jeg|vi|en|du|de|dere)\b)"
                             # pay: «hvor mye får ungdom betalt», «lønna»
                             r"|\bhvor\s+mye\s+(?:\S+\s+){0,3}?betalt\b|\blønn(?:a|en|inga|ingen)?\b", re.I),
         re.compile(r"\b(kr|kroner|nok|millioner|mill|milliarder)\b|\d+\s*,-", re.I)),
    # «hva er straffen for …», «strafferammen for …»: a penalty (a fine, prison, a named sentence)
    Want("straff", re.compile(r"\b(hva|hvilken|hvor\s+stor)\s+(er\s+)?straff(en)?\b|\bstrafferamme\w*", re.I),
         re.compile(r"\b(\w*fengsel\w*|bot|bøter|forelegg\w*|\w+straff(en|er|ene)?|straffes\s+med)\b", re.I)),
    # «hvordan/hvor søker jeg (om) …», «hvordan melder man seg på», «hvordan sender jeg en bekymringsmelding»; not
    # «hvordan søker vi hjelp», «hvordan melder jeg en bekymring», which ask for help
    Want("framgangsmåte",
         re.compile(r"\b(?:hvordan|hvor)\s+(?:søker|søke)\b(?!(?:\s+\S+){0,4}?\s+(?:hjelp|råd|veiledning|støtte)\b)"
                    r"|\bhvordan\s+(?:melder|melde)\s+(?:\S+\s+)?(?:seg|meg|deg|oss|dere)\s+på\b"
                    r"|\bhvordan\s+melder\s+(?:man|jeg|vi|du|dere)\s+på\b"
                    # joining: «hvordan kan man bli med», «hvordan kan jeg være med», «hvordan blir vi med» (not
                    # «hvordan kan du med sikkerhet si …»)
                    r"|\bhvordan\s+(?:kan|blir)\s+(?:jeg|man|vi|du|en|dere)\s+(?:bli\s+|være\s+)med\b"
                    r"|\bhvordan\s+blir\s+(?:jeg|man|vi|du|en|dere)\s+med\b"
                    r"|\bhvordan\s+(?:sender|leverer)\s+(?:jeg|man|vi|dere|en)\b", re.I),
         re.compile(r"\bsøknad\w*|\bpåmeld\w*|\bmeld(e|er|es)\s+(seg\s+|deg\s+|dere\s+)?på\b|\bsøke(s|r)?\s+(om|på)\b"
                    r"|\bhenvis\w*|\bhenvend\w*|\bta\s+kontakt\b", re.I)),
    # who made or runs it: «hvem står bak spør først», «hvem har laget opplegget», «hvem driver klubben»; a
    # text says it with a participle and «av» or «i regi av» («utarbeidet av Helsestasjon for …»), or with
    # the verb that made or runs it and its maker («I tillegg etablerte Røde kors en familiekafe»)
    Want("hvem som står bak", re.compile(r"\bhvem\s+(?:står\s+bak|har\s+(?:laget|lagd|utviklet|utarbeidet)"
                                         r"|lagde|laget|utviklet|utarbeidet|driver|drifter|eier|arrangerer)\b", re.I),
         re.compile(r"\b(?:\w+et|\w+es|laget|lagd|drevet|drives|eies)\s+av\b|\bi\s+regi\s+av\b|\bstår\s+bak\b"
                    r"|\b(?:etablerte|startet|opprettet|driver|drifter|arrangerer|arrangerte|utviklet)\s+(?-i:[A-ZÆØÅ])"
                    r"|\bsamarbeid\s+(?:mellom|med)\b", re.I)),
    # «åpningstidene», «når har klubben åpent», «når er de åpne»
    Want("åpningstider", re.compile(r"\båpningstid\w*|\b(når|hvor\s+lenge)\s+(har|holder|er)\s+(\S+\s+){0,4}?(åpen|åpent|åpne)\b",
                                    re.I),
         re.compile(_OPENING_HOURS, re.I)),
    # … or as yes or no: «har mottaket åpent hele døgnet?» (not «… åpent for alle», which asks for whom)
    Want("åpningstider", re.compile(r"^\W*har\s+(\S+\s+){1,4}?åpent\b(?!\s+for\b)", re.I),
         re.compile(rf"{_OPENING_HOURS}|\bdøgn\w*", re.I)),
    Want("hvor ofte", re.compile(r"\bhvor\s+ofte\b", re.I),
         re.compile(r"\b(hver|hvert|annenhver|ukentlig\w*|månedlig\w*|daglig\w*|årlig\w*|jevnlig\w*)\b"
                    r"|\b\d+\s*(ganger|gang)\b"
                    # «fire møter per år», «to ganger i måneden»
                    r"|\bper\s+(år|uke|måned|dag|kvartal|halvår|semester)\b|\bi\s+(året|uka|uken|måneden|døgnet)\b", re.I)),
    Want("hvor lenge", re.compile(r"\bhvor\s+lenge\b", re.I),
         # «i tre år», or until when: «til slutten av 2025», «ut juni 2025» (not «fra 2023 til 2024», nor an
         # age: «over 16 år», though «i over tre år» is a duration)
         re.compile(rf"\b({_NUMBER})\s+(måned|måneder|uke|uker|dag|dager|timer?|semester)\b"
                    rf"|\bi\s+(?:over|under)\s+({_NUMBER})\s+år\b|(?<!over )(?<!under )\b({_NUMBER})\s+år\b"
                    rf"|(?<!\d\d\d\d )\b(til|ut)\s+((slutten|utgangen)\s+av\s+)?(({_MONTHS})\s+)?(19|20)\d{{2}}\b", re.I)),
    # «hvor stort er fritidsstipendet», «hvor stor andel»: a quantity, so a number (not «hvor mye støtte får
    # foreldre»: much, not a number)
    Want("tall", re.compile(r"\bhvor\s+(stor|stort|store|høy|høyt|høye)\b", re.I),
         re.compile(rf"\b({_COUNT}|to|ni|ti|prosent\w*|dobbelt\w*)\b|%", re.I)),
    # … or says there is none to give («det finnes dermed ikke statistikk for antall saker»)
    Want("antall", re.compile(r"\b(hvor\s+mange|antall(et)?)\b", re.I),
         re.compile(rf"\b({_COUNT})\b|{_NO_FIGURE}", re.I)),
    # «hvilken dag og klokkeslett», «hvilke dager»: a weekday, a date or a clock time, not a season
    Want("dag eller klokkeslett", re.compile(r"\bhvilke[nt]?\s+(dag|dager|ukedag\w*|kveld|kvelder|klokkeslett)\b|\bklokkeslett\b", re.I),
         # a clock time written as one («kl. 18», «18:30»; not «13-20», an age group, nor «3.12», a section)
         # («30.10.24», «18.00–21.00» count, as a date and a clock range)
         re.compile(rf"\bkl\.?\s*\d|\b\d{{1,2}}:\d{{2}}\b|\b({_DAYS})\b|\b\d{{1,2}}\.\s*({_MONTHS})"
                    r"|\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b|\b\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}\b", re.I)),
    # «Når …?» first: a time of any grain, from a date to a season or «hver uke».
    Want("tidspunkt", re.compile(r"^\W*(?:fra\s+|til\s+|siden\s+)?når\b", re.I),
         re.compile(rf"\b(19|20)\d{{2}}\b|\b({_MONTHS}|{_DAYS}|{_SEASONS})\b|{_CLOCK}|\b\d{{1,2}}\.\s*({_MONTHS})", re.I)),
)


# A sentence saying what something is for: «Formålet med programmet er …», «… har som hovedmål å …»
AIM_RE = re.compile(r"^(?:\S+\s+){0,2}?(formålet|hensikten|(?:hoved|del|over)?målet|målsettingen)\b"
                    r"|\bhar\s+(?:også\s+)?(?:til|som)\s+(?:hensikt|formål|(?:hoved|del|over)?mål)\b", re.IGNORECASE)
# «hva er egentlig poenget med det utsett møtet», «hva er hovedmålet med …»: what it is for. Soft: the
# sentence saying it comes first when one ranks near the best; else the answer as usual (an aim may be
# said in other words), so it is no WANTS entry
AIM = Want("formål", re.compile(r"\b(?:poenget|vitsen|meningen|formål(?:et)?|hensikt(?:en)?|(?:hoved|del|over)?målet"
                                r"|målsettingen)\s+med\b", re.IGNORECASE), AIM_RE)


# «for hvilke trinn er det», «hvilken alder», «hvor gamle må de være»: a school year or an age. Soft like AIM:
# the documents may say it in words («ungdomsskolen», «alle elever»)
GRADE = Want("trinn eller alder", re.compile(r"\bhvilke[nt]?\s+(?:\S+\s+)?(?:trinn|klasse\w*|klassetrinn\w*|alder\w*|aldre\w*|aldersgrupp\w*|årskull\w*)\b"
                                            r"|\bhvor\s+gaml[ea]\b|\bhva\s+slags\s+alder\b", re.IGNORECASE),
             re.compile(r"\b\d{1,2}\.\s*(?:[-–]\s*\d{1,2}\.\s*|(?:og|til)\s+\d{1,2}\.\s*)?(?:trinn|klasse)"
                        r"|\b\d{1,2}\s*(?:[-–]|til)\s*\d{1,2}\s*år|\b(?:under|over|fra)\s+\d{1,2}\s*år", re.IGNORECASE))


# «hvordan ble tiltaket vurdert», «hva viste evalueringen av …», «er det evaluert»: the verdict of an evaluation.
# Soft like GRADE: a sentence in the best passage's section saying how it was judged («Tiltaket er i hovedsak
# vurdert som positivt») comes along; none is no refusal (a verdict may be told in other words)
EVALUATED = Want("vurdering", re.compile(r"\bhvordan\s+(?:ble|er|har)\s+(?:\S+\s+){0,10}?(?:vurdert|evaluert|opplevd)\b"
                                        r"|\bhva\s+(?:viste|sa|sier|viser)\s+(?:\S+\s+){0,3}?evaluering\w*", re.IGNORECASE),
                 re.compile(r"\b(?:vurdert|evaluert|oppleves|opplevd)\s+(?:som|til)\b|\bpositiv\w*|\bnyttig\w*"
                            r"|\bfornøyd\w*", re.IGNORECASE))


# «hvor skal vi dra», «hvor sender vi henne for undersøkelse», «hvor holder de til»: a place to go. Soft like
# AIM: a passage that names a place the question does not is lifted, and none is no refusal.
PLACE_ASKED_RE = re.compile(
    r"\bhvor\s+(?:(?:skal|kan|bør|må|blir)\s+(?:\S+\s+){1,3}?(?:dra|reise|sendes|sendt|henvises|henvist|undersøk\w*)"
    r"|(?:sender|henviser|drar)\s+(?:vi|jeg|man|dere|de)|(?:ligger|holder)\s+(?:\S+\s+){0,3}?til\b|ligger\b)",
    re.IGNORECASE)
# a place named after a preposition, one the documents write as a name («ved legevakten på Drammen sykehus»,
# «På Wøyen Mølle»)
_PLACE = r"(?:(?<![\w.])(?:ved|på|hos|til|i)|(?<![^.!?]\s)(?:Ved|På|Hos|I))\s+(?:[a-zæøå]+\s+){{0,3}}?(?:{names})\b"


def place_wanted(question: str, names: set[str]) -> Want | None:
    """A question asking where to go wants a place: one of the names the documents write (as they write
    them, «Drammen»; not their own municipality) that the question does not name itself («vi bor i bærum»)."""
    if not PLACE_ASKED_RE.search(question):
        return None
    asked = set(re.findall(r"[a-zæøå]{3,}", question.lower()))
    # a place is written as a word with a capital («Drammen»), not in capitals («NKS», an organisation)
    named = sorted((re.escape(n) for n in names if n.lower() not in asked and re.fullmatch(r"[A-ZÆØÅ][a-zæøå]{2,}", n)),
                   key=len, reverse=True)
    return Want("sted", PLACE_ASKED_RE, re.compile(_PLACE.format(names="|".join(named)))) if named else None


# «Hva står SLT for?», «hva står forkortelsen BTI for»: the answer spells the letters out as capitalised words.
SPELLING_WORD = 3   # a capitalised word that spells a letter is no shorter («By Københavns» spells no «BK»)
ACRONYM_RE = re.compile(r"\bstår\s+(?:forkortelsen\s+|bokstavene\s+)?([A-Za-zÆØÅæøå]{2,6})\s+for\b", re.I)


@dataclass(frozen=True)
class Expansion:
    acronym: str

    def missing(self) -> str:
        return f"Dokumentene sier ikke hva «{self.acronym}» står for."

    def found(self, text: str) -> bool:
        """The words just before it in parentheses, whatever their case, whose initials spell all its letters but at
        most one («Psykisk helse barn, unge med familie (PHBUF)», «rådgivende enhet for russaker (REN)»); the words
        after «X =»; or capitalised words close together in one sentence whose initials spell it, in order."""
        letters = self.acronym.lower()
        for m in re.finditer(rf"\(\s*{re.escape(self.acronym)}\s*\)", text, re.I):
            before = re.findall(r"[\wæøåÆØÅ]+", text[: m.start()])[-3 * len(letters):]
            initials = [w[0].lower() for w in before]
            if any(c == letters[0] and _spelled(initials[k:], letters) >= max(2, len(letters) - 1)
                   for k, c in enumerate(initials)):
                return True
            # … or, as many words as it has letters, spell it inside compounds («det kriminalitetsforebyggende
            # råd (KRÅD)»)
            if spells(text[: m.start()], self.acronym, span=len(letters)):
                return True
        # … or defined with «=» («OPD = Oslo politidistrikt, BK= Bærum kommune»): the words right after it
        for m in re.finditer(rf"\b{re.escape(self.acronym)}\s*=\s*", text):
            after = " ".join(re.findall(r"[\wæøåÆØÅ]+", text[m.end():])[:len(letters)])
            if spells(after, self.acronym, span=len(letters)) and after[:1].lower() == letters[0]:
                return True
        # capitalised words of one sentence («… Bærum. Gjennomgående bar tiltakene i København …» spells no «BK»)
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = re.findall(r"[\wæøåÆØÅ]+", sentence)
            for i, w in enumerate(words):
                if not w[:1].isupper() or w[0].lower() != letters[0] or len(w) < SPELLING_WORD:
                    continue
                got, j = 1, i + 1
                while got < len(letters) and j < len(words) and j - i <= 3 * len(letters):
                    if words[j][:1].isupper() and words[j][0].lower() == letters[got] and len(words[j]) >= SPELLING_WORD:
                        got += 1
                    j += 1
                if got == len(letters):
                    return True
        return False


def _spelled(initials: list[str], letters: str) -> int:
    """How many of the letters the initials spell, in order, either skipping any (the longest common
    subsequence)."""
    row = [0] * (len(letters) + 1)
    for c in initials:
        prev = row[:]
        for j, letter in enumerate(letters, 1):
            row[j] = prev[j - 1] + 1 if c == letter else max(prev[j], row[j - 1])
    return row[-1]


_NOT_COUNTED = {"flere", "færre", "mange", "ganger"}   # «hvor mange flere …» counts what follows, or a time
HOW_MANY_RE = re.compile(r"\bhvor\s+mange\s+([\wæøå-]{3,})", re.I)
_SMALL = r"en|ett|ei|to|ni|ti"
NEAR_COUNT = 2   # words between a count and what it counts («53 av ungdommene», «Individsaker (…) 46»;
                 # not «to deler og et foreldremøte»); an aside in parentheses counts as one
ENDING = 4      # letters an inflected ending may add to a word («ungdom» – «ungdommene»)
_NO_AGE = r"(?!\s+år\b|\s*(?:og|til|-|–)\s*\d+\s+år\b)"   # «13 år», «mellom 13 og 18 år» are ages
_BETWEEN = rf"(?:(?:\([^)]*\)|[^\s.!?]+)\s+){{0,{NEAR_COUNT}}}?"   # within the sentence
RELATIVE_CLAUSE = 8   # words of a clause between what is counted and its count («Overgrep som har funnet sted i
                     # Bærum var 22.»: a number after «var» ending the sentence counts)
_CLAUSE = rf"(?:[^\s.!?]+\s+){{0,{RELATIVE_CLAUSE}}}?"


# «hvem er rektor ved …», «hvem var nestleder i …»: the person in a role
# … a role is a noun in the indefinite («rektor», «nestleder», «SLT-koordinatorer»); not a participle or an
# adjective («involvert», «utsatt», «ansvarlig», «aktuelle») nor a definite group («målgruppen», «tiltaket»)
NOT_A_ROLE_RE = re.compile(r"(t|e|ig|en|et)$", re.I)
WHO_ROLE_RE = re.compile(r"\bhvem\s+(?:er|var)\s+([\wæøå-]{3,})\s+(?:i|ved|på|for|til|hos|av)\b(.*)", re.I)
# «hva heter koordinatoren i …», «hva heter lederen for …»: the name of the person in a role
NAME_ROLE_RE = re.compile(r"\bhva\s+(?:heter|het)\s+([\wæøå-]{3,})\s+(?:i|ved|på|for|til|hos|av)\b(.*)", re.I)
# «hva heter tryggby koordinatoren»: what the role is in, written before it
# («hva heter programmet utekontakten bruker» asks no person's name: the role ends the clause)
NAMED_ROLE_RE = re.compile(r"\bhva\s+(?:heter|het)\s+([\wæøå-]{3,})\s+([\wæøå-]{3,})"
                           r"(?=\s*(?:$|[?!.,;:–]|\s-\s|\s(?:og|i|ved|på|for|til|hos)\b))", re.I)
# «hvem leder konsultasjonsteamet», «hvem koordinerer arbeidet»: the role as a verb; its noun shares the
# verb's first letters («leder», «ledes av», «koordinator»). Only as the question («… og hvem leder dem»
# is the second of two, which the first part's passages may answer)
_LEADS = r"led(?:er|et|a)|koordiner(?:er|te)"
WHO_LEADS_RE = re.compile(rf"^\W*hvem\s+({_LEADS})\s+(.*)", re.I)
# the noun or passive forms a text names such a role with: «leder», «Styreleder», «ledes av», «ledelse»
# (not «veiledning», «veileder», «anledning», nor «har ledet til»); «koordinator», «koordineres»
LEADING = {"led": r"[\w-]*(?<!vei)leder\w*|led(?:es|else\w*)\b|ledet\s+av\b", "koordiner": r"[\w-]*koordin\w*"}
# a person, in the definite singular: «koordinatoren», «lederen», «kontaktpersonen»; not «programmet», nor
# a plural («fritidsklubber»)
AGENT_RE = re.compile(r"(?:or|ør|er|ist|ent|ant|sjef|person|kontakt)en$", re.I)
# a first name («Anne-Lise» too) and a last name
PERSON_RE = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?\s+[A-ZÆØÅ][a-zæøåé]+")
NEAR_PERSON = 3   # words between a role and the name of the person in it («Koordinatoren i prosjektet er Kari
                  # Nordmann»; not «… samarbeider med Nordic Safe Cities»)
IN_WHAT = 0.25   # what a role is in is no word as common as «egentlig» or «nå» (wordfreq), though it may be
                 # an everyday noun written apart from the role («prosjekt koordinatoren»)
OF_WHAT = 6   # first letters of what the role is in («utekontakten» as «Utekontakten», «utekontakt»)


def _role(question: str, m: re.Match, asked_re: re.Pattern, shape: re.Pattern, role_group: int = 1,
          where_group: int = 2, role_re: str = "", verb: bool = False) -> Want:
    """A passage that does not name the role does not say who holds it (the role's first letters,
    alone or ending a compound: «koordinatorene», «Styreleder»; role_re: how a text names it); nor one
    that does not name what the role is in: the chair of the board is no head of the youth outreach
    service."""
    role = m.group(role_group).lower().rsplit("-", 1)[-1]
    role_re = role_re or rf"[\w-]*{re.escape(role[:STEM_LETTERS])}\w*"
    where = next((w for w in re.findall(r"[\wæøå-]{3,}", m.group(where_group).lower()) if w not in STOP_WORDS), "")
    # a compound with a hyphen by its first part («SLT-arbeidet» in «SLT modellen ledes av …»)
    head = where.split("-")[0]
    where = head if len(head) >= 2 else where
    # the first letters of what it is in, short of a definite ending («skolen» as «skole»)
    inside = rf"(?=.*\b{re.escape(where[:max(3, min(OF_WHAT, len(where) - 2))])})" if where else ""
    named = re.compile(rf"^(?=.*\b(?:{role_re})){inside}", re.I | re.S)
    # a name asked for stands beside the role, not anywhere in the passage («Nordic Safe Cities»)
    near = rf"(?:[^\s.!?]+\s+){{0,{NEAR_PERSON}}}?"
    role_word = rf"(?i:\b(?:{role_re}))"
    beside = re.compile(rf"{role_word}[^\w.!?]+{near}{shape.pattern}|{shape.pattern}[^\w.!?]+{near}{role_word}") \
        if shape is PERSON_RE else None
    # «leder for utekontakten», to the end of the clause («… i bærum – hvem ringer jeg» ends before «–»)
    asked = re.split(r"\s*[?!.,;:–]|\s+-\s+|\s+og\s+", question[m.start(1):])[0]
    return Want(f"hvem som {'' if verb else 'er '}{asked}", asked_re, shape, named, own_words=False, beside=beside)


# the words that ask for the person in a role: «hvem er», «hva heter», «hvem leder»
ROLE_FORM_RE = re.compile(rf"\bhvem\s+(?:er|var|{_LEADS})\b|\bhva\s+(?:heter|het)\b", re.I)


def without_form(question: str, later: str = "") -> str:
    """The question without the words that ask for a kind of detail («hvor mange», «hvilke dager»): its
    topic, for a later part of the same message to be searched with («…, og hvem henviste mest?» asks
    no count). A question for the person in a role keeps its form unless the later part asks in a form
    of its own: «hvem er nestleder i styret, og hvilken rolle har hun» still speaks of that person, «hvem
    leder styret og hvor ofte møtes de» asks how often."""
    for asked in (*(w.asked for w in WANTS), PLACE_ASKED_RE, GRADE.asked):
        question = asked.sub(" ", question)
    if later and wanted(later) is not None:
        question = ROLE_FORM_RE.sub(" ", AIM.asked.sub(" ", question))
    return re.sub(r"\s+", " ", question).strip()


def wanted(question: str) -> Want | Expansion | None:
    """The kind of answer the question's form asks for, if any."""
    m = ACRONYM_RE.search(question)
    if m and m.group(1).lower() not in STOP_WORDS:   # «Hvem står nå for …», «Hva står du for?»
        return Expansion(m.group(1))
    m = WHO_ROLE_RE.search(question)
    if m and m.group(1).lower() not in STOP_WORDS and not NOT_A_ROLE_RE.search(m.group(1)):
        return _role(question, m, WHO_ROLE_RE, re.compile(r"\S"))
    m = NAME_ROLE_RE.search(question)
    if m and m.group(1).lower() not in STOP_WORDS and AGENT_RE.search(m.group(1)):
        return _role(question, m, NAME_ROLE_RE, PERSON_RE)
    m = NAMED_ROLE_RE.search(question)
    if m and m.group(1).lower() not in STOP_WORDS and AGENT_RE.search(m.group(2)) and specificity(m.group(1)) >= IN_WHAT:
        return _role(question, m, NAMED_ROLE_RE, PERSON_RE, role_group=2, where_group=1)
    m = WHO_LEADS_RE.search(question)
    if m:
        verb = "led" if m.group(1).lower().startswith("led") else "koordiner"
        return _role(question, m, WHO_LEADS_RE, re.compile(r"\S"), role_re=LEADING[verb], verb=True)
    want = next((w for w in WANTS if w.asked.search(question)), None)
    if want is not None and want.kind == "straff":
        # a penalty for what the question names («straffen … tatt med kniv»), said next to it, not one said of
        # something else in the same passage («… voldssaker …; … gapet mellom barnevernstilbud og fengselsstraff»)
        words = [w for w in re.findall(r"[a-zæøå]{4,}", want.asked.sub(" ", question.lower())) if w not in STOP_WORDS]
        offence = max(words, key=specificity, default=None)
        if offence is None:
            return want
        named = rf"\b\w*{re.escape(offence[:STEM_LETTERS])}\w*"
        penalty = want.shape.pattern
        near = rf"(?:\W+\w+){{0,{PENALTY_SPAN}}}?\W+"
        return replace(want, shape=re.compile(rf"{penalty}{near}{named}|{named}{near}{penalty}", re.I))
    counted = HOW_MANY_RE.search(question)
    if want is not None and want.kind == "antall" and counted:
        # «hvor mange SLT-koordinatorer» is answered by «to SLT-koordinatorer»: a small number word
        # counts when the counted thing follows it
        word = counted.group(1).lower()
        stem = re.escape(word[:STEM_LETTERS])
        shape = re.compile(rf"{want.shape.pattern}|\b({_SMALL})\s+(\S+\s+)?{stem}", re.I)
        if word in STOP_WORDS or word in _NOT_COUNTED:
            of = None                             # «hvor mange som …», «hvor mange flere …»
        elif word.startswith("prosent"):
            of = re.compile(r"\d\s*%|prosent", re.I)
        else:                                     # what it counts is named in the passage
            of = re.compile(stem, re.I)
        kind = f"antall {word}" if of is not None and not word.startswith("prosent") else want.kind
        # what it counts is named next to the count («seks ungdommer», «elever: 120»), not only somewhere in
        # the passage («Ungdomsstraff kan vare i inntil tre år»): the counted word, also as the last part of
        # a compound («10 ungdomsskoler» counts «skoler»), with an ending of its own but not the start of
        # another word («barnevernstjenester» is no «barn»)
        noun = rf"\b[\w-]*{stem}\w{{0,{len(word) - STEM_LETTERS + ENDING}}}\b"
        beside = None if of is None or word.startswith("prosent") else re.compile(
            rf"\b(?:{_COUNT}|to|ni|ti){_NO_AGE}[^\w.!?]+{_BETWEEN}{noun}"
            rf"|{noun}[^\w.!?]+{_BETWEEN}(?:(?:19|20)\d\d\s+)*\b(?:{_COUNT})\b{_NO_AGE}"
            rf"|{noun}\s+som\s+{_CLAUSE}(?:var|er|ble|utgjorde)\s+(?:(?!(?:19|20)\d\d\b)\d+(?![.,]\d)|{_COUNT})\b{_NO_AGE}|{_NO_FIGURE}", re.I)
        return Want(kind, want.asked, shape, of, beside=beside)   # «Dokumentene oppgir ikke antall elever for dette.»
    return want


# the number of the label a row opens with («Tiltak 9 Foreldreforedraget», «Mål 3 Trygg skolevei») says
# which one, not how many (not «Jenter 45 Gutter 30» inside a row)
_LABEL_NUMBER_RE = re.compile(r"^([A-ZÆØÅ][\wæøå]+\s+)\d+(?:\s*,\s*\d+)*(?=\s+[A-ZÆØÅ])")


def holds(want: Want | Expansion, text: str) -> bool:
    if isinstance(want, Expansion):
        return want.found(text)
    unlabelled = _LABEL_NUMBER_RE.sub(r"\1", text)
    if want.of is not None and want.beside is not None:
        return bool(want.beside.search(unlabelled)) and bool(want.of.search(text))
    return bool(want.shape.search(unlabelled)) and (want.of is None or bool(want.of.search(text)))

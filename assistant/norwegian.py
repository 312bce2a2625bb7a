"""Norwegian at large, from the language data that ships in PyPI packages: how common a word is
(wordfreq) and its lemma (simplemma). The documents say what their topics are; these say whether a
word the documents never use is everyday language («dattera», «livredd», «takk») or a topic of its
own («surdeigsbrød», «hovedstaden»).
"""

from __future__ import annotations

import re
from functools import lru_cache

LANG = "nb"
COMMON_ZIPF = 6.0   # a word this common (per billion words: 10^6) carries no topic at all
RARE_SPAN = 3.0     # from COMMON_ZIPF down by this much a word counts fully as a topic
TOPIC_WORD = 0.5    # a word at least this specific names a topic


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang=LANG).lower()


ENGLISH_MARGIN = 1.0   # a word this much more common in English than in Norwegian (zipf) is English
ENGLISH_SHARE = 2 / 3  # a message whose words are this often English is written in English
ENGLISH_WORDS = 3      # … and has at least this many of them («memes», «snap» alone are loans)


def in_english(text: str) -> bool:
    """The message is written in English («what does the municipality do about youth crime?»), by
    wordfreq's English and Norwegian frequencies of its words."""
    from wordfreq import zipf_frequency

    words = re.findall(r"[a-zæøå]{2,}", text.lower())
    english = [w for w in words if zipf_frequency(w, "en") - zipf(w) >= ENGLISH_MARGIN]
    return len(english) >= ENGLISH_WORDS and len(english) >= ENGLISH_SHARE * len(words)


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, LANG)


def known(word: str) -> bool:
    """Norwegian at large has the word: wordfreq lists it or its lemma. Its list goes down to words
    seen about once in a hundred million, so a word it lacks is a misspelling or a rare coinage."""
    return zipf(word) > 0 or zipf(lemma(word)) > 0


def specificity(word: str) -> float:
    """0–1: how much a word names a topic rather than being everyday language. The word and its lemma
    are both looked up, so an inflected everyday form («dattera») is as common as its lemma."""
    z = max(zipf(word), zipf(lemma(word)))
    return min(1.0, max(0.0, (COMMON_ZIPF - z) / RARE_SPAN))


_END_RE = re.compile(r"[.!?]+")
_WORD_RE = re.compile(r"[a-zæøåéü0-9]+")
TOPICAL = 0.5   # a sentence of the question with no word this specific is small talk («Takk!», «Svar kort.»)
TELLING = 1.0   # … or whose words' specificities add up to less than this
# A Norwegian yes/no question puts the verb before its subject: «finnes det …», «kan vi …», «har skolen …».
# (Not «du»: «Kan du svare kort.» asks the assistant for something, not about the topic.)
YES_NO_VERBS = r"finnes|fins|har|kan|er|blir|ble|var|får|skal|bør|må|gjør|vil|gjelder|hjelper|virker|fungerer"
YES_NO_SUBJECTS = r"det|de|dere|jeg|vi|man|noen|han|hun|den|kommunen|skolen|skolene|politiet"
YES_NO_RE = re.compile(rf"(?:{YES_NO_VERBS})\s+(?:{YES_NO_SUBJECTS})\b", re.IGNORECASE)
# A sentence opening this way asks, too («er dette vanlig nå», «gir kommunen noe støtte»); a message is not
# split before them, since «…, er dette …» also follows a clause («Når ungdom begynner å snuse, er dette vanlig?»)
_ALSO_ASKING_RE = re.compile(r"(?:er|var|blir|gir|tilbyr)\s+(?:dette|denne|disse|kommunen|skolen|politiet)\b"
                             r"|(?:gir|tilbyr)\s+(?:de|dere|noen|man)\b", re.IGNORECASE)
# «finnes det …», «har kommunen …», «gir skolen …»: whether there is something for it, which a measure
# answers; not «har det …» (what has happened), nor figures, plans or routines («finnes det tall på …»)
OFFER_RE = re.compile(r"\W*(?:(?:finnes|fins)\s+det|(?:har|gir|tilbyr)\s+(?:kommunen|skolen))\b"
                      r"(?!(?:\s+\S+){0,3}?\s+(?:tall|statistikk\w*|oversikt\w*|\w*plan\w*|rutine\w*|data)\b)",
                      re.IGNORECASE)
# A sentence opening with a question word, or as a yes/no question, asks something, though typed without
# a question mark.
_ASKING_RE = re.compile(rf"^(hva|ka|hvem|hvor|hvordan|korleis|hvorfor|når|hvilke[nt]?|{YES_NO_RE.pattern}"
                        rf"|{_ALSO_ASKING_RE.pattern})\b",
                        re.IGNORECASE)


_ORDINAL_RE = re.compile(r"(?<!\d)\d{1,2}$")   # «går i 10. klasse», «9. trinn»: a number with its full stop


def sentences(text: str) -> list[str]:
    """The text cut after each «.», «!» or «?», but not after an ordinal followed by a lower-case word («går i
    10. klasse»; but «har en gutt på 16. hvor mange …» asks anew)."""
    out, start = [], 0
    for m in _END_RE.finditer(text):
        rest = text[m.end():]
        if (m.group(0) == "." and _ORDINAL_RE.search(text[start:m.start()]) and re.match(r"\s+[a-zæøå]", rest)
                and not _ASKING_RE.match(rest.strip())):
            continue
        out.append(text[start:m.end()])
        start = m.end()
    out.append(text[start:])
    return [p.strip() for p in out if re.search(r"[^.!?\s]", p)]


def asks(sentence: str) -> bool:
    """The sentence is a question: it ends with «?» or opens as one («hvor får jeg hjelp», «finnes det …»)."""
    return sentence.rstrip().endswith("?") or bool(_ASKING_RE.match(sentence.strip()))


def _tells(sentence: str) -> bool:
    """The sentence says something about the topic: a specific word, or many fairly specific ones
    («Vi ønsker at lærerne blir flinkere til å fange opp elever som har opplevd vold …»)."""
    scores = [1.0 if w.isdigit() else specificity(w) for w in _WORD_RE.findall(sentence.lower())]
    return max(scores, default=0.0) >= TOPICAL or sum(scores) >= TELLING


def small_talk(text: str) -> bool:
    """No sentence of the text asks or says anything about a topic («takk», «hei», «ok, flott»)."""
    parts = sentences(text)
    return not any(asks(p) or _tells(p) for p in parts)


def topical(question: str) -> str:
    """The question without its small talk: a sentence that asks nothing and has only everyday words
    («Takk!», «Svar kort.», «Hei.») says nothing about the topic, so it is left out."""
    parts = sentences(question)
    if len(parts) < 2:
        return question
    keep = [p for p in parts if asks(p) or _tells(p)]
    return " ".join(keep) if keep else question


def asking(question: str) -> str:
    """The sentences of the question that ask («… når på døgnet skjer mest vold?»), without the ones
    that set the scene before them («sønnen min vil være ute til midnatt.»); the whole question when it
    is one sentence or none of its sentences asks."""
    parts = sentences(question)
    asked = [p for p in parts if asks(p)]
    return " ".join(asked) if asked and len(asked) < len(parts) else question

"""Misspelt question words are read as the report's words; real words and names it lacks stay themselves."""

from pathlib import Path

import pytest

from assistant.chat import Conversation
from assistant.loaders import load_document
from assistant.spelling import Speller
from assistant.structure import chunk_document
from assistant.terms import Vocabulary

REPORT = Path(__file__).resolve().parents[1] / "corpus" / "slt-arsrapport-baerum-2024.txt"


@pytest.fixture(scope="module")
def speller():
    return Speller(Vocabulary(chunk_document(load_document(REPORT))))


@pytest.mark.parametrize("written, read", [
    ("Hva gjør jeg ved mobbbing?", "Hva gjør jeg ved mobbing?"),                        # a letter too many
    ("Hva gjør jeg ved bekymring for radikalisring?", "Hva gjør jeg ved bekymring for radikalisering?"),
    ("Hvor mange anmedlelser for vold i 2024?", "Hvor mange anmeldelser for vold i 2024?"),  # swapped
    ("Hva er radkialsiering?", "Hva er radikalisering?"),                             # two edits, long word
    ("Hva er utset?", "Hva er utsett?"),                                               # five letters
    ("Hva er Utset?", "Hva er Utsett?"),                                               # a name keeps its capital
    ("Hvor mange mobbbingsaker?", "Hvor mange mobbingsaker?"),                         # one half of a compound
    ("Hva er SLT-mdoellen?", "Hva er SLT-modellen?"),
    ("sier rapporen noe om det", "sier rapporten noe om det"),                       # not «rap» + «poren»
    # a typo common enough for Norwegian at large to list, a hundred times rarer than the report's word
    ("hvor mange jenter ble regisrert som mistenkt", "hvor mange jenter ble registrert som mistenkt"),
])
def test_a_misspelt_word_is_read_as_the_report_word(speller, written, read):
    assert speller.correct(written) == read


@pytest.mark.parametrize("question", [
    "Hva gjør vi med katten på skolen?",         # a real word the report never uses
    "Han gjemmer seg i buskene",                  # a real word one edit from the report's «bussene»
    "Hvordan baker jeg surdeigsbrød?",
    "Hva gjør SLT i Ringerike?",                  # a municipality the report never names
    "Hva gjør SLT i Lunner og Molde?",            # municipalities one edit from «bunner», «holde»
    "Hvor mange anmeldelser for vodl?",           # too short to guess: «vold», «volt», «bold» …
    "Hva er elevsak?",                            # a compound of two report words
    "noen har delt memes i klassechatten",        # a compound of two Norwegian words, not in the report
    "de vaper i friminuttene",                    # «vape» is listed often enough to be a word, not «vaner»
    "hvor mange urapporterte lovbrudd er det",    # a rare word a first letter from its opposite
    "bilder av jenter i trusser i klassechatten",  # a rare word of its own, a letter from «trusler»
])
def test_real_words_names_and_short_words_stay_themselves(speller, question):
    assert speller.correct(question) == question
    assert speller.corrections(question) == []


def test_a_name_is_corrected_only_one_edit_and_to_a_name_when_tied(speller):
    assert speller.corrections("Hva er Utstt?") == [("Utstt", "utsett")]     # «utsatt» is as near, but no name
    assert speller.word("utstt") == "utsatt"                                   # lower case: the commoner word
    assert speller.word("radkialsiering", name=True) is None                 # two edits: not for a name


def test_a_misspelt_question_is_answered_and_says_what_was_searched(assistant):
    right = assistant.ask("Hva gjør jeg ved bekymring for radikalisering?")
    typo = assistant.ask("Hva gjør jeg ved bekymring for radikailsering?")
    assert not typo.refused and typo.answer == right.answer
    assert typo.searched == "Hva gjør jeg ved bekymring for radikalisering?"
    assert typo.figure is None and typo.citations[0].quote == right.citations[0].quote
    figure = assistant.ask("Hvor mange anmedlelser for vold i 2024?")
    assert figure.figure and figure.answer == assistant.ask("Hvor mange anmeldelser for vold i 2024?").answer


def test_a_misspelt_question_outside_the_report_is_still_refused(assistant):
    a = assistant.ask("Hvor mange innbgygere har Ringerike?")
    assert a.refused and "innbyggere" in a.searched and "Ringerike" in a.searched


def test_a_corrected_question_is_what_a_follow_up_builds_on(assistant):
    conv = Conversation()
    first = assistant.ask("Hvor mange anmedlelser for vold i 2024?", conv)
    assert first.figure and conv.anchor == "Hvor mange anmedlelser for vold i 2024?"
    second = assistant.ask("Og i 2023?", conv)
    assert second.searched == "Hvor mange anmeldelser for vold i 2023?" and second.figure


def test_the_cli_says_what_it_searched(report_index, capsys):
    from assistant.cli import main

    index = str(report_index[0].index_dir)
    assert main(["ask", "Hva er utset?", "--index", index]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(Søkte etter: Hva er utsett?)\n") and "Utsett! er et rusforebyggende" in out
    assert main(["search", "radikalisring", "--k", "1", "--index", index]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(Søkte etter: radikalisering)\n") and "adikalisering" in out
    assert main(["ask", "Hva er Utsett?", "--index", index]) == 0
    assert "Søkte etter" not in capsys.readouterr().out

"""Two questions in one are answered part by part."""

import re

from assistant.parts import join, split
from assistant.types import Answer, Citation


def test_a_question_is_split_where_a_new_question_word_starts():
    assert split("hvor ofte møtes gruppa og hvilke tjenester er med i den") == [
        "hvor ofte møtes gruppa?", "hvilke tjenester er med i den?"]
    assert split("rektor her. kan de komme? hva har de gjort før") == ["rektor her. kan de komme?",
                                                                       "hva har de gjort før?"]
    # one question: no second question word, «og» between nouns, or context before the only question
    assert split("Hvor mange jenter og gutter ble mistenkt i 2024?") == ["Hvor mange jenter og gutter ble mistenkt i 2024?"]
    assert split("Hvor kan foreldre få veiledning når ungdommen ruser seg?") == [
        "Hvor kan foreldre få veiledning når ungdommen ruser seg?"]
    assert len(split("noen har delt memes i chatten, og når vi tar det opp ler de. finnes det noe opplegg")) == 1
    # a topic named first, then asked about after a dash, is a first question of its own
    assert split("utsett for elever – hvilket trinn er det for og når skal alle skolene ha det") == [
        "utsett for elever – hvilket trinn er det for?", "når skal alle skolene ha det?"]
    # … or after a colon written right after it
    assert split("overgrepsmottaket 2024: hvor mange ble undersøkt og hvor mange av dem var 19 eller yngre") == [
        "overgrepsmottaket 2024: hvor mange ble undersøkt?", "hvor mange av dem var 19 eller yngre?"]


def test_a_question_before_a_difference_is_a_part_of_its_own():
    assert split("Hva er forskjellen på ungdomsoppfølging og ungdomsstraff?") == [
        "Hva er ungdomsoppfølging?", "Hva er ungdomsstraff?"]
    # «det» is what the first part names, which that part already asks about
    assert split("ungdomsstraff hvor lenge kan det vare og hva er forskjellen på det og ungdomsoppfølging") == [
        "ungdomsstraff hvor lenge kan det vare?", "Hva er ungdomsoppfølging?"]
    # nor is a question that leads into it, a scene with a question word in it, or «Og?» alone
    assert split("Kan noen forklare hva er forskjellen på ungdomsstraff og ungdomsoppfølging") == [
        "Hva er ungdomsstraff?", "Hva er ungdomsoppfølging?"]
    assert split("Vi vet ikke hvor mye sønnen vår ruser seg. Hva er forskjellen på ungdomsstraff og "
                 "ungdomsoppfølging") == ["Hva er ungdomsstraff?", "Hva er ungdomsoppfølging?"]
    assert split("Hvor lenge varer ungdomsstraff? Og hva er forskjellen på den og ungdomsoppfølging") == [
        "Hvor lenge varer ungdomsstraff?", "Hva er ungdomsoppfølging?"]
    # a scene told before the difference is no question
    assert split("Sønnen vår har fått en sak i konfliktrådet. Hva er forskjellen på ungdomsoppfølging og "
                 "ungdomsstraff?") == ["Hva er ungdomsoppfølging?", "Hva er ungdomsstraff?"]


def _cite(n, chunk):
    return Citation(n=n, document="D", section="S", page=None, table=None, quote=f"q{chunk}", chunk_id=chunk)


def test_joined_answers_number_their_sources_anew_and_list_a_shared_one_once():
    a = Answer("a?", "Første [1]. Andre [2].", False, [_cite(1, "x"), _cite(2, "y")], searched="a")
    b = Answer("b?", "Tredje [1]. Fjerde [2].", False, [_cite(1, "y"), _cite(2, "z")], searched="b")
    j = join("a og b?", [a, b])
    assert j.answer == "Første [1]. Andre [2].\n\nTredje [2]. Fjerde [3]."
    assert [(c.n, c.chunk_id) for c in j.citations] == [(1, "x"), (2, "y"), (3, "z")]
    assert not j.refused


def test_a_sentence_an_earlier_part_gave_is_not_repeated_nor_its_source_listed_again():
    a = Answer("a?", "Første [1]. Andre [2].", False, [_cite(1, "x"), _cite(2, "y")], searched="a")
    b = Answer("b?", "Andre [1]. Tredje [2].", False, [_cite(1, "z"), _cite(2, "w")], searched="b")
    j = join("a og b?", [a, b])
    assert j.answer == "Første [1]. Andre [2].\n\nTredje [3]."
    assert [(c.n, c.chunk_id) for c in j.citations] == [(1, "x"), (2, "y"), (3, "w")]


def test_a_list_whose_every_item_an_earlier_part_gave_loses_its_introduction_too():
    a = Answer("a?", "Dette kan hjelpe:\n• Utsett for foreldre [1].", False, [_cite(1, "x")], searched="a")
    b = Answer("b?", "Dette kan hjelpe:\n• Utsett for foreldre [1].\n\nMer: Tredje [2].", False,
               [_cite(1, "x"), _cite(2, "w")], searched="b")
    j = join("a og b?", [a, b])
    assert j.answer == "Dette kan hjelpe:\n• Utsett for foreldre [1].\n\nMer: Tredje [2]."


def test_each_part_of_a_double_question_is_answered(assistant):
    a = assistant.ask("hvor ofte møtes slt koordineringsgruppa og hvilke tjenester er med i den")
    assert not a.refused and "6. uke" in a.answer and "Barneverntjenesten" in a.answer
    assert all(f"[{c.n}]" in a.answer for c in a.citations)


def test_a_yes_no_question_after_og_or_a_comma_is_a_part_of_its_own():
    # a verb before its subject opens a Norwegian yes/no question
    assert split("hvilke dager er de ute og er det evaluert") == ["hvilke dager er de ute?", "er det evaluert?"]
    assert split("hvem sitter i teamet, er det noen fra psykiatrien der") == [
        "hvem sitter i teamet?", "er det noen fra psykiatrien der?"]
    # a verb without a subject after it goes on the same question
    assert len(split("hvem møter og er med i teamet")) == 1
    assert split("hvilken aldersgruppe er målgruppen, og gjelder det samme for radikalisering") == [
        "hvilken aldersgruppe er målgruppen?", "gjelder det samme for radikalisering?"]


def test_a_question_word_after_a_preposition_starts_a_part():
    assert split("Hva er Utsett, og for hvilke trinn er det?") == ["Hva er Utsett?", "for hvilke trinn er det?"]
    assert split("Hvem jobber i teamet og i hvilke bydeler?") == ["Hvem jobber i teamet?", "i hvilke bydeler?"]
    # a preposition opening a clause that asks nothing is no new part
    assert len(split("det er mye vold i bydelen, og for oss foreldre er det vanskelig")) == 1


def test_a_clause_that_has_it_hard_is_no_question_of_its_own():
    # «har det tøft» is «have a hard time»: «det» is no subject there
    assert len(split("hva kan gjøres for elever som blir mobbet og har det tøft hjemme")) == 1


def test_a_later_part_that_points_back_is_told_from_one_with_a_dummy_det():
    from assistant.pipeline import PRONOUN_RE

    assert PRONOUN_RE.search("er det evaluert?") and PRONOUN_RE.search("hvilke aldre dekker de?")
    assert not PRONOUN_RE.search("er det noen tiltak for foreldre?")
    assert not PRONOUN_RE.search("finnes det tilbud for søsken?")
    assert not PRONOUN_RE.search("hvor mange ungdommer er det i Bærum?")


def test_a_later_part_says_what_the_first_did_not():
    # both parts find the same defining sentence first; the second part goes on to the next passage
    # about it instead of repeating the first part's answer
    from types import SimpleNamespace

    from assistant.answer import Candidate, unsaid

    def cand(chunk, pos, score):
        return Candidate(SimpleNamespace(id=chunk), rank=0, pos=pos, text="", words="", score=score,
                         rank_score=score, coverage=score, meaning=0.0)

    best, next_, weak = cand("a", 0, 1.0), cand("a", 1, 0.7), cand("b", 0, 0.3)
    assert unsaid([best, next_, weak], frozenset()) == [best, next_, weak]
    assert unsaid([best, next_, weak], frozenset({("a", 0)})) == [next_, weak]
    # nothing new near the best: the part is answered by what was said, and the join drops the repeat
    assert unsaid([best, weak], frozenset({("a", 0)})) == [best, weak]


def test_a_double_question_repeats_no_sentence(assistant):
    a = assistant.ask("Hva er Utsett, og hvem er det ment for?")
    sentences = [s.strip() for s in re.split(r"\[\d+\]\.", a.answer) if s.strip()]
    assert not a.refused and len(sentences) >= 3
    assert len(set(sentences)) == len(sentences)
    # shown as searched: the question as asked (or corrected), not how each part was read
    assert a.searched == "Hva er Utsett, og hvem er det ment for?"
    assert assistant.ask("hva er utset og hvem er det ment for").searched == "hva er utsett og hvem er det ment for"


def test_a_later_part_ending_on_det_speaks_of_the_first_parts_topic(assistant):
    a = assistant.ask("Hva er Utsett, og for hvilke trinn er det?")
    assert not a.refused and a.citations
    # «det» is Utsett: no source about something else answers the second part
    assert all("Utsett" in c.quote for c in a.citations), [c.quote[:80] for c in a.citations]


def test_a_later_part_borrows_the_first_parts_topic_not_its_form(assistant):
    from assistant.asks import without_form

    assert without_form("hvor mange individsaker hadde ruskonsulentene i 2024") == "individsaker hadde ruskonsulentene i 2024"
    assert without_form("utekontakten feltarbeid, hvilke dager er de ute") == "utekontakten feltarbeid, er de ute"
    # the person in a role: kept when the later part speaks of that person, not when it asks a form of its own
    assert without_form("hvem er nestleder i styret", "hvilken rolle har hun") == "hvem er nestleder i styret"
    assert without_form("hvem leder SLT-styret", "hvor ofte møtes de") == "SLT-styret"
    a = assistant.ask("hvem leder SLT-styret og hvor ofte møtes de")
    assert "Lisbeth Hammer Krog" in a.answer and "fire møter per år" in a.answer, a.answer
    # «er det evaluert» asks no weekday: it is answered by the sentence about the evaluation
    a = assistant.ask("hvilke dager er utekontakten ute i felten, og er det evaluert")
    assert re.search(r"\bevaluert\b", a.answer) and "fredager" in a.answer, a.answer


def test_how_two_things_differ_is_asked_as_what_each_is(assistant):
    from assistant.parts import difference

    assert difference("Hva er forskjellen på ungdomsoppfølging og ungdomsstraff?") == [
        "Hva er ungdomsoppfølging?", "Hva er ungdomsstraff?"]
    # a word the two share is said with each
    assert difference("hva er forskjellen mellom selektert og indikert forebygging") == [
        "Hva er selektert forebygging?", "Hva er indikert forebygging?"]
    assert difference("Hva er Utsett?") is None
    a = assistant.ask("Sønnen vår på 15 har fått en sak i konfliktrådet. Hva er forskjellen på ungdomsoppfølging og "
                      "ungdomsstraff?")
    assert "opptil ett år" in a.answer and "inntil tre år" in a.answer, a.answer


def test_only_an_adjective_shares_the_noun_of_the_second_thing():
    from assistant.parts import difference

    assert difference("Hva er forskjellen på MST og Fact ung?") == ["Hva er MST?", "Hva er Fact ung?"]
    assert difference("Hva er forskjellen på utsett og utsett for elever?") == ["Hva er utsett?", "Hva er utsett for elever?"]


def test_after_a_question_mark_a_verb_before_its_subject_asks_again_but_a_verb_alone_tells():
    assert split("slt målgruppe alder? og gjelder samme aldersgrense for radikalisering") == [
        "slt målgruppe alder?", "gjelder samme aldersgrense for radikalisering?"]
    assert split("hva er utsett? og hvor kan jeg melde meg på") == ["hva er utsett?", "hvor kan jeg melde meg på?"]
    # no subject after the verb: the asker telling why they ask
    assert len(split("hva er telefonnummeret til ruskonsulentene? må ringe dem i dag")) == 1
    assert len(split("hvilke kvelder går natteravnene i sandvika? vil gjerne bli med")) == 1
    # nor a verb before an indefinite noun or «det»: the asker's situation
    assert len(split("hvor kan vi få hjelp? har en sønn på 15 som ruser seg")) == 1
    assert len(split("hva kan vi gjøre? har det tøft hjemme")) == 1


def test_a_later_part_is_searched_without_the_first_part_asking_where_or_for_which_grade():
    from assistant.asks import without_form
    assert without_form("noen sa vi kunne gå til støttesenteret, hvor ligger det") == "noen sa vi kunne gå til støttesenteret, det"
    assert "trinn" not in without_form("utsett for elever, for hvilke trinn er det")


def test_a_second_question_after_where_is_it_gets_its_own_answer(assistant):
    a = assistant.ask("noen sa vi kunne gå til støttesenteret, hvor ligger det og hjelper de med erstatning?")
    assert "Grønland" in a.answer and "voldserstatning" in a.answer


def test_a_later_part_asking_why_after_a_figure_is_answered_from_the_text(assistant):
    a = assistant.ask("Hvor mange butikktyverier var det i 2024, og hvorfor gikk det ned?")
    figure, why = a.answer.split("\n\n", 1)
    assert "69" in figure and "Tabell" in figure
    assert "Tabell 2 (antall anmeldelser) viser" not in why and len(a.citations) >= 2


def test_a_first_part_opening_with_antall_asks():
    """«antall voldsanmeldelser i 2024, og hvor mange av dem var fysisk vold?» asks two things: the count of
    vold and the count of fysisk vold."""
    assert split("antall voldsanmeldelser i 2024, og hvor mange av dem var fysisk vold?") == [
        "antall voldsanmeldelser i 2024?", "hvor mange av dem var fysisk vold?"]


def test_a_bare_og_hvorfor_after_a_figure_asks_why():
    """«hvor mye gikk vinningssakene ned fra 23 til 24 og hvorfor» asks for the figure and for why; «og hvor?»
    alone is still no question of its own."""
    assert split("hvor mye gikk vinningssakene ned fra 23 til 24 og hvorfor") == [
        "hvor mye gikk vinningssakene ned fra 23 til 24?", "hvorfor?"]
    assert split("hvorfor") == ["hvorfor"]
    assert len(split("hvor ligger kontoret og hvor?")) == 1


def test_a_later_part_whose_detail_the_first_answer_gives_adds_no_refusal(assistant):
    """«når skjer det meste av volden …? hvilke dager og tid på døgnet»: the first part's answer names the
    days; the second part must not add that the documents give no day."""
    a = assistant.ask("når skjer det meste av volden og ranene blant ungdom? hvilke dager og tid på døgnet")
    assert "mandager" in a.answer and "oppgir ikke dag" not in a.answer, a.answer
    # a part about something else is still told what is missing for it
    b = assistant.ask("hvor ofte møtes styret, og hvor ofte er det temakveld for foreldre?")
    assert "Dokumentene oppgir ikke hvor ofte" in b.answer, b.answer

"""Help questions answered with the help itself; the catalogue of measures; refusals by topic."""

import re

from assistant.catalogue import build
from assistant.norwegian import specificity
from assistant.textclean import ws
from assistant.types import Chunk


def _chunk(i, section, text, kind="text"):
    return Chunk(id=f"c{i}", doc_id="plan", doc_title="Handlingsplan", section=("Tiltak", section), kind=kind,
                 text=text, spans=((0, len(text)),))


def test_catalogue_reads_defining_sentences_tiltak_rows_and_headings_of_any_document():
    chunks = [
        _chunk(1, "Familie", "Foreldrekaffen er et tilbud til foreldre med barn i ungdomsskolen. Den holdes hver "
                             "tirsdag på biblioteket, og Foreldrekaffen er gratis."),
        _chunk(2, "Oversikt", "Tiltak 4 Nattvandring i sentrum Frivillige voksne går i sentrum fredag kveld.",
               kind="table"),
        _chunk(3, "Leirskoleuka", "Leirskoleuka samler alle elever på 7. trinn til en uke med friluftsliv."),
    ]
    names = {m.name: m for m in build(chunks)}
    assert "Foreldrekaffen" in names and names["Foreldrekaffen"].defined
    assert "Nattvandring i sentrum" in names
    assert names["Nattvandring i sentrum"].line.startswith("Nattvandring i sentrum: Frivillige voksne")
    assert "Leirskoleuka" in names
    # a sentence opening with an everyday word is not a name («Den holdes …», «Tilbudet er …»)
    assert not any(n.lower() in ("den", "tilbudet") for n in names)
    # nor is a common noun saying what something means to something else, though written in capitals elsewhere
    school = [_chunk(4, "Mål", "Skole er en viktig faktor for nettopp dette, og prosjektet skal hjelpe ungdommer. "
                               "Elevene på Bærum Skole deltar.")]
    assert "Skole" not in {m.name for m in build(school)}


def test_a_word_capitalised_only_after_a_row_label_names_the_row_not_a_sentence_it_opens():
    """«Tiltak 8, 10 Undervisningsopplegget RUS …»: the cell after a numbered label opens a sentence, so its capital
    makes no name in prose; «Undervisningsopplegget består av to deler …» elsewhere is no measure of that name. The
    row itself stays a measure. A word capitalised mid-sentence is still a name."""
    chunks = [
        _chunk(1, "Plan", "Tiltak 8, 10 Undervisningsopplegget RUS for elever skolehelsetjenesten oppfordrer til bruk",
               kind="table"),
        _chunk(2, "Spør først", "Spør først er et opplegg for ungdom. Undervisningsopplegget består av to deler og "
                                "et foreldremøte."),
    ]
    # the row is the measure: the sentence, which would win over a row, is none
    lines = {m.name: m.line for m in build(chunks)}
    assert lines["Undervisningsopplegget"].startswith("Undervisningsopplegget: RUS for elever")
    named = chunks + [_chunk(3, "Annet", "Skolene bruker Undervisningsopplegget i alle fag.")]
    assert "består av to deler" in {m.name: m.line for m in build(named)}["Undervisningsopplegget"]


def test_words_saying_what_to_do_are_whole_words_or_long_parts_of_compounds(assistant):
    from assistant.terms import has_action

    vocab = assistant.answerer.vocab
    assert has_action(vocab.analyse("kontakt skolen"))
    assert has_action(vocab.analyse("et lavterskeltilbud for ungdom"))          # «… tilbud» in a compound
    assert not has_action(vocab.analyse("uttrekk for å undersøke lovbrudd"))     # not «søke» in «undersøke»
    assert vocab.split("undersøkelsen") == ()   # no «under» + «søkelsen»: «søk» is only a stem


def test_catalogue_reads_rows_run_together_rows_without_number_and_labelled_offers():
    chunks = [
        _chunk(1, "Plan", "Tiltak Økonomiske støtteordninger; eksempelvis fritidsstipend Tiltak 12 Veiledning til "
                          "foresatte til unge som har en bekymringsfull rusbruk Delmål Oppfølging av unge",
               kind="table"),
        _chunk(2, "Nye tilbud", "Leksehjelp for elever som trenger støtte: Et gratis tilbud på biblioteket "
                                "hver onsdag for elever på ungdomstrinnet."),
    ]
    lines = {m.name: m.line for m in build(chunks)}
    assert lines["Økonomiske støtteordninger; eksempelvis fritidsstipend"].endswith("fritidsstipend.")
    assert any(n.startswith("Veiledning til foresatte") and "Delmål" not in line for n, line in lines.items())
    assert any(n.startswith("Leksehjelp for elever") for n in lines)
    # an ordinal ends no sentence: «for 7. klasse» stays whole in the line
    ordinal = build([_chunk(3, "Plan", "Tiltak 9 Rus som tema på foreldremøte for 7. klasse foreldre ved overgang "
                                       "til ungdomsskolen", kind="table")])
    assert ordinal and ordinal[0].line == "Rus som tema på foreldremøte for 7. klasse foreldre ved overgang til ungdomsskolen."


def test_the_measure_that_fits_best_is_listed_unless_the_shown_prose_says_it(assistant):
    # the row «Økonomiske støtteordninger; eksempelvis fritidsstipend» was among the passages chosen but not
    # among the two shown, and so was left out of the list as «already said»
    a = assistant.ask("har dårlig råd – fins det økonomisk støtte så ungene kan være med på fritidsaktivteter og sånt")
    assert "fritidsstipend" in a.answer, a.answer


def test_everyday_words_weigh_less_than_topics_in_norwegian_at_large():
    assert specificity("takk") < specificity("livredd") < specificity("surdeigsbrød")
    assert specificity("dattera") < 0.5          # as common as its lemma «datter»


def _cited(assistant, answer):
    for c in answer.citations:
        assert f"[{c.n}]" in answer.answer
        chunk = assistant.retriever.chunks[c.chunk_id]
        source = ws(assistant.retriever.source(chunk.doc_id))
        assert all(part in source for part in c.quote.split(" … ")), c.quote


def test_headline_question_lists_the_help_with_the_guide(assistant):
    from assistant.answer import MEASURES_INTRO

    a = assistant.ask("Hva gjør jeg ved bekymring for radikalisering?")
    assert not a.refused
    # where to turn first: the passages on radicalisation describe the state of things, not what to do
    assert a.answer.startswith(MEASURES_INTRO) and "veileder" in a.answer.splitlines()[1].lower(), a.answer
    bullets = [line for line in a.answer.splitlines() if line.startswith("• ")]
    assert 1 <= len(bullets) <= 4 and all(line.rstrip(".").endswith("]") for line in bullets), a.answer
    _cited(assistant, a)
    assert any("veileder-ved-bekymring.pdf" in link for c in a.citations for link in c.links)


def test_a_name_the_documents_only_mention_is_said_to_be_mentioned(assistant):
    a = assistant.ask("hva står BTI for?")
    assert a.refused and "nevner «BTI»" in a.answer
    assert a.citations and "BTI" in a.citations[0].quote
    _cited(assistant, a)
    # a relative clause says where the asker met the name; the name is still what is asked about
    a = assistant.ask("hva er kjærlighetstrappen som elevene lærer om i seksualundervisningen på skolen")
    assert a.refused and "nevner «Kjærlighetstrappen»" in a.answer


def test_a_named_place_the_documents_never_use_is_refused_by_name(assistant):
    a = assistant.ask("Hvor mange innbyggere har Frankrike?")
    assert a.refused and "nevner ikke «Frankrike»" in a.answer and not a.citations
    # a stop word in capitals is a name, told as written: «MOT» is not the preposition «mot»
    a = assistant.ask("har ungdomsskolene i bærum MOT-programmet?")
    assert a.refused and "nevner ikke «MOT»" in a.answer, a.answer
    assert not assistant.ask("HVA ER SLT").refused   # a message all in capitals keeps its stop words out
    emphasis = assistant.ask("det er IKKE greit at dattera mi blir truet, hva gjør vi")
    assert "«IKKE»" not in emphasis.answer, emphasis.answer   # capitals for emphasis name nothing


def test_refusal_suggests_questions_about_near_topics(assistant):
    a = assistant.ask("Hvordan søker jeg om byggetillatelse for en garasje?")
    assert a.refused
    assert a.suggestions and all(s.endswith("?") for s in a.suggestions)
    headings = {h for c in assistant.retriever.chunks.values() for h in c.section}
    assert all(any(f"«{t}»" in s for t in headings) for s in a.suggestions)
    # a heading that shares a word with the question, before a section that only ranked near it
    a = assistant.ask("hva gjør asker kommune for å forebygge ungdomskriminalitet")
    assert a.refused and a.suggestions
    assert all("forebygg" in s.lower() or "ungdomskriminalitet" in s.lower() for s in a.suggestions), a.suggestions


def test_domain_words_in_short_questions_count(assistant):
    a = assistant.ask("Hva er SLT?")
    assert not a.refused and "SLT" in a.answer


def test_a_numbered_label_is_no_statement_but_a_sentence_with_a_number_is():
    from assistant.passages import Passage

    assert not Passage(0, "Tiltak 5, 7, 10 Videreutvikling av Utsett").answerable
    assert Passage(0, "I 2023 ble det registrert 45 anmeldelser for vold.").answerable
    assert Passage(0, "Over 300 elever deltok på kurset i fjor.").answerable


def test_a_row_label_numbered_elsewhere_in_the_text_starts_a_row_where_it_stands():
    from assistant.passages import passages

    text = ("Tiltak 9 Rus som tema på foreldremøte for foreldre. Tiltak 10 Samordnet innsats gjennomføres våren "
            "2025) Tiltak 11 Samhandling rundt russetiden gjennom felles møter Tiltak Jevnlige treffpunkt med politiet")
    leads = [p.lead for p in passages(text, "Plan")]
    assert any(lead.startswith("Tiltak 11 Samhandling") for lead in leads), leads
    assert any(lead.startswith("Tiltak Jevnlige treffpunkt") for lead in leads), leads
    # a name recurring in prose is no row label: «Bærum» is numbered nowhere
    prose = "Rådet samarbeider med Bærum Ungdomsråd og med Bærum Idrettsråd om arrangementet i sentrum."
    assert len(passages(prose, "Samarbeid")) == 1


def test_passage_vectors_keep_rows_aligned_across_files_with_a_repeated_key(tmp_path):
    import numpy as np

    from assistant.passages import PassageVectors

    for name, keys, base in (("a.npz", ["x#0", "x#1"], 0), ("b.npz", ["x#1", "y#0"], 2)):
        np.savez(tmp_path / name, keys=np.array(keys), vectors=np.eye(4, dtype=np.float16)[base:base + 2])
    v = PassageVectors([tmp_path / "a.npz", tmp_path / "b.npz"])
    assert v.similarity(np.eye(4, dtype=np.float32)[3], "y", 0) == 1.0   # y#0 is the fourth row
    assert v.similarity(np.eye(4, dtype=np.float32)[1], "x", 1) == 1.0   # the first x#1 is kept


def test_the_question_vector_is_never_another_threads(assistant):
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    retriever = assistant.retriever
    questions = ["Hva er Utsett?", "Hva er fryktkapital?", "Hvem ledet SLT-styret?", "Hva er SLT?"] * 5
    expected = {q: retriever.embedder.embed_batch([q], "query")[0] for q in set(questions)}
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(retriever.query_vector, questions))
    assert all(np.allclose(g, expected[q]) for g, q in zip(got, questions))


def test_a_situation_in_everyday_words_is_helped_by_meaning_not_refused_for_its_words(assistant):
    # «snap», «tør», «dattera» are words the documents never use; the situation is theirs
    a = assistant.ask("dattera mi blir truet på snap men vi tør ikke anmelde fordi vi er redde det blir verre "
                      "for henne. kan hun få hjelp uten å anmelde")
    assert not a.refused and "Trygghetsprogrammet" in a.answer
    # a request for help the documents have nothing on is still refused
    assert assistant.ask("Hvordan søker jeg om byggetillatelse for en garasje?").refused


def test_a_question_whose_subject_is_the_asker_asks_what_to_do(assistant):
    from assistant.terms import is_action_question

    assert is_action_question("han snakker stygt om innvandrere. hvor begynner jeg?")
    assert is_action_question("hvem spør jeg om dette")
    assert not is_action_question("hvor mange anmeldelser var det i 2024")
    assert not is_action_question("hva er jeg nødt til å vite")   # «er» asks about the asker, not what to do
    # a long situation told in everyday words, ending so, is helped rather than refused
    a = assistant.ask("er bekymra for at sønnen min på 17 holder på å bli radikalisert. sitter på discord hele natta, "
                      "snakker stygt om innvandrere og sier rare ting om jøder. hvor begynner jeg?")
    assert not a.refused and "Foreldreveileder" in a.answer, a.answer


def test_the_area_a_situation_is_found_in_names_the_measures_for_it(assistant):
    # «røyker hasj» shares no word with «rusbruk»; the heading over what the search finds for it does
    A = assistant.answerer
    q = "gutten vår på 16 røyker hasj nesten hver helg tror jeg. hvor får vi hjelpe i bærum"
    hits, _, terms = A.evidence(q)
    assert any("rusbruk" in t.word for t in A.help.area(terms, hits))
    fitting = [m.description for m, _ in A.help.fitting(q, terms, None, hits)]
    assert any("bekymringsfull rusbruk" in d for d in fitting[:3]), fitting


def test_the_clauses_of_a_question_are_held_against_the_ways_of_asking_for_help():
    from assistant.help import clauses

    q = "elev ble rana på vei hjem, han er livredd nå og vil ikke gå ut. finnes det noe oppfølging for han"
    assert "finnes det noe oppfølging for han" in clauses(q)
    assert clauses("Hva er Utsett?") == ["Hva er Utsett"]
    assert clauses("og hvor?") == []   # too short to ask on its own


def test_a_situation_the_documents_do_not_answer_gets_the_measures_that_fit_it(assistant):
    a = assistant.ask("sønnen min ble ranet og er redd, hvor får vi hjelp")
    # no passage answers as asked, but the programme for young victims of robbery is named, cited
    assert a.refused and a.answer.startswith("Dokumentene svarer ikke direkte")
    assert "Trygghetsprogrammet" in a.answer and a.citations
    # a situation far from the documents gets no measures at all, nor one tied to it only by everyday words
    for q in ("hva gjør jeg hvis jeg mister passet", "sønnen min på 15 veiper hele tiden, hva skal jeg gjøre"):
        far = assistant.ask(q)
        assert far.refused and not far.citations, q


def test_where_to_turn_comes_first_when_it_fits_and_the_passages_do_not_say_what_to_do(assistant):
    a = assistant.ask("dattera mi på 14 vaper og jeg vet ikke helt hva jeg skal gjøre. finnes det noe kurs for oss foreldre")
    assert not a.refused
    lines, _, rest = a.answer.partition("Mer fra dokumentene:")
    assert lines.startswith("Dette beskriver dokumentene som kan hjelpe:") and "•" in lines and rest.strip()
    # the measures carry the first source numbers; what follows them cites sources after theirs
    listed = [int(n) for n in re.findall(r"\[(\d+)\]", lines)]
    after = [int(n) for n in re.findall(r"\[(\d+)\]", rest)]
    assert listed[0] == 1 and after and min(after) >= min(listed) and max(after) >= max(listed)


def test_which_measure_fits_is_read_mostly_from_the_sentence_that_asks(assistant):
    # the scene (a robbery on the bus) and the need (follow-up for the boy) are told in separate sentences
    a = assistant.ask("Sønnen vår ble ranet på bussen forrige uke og tør ikke gå ut lenger. "
                      "Finnes det noe oppfølging for ham?")
    measures = a.answer.split("kan hjelpe:", 1)[1].strip().splitlines()
    assert re.search(r"\bran\b", measures[0]), measures   # the programme for young victims of robbery comes first


def test_asking_whether_there_is_something_for_it_is_answered_with_the_measure(assistant):
    from assistant.norwegian import OFFER_RE

    assert OFFER_RE.match("finnes det noe for ungdom i ferien") and OFFER_RE.match("har kommunen sommerjobb")
    assert not OFFER_RE.match("har det blitt mer vold i år")   # what has happened, not an offer
    assert not OFFER_RE.match("finnes det statistikk over ran") and not OFFER_RE.match("har kommunen en handlingsplan")
    a = assistant.ask("Finnes det sommerjobb for ungdom som sliter litt?")
    # the offer itself first (as a passage or a measure), not the evaluation of it
    first = a.answer.removeprefix("Dette beskriver dokumentene som kan hjelpe:\n• ")
    assert first.startswith("I 2024 ble det gitt tilbud om"), a.answer


def test_a_question_naming_no_topic_after_the_scene_is_fitted_by_the_whole_message(assistant):
    import numpy as np

    help_desk, retriever = assistant.answerer.help, assistant.retriever
    scene = "Jeg fant hasj på rommet til sønnen min. Hvor får jeg hjelp?"
    assert np.allclose(help_desk.need(scene), retriever.query_vector(scene))
    # a sentence that asks with a topic of its own weighs most
    told = "Sønnen min ble ranet. Finnes det noe oppfølging for ham?"
    assert not np.allclose(help_desk.need(told), retriever.query_vector(told))


def test_a_question_about_a_measure_it_names_is_answered_from_its_text_not_with_a_help_list(assistant):
    """«… må han møte og får jeg være med» asks about the avklaringssamtale, which the question names: the
    text about it answers, not a list of measures for the situation."""
    from assistant.answer import heaviest

    terms = assistant.answerer.vocab.terms("må han møte på avklaringssamtalen")
    assert "avklaringssamtale" in assistant.answerer.help.named(heaviest(terms)).name
    assert assistant.answerer.help.named(heaviest(assistant.answerer.vocab.terms("gutten min røyker hasj"))) is None
    a = assistant.ask("politiet vil ha en avklaringssamtale med sønnen min på 16 pga noe han har skrevet på nett. "
                      "må han møte og får jeg være med")
    assert "inviteres foreldrene også inn i samtalen" in a.answer and "kan hjelpe:" not in a.answer, a.answer


def test_a_team_named_by_a_heading_is_help_when_the_text_under_it_says_where_to_turn(assistant):
    """«Konsultasjonsteam ekstremisme» says what it is first and that one can turn to it («rådføre seg med
    andre instanser») later in its text; a heading over a topic, or over what happened, whose text mentions
    help is no measure."""
    help_desk = assistant.answerer.help
    offers = {m.name: o for m, o in zip(help_desk.measures, help_desk._offers)}
    assert offers["Konsultasjonsteam ekstremisme"]
    assert not offers["Fryktkapital"] and not offers["Hatkriminalitet – beskrevet av politiet"]
    assert not offers["Samarbeid rundt ungdomsarrangementer"]   # «I 2024 ble ikke Kadetten … gjennomført»
    a = assistant.ask("Jeg er lærer, og en elev i 10. klasse deler ekstreme videoer og snakker stygt om "
                      "innvandrere. Hvem i kommunen kan vi drøfte saken med?")
    assert "Konsultasjonsteam ekstremisme" in a.answer.split("Mer fra dokumentene:")[0], a.answer


def test_a_measure_the_documents_only_say_is_needed_is_not_offered_as_help(assistant):
    """«Veileder for vurdering av taushetsplikt …: Behovet for en veileder er meldt inn som behov …» is a guide
    nobody can use yet; a teacher asking whom to discuss a radicalised pupil with gets what exists."""
    needed = [m for m in assistant.answerer.help.measures if "Behovet for en veileder" in m.description]
    assert needed   # the catalogue still reads it (it is a tiltak row); it is only never offered
    a = assistant.ask("jeg er lærer på en ungdomsskole og lurer på hvem vi kan drøfte radikalisering med")
    offered = a.answer.split("Mer fra dokumentene:")[0]
    assert "kan hjelpe:" in offered and "Behovet for en veileder" not in offered, a.answer


def test_help_for_a_drug_the_documents_file_under_rus_is_found_through_where_they_speak_of_it(assistant):
    """The measures say «rusbruk», the parent «hasj»: the heading over the text about hasj («Utfordringsbildet
    rusbruk») ties the two, so the parent gets somewhere to turn rather than a bare refusal."""
    a = assistant.ask("sønnen min på 15 røyker hasj. hvor får vi hjelp?")
    assert "rusbruk" in a.answer.split("Mer fra dokumentene:")[0] and a.citations, a.answer

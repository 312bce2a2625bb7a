"""Conversation rules, safe rendering, feedback masking and the terminal faces of the chat."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.chat import Conversation, merge, question_kind
from assistant.feedback import FeedbackStore, export, mask
from assistant.types import Answer
from assistant.view import cited_sentences, emphasise, md_link, md_text, table_rows

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("question, kind", [
    ("Og i 2022?", "ellipsis"), ("Hva med jentene?", "ellipsis"), ("Enn guttene?", "ellipsis"), ("I 2021?", "ellipsis"),
    ("Hvor finner jeg den veilederen?", "refers"), ("Hva betyr det?", "refers"), ("Og hva er Utsett?", "refers"),
    ("Hvordan er det med vape?", "complete"), ("Hva er det SLT gjør?", "complete"), ("Hva er Utsett?", "complete"),
])
def test_question_kinds(question, kind):
    assert question_kind(question) == kind


def test_a_rewrite_builds_on_the_last_complete_question_never_on_a_rewrite():
    assert merge("Hvor mange anmeldelser for vold i 2024?", "Og i 2022?") == "Hvor mange anmeldelser for vold i 2022?"
    # two years of its own are a span or a comparison, kept as asked (not «… i 2024 – sammenlignet med?»)
    assert merge("Hvor mange anmeldelser for vold i 2024?", "og fra 2019 til 2022?") == (
        "Hvor mange anmeldelser for vold – fra 2019 til 2022?")
    assert merge("hvilket overgrepsmottak hører bærum til?", "hvor mange var det der i 2024 sammenlignet med 2023?") == (
        "hvilket overgrepsmottak hører bærum til – hvor mange var det der i 2024 sammenlignet med 2023?")
    # a span in the anchor goes whole, not «… mellom og – …»
    assert merge("Hvor mange anmeldelser for vold mellom 2019 og 2022?", "og i 2023 sammenlignet med 2024?") == (
        "Hvor mange anmeldelser for vold – i 2023 sammenlignet med 2024?")
    # one year a change is counted from is the change up to the anchor's year, not that year instead of it
    assert merge("hvor mange gutter 15-17 år var mistenkt i 2024", "Hva var endringen fra 2023?") == (
        "hvor mange gutter 15-17 år var mistenkt fra 2023 til 2024 – Hva var endringen?")
    assert merge("hvor mange gutter 15-17 år var mistenkt i 2024", "og i 2022?") == (
        "hvor mange gutter 15-17 år var mistenkt i 2022?")
    # an age group asked about replaces the anchor's, as a year does
    assert merge("Hvor mange gutter 10-14 år ble mistenkt i 2024?", "Og 15-17?") == (
        "Hvor mange gutter 15-17 år ble mistenkt i 2024?")
    answered = Answer(question="", answer="…", refused=False)
    conv = Conversation()
    conv.add("Hvor mange anmeldelser for vold i 2024?", "Hvor mange anmeldelser for vold i 2024?", answered)
    conv.add("hva med ran?", conv.rewrite("hva med ran?"), answered)
    assert conv.anchor == "Hvor mange anmeldelser for vold i 2024?"   # words added to it never pile up
    # a rewrite that only swapped the year is a complete question: the next follow-up goes on from it
    conv.add("Og i 2022?", conv.rewrite("Og i 2022?"), answered)
    assert conv.anchor == "Hvor mange anmeldelser for vold i 2022?"
    assert conv.rewrite("Og i 2021?") == "Hvor mange anmeldelser for vold i 2021?"
    conv.add("Og i 2030?", conv.rewrite("Og i 2030?"), Answer(question="", answer="…", refused=True))
    assert conv.anchor == "Hvor mange anmeldelser for vold i 2022?"   # … unless it was refused
    conv.clear()
    assert conv.kind("Og i 2021?") == "complete"     # nothing to lean on after «Ny samtale»


def test_a_follow_up_naming_the_row_next_to_the_last_figures_asks_for_that_row(assistant):
    """«Hva med jentene?» after boys 15-17 is girls 15-17 (Tabell 1), and the year said next goes on from there;
    «enn narkotika?» after violence is the narkotika row of the same table, not violence again."""
    conv = Conversation()
    assert "96" in assistant.ask("hvor mange gutter 15-17 år var mistenkt i 2024", conv).answer
    girls = assistant.ask("Hva med jentene?", conv)
    assert "«Jenter 15-17år» i 2024" in girls.answer and "29" in girls.answer, girls.answer
    assert "«Jenter 15-17år» i 2023" in assistant.ask("og i 2023?", conv).answer
    conv = Conversation()
    assistant.ask("Hvor mange anmeldelser for vold var det i 2024?", conv)
    drugs = assistant.ask("enn narkotika?", conv)
    assert "«Narkotika» i 2024" in drugs.answer and "Vold" not in drugs.answer, drugs.answer
    # a question of figure words only goes on about the last figure («nedgangen» names no topic of its own)
    conv = Conversation()
    assistant.ask("Hvor mange unge mellom 10 og 17 år ble mistenkt i Bærum i 2024?", conv)
    change = assistant.ask("Hvor stor var nedgangen fra året før?", conv)
    assert "75 færre" in change.answer and "«10 - 17år»" in change.answer, change.answer
    # words that are no row next to it are added to the question, not swapped in
    conv = Conversation()
    assistant.ask("Hvor mange anmeldelser for vold var det i 2024?", conv)
    assert "vold" in assistant.ask("hva med jentene?", conv).searched
    # a word asking about the figure says nothing of the row: «og guttene, økte det?» is boys 15-17
    conv = Conversation()
    assistant.ask("hvor mange jenter 15-17 år var mistenkt i 2024", conv)
    assert "«Gutter 15-17år» i 2024" in assistant.ask("og guttene, økte det?", conv).answer
    # «og totalt?» is the table's row for all
    conv = Conversation()
    assistant.ask("Hvor mange anmeldelser for narkotika var det i 2024?", conv)
    assert "«Total» i 2024" in assistant.ask("og totalt?", conv).answer


def test_a_row_swap_drops_nothing_the_follow_up_says(assistant):
    """A place, an age or any other word said beside the row word stops the swap (the follow-up is then added
    to the question as it stands); a row inside the old one is no row next to it; two words pick the row
    that has both."""
    conv = Conversation()
    assistant.ask("hvor mange gutter 15-17 år var mistenkt i 2024", conv)
    oslo = assistant.ask("hva med jentene i oslo?", conv)
    assert "oslo" in oslo.searched and oslo.refused, oslo.answer
    conv = Conversation()
    assistant.ask("hvor mange gutter 15-17 år var mistenkt i 2024", conv)
    assert "ranet" in assistant.ask("hva med jentene som ble ranet?", conv).searched
    conv = Conversation()
    assistant.ask("hvor mange ungdommer 15-17 år ble mistenkt i 2024", conv)
    boys = assistant.ask("hva med guttene?", conv)
    assert "«Gutter 15-17år» i 2024" in boys.answer, boys.answer
    conv = Conversation()
    assistant.ask("hvor mange ble anmeldt for trusler i 2024", conv)
    assert "«Fysisk vold» i 2024" in assistant.ask("og fysisk vold?", conv).answer
    # a question that does not pin the row down (no age group where the row has one) swaps nothing
    from assistant.chat import completed
    figure = assistant.ask("hvor mange jenter 10-14 år ble mistenkt i 2024").figure
    assert assistant.figures.swap_row("hvor mange jenter ble mistenkt i 2024", figure, "gutter") is None
    assert completed("hvor mange jenter ble mistenkt i 2024", "og gutter?")[1] is False
    # … while one a table row answered does: after «og 10-14?», «og gutter?» is boys 10-14
    conv = Conversation()
    assistant.ask("hvor mange jenter ble mistenkt i 2024", conv)
    assistant.ask("og 10-14?", conv)
    assert "«Gutter 10-14år» i 2024" in assistant.ask("og gutter?", conv).answer


def test_a_follow_up_a_table_row_answered_is_what_the_next_year_goes_on_from(assistant):
    """«… – jentene?» answered from the row «Jenter»: «og i 2023?» asks for girls in 2023 (117), not for all."""
    conv = Conversation()
    assistant.ask("hvor mange mistenkte var det i 2024 fordelt på kjønn og aldersgruppe", conv)
    assert "«Jenter» i 2024" in assistant.ask("hva med jentene?", conv).answer
    later = assistant.ask("og i 2023?", conv)
    assert "«Jenter» i 2023" in later.answer and "117" in later.answer, later.answer


def test_a_first_message_of_only_a_year_is_asked_what_it_is_about(assistant):
    conv = Conversation()
    orphan = assistant.ask("Og i 2022?", conv)
    assert orphan.refused and orphan.figure is None and "Hva gjelder det?" in orphan.answer
    assert not conv.turns     # nothing for the next question to lean on


def test_a_complete_question_after_a_figure_is_not_merged(assistant):
    conv = Conversation()
    assistant.ask("Hvor mange anmeldelser for butikktyveri var det i 2024?", conv)
    for q in ("Hvordan er det med vape?", "Hva er det SLT gjør?"):
        answer = assistant.ask(q, conv)
        assert answer.searched == q and "butikktyveri" not in answer.answer


def test_text_from_documents_cannot_become_markdown_that_fetches():
    shown = md_text("![p](http://evil.example/p.png) <img src=x> [a](javascript:x) www.x.no a@b.no $x$ :red[r]")
    outside_code = re.sub(r"`[^`]*`", "", shown)
    assert not re.search(r"(?<!\\)[!\[\]()<>$:]", outside_code), shown    # every active character escaped
    assert "`http://evil.example/p.png`" in shown and "`www.x.no`" in shown and "`a@b.no`" in shown
    assert md_link("javascript:alert(1)").startswith("javascript\\:")             # not a link
    assert md_link("https://a.no/veileder-2020.pdf") == "[Veileder 2020 \\(PDF\\)](https://a.no/veileder-2020.pdf)"
    assert md_link(("Guide (ny)", "https://a.no/x?a=(1)")) == "[Guide \\(ny\\)](https://a.no/x?a=%281%29)"


def test_the_cited_sentences_are_emphasised_in_the_quote():
    answer = "Utsett! er et tiltak [1]. Tiltak 5 [2]. Forskning gir støtte [1]."
    assert cited_sentences(answer, 1) == ["Utsett! er et tiltak", "Forskning gir støtte"]
    assert emphasise("Utsett! er et  tiltak for foreldre. Forskning gir støtte.", cited_sentences(answer, 1)) == \
        "**Utsett\\! er et tiltak** for foreldre\\. **Forskning gir støtte**\\."
    # a sentence after a label of the answer's own («Mer fra dokumentene: …») is found in the quote too
    answer = "• Veileder ved bekymring [1].\n\nMer fra dokumentene: Nedgangen er jevn [2]. Den gjelder alle [2]."
    assert emphasise("Nedgangen er jevn. Den gjelder alle.", cited_sentences(answer, 2)) == \
        "**Nedgangen er jevn**\\. **Den gjelder alle**\\."


def test_figure_table_rows_use_the_figure_answerers_rows_when_given():
    fig = {"table": "Tabell 2", "row": "Vold", "series": {"2023": 74, "2024": 69}}
    assert table_rows(fig) == (["Rad", "2023", "2024"], [["Vold", 74, 69]])
    fig["columns"] = ["2023", "2024"]
    fig["rows"] = [{"label": "Vold", "values": {"2023": 74, "2024": 69}},
                   {"label": "Ran", "path": ["Vinning", "Ran"], "values": {"2024": 5}}]
    assert table_rows(fig) == (["Rad", "2023", "2024"], [["Vold", 74, 69], ["Vinning › Ran", None, 5]])


def test_a_figure_refused_for_another_municipality_shows_no_empty_table(assistant):
    """«tabellene gjelder Bærum»: the refusal names the nearest table but has no row of it to show."""
    answer = assistant.ask("hvor mange anmeldelser for vold var det i asker i 2024?")
    assert answer.refused and answer.figure is not None
    assert table_rows(answer.figure) == ([], [])


def test_feedback_masks_personal_data_before_writing(tmp_path):
    assert mask("Ring 912 34 567 / +47 22334455, skriv til ola@nav.no, fnr 010190 12345") == \
        "Ring [telefon] / [telefon], skriv til [e-post], fnr [fødselsnummer]"
    assert mask("Jeg heter Kari og sønnen min Per Olsen går på Bryn skole i 2024") == \
        "Jeg heter [navn] og sønnen min [navn] går på Bryn skole i 2024"
    store = FeedbackStore(tmp_path)
    answer = Answer("Hva gjør Kari Nordmann?", "Svar [1].", False)
    row = store.add(1, answer, "bra, ring 91234567")
    store.update(row, rating=-1, comment="kari@x.no")
    raw = sqlite3.connect(tmp_path / "feedback.sqlite3").execute("SELECT * FROM feedback").fetchall()
    assert "Kari" not in str(raw) and "91234567" not in str(raw) and "kari@x.no" not in str(raw)
    rows = store.rows()
    assert rows[0]["rating"] == -1 and rows[0]["comment"] == "[e-post]"
    assert export(rows, "csv").splitlines()[0].startswith("id,time,rating,comment")


def _cli(args, stdin=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=300)


def test_terminal_chat_follow_ups_ny_samtale_closed_pipe_and_missing_index(report_index, tmp_path):
    settings, _ = report_index
    index = ["--index", str(settings.index_dir)]
    out = _cli(["chat", *index], stdin="Hvor mange anmeldelser for vold i 2024?\nOg i 2022?\n/ny\nOg i 2022?\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("Søkte etter:") == 1 and "vold i 2022" in out.stdout
    assert "Ny samtale" in out.stdout
    # output into a closed pipe (`… | head` that has stopped reading) ends quietly
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", "Hva er Utsett?", *index],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
    # the feedback command and the «no index» message naming the folder and how to point elsewhere
    listed = _cli(["feedback", "--index", str(tmp_path / "idx")])
    assert listed.returncode == 0 and "Ingen tilbakemeldinger" in listed.stdout
    missing = _cli(["ask", "Hva er SLT?", "--index", str(tmp_path / "finnes-ikke")])
    assert missing.returncode == 2 and str(tmp_path / "finnes-ikke") in missing.stderr
    assert "--index" in missing.stderr and "ASSISTANT_HOME" in missing.stderr and "Traceback" not in missing.stderr


def test_a_follow_up_with_nothing_of_its_own_continues_the_last_question(assistant):
    from assistant.chat import Conversation

    c = Conversation()
    assistant.ask("finnes det sommerjobb for ungdom i kommunen?", c)
    a = assistant.ask("og hvordan søker man?", c)
    assert "sommerjobb" in a.searched.lower()          # not a new question about «søke» anything
    a = assistant.ask("og hvem kan søke?", c)
    assert "sommerjobb" in a.searched.lower()          # the thread holds over a third turn
    a = assistant.ask("Og hva er Utsett?", c)          # names its own topic: stands alone
    assert a.searched == "Og hva er Utsett?"


def test_a_question_with_no_topic_of_its_own_continues_and_small_talk_is_no_topic(assistant):
    from assistant.chat import Conversation
    from assistant.pipeline import SMALL_TALK

    c = Conversation()
    assistant.ask("finnes det sommerjobb for ungdom i kommunen?", c)
    thanks = assistant.ask("takk", c)
    assert thanks.answer == SMALL_TALK and thanks.refused and not thanks.citations  # not «ungdom takker nei …»
    a = assistant.ask("hvem kan jeg snakke med", c)    # no «og», no «det»: still nothing of its own
    assert "sommerjobb" in a.searched.lower() and not a.refused
    assert not assistant.ask("vold", c).answer == SMALL_TALK    # one word, but a topic of the documents
    a = assistant.ask("hvordan baker jeg surdeigsbrød?", c)   # a topic the documents lack stands alone
    assert a.refused and "sommerjobb" not in a.searched.lower()


def test_a_new_question_in_everyday_words_is_no_follow_up(assistant):
    c = Conversation()
    assistant.ask("en jente på 15 ble utsatt for overgrep på en fest, hvor henviser jeg henne", c)
    a = assistant.ask("hva tilbyr politiet til skolene? kan de komme på besøk", c)
    assert "overgrep" not in a.searched.lower()
    # … while «hvor får jeg hjelp» after a situation goes on about it
    c = Conversation()
    assistant.ask("gutten min på 15 blir truet på snap", c)
    assert "truet" in assistant.ask("hvor får jeg hjelp", c).searched


def test_a_short_follow_up_is_no_small_talk(assistant):
    from assistant.chat import Conversation

    c = Conversation()
    assistant.ask("hvor mange ble anmeldt for vold i 2024", c)
    a = assistant.ask("og i fjor", c)
    assert "vold" in a.searched.lower() and not a.refused


def test_a_follow_up_that_says_also_goes_on_about_the_last_topic(assistant):
    from assistant.chat import Conversation

    c = Conversation()
    assistant.ask("hva er trygghetsprogrammet", c)
    # «anmeldt» alone finds crime statistics; «også» with «det» asks on about the programme
    a = assistant.ask("gjelder det også hvis vi ikke har anmeldt det", c)
    assert "trygghetsprogrammet" in a.searched.lower() and "Trygghetsprogrammet" in a.answer


def test_more_context_around_a_quote_ends_at_sentences_and_shows_links_as_such():
    from assistant.view import surrounding, without_urls

    source = ("Første setning i et langt avsnitt uten blanke linjer. " * 12 + "Sitatet står her. "
              + "Neste setning forklarer mer. " * 20)
    at = source.index("Sitatet")
    context = surrounding(source, at, at + len("Sitatet står her."), margin=120)
    assert "Sitatet står her." in context
    assert context.startswith("Første") and context.endswith(".")   # whole sentences at both ends
    assert without_urls("Les veilederen https://eksempel.no/v.pdf før møtet.") == "Les veilederen (lenke) før møtet."
    assert without_urls("Skriv til post@eksempel.no.") == "Skriv til post@eksempel.no."
    assert without_urls("Se https://a.no/x.pdf https://b.no/y.pdf og mer.") == "Se (lenker) og mer."


def test_a_source_card_shows_the_first_whole_sentences_of_a_long_quote():
    from assistant.view import clipped

    quote = "Første setning er kort. " + "Andre setning er lengre enn den første, med flere ord i seg. " * 8
    shown = clipped(quote, 120)
    assert shown.startswith("Første setning er kort.") and shown.endswith(". …") and len(shown) <= 125
    assert clipped("Kort sitat.", 120) == "Kort sitat."
    assert clipped("ord " * 60, 50).endswith(" …")   # no sentence end: cut at a word


def test_a_link_in_brackets_becomes_one_pair_of_brackets():
    from assistant.view import without_urls

    assert without_urls("Se veilederen (https://eksempel.no/v.pdf) før møtet.") == "Se veilederen (lenke) før møtet."


def test_a_follow_up_the_documents_say_nothing_more_about_says_so(assistant, monkeypatch):
    from assistant.chat import Conversation
    from assistant.pipeline import NOTHING_MORE
    from assistant.types import Answer

    said = {"text": "Utsett er et tilbud til foreldre [1]."}
    monkeypatch.setattr(assistant, "_answer", lambda q, searched, doc_id: Answer(q, said["text"], False, [], searched=searched))
    conversation = Conversation()
    assert assistant.ask("Hva er Utsett?", conversation).answer == said["text"]
    # read with the last question, the follow-up finds only what was said: the answer says so
    again = assistant.ask("og hvordan får vi det?", conversation)
    assert again.answer.startswith(NOTHING_MORE) and again.answer.endswith(said["text"])
    said["text"] = "Utsett er et tilbud til foreldre [2]. Det gis på foreldremøter [2]."
    more = assistant.ask("og hvordan får vi det?", conversation)
    assert more.answer == said["text"]   # something new: no such note


def test_a_table_read_in_context_keeps_one_row_per_line():
    from assistant.view import table_lines

    text = "Tabell 2. Antall anmeldelser\n\nVold 74 69 -5\n \nRan 8 10 2\n"
    assert table_lines(text) == "Tabell 2\\. Antall anmeldelser  \nVold 74 69 \\-5  \nRan 8 10 2"


def test_a_first_message_asking_for_help_without_a_topic_asks_what_it_is_about(assistant):
    from assistant.chat import Conversation
    from assistant.pipeline import NO_TOPIC

    c = Conversation()
    a = assistant.ask("hvor får jeg hjelp", c)
    assert a.answer == NO_TOPIC and not a.citations
    # a question of everyday words that still says what it is about is answered
    assert assistant.ask("Hva kan foreldre som er bekymret for egne barn lese?").answer != NO_TOPIC
    # told what it is about, the next message is answered with that situation's help
    a = assistant.ask("sønnen min ble ranet og er redd", c)
    assert not a.answer.startswith("Hva gjelder det") and a.citations
    assert "ranet" in a.searched and "hjelp" in a.searched
    # the same words after a question with a topic go on about that topic
    c = Conversation()
    assistant.ask("hva er trygghetsprogrammet", c)
    assert assistant.ask("hvor får jeg hjelp", c).answer != NO_TOPIC

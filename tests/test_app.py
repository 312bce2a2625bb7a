"""The Streamlit chat, driven through Streamlit's own test runner against the real index."""

import re
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "assistant" / "app.py"
UNESCAPED_IMAGE = re.compile(r"(?<!\\)!\[")   # «![» that Markdown would read as an image


@pytest.fixture
def app(report_index, monkeypatch):
    from streamlit.testing.v1 import AppTest

    settings, _ = report_index
    monkeypatch.setenv("ASSISTANT_INDEX", str(settings.index_dir))
    # the project's corpus folder holds the same report, plus starters.yaml for the first screen
    monkeypatch.setenv("ASSISTANT_CORPUS", str(ROOT / "corpus"))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    return at


def _ask(at, question):
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def _searched(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Søkte etter:")]


def _plain(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md)


def test_first_screen_names_the_documents_and_offers_three_groups_of_starters(app):
    assert not app.exception and not app.error
    assert app.title[0].value == "SLT-assistenten"
    docs = [c.value for c in app.caption if c.value.startswith("Dokumenter:")]
    assert docs and "SLT årsrapport 2024" in _plain(docs[0]) and "(2024)" in _plain(docs[0])
    starters = [b for b in app.button if b.key and b.key.startswith("starter-")]
    groups = {b.key.rsplit("-", 1)[0] for b in starters}
    assert len(starters) == 9 and len(groups) == 3, [b.key for b in starters]
    # clicking a starter asks it: the question shows, the answer has a source card
    first = starters[0]
    question = _plain(first.label)
    first.click().run()
    assert not app.exception
    assert any(_plain(m.value) == question for m in app.markdown)
    assert any(m.value == "**Kilder**" for m in app.markdown)
    # the verbatim quote, with the sentence the answer cites in bold
    assert any(m.value.startswith("«") and "**" in m.value for m in app.markdown)
    assert app.expander and app.expander[0].label == "Vis mer"
    assert not [b for b in app.button if b.key and b.key.startswith("starter-")]   # first screen gone


def test_follow_ups_rewritten_only_when_they_cannot_stand_alone_and_ny_samtale_clears(app):
    _ask(app, "Hvor mange anmeldelser for vold i 2024?")
    _ask(app, "Og i 2022?")
    searched = _searched(app)
    assert len(searched) == 1 and "2022" in searched[0] and "vold" in searched[0], searched
    _ask(app, "Hva er Utsett?")                  # complete: never merged with the old one
    assert len(_searched(app)) == 1
    _ask(app, "Hva med jentene?")                # elliptical: built from «… vold i 2024?», not the rewrite
    searched = _searched(app)
    assert len(searched) == 2 and "2022" not in searched[1] and "jentene" in searched[1], searched
    app.button(key="new-conversation").click().run()
    assert not app.chat_message and [b for b in app.button if b.key and b.key.startswith("starter-")]
    _ask(app, "Og i 2022?")
    assert not _searched(app)                    # nothing left to lean on


def test_a_reload_brings_the_conversation_back_and_a_new_page_starts_afresh(app):
    from streamlit.testing.v1 import AppTest

    _ask(app, "Hvor mange anmeldelser for vold i 2024?")
    cid = app.query_params["samtale"]
    reloaded = AppTest.from_file(str(APP), default_timeout=120)
    reloaded.query_params["samtale"] = cid
    reloaded.run()
    assert any("Hvor mange anmeldelser for vold i 2024?" in _plain(m.value) for m in reloaded.markdown)
    assert len(reloaded.chat_message) == 2
    _ask(reloaded, "Og i 2022?")                # the follow-up still leans on the question before the reload
    assert any("2022" in s and "vold" in s for s in _searched(reloaded)), _searched(reloaded)
    fresh = AppTest.from_file(str(APP), default_timeout=120)
    fresh.run()
    assert not fresh.chat_message and fresh.query_params["samtale"] != cid
    # «Ny samtale» forgets the conversation: its old address opens an empty one, under a new id
    reloaded.button(key="new-conversation").click().run()
    assert not reloaded.chat_message and reloaded.query_params["samtale"] != cid
    old_address = AppTest.from_file(str(APP), default_timeout=120)
    old_address.query_params["samtale"] = cid
    old_address.run()
    assert not old_address.chat_message


def test_figure_answer_has_chart_rows_and_csv(app):
    _ask(app, "Hvor mange anmeldelser for vold i 2024?")
    assert app.get("vega_lite_chart"), "no chart"
    table = app.dataframe[0].value
    assert "Vold" in table.iloc[:, 0].tolist() and "2024" in table.columns
    csv = app.get("download_button")[0]
    assert csv.proto.label.startswith("Last ned tabellen")


def test_refusal_suggestions_are_clickable_questions(app, monkeypatch):
    from assistant.pipeline import Assistant

    real_ask = Assistant.ask

    def ask(self, question, conversation=None, doc_id=None):
        answer = real_ask(self, question, conversation, doc_id)
        if answer.refused and not answer.suggestions:    # until the answerer fills them itself
            answer.suggestions = ["Hva er Utsett?", "Hva er fryktkapital?"]
        return answer

    monkeypatch.setattr(Assistant, "ask", ask)
    _ask(app, "Hvordan blir været i Oslo i morgen?")
    suggestions = [b for b in app.button if b.key and b.key.startswith("suggest-")]
    assert suggestions
    label = _plain(suggestions[0].label)
    suggestions[0].click().run()
    assert not app.exception
    users = [m for m in app.chat_message if m.name == "user"]
    assert _plain(users[-1].markdown[0].value) == label
    assert len([m for m in app.chat_message if m.name == "assistant"]) == 2


def test_feedback_is_stored_masked_under_the_index_root(app, report_index):
    settings, _ = report_index
    _ask(app, "Hva er Utsett?")
    app.feedback[0].set_value(0).run()           # 👎
    comment = "Ring Kari Nordmann på 912 34 567 eller kari@example.no, fnr 01019012345"
    app.text_input[0].set_value(comment)
    [b for b in app.button if b.label == "Send kommentar"][0].click().run()
    assert not app.exception
    rows = sqlite3.connect(settings.index_dir / "feedback.sqlite3").execute(
        "SELECT rating, comment, question FROM feedback ORDER BY id DESC LIMIT 1").fetchall()
    rating, stored, question = rows[0]
    assert rating == -1 and question == "Hva er Utsett?"
    for secret in ("Kari", "Nordmann", "912 34 567", "kari@example.no", "01019012345"):
        assert secret not in stored
    assert "[telefon]" in stored and "[e-post]" in stored and "[fødselsnummer]" in stored and "[navn]" in stored


def test_markdown_in_a_question_is_shown_as_text_and_long_questions_are_capped(app):
    _ask(app, "![x](http://127.0.0.1:9/pixel.png) Hva er <b>Utsett</b>?")
    shown = [m.value for m in app.markdown]
    assert not any(UNESCAPED_IMAGE.search(v) for v in shown), shown
    assert any("pixel" in v for v in shown)      # shown, as text
    _ask(app, "Hva er SLT? " * 200)             # 2,400 characters, pasted: said to be too long, not lost
    users = [m for m in app.chat_message if m.name == "user"]
    assert len(_plain(users[-1].markdown[0].value)) <= 1000
    assert "1000 tegn" in app.chat_input[0].proto.placeholder
    assert len(app.chat_message) == 4            # both questions and both replies kept
    assert any("for langt" in e.value for e in app.chat_message[-1].error)
    assert app.chat_message[-1].code[0].value == ("Hva er SLT? " * 200).strip()   # the whole text, to copy


def test_missing_index_gives_a_norwegian_message_not_a_crash(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_INDEX", str(tmp_path / "finnes-ikke"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "assistant ingest" in at.error[0].value and "ASSISTANT_INDEX" in at.error[0].value


def test_an_error_while_answering_is_one_norwegian_sentence_and_the_question_stays(app, monkeypatch):
    from assistant.errors import AssistantError
    from assistant.pipeline import Assistant

    def fail(self, question, conversation=None, doc_id=None):
        raise AssistantError("Indeksen er skadet. Kjør «assistant ingest» på nytt.")

    monkeypatch.setattr(Assistant, "ask", fail)
    _ask(app, "Hva er Utsett?")
    assert app.error and app.error[0].value == "Indeksen er skadet. Kjør «assistant ingest» på nytt."
    users = [m for m in app.chat_message if m.name == "user"]
    assert _plain(users[0].markdown[0].value) == "Hva er Utsett?"

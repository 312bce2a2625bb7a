"""The Streamlit chat, driven through Streamlit's own test runner against the real index."""

from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "assistant" / "app.py"


@pytest.fixture
def app(report_index, monkeypatch):
    from streamlit.testing.v1 import AppTest

    settings, _ = report_index
    monkeypatch.setenv("ASSISTANT_INDEX", str(settings.index_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS", str(settings.corpus_dir))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    return at


def test_chat_answers_with_sources_and_keeps_the_conversation(app):
    assert not app.exception and not app.error
    app.chat_input[0].set_value("Hvor mange anmeldelser for vold i 2024?").run()
    app.chat_input[0].set_value("Og i 2023?").run()
    assert not app.exception
    texts = [m.value for m in app.markdown]
    assert any("Søkte etter:" in t and "2023" in t for t in texts), texts
    assert any(c.value.startswith("«") for c in app.caption)   # a verbatim quote under the answer


def test_missing_index_gives_a_norwegian_message_not_a_crash(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_INDEX", str(tmp_path / "finnes-ikke"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error and "assistant ingest" in at.error[0].value

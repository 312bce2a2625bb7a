"""The optional language-model path against a fake OpenAI-compatible server on localhost (real HTTP,
real llama-index client). The fake model's replies are built from the sources it is sent."""

import json
import re
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.llm import check_reply, numbers
from assistant.textclean import ws

QUESTION = "Hva er Utsett?"


class FakeModel:
    """Replies with whatever `reply(request)` returns; records every request."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.reply = lambda request: ""
        self.status = 200


def _handler(model: FakeModel):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            model.requests.append({"path": self.path, **body})
            if model.status != 200:
                self.send_response(model.status)
                self.end_headers()
                return
            payload = json.dumps({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": model.reply(body)}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(scope="module")
def fake_model():
    model = FakeModel()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(model))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    model.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield model
    server.shutdown()


@pytest.fixture(scope="module")
def llm_assistant(report_index, fake_model):
    from assistant.pipeline import Assistant

    settings = replace(report_index[0], llm="openai:fake-bokmaal", llm_base_url=fake_model.url, llm_api_key="k")
    return Assistant(settings)


def _sources(request: dict) -> dict[int, str]:
    """The numbered source texts in the prompt the assistant sent."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    blocks = re.split(r"\n\n(?=\[\d+\] )", user.split("Kilder:\n\n", 1)[1].split("\n\nSpørsmål:")[0])
    return {int(b[1 : b.index("]")]): b.split("\n", 1)[1] for b in blocks}


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", ws(text), maxsplit=1)[0].rstrip(".")


def test_a_checked_reply_is_shown_with_its_sources(llm_assistant, fake_model):
    fake_model.reply = lambda req: f"{_first_sentence(_sources(req)[1])} [1]."
    a = llm_assistant.ask(QUESTION)
    assert a.mode == "llm" and not a.fallback
    request = fake_model.requests[-1]
    assert request["model"] == "fake-bokmaal" and request["path"].endswith("/chat/completions")
    system = request["messages"][0]["content"]
    assert "bokmål" in system and "[1]" in system
    assert QUESTION in request["messages"][-1]["content"]
    assert a.answer == f"{_first_sentence(_sources(request)[1])} [1]."
    assert [c.n for c in a.citations] == [1]
    source = ws(llm_assistant.retriever.source(llm_assistant.retriever.chunks[a.citations[0].chunk_id].doc_id))
    assert all(part in source for part in a.citations[0].quote.split(" … "))


@pytest.mark.parametrize("reply, reason", [
    ("Utsett er et foreldreprogram [7].", "peker ikke på en kilde"),
    ("Utsett er et foreldreprogram.", "mangler kildehenvisning"),
    (None, "står ikke i kilden"),   # a number the cited source does not have
])
def test_an_unchecked_reply_is_replaced_by_the_extractive_answer(llm_assistant, assistant, fake_model, reply, reason):
    fake_model.reply = (lambda req: reply) if reply else (
        lambda req: f"{_first_sentence(_sources(req)[1])}, og 4711 foreldre var med [1]."
    )
    a = llm_assistant.ask(QUESTION)
    assert a.mode == "extractive" and reason in a.fallback
    assert a.answer == assistant.ask(QUESTION).answer


def test_a_server_error_keeps_the_extractive_answer(llm_assistant, assistant, fake_model):
    fake_model.status = 500
    try:
        a = llm_assistant.ask(QUESTION)
    finally:
        fake_model.status = 200
    assert a.mode == "extractive" and a.fallback and a.answer == assistant.ask(QUESTION).answer


def test_refusals_and_figures_never_reach_the_model(llm_assistant, fake_model):
    before = len(fake_model.requests)
    assert llm_assistant.ask("Hva er hovedstaden i Frankrike?").refused
    assert llm_assistant.ask("Hvor mange anmeldelser for vold i 2024?").figure
    assert len(fake_model.requests) == before


def test_numbers_are_compared_as_written_in_norwegian():
    assert numbers("2,8 milliarder og over 4 000 besøkende i 2024") == {"2.8", "4000", "2024"}
    from assistant.types import Chunk

    chunk = Chunk("d:1", "d", "Rapport", ("Kapittel",), "text", "Over 4 000 besøkende i 2024.", ((0, 10),))
    assert check_reply("Det kom 4000 besøkende i 2024 [1].", [chunk]) is None
    assert "2023" in check_reply("Det kom 4000 besøkende i 2023 [1].", [chunk])

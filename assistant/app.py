"""Streamlit chat: Norwegian answers with numbered sources. Start with `assistant app` (localhost only).

Everything from documents and questions is shown as plain text (assistant.view.md_text): nothing on
the page can make the browser fetch from elsewhere. Questions wait in a queue while an answer is
computed, so none is lost; the chat input is disabled meanwhile. A conversation is kept in this process's
memory (never on disk) under a random id in the address, so reloading the page brings it back.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from itertools import count

import streamlit as st

from assistant.chat import MAX_QUESTION_CHARS, TOO_LONG, Conversation, one_line
from assistant.config import Settings
from assistant.documents import list_documents, source_link
from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore
from assistant.index import Paths
from assistant.passages import readable
from assistant.pipeline import Assistant
from assistant.textclean import as_read
from assistant.view import (answer_md, cited_sentences, clipped, csv_text, emphasise, md_link, md_text,
                            read_starters, slug, surrounding, table_lines, table_rows, without_urls)

st.set_page_config(page_title="SLT-assistenten – spør dokumentene", page_icon="💬", layout="centered",
                   menu_items={"Get help": None, "Report a bug": None, "About": None})

# Our own constant CSS (no user text): «Søkte etter» on one line, no «Running/Stop» status widget
# (the spinner says what happens), nothing wider than a phone screen.
st.markdown(
    """<style>
    [class*="st-key-searched"] p {white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
    [data-testid="stStatusWidget"] {display: none;}
    .stMainBlockContainer {overflow-wrap: anywhere;}
    </style>""",
    unsafe_allow_html=True,
)
log = logging.getLogger("assistant.app")
INPUT_CHARS = 5 * MAX_QUESTION_CHARS
CHAT_PARAM = "samtale"       # the address parameter holding the conversation's id
KEPT_CONVERSATIONS = 200     # conversations kept for a reload, the least recently used dropped first
KEPT_MINUTES = 60            # … and one unused this long is dropped


@st.cache_resource(show_spinner="Laster dokumentene og søkeindeksen …")
def load_assistant(settings: Settings, built: float) -> Assistant:
    """One assistant per index build: a new `assistant ingest` is picked up on the next page run."""
    assistant = Assistant(settings)
    try:
        assistant.retriever.search("SLT", k=1)   # load the embedding model now, not on the first question
    except Exception:  # noqa: BLE001 - a warm-up failure shows up on the first real question instead
        log.exception("warm-up search failed")
    return assistant


def index_built(settings: Settings) -> float:
    manifest = Paths(settings.index_dir).manifest
    return manifest.stat().st_mtime if manifest.exists() else 0.0


settings = Settings.from_env()
try:
    assistant = load_assistant(settings, index_built(settings))
except AssistantError as exc:
    st.error(str(exc))
    st.stop()


@st.cache_resource(show_spinner=False)
def kept_conversations() -> tuple[threading.Lock, OrderedDict]:
    """The conversations of this process, id → (conversation, last used), in memory only: a reload starts a new
    Streamlit session, which finds its conversation again by the id in the address."""
    return threading.Lock(), OrderedDict()


def new_chat() -> dict:
    """An empty conversation, as the session state holds it."""
    return {
        "messages": [],            # dicts: role, id, text | question, answer, error
        "queue": [],               # questions waiting for an answer, oldest first
        "conversation": Conversation(),
        "ids": count(1),
        "feedback_rows": {},       # message id → feedback row id
    }


def keep(cid: str, chat: dict | None = None) -> dict | None:
    """The conversation kept under the id, marked as just used; with `chat`, that one is kept under it. Those
    unused for KEPT_MINUTES, and the least recently used beyond KEPT_CONVERSATIONS, are dropped."""
    lock, kept = kept_conversations()
    now = time.monotonic()
    with lock:
        for old in [k for k, (_, used) in kept.items() if now - used > KEPT_MINUTES * 60]:
            del kept[old]
        chat = chat or (kept[cid][0] if cid in kept else None)
        if chat is not None:
            kept[cid] = (chat, now)
            kept.move_to_end(cid)
        while len(kept) > KEPT_CONVERSATIONS:
            kept.popitem(last=False)
    return chat


def forget(cid: str) -> None:
    lock, kept = kept_conversations()
    with lock:
        kept.pop(cid, None)


def use_chat(cid: str, chat: dict) -> None:
    """This session goes on with the conversation: the same objects as kept, so what it adds, a reload finds."""
    state.chat_id, state.chat = cid, chat
    for name, value in chat.items():
        state[name] = value


state = st.session_state
if "chat_id" not in state:
    asked_for = st.query_params.get(CHAT_PARAM)
    found = keep(asked_for) if asked_for else None
    if found is not None:
        use_chat(asked_for, found)
    else:
        use_chat(secrets.token_urlsafe(12), new_chat())
keep(state.chat_id, state.chat)   # used now (kept again if it was dropped)
st.query_params[CHAT_PARAM] = state.chat_id


# --- callbacks (run before the page script, so nothing the user sends is lost) -------------------

def enqueue(question: str) -> None:
    question = (question or "").strip()
    if not question:
        return
    too_long = len(question) > MAX_QUESTION_CHARS
    state.messages.append({"role": "user", "id": next(state.ids), "text": one_line(question, 300) if too_long else question})
    if too_long:
        state.messages.append({"role": "assistant", "id": next(state.ids), "error": TOO_LONG, "question": question})
    else:
        state.queue.append(question)


def on_submit() -> None:
    enqueue(state.get("question_input") or "")


def new_conversation() -> None:
    # the old conversation is forgotten, and the new one has an id of its own: the old address shows neither
    forget(state.chat_id)
    cid, chat = secrets.token_urlsafe(12), new_chat()
    chat["ids"] = state.ids   # message ids go on counting: no widget key of the old conversation comes back
    use_chat(cid, keep(cid, chat))
    st.query_params[CHAT_PARAM] = cid


def store_feedback(message: dict) -> None:
    rating = state.get(f"fb-{message['id']}")
    if rating is None:
        return
    store = FeedbackStore(settings.index_dir)
    row = state.feedback_rows.get(message["id"])
    score = 1 if rating == 1 else -1
    if row is None:
        state.feedback_rows[message["id"]] = store.add(score, message["answer"])
    else:
        store.update(row, rating=score)


def store_comment(message: dict) -> None:
    row = state.feedback_rows.get(message["id"])
    comment = state.get(f"fbc-{message['id']}") or ""
    if row is not None and comment.strip():
        FeedbackStore(settings.index_dir).update(row, comment=comment[:MAX_QUESTION_CHARS])
        state[f"fb-sent-{message['id']}"] = True


# --- page ----------------------------------------------------------------------------------------

def document_label(d: dict) -> str:
    """«SLT årsrapport 2024 – Bærum kommune (2024, 82 sider)»: title, year and pages where known."""
    facts = [str(d["year"])] if d.get("year") else []
    if d.get("pages"):
        facts.append(f"{d['pages']} sider")
    return f"{d.get('title') or d.get('file')}" + (f" ({', '.join(facts)})" if facts else "")


def documents_line() -> str:
    docs = assistant.retriever.manifest.get("documents", {})
    return "; ".join(document_label(d) for d in docs.values())


st.title("SLT-assistenten")
st.markdown(
    "Svarer på spørsmål om rus- og kriminalitetsforebygging i Bærum bare ut fra kommunens dokumenter, "
    "med kilde til hvert svar – og sier fra når dokumentene ikke dekker spørsmålet."
)
st.caption("Dokumenter: " + md_text(documents_line()))
all_docs = assistant.retriever.manifest.get("documents", {})
if len(all_docs) > 1:  # narrow the conversation to one document
    labels = {"": "Alle dokumentene", **{doc_id: document_label(d) for doc_id, d in all_docs.items()}}
    st.selectbox("Svar fra", options=list(labels), format_func=labels.get, key="doc_filter")

if state.messages:
    st.button("Ny samtale", icon=":material/refresh:", on_click=new_conversation, key="new-conversation")
else:
    starters = read_starters(settings.corpus_dir / "starters.yaml")
    if starters:
        st.markdown("**Prøv et spørsmål:**")
        for column, (group, questions) in zip(st.columns(len(starters)), starters.items()):
            with column:
                st.markdown(f"**{md_text(group)}**")
                for i, q in enumerate(questions):
                    st.button(md_text(q), key=f"starter-{slug(group)}-{i}", on_click=enqueue, args=(q,),
                              width="stretch")


def show_figure(answer, mid: int) -> None:
    figure = answer.figure or {}
    series = {str(y): v for y, v in (figure.get("series") or {}).items() if isinstance(v, (int, float))}
    if len(series) >= 2:
        import pandas as pd

        label = str(figure.get("row") or "verdi")
        frame = pd.DataFrame({"x": list(series), label: list(series.values())}).set_index("x")
        years = all(y.isdigit() and len(y) == 4 for y in series)
        st.bar_chart(frame, height=220, x_label="År" if years else "", y_label="")
    header, rows = table_rows(figure)
    if rows:
        import pandas as pd

        st.dataframe(pd.DataFrame(rows, columns=header).astype(str), hide_index=True, width="stretch")
        name = str(figure.get("table") or "tabell")
        st.download_button("Last ned tabellen (CSV)", csv_text(header, rows), file_name=f"{slug(name)}.csv",
                           mime="text/csv", key=f"csv-{mid}", icon=":material/download:", on_click="ignore")


def show_sources(answer, mid: int) -> None:
    if not answer.citations:
        return
    st.markdown("**Kilder**")
    docs = list_documents(settings)
    # one card at a time, [1] [2] …: on a phone, cards one under another push the answer screens up
    places = st.tabs([f"[{c.n}]" for c in answer.citations]) if len(answer.citations) > 1 else [st.container()]
    for c, place in zip(answer.citations, places):
        with place, st.container(border=True):
            st.markdown(f"**\\[{c.n}\\] {md_text(c.document)}**")
            st.caption(md_text(c.where))
            # the answer leaves out a file name that repeats the word before it; the quote shown does too
            # on a phone, four whole quotes make a page of their own: the card shows the first sentences
            quote = clipped(as_read(c.quote))
            st.markdown(f"«{emphasise(quote, cited_sentences(answer.answer, c.n))}»")
            links = [md_link(link) for link in c.links]
            online = source_link(settings, c, docs)   # «Les Veileder ved bekymring (PDF, s. 4)»
            if online:
                links.insert(0, md_link(online))
            if links:
                st.markdown("Lenker: " + " · ".join(links))
            chunk = assistant.retriever.chunks.get(c.chunk_id) if c.chunk_id else None
            if chunk is not None:
                with st.expander("Vis mer"):
                    try:
                        source = assistant.retriever.source(chunk.doc_id)
                        context = surrounding(source, chunk.start, chunk.end)
                    except (OSError, IndexError, ValueError):
                        context = chunk.text
                    if readable(chunk) is None:   # a table of figures: its rows, one per line
                        st.markdown(table_lines(without_urls(context)))
                    else:
                        st.markdown(emphasise(without_urls(context), without_urls(c.quote)))


def show_feedback(message: dict) -> None:
    mid = message["id"]
    st.feedback("thumbs", key=f"fb-{mid}", on_change=store_feedback, args=(message,))
    if state.get(f"fb-{mid}") is None:
        return
    if state.get(f"fb-sent-{mid}"):
        st.caption("Takk for tilbakemeldingen! Den er lagret på denne maskinen, uten navn og kontaktinfo.")
        return
    with st.form(key=f"fbf-{mid}", border=False):
        st.text_input("Kommentar (valgfritt)", key=f"fbc-{mid}", max_chars=MAX_QUESTION_CHARS,
                      placeholder="Hva var bra, eller hva manglet?")
        st.form_submit_button("Send kommentar", on_click=store_comment, args=(message,))


def show_answer(message: dict) -> None:
    mid = message["id"]
    if "error" in message:
        st.error(message["error"])
        if len(message.get("question", "")) > MAX_QUESTION_CHARS:
            # the whole message, to copy and shorten: nothing the user wrote is lost
            st.caption("Teksten din, så du kan kopiere den og korte den ned:")
            st.code(message["question"], language=None, wrap_lines=True)
        return
    answer = message["answer"]
    if answer.searched and answer.searched != message["question"]:
        with st.container(key=f"searched-{mid}"):
            st.caption("Søkte etter: " + md_text(one_line(answer.searched)))
    st.markdown(answer_md(answer.answer))
    if answer.fallback:
        st.caption(md_text(f"Språkmodellens svar ble ikke brukt fordi {answer.fallback}; "
                           "svaret er hentet direkte fra dokumentene."))
    if answer.refused and answer.suggestions:
        st.caption("Dette finnes i dokumentene – prøv heller:")
        for i, q in enumerate(answer.suggestions[:3]):
            st.button(md_text(q), key=f"suggest-{mid}-{i}", on_click=enqueue, args=(q,))
    if answer.figure:
        show_figure(answer, mid)
    show_sources(answer, mid)
    show_feedback(message)


for message in state.messages:
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.markdown(md_text(message["text"]))
        else:
            show_answer(message)

# The input takes more than a question may hold: a paste over the input's own limit is dropped whole by
# the browser, without a word, while a long question that arrives gets «Spørsmålet er for langt».
st.chat_input(f"Skriv et spørsmål (høyst {MAX_QUESTION_CHARS} tegn)", key="question_input",
              max_chars=INPUT_CHARS, on_submit=on_submit, submit_mode="disable")

if state.queue:
    question = state.queue[0]
    with st.chat_message("assistant"):
        with st.spinner("Leter i dokumentene …"):
            try:
                reply = {"answer": assistant.ask(question, state.conversation, doc_id=state.get("doc_filter") or None)}
            except AssistantError as exc:
                reply = {"error": str(exc)}
            except Exception:  # noqa: BLE001 - the user gets a sentence, the log gets the traceback
                log.exception("answering failed")
                reply = {"error": "Noe gikk galt da svaret skulle lages. Prøv igjen, eller still spørsmålet "
                                  "på en annen måte."}
            # state changes before any other Streamlit call, so a rerun cannot drop this answer
            if state.queue and state.queue[0] is question:
                state.queue.pop(0)
                state.messages.append({"role": "assistant", "id": next(state.ids), "question": question, **reply})
    st.rerun()

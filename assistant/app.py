"""Streamlit chat: Norwegian answers with numbered sources. Start with `assistant app` (localhost only)."""

from __future__ import annotations

import streamlit as st

from assistant.chat import Conversation
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index import Paths
from assistant.pipeline import Assistant

st.set_page_config(page_title="SLT-assistenten", page_icon="💬")


@st.cache_resource(show_spinner="Laster indeksen …")
def load_assistant(settings: Settings, built: float) -> Assistant:
    """One assistant per index build: a new `assistant ingest` is picked up on the next question."""
    return Assistant(settings)


def index_built(settings: Settings) -> float:
    manifest = Paths(settings.index_dir).manifest
    return manifest.stat().st_mtime if manifest.exists() else 0.0


def show_sources(answer) -> None:
    if not answer.citations:
        return
    with st.expander("Kilder", expanded=True):
        for c in answer.citations:
            st.markdown(f"**[{c.n}]** {c.document} – {c.where}")
            st.caption(f"«{c.quote}»")
            for link in c.links:
                st.markdown(f"[{link}]({link})")


st.title("SLT-assistenten")
st.caption(
    "Svarer bare ut fra dokumentene i samlingen (SLT-årsrapporten 2024 m.fl.), med kilde til hvert utsagn. "
    "Finnes ikke svaret i dokumentene, sier assistenten fra."
)

settings = Settings.from_env()
try:
    assistant = load_assistant(settings, index_built(settings))
except AssistantError as exc:
    st.error(str(exc))
    st.stop()

if "conversation" not in st.session_state:
    st.session_state.conversation = Conversation()
    st.session_state.messages = []

for role, content, answer in st.session_state.messages:
    with st.chat_message(role):
        st.markdown(content)
        if answer is not None:
            show_sources(answer)

question = st.chat_input("Still et spørsmål, f.eks. «Hva gjør jeg ved bekymring for radikalisering?»")
if question:
    st.session_state.messages.append(("user", question, None))
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            answer = assistant.ask(question, st.session_state.conversation)
        except AssistantError as exc:
            st.error(str(exc))
        else:
            text = answer.answer
            if answer.searched and answer.searched != question:
                text = f"_Søkte etter: {answer.searched}_\n\n{text}"
            st.markdown(text)
            if answer.fallback:
                st.caption(f"Språkmodellens svar ble ikke brukt fordi {answer.fallback}; svaret er hentet direkte fra dokumentene.")
            show_sources(answer)
            st.session_state.messages.append(("assistant", text, answer))

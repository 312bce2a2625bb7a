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

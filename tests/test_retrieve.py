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


def test_the_dense_search_is_exact_and_agrees_with_chroma(assistant):
    r = assistant.retriever
    assert len(r._exact[0]) == len(r.chunks)
    for q in ("Hva gjør jeg ved bekymring for radikalisering?", "hvor får jeg hjelp med rus", "Hva er Utsett?"):
        exact = r.dense(q, 10)
        saved, r._exact = r._exact, None
        try:
            approx = dict(r.dense(q, 10))
        finally:
            r._exact = saved
        # the same nearest chunks as Chroma's own search, with its scores (exp(-cosine distance))
        assert len(approx.keys() & dict(exact).keys()) >= 8
        assert all(abs(approx[i] - s) < 1e-4 for i, s in exact if i in approx)
        assert [s for _, s in exact] == sorted((s for _, s in exact), reverse=True)
    # a document filter keeps the order within that document
    doc = next(iter(r.chunks.values())).doc_id
    assert all(r.chunks[i].doc_id == doc for i, _ in r.dense("rus", 5, doc_id=doc))
    assert r.dense("rus", 5, doc_id="ingen-slik") == []


def test_vectors_are_read_in_pages_and_all_arrive(assistant, report_index, monkeypatch):
    import numpy as np

    from assistant import retrieve

    monkeypatch.setattr(retrieve, "READ_PAGE", 7)
    paged = retrieve.Retriever(report_index[0])
    ids, vectors, _ = assistant.retriever._exact
    assert len(ids) == len(assistant.retriever.chunks) > 7
    assert paged._exact[0] == ids and np.allclose(paged._exact[1], vectors)

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "slt-arsrapport-baerum-2024.txt"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Tests never touch the user's index: everything lives under a temporary ASSISTANT_HOME."""
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    for var in ("ASSISTANT_CORPUS", "ASSISTANT_INDEX", "ASSISTANT_EMBEDDER", "ASSISTANT_LLM", "ASSISTANT_CHROMA_HOST",
                "ASSISTANT_BM25_COMPOUNDS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def report_index(tmp_path_factory):
    """The real report embedded once with the default embedder, shared by the whole session."""
    from assistant.config import Settings
    from assistant.index import ingest

    home = tmp_path_factory.mktemp("report")
    (home / "corpus").mkdir()
    shutil.copy(REPORT, home / "corpus" / REPORT.name)
    shutil.copy(ROOT / "corpus" / "sources.yaml", home / "corpus" / "sources.yaml")
    settings = Settings.from_env(corpus=home / "corpus", index=home / "index")
    report = ingest(settings)
    return settings, report


@pytest.fixture(scope="session")
def assistant(report_index):
    from assistant.pipeline import Assistant

    return Assistant(report_index[0])


@pytest.fixture(scope="session")
def report_sections():
    from assistant.loaders import load_document
    from assistant.structure import parse

    doc = load_document(REPORT)
    return doc, parse(doc)

"""`assistant hent` against a local HTTP server started by the test: real downloads over 127.0.0.1,
with a 404, an HTML page named .pdf, files too large, a slow answer, redirects and a closed port."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from pathlib import Path

import pytest
import yaml

from assistant.cli import main
from pdfmaker import simple_pdf
from fakes import free_port

VEILEDER = [
    "# Veileder ved bekymring\nDenne veilederen er for ansatte i skole og barnehage.\n\n"
    "Ved bekymring for radikalisering skal du først snakke med nærmeste leder.",
    "# Hvem kontakter jeg\nRing SLT-koordinator eller politiets forebyggende avdeling.\n\n"
    "Konsultasjonsteamet drøfter saken anonymt innen en uke.",
]
TRYGG = ["# Trygghetsprogrammet\nProgrammet følger opp unge som er utsatt for vold.\n\n"
         "Unge får en fast kontaktperson og hjelp til anmeldelse."]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    files = tmp_path_factory.mktemp("site")
    pdfs = {
        "/docs/veileder-ved-bekymring.pdf": simple_pdf(files / "a.pdf", VEILEDER, title="Metadatatittel som ikke brukes").read_bytes(),
        "/docs/trygghetsprogrammet-veileder-2020.pdf": simple_pdf(files / "b.pdf", TRYGG, title="Trygghetsprogrammet – veileder").read_bytes(),
        "/docs/foreldreveileder.pdf": simple_pdf(files / "c.pdf", ["# Fra nettet\nSkal ikke erstatte brukerens fil."]).read_bytes(),
    }
    big = b"%PDF-1.4\n" + b"0" * 300_000
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, code, body=b"", ctype="application/pdf", length=True, headers=()):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            if length:
                self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            seen.append(self.path)
            p = self.path
            if p in pdfs:
                self._send(200, pdfs[p])
            elif p == "/gammel/trygghetsprogrammet-veileder-2020.pdf":
                self._send(302, headers=[("Location", "/docs/trygghetsprogrammet-veileder-2020.pdf")])
            elif p.startswith("/loop"):
                n = int(p.split("-")[1].split(".")[0]) if "-" in p else 0
                self._send(302, headers=[("Location", f"/loop-{n + 1}.pdf")])
            elif p == "/side.pdf":
                self._send(200, b"<html><body>Dokumentet er flyttet</body></html>", "text/html; charset=utf-8")
            elif p == "/forkledd.pdf":
                self._send(200, b"<!DOCTYPE html><html>ikke en pdf</html>", "application/pdf")
            elif p == "/stor.pdf":
                self._send(200, big)
            elif p == "/stor-uten-lengde.pdf":
                self._send(200, big, length=False)
            elif p == "/treg.pdf":
                time.sleep(3)
                self._send(200, pdfs["/docs/veileder-ved-bekymring.pdf"])
            else:
                self._send(404, b"Not found", "text/html")

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def _hashes(corpus: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.iterdir()}


def test_hent_fetches_the_pdfs_and_reports_the_rest(tmp_path, server, capsys):
    base, seen = server
    closed = f"http://127.0.0.1:{free_port()}/frakoblet.pdf"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    links = {
        "veileder": f"{base}/docs/veileder-ved-bekymring.pdf",
        "trygg": f"{base}/gammel/trygghetsprogrammet-veileder-2020.pdf",
        "own": f"{base}/docs/foreldreveileder.pdf",
        "missing": f"{base}/borte.pdf",
        "html": f"{base}/side.pdf",
        "disguised": f"{base}/forkledd.pdf",
        "big": f"{base}/stor.pdf",
        "big_stream": f"{base}/stor-uten-lengde.pdf",
        "slow": f"{base}/treg.pdf",
        "loop": f"{base}/loop.pdf",
        "offline": closed,
    }
    (corpus / "handlingsplan-2024.md").write_text(
        "# Handlingsplan 2024\n\nSe [Veileder ved bekymring](" + links["veileder"] + ") før du ringer.\n\n"
        "## Ressurser\n\nTrygghetsprogrammet har en egen veileder:\n\n" + links["trygg"] + "\n\n"
        "Andre dokumenter:\n\n" + "\n".join(v for k, v in links.items() if k not in ("veileder", "trygg")) + "\n",
        encoding="utf-8")
    simple_pdf(corpus / "foreldreveileder.pdf", ["# Brukerens egen foreldreveileder\nSnakk med barnet ditt."])
    (corpus / "sources.yaml").write_text("# brukerens egne notater\nforeldreveileder.pdf:\n  title: Egen\n",
                                         encoding="utf-8")
    before = _hashes(corpus)
    yaml_before = (corpus / "sources.yaml").read_text(encoding="utf-8")
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]

    assert main(["hent", *args]) == 0
    listing = capsys.readouterr().out
    for url in links.values():
        assert url in listing
    assert "Nevnt i: Handlingsplan 2024 › Handlingsplan 2024" in listing
    assert "Lenketekst: Veileder ved bekymring" in listing
    assert _hashes(corpus) == before and not seen  # listing touches neither the corpus nor the network

    code = main(["hent", "--alle", *args, "--maks-mb", "0.1", "--tidsavbrudd", "0.5"])
    out, err = capsys.readouterr()
    assert code == 1

    after = _hashes(corpus)
    new = set(after) - set(before)
    assert new == {"veileder-ved-bekymring.pdf", "trygghetsprogrammet-veileder-2020.pdf", "sources.yaml"} - set(before)
    assert {k: v for k, v in after.items() if k in before and k != "sources.yaml"} == \
        {k: v for k, v in before.items() if k != "sources.yaml"}
    yaml_after = (corpus / "sources.yaml").read_text(encoding="utf-8")
    assert yaml_after.startswith(yaml_before)
    meta = yaml.safe_load(yaml_after)
    assert meta["foreldreveileder.pdf"] == {"title": "Egen"}
    v = meta["veileder-ved-bekymring.pdf"]
    assert v["title"] == "Veileder ved bekymring" and v["url"] == links["veileder"] and "year" in v
    assert len(str(v["fetched"])) == 10
    t = meta["trygghetsprogrammet-veileder-2020.pdf"]
    assert t["title"] == "Trygghetsprogrammet – veileder" and t["year"] == 2020 and t["url"] == links["trygg"]

    def reason(key):
        line = next(ln for ln in err.splitlines() if links[key] + ":" in ln)
        return line.split(links[key] + ":", 1)[1]

    assert "finnes ikke lenger" in reason("missing") and "404" in reason("missing")
    assert "er ikke en PDF" in reason("html") and "text/html" in reason("html")
    assert "er ikke en PDF" in reason("disguised")
    assert "for stor" in reason("big") and "for stor" in reason("big_stream")
    assert "svarte ikke innen 0,5 s" in reason("slow") or "svarte ikke innen 0.5 s" in reason("slow")
    assert "videresendes for mange ganger" in reason("loop")
    assert "fikk ikke kontakt" in reason("offline")
    assert "finnes fra før og blir ikke overskrevet" in reason("own")
    assert "9 av 11 lenker kunne ikke hentes" in err
    assert f"Hentet {links['veileder']}" in out and "2 sider" in out

    # ingested: the fetched guide's chunks cite its own title and page
    from assistant.config import Settings
    from assistant.documents import list_documents
    from assistant.index import Paths, read_chunks

    settings = Settings.from_env(corpus=corpus, index=tmp_path / "index")
    chunks = read_chunks(Paths(settings.index_dir))["veileder-ved-bekymring.pdf"]
    assert {c.doc_title for c in chunks} == {"Veileder ved bekymring"}
    pages = {c.page for c in chunks if "Konsultasjonsteamet" in c.text}
    assert pages == {2}
    docs = {d.doc_id: d for d in list_documents(settings)}
    assert docs["veileder-ved-bekymring.pdf"].url == links["veileder"] and docs["veileder-ved-bekymring.pdf"].pages == 2
    assert docs["trygghetsprogrammet-veileder-2020.pdf"].year == 2020

    # an answer from the fetched guide links to the source at the page of its quote
    assert main(["ask", "Hvem drøfter saken anonymt?", "--dokument", "veileder ved bekymring", *args]) == 0
    printed = capsys.readouterr().out
    assert "Konsultasjonsteamet" in printed
    assert f"Les Veileder ved bekymring (PDF, s. 2): {links['veileder']}#page=2" in printed

    # a second run fetches nothing it already has, and the listing marks both as in corpus/
    seen.clear()
    main(["hent", *args])
    listing = capsys.readouterr().out
    assert f"✓ {links['veileder']}  [i corpus/ (veileder-ved-bekymring.pdf)]" in listing
    assert main(["hent", links["veileder"], *args]) == 0
    assert "er allerede hentet" in capsys.readouterr().out and not seen


def test_hent_refuses_what_is_not_a_web_address(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ingen lenker her.\n", encoding="utf-8")
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert main(["hent", *args]) == 0
    assert "lenker ikke til andre dokumenter" in capsys.readouterr().out
    assert main(["hent", "ftp://eksempel.no/a.pdf", *args]) == 1
    assert "er ikke en nettadresse" in capsys.readouterr().err
    (corpus / "sources.yaml").write_text("veileder.pdf:\n  url: https://eksempel.no/gammel/veileder.pdf\n",
                                         encoding="utf-8")
    assert main(["hent", "http://127.0.0.1:9/ny/veileder.pdf", *args]) == 1
    assert "har allerede en oppføring for veileder.pdf med en annen adresse" in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt", "sources.yaml"]

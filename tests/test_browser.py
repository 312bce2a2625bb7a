"""The chat in a real browser: Debian's chromium driven by Playwright against `assistant run`.

One page load at phone width (390 px) walks through what a user does: a starter question, a source
card with a working guide link and «Vis mer», a figure with chart, rows and CSV, a follow-up that is
rewritten and a complete question that is not, a refusal, feedback (stored masked), two questions
sent back to back, markdown images in the corpus and in a question, and «Ny samtale». A local pixel
server proves that no image is fetched, and every request the page makes is recorded: none may leave
the app's own address.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fakes import free_port

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
                    "0f0000010101005a4d6d4d0000000049454e44ae426082")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian-pakken chromium mangler (apt-get install -y chromium; .ci/run gjør det)")


class _Pixel(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pixel():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pixel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Pixel.hits
    server.shutdown()


@pytest.fixture(scope="module")
def chat_server(report_index, pixel, tmp_path_factory):
    """`assistant run` on a free port: the session's report index plus one hostile markdown document."""
    settings, _ = report_index
    pixel_url, _ = pixel
    home = tmp_path_factory.mktemp("browser")
    shutil.copytree(settings.index_dir, home / "index", ignore=shutil.ignore_patterns("feedback.sqlite3"))
    shutil.copytree(settings.corpus_dir, home / "corpus")
    shutil.copy(ROOT / "corpus" / "starters.yaml", home / "corpus" / "starters.yaml")
    (home / "corpus" / "pikselprove.md").write_text(
        f"# Pikselprøven ![t]({pixel_url}/heading.png)\n\n"
        f"## Om pikselprøven ![s]({pixel_url}/section.png)\n\n"
        f"Pikselprøven er en årlig øvelse der SLT-koordinatoren sjekker at chatten aldri henter bilder "
        f"fra andre maskiner ![b]({pixel_url}/body.png). Pikselprøven gjennomføres hver høst.\n",
        encoding="utf-8")
    with (home / "corpus" / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(f'\npikselprove.md:\n  title: "Pikselprøven ![t]({pixel_url}/title.png)"\n  year: 2025\n')
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX": str(home / "index"), "ASSISTANT_CORPUS": str(home / "corpus"),
           "PYTHONPATH": str(ROOT), "OMP_WAIT_POLICY": "PASSIVE"}
    log = (home / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "run", "--port", str(port)], cwd=home,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, (home / "server.log").read_text()
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (home / "server.log").read_text()
            time.sleep(0.5)
        yield url, home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_chat_in_a_real_browser(chat_server, pixel, assistant, tmp_path):
    from playwright.sync_api import Error as PlaywrightError, expect, sync_playwright

    url, home = chat_server
    pixel_url, pixel_hits = pixel
    own = url.split("//")[1]
    foreign: list[str] = []          # requests from the page to anything but the app
    opened: list[str] = []           # pages opened by clicking a document's link (answered locally)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)

        def route(r):
            if r.request.url.split("/")[2] == own:
                return r.continue_()
            try:
                from_page = r.request.frame.page is page
            except PlaywrightError:       # the first request of a newly opened tab has no frame yet
                from_page = False
            if from_page:    # let the pixel server see what got through; anything else goes nowhere
                foreign.append(r.request.url)
                return r.continue_() if r.request.url.startswith(pixel_url) else r.abort()
            opened.append(r.request.url)
            return r.fulfill(status=200, content_type="text/html", body="<p>veileder</p>")

        context.route("**/*", route)
        page = context.new_page()
        page.on("request", lambda r: None if r.url.split("/")[2] == own or r.url.startswith("data:")
                else foreign.append(r.url))
        expect.set_options(timeout=60_000)

        def assistant_messages():
            # a finished answer carries its feedback buttons; one still being computed does not
            return page.locator('[data-testid="stChatMessage"]:has([data-testid="stFeedback"])')

        def ask(question: str, n_before: int | None = None):
            before = assistant_messages().count() if n_before is None else n_before
            box = page.get_by_placeholder("Skriv et spørsmål")
            box.fill(question)
            box.press("Enter")
            expect(assistant_messages()).to_have_count(before + 1)

        def no_sideways_scroll():
            width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width <= inner, f"{width} px wide at {inner} px"

        def last_answer():
            return page.locator('[data-testid="stChatMessage"]').last

        # first screen: Norwegian title, what it is, the documents (a markdown title shown as text), starters
        page.goto(url)
        expect(page.get_by_role("button", name="Hva gjør jeg ved bekymring for radikalisering?")).to_be_visible()
        assert "SLT-assistenten" in page.title()
        page.wait_for_timeout(500)
        assert pixel_hits == [] and foreign == [], (pixel_hits, foreign)  # a document title holds an image
        body = page.inner_text("body")
        assert "Svarer på spørsmål" in body and "SLT årsrapport 2024" in body
        assert f"Pikselprøven ![t]({pixel_url}/title.png) (2025)" in body
        for group in ("Skoleansatt", "Forelder", "Koordinator"):
            expect(page.get_by_text(group, exact=True)).to_be_visible()
        assert page.locator('[class*="st-key-starter-"] button').count() == 9
        for english in ("Deploy", "Rerun", "Clear cache"):
            assert page.get_by_text(english).count() == 0
        no_sideways_scroll()
        page.screenshot(path=str(tmp_path / "first-390.png"))

        # a starter: answer, source card, a guide link that opens, «Vis mer»
        page.get_by_role("button", name="Hva gjør jeg ved bekymring for radikalisering?").click()
        expect(assistant_messages()).to_have_count(1)
        card = last_answer().locator('[data-testid="stVerticalBlockBorderWrapper"], .stVerticalBlock').filter(
            has_text="SLT årsrapport 2024").first
        expect(card).to_be_visible()
        link = last_answer().locator('a[href^="http"]').first
        href = link.get_attribute("href")
        assert own not in href
        with context.expect_page() as popup:
            link.click()
        popup.value.wait_for_load_state()
        assert popup.value.url == href and opened == [href.split("#")[0]]
        popup.value.close()
        last_answer().get_by_text("Vis mer").first.click()
        expect(last_answer().locator("details[open] strong").first).to_be_visible()

        # a figure: chart, the table's rows, CSV download
        ask("Hvor mange anmeldelser for vold i 2024?")
        expect(last_answer().locator('[data-testid="stVegaLiteChart"]')).to_have_count(1)
        expect(last_answer().locator('[data-testid="stDataFrame"]')).to_have_count(1)
        with page.expect_download() as download:
            last_answer().get_by_text("Last ned tabellen (CSV)").click()
        csv_text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "Vold" in csv_text and "2024" in csv_text.splitlines()[0]

        # follow-ups: «Og i 2022?» is rewritten (one line), a complete question is not
        ask("Og i 2022?")
        searched = last_answer().get_by_text("Søkte etter:")
        expect(searched).to_be_visible()
        assert "2022" in searched.inner_text() and "vold" in searched.inner_text()
        assert searched.evaluate("e => e.getBoundingClientRect().height") < 30      # one line
        ask("Hva er Utsett?")
        expect(last_answer().get_by_text("Søkte etter:")).to_have_count(0)
        expect(last_answer().get_by_text("Utsett!").first).to_be_visible()

        # feedback on that answer: 👎 with a comment full of personal data, stored masked
        last_answer().get_by_role("radio", name="Thumbs down").click()
        comment = last_answer().get_by_label("Kommentar (valgfritt)")
        comment.fill("Ring Kari Nordmann på 912 34 567 eller kari@example.no")
        last_answer().get_by_role("button", name="Send kommentar").click()
        expect(last_answer().get_by_text("Takk for tilbakemeldingen")).to_be_visible()
        rows = sqlite3.connect(home / "index" / "feedback.sqlite3").execute(
            "SELECT rating, comment, question FROM feedback").fetchall()
        assert [(r, q) for r, _, q in rows] == [(-1, "Hva er Utsett?")]
        stored = rows[0][1]
        assert "[navn] på [telefon] eller [e-post]" in stored
        assert not any(s in stored for s in ("Kari", "Nordmann", "912", "example"))

        # a refusal: the suggested questions, when the answerer gives any, are buttons that ask them
        refused_q = "Hvordan blir været i Oslo i morgen?"
        expected = assistant.ask(refused_q).suggestions
        ask(refused_q)
        suggestions = last_answer().locator('[class*="st-key-suggest-"] button')
        expect(suggestions).to_have_count(min(len(expected), 3))
        if expected:
            n = assistant_messages().count()
            suggestions.first.click()
            expect(assistant_messages()).to_have_count(n + 1)
            expect(page.locator('[data-testid="stChatMessage"]').nth(-2)).to_contain_text(expected[0])

        # markdown images in a question and in the corpus (title, heading, text) stay text
        ask(f"![q]({pixel_url}/question.png) Hva er pikselprøven?")
        expect(last_answer()).to_contain_text("ikselprøven")
        assert page.locator(f'a[href^="{pixel_url}"], img[src^="{pixel_url}"]').count() == 0   # no raw links

        # two questions sent back to back: the input waits, both are answered
        n = assistant_messages().count()
        box = page.get_by_placeholder("Skriv et spørsmål")
        box.fill("Hva er fryktkapital?")
        box.press("Enter")
        box.fill("Hvordan rekrutteres barn til kriminalitet?")
        box.press("Enter")
        expect(assistant_messages()).to_have_count(n + 2)
        texts = page.locator('[data-testid="stChatMessage"]').all_inner_texts()
        assert "fryktkapital" in texts[-3].lower() and "rekrutter" in texts[-1].lower()
        no_sideways_scroll()
        page.set_viewport_size({"width": 390, "height": 3000})
        page.screenshot(path=str(tmp_path / "answers-390.png"))
        page.set_viewport_size({"width": 390, "height": 844})

        # «Ny samtale» clears: the starters are back and «Og i 2022?» has nothing to lean on
        page.get_by_role("button", name="Ny samtale").click()
        expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(0)
        expect(page.locator('[class*="st-key-starter-"] button')).to_have_count(9)
        ask("Og i 2022?", n_before=0)
        expect(page.get_by_text("Søkte etter:")).to_have_count(0)

        browser.close()

    shots = os.environ.get("ASSISTANT_SCREENSHOTS")
    if shots:
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, Path(shots) / png.name)
    assert pixel_hits == [], pixel_hits
    assert foreign == [], foreign

"""A citation carries the links that stand in what it quotes, not every link of its chunk: a measure in
a table shows its own guide, not the guide of the row below it; a sentence shows the file it names,
not the one named in the next sentence."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.index import Paths, ingest, read_chunks
from assistant.quotes import find_span
from fakes import use_hash_embedder

URL = "https://eksempel.no/dokumenter/"
GUIDE, SAFETY = URL + "veileder-ved-bekymring.pdf", URL + "trygghetsprogrammet-veileder-2020.pdf"
PARENTS, NET = URL + "foreldreveileder.pdf", URL + "nettvett-for-elever.pdf"

# A narrow-cell table of measures, as a report printed from PDF has it, with the guides' URLs printed
# after the table; then a paragraph whose two sentences each name their own guide.
PLAN = f"""1. Tiltak mot radikalisering og vold

Kommunen og politiet har flere tiltak for barn og unge som trenger hjelp i hverdagen, blant annet Trygghetsprogrammet og en Bekymringssamtale, og tabellen under viser tiltakene.

OPD Tiltak
10

Veileder ved bekymring
Det er utarbeidet en lokal
veileder til bruk ved bekymring
for ekstremisme. Veilederen skal
gjøres kjent for ansatte i skolen
veileder-ved-bekymring.pdf

OPD Tiltak
11

Trygghetsprogrammet
Systematisk oppfølging av unge
som er utsatt for vold eller
hatkriminalitet. En utsatt får
tilbud om samtale med en
trygghetsguide fra politiet
trygghetsprogrammet-veileder-2020.pdf

BK Tiltak
12

Bekymringssamtale
Bekymringssamtalen er et
strukturert verktøy for samtaler
med unge og deres foresatte
om risikoatferd og kriminalitet.

{GUIDE}
{SAFETY}

2. Foreldre og skole

Foreldre som er bekymret for egne barn kan lese foreldreveileder.pdf, som forklarer hvilke tegn de bør se etter hjemme og hvem i kommunen de kan ringe når de trenger råd. Elever som blir utsatt for trusler eller mobbing på nett får hjelp av kontaktlæreren etter rutinen i nettvett-for-elever.pdf, som også sier hva skolen gjør dagen etter.

{PARENTS}
{NET}
"""


@pytest.fixture
def plan(tmp_path, monkeypatch):
    use_hash_embedder(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "handlingsplan.txt").write_text(PLAN, encoding="utf-8")
    settings = Settings.from_env(corpus=corpus, index=tmp_path / "index")
    ingest(settings)
    return settings


def _cited(answer, words: str):
    """The citation whose quote holds the words."""
    found = [c for c in answer.citations if words in c.quote]
    assert found, [c.quote for c in answer.citations]
    return found[0]


def test_each_table_row_and_sentence_cites_only_its_own_link(plan):
    from assistant.pipeline import Assistant

    chunks = read_chunks(Paths(plan.index_dir))["handlingsplan.txt"]
    (table,) = [c for c in chunks if c.kind == "table"]
    (prose,) = [c for c in chunks if "foreldreveileder.pdf" in c.text]
    # the bug's setting: one chunk holds both rows' guides, one chunk both sentences' files
    assert set(table.links) == {GUIDE, SAFETY} and set(prose.links) == {PARENTS, NET}

    assistant = Assistant(plan)
    row = assistant.ask("Hva er Trygghetsprogrammet?")
    c = _cited(row, "Systematisk oppfølging av unge")
    assert c.chunk_id == table.id and c.links == (SAFETY,)     # not the guide of the row above
    # a sentence that does not itself name the guide still has it: the guide stands in its row
    source = assistant.retriever.source(table.doc_id)
    sentence = find_span(source, "Systematisk oppfølging av unge som er utsatt for vold eller hatkriminalitet.")
    assert sentence and "trygghetsprogrammet-veileder" not in source[sentence[0]:sentence[1]]
    assert table.links_at([sentence]) == (SAFETY,)

    other = assistant.ask("Hva er bekymringssamtalen?")
    c = _cited(other, "Bekymringssamtalen er et strukturert verktøy")
    assert c.chunk_id == table.id and c.links == ()   # the rows above have guides; this one has none

    first = assistant.ask("Hva kan foreldre som er bekymret for egne barn lese?")
    c = _cited(first, "foreldreveileder.pdf")
    assert c.chunk_id == prose.id and "nettvett" not in c.quote and c.links == (PARENTS,)

    second = assistant.ask("Hvem hjelper elever som blir utsatt for trusler eller mobbing på nett?")
    c = _cited(second, "nettvett-for-elever.pdf")
    assert c.chunk_id == prose.id and "foreldreveileder" not in c.quote and c.links == (NET,)


def test_where_links_stand_survives_the_index(plan):
    """Anchors are stored with the chunks (index/docs/<doc>/chunks.json) and read back unchanged."""
    from assistant.loaders import load_document
    from assistant.structure import chunk_document

    stored = read_chunks(Paths(plan.index_dir))["handlingsplan.txt"]
    fresh = chunk_document(load_document(plan.corpus_dir / "handlingsplan.txt"))
    assert [c.anchors for c in stored] == [c.anchors for c in fresh]
    assert any(c.anchors for c in stored)


def test_guides_of_a_section_and_urls_without_a_name(tmp_path):
    """A guide named in a section whose heading is the guide's topic stands in the whole section;
    an unnamed URL stands under the line it was printed after, unless it was printed apart from its
    text (a run of several URLs breaking into a sentence, as at a PDF page end)."""
    from assistant.loaders import load_document
    from assistant.structure import chunk_document

    routine, page, other = "https://eksempel.no/rutine", "https://eksempel.no/side-en", "https://eksempel.no/side-to"
    text = (
        "1. Trygghetsprogrammet\n\n"
        "Kommunen og politiet har etablert Trygghetsprogrammet trygghetsprogrammet-veileder-2020.pdf for unge. "
        "Programmet gir unge som er utsatt for vold en fast trygghetsguide som følger dem opp over tid.\n\n"
        f"{SAFETY}\n\n"
        "2. Rutiner i skolen\n\n"
        "Skolen følger en egen rutine når en elev blir utsatt for vold på skoleveien:\n\n"
        f"{routine}\n\n"
        "Kontaktlæreren snakker med eleven samme dag og varsler foreldrene før skoledagen er slutt og\n"
        f"{page}\n{other}\n"
        " eleven går hjem. Rektor følger opp saken dagen etter sammen med helsesykepleier.\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    chunks = chunk_document(doc)
    (programme,) = [c for c in chunks if c.section[-1] == "1. Trygghetsprogrammet"]
    second = text.index("Programmet gir unge")
    assert programme.links_at([(second, second + 40)]) == (SAFETY,)   # the section is about the guide
    (school,) = [c for c in chunks if c.section[-1] == "2. Rutiner i skolen"]
    assert set(school.links) == {routine, page, other}
    intro = text.index("Skolen følger")
    assert school.links_at([(intro, intro + 20)]) == (routine,)
    later = text.index("Kontaktlæreren")
    assert school.links_at([(later, len(text))]) == ()   # printed apart from its anchor: stands nowhere


def test_the_catalogue_lists_each_measure_with_its_own_guide(plan, capsys):
    from assistant.cli import main

    assert main(["tiltak", "--corpus", str(plan.corpus_dir), "--index", str(plan.index_dir)]) == 0
    printed = capsys.readouterr().out
    entries = {e.split(" — ", 1)[0]: e for e in printed.split("• ")[1:]}
    assert f"Lenke: {GUIDE}" in entries["Veileder ved bekymring"] and SAFETY not in entries["Veileder ved bekymring"]
    assert f"Lenke: {SAFETY}" in entries["Trygghetsprogrammet"] and GUIDE not in entries["Trygghetsprogrammet"]
    assert "Lenke:" not in entries["Bekymringssamtale"]


def test_a_file_name_that_repeats_the_word_before_it_is_left_out_of_the_answer_text():
    from assistant.textclean import without_file_names

    assert without_file_names("Foreldreveileder foreldreveileder.pdf som er laget") == "Foreldreveileder som er laget"
    assert without_file_names("har etablert Trygghetsprogrammet trygghetsprogrammet-veileder-2020.pdf.") == (
        "har etablert Trygghetsprogrammet.")
    # a file name the sentence needs stays
    assert without_file_names("Foreldre kan lese foreldreveileder.pdf, som forklarer") == (
        "Foreldre kan lese foreldreveileder.pdf, som forklarer")


def test_a_table_without_number_is_not_named_twice_in_the_source_line():
    from assistant.types import Citation

    def where(table):
        return Citation(n=1, document="D", section="4. Aktivitet › Tiltak rus", page=3, table=table, quote="q").where

    assert where("Tabell uten nummer under «Tiltak rus»") == "4. Aktivitet › Tiltak rus, side 3, tabell"
    assert where("Tabell uten nummer under «Tiltak rus» (2)") == "4. Aktivitet › Tiltak rus, side 3, tabell 2"
    # a heading that is only part of the section's name says something the section line does not
    assert where("Tabell uten nummer under «Tiltak»") == "4. Aktivitet › Tiltak rus, side 3, Tabell uten nummer under «Tiltak»"
    assert where("Tabell 2. Anmeldelser") == "4. Aktivitet › Tiltak rus, side 3, Tabell 2. Anmeldelser"

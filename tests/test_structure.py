import re

from assistant.textclean import ws

CHAPTERS = [
    "Sammendrag", "Forord", "1. Innledning", "2. Kunnskapsgrunnlag, teori og metode",
    "3. Utfordringsbildet ungdomskriminalitet og rus i 2024", "4. Gjennomført aktivitet i 2024",
    "SLT 2025", "Avslutning", "Referanser og aktuelle rapporter",
]


def test_chapters_are_top_level_in_order(report_sections):
    _, sections = report_sections
    top = list(dict.fromkeys(s.path[0] for s in sections))
    assert top == CHAPTERS


def test_sample_of_subheadings_sit_under_their_chapter(report_sections):
    _, sections = report_sections
    paths = {s.path for s in sections}
    ch3 = "3. Utfordringsbildet ungdomskriminalitet og rus i 2024"
    police = "Utfordringsbildet i Bærum beskrevet av politiet"
    assert (ch3, police) in paths
    assert (ch3, police, "Narkotikakriminalitet") in paths
    assert (ch3, police, "Fryktkapital") in paths
    assert (ch3, police, "Alder som frikort") in paths
    ch4 = "4. Gjennomført aktivitet i 2024"
    assert any(p[0] == ch4 and p[-1] == "Konsultasjonsteam ekstremisme" for p in paths)
    assert any(p[0] == ch4 and "Trygghetsprogrammet" in p[-1] for p in paths)


def test_numbered_tables_are_labelled_whole_and_not_duplicated(report_sections):
    _, sections = report_sections
    tables = [c for s in sections for c in s.chunks if c.kind == "table"]
    labels = [c.table for c in tables]
    assert labels.count("Tabell 1") == 1
    assert labels.count("Tabell 2") == 1  # printed twice in the text, kept once
    assert labels.count("Tabell 3") == 2  # the 10-14 and 15-17 halves
    t1 = next(c for c in tables if c.table == "Tabell 1")
    rows = [ln for ln in t1.text.splitlines() if re.match(r"^(Jenter|Gutter|\d+ - \d+år)", ln)]
    assert len(rows) == 9 and all(len(r.split()) >= 9 for r in rows)  # no row split
    t2 = next(c for c in tables if c.table == "Tabell 2")
    assert "Butikktyveri 75 87 147 138 143 102 189 69 -120" in t2.text
    assert "Total 174 235 382 288 295 268 388 268 -120" in t2.text
    assert all(c.table for c in tables), "every table chunk carries a label"


def test_uncaptioned_tables_are_found(report_sections):
    _, sections = report_sections
    tables = [c for s in sections for c in s.chunks if c.kind == "table"]
    text = "\n".join(c.text for c in tables)
    assert "Totalt 14 34 21 26 12 20 11 4 0 0 0 1 143" in text  # overgrepsmottaket, by age
    assert "Bærum 24 33 14 30" in text                           # overgrepsmottaket, Asker/Bærum
    assert "Barnets rusmisbruk 25 18 16 27 36 21 17 14 22 13" in text  # barnevernet
    assert any("Veileder ved bekymring" in c.text for c in tables)     # the action-plan tiltak table


def test_links_are_attached_to_the_chunk_that_names_them(report_sections):
    _, sections = report_sections
    chunks = [c for s in sections for c in s.chunks]
    url = "https://www.baerum.kommune.no/globalassets/tjenester/sosiale-tjenester/ekstremisme-slt/veileder-ved-bekymring.pdf"
    owners = [c for c in chunks if url in c.links]
    assert owners and all("veiledervedbekymring" in re.sub(r"[^a-z]", "", c.text.lower()) for c in owners)
    assert all(url_ok for c in chunks for url_ok in (l.startswith(("http", "file")) for l in c.links))
    assert sum(1 for c in chunks if c.links) >= 15


def test_no_chunk_crosses_a_chapter_boundary(report_sections):
    doc, sections = report_sections
    starts = {}
    for s in sections:
        if len(s.path) == 1 and s.heading is not None:
            starts.setdefault(s.path[0], s.chunks[0].start if s.chunks else None)
    heading_offsets = sorted(doc.text.index(ch) for ch in CHAPTERS)
    for s in sections:
        for c in s.chunks:
            chapter_start = doc.text.index(s.path[0])
            nxt = [o for o in heading_offsets if o > chapter_start]
            limit = nxt[0] if nxt else len(doc.text)
            assert chapter_start < c.start and c.end <= limit, (s.path, c.text[:60])


def test_text_is_cleaned_but_traceable(report_sections):
    doc, sections = report_sections
    chunks = [c for s in sections for c in s.chunks]
    text = " ".join(c.text for c in chunks if c.kind != "table")
    assert "forebygging av barne- og ungdomskriminalitet (2,8 milliarder" in text  # suspended compound
    assert "Den nasjonale Ungdatarapporten for 2024" in text  # a word hyphenated at a line break is rejoined
    assert "•" not in text.replace("\n• ", "").replace("• ", "")  # bullets only as list markers
    from assistant.lines import classify, split_lines

    url_lines = [ln.start for ln in classify(split_lines(doc.text)) if ln.kind == "url"]
    spans = {a for c in chunks for a, _ in c.spans}
    assert url_lines and not spans.intersection(url_lines), "URL lines become links, not text"
    for c in chunks:
        for a, b in c.spans:
            assert ws(doc.text[a:b]), "spans point at real source text"


def test_line_joining_rules():
    from assistant.textclean import Piece, render

    src = "støtte til SLT-\nsamarbeidet og erfarings-\nkompetanse, barne-\nog unge, se veileder-\nved-bekymring.pdf"
    starts = [0]
    for i, ch in enumerate(src):
        if ch == "\n":
            starts.append(i + 1)
    ends = [s - 1 for s in starts[1:]] + [len(src)]
    out = render(src, [Piece(a, b, "text") for a, b in zip(starts, ends)])
    assert out == "støtte til SLT-samarbeidet og erfaringskompetanse, barne- og unge, se veileder-ved-bekymring.pdf"


def test_a_list_stays_in_the_chunk_of_the_sentence_that_introduces_it(report_sections):
    _, sections = report_sections
    chunks = [c for s in sections for c in s.chunks if c.kind != "table"]
    intro = next(c for c in chunks if "Trygghetsprogrammet er et tilbud til:" in c.text)
    assert "alle barn og ungdom under 18 år" in intro.text
    # the few chunks still ending in «…:» are ones whose list alone would exceed the largest chunk
    assert sum(c.text.rstrip().endswith(":") for c in chunks) <= 0.08 * len(chunks)


def test_a_title_in_quotes_does_not_end_the_sentence():
    from assistant.textclean import sentences

    text = "KORUS vil revidere «Utsett! For foreldre» når nye tall kommer. Neste setning! Og en til."
    assert [text[a:b] for a, b in sentences(text)] == [
        "KORUS vil revidere «Utsett! For foreldre» når nye tall kommer.", "Neste setning!", "Og en til."]


def test_a_parenthesis_in_lower_case_goes_on_with_the_sentence_before_it():
    from assistant.textclean import sentences

    text = "Foreldreforedraget Utsett! (for 8.-10. trinn). Neste setning. (Se tabell 3.)"
    assert [text[a:b] for a, b in sentences(text)] == [
        "Foreldreforedraget Utsett! (for 8.-10. trinn).", "Neste setning.", "(Se tabell 3.)"]


def test_a_list_item_wrapped_onto_a_line_of_its_own_is_no_heading(report_sections):
    # «➢ … v/Hege Hansen,» / «SALTO-sekretariatet» and «➢ … v/Cecilie» / «Hellestveit» / «➢ …»
    _, sections = report_sections
    titles = {s.path[-1] for s in sections}
    assert "SALTO-sekretariatet" not in titles and "Hellestveit" not in titles
    from pathlib import Path

    from assistant.loaders import Document
    from assistant.structure import parse

    def titles_of(text: str) -> set[str]:
        return {s.path[-1] for s in parse(Document("d", "Rapport", Path("d.txt"), text, ""))}

    prose = "Kommunen og politiet har i mange år samarbeidet tett om forebygging blant barn og unge i byen. "
    text = (f"Forord\n\n{prose * 3}\n\nSeminarer\n\n{prose}\n\n"
            "• Forebyggende tiltak og ungdomskriminalitet i skolen og på fritiden v/Kari\n\nNordmann\n\n"
            "• Unge i risiko for kriminalitet og veien ut av kriminalitet v/Ola Hansen,\n\nHelsetjenesten\n\n"
            "• Rus blant ungdom og hva foreldre kan gjøre når de er bekymret v/Per Olsen\n\n"
            f"Oppsummering\n\n{prose * 2}\n")
    titles = titles_of(text)
    assert "Nordmann" not in titles and "Helsetjenesten" not in titles
    assert "Oppsummering" in titles
    # a heading between two lists, after an item that ended its sentence, stays a heading
    text = (f"Forord\n\n{prose * 3}\n\n• Forebyggende tiltak og ungdomskriminalitet i skolen og på fritiden.\n\n"
            "• Unge i risiko for kriminalitet og veien ut av kriminalitet.\n\nTiltak for foreldre\n\n"
            "• Rus blant ungdom og hva foreldre kan gjøre når de er bekymret.\n\n"
            "• Foreldremøter på alle ungdomsskoler i kommunen hvert år.\n\n"
            f"Oppsummering\n\n{prose * 2}\n")
    assert "Tiltak for foreldre" in titles_of(text)


def test_a_heading_opening_with_an_abbreviation_after_a_list_is_a_heading(report_sections):
    """«• SLT koordinatorer» / «SLT Ungdomsteam (utøvernivå)» / «Det utøvende nivået …»: the line names one
    thing (no key and value of a two-column row), so the paragraph under it is not glued to the list item."""
    _, sections = report_sections
    under = [s for s in sections if s.path[-1] == "SLT Ungdomsteam (utøvernivå)"]
    assert under and under[0].chunks[0].text.startswith("Det utøvende nivået")
    item = next(c for s in sections for c in s.chunks if "• SLT koordinatorer\n" in c.text + "\n")
    assert "Ungdomsteam (utøvernivå)" not in item.text and "Det utøvende nivået" not in item.text
    # a row whose key is a word stays a row («Tiltak NAV ungdom; jobb og oppfølging»), and so does one opening with
    # a word of one letter («I Sandvika Storsenter …»)
    titles = {s.path[-1] for s in sections}
    assert not any(t.startswith("Tiltak NAV") for t in titles)
    from assistant.structure import _key_value_row
    assert _key_value_row("Tiltak NAV ungdom; jobb og oppfølging")
    assert _key_value_row("I Sandvika Storsenter er det vakter")


def test_a_footnote_stands_after_the_text_holding_its_mark(report_sections):
    """A footnote printed at the foot of a page goes with the sentence that carries its number, not with
    whatever text ends the section it was printed in; a footnote that is a link takes no text after it."""
    from pathlib import Path

    from assistant.loaders import Document
    from assistant.structure import chunk_document

    _, sections = report_sections
    note = next(c for s in sections for c in s.chunks if "deltok ikke i undersøkelsene" in c.text)
    assert note.section[-1] == "Nasjonale tall fra Ungdata 2024" and "nasjonalt13." in note.text, note.section
    pst = next(c for s in sections for c in s.chunks if c.text.startswith("PST fremhever"))
    assert "ekstremisme" in pst.section[-1].lower(), pst.section

    prose = "Kommunen og politiet samarbeider tett om forebygging blant barn og unge i hele byen. "
    text = (f"Forord\n\n{prose * 2}Tallene er hentet fra en nasjonal undersøkelse1.\n\n"
            f"Trender\n\n{prose * 3}\n\n\n1 Undersøkelsen ble gjennomført i 2024.\n"
            "2 https://www.example.no/rapport-\nfra-2024.pdf\nPolitiet sier at trenden holder seg.\n")
    chunks = chunk_document(Document("d", "Rapport", Path("d.txt"), text, ""))
    foot = next(c for c in chunks if "gjennomført i 2024" in c.text)
    assert foot.section == ("Forord",) and "undersøkelse1." in foot.text, foot
    link = next(c for c in chunks if "example.no" in c.text)
    assert "fra-2024.pdf" in link.text
    from assistant.lines import classify, split_lines
    kinds = {ln.text: ln.kind for ln in classify(split_lines(text))}
    assert kinds["fra-2024.pdf"] == "footnote" and kinds["Politiet sier at trenden holder seg."] == "text"

from assistant.tables import load_tables

CELLS = {  # (table id, row, year) → value, straight from the report
    ("tabell-1", "Jenter", "2024"): 70, ("tabell-1", "Jenter 10-14år", "2023"): 68,
    ("tabell-1", "Jenter 15-17år", "2021"): 70, ("tabell-1", "Gutter", "2023"): 208,
    ("tabell-1", "Gutter 10-14år", "2024"): 90, ("tabell-1", "Gutter 15-17år", "2019"): 125,
    ("tabell-1", "10 - 17år", "2024"): 250, ("tabell-1", "10 - 14år", "2021"): 145,
    ("tabell-1", "15 - 17år", "2017"): 92, ("tabell-1", "10 - 17år", "23-24"): -75,
    ("tabell-2", "Butikktyveri", "2024"): 69, ("tabell-2", "Butikktyveri", "2023"): 189,
    ("tabell-2", "Vold", "2024"): 69, ("tabell-2", "Vold", "2023"): 74, ("tabell-2", "Trusler", "2024"): 21,
    ("tabell-2", "Narkotika", "2019"): 68, ("tabell-2", "Total", "2019"): 382,
    ("tabell-2", "Mot. off. tj.person", "2023"): 13, ("tabell-2", "Vinning", "23-24"): -123,
    ("tabell-2", "Hensynsløs adferd/Personforfølgelse", "2024"): 12, ("tabell-2", "Annen", "2017"): 16,
    ("tabell-3-10-14-ar", "Vold", "2024"): 42, ("tabell-3-10-14-ar", "Trusler", "2024"): 16,
    ("tabell-3-10-14-ar", "Butikktyveri", "2023"): 117, ("tabell-3-10-14-ar", "Total", "2024"): 125,
    ("tabell-3-15-17-ar", "Vold", "2024"): 28, ("tabell-3-15-17-ar", "Narkotika", "2018"): 46,
    ("tabell-3-15-17-ar", "Total", "2023"): 221, ("tabell-3-15-17-ar", "Fysisk vold", "23-24"): -11,
    ("tabell-3-15-17-ar", "Butikktyveri", "2024"): 27,
}


def _tables(settings):
    """Tables by their label, made id-like («Tabell 3 (10-14 år)» → «tabell-3-10-14-ar»)."""
    return {t.id.split(":", 1)[1]: t for t in load_tables(settings)}


def test_cells_round_trip_exactly(report_index):
    tables = _tables(report_index[0])
    for (tid, row, col), value in CELLS.items():
        assert tables[tid].row(row).values[col] == value, (tid, row, col)


def test_children_never_exceed_parents_and_totals_add_up(report_index):
    tables = _tables(report_index[0])
    for t in tables.values():
        parents = {r.label: r for r in t.rows if len(r.path) == 1}
        for r in t.rows:
            if len(r.path) == 2:
                p = parents[r.path[0]]
                for y in t.years:
                    if r.values[y] is not None and p.values[y] is not None:
                        assert r.values[y] <= p.values[y], (t.id, r.label, y)
    t1 = tables["tabell-1"]
    for y in t1.years:
        assert t1.row("Jenter").values[y] + t1.row("Gutter").values[y] == t1.row("10 - 17år").values[y]
    assert [r.path for r in tables["tabell-2"].rows if r.label == "Butikktyveri"] == [["Vinning", "Butikktyveri"]]
    assert tables["tabell-2"].row("Trusler").path == ["Vold", "Trusler"]
    for t in (tables["tabell-3-10-14-ar"], tables["tabell-3-15-17-ar"]):
        for y in t.years:
            total = t.row("Total").values[y]
            # one report can count under several offence types, so the total bounds each row
            assert all(r.values[y] <= total for r in t.rows if r.label != "Total"), (t.id, y)


def test_uncaptioned_tables_parse(report_index):
    tables = list(_tables(report_index[0]).values())
    barnevern = next(t for t in tables if t.row("Barnets rusmisbruk"))
    split = barnevern.row("Barnets kriminelle handlinger (delt i 2021)")
    assert split.values["2021"] == 17 and split.values["2020"] is None and split.values["2024"] == 21
    old = barnevern.row("Barnets atferd/kriminalitet (delt i 2021)")
    assert old.values["2015"] == 33 and old.values["2021"] is None
    ages = next(t for t in tables if t.row("Totalt") and "Totalt" in t.columns)
    assert ages.row("Totalt").values["Totalt"] == 143 and ages.row("Totalt").values["14-15"] == 14
    asker = next(t for t in tables if t.row("Asker"))
    assert asker.row("Bærum").values["2024"] == 30


def test_figure_answers_are_exact_and_cited_to_the_row(assistant):
    a = assistant.ask("Hvor mange butikktyverier ble anmeldt i 2024?")
    assert not a.refused
    assert "69" in a.answer and "120 færre" in a.answer and "fra 189 til 69" in a.answer
    assert a.citations[0].table == "Tabell 2"
    # the header row with the years, then the row used: each number can be read off
    assert a.citations[0].quote == ("2017 2018 2019 2020 2021 2022 2023 2024 23-24 … "
                                    "Butikktyveri 75 87 147 138 143 102 189 69 -120")
    assert a.citations[0].section.endswith("Anmeldelser med mistenkt/siktet 10-17 år")
    assert a.figure["value"] == 69 and a.figure["series"]["2017"] == 75
    young = assistant.ask("Hvor mange voldssaker blant barn under 15 år i 2024?")
    assert "42" in young.answer and young.citations[0].table.startswith("Tabell 3")


def test_the_age_groups_word_and_the_header_over_the_labels_are_read(assistant):
    # «15-17 åringene» is the age group, in any inflection, not a word the table must have
    ran = assistant.ask("ran blant 15-17 åringene i 2024, hvor mange anmeldelser")
    assert ran.figure["row"].endswith("Ran") and ran.figure["value"] == 3 and "15-17" in ran.figure["table"], ran.answer
    # «Hovedårsak melding» heads the barnevern table's row labels: «hovedårsak» names that table
    cause = assistant.ask("antall bekymringsmeldinger med barnets rusmisbruk som hovedårsak i 2023")
    assert cause.figure["row"].endswith("Barnets rusmisbruk") and cause.figure["value"] == 22, cause.answer


def test_a_row_is_found_through_a_short_form_and_a_word_as_written_beats_another_spelling(assistant):
    from assistant.figure_match import _variant

    assert _variant("atferd", "adferd") and not _variant("venter", "jenter") and not _variant("næring", "bæring")
    # «anm» is how «anmeldelser» is typed in a hurry
    short = assistant.ask("knivbæring anm 2023 til 2024 hvor mye ned")
    assert "«Bæring av kniv/annet våpen»" in short.answer and "fra 17 i 2023 til 6 i 2024" in short.answer, short.answer
    # a table writing «atferd» as asked wins over one writing «adferd»
    written = assistant.ask("hvor mange saker om atferd i 2024?")
    assert "«Barnets atferd" in written.answer, written.answer
    # … unless another word of the question names the row that spells it otherwise
    named = assistant.ask("hensynsløs atferd personforfølgelse ungdom 2024 antall")
    assert "«Hensynsløs adferd/Personforfølgelse»" in named.answer and " 12 " in named.answer, named.answer
    # a real word one letter from a row's word is no other spelling of it
    assert "«Jenter»" not in assistant.ask("hvor mange venter på oppfølging?").answer


def test_a_scene_before_the_figure_asked_for_is_not_read_as_what_is_counted(assistant):
    from assistant.figures import asked_clause

    assert asked_clause("sønnen min er 13, hvor mange gutter ble mistenkt?") == "hvor mange gutter ble mistenkt?"
    assert asked_clause("hvor mange gutter ble mistenkt i 2024?") is None
    # a scene naming a topic may name what is counted: the clause alone would get the total
    assert asked_clause("innbrudd i bilen, hvor mange ble anmeldt i 2024?") is None
    # … and a scene naming a place or a year says where or when
    assert asked_clause("jeg bor i Oslo, hvor mange gutter ble anmeldt i 2024?") is None
    assert asked_clause("sønnen min var 13 i 2022, hvor mange gutter ble anmeldt?") is None
    oslo = assistant.ask("jeg er lærer i oslo, hvor mange anmeldelser var det i 2024?")
    assert "268" not in oslo.answer, oslo.answer
    wrong = assistant.ask("innbrudd i bilen, hvor mange ble anmeldt i 2024?")
    assert "«Total»" not in wrong.answer and "268" not in wrong.answer, wrong.answer
    a = assistant.ask("sønnen min går i 8. og er 13, hvor mange gutter i alderen 10-14 ble registrert mistenkt i "
                      "bærum i fjor (2024)?")
    assert not a.refused and "90" in a.answer and "«Gutter 10-14år»" in a.answer, a.answer


def test_a_sentence_after_the_question_saying_why_one_asks_is_not_read_as_what_is_counted(assistant):
    figures = assistant.figures
    assert figures._asked("hvor mange ran i 2024? trenger tallene til et notat") == "hvor mange ran i 2024?"
    # a year it names still says when; a sentence naming what a table counts stays
    assert figures._asked("økte ranene? trenger tallet for 2023") == "økte ranene? 2023"
    assert figures._asked("hvor mange anmeldelser i 2024? tenker på vold") == "hvor mange anmeldelser i 2024? tenker på vold"
    # a scene before the question stays: it may name what is counted
    assert figures._asked("jeg er journalist. hvor mange ungdommer ble mistenkt?") == "jeg er journalist. hvor mange ungdommer ble mistenkt?"
    a = assistant.ask("jenter 10-14 år – hvor mange var registrert mistenkt i 2024 vs 2023? trenger tallene til et notat")
    assert "«Jenter 10-14år»" in a.answer and "68" in a.answer and "41" in a.answer, a.answer
    # «stemmer det at …» asks whether, not about «stemmer»
    a = assistant.ask("stemmer det at trusselsakene økte for 10-14 åringene? trenger tallet for 2024")
    assert "«Trusler»" in a.answer and "16" in a.answer and "Tabell 3" in a.answer, a.answer


def test_both_bokmaal_forms_of_comparing_ask_for_a_change_not_a_topic(assistant):
    a = assistant.ask("hvor mange butikktyverier ble anmeldt i 2024 sammenlikna med 2023")
    assert "«Butikktyveri»" in a.answer and "189" in a.answer and "69" in a.answer, a.answer


def test_a_word_the_text_writes_before_what_a_table_counts_says_what_it_counts(assistant):
    """«Totalt ble 250 unike personer … mistenkt» stands over Tabell 1 (antall mistenkte personer): «unike
    personer» are what that table counts, though no table writes «unike»."""
    from assistant.figure_question import read_question

    figures = assistant.figures
    assert figures.untabled(read_question("hvor mange unike personer ble mistenkt i 2019")) is None
    a = assistant.ask("Hvor mange unike personer i alderen 10–17 år ble registrert som mistenkt eller siktet i Bærum i 2019?")
    assert "258" in a.answer and "Tabell 1" in a.answer, a.answer
    # … and it points to that table, not to the offences of the same ages
    a = assistant.ask("hvor stor var nedgangen i antall unike mistenkte 10-17 fra 2023 til 2024?")
    assert "Tabell 1" in a.answer and "75" in a.answer, a.answer
    # a word no text writes before the counted noun still limits what the tables count, and so does a verb written
    # there («Den omfatter personer …», «Noen samler anmeldelser …»)
    assert figures.untabled(read_question("hvor mange ungdommer fikk ungdomsoppfølging")) == "ungdomsoppfølging"
    assert figures.untabled(read_question("hvor mange omfatter personer")) == "omfatter"


def test_a_word_no_table_has_is_not_counted_by_a_table(assistant):
    from assistant.figure_question import read_question

    figures = assistant.figures
    # the documents use «ungdomsoppfølging», no table has it: the 250 suspects aged 10-17 are not its count
    assert figures.untabled(read_question("hvor mange ungdommer fikk ungdomsoppfølging")) == "ungdomsoppfølging"
    assert figures.untabled(read_question("hvor mange voldssaker var det i 2024")) is None     # «vold», «sak»
    assert figures.untabled(read_question("hvor mange ble anmeldt for vold i 2024")) is None
    assert figures.untabled(read_question("antall anmeldelser for økonomisk kriminalitet")) is None   # «Økonomi»
    a = assistant.ask("hvor mange ungdommer fikk ungdomsoppfølging")
    assert "250" not in a.answer and not a.figure, a.answer


def test_year_outside_the_table_is_refused(assistant):
    a = assistant.ask("Hvor mange anmeldelser for vold i 2015?")
    assert a.refused and "2017–2024" in a.answer and a.figure["value"] is None


def test_coordinator_questions_state_the_computation(assistant):
    span = assistant.ask("Hvor mye økte truslene blant 10-14 åringer fra 2019 til 2024?")
    assert "fra 1 i 2019 til 16 i 2024" in span.answer and "15 flere" in span.answer, span.answer
    series = assistant.ask("Hvordan har narkotikasakene utviklet seg?")
    assert "2017: 14" in series.answer and "2024: 18" in series.answer, series.answer
    rank = assistant.ask("Hvilken lovbruddstype økte mest fra 2023 til 2024?")
    assert "«Trafikk»" in rank.answer and "fra 17 i 2023 til 22 i 2024" in rank.answer, rank.answer
    assert "«Trusler»" in rank.answer  # the subcategory that rose more, named as one
    top = assistant.ask("Hvilken lovbruddstype hadde flest anmeldelser i 2024?")
    assert "«Vinning»" in top.answer and "87" in top.answer and "«Total»" not in top.answer, top.answer
    both = assistant.ask("Sammenlign jenter og gutter i 2023")
    assert "117" in both.answer and "208" in both.answer, both.answer
    assert "Jenter 37" in both.citations[0].quote and "Gutter 110" in both.citations[0].quote
    ages = assistant.ask("Sammenlign vold blant 10-14 og 15-17 år i 2024")
    assert [c.table for c in ages.citations] == ["Tabell 3 (10-14 år)", "Tabell 3 (15-17 år)"], ages.answer
    assert ages.figure["rows"][0]["values"]["2024"] == 42 and ages.figure["rows"][1]["values"]["2024"] == 28


def test_every_numeric_table_answers(assistant):
    barnevern = assistant.ask("Hvor mange bekymringsmeldinger om barnets rusmisbruk i 2024?")
    assert "13" in barnevern.answer and "fra 22 til 13" in barnevern.answer, barnevern.answer
    split = assistant.ask("Hvor mange meldinger gjaldt barnets kriminelle handlinger i 2020?")
    assert split.refused or "17" not in split.answer  # the category was split in 2021: no 2020 value
    ages = assistant.ask("Hvor mange 16-17 åringer ble undersøkt på overgrepsmottaket?")
    assert "34" in ages.answer and ages.figure["column"] == "16-17", ages.answer
    asker = assistant.ask("Hvor mange fra Asker ble undersøkt ved overgrepsmottaket i 2023?")
    assert "15" in asker.answer and asker.figure["row"] == "Asker", asker.answer


def test_tables_command_takes_a_label_prefix(report_index, capsys):
    from assistant.cli import main

    settings = report_index[0]
    assert main(["tables", "Tabell 3", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "Tabell 3 (10-14 år). Antall anmeldelser" in out and "Tabell 3 (15-17 år)." in out
    assert main(["tables", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]) == 0
    listing = capsys.readouterr().out
    assert "Tabell 2. Antall anmeldelser" in listing and "Tabell 2: Tabell 2" not in listing
    assert main(["tables", "Tabell 9", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]) == 2


def test_the_status_block_is_a_table_with_counts_only_where_the_value_is_one(report_index, assistant):
    tables = load_tables(report_index[0])
    one_year = [t for t in tables if t.columns == ["2024"]]
    assert len(one_year) == 1 and len(tables) == 8  # the status block, and nothing else became a table
    values = {r.label: r.values["2024"] for r in one_year[0].rows}
    assert values["Individsaker (rus som primær henvendelses-grunn)"] == 46
    assert values["Henvendelse til rådgivende enhet for russaker (REN)"] == 1 and values["Systemarbeid"] == 53
    assert values["Kjønn"] is None and values["Alder"] is None and values["Henvisere"] is None
    cases = [("Hvor mange individsaker hadde ruskonsulentene i PHBUF i 2024?", "46", "henvendelses-grunn) 46"),
             ("antall systemoppdrag 2024", "53 systemoppdrag", "Det ble registrert 53 systemoppdrag i 2024."),
             ("hvor mange saker til REN?", "1 registrert sak", "russaker (REN) 1 registrert sak i 2024")]
    for q, fact, quoted in cases:
        a = assistant.ask(q)
        assert not a.refused and fact in a.answer, (q, a.answer)
        c = a.citations[0]
        assert c.table == one_year[0].label and quoted in c.quote and c.quote.startswith(one_year[0].label), c.quote
        assert c.section.endswith("Beskrivelser fra tjenestene om utfordringsbildet rus")
    assert assistant.ask("Hvor mange individsaker hadde PHBUF i 2023?").refused


def test_a_figure_for_the_country_or_another_place_is_no_baerum_number(assistant):
    for q in ["Hvor mange anmeldelser for vold var det i hele landet i 2024?",
              "hvor mange butikktyverier var det nasjonalt i 2024",
              "Hvor mange ungdommer ble anmeldt for narkotika i Asker i 2024?",
              "Hvor mange gutter ble mistenkt i Drammen i 2024?",
              "hvor mange butikktyverier var det i asker kommune i 2024",
              # Asker is a row of the overgrepsmottak table, but nothing asked names what that table counts
              "hvor mange ungdommer ble tatt for kriminalitet i asker i 2023"]:
        a = assistant.ask(q)
        # refused, saying what the tables are for and which table is nearest, with no number from it
        assert a.refused and "Bærum kommune" in a.answer and "Nærmest er Tabell" in a.answer, (q, a.answer)
        assert a.figure["value"] is None and a.figure["rows"] == []
    # a national figure the text states is answered from its sentence
    prose = assistant.ask("Hvor mange forhold med mistenkte under 18 år ble påtaleavgjort nasjonalt i 2023?")
    assert not prose.refused and "21 800" in prose.answer and not prose.figure, prose.answer
    # a place a table has is no other place: Asker is a row of the overgrepsmottak table
    asker = assistant.ask("Hvor mange fra Asker ble undersøkt ved overgrepsmottaket i 2023?")
    assert "15" in asker.answer and asker.figure["row"] == "Asker"


def test_a_text_answer_replaces_a_scope_answer_only_when_it_states_a_number_there():
    from assistant.figure_scope import states_figure
    from assistant.types import Answer, Citation

    def said(quote, section="Innledning"):
        return Answer("q", "a", False, [Citation(n=1, document="d", section=section, page=None, table=None, quote=quote)])

    assert states_figure(said("I 2023 ble det i Norge påtaleavgjort 21 800 forhold."), ["hele landet"])
    assert states_figure(said("Det er 28 prosent flere.", "Utfordringsbildet nasjonalt"), ["nasjonalt"])
    assert not states_figure(said("Et år preget av et nasjonalt fokus i 2024."), ["nasjonalt"])  # a year is no figure
    assert not states_figure(said("Totalt ble 250 personer mistenkt i Bærum kommune."), ["ringerike kommune"])
    assert states_figure(said("Asker hadde 17 saker."), ["Asker"])
    # a place named only by the heading may count anything there
    assert not states_figure(said("Dette utgjorde i 2024 totalt 143 personer.", "Tall fra mottaket i Drammen"), ["Drammen"])


def test_two_words_one_row_names_are_one_figure_not_two(assistant):
    """«kniv eller våpen» is the row «Bæring av kniv/annet våpen», not two rows side by side; «mistenkt eller
    siktet» names no one row, so it is not read as one."""
    a = assistant.ask("Hvor mange anmeldelser for bæring av kniv eller våpen i 2024?")
    assert not a.refused and "Bæring av kniv/annet våpen" in a.answer and " 6 " in a.answer, a.answer
    b = assistant.ask("Hvor mange unike personer mellom 10 og 17 år ble mistenkt eller siktet for lovbrudd i Bærum i 2024?")
    assert "250" in b.answer and "Mot. off." not in b.answer, b.answer


def test_between_two_ages_without_years_is_the_age_group(assistant):
    """«mellom 15 og 17» is the age group 15-17 as «mellom 15 og 17 år» is; not all ages in Tabell 2."""
    a = assistant.ask("hvor mange unge mellom 10 og 14 ble anmeldt for vold i 2024")
    assert "Tabell 3 (10-14 år)" in a.answer and " 42 " in a.answer, a.answer
    b = assistant.ask("hvor mange unge mellom 15 og 17 ble anmeldt for kniv eller våpen 2024")
    assert "Tabell 3 (15-17 år)" in b.answer and " 4 " in b.answer, b.answer
    from assistant.figure_question import read_question
    assert read_question("økte andelen med mellom 10 og 20 prosent i 2024").ranges == []


def test_an_age_group_made_of_several_columns_is_their_sum(assistant):
    """«19 år eller yngre» is the columns 14-15, 16-17 and 18-19 of the overgrepsmottak's table together (the
    text's own «69 av disse var 19 år eller yngre»), not the column 18-19 alone."""
    from assistant.figure_question import read_question
    assert read_question("hvor mange var 19 år eller yngre").ranges == [(0, 19)]
    assert read_question("hvor mange var 18 og eldre").ranges == [(18, 99)]
    a = assistant.ask("hvor mange på overgrepsmottaket var 19 år eller yngre")
    assert " 69 " in a.answer and "(14 + 34 + 21)" in a.answer and not a.refused, a.answer
    assert a.figure["value"] == 69
    b = assistant.ask("hvor mange på overgrepsmottaket var mellom 16 og 19 år")
    assert " 55 " in b.answer and "(34 + 21)" in b.answer, b.answer
    # a column holding ages on both sides of the group's end holds no part of it alone: not «14-15» for ≤ 16
    d = assistant.ask("hvor mange var 16 år eller yngre på overgrepsmottaket")
    assert " 14 " not in d.answer and not d.figure.get("value"), d.answer
    # a group one column holds is that column
    c = assistant.ask("hvor mange på overgrepsmottaket var mellom 16 og 17 år")
    assert "34" in c.answer and "kolonnen «16-17»" in c.answer, c.answer


def test_an_open_age_group_is_summed_up_to_the_oldest_column(assistant):
    """«eldre enn 29» is 30-39 up to «>80»; «yngre enn 16» the 14-15 column. The words of the age group are
    no topic: «eldre» had blocked every row."""
    a = assistant.ask("hvor mange var eldre enn 29 på overgrepsmottaket")
    assert " 35 " in a.answer and "«>80»" in a.answer and not a.refused, a.answer
    b = assistant.ask("hvor mange på overgrepsmottaket var 20 år eller eldre")
    assert " 73 " in b.answer, b.answer
    c = assistant.ask("hvor mange var yngre enn 16 på overgrepsmottaket")
    assert " 14 " in c.answer and "kolonnen «14-15»" in c.answer and "143" not in c.answer, c.answer


def test_a_row_named_by_the_section_too_is_the_row(assistant):
    """Tabell 3 stands under «Narkotikakriminalitet»: «narkotika» names its row, not only the table, so the
    answer is the row's 17, not the total 152."""
    a = assistant.ask("narkotika 15-17 år 2024")
    assert "«Narkotika»" in a.answer and " 17 " in a.answer and "152" not in a.answer, a.answer
    b = assistant.ask("antall unge mellom 15 og 17 som var mistenkt for narkotika 2024")
    assert "«Narkotika»" in b.answer, b.answer


def test_received_asks_how_many_like_got(assistant):
    """«mottok» is the question's verb, like «fikk»: not a topic the table must have."""
    a = assistant.ask("Hvor mange bekymringsmeldinger med barnets atferd som hovedårsak mottok barnevernet i 2024?")
    assert "«Barnets atferd (delt i 2021)»" in a.answer and " 82 " in a.answer and not a.refused, a.answer


def test_an_open_age_group_is_a_table_group_only_where_it_ends(assistant):
    """«yngre enn 16» is not the 10-14 group: it leaves out the 15-year-olds. «under 15» is. A refusal writes
    the group as a person would («15 år og yngre»), not with an upper bound 99."""
    a = assistant.ask("hvor mange mistenkte var yngre enn 16 i 2024")
    assert a.refused and "131" not in a.answer and "15 år og yngre" in a.answer, a.answer
    b = assistant.ask("hvor mange mistenkte var under 15 i 2024")
    assert "131" in b.answer and "«10 - 14år»" in b.answer, b.answer
    c = assistant.ask("hvor mange over 20 år var på overgrepsmottaket")
    assert c.refused and "21 år og eldre" in c.answer and "99" not in c.answer, c.answer


def test_a_table_of_one_year_answers_no_other_year(assistant):
    """The age table is of the year its presenting sentence names («Dette utgjorde i 2024 totalt 143
    personer»). The prose around it names 2023 too, which let «… i 2023» get the 2024 sum."""
    a = assistant.ask("hvor mange pasienter på overgrepsmottaket i bærum var 19 år eller yngre i 2023")
    assert a.refused and "69" not in a.answer and "gjelder 2024" in a.answer, a.answer
    assert a.citations and a.citations[0].table
    b = assistant.ask("hvor mange pasienter på overgrepsmottaket var 19 år eller yngre i 2024")
    assert " 69 " in b.answer and not b.refused, b.answer


def test_a_side_is_a_row_only_when_the_row_names_it(assistant):
    """«vold mot offentlig tjenesteperson» is one row; «offentlig» alone found Tabell 1's total (250), which
    the answer gave beside it. «vold vs trusler» stays two rows, and a row with no value that year says so."""
    a = assistant.ask("hvor mange anmeldelser for vold mot offentlig tjenesteperson i 2024")
    assert "Mot. off. tj.person" in a.answer and "250" not in a.answer, a.answer
    b = assistant.ask("vold vs trusler 2024")
    assert "«Vold»" in b.answer and "«Trusler»" in b.answer, b.answer
    c = assistant.ask("hvor mange bekymringsmeldinger om kriminelle handlinger eller atferd 2023")
    assert "None" not in c.answer and "har ingen verdi for" in c.answer, c.answer


def test_a_column_the_question_names_in_its_own_words_is_that_column(assistant):
    """«ikke oppgitt alder» is the column «Alder ikke oppgitt» (1), not the total 143."""
    a = assistant.ask("hvor mange på overgrepsmottaket hadde ikke oppgitt alder")
    assert "kolonnen «Alder ikke oppgitt»" in a.answer and " 1 " in a.answer and "143" not in a.answer, a.answer
    b = assistant.ask("hvor mange personer ble undersøkt på overgrepsmottaket totalt?")
    assert " 143 " in b.answer and "kolonnen «Totalt»" in b.answer, b.answer


def test_a_word_a_row_label_writes_short_is_the_row(assistant):
    """«offentlig» is «off.» in «Mot. off. tj.person»; «vold mot offentlig …» is one row, not «vold» against
    «offentlig»."""
    a = assistant.ask("vold mot offentlig tjenesteperson 15-17 år 2023")
    assert "«Mot. off. tj.person»" in a.answer and " 12 " in a.answer and "Tabell 3 (15-17 år)" in a.answer, a.answer


def test_what_the_text_beside_a_table_counts_itself_is_answered_from_the_text(assistant):
    """The table under «Tall fra overgrepsmottaket» counts patients living in Bærum (30); the sentence after
    it counts the overgrep that took place in Bærum (22). A count the table does have stays the table's."""
    a = assistant.ask("hvor mange overgrep skjedde i Bærum")
    assert "22" in a.answer and "30" not in a.answer and a.citations[0].table is None, a.answer
    b = assistant.ask("hvor mange pasienter fra Bærum var på overgrepsmottaket i 2024")
    assert " 30 " in b.answer and "«Bærum»" in b.answer, b.answer


def test_an_ordinal_is_followed_by_a_noun_not_by_a_question():
    from assistant.norwegian import sentences

    assert sentences("sønnen min går i 10. klasse og røyker") == ["sønnen min går i 10. klasse og røyker"]
    assert sentences("har en gutt på 16. hvor mange ble anmeldt?") == ["har en gutt på 16.", "hvor mange ble anmeldt?"]


def test_age_groups_inside_another_group_asked_for_are_its_parts(assistant):
    """«under 18 (14-15 og 16-17 sammenlagt)» asks for one sum, not three figures side by side; without words
    saying the groups add up, each group is asked for («av 10-17 åringene, hvor mange var 10-14 år»: 131)."""
    from assistant.figure_question import read_question

    assert read_question("hvor mange under 18 (14-15 og 16-17 sammenlagt)").ranges == [(0, 17)]
    assert read_question("10-14 og 15-17 år").ranges == [(10, 14), (15, 17)]
    assert read_question("av 10-17 åringene, hvor mange var 10-14 år").ranges == [(10, 17), (10, 14)]
    a = assistant.ask("hvor mange under 18 var på overgrepsmottaket i 2024? (14-15 og 16-17 til sammen)")
    assert " 48 " in a.answer and "(14 + 34)" in a.answer and not a.refused, a.answer


def test_since_a_year_is_the_change_from_it_to_the_last_year(assistant):
    """«har antallet butikktyverier gått ned siden 2019?» asks for the change from 2019 to 2024, not 2019 alone."""
    a = assistant.ask("har antallet butikktyverier gått ned siden 2019?")
    assert "fra 147 i 2019 til 69 i 2024" in a.answer and "«Butikktyveri»" in a.answer, a.answer
    b = assistant.ask("hvor mange butikktyverier var det i 2019")
    assert b.answer.startswith("Tabell 2 (antall anmeldelser) viser 147 for «Butikktyveri» i 2019"), b.answer
    c = assistant.ask("har antall meldinger om barnets atferd økt siden 2020")
    assert c.refused and "har ikke verdier for både 2020 og 2024" in c.answer, c.answer


def test_a_verb_is_the_table_word_that_is_its_ing_noun(assistant):
    """«bære kniv» is the row «Bæring av kniv/annet våpen»: «bære» had counted as a word no table has."""
    from assistant.figure_match import _verbal_noun

    assert _verbal_noun("bære", "bæring") and _verbal_noun("anmelde", "anmeldingen")
    assert not _verbal_noun("bære", "bærum") and not _verbal_noun("ha", "haing")
    a = assistant.ask("hvor mange ble anmeldt for å bære kniv i 2023")
    assert "«Bæring av kniv/annet våpen»" in a.answer and " 17 " in a.answer, a.answer


def test_no_table_figure_for_a_category_a_table_does_not_split_by(assistant):
    """Tabell 1 counts persons by gender and age, not by offence: «jenter … tyveri» gets no figure from it (70
    is all girls), and «hvor mange lovbrudd ble begått av jenter» does not count girls."""
    for q in ("hvor mange jenter ble anmeldt for tyveri i 2024", "hvor mange gutter ble mistenkt for tyveri i 2023",
              "hvor mange lovbrudd ble begått av jenter i 2024"):
        a = assistant.ask(q)
        assert "«Jenter»" not in a.answer and "«Gutter»" not in a.answer, (q, a.answer)


def test_which_thing_is_most_is_no_figure_when_no_row_is_named(assistant):
    """«hva ruser ungdom seg mest på» asks which thing; Tabell 1's total (250) is no answer to it. A ranking the
    tables do hold is still answered from them."""
    from assistant.figures import _only_which_most

    assert _only_which_most("hva ruser ungdom seg mest på") and not _only_which_most("hvor mange anmeldelser mest")
    a = assistant.ask("hva er det ungdom i bærum ruser seg mest på")
    assert a.figure is None and "250" not in a.answer, a.answer
    b = assistant.ask("hvilken lovbruddstype økte mest fra 2023 til 2024")
    assert b.figure is not None and "økte" in b.answer, b.answer


def test_which_ones_within_a_row_is_no_figure_of_that_row(assistant):
    """«hvilke butikker er det mest tyveri fra» asks which shops; the row «Butikktyveri» counts thefts from all
    of them, so its figure (69) is no answer. «hvilke lovbrudd» names what all of Tabell 2's rows are, and is."""
    a = assistant.ask("hvilke butikker er det mest tyveri fra")
    assert a.figure is None and "69" not in a.answer, a.answer
    assert assistant.ask("hvilken type vold er det mest av").figure is None
    assert assistant.ask("hvilke lovbrudd økte mest fra 2023 til 2024").figure is not None


def test_a_ranking_is_over_the_table_counting_what_the_question_counts(assistant):
    """«hva var det flest anmeldelser for» names no topic, only what is counted: Tabell 2 (anmeldelser), not
    Tabell 1 (persons by gender)."""
    a = assistant.ask("hva var det flest anmeldelser for i 2024")
    assert a.answer.startswith("Tabell 2 (antall anmeldelser)") and "«Vinning»" in a.answer, a.answer


def test_two_ages_with_til_between_are_an_age_group(assistant):
    """«i alderen 15 til 17» is the age group 15-17 (29 girls), not all girls (70); «fra 12 til 17» after a
    verb of change is two figures."""
    from assistant.figure_question import read_question

    assert read_question("jenter i alderen 15 til 17").ranges == [(15, 17)]
    assert read_question("gutter 10 til 14 år").ranges == [(10, 14)]
    assert read_question("økte fra 12 til 17 i 2024").ranges == []
    assert read_question("aldersgruppen 15 til 17").ranges == [(15, 17)]
    assert read_question("10 til 14-åringer").ranges == [(10, 14)]
    a = assistant.ask("hvor mange jenter i alderen 15 til 17 ble mistenkt i 2024")
    assert "«Jenter 15-17år»" in a.answer and " 29 " in a.answer, a.answer
    # … also with nothing counted after it, where a row's label has its age group; not before what is counted
    assert read_question("gutter 15 til 17 – hvor mange var mistenkt").ranges == [(15, 17)]
    assert read_question("jenter 10 til 14 i 2024").ranges == [(10, 14)]
    assert read_question("klubbene har 2 til 3 kvelder åpent").ranges == []
    a = assistant.ask("gutter 15 til 17 – hvor mange var mistenkt i 2024?")
    assert "«Gutter 15-17år»" in a.answer and " 96 " in a.answer, a.answer


def test_which_age_group_ranks_the_age_groups(assistant):
    """«hvilken aldersgruppe hadde flest» ranks the rows that are age groups, not the gender rows; a rise asked
    for when none rose is told as such."""
    a = assistant.ask("hvilken aldersgruppe hadde flest mistenkte i 2024")
    assert "«10 - 14år»" in a.answer and " 131" in a.answer and "Gutter" not in a.answer, a.answer
    b = assistant.ask("hvilken aldersgruppe økte mest fra 2023 til 2024")
    assert "Ingen av aldersgruppene økte fra 2023 til 2024" in b.answer and "«15 - 17år»" in b.answer, b.answer
    # «gikk minst ned» is the smallest drop (15-17: −34), «gikk mest ned» the largest (10-14: −37)
    c = assistant.ask("hvilken aldersgruppe gikk minst ned fra 2023 til 2024")
    assert "«15 - 17år» gikk minst ned" in c.answer, c.answer
    d = assistant.ask("hvilken aldersgruppe gikk mest ned fra 2023 til 2024")
    assert "«10 - 14år» mest ned" in d.answer, d.answer


def test_a_table_counting_what_is_asked_comes_before_one_mentioning_it(assistant):
    """«mistenkt for lovbrudd» counts persons (Tabell 1, 250), not reports «med en eller flere mistenkte»
    (Tabell 2, 268); «lovbrudd» is what all of Tabell 2's rows are («fordelt etter lovbruddstype»), no row."""
    a = assistant.ask("hvor mange var mistenkt for lovbrudd i 2024")
    assert a.answer.startswith("Tabell 1 (antall mistenkte personer) viser 250"), a.answer
    b = assistant.ask("hvor mange jenter ble mistenkt for lovbrudd i 2024")
    assert "«Jenter»" in b.answer and " 70 " in b.answer, b.answer


def test_a_word_sharing_a_stem_with_an_abbreviation_alone_names_no_row(assistant):
    """«offer» and «off.» (in «Mot. off. tj.person») share the stem «off»: «barn som ble offer for vold» asks for
    victims, which no table counts, and gets no figure for violence against public servants. A question that
    names the row otherwise too («… tjenesteperson») still gets it."""
    a = assistant.ask("hvor mange barn ble offer for vold")
    assert "Mot. off. tj.person" not in a.answer and a.figure is None, a.answer
    b = assistant.ask("vold mot offentlig tjenesteperson 15-17 år 2023")
    assert "«Mot. off. tj.person»" in b.answer and " 12 " in b.answer, b.answer


def test_two_words_finding_one_row_ask_for_that_row(assistant):
    """«mistenkt eller siktet» finds Tabell 1's persons from both words: one figure (250), not text."""
    a = assistant.ask("hvor mange unge mellom 10 og 17 ble mistenkt eller siktet for lovbrudd i bærum i 2024")
    assert a.answer.startswith("Tabell 1 (antall mistenkte personer) viser 250"), a.answer
    b = assistant.ask("hvor mange ble anmeldt for vold eller trusler i 2024")
    assert "«Vold»" in b.answer and "«Trusler»" in b.answer, b.answer
    # two participles say what happened to the counted, one question: the row the rest of it names
    c = assistant.ask("Hvor mange gutter 15-17 år var mistenkt eller siktet for lovbrudd i Bærum i 2024?")
    assert "«Gutter 15-17år» i 2024" in c.answer and " 96 " in c.answer, c.answer
    # … when the tables use both words («mistenkt/siktet»); «mistenkt eller fornærmet» stays two sides
    from assistant.figure_question import read_question
    assert assistant.figures._alternatives(read_question("hvor mange ble mistenkt eller siktet i 2024")) is None
    assert assistant.figures._alternatives(read_question("hvor mange ble mistenkt eller fornærmet i 2024")) is not None


def test_a_word_for_the_change_asks_for_the_change_not_for_a_table_that_uses_it(assistant):
    """«reduksjonen» says what is asked of the figures, like «nedgangen»: the persons suspected (Tabell 1), not
    Tabell 2, whose text speaks of a «reduksjon»."""
    a = assistant.ask("hva var reduksjonen i prosent for antall mistenkte fra 2023 til 2024")
    assert a.answer.startswith("Tabell 1") and "325" in a.answer and "250" in a.answer, a.answer
    # … also with no other figure word, and in a ranking
    b = assistant.ask("hvor stor reduksjon var det i ran")
    assert "«Ran» i 2024" in b.answer and "fra 10 til 5" in b.answer, b.answer
    c = assistant.ask("hvilken lovbruddstype hadde størst reduksjon")
    assert "«Vinning» mest ned" in c.answer, c.answer


def test_last_year_named_without_its_number_is_the_tables_last(assistant):
    """«i fjor» says when, not what: the table's last year. Before, the clause alone was searched and got the
    10-17 total (250)."""
    a = assistant.ask("gutter 15 til 17 år, hvor mange var mistenkt i fjor?")
    assert "«Gutter 15-17år» i 2024" in a.answer and " 96 " in a.answer, a.answer


def test_which_age_group_in_a_table_of_age_columns_ranks_the_columns(assistant):
    """The overgrepsmottak table has its age groups as columns: «hvilken aldersgruppe var det flest av» is the
    largest of them (16-17, 34), not the total (143). A change column («23-24») beside years is no age group."""
    from assistant.figure_match import _age_groups

    a = assistant.ask("hvilken aldersgruppe var det flest av på overgrepsmottaket")
    assert "«16-17», med 34" in a.answer and "143" not in a.answer, a.answer
    tabell_1 = next(t for t in assistant.figures.tables if t.label == "Tabell 1")
    assert [c for c, _ in _age_groups(tabell_1)] == ["23-24"]   # why a table with years is not ranked by columns
    b = assistant.ask("hvilken aldersgruppe hadde flest mistenkte i 2024")
    assert "«10 - 14år»" in b.answer and "23-24" not in b.answer, b.answer


def test_what_the_rows_of_another_table_are_is_no_loose_word_where_persons_are_counted(assistant):
    """«barn under 15 … mistenkt for lovbrudd» counts persons (Tabell 1, «10 - 14år», 131), not Tabell 3's
    reports (125): «lovbrudd» says what they were suspected of, a word Tabell 1 need not have. «tilbake i
    2017» says when."""
    a = assistant.ask("hvor mange barn under 15 år var mistenkt for lovbrudd i 2024")
    assert a.answer.startswith("Tabell 1 (antall mistenkte personer) viser 131 for «10 - 14år»"), a.answer
    b = assistant.ask("hvor mange 15-17 åringer var mistenkt for lovbrudd i bærum tilbake i 2017?")
    assert "viser 92 for «15 - 17år» i 2017" in b.answer, b.answer


def test_a_word_no_table_has_limits_what_is_counted(assistant):
    """A word the documents never use, everyday or not («februar», «bil»), limits what is counted: no table has
    it, so no whole-year figure; «ifjor» is «i fjor»."""
    a = assistant.ask("var det flere eller færre ran i 2024 enn ifjor")
    assert a.answer.startswith("Tabell 2") and "«Ran» i 2024" in a.answer and " 5 " in a.answer, a.answer
    for q in ("hvor mange voldssaker var det i februar 2024", "hvor mange tyverier av bil var det i 2024"):
        b = assistant.ask(q)
        assert b.figure is None, b.answer


def test_a_participle_whose_verb_no_table_writes_is_what_is_counted(assistant):
    """«tvangsplassert»: no table counts placements, so the text answers («seks ungdommer»), not the table of
    reports to the child welfare service with its row «Barnets atferd»; «anmeldt» is the tables' «anmeldelser»."""
    a = assistant.ask("hvor mange ungdommer ble tvangsplassert pga alvorlig atferd i 2024")
    assert not a.answer.startswith("Tabell") and "seks ungdommer tvangsplassert" in a.answer, a.answer
    b = assistant.ask("hvor mange ble anmeldt for ran i 2024")
    assert a.figure is None and "«Ran» i 2024" in b.answer, b.answer
    # … also at the end of a compound: «politianmeldt» is «anmeldt»
    assert assistant.figures._tabled_act("politianmeldt") and not assistant.figures._tabled_act("tvangsplassert")


def test_a_later_part_naming_another_age_group_asks_for_it_in_the_same_table(assistant):
    """«… hvor mange var 14-15 år og hvor mange 18-19?»: the second part is the first with its age group."""
    a = assistant.ask("overgrepsmottaket i 2024: hvor mange pasienter var 16-17 år, og hvor mange 20-24?")
    assert "viser 34 for «Totalt», kolonnen «16-17»" in a.answer and "viser 26 for «Totalt», kolonnen «20-24»" in a.answer, a.answer


def test_what_went_down_may_stand_between_gikk_and_ned(assistant):
    """«hvor mye gikk volden ned …» asks for the change as «hvor mye gikk ned» does; the words of change are one
    list, so each form found in one place is found in all («reduksjonene», «økningene»)."""
    a = assistant.ask("hvor mye gikk volden ned fra 2023 til 2024")
    assert a.answer.startswith("Tabell 2") and "fra 74 i 2023 til 69 i 2024" in a.answer, a.answer
    from assistant.figure_question import is_figure_word
    assert is_figure_word("reduksjonene") and is_figure_word("økningene") and not is_figure_word("vold")


def test_two_neighbouring_ages_are_their_age_group(assistant):
    """«16 eller 17 år gamle» is the column 16-17; «undersøkt» stays one word, «år gamle» is no topic."""
    from assistant.figure_question import read_question
    assert read_question("var de 14 og 15 år").ranges == [(14, 15)]
    assert read_question("var de 15 og 17 år").ranges == [(17, 17)]   # not neighbours: no group
    a = assistant.ask("hvor mange av de undersøkte ved overgrepsmottaket i 2024 var 16 eller 17 år gamle")
    assert "viser 34 for «Totalt», kolonnen «16-17»" in a.answer, a.answer
    assert "gamle" in read_question("hvor mange gamle saker er med i statistikken").words   # «gamle saker» is a topic


def test_fell_changed_or_changes_in_the_plural_ask_for_no_table(assistant):
    """«falt utenfor skolen» is no figure; «hvilke endringer …» asks what changed, not by how much."""
    assert assistant.ask("er det noen tilbud for de som har falt utenfor skolen").figure is None
    assert assistant.ask("hvilke endringer melder overgrepsmottaket om").figure is None


def test_a_participle_after_another_noun_says_where_not_what(assistant):
    """«gutter … mistenkt for lovbrudd begått i Bærum»: «begått» describes «lovbrudd», so Tabell 1 still counts
    the boys (96); «barn plassert utenfor hjemmet» counts placements, which no table has."""
    a = assistant.ask("Hvor mange gutter i alderen 15 til 17 år ble registrert som mistenkt for lovbrudd begått i Bærum i 2024?")
    assert a.answer.startswith("Tabell 1") and "viser 96 for «Gutter 15-17år» i 2024" in a.answer, a.answer
    b = assistant.ask("hvor mange barn plassert utenfor hjemmet i 2024")
    assert b.figure is None, b.answer
    # nor a place before the participle, nor a place after it that the tables do not tell apart
    for q in ("antall ungdom i bærum tvangsplassert 2024", "hvor mange anmeldelser for vold begått på skolen i 2024"):
        assert assistant.ask(q).figure is None, q


def test_a_word_that_opens_a_compound_row_label_names_that_row(assistant):
    """«rus» names the row «Barnets rusmisbruk» (the rest, «misbruk», is a word of its own), so the child welfare
    table answers; «skade» does not name «Skadeverk» («verk» is too short to be a word of its own here), nor
    «vold» «Voldtekt»."""
    a = assistant.ask("bekymringsmeldinger til barnevernet om rus 2024 og 2023")
    assert "«Barnets rusmisbruk»" in a.answer and "fra 22 i 2023 til 13 i 2024" in a.answer, a.answer
    from assistant.figure_match import _opens_compound
    assert _opens_compound("rus", "rusmisbruk") and not _opens_compound("skade", "skadeverk")
    assert not _opens_compound("vold", "voldtekt") and not _opens_compound("russ", "russaker")
    assert not _opens_compound("råd", "rådgivende")   # «råd» is an everyday word, no topic


def test_oppgi_asks_for_the_figures_and_names_no_place(assistant):
    """«… i 2024? Oppgi tallene for begge.»: «Oppgi» asks for the figures, as «gi meg» does; it is no place the
    tables lack. A place opening a sentence still is one («… i 2024? Fornebu?»)."""
    a = assistant.ask("Var det flest mistenkte i aldersgruppen 10–14 år eller 15–17 år i 2024? Oppgi tallene for begge.")
    assert a.figure and "131" in a.answer and "125" in a.answer, a.answer
    b = assistant.ask("hvor mange anmeldelser for vold var det i 2024? Fornebu?")
    assert b.refused and "«Fornebu»" in b.answer, b.answer


def test_last_year_beside_a_year_of_its_own_is_the_newest_year(assistant):
    """«… i fjor? og 2023?»: «i fjor» is the report's newest year, said in words, and 2023 the year before."""
    a = assistant.ask("hvor mange bekymringsmeldinger om barnets rusmisbruk fikk barnevernet i fjor? og 2023?")
    assert a.figure and "fra 22 i 2023 til 13 i 2024" in a.answer, a.answer
    # «året før, i fjor» after 2023 is the year before it
    b = assistant.ask("I 2023 var det 74 voldsanmeldelser. Hva var tallet året før, i fjor?")
    assert "fra 44 til 74" in b.answer and "til 69 i 2024" not in b.answer, b.answer


def test_an_open_age_group_is_one_side_of_two(assistant):
    """«under 15 eller 15-17», «henholdsvis 10–14-åringer og 15–17-åringer»: one figure for each age group."""
    a = assistant.ask("var det flere under 15 eller 15-17 åringer blant de mistenkte i 2024? tall takk")
    assert a.figure and "131" in a.answer and "125" in a.answer, a.answer
    b = assistant.ask("Hvor mange anmeldelser for fysisk vold var det i 2024 for henholdsvis 10–14-åringer og 15–17-åringer?")
    assert "viser 25 for «Fysisk vold»" in b.answer and "viser 15 for «Fysisk vold»" in b.answer, b.answer

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


def test_year_outside_the_table_is_refused(assistant):
    a = assistant.ask("Hvor mange anmeldelser for vold i 2015?")
    assert a.refused and "2017–2024" in a.answer and a.figure["value"] is None

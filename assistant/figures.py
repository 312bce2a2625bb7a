"""Figure questions answered exactly from the statistics tables, cited to the table row.

Norwegian wording is mapped to a table, a row and a year: «butikktyverier» → Butikktyveri,
«voldssaker» → Vold, «jenter 10-14» → Jenter 10-14år, «under 15 år» → the 10-14 table,
«fra 2023 til 2024» → the change. A year the table does not cover gets a clear refusal.
"""

from __future__ import annotations

import re

from .chat import YEAR_RE
from .tables import Row, Table, load_tables
from .types import Answer, Citation

FIGURE_CUES = re.compile(r"\b(hvor mange|antall|tall på|økning|nedgang|endring|flere|færre|prosent|økte|gikk ned)\b", re.I)
OFFENCES = [  # (pattern, row label)
    (r"butikktyv", "Butikktyveri"), (r"fysisk vold", "Fysisk vold"), (r"trus(sel|ler|lene)", "Trusler"),
    (r"\bran\b|\bransak", "Ran"), (r"vinning", "Vinning"), (r"narkotika", "Narkotika"),
    (r"seksuallovbrudd|seksuelle lovbrudd", "Seksuallovbrudd"), (r"skadeverk|hærverk", "Skadeverk"),
    (r"trafikk", "Trafikk"), (r"kniv|våpen", "Bæring av kniv/annet våpen"),
    (r"hensynsløs|personforfølg", "Hensynsløs adferd/Personforfølgelse"),
    (r"ordensforstyrr", "Ordensforstyrrelser"), (r"økonomi", "Økonomi"),
    (r"offentlig tjenesteperson|off\. tj|politiet", "Mot. off. tj.person"), (r"vold", "Vold"),
    (r"totalt|alle anmeldelser|til sammen|totale", "Total"),
]
# «Hvorfor ble det færre …» asks for the report's explanation, not the figure
EXPLANATION = re.compile(r"\s*(hvorfor|hvordan|hva skyldes|hva er årsaken)\b", re.I)
YOUNG = re.compile(r"10\s*-\s*14|under 15|yngste", re.I)
OLD = re.compile(r"15\s*-\s*17|over 15|eldste", re.I)


def _pick_table(q: str, tables: list[Table]) -> tuple[Table | None, str | None]:
    by_id = {t.id: t for t in tables}
    persons = re.search(r"\b(personer|mistenkte|jenter|gutter)\b", q, re.I)
    if persons:
        t = by_id.get("tabell-1")
        if t is None:
            return None, None
        sex = "Jenter" if re.search(r"jente", q, re.I) else "Gutter" if re.search(r"gutt", q, re.I) else None
        age = "10-14år" if YOUNG.search(q) else "15-17år" if OLD.search(q) else None
        if sex:
            return t, f"{sex} {age}" if age else sex
        return t, "10 - 14år" if age == "10-14år" else "15 - 17år" if age == "15-17år" else "10 - 17år"
    if re.search(r"anmeld|sak(er)?\b|lovbrudd|tyveri|vold|narkotika|ran\b|trus|skadeverk|kniv", q, re.I):
        tid = "tabell-3-10-14-ar" if YOUNG.search(q) else "tabell-3-15-17-ar" if OLD.search(q) else "tabell-2"
        t = by_id.get(tid)
        low = q.lower()
        for pattern, label in OFFENCES:
            if re.search(pattern, low):
                return t, label
        return t, "Total"
    return None, None


class FigureAnswerer:
    def __init__(self, retriever) -> None:
        self.retriever = retriever
        try:
            self.tables = load_tables(retriever.settings)
        except (OSError, ValueError):
            self.tables = []

    def answer(self, question: str, searched: str) -> Answer | None:
        q = searched
        if not self.tables or not (FIGURE_CUES.search(q) or YEAR_RE.search(q)) or EXPLANATION.match(q):
            return None
        table, label = _pick_table(q, self.tables)
        if table is None or label is None or table.row(label) is None:
            return None
        row = table.row(label)
        years = table.years
        asked = YEAR_RE.findall(q)
        missing = [y for y in asked if y not in years]
        if missing:
            text = (f"{table.label} dekker årene {years[0]}–{years[-1]}, så jeg har ikke tall for "
                    f"{', '.join(missing)} i den tabellen.")
            return Answer(question, text, True, [self._cite(table, row)], searched, self._figure(table, row, None))
        year = max(asked) if asked else years[-1]
        value = row.values.get(year)
        if value is None:
            text = f"{table.label} har ingen verdi for «{row.label}» i {year}."
            return Answer(question, text, True, [self._cite(table, row)], searched, self._figure(table, row, year))
        text = self._sentence(table, row, year, value, q)
        return Answer(question, text, False, [self._cite(table, row)], searched, self._figure(table, row, year))

    def _sentence(self, table: Table, row: Row, year: str, value: int, q: str) -> str:
        what = row.label.lower() if row.label != "Total" else "alle lovbruddstyper til sammen"
        if table.id == "tabell-1":
            base = f"I {year} var {value} personer i gruppen «{row.label}» registrert som mistenkt"
        else:
            base = f"I {year} ble det registrert {value} anmeldelser for {what}"
        prev = str(int(year) - 1)
        before = row.values.get(prev)
        if before is not None:
            diff = value - before
            change = f"{abs(diff)} {'flere' if diff > 0 else 'færre'} enn i {prev} ({before})" if diff else f"like mange som i {prev} ({before})"
            if re.search(r"prosent|%", q, re.I) and before:
                change += f", en endring på {round(100 * diff / before):+d} %"
            base += f", {change}"
        return base + " [1]."

    def _cite(self, table: Table, row: Row) -> Citation:
        chunk = self.retriever.chunks.get(table.chunk_id)
        return Citation(
            n=1, document=chunk.doc_title if chunk else table.doc_id, section=table.section,
            page=chunk.page if chunk else None, table=table.label, quote=row.quote,
            links=chunk.links if chunk else (), chunk_id=table.chunk_id, year=chunk.year if chunk else None,
        )

    @staticmethod
    def _figure(table: Table, row: Row, year: str | None) -> dict:
        return {
            "table": table.label, "row": " › ".join(row.path), "column": year,
            "value": row.values.get(year) if year else None,
            "series": {y: row.values.get(y) for y in table.years},
        }

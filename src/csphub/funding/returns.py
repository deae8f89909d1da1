"""A funder's monitoring return for one grant and quarter, as xlsx and CSV.

No public LCPF template is known, so the layout is data: for each sheet (finance, outputs) a
list of [heading, field] pairs, the funder's own (`ReturnColumns`) or the default in
funding/data/return_columns.json. A field is one of FIELDS; a layout naming another is refused
when it is read, so a typing slip never produces an empty column.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from csphub.funding.choices import Direction, MeasureKind, Rag
from csphub.funding.models import Grant, ReturnColumns
from csphub.funding.selectors import GrantAtQuarter, grant_at_quarter
from csphub.lib.csv_safe import neutralise_cell
from csphub.lib.periods import quarter as fy_quarter

DEFAULT_COLUMNS = Path(__file__).parent / "data" / "return_columns.json"
SHEETS = ("finance", "outputs")
FIELDS = {
    "finance": {
        "reference",
        "item",
        "kind",
        "provider",
        "quarter",
        "budget_year",
        "budget_quarter",
        "spend_quarter",
        "spend_labour_quarter",
        "spend_non_labour_quarter",
        "spend_to_date",
        "forecast_remaining",
        "projected_outturn",
        "shortfall",
        "underspend_at_risk",
    },
    "outputs": {
        "reference",
        "item",
        "measure",
        "measure_kind",
        "quarter",
        "profile_quarter",
        "actual_quarter",
        "profile_to_date",
        "actual_to_date",
        "percent_to_date",
        "rag",
        "direction",
    },
}
MONEY_FIELDS = {
    "budget_year",
    "budget_quarter",
    "spend_quarter",
    "spend_labour_quarter",
    "spend_non_labour_quarter",
    "spend_to_date",
    "forecast_remaining",
    "projected_outturn",
    "shortfall",
}


@cache
def _default() -> dict[str, list[list[str]]]:
    data = json.loads(DEFAULT_COLUMNS.read_text(encoding="utf-8"))
    return {sheet: data[sheet] for sheet in SHEETS}


def columns_for(grant: Grant) -> dict[str, list[list[str]]]:
    """The grant's funder's layout, else the default; refused if it names an unknown field."""
    own = ReturnColumns.objects.filter(funder_id=grant.funder_id).first()
    layout = own.columns if own else _default()
    for sheet in SHEETS:
        unknown = [f for _, f in layout.get(sheet, []) if f not in FIELDS[sheet]]
        if unknown:
            raise ValueError(f"The {sheet} return columns name unknown fields: {unknown}")
    return {sheet: layout.get(sheet, []) for sheet in SHEETS}


def rows(view: GrantAtQuarter, year: int, quarter: int) -> dict[str, list[dict[str, Any]]]:
    """The return's rows, one per funded item (finance) and one per measure (outputs)."""
    label = fy_quarter(year, quarter).label
    finance, outputs = [], []
    for entry in view.items:
        item, q, money = entry.item, entry.quarter, entry.money
        if not entry.shown or money is None:
            raise PermissionError("A return holds every item's figures")
        base = {"reference": item.reference, "item": item.name, "quarter": label}
        finance.append(
            {
                **base,
                "kind": item.get_kind_display(),
                "provider": item.provider.name,
                "budget_year": entry.budget_year,
                "budget_quarter": q.budget if q else Decimal("0.00"),
                "spend_quarter": q.spend if q else None,
                "spend_labour_quarter": q.spend_labour if q else None,
                "spend_non_labour_quarter": q.spend_non_labour if q else None,
                "spend_to_date": money.spent,
                "forecast_remaining": money.forecast,
                "projected_outturn": money.spent + money.forecast,
                "shortfall": money.shortfall,
                "underspend_at_risk": "Yes" if money.at_risk else "No",
            }
        )
        for measure, perf in entry.measures:
            outputs.append(
                {
                    **base,
                    "measure": measure.name,
                    "measure_kind": MeasureKind(measure.kind).label,
                    "profile_quarter": perf.profile,
                    "actual_quarter": perf.actual,
                    "profile_to_date": perf.profile_to_date,
                    "actual_to_date": perf.actual_to_date,
                    "percent_to_date": perf.percent,
                    "rag": Rag(perf.rag).label,
                    "direction": Direction(perf.direction).label,
                }
            )
    return {"finance": finance, "outputs": outputs}


def build(
    user: Any, grant: Grant, year: int, quarter: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(layout, rows) of GRANT's return, as USER (who must be allowed to download it) sees it."""
    return columns_for(grant), rows(grant_at_quarter(user, grant, year, quarter), year, quarter)


def _table(layout: list[list[str]], data: list[dict[str, Any]]) -> list[list[Any]]:
    return [[h for h, _ in layout]] + [[row[f] for _, f in layout] for row in data]


def as_xlsx(layout: dict[str, Any], data: dict[str, Any]) -> bytes:
    """Two sheets, Finance and Outputs; money as numbers with two places."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.capitalize())
        fields = [f for _, f in layout[sheet]]
        for r, values in enumerate(_table(layout[sheet], data[sheet]), start=1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c, value=neutralise_cell(value))
                if r > 1 and fields[c - 1] in MONEY_FIELDS and value is not None:
                    cell.number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_csv(layout: dict[str, Any], data: dict[str, Any], sheet: str) -> str:
    """One sheet of the return as CSV (formula-like text neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for values in _table(layout[sheet], data[sheet]):
        writer.writerow(["" if v is None else neutralise_cell(v) for v in values])
    return out.getvalue()

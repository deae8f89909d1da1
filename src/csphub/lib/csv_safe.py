"""CSV output that spreadsheets cannot execute.

A spreadsheet reads a cell as a formula when it starts with one of the trigger characters
below (OWASP, "CSV Injection"). It also splits a line into cells at its own list separator,
which depends on the locale: a file written with commas is opened with `;` or a tab as the
field break in much of Europe, and `|` is offered too. So `ok;=HYPERLINK(...)`, one cell here,
is two cells there, the second a formula. Every piece a separator could start is neutralised,
not just the start of the cell.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
# Full-width forms are included because some spreadsheets normalise them to the ASCII ones.
_TRIGGERS = "=+\\-@\t\r\n\0\uff1d\uff0b\uff0d\uff20"
# Where a spreadsheet may start a new cell (or line): the separators of every locale.
_SEPARATORS = ",;\t|\r\n\uff0c\uff1b"
# A piece of text that starts a cell (or follows a separator) and, past any spaces or
# quotes, begins with a trigger. The apostrophe goes at the start of that piece.
_FORMULA = re.compile(f'(^|[{_SEPARATORS}])(?=[ "]*[{_TRIGGERS}])')


def neutralise_cell(value: Any) -> Any:
    """Prefix every formula-like piece of text with an apostrophe so it is shown, never run.

    >>> neutralise_cell("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> neutralise_cell('ok;=HYPERLINK("http://x.example")')
    'ok;\\'=HYPERLINK("http://x.example")'

    A number, a date or nothing is left as it is; anything else (a dict, a list: an audit
    event's payload) is neutralised as the text the file will hold, its `str()`.

    >>> neutralise_cell(42), neutralise_cell("Bexley"), neutralise_cell("Theft, robbery")
    (42, 'Bexley', 'Theft, robbery')
    >>> neutralise_cell({"verb": "x;=1+1"})
    "{'verb': 'x;'=1+1'}"
    """
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    text = value if isinstance(value, str) else str(value)
    return _FORMULA.sub(lambda m: f"{m.group(1)}'", text)


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV download with every cell neutralised. FILENAME must not contain personal data."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([neutralise_cell(h) for h in header])
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return response

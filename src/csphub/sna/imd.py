"""The English Indices of Deprivation 2025 (File 1): each LSOA 2021's IMD decile.

Read from ``SHARED_DATA_DIR/imd`` (the file as the Ministry publishes it: a notes sheet, then
the IMD sheet keyed on LSOA 2021 code); 1 is the most deprived tenth of LSOAs in England.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

FILE_NAME = "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
CODE_HEADING = "LSOA code (2021)"
DECILE_PREFIX = "Index of Multiple Deprivation (IMD) Decile"


def imd_file() -> Path:
    return Path(settings.SHARED_DATA_DIR) / "imd" / FILE_NAME


@lru_cache(maxsize=2)
def _read(path: Path, mtime_ns: int) -> dict[str, int]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = next(s for s in book.worksheets if s.title.upper().startswith("IMD"))
        deciles: dict[str, int] = {}
        code_at = decile_at = None
        for row in sheet.iter_rows(values_only=True):
            if code_at is None:
                if CODE_HEADING in row:
                    code_at = row.index(CODE_HEADING)
                    decile_at = next(
                        i for i, v in enumerate(row) if str(v or "").startswith(DECILE_PREFIX)
                    )
                continue
            if row[code_at]:
                deciles[str(row[code_at])] = int(row[decile_at])  # type: ignore[index, arg-type]
        return deciles
    finally:
        book.close()


def deciles() -> dict[str, int] | None:
    """LSOA 2021 code -> IMD 2025 decile; None when the file is not there."""
    path = imd_file()
    if not path.is_file():
        return None
    return _read(path, path.stat().st_mtime_ns)

"""The one refusal of a partner extract: which file, which row, which column and why."""

from __future__ import annotations

from csphub.core.errors import ServiceError


class ExtractRefused(ServiceError):
    """A partner extract that cannot be imported; nothing of it is kept."""

    def __init__(self, file_name: str, row: int | None, column: str | None, reason: str) -> None:
        self.file_name, self.row, self.column, self.reason = file_name, row, column, reason
        where = file_name
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column “{column}”"
        super().__init__(f"{where}: {reason}")

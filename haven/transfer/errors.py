"""Row errors shared by every importer: `row N, column X: message`, rows numbered as in the spreadsheet."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HEADER_ROW = 1


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"row {self.row}, column {self.column}: {self.message}"
        return f"row {self.row}: {self.message}"


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = sorted(errors)
        super().__init__(self.report())

    def report(self, limit: int = 200) -> str:
        lines = [str(error) for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more errors")
        lines.append(f"{len(self.errors)} error(s); nothing was imported.")
        return "\n".join(lines)

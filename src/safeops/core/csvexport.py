"""The one CSV writer for exports: text cells that a spreadsheet would run as a formula are
neutralised (CSV/formula injection, OWASP).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
single quote, so Excel, LibreOffice and Sheets show it as text. Numbers (``int``/``float``
values, and text that is a plain number such as ``-85.7``) are left alone: they cannot run.

Which exports are protected (the choice):

- Reports people open in a spreadsheet (training district view, dispatch history, drill
  verification report) use ``report_writer``.
- The schools export is both a report and the re-import format: it is protected too, and the
  importer undoes the quote with ``restore_cell``. The quote is added to any text matching
  ``'*`` followed by a trigger character, and ``restore_cell`` removes one quote from exactly
  those, so every value round-trips unchanged (even one that itself starts with a quote).
- The HSDS export (``safeops export-hsds``) is an Open Referral data-interchange package read by
  other directories that would not remove our quote (a phone number ``+1 502…`` would change):
  it is written unchanged with ``interchange_dict_writer``. Open it in a spreadsheet only
  through an import that treats columns as text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise_cell(value: Any) -> Any:
    """`value`, with a leading single quote when it is text a spreadsheet would evaluate."""
    if not isinstance(value, str) or _PLAIN_NUMBER.match(value):
        return value
    if _NEEDS_QUOTE.match(value):
        return f"'{value}"
    return value


def restore_cell(text: str) -> str:
    """The inverse of `neutralise_cell` for text read back from a protected export."""
    return text[1:] if _QUOTED.match(text) else text


class ReportWriter:
    """`csv.writer` whose rows are neutralised cell by cell."""

    def __init__(self, out: _Writable, **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def report_writer(out: _Writable, **fmtparams: Any) -> ReportWriter:
    """The writer for every human-facing CSV export."""
    return ReportWriter(out, **fmtparams)


def interchange_dict_writer(
    out: _Writable, *, fieldnames: list[str], **fmtparams: Any
) -> csv.DictWriter[str]:
    """A plain `csv.DictWriter` for data-interchange files that must stay byte-exact (HSDS)."""
    return csv.DictWriter(out, fieldnames=fieldnames, **fmtparams)

"""Streaming ledgers (台账): one query read through an iterator into a streaming Excel or CSV writer.

A ledger names its columns once: a header, a source (a field path or a query expression) and how
a value is shown (choices as their labels, personal fields masked by ``core.masking``, text that a
spreadsheet would run as a formula escaped). ``Ledger.rows(queryset)`` selects only those columns
from the (scoped, filtered) queryset, with counts and lists computed in SQL, and yields plain
rows; ``write_xlsx`` (xlsxwriter in constant-memory mode) and ``write_csv`` write them without
holding the rows. A ledger may split its sheets by a value (``SheetSplit``: a year of visits gets a
sheet per month); a sheet holds at most ``SHEET_ROWS`` rows, more go on to continuation sheets.
Core knows no domain app: the ledgers themselves live in their apps (``<app>/ledgers.py``).
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.utils import timezone

from core.masking import field_masker
from core.resources import neutralise_formula

SHEET_ROWS = 1_000_000  # an Excel sheet holds 1,048,576 rows; a round number below it
CHUNK = 2000  # rows fetched per round trip (a server-side cursor on PostgreSQL)
MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class LedgerColumn:
    """One column: ``key`` is the export resource's field name (the user's column choice)."""

    key: str
    header: str
    source: object = None  # a field path ("village__name") or an expression; default: ``key``
    width: int = 12
    display: object = None  # a function applied to the value in Python (e.g. an age from a date)


@dataclass(frozen=True)
class SheetSplit:
    """One sheet per value of ``expression`` (rows ordered by it first), named by ``title(value)``."""

    expression: object  # e.g. TruncMonth("visited_on")
    title: object  # value -> the sheet's name after the ledger's: "2026年03月"


class LedgerRow(list):
    """A ledger row that knows the sheet it goes on (``None``: the ledger's one sheet)."""

    sheet = None


@dataclass(frozen=True)
class Ledger:
    name: str  # "户台账": the sheet's and the file's name
    model: object
    columns: tuple
    split: SheetSplit = None  # sheets per month (or township …) instead of only continuation sheets

    def selected(self, keys=None):
        """The columns chosen on the export form (all when nothing was chosen), in ledger order."""
        if not keys:
            return list(self.columns)
        wanted = set(keys)
        return [c for c in self.columns if c.key in wanted]

    def rows(self, queryset, keys=None):
        """Yield one list per record: the one query, read in chunks, only the chosen columns."""
        columns = self.selected(keys)
        aliases = {f"ledger_{c.key}": _expression(c) for c in columns}
        converters = [self._converter(c) for c in columns]
        queryset = queryset.prefetch_related(None).annotate(**aliases)
        names = list(aliases)
        if self.split is not None:  # grouped by the split value first, then as the list had them
            ordering = list(queryset.query.order_by or self.model._meta.ordering)
            queryset = queryset.annotate(ledgersplit=self.split.expression).order_by("ledgersplit", *ordering)
            names.append("ledgersplit")
        for record in queryset.values_list(*names).iterator(chunk_size=CHUNK):
            row = LedgerRow(convert(value) for convert, value in zip(converters, record, strict=False))
            if self.split is not None:
                row.sheet = self.split.title(record[-1])
            yield row

    def headers(self, keys=None):
        return [c.header for c in self.selected(keys)]

    def _converter(self, column):
        field = _model_field(self.model, column.source if isinstance(column.source, str) else column.key)
        steps = []
        if column.display is not None:
            steps.append(column.display)
        elif field is not None and field.choices:
            labels = {key: str(label) for key, label in field.flatchoices}
            steps.append(lambda value: labels.get(value, value))
        mask = field_masker(field) if field is not None else None
        if mask is not None:
            steps.append(lambda value: mask(value) if value else value)

        def convert(value):
            for step in steps:
                value = step(value)
            if isinstance(value, datetime.datetime):
                return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            return neutralise_formula(value)

        return convert


def _expression(column):
    source = column.source if column.source is not None else column.key
    return F(source) if isinstance(source, str) else source


def _model_field(model, path):
    try:
        field = get_fields_from_path(model, path)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return None
    return field if getattr(field, "concrete", False) else None  # a reverse relation is no column


def sheet_title(name, number):
    suffix = f"（{number}）" if number > 1 else ""
    return name[: MAX_SHEET_NAME - len(suffix)] + suffix


def write_xlsx(out, ledger, rows, *, keys=None, progress=None, every=CHUNK, sheet_rows=SHEET_ROWS):
    """Write ``rows`` as a workbook to the path or binary file ``out``; returns the row count.

    Constant memory: xlsxwriter flushes each row to a temporary file, so the rows are never held.
    Header bold and frozen, dates as dates, numbers as numbers, no text is ever read as a formula
    or a link. ``progress(n)`` is called every ``every`` rows.
    """
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd",
    }
    workbook = xlsxwriter.Workbook(out, options)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    times = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    columns = ledger.selected(keys)
    headers = [c.header for c in columns]
    sheets = 0
    sheet = None
    line = 0
    count = 0
    part = None  # the current split value's sheet name (a month …)

    def new_sheet():
        nonlocal sheets, sheet, line
        sheets += 1
        name = f"{ledger.name}-{part}" if part else ledger.name
        sheet = workbook.add_worksheet(sheet_title(name, sheets))
        for index, column in enumerate(columns):
            sheet.set_column(index, index, max(column.width, len(column.header) * 2 + 2))
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        line = 1

    first = True
    for row in rows:
        wanted = getattr(row, "sheet", None)
        if first or wanted != part:
            part, sheets, first = wanted, 0, False
            new_sheet()
        elif line > sheet_rows:
            new_sheet()
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(line, index, value, times)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(line, index, value, dates)
            elif isinstance(value, bool):
                sheet.write_string(line, index, "是" if value else "否")
            elif isinstance(value, int | float):
                sheet.write_number(line, index, value)
            else:
                sheet.write_string(line, index, str(value))
        line += 1
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    if first:  # no rows: the header alone
        new_sheet()
    workbook.close()
    return count


def write_csv(out, ledger, rows, *, keys=None, progress=None, every=CHUNK):
    """Write ``rows`` as UTF-8 CSV with a byte-order mark (Excel opens it as Chinese) to a binary file."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(ledger.headers(keys))
    count = 0
    for row in rows:
        writer.writerow(["是" if v is True else "否" if v is False else "" if v is None else v for v in row])
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    text.flush()
    text.detach()
    return count

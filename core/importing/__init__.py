"""The spreadsheet import kit: safe upload, tolerant reading, column recognition, error reports.

No domain imports: an app describes its columns (``columns.Column``) and its parse, diff, lock and
write pieces as a ``flow.ImportFlow``, the one preview → confirm driver; the admin pages come from
``core.admin_import.SheetImportMixin``.
Order of work: ``files.check_xlsx`` refuses hostile files before any row is parsed,
``sheet.read_sheet`` reads every row with its real sheet row number (python-calamine, merged
cells filled down, formula cells without a value reported), ``columns.map_header`` finds the
header among the first rows by the names offices use, the app plans (no writes, no lock), then
applies in one short transaction. ``report.marked_workbook`` gives the file back with the faulty
cells marked and a reason column.
"""

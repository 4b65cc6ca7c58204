"""The two steps every spreadsheet import shares: a preview that writes nothing, a confirm that writes all or nothing.

An app describes its import as an ``ImportFlow`` (its columns, parse, diff, count, lock and write)
and calls ``preview``/``confirm``, which take (path, file name, user) and return an ``Outcome``.
The preview reads, checks and compares, holding no lock. The confirm reads the same way outside
any transaction, then in one short transaction locks the villages and re-checks the scope
(``lock``), compares again against what is committed now (so two confirms of one file cannot
both create) and writes; anything found wrong then raises ``Stale`` and nothing is written.

``progress(phase, **info)`` hears each stage (a job keeps it as its heartbeat): the rows checked so
far (``done``, ``total``) every few hundred rows, ``commit`` as the last step inside the confirm's
transaction (a job declared interrupted raises there, so nothing is committed) and ``committed``
(with the counts) once the transaction has committed.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from core.importing.columns import map_header
from core.importing.files import ImportRefused, check_xlsx
from core.importing.sheet import read_sheet

STALE = "确认时发现数据有问题，未导入任何数据。"
NO_ROWS = "表头下面没有数据行。"


@dataclass
class Outcome:
    sheet: object = None
    header: object = None
    items: list = field(default_factory=list)  # what the file plans: households, people…
    errors: list = field(default_factory=list)
    refusal: str = ""  # the whole file refused (hostile, unreadable, no header, stale at confirm)
    counts: dict = field(default_factory=dict)
    committed: bool = False
    rows_read: int = 0  # data rows under the header (blank and 合计 rows left out)

    @property
    def ok(self):
        return not self.refusal and not self.errors


class Stale(Exception):
    """Inside the confirm's transaction the file no longer fits the database; the message says why."""


def _noop(phase, **info):
    pass


@dataclass(frozen=True)
class ImportFlow:
    columns: list
    has_header: object  # mapped header's column keys -> bool
    no_header: str  # the refusal when the first rows hold no such header
    parse: object  # (sheet, header, user, tick) -> parsed: .errors, .rows_read, no writes; tick for sheet.numbered
    items: object  # parsed -> its planned items
    diff: object  # (parsed, user) -> new errors; sets each item's action against the database
    count: object  # (items, errors) -> counts (faulty items marked refused)
    lock: object  # (parsed, user) -> '' or a Chinese reason; in the transaction: lock villages, re-check scope
    write: object  # items -> counts of what was written
    conflict: str = ""  # refusal when the write hits a constraint (a concurrent change); '' lets it raise

    def read(self, path, name, user, progress=_noop):
        """The parsed file (no database writes); an Outcome with ``refusal`` for a file refused whole."""
        progress("read")
        try:
            check_xlsx(path, name)
            sheet = read_sheet(path)
        except ImportRefused as error:
            return Outcome(refusal=str(error)), None
        header = map_header(sheet, self.columns)
        if header is None or not self.has_header(header.columns):
            return Outcome(sheet=sheet, refusal=self.no_header), None
        progress("check")
        parsed = self.parse(sheet, header, user, lambda done, total: progress("check", done=done, total=total))
        if not parsed.rows_read:
            return Outcome(sheet=sheet, header=header, refusal=NO_ROWS), None
        return Outcome(sheet=sheet, header=header, rows_read=parsed.rows_read), parsed

    def preview(self, path, name, user, progress=_noop):
        outcome, parsed = self.read(path, name, user, progress)
        if parsed is None:
            return outcome
        progress("compare")
        errors = parsed.errors + self.diff(parsed, user)
        errors.sort(key=lambda e: (e.row, e.column_index if e.column_index is not None else -1))
        outcome.items, outcome.errors = self.items(parsed), errors
        outcome.counts = self.count(outcome.items, errors)
        return outcome

    def confirm(self, path, name, user, progress=_noop):
        """Everything or nothing; the outcome's counts are what was committed."""
        outcome, parsed = self.read(path, name, user, progress)
        if parsed is None or parsed.errors:
            if parsed is not None:
                outcome.errors = parsed.errors
            return outcome
        progress("write")
        try:
            with transaction.atomic():
                reason = self.lock(parsed, user)
                if reason:
                    raise Stale(reason)
                errors = self.diff(parsed, user)
                if errors:
                    outcome.errors = errors
                    raise Stale("")
                outcome.counts = self.write(self.items(parsed))
                progress("commit")
                transaction.on_commit(lambda: progress("committed", counts=outcome.counts))
        except Stale as stale:
            outcome.refusal, outcome.counts = str(stale) or STALE, {}
            return outcome
        except IntegrityError:
            if not self.conflict:
                raise
            outcome.refusal, outcome.counts = self.conflict, {}
            return outcome
        outcome.items, outcome.committed = self.items(parsed), True
        return outcome

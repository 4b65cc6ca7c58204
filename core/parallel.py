"""Independent read-only parts of one page counted side by side, each thread on its own connection.

A county's summary and unit page are a dozen grouped queries that do not depend on each other; one
after another they took 0.3–0.4 s of which the database was most. Two threads (two cores) give the
first look of a county's year in about two thirds of that (bench/run.py, docs/SCALING.md).

Only outside a transaction: another connection does not see what this transaction wrote (nor a
test's rows, which live in the test's transaction), so inside one the parts run in order here.
Each thread copies the caller's context variables (``households.selectors_report.shared_counts``
then shares its memo) and closes its connections when it is done. On PostgreSQL each thread's
connection asks for no parallel workers of its own: the threads already keep both cores busy, and
two queries each with two workers on two cores were slower (a county's unit page 342 → 303 ms).
"""

import contextvars
import threading

from django.conf import settings
from django.db import connection, connections


def gather(functions):
    """``[f() for f in functions]``, run by up to ``settings.REPORT_THREADS`` threads when allowed."""
    functions = list(functions)
    threads = min(settings.REPORT_THREADS, len(functions))
    if threads <= 1 or connection.in_atomic_block:
        return [function() for function in functions]
    results, errors = [None] * len(functions), []
    pending, lock = iter(enumerate(functions)), threading.Lock()

    def work(context):
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET max_parallel_workers_per_gather = 0")
            while True:
                with lock:
                    item = next(pending, None)
                if item is None or errors:
                    return
                index, function = item
                results[index] = context.run(function)
        except BaseException as error:  # re-raised in the caller's thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(contextvars.copy_context(),)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return results

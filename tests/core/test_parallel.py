"""core.parallel.gather: in threads with their own connections outside a transaction, in order inside one.

The threaded half is a transactional test (another connection sees only committed rows), kept in its
own module with the pages' check in tests/reports/test_report_threads.py.
"""

import threading

import pytest
from django.db import connection

from core.parallel import gather
from governance.models import Unit


def where():
    return threading.get_ident(), Unit.objects.count()


def test_inside_a_transaction_the_parts_run_in_order_in_this_thread(cast, settings):
    settings.REPORT_THREADS = 2
    assert connection.in_atomic_block  # the test's own transaction
    results = gather([where, where, lambda: "三"])
    assert results[:2] == [(threading.get_ident(), Unit.objects.count())] * 2
    assert results[2] == "三"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_threads_count_committed_rows_and_keep_the_order(cast, settings):
    settings.REPORT_THREADS = 2
    units = Unit.objects.count()
    results = gather([where] * 5 + [lambda: "末"])
    assert results[-1] == "末"
    threads = {ident for ident, _ in results[:-1]}
    assert threading.get_ident() not in threads and 1 <= len(threads) <= 2
    assert {count for _, count in results[:-1]} == {units}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_error_in_a_part_reaches_the_caller(cast, settings):
    settings.REPORT_THREADS = 2

    def broken():
        raise ValueError("统计出错")

    with pytest.raises(ValueError, match="统计出错"):
        gather([where, broken, where])


def test_one_thread_runs_them_in_order(db, settings):
    settings.REPORT_THREADS = 1
    assert gather([lambda: 1, lambda: 2]) == [1, 2]

"""Agreement numbers under concurrency on PostgreSQL: two agreements of one committee signed at once.

Kept in its own module (a transactional test empties the tables when it ends).
"""

import threading

import pytest
from django.db import connection

from disputes.models import Agreement, Dispute
from disputes.services import sign_agreement
from tests.factories.disputes import make_dispute


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_get_distinct_numbers(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    disputes = [make_dispute(cast.branches[0], Dispute.Status.MEDIATING, session_count=1) for _ in range(2)]
    user, start, errors = cast.users["village"], threading.Barrier(2), []

    def sign(dispute):
        try:
            start.wait(10)
            sign_agreement(user=user, dispute=dispute, kind="written", terms="t", disputed_points="p")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(d,)) for d in disputes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    numbers = sorted(Agreement.objects.filter(committee=disputes[0].committee).values_list("number", flat=True))
    assert numbers == [1, 2]

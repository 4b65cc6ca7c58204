"""Real row locks on PostgreSQL: two transactions move the same grievance at the same time.

Kept in its own module: a transactional test empties the tables when it ends (the reference rows
from data migrations too), and pytest-django runs such modules after the others only when they
hold nothing else (xdist --dist loadfile keeps a module's tests together).
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import Role
from grievances.models import GrievanceEvent
from grievances.services import verify_grievance
from tests.factories import GrievanceFactory, user_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the category rows for later tests
def test_two_threads_on_postgresql_only_one_wins(cast):
    """Real row locks: the second transaction waits on SELECT … FOR UPDATE, then sees the new version."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    first = cast.users["village"]
    second = user_for(cast.branches[0].village, role=Role.VILLAGE, username="village_b")
    grievance = GrievanceFactory(household=cast.branches[0].households[0])
    holding, release, errors = threading.Event(), threading.Event(), []

    def one():
        try:
            with transaction.atomic():
                verify_grievance(user=first, grievance=grievance, expected_version=1, note="甲")
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def two():
        holding.wait(10)
        try:
            verify_grievance(user=second, grievance=grievance, expected_version=1, note="乙")
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.3)  # let the second transaction reach its SELECT … FOR UPDATE and wait there
    release.set()
    for thread in threads:
        thread.join(20)
    assert len(errors) == 1
    assert "已被他人办理" in errors[0].messages[0]
    notes = GrievanceEvent.objects.filter(grievance=grievance, action="verify").values_list("note", flat=True)
    assert list(notes) == ["甲"]

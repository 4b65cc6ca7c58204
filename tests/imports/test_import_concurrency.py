"""Two confirms of the same file at once do not duplicate anything (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from households.imports import service
from households.models import Household, Resident
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, workbook_bytes

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_file_at_once_create_each_household_once(cast, tmp_path):
    rows = [HEADER]
    for i in range(40):
        rows.append([f"C{i}", "虎溪村", "虎溪村一邻", f"户主{i}", "户主", make_id_number(serial=900 + i), "", "", ""])
        rows.append([f"C{i}", "虎溪村", "虎溪村一邻", f"成员{i}", "子女", "", "", "", ""])
    path = tmp_path / "同一文件.xlsx"
    path.write_bytes(workbook_bytes(rows))
    user = cast.users["village"]
    households, residents = Household.objects.count(), Resident.objects.count()
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            outcomes.append(service.confirm(path, path.name, user))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Household.objects.count() == households + 40
    assert Resident.objects.count() == residents + 80
    created = sorted(o.counts.get("households_create", 0) for o in outcomes if o.committed)
    assert created in ([0, 40], [40])  # the second either saw the first's rows or was refused

"""Two confirms of the same file at once do not duplicate anything (PostgreSQL: real row locks), and two
confirms of the same upload at once run once: the other is refused."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from governance.imports import service as roster
from governance.models import Person, Posting
from households.imports import service
from households.models import Household, Resident
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, workbook_bytes, xlsx_file
from tests.imports.test_import_roster import good_rows as roster_rows
from tests.imports.test_import_roster import url as roster_url

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def confirm_twice_at_once(confirm, path, user):
    """Two threads (two database connections) confirm the file together; returns both outcomes."""
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            outcomes.append(confirm(path, path.name, user))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the reference rows for later tests
def test_two_confirms_of_one_file_at_once_create_each_household_once(cast, tmp_path):
    rows = [HEADER]
    for i in range(40):
        rows.append([f"C{i}", "虎溪村", "虎溪村一邻", f"户主{i}", "户主", make_id_number(serial=900 + i), "", "", ""])
        rows.append([f"C{i}", "虎溪村", "虎溪村一邻", f"成员{i}", "子女", "", "", "", ""])
    path = tmp_path / "同一文件.xlsx"
    path.write_bytes(workbook_bytes(rows))
    user = cast.users["village"]
    households, residents = Household.objects.count(), Resident.objects.count()
    outcomes = confirm_twice_at_once(service.confirm, path, user)
    assert Household.objects.count() == households + 40
    assert Resident.objects.count() == residents + 80
    created = sorted(o.counts.get("households_create", 0) for o in outcomes if o.committed)
    assert created in ([0, 40], [40])  # the second either saw the first's rows or was refused


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the reference rows for later tests
def test_two_confirms_of_one_roster_at_once_create_each_person_and_posting_once(cast, tmp_path):
    path = tmp_path / "三长花名册.xlsx"
    path.write_bytes(workbook_bytes(roster_rows()))
    user = cast.users["village"]
    people, postings = Person.objects.count(), Posting.objects.count()
    outcomes = confirm_twice_at_once(roster.confirm, path, user)
    assert Person.objects.count() == people + 3
    assert Posting.objects.count() == postings + 4
    committed = [o for o in outcomes if o.committed]
    assert sorted(o.counts["people_create"] for o in committed) in ([0, 3], [3])
    assert [o.counts["postings_create"] for o in committed if o.counts["people_create"]] == [4]
    for other in (o for o in outcomes if not o.committed):  # refused: says so in Chinese, wrote nothing
        assert other.refusal.startswith(("导入期间", "确认时")) and not other.counts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the reference rows for later tests
def test_two_confirms_of_one_roster_upload_at_once_commit_once_and_refuse_the_other(cast):
    user = cast.users["village"]
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(user)
    response = first.post(roster_url("import"), {"import_file": xlsx_file(roster_rows())})
    confirm_url = roster_url("import_preview", response["Location"].split("/")[-2])
    people, postings = Person.objects.count(), Posting.objects.count()
    barrier, pages = threading.Barrier(2), []

    def run(client):
        try:
            barrier.wait()
            pages.append(client.post(confirm_url, {"confirm": "1"}, follow=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [page.content.decode() for page in pages]
    assert sum("导入完成：人员：新增3人" in text for text in texts) == 1
    refused = [page for page, text in zip(pages, texts, strict=True) if "导入完成" not in text]
    # Refused while the first runs; or, reaching the server after the first has finished and removed
    # the upload, it finds no upload: 404, as for anyone's unknown upload. Either way nothing twice.
    assert len(refused) == 1
    assert refused[0].status_code == 404 or "该文件正在导入中，请勿重复确认" in refused[0].content.decode()
    assert (Person.objects.count(), Posting.objects.count()) == (people + 3, postings + 4)

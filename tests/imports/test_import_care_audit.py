"""特殊群体类别 changed by an import are in the household's history, as auditlog records an m2m change."""

from auditlog.models import LogEntry

from households.models import Household
from tests.imports.helpers import HEADER, confirm, upload, xlsx_file


def care_entries(household):
    entries = LogEntry.objects.get_for_object(household).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    changes = [(e.changes_dict.get("care_categories"), e.actor) for e in entries]
    return [(c["operation"], sorted(c["objects"]), actor) for c, actor in changes if c]


def rows(care):
    return [HEADER, ["H009", "虎溪村", "虎溪村一邻", "周九", "户主", "", "13800009999", "九组", care]]


def test_care_categories_added_and_removed_by_an_import_are_audited(client, cast):
    user = cast.users["village"]
    client.force_login(user)
    confirm(client, upload(client, xlsx_file(rows("低保、五保"))))
    household = Household.objects.get(household_number="H009")
    assert care_entries(household) == [("add", sorted(["低保", "五保"]), user)]
    done = confirm(client, upload(client, xlsx_file(rows("低保、留守儿童"))))
    assert "修改1户" in done.content.decode()
    assert set(household.care_categories.values_list("name", flat=True)) == {"低保", "留守儿童"}
    later = care_entries(household)[1:]
    assert later == [("add", ["留守儿童"], user), ("delete", ["五保"], user)]


def test_an_unchanged_household_gets_no_care_entry(client, cast):
    client.force_login(cast.users["village"])
    confirm(client, upload(client, xlsx_file(rows("低保"))))
    entries = LogEntry.objects.count()
    confirm(client, upload(client, xlsx_file(rows("低保"))))
    assert LogEntry.objects.count() == entries

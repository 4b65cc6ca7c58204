"""The import's own create entries are exactly what auditlog writes for a saved row."""

import datetime

from auditlog.diff import model_instance_diff

from core.importing.audit import create_entries
from households.models import Household, Resident
from tests.factories.ids import make_id_number


def test_create_entries_equal_auditlogs_diff_masked(cast):
    household = Household._base_manager.create(
        village=cast.branches[0].village, head_name="审计户", phone="13800009999", address="一号"
    )
    resident = Resident(household=household, name="审计人", id_number=make_id_number(datetime.date(1990, 1, 1)))
    resident.birth_date, resident.gender, resident.relation = datetime.date(1990, 1, 1), "male", "head"
    Resident._base_manager.bulk_create([resident])
    from auditlog.models import LogEntry

    LogEntry.objects.all().delete()
    assert create_entries(Household, [household]) == 1 and create_entries(Resident, [resident]) == 1
    for obj in (household, resident):
        entry = LogEntry.objects.get_for_object(obj).get()
        expected = {k: list(v) for k, v in model_instance_diff(None, obj).items()}
        assert entry.changes_dict == expected and entry.action == LogEntry.Action.CREATE
    changes = LogEntry.objects.get_for_object(resident).get().changes_dict
    assert "birth_date" not in changes and "*" in changes["id_number"][1]
    assert "13800009999" not in str(LogEntry.objects.get_for_object(household).get().changes_dict)

"""An export searched by a full ID number or phone logs (and the log page shows) the term masked."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.models import AccessLog
from core.masking import mask_numbers_in, mask_numbers_in_text
from households.models import Resident
from tests.core import scope_matrix as sm
from tests.factories import ResidentFactory, make_id_number

ID = make_id_number(serial=888)
PHONE = "13912345678"


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        (ID, ID[:6] + "********" + ID[-4:]),
        (ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")), ID[:6] + "********" + ID[-4:]),
        ("430000199001011", "430000*****1011"),
        (PHONE, "139****5678"),
        ("139 1234 5678", "139****5678"),
        ("+86 13912345678", "139****5678"),
        ("0746-1234567", "0746****4567"),
        (f"赵大 {PHONE} 身份证{ID}", f"赵大 139****5678 身份证{ID[:6]}********{ID[-4:]}"),
        ("赵大", "赵大"),
        ("2026-11-30", "2026-11-30"),
        ("12", "12"),
    ],
)
def test_numbers_in_text_are_masked(typed, masked):
    assert mask_numbers_in_text(typed) == masked


def test_nested_filters_are_masked():
    data = {"q": PHONE, "ids": [ID, "7"], "village": "3", PHONE: "1"}
    assert mask_numbers_in(data) == {
        "q": "139****5678",
        "ids": [ID[:6] + "********" + ID[-4:], "7"],
        "village": "3",
        "139****5678": "1",
    }


@pytest.mark.parametrize("term", [ID, PHONE])
def test_export_search_term_is_logged_masked_and_shown_masked(client, cast, term):
    ResidentFactory(household=cast.branches[0].households[0], id_number=ID, phone=PHONE)
    client.force_login(cast.users["township"])
    status, rows = sm.export_rows(client, Resident, f"?q={term}")
    assert status == 200 and len(rows) == 1
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert term not in str(log.filters)
    assert log.filters["q"] in (ID[:6] + "********" + ID[-4:], "139****5678")
    html = client.get(f"/admin/accounts/accesslog/{log.pk}/change/").content.decode()
    html += client.get("/admin/accounts/accesslog/").content.decode()
    assert term not in html


def test_migration_masks_numbers_already_in_the_log(cast):
    user = cast.users["township"]
    old = AccessLog.objects.create(user=user, action=AccessLog.Action.EXPORT, filters={"q": ID, "village": "3"})
    plain = AccessLog.objects.create(user=user, action=AccessLog.Action.EXPORT, filters={})
    migration = importlib.import_module("accounts.migrations.0005_mask_numbers_in_logged_filters")
    state = MigrationLoader(connection).project_state(("accounts", "0005_mask_numbers_in_logged_filters"))
    migration.mask_stored_filters(state.apps, None)
    old.refresh_from_db()
    plain.refresh_from_db()
    assert old.filters == {"q": ID[:6] + "********" + ID[-4:], "village": "3"}
    assert plain.filters == {}

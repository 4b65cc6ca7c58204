"""ID numbers and phones are masked on every admin page; the full value only after a logged reveal."""

import json
import re

import pytest
from auditlog.models import LogEntry

from accounts.models import AccessLog
from core.masking import mask_for_audit, mask_id_number, mask_phone
from tests.factories import PersonFactory, ResidentFactory, make_id_number

PASSWORD = "Sanzhang-test-2026"
ID = make_id_number(serial=777)
PHONE = "13912345678"
MASKED_ID = ID[:6] + "********" + ID[-4:]
MASKED_PHONE = "139****5678"


@pytest.fixture
def resident(cast):
    return ResidentFactory(household=cast.branches[0].households[0], name="赵小花", id_number=ID, phone=PHONE)


def result_rows(html):
    """The changelist's result rows, without links (which carry the user's own search term)."""
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.sub(r'href="[^"]*"', "", rows)


def login(client, user):
    client.force_login(user)
    return client


def test_mask_functions_hide_birth_date_and_middle_digits():
    assert mask_id_number("110105199001011234") == "110105********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_for_audit("110105199001011234") == "110105********1234"
    assert mask_for_audit("13812345678") == "138****5678"
    assert mask_for_audit("pbkdf2_sha256$1000000$abc$defghijklmnop") == "******"


def test_changelist_shows_masked_values(client, cast, resident):
    login(client, cast.users["village"])
    html = client.get("/admin/households/resident/").content.decode()
    assert MASKED_PHONE in html
    assert PHONE not in html
    household_html = client.get("/admin/households/household/").content.decode()
    phone = cast.branches[0].households[0].phone
    assert mask_phone(phone) in household_html
    assert phone not in household_html


def test_search_result_by_full_id_shows_masked_id(client, cast, resident):
    login(client, cast.users["village"])
    response = client.get("/admin/households/household/", {"q": ID})
    html = response.content.decode()
    assert resident.household.head_name in html
    # The search box and links echo the term the user typed; the result rows never hold a number whole.
    assert ID not in result_rows(html) and resident.household.phone not in result_rows(html)
    resident_html = client.get("/admin/households/resident/", {"q": ID}).content.decode()
    assert "赵小花" in result_rows(resident_html)
    assert MASKED_PHONE in result_rows(resident_html)
    assert ID not in result_rows(resident_html) and PHONE not in result_rows(resident_html)


def test_change_form_renders_masked_inputs(client, cast, resident):
    login(client, cast.users["village"])
    html = client.get(f"/admin/households/resident/{resident.pk}/change/").content.decode()
    assert f'value="{MASKED_ID}"' in html
    assert f'value="{MASKED_PHONE}"' in html
    assert ID not in html and PHONE not in html
    household_html = client.get(f"/admin/households/household/{resident.household_id}/change/").content.decode()
    assert MASKED_ID in household_html  # the residents inline
    assert ID not in household_html


def test_submitting_masked_values_keeps_stored_values(client, cast, resident):
    login(client, cast.users["village"])
    response = client.post(
        f"/admin/households/resident/{resident.pk}/change/",
        {
            "household": resident.household_id,
            "name": "赵小花",
            "id_number": MASKED_ID,
            "relation": "child",
            "phone": MASKED_PHONE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resident.refresh_from_db()
    assert resident.id_number == ID
    assert resident.phone == PHONE
    assert resident.relation == "child"


def test_submitting_a_new_full_value_replaces_it(client, cast, resident):
    login(client, cast.users["village"])
    new_id = make_id_number(serial=778)
    data = {"household": resident.household_id, "name": "赵小花", "id_number": new_id, "relation": "head"}
    assert client.post(f"/admin/households/resident/{resident.pk}/change/", data).status_code == 302
    resident.refresh_from_db()
    assert resident.id_number == new_id


def test_a_partly_edited_masked_value_is_refused(client, cast, resident):
    login(client, cast.users["village"])
    data = {"household": resident.household_id, "name": "赵小花", "id_number": "9" + MASKED_ID[1:], "relation": "head"}
    response = client.post(f"/admin/households/resident/{resident.pk}/change/", data)
    assert response.status_code == 200
    assert "请填写完整的号码" in response.content.decode()
    resident.refresh_from_db()
    assert resident.id_number == ID


def test_readonly_view_shows_masked_values(client, cast, resident):
    # The 邻长 account may only view households and residents: every field is read-only.
    login(client, cast.users["leader"])
    html = client.get(f"/admin/households/resident/{resident.pk}/change/").content.decode()
    assert MASKED_ID in html
    assert ID not in html and PHONE not in html
    household_html = client.get(f"/admin/households/household/{resident.household_id}/change/").content.decode()
    assert MASKED_ID in household_html
    assert ID not in household_html


def test_autocomplete_json_has_no_id_or_phone(client, cast, resident):
    person = PersonFactory(village=cast.branches[0].village, id_number=make_id_number(serial=779), phone=PHONE)
    login(client, cast.users["village"])
    for model, term, target in [
        ("resident", "赵", ("households", "household", "household")),
        ("household", "", ("households", "resident", "household")),
        ("person", person.name, ("governance", "posting", "person")),
    ]:
        app_label, model_name, field = target
        response = client.get(
            "/admin/autocomplete/",
            {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field},
        )
        text = json.dumps(response.json(), ensure_ascii=False) if response.status_code == 200 else ""
        assert ID not in text and PHONE not in text and person.id_number not in text, model
    for obj in [resident, resident.household, person]:
        assert ID not in str(obj) and PHONE not in str(obj) and person.id_number not in str(obj)


def test_audit_diff_is_masked(cast, resident):
    entry = LogEntry.objects.get_for_object(resident).get(action=LogEntry.Action.CREATE)
    stored = json.dumps(entry.changes, ensure_ascii=False)
    assert MASKED_ID in stored and MASKED_PHONE in stored
    assert ID not in stored and PHONE not in stored


def test_reveal_shows_full_values_once_and_is_logged(client, cast, resident):
    login(client, cast.users["village"])
    change_html = client.get(f"/admin/households/resident/{resident.pk}/change/").content.decode()
    assert f"/admin/households/resident/{resident.pk}/reveal/" in change_html
    response = client.post(f"/admin/households/resident/{resident.pk}/reveal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ID in html and PHONE in html
    log = AccessLog.objects.get(action=AccessLog.Action.REVEAL)
    assert log.user == cast.users["village"]
    assert log.object_id == str(resident.pk) and log.model_label == "households.Resident"
    # The next page view is masked again.
    assert ID not in client.get(f"/admin/households/resident/{resident.pk}/change/").content.decode()


def test_household_reveal_includes_its_residents(client, cast, resident):
    login(client, cast.users["township"])
    html = client.post(f"/admin/households/household/{resident.household_id}/reveal/").content.decode()
    assert ID in html and resident.household.phone in html


def test_reveal_needs_post(client, cast, resident):
    login(client, cast.users["village"])
    assert client.get(f"/admin/households/resident/{resident.pk}/reveal/").status_code == 405
    assert not AccessLog.objects.exists()


def test_other_village_cannot_reveal(client, cast, resident):
    login(client, cast.users["village2"])
    assert client.post(f"/admin/households/resident/{resident.pk}/reveal/").status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("role", ["county", "leader"])
def test_county_and_leader_cannot_reveal(client, cast, resident, role):
    login(client, cast.users[role])
    html = client.get(f"/admin/households/resident/{resident.pk}/change/").content.decode()
    assert "/reveal/" not in html
    assert client.post(f"/admin/households/resident/{resident.pk}/reveal/").status_code == 403
    assert not AccessLog.objects.exists()


def test_person_changelist_and_form_are_masked(client, cast):
    person = PersonFactory(village=cast.branches[0].village, id_number=ID, phone=PHONE)
    login(client, cast.users["village"])
    for url in ["/admin/governance/person/", f"/admin/governance/person/{person.pk}/change/"]:
        html = client.get(url).content.decode()
        assert ID not in html and PHONE not in html


def test_list_editable_phone_is_masked_and_kept(client, cast, monkeypatch):
    from django.contrib import admin

    from governance.models import Person

    person = PersonFactory(village=cast.branches[0].village, phone=PHONE)
    person_admin = admin.site._registry[Person]
    monkeypatch.setattr(person_admin, "list_editable", ["phone"])
    monkeypatch.setattr(person_admin, "list_display_links", ["name"])
    client.force_login(cast.users["village"])
    html = client.get("/admin/governance/person/").content.decode()
    assert f'value="{MASKED_PHONE}"' in html and PHONE not in html
    response = client.post(
        "/admin/governance/person/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": person.pk,
            "form-0-phone": MASKED_PHONE,
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == PHONE

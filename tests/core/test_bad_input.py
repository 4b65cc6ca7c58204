"""Bad input: forged ids in URLs, forms and bulk actions, over-long fields, markup. Each is refused or neutralised."""

import pytest
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from governance.models import Person, Posting
from households.models import Household
from tests.core import scope_matrix as sm
from tests.factories import PersonFactory

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def household_data(branch, **overrides):
    data = {
        "village": branch.village.pk,
        "neighborhood": branch.neighborhood.pk,
        "head_name": "新户",
        "address": "",
        "phone": "",
        "note": "",
        "residents-TOTAL_FORMS": "0",
        "residents-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def errors_of(response):
    form = response.context["adminform"].form
    return {name: " ".join(errors) for name, errors in form.errors.items()}


@pytest.mark.parametrize(
    ("field", "value_of"),
    [("village", lambda c: c.branches[2].village.pk), ("neighborhood", lambda c: c.branches[1].neighborhood.pk)],
)
def test_forged_unit_ids_in_the_household_form_are_refused(client, cast, field, value_of):
    client.force_login(cast.users["village"])
    before = Household.objects.count()
    response = client.post(sm.admin_url(Household, "add"), household_data(cast.branches[0], **{field: value_of(cast)}))
    assert response.status_code == 200
    assert "选择一个有效的选项" in errors_of(response)[field]
    assert Household.objects.count() == before


def test_forged_unit_in_an_inline_is_refused(client, cast):
    person = PersonFactory(village=cast.branches[0].village)
    client.force_login(cast.users["village"])
    change = sm.admin_url(Person, "change", person.pk)
    data = {
        "village": person.village_id, "name": person.name, "gender": "", "phone": "", "id_number": "",
        "education": "", "note": "",
        "postings-TOTAL_FORMS": "1", "postings-INITIAL_FORMS": "0",
        "postings-0-role": Posting.Role.NEIGHBORHOOD_LEADER, "postings-0-unit": cast.branches[2].neighborhood.pk,
        "postings-0-start_date": "2026-01-01", "postings-0-selection_method": "", "postings-0-end_reason": "",
    }  # fmt: skip
    response = client.post(change, data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Posting.objects.exists()


@pytest.mark.parametrize("object_id", ["abc", "1 OR 1=1", "-1", "99999999999999999999", "%00", "1.5"])
def test_malformed_ids_in_urls_answer_404(client, cast, object_id):
    client.force_login(cast.users["township"])
    for view in ("change", "delete", "history"):
        url = reverse(f"admin:households_household_{view}", args=[object_id])
        assert client.get(url).status_code == 404, (view, object_id)


def test_other_villages_ids_in_urls_answer_404(client, cast):
    foreign = cast.branches[1].households[0]
    client.force_login(cast.users["village"])
    assert client.get(sm.admin_url(Household, "change", foreign.pk)).status_code == 404
    response = client.post(sm.admin_url(Household, "change", foreign.pk), household_data(cast.branches[0]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.village == cast.branches[1].village


@pytest.mark.parametrize(
    "selection",
    [
        lambda c: [c.branches[0].households[0].pk, c.branches[1].households[0].pk],  # own + foreign
        lambda c: [c.branches[0].households[0].pk, "abc"],
        lambda c: [c.branches[0].households[0].pk, "1 OR 1=1"],
        lambda c: ["99999999999999999999"],
    ],
)
def test_mixed_or_malformed_bulk_selection_is_refused_whole(client, cast, selection):
    client.force_login(cast.users["village"])
    before = Household.objects.count()
    response = client.post(
        sm.admin_url(Household, "changelist"),
        # The admin's form always sends select_across, "0" when not selecting across pages.
        {
            "action": "delete_selected",
            admin.helpers.ACTION_CHECKBOX_NAME: selection(cast),
            "select_across": "0",
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "所选记录中有不属于您管辖范围的记录，操作已取消。" in response.content.decode()
    assert Household.objects.count() == before


def test_select_across_only_reaches_rows_in_scope(client, cast):
    client.force_login(cast.users["village"])
    own = cast.branches[0].households[0]
    client.post(
        sm.admin_url(Household, "changelist"),
        {
            "action": "delete_selected",
            admin.helpers.ACTION_CHECKBOX_NAME: [own.pk],
            "select_across": "1",
            "post": "yes",
        },
    )
    assert not Household.objects.filter(village=cast.branches[0].village).exists()
    assert Household.objects.filter(village=cast.branches[1].village).count() == 2


def test_save_rechecks_scope_inside_the_transaction(cast):
    """A row that ends up outside the user's scope (a forged id or a race) is rolled back with a 404."""
    model_admin = admin.site._registry[Household]
    request = RequestFactory().post("/")
    request.user = cast.users["village"]
    household = Household(village=cast.branches[1].village, head_name="越界户")
    with pytest.raises(Http404), transaction.atomic():
        model_admin.save_model(request, household, form=None, change=False)
    assert not Household.objects.filter(head_name="越界户").exists()


def test_over_long_head_name_is_a_chinese_form_error(client, cast):
    client.force_login(cast.users["village"])
    before = Household.objects.count()
    response = client.post(sm.admin_url(Household, "add"), household_data(cast.branches[0], head_name="长" * 10_000))
    assert response.status_code == 200
    assert "确保该变量包含不超过 32 字符" in errors_of(response)["head_name"]
    assert Household.objects.count() == before


def test_markup_is_stored_but_escaped_everywhere(client, cast):
    household = cast.branches[0].households[0]
    household.head_name = XSS[:32]
    household.note = XSS
    household.save()
    client.force_login(cast.users["village"])
    pages = [
        client.get(sm.admin_url(Household, "changelist")),
        client.get(sm.admin_url(Household, "changelist"), {"q": "<script>"}),
        client.get(sm.admin_url(Household, "change", household.pk)),
        client.get(sm.admin_url(Household, "history", household.pk)),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    household.refresh_from_db()
    assert household.note == XSS  # stored as typed
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "households", "model_name": "resident", "field_name": "household", "term": "<script>"},
    )
    assert autocomplete["Content-Type"] == "application/json"
    assert [r["id"] for r in autocomplete.json()["results"]] == [str(household.pk)]


def test_autocomplete_needs_view_permission_on_the_target(client, cast):
    client.force_login(cast.users["leader"])  # may view households, not the roster
    url = reverse("admin:autocomplete")
    assert (
        client.get(url, {"app_label": "governance", "model_name": "posting", "field_name": "person"}).status_code == 403
    )
    ok = client.get(url, {"app_label": "households", "model_name": "resident", "field_name": "household"})
    assert ok.status_code == 200
    assert {r["id"] for r in ok.json()["results"]} == {str(h.pk) for h in cast.branches[0].households}


def test_autocomplete_with_bad_parameters_is_refused(client, cast):
    client.force_login(cast.users["village"])
    url = reverse("admin:autocomplete")
    for params in (
        {"app_label": "households", "model_name": "household", "field_name": "nope"},
        {"app_label": "nope", "model_name": "household", "field_name": "village"},
        {"app_label": "households", "model_name": "household", "field_name": "head_name"},
    ):
        assert client.get(url, params).status_code == 403


def test_every_related_list_filter_is_scoped(client, cast, monkeypatch):
    """FK/M2M list filters (plain names or RelatedOnlyFieldListFilter) offer only units in scope."""
    model_admin = admin.site._registry[Household]
    monkeypatch.setattr(
        model_admin, "list_filter", ["village", ("neighborhood", RelatedOnlyFieldListFilter), "care_categories"]
    )
    client.force_login(cast.users["township"])
    response = client.get(sm.admin_url(Household, "changelist"))
    specs = {spec.field_path: spec for spec in response.context["cl"].filter_specs}
    villages = {name for _, name in specs["village"].lookup_choices}
    assert villages == {"虎溪村", "大坪村"}
    assert {name for _, name in specs["neighborhood"].lookup_choices} == {"虎溪村一邻", "大坪村一邻"}
    assert len(specs["care_categories"].lookup_choices) == 8  # reference data: all of it
    html = response.content.decode()
    assert "新圩村" not in html and "毛俊村" not in html
    foreign = client.get(sm.admin_url(Household, "changelist"), {"village__id__exact": cast.branches[2].village.pk})
    assert foreign.status_code == 200 and not sm.changelist_pks(foreign)


@pytest.mark.parametrize(
    "params",
    [
        {"village": "abc"},
        {"village": "99999999999999999999"},
        {"village__id__exact": "99999999999999999999"},
        {"q": "x" * 5000},
        {"o": "99"},
        {"p": "abc"},
        {"care_categories__code__exact": "<x>"},
    ],
)
def test_mangled_changelist_parameters_never_fail_or_leak(client, cast, params):
    client.force_login(cast.users["village"])
    response = client.get(sm.admin_url(Household, "changelist"), params)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        own = {h.pk for h in cast.branches[0].households}
        assert sm.changelist_pks(response) <= own


def test_out_of_scope_parent_is_read_only_so_a_cadre_can_edit_their_village(client, cast):
    village = cast.branches[0].village
    client.force_login(cast.users["village"])
    url = reverse("admin:governance_village_change", args=[village.pk])
    form = client.get(url).context["adminform"].form
    assert "parent" not in form.fields  # the township is outside the cadre's scope: shown, not chosen
    response = client.post(
        url, {"name": village.name, "kind": "village", "division_code": "", "contact_phone": "0746-1234567",
              "postings-TOTAL_FORMS": "0", "postings-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    village.refresh_from_db()
    assert village.contact_phone == "0746-1234567" and village.parent == cast.townships[0]


def test_parent_unit_ids_in_urls_answer_404(client, cast):
    """A cadre's own township and county lie above their unit: not reachable through any URL."""
    client.force_login(cast.users["village"])
    for model_name, unit in (("township", cast.townships[0]), ("county", cast.county), ("unit", cast.townships[0])):
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:governance_{model_name}_{view}", args=[unit.pk])
            assert client.get(url).status_code in {403, 404}, url
    listed = client.get(reverse("admin:governance_township_changelist"))
    assert listed.status_code == 200 and not sm.changelist_pks(listed)


@pytest.mark.parametrize(("role", "unit_of"), [("county", lambda c: c.county), ("township", lambda c: c.townships[1])])
def test_role_escalation_through_the_user_change_form_is_refused(client, cast, role, unit_of):
    target = cast.users["village"]
    client.force_login(cast.users["township"])
    url = reverse("admin:accounts_user_change", args=[target.pk])
    data = {"username": target.username, "name": "", "phone": "", "email": "",
            "role": role, "unit": unit_of(cast).pk, "is_active": "on", "is_superuser": "on"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in " ".join(errors_of(response).values())
    target.refresh_from_db()
    assert (target.role, target.unit, target.is_superuser) == ("village", cast.branches[0].village, False)

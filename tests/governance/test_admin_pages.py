"""Every registered admin page renders for a superuser; search and filter variants render too.

The list of pages comes from ``admin.site._registry``, so a model registered later is covered
without touching this file.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from governance.models import Posting
from households.models import Household, Visit
from tests.factories import PersonFactory, PostingFactory, ResidentFactory

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def populated(cast):
    """The cast plus a person with a posting and a resident, so every model has a row."""
    branch = cast.branches[0]
    person = PersonFactory(village=branch.village)
    PostingFactory(person=person, unit=branch.neighborhood, start_date=datetime.date(2025, 1, 1))
    ResidentFactory(household=branch.households[0])
    Visit.objects.create(household=branch.households[0], visitor=person, visited_on=datetime.date(2025, 3, 1))
    return cast


@pytest.fixture
def root_client(client, populated):
    client.force_login(populated.users["superuser"])
    return client


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_changelist_add_and_change_pages_render(root_client, rf, populated, model, model_admin):
    response = root_client.get(url(model, "changelist"))
    assert response.status_code == 200, model._meta.label

    request = rf.get("/")
    request.user = populated.users["superuser"]
    response = root_client.get(url(model, "add"))
    assert response.status_code == (200 if model_admin.has_add_permission(request) else 403)

    obj = model_admin.get_queryset(request).first()
    if obj is None:
        # Only log tables (login attempts, audit entries, the access log) may be empty in the cast.
        is_log = model._meta.label == "accounts.AccessLog"
        assert is_log or model._meta.app_label not in {"governance", "households", "accounts"}, model._meta.label
        return
    response = root_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200, model._meta.label


def test_the_cast_covers_our_models(populated):
    assert Posting.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "q=张",
        "q=138",
        "link=unlinked",
        "link=no_neighborhood",
        "link=no_leader",
        "link=linked",
        "special=yes",
        "special=no",
        "township={t1}",
        "township={t1}&village={v1}",
        "village={v1}&area={a1}&villager_group={g1}&neighborhood={n1}",
        "neighborhood={n1}",
        "care_categories__code__exact=minimum_living",
        "township=999999",
        "township=abc",
        "o=7",
    ],
)
def test_household_search_and_filter_variants_render(root_client, populated, query):
    branch = populated.branches[0]
    query = query.format(
        t1=populated.townships[0].pk,
        v1=branch.village.pk,
        a1=branch.area.pk,
        g1=branch.group.pk,
        n1=branch.neighborhood.pk,
    )
    response = root_client.get(reverse("admin:households_household_changelist") + "?" + query)
    assert response.status_code == 200
    assert "?e=1" not in response.get("Location", "")


@pytest.mark.parametrize(
    ("changelist", "query"),
    [
        ("governance_township", "county={county}"),
        ("governance_village", "township={t1}"),
        ("governance_area", "village={v1}"),
        ("governance_villagergroup", "area={a1}"),
        ("governance_neighborhood", "villager_group={g1}"),
        ("governance_neighborhood", "size=small&leader=none"),
        ("governance_neighborhood", "q=虎溪村"),
        ("governance_person", "township={t1}&village={v1}&is_party_member__exact=1"),
        ("governance_posting", "end_date__isnull=True&role__exact=neighborhood_leader"),
        ("governance_posting", "township={t1}&village={v1}"),
        ("households_resident", "village={v1}&q=李"),
    ],
)
def test_governance_filter_variants_render(root_client, populated, changelist, query):
    branch = populated.branches[0]
    query = query.format(
        county=populated.county.pk,
        t1=populated.townships[0].pk,
        v1=branch.village.pk,
        a1=branch.area.pk,
        g1=branch.group.pk,
    )
    response = root_client.get(reverse(f"admin:{changelist}_changelist") + "?" + query)
    assert response.status_code == 200


OUR_ADMINS = [(m, a) for m, a in REGISTRY if m._meta.app_label in {"governance", "households"}]


@pytest.mark.parametrize("role", ["county", "township", "village", "leader"])
def test_role_users_get_their_pages_or_403(client, rf, populated, role):
    user = populated.users[role]
    client.force_login(user)
    request = rf.get("/")
    request.user = user
    for model, model_admin in OUR_ADMINS:
        expected = 200 if model_admin.has_view_or_change_permission(request) else 403
        assert client.get(url(model, "changelist")).status_code == expected, (role, model._meta.label)
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert client.get(url(model, "add")).status_code == expected, (role, model._meta.label)


def test_village_cadre_adds_a_household_to_their_own_village(client, populated):
    client.force_login(populated.users["village"])
    form = client.get(url(Household, "add")).context["adminform"].form
    assert form.initial["village"] == populated.branches[0].village.pk

"""Deleting what still holds households, postings or child units is refused, with a Chinese
message that names what holds it; nothing is deleted (single delete page and bulk action)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from governance.models import Neighborhood, Person, Unit, Village
from tests.factories import NeighborhoodFactory, PersonFactory, PostingFactory


@pytest.fixture
def township_client(client, cast):
    client.force_login(cast.users["township"])
    return client


def delete_url(obj, model_name):
    return reverse(f"admin:governance_{model_name}_delete", args=[obj.pk])


def test_neighborhood_with_households_is_not_deleted(township_client, cast):
    neighborhood = cast.branches[0].neighborhood
    url = delete_url(neighborhood, "neighborhood")
    page = township_client.get(url).content.decode()
    # Named with its village: thousands of 邻 share a few names.
    assert f"无法删除“虎溪村 · {neighborhood.name}”：仍有户 2 条、用户 1 条关联在它名下" in page
    assert "受保护的相关对象" in page  # Django's own list of what holds it, in Chinese
    response = township_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "无法删除" in response.content.decode()
    assert Neighborhood.objects.filter(pk=neighborhood.pk).exists()


def test_village_with_children_and_households_names_both(township_client, cast):
    village = cast.branches[0].village
    response = township_client.post(delete_url(village, "village"), {"post": "yes"})
    page = response.content.decode()
    assert "户 2 条" in page and "行政单元 1 条" in page
    assert Village.objects.filter(pk=village.pk).exists()


def test_unit_with_a_posting_is_not_deleted(township_client, cast):
    branch = cast.branches[0]
    empty = NeighborhoodFactory(parent=branch.group, name="空邻")
    PostingFactory(person=PersonFactory(village=branch.village), unit=empty)
    response = township_client.post(delete_url(empty, "neighborhood"), {"post": "yes"})
    assert "任职 1 条" in response.content.decode()
    assert Unit.objects.filter(pk=empty.pk).exists()


def test_person_with_postings_is_not_deleted(township_client, cast):
    person = PersonFactory(village=cast.branches[0].village, name="周在册")
    PostingFactory(person=person, unit=cast.branches[0].neighborhood)
    response = township_client.post(delete_url(person, "person"), {"post": "yes"})
    assert "无法删除“周在册（虎溪村）”：仍有任职 1 条" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_bulk_delete_with_one_held_unit_deletes_nothing(township_client, cast):
    branch = cast.branches[0]
    empty = NeighborhoodFactory(parent=branch.group, name="空邻")
    data = {
        "action": "delete_selected",
        ACTION_CHECKBOX_NAME: [empty.pk, branch.neighborhood.pk],
        "post": "yes",
    }
    response = township_client.post(reverse("admin:governance_neighborhood_changelist"), data)
    assert response.status_code == 200
    assert "无法删除" in response.content.decode()
    assert Neighborhood.objects.filter(pk__in=[empty.pk, branch.neighborhood.pk]).count() == 2


def test_a_unit_nothing_holds_is_deleted(township_client, cast):
    empty = NeighborhoodFactory(parent=cast.branches[0].group, name="空邻")
    response = township_client.post(delete_url(empty, "neighborhood"), {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=empty.pk).exists()


def test_postings_cannot_be_deleted_by_officers_only_ended(client, cast):
    posting = PostingFactory(person=PersonFactory(village=cast.branches[0].village), unit=cast.branches[0].neighborhood)
    client.force_login(cast.users["township"])
    response = client.post(reverse("admin:governance_posting_delete", args=[posting.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert type(posting).objects.filter(pk=posting.pk).exists()

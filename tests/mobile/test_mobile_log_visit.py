"""Logging a visit on the phone: three visible fields, Chinese errors, problem → linked grievance, 404s."""

import datetime
import re
import uuid
from unittest import mock

import pytest
from django.utils import timezone

from grievances.models import Grievance, GrievanceCategory
from households.models import Visit
from tests.mobile.mobile_helpers import leader_person


def url(household):
    return f"/m/household/{household.pk}/visit/"


@pytest.fixture
def leader(client, cast):
    person = leader_person(cast.branches[0])
    client.force_login(cast.users["leader"])
    return person


def visible_field_names(html):
    """Named inputs outside the revealed problem section and the folded "更多" section."""
    form = html[html.index('<form method="post" class="form visit-form"') :]
    form = re.sub(r'<div class="problem-fields">.*?</div>', "", form, flags=re.S)
    form = re.sub(r'<details class="more".*?</details>', "", form, flags=re.S)
    hidden = set(re.findall(r'<input type="hidden" name="([^"]+)"', form))
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form))
    return names - hidden


def test_the_form_shows_at_most_three_fields_and_a_csrf_token(client, cast, leader):
    response = client.get(url(cast.branches[0].households[0]))
    assert response.status_code == 200
    html = response.content.decode()
    assert visible_field_names(html) == {"method", "topic", "problem_found"}
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="door"' in html and "checked" in html.split('value="door"')[1][:40]  # default 入户走访
    assert "走访人：赵邻长" in html
    assert '<meta name="viewport"' in html


def test_a_plain_visit_is_saved_for_today_by_the_leaders_person(client, cast, leader):
    household = cast.branches[0].households[0]
    response = client.post(url(household), {"method": "phone", "topic": "询问春耕准备"})
    assert response.status_code == 302
    assert response["Location"] == "/m/due/"
    visit = Visit.objects.get()
    assert (visit.household, visit.visitor, visit.method) == (household, leader, "phone")
    assert visit.visited_on == timezone.localdate()
    assert visit.recorded_by == cast.users["leader"]
    assert visit.problem_found is False
    assert not Grievance.objects.exists()


def test_a_found_problem_becomes_a_grievance_linked_to_the_visit(client, cast, leader):
    household = cast.branches[0].households[0]
    category = GrievanceCategory.objects.get(name="基础设施")
    response = client.post(
        url(household),
        {"method": "door", "topic": "", "problem_found": "on", "category": category.pk, "description": "门前路灯坏了"},
        follow=True,
    )
    assert "并登记了群众诉求" in response.content.decode()
    grievance = Grievance.objects.get()
    assert grievance.visit == Visit.objects.get(problem_found=True)
    assert (grievance.household, grievance.category, grievance.description) == (household, category, "门前路灯坏了")
    assert grievance.status == Grievance.Status.REGISTERED
    assert grievance.visit.topic == "门前路灯坏了"


def test_date_and_hazard_from_the_folded_section_are_kept(client, cast, leader):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.post(
        url(cast.branches[0].households[0]),
        {"method": "door", "topic": "查看线路", "visited_on": yesterday.isoformat(), "hazard": "electricity"},
    )
    visit = Visit.objects.get()
    assert (visit.visited_on, visit.hazard) == (yesterday, "electricity")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "door", "topic": ""}, "请填写交谈内容。"),
        ({"method": "fax", "topic": "聊天"}, "请选择有效的联系方式。"),
        ({"method": "door", "topic": "x", "problem_found": "on", "description": "路灯坏了"}, "请选择问题类别。"),
        (
            {"method": "door", "topic": "x", "problem_found": "on", "category": "999999", "description": "y"},
            "请选择有效的问题类别。",
        ),
        ({"method": "door", "topic": "x", "problem_found": "on", "category": "1"}, "请填写发现的问题。"),
        ({"method": "door", "topic": "x", "visited_on": "2099-01-01"}, "走访日期不能晚于今天。"),
        ({"method": "door", "topic": "x", "visited_on": "昨天"}, "请填写正确的日期"),
        ({"method": "door", "topic": "x", "hazard": "flood"}, "请选择有效的隐患类型。"),
    ],
)
def test_bad_input_gives_chinese_errors_and_saves_nothing(client, cast, leader, data, message):
    response = client.post(url(cast.branches[0].households[0]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Visit.objects.exists()
    assert not Grievance.objects.exists()


def test_the_problem_section_stays_open_after_an_error(client, cast, leader):
    response = client.post(url(cast.branches[0].households[0]), {"method": "door", "problem_found": "on"})
    html = response.content.decode()
    assert re.search(r'name="problem_found"[^>]*checked', html)


def test_a_forged_household_of_another_village_is_404(client, cast, leader):
    other = cast.branches[2].households[0]
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), {"method": "door", "topic": "越权"}).status_code == 404
    assert client.post("/m/household/999999/visit/", {"method": "door", "topic": "x"}).status_code == 404
    assert not Visit.objects.exists()


def test_a_leader_cannot_reach_another_neighborhood_of_the_same_village(client, cast, leader):
    from tests.factories import HouseholdFactory, NeighborhoodFactory

    branch = cast.branches[0]
    hood = NeighborhoodFactory(parent=branch.group)
    neighbour = HouseholdFactory(neighborhood=hood, village=branch.village)
    assert client.get(url(neighbour)).status_code == 404


def test_an_account_without_a_roster_person_is_told_and_nothing_is_saved(client, cast):
    client.force_login(cast.users["village"])  # no posting at the village itself
    household = cast.branches[0].households[0]
    assert "暂时无法记录走访" in client.get(url(household)).content.decode()
    response = client.post(url(household), {"method": "door", "topic": "聊天"})
    assert "未关联在任" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_county_account_may_not_log_visits(client, cast):
    client.force_login(cast.users["county"])
    assert client.get(url(cast.branches[0].households[0])).status_code == 403


def test_the_back_link_must_stay_on_this_site(client, cast, leader):
    household = cast.branches[0].households[0]
    response = client.post(url(household) + "?back=https://evil.example/", {"method": "door", "topic": "x"})
    assert response["Location"] == "/m/due/"
    response = client.post(url(household) + "?back=/m/due/%3Fshow%3Dall", {"method": "door", "topic": "x"})
    assert response["Location"] == "/m/due/?show=all"


def test_a_double_tap_saves_the_visit_once_and_says_the_first_was_saved(client, cast, leader):
    """Issue 14 #11: the same form posted twice (a slow phone, a double tap) is one visit."""
    household = cast.branches[0].households[0]
    client.force_login(cast.users["leader"])
    page = client.get(url(household)).content.decode()
    token = page.split('name="once_token" value="')[1].split('"')[0]
    data = {"method": "door", "topic": "聊了春耕", "once_token": token}
    assert client.post(url(household), data).status_code == 302
    second = client.post(url(household), data, follow=True)
    assert Visit.objects.count() == 1
    assert "刚才已经保存过了" in second.content.decode()


def test_a_double_tap_on_a_found_problem_makes_one_grievance(client, cast, leader):
    household = cast.branches[0].households[0]
    client.force_login(cast.users["leader"])
    page = client.get(url(household)).content.decode()
    token = page.split('name="once_token" value="')[1].split('"')[0]
    category = GrievanceCategory.objects.order_by("pk").first()
    data = {"method": "door", "problem_found": "on", "category": category.pk, "description": "路灯坏了"}
    data["once_token"] = token
    client.post(url(household), data)
    client.post(url(household), data)
    assert (Visit.objects.count(), Grievance.objects.count()) == (1, 1)


def test_the_database_refuses_a_repeated_token_even_if_the_check_is_raced(cast, leader):
    """Two taps that both pass the existence check: the unique column refuses the second insert."""
    from django.core.exceptions import ValidationError
    from django.db.models import QuerySet

    from core.submission import is_duplicate, save_once

    household = cast.branches[0].households[0]
    token = uuid.uuid4()
    kwargs = {"household": household, "visitor": leader, "visited_on": timezone.localdate(), "topic": "x"}
    Visit.objects.create(**kwargs, submission_token=token)
    again = Visit(**kwargs, submission_token=token)
    real_exists = QuerySet.exists
    calls = []

    def first_check_misses(queryset):  # the other tap had not committed when this one looked
        calls.append(queryset)
        return False if len(calls) == 1 else real_exists(queryset)

    with mock.patch.object(QuerySet, "exists", first_check_misses), pytest.raises(ValidationError) as refused:
        save_once(again)
    refused = refused.value
    assert is_duplicate(refused)
    assert Visit.objects.count() == 1

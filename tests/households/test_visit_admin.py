"""VisitAdmin: scoped list, filters, date hierarchy, scoped autocompletes, fixed query count."""

import datetime

from django.utils import timezone

from households.models import Visit
from tests.factories import PostingFactory
from tests.mobile.mobile_helpers import household, leader_person, visit

URL = "/admin/households/visit/"
TODAY = datetime.date(2026, 3, 15)


def listed(response):
    return sorted(v.pk for v in response.context["cl"].result_list)


def test_the_list_is_scoped_to_the_users_village(client, cast):
    ours = visit(cast.branches[0].households[0], leader_person(cast.branches[0]), 1, TODAY)
    theirs = visit(cast.branches[2].households[0], leader_person(cast.branches[2]), 1, TODAY)
    client.force_login(cast.users["village"])
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == [ours.pk]
    assert client.get(f"{URL}{theirs.pk}/change/").status_code == 404
    client.force_login(cast.users["county"])
    assert listed(client.get(URL)) == sorted([ours.pk, theirs.pk])


def test_filters_and_date_hierarchy(client, cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    plain = visit(branch.households[0], person, 1, TODAY)
    phoned = Visit.objects.create(
        household=branch.households[1], visitor=person, visited_on=TODAY, method="phone", hazard="gas"
    )
    problem = Visit.objects.create(
        household=branch.households[1], visitor=person, visited_on=datetime.date(2025, 12, 1), problem_found=True
    )
    client.force_login(cast.users["village"])
    assert listed(client.get(URL, {"method__exact": "phone"})) == [phoned.pk]
    assert listed(client.get(URL, {"hazard__exact": "gas"})) == [phoned.pk]
    assert listed(client.get(URL, {"problem_found__exact": "1"})) == [problem.pk]
    assert listed(client.get(URL, {"visited_on__year": "2026"})) == sorted([plain.pk, phoned.pk])
    html = client.get(URL).content.decode()
    assert "联系方式" in html and "发现安全隐患" in html and "发现问题" in html
    assert "/reports/compliance/" in html  # link to the compliance page


def test_the_list_runs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    branch = cast.branches[0]
    person = leader_person(branch)
    client.force_login(cast.users["village"])
    for days in range(3):
        visit(branch.households[0], person, days, TODAY)
    with django_assert_max_num_queries(12):
        client.get(URL)
    for i in range(27):
        visit(household(branch, f"户{i}"), person, i, TODAY)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["cl"].result_list) == 30


def autocomplete(client, field, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "households", "model_name": "visit", "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return sorted(r["text"] for r in response.json()["results"])


def test_household_and_visitor_autocompletes_are_scoped(client, cast):
    ours, theirs = cast.branches[0], cast.branches[2]
    leader_person(ours)
    PostingFactory(unit=theirs.neighborhood, person__village=theirs.village, person__name="外村邻长")
    client.force_login(cast.users["village"])
    assert autocomplete(client, "household") == sorted(f"{h.head_name}户" for h in ours.households)
    assert autocomplete(client, "visitor") == ["赵邻长（虎溪村）"]  # people are named with their village


def test_adding_in_the_admin_records_who_entered_it(client, cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    client.force_login(cast.users["village"])
    response = client.post(
        f"{URL}add/",
        {
            "household": branch.households[0].pk,
            "visitor": person.pk,
            "visited_on": "2026-03-10",
            "method": "wechat",
            "topic": "微信询问",
            "hazard": "",
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get().recorded_by == cast.users["village"]


def test_a_household_of_another_village_is_refused_in_the_form(client, cast):
    branch, other = cast.branches[0], cast.branches[2]
    person = leader_person(branch)
    client.force_login(cast.users["village"])
    response = client.post(
        f"{URL}add/",
        {"household": other.households[0].pk, "visitor": person.pk, "visited_on": "2026-03-10", "method": "door"},
    )
    assert response.status_code == 200
    assert "household" in response.context["adminform"].form.errors
    assert not Visit.objects.exists()


def test_the_admin_refuses_a_visit_dated_after_today(client, cast):
    """The phone page refused it; the admin form did not (the rule now lives on Visit.clean)."""
    branch = cast.branches[0]
    person = leader_person(branch)
    client.force_login(cast.users["superuser"])
    data = {
        "household": branch.households[0].pk,
        "visitor": person.pk,
        "visited_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "method": "door",
        "topic": "预约走访",
        "hazard": "",
    }
    response = client.post(f"{URL}add/", data)
    assert response.status_code == 200
    assert "走访日期不能晚于今天。" in response.content.decode()
    assert not Visit.objects.exists()
    data["visited_on"] = timezone.localdate().isoformat()
    assert client.post(f"{URL}add/", data).status_code == 302
    assert Visit.objects.count() == 1

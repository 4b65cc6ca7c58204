"""Bad input through the real admin pages: a clear Chinese message, and nothing saved."""

import datetime

import pytest
from django.urls import reverse

from governance.models import Area, Person, Posting
from households.models import Household, Resident
from tests.factories import PersonFactory, PostingFactory, ResidentFactory, make_id_number

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９x")


def inline(prefix, rows, initial=0):
    """POST data of an inline formset: the management form plus one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def township_client(client, cast):
    client.force_login(cast.users["township"])
    return client


def household_data(branch, residents=(), **overrides):
    data = {
        "village": branch.village.pk,
        "neighborhood": branch.neighborhood.pk,
        "head_name": "赵大",
        "address": "虎溪村1号",
        "phone": "13907460001",
        "note": "",
        **overrides,
    }
    data.update(inline("residents", list(residents)))
    return data


def resident(name, id_number, relation="head"):
    return {"name": name, "relation": relation, "id_number": id_number, "phone": ""}


def post_household(client, data):
    return client.post(reverse("admin:households_household_add"), data)


def assert_refused(response, text):
    assert response.status_code == 200, "the form must be shown again, not redirected or a 500"
    assert text in response.content.decode()


@pytest.mark.parametrize(
    ("phone", "message"),
    [("1234", "电话号码格式不正确"), ("2390746000", "电话号码格式不正确")],
)
def test_bad_phone_is_refused(township_client, cast, phone, message):
    before = Household.objects.count()
    assert_refused(post_household(township_client, household_data(cast.branches[0], phone=phone)), message)
    assert Household.objects.count() == before


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("43112719800517001", "身份证号应为18位"),
        ("431127198005170011", "校验位不正确"),
        ("431127198002300010", "出生日期不是有效日期"),
        ("431127800517001", "第一代身份证号"),
    ],
)
def test_bad_member_id_is_refused_and_nothing_is_saved(township_client, cast, id_number, message):
    before = Household.objects.count(), Resident.objects.count()
    response = post_household(township_client, household_data(cast.branches[0], [resident("赵大", id_number)]))
    assert_refused(response, message)
    assert (Household.objects.count(), Resident.objects.count()) == before


def test_good_household_with_members_is_saved_and_id_derives_birth_and_gender(township_client, cast):
    number = make_id_number(birth=datetime.date(1990, 2, 3), male=False)
    response = post_household(
        township_client, household_data(cast.branches[0], [resident("赵大", number.translate(FULL_WIDTH))])
    )
    assert response.status_code == 302
    # The 邻 now has 3 households: flagged as outside 5-15, but saved.
    assert "邻的规模一般为5-15户" in township_client.get(response["Location"]).content.decode()
    member = Resident.objects.get(name="赵大")
    assert member.id_number == number
    assert (member.birth_date, member.gender) == (datetime.date(1990, 2, 3), "female")


def test_duplicate_id_in_one_submit_is_refused(township_client, cast):
    number = make_id_number()
    rows = [resident("赵大", number), resident("赵二", " " + number.translate(FULL_WIDTH), "child")]
    before = Household.objects.count()
    response = post_household(township_client, household_data(cast.branches[0], rows))
    assert_refused(response, "同一身份证号只能登记一次")
    assert Household.objects.count() == before
    assert not Resident.objects.filter(id_number=number).exists()


def test_id_already_registered_elsewhere_is_refused(township_client, cast):
    number = make_id_number(male=False)
    ResidentFactory(household=cast.branches[1].households[0], id_number=number)
    rows = [resident("赵大", number.lower().translate(FULL_WIDTH))]
    before = Household.objects.count()
    assert_refused(
        post_household(township_client, household_data(cast.branches[0], rows)),
        "该身份证号不能使用，如有疑问请联系乡镇干部核实",
    )
    assert Household.objects.count() == before


def test_neighborhood_of_another_village_is_refused(township_client, cast):
    other = cast.branches[1].neighborhood  # same township, other village
    before = Household.objects.count()
    response = post_household(township_client, household_data(cast.branches[0], neighborhood=other.pk))
    assert_refused(response, "所选的邻不属于该村/社区")
    assert Household.objects.count() == before


def test_forged_neighborhood_outside_scope_is_refused(township_client, cast):
    foreign = cast.branches[2].neighborhood  # the other township
    household = cast.branches[0].households[0]
    data = household_data(cast.branches[0], neighborhood=foreign.pk, head_name=household.head_name)
    response = township_client.post(reverse("admin:households_household_change", args=[household.pk]), data)
    assert_refused(response, "选择一个有效的选项")
    household.refresh_from_db()
    assert household.neighborhood == cast.branches[0].neighborhood


def posting_data(person, unit, role="neighborhood_leader", **overrides):
    return {
        "person": person.pk,
        "role": role,
        "unit": unit.pk,
        "start_date": "2025-01-01",
        "selection_method": "recommended",
        "end_date": "",
        "end_reason": "",
        "note": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit": "village"}, "邻长应任职于邻一级"),
        ({"end_date": "2024-12-31", "end_reason": "other"}, "离任日期不能早于任职日期"),
        ({"end_reason": "dismissed"}, "离任时必须同时填写离任日期和离任原因"),
        ({"end_date": "2025-06-30"}, "离任时必须同时填写离任日期和离任原因"),
        ({"start_date": "2025-13-01"}, "输入一个有效的日期"),
    ],
)
def test_bad_posting_is_refused(township_client, cast, overrides, message):
    branch = cast.branches[0]
    person = PersonFactory(village=branch.village)
    overrides = dict(overrides)
    unit = branch.village if overrides.pop("unit", None) == "village" else branch.neighborhood
    response = township_client.post(reverse("admin:governance_posting_add"), posting_data(person, unit, **overrides))
    assert_refused(response, message)
    assert not Posting.objects.exists()


def test_second_active_neighborhood_leader_is_refused(township_client, cast):
    branch = cast.branches[0]
    PostingFactory(person=PersonFactory(village=branch.village), unit=branch.neighborhood)
    person = PersonFactory(village=branch.village)
    response = township_client.post(reverse("admin:governance_posting_add"), posting_data(person, branch.neighborhood))
    assert_refused(response, "该单元已有一名在任的同职务人员")
    assert Posting.objects.filter(unit=branch.neighborhood).count() == 1


def neighborhood_change_data(branch, rows):
    data = {"parent": branch.group.pk, "name": branch.neighborhood.name, "division_code": ""}
    data.update(inline("postings", rows))
    return data


def inline_posting(person, **overrides):
    return {
        "person": person.pk,
        "role": "neighborhood_leader",
        "start_date": "2025-01-01",
        "selection_method": "",
        "end_date": "",
        "end_reason": "",
        "note": "",
        **overrides,
    }


def test_two_new_leaders_in_one_inline_submit_are_refused(township_client, cast):
    branch = cast.branches[0]
    a, b = PersonFactory(village=branch.village), PersonFactory(village=branch.village)
    url = reverse("admin:governance_neighborhood_change", args=[branch.neighborhood.pk])
    response = township_client.post(url, neighborhood_change_data(branch, [inline_posting(a), inline_posting(b)]))
    assert_refused(response, "同一单元只能有一名在任的邻长")
    assert not Posting.objects.exists()


def test_new_leader_inline_while_one_is_active_is_refused(township_client, cast):
    branch = cast.branches[0]
    current = PostingFactory(person=PersonFactory(village=branch.village, name="钱现任"), unit=branch.neighborhood)
    newcomer = PersonFactory(village=branch.village)
    url = reverse("admin:governance_neighborhood_change", args=[branch.neighborhood.pk])
    data = neighborhood_change_data(branch, [inline_posting(newcomer)])
    data.update({"postings-TOTAL_FORMS": "1"})
    response = township_client.post(url, data)
    assert_refused(response, "已有一名在任的邻长（钱现任）")
    assert list(Posting.objects.filter(unit=branch.neighborhood)) == [current]


def test_new_leader_beside_the_unchanged_current_row_is_refused(township_client, cast):
    """As the real page posts it: the current leader's row (unchanged) plus a new row."""
    branch = cast.branches[0]
    current = PostingFactory(person=PersonFactory(village=branch.village, name="钱现任"), unit=branch.neighborhood)
    newcomer = PersonFactory(village=branch.village)
    url = reverse("admin:governance_neighborhood_change", args=[branch.neighborhood.pk])
    existing = {**inline_posting(current.person), "id": current.pk, "unit": branch.neighborhood.pk}
    data = neighborhood_change_data(branch, [existing, inline_posting(newcomer)])
    data["postings-INITIAL_FORMS"] = "1"
    response = township_client.post(url, data)
    assert_refused(response, "已有一名在任的邻长（钱现任）")
    assert list(Posting.objects.filter(unit=branch.neighborhood)) == [current]


def test_ending_the_current_row_and_adding_a_successor_in_one_submit_is_accepted(township_client, cast):
    branch = cast.branches[0]
    current = PostingFactory(person=PersonFactory(village=branch.village), unit=branch.neighborhood)
    successor = PersonFactory(village=branch.village)
    url = reverse("admin:governance_neighborhood_change", args=[branch.neighborhood.pk])
    ended = {
        **inline_posting(current.person),
        "id": current.pk,
        "unit": branch.neighborhood.pk,
        "end_date": "2025-06-30",
        "end_reason": "persuaded",
    }
    new = inline_posting(successor, start_date="2025-07-01", selection_method="by_election")
    data = neighborhood_change_data(branch, [ended, new])
    data["postings-INITIAL_FORMS"] = "1"
    assert township_client.post(url, data).status_code == 302
    assert Posting.objects.get(unit=branch.neighborhood, end_date__isnull=True).person == successor
    assert Posting.objects.filter(unit=branch.neighborhood).count() == 2


def test_posting_inline_outside_the_persons_village_is_refused(township_client, cast):
    person = PersonFactory(village=cast.branches[0].village)
    other_village_unit = cast.branches[1].neighborhood
    data = {
        "village": person.village.pk,
        "name": person.name,
        "gender": "",
        "phone": person.phone,
        "id_number": "",
        "education": "",
        "note": "",
    }
    data.update(inline("postings", [{**inline_posting(person), "unit": other_village_unit.pk}]))
    response = township_client.post(reverse("admin:governance_person_change", args=[person.pk]), data)
    assert_refused(response, "任职单元必须在此人所属的村/社区之内")
    assert not Posting.objects.exists()


def test_unit_with_a_parent_of_the_wrong_level_is_refused(township_client, cast):
    response = township_client.post(
        reverse("admin:governance_area_add"), {"parent": cast.townships[0].pk, "name": "错层片", "division_code": ""}
    )
    assert_refused(response, "请选择一个村/社区作为上级单元")
    assert not Area.objects.filter(name="错层片").exists()


def test_person_with_bad_id_is_refused(township_client, cast):
    data = {"village": cast.branches[0].village.pk, "name": "孙错号", "id_number": "43112719800517001X", "phone": ""}
    response = township_client.post(reverse("admin:governance_person_add"), {**data, "gender": "", "education": ""})
    assert_refused(response, "校验位不正确")
    assert not Person.objects.filter(name="孙错号").exists()


def test_person_with_an_id_already_on_the_roster_is_refused(township_client, cast):
    number = make_id_number()
    PersonFactory(village=cast.branches[1].village, id_number=number)
    data = {"village": cast.branches[0].village.pk, "name": "孙重号", "id_number": number.lower(), "phone": ""}
    response = township_client.post(reverse("admin:governance_person_add"), {**data, "gender": "", "education": ""})
    assert_refused(response, "该身份证号不能使用，如有疑问请联系乡镇干部核实")
    assert not Person.objects.filter(name="孙重号").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "虎溪村一片"}, "同一上级单元下已有同名的单元"),
        ({"division_code": "43112710"}, "统计用区划代码应为12位数字"),
        ({"division_code": "431127100201"}, "该统计用区划代码已被其他单元使用"),
    ],
)
def test_bad_unit_is_refused_with_a_clear_message(township_client, cast, overrides, message):
    village = cast.branches[0].village
    village.division_code = "431127100201"
    village.save()
    data = {"parent": village.pk, "name": "新片", "division_code": "", "contact_phone": "", **overrides}
    before = Area.objects.count()
    assert_refused(township_client.post(reverse("admin:governance_area_add"), data), message)
    assert Area.objects.count() == before

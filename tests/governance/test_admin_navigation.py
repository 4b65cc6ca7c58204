"""Walking the tree in the admin: child counts link to the child level filtered to the unit,
change pages show the ancestor chain, cascading filters never list thousands of units, and
search finds a household by name, phone or a member's ID in any spelling."""

import pytest
from django.urls import reverse

from households.models import Household
from tests.factories import HouseholdFactory, PersonFactory, PostingFactory, ResidentFactory, make_id_number


def changelist(name):
    return reverse(f"admin:{name}_changelist")


def shown(response):
    return {obj.pk for obj in response.context["cl"].result_list}


def filter_choices(response, title):
    for spec in response.context["cl"].filter_specs:
        if spec.title == title and spec.has_output():
            return [label for _, label in spec.lookup_choices]
    return None


@pytest.fixture
def township_client(client, cast):
    client.force_login(cast.users["township"])
    return client


def test_each_level_links_its_children_filtered_to_it(client, cast):
    client.force_login(cast.users["superuser"])
    branch = cast.branches[0]
    steps = [
        (
            "governance_township",
            "township",
            cast.townships[0].pk,
            "governance_village",
            {b.village.pk for b in cast.branches[:2]},
        ),
        ("governance_village", "village", branch.village.pk, "governance_area", {branch.area.pk}),
        ("governance_area", "area", branch.area.pk, "governance_villagergroup", {branch.group.pk}),
        (
            "governance_villagergroup",
            "villager_group",
            branch.group.pk,
            "governance_neighborhood",
            {branch.neighborhood.pk},
        ),
        (
            "governance_neighborhood",
            "neighborhood",
            branch.neighborhood.pk,
            "households_household",
            {h.pk for h in branch.households},
        ),
    ]
    for parent_list, param, pk, child_list, expected in steps:
        link = f"{changelist(child_list)}?{param}={pk}"
        assert link in client.get(changelist(parent_list)).content.decode(), parent_list
        assert shown(client.get(link)) == expected, child_list


def test_village_list_links_its_households(township_client, cast):
    village = cast.branches[0].village
    page = township_client.get(changelist("governance_village")).content.decode()
    link = f"{changelist('households_household')}?village={village.pk}"
    assert f'<a href="{link}">2 户</a>' in page


def test_change_page_shows_the_ancestor_chain_linking_only_what_the_user_may_open(township_client, cast):
    branch = cast.branches[0]
    page = township_client.get(reverse("admin:governance_neighborhood_change", args=[branch.neighborhood.pk]))
    html = page.content.decode()
    assert "蓝山县（县/区） › " in html  # above the user's township: shown, not linked
    assert reverse("admin:governance_county_change", args=[cast.county.pk]) not in html
    village_link = reverse("admin:governance_village_change", args=[branch.village.pk])
    assert f'<a href="{village_link}">虎溪村（村/社区）</a>' in html
    household = township_client.get(reverse("admin:households_household_change", args=[branch.households[0].pk]))
    assert "虎溪村一组（组/网格）</a> › " in household.content.decode()


def test_neighborhood_outside_five_to_fifteen_is_flagged_not_blocked(township_client, cast):
    page = township_client.get(changelist("governance_neighborhood")).content.decode()
    assert "⚠ 2 户（应为5-15户）" in page
    branch = cast.branches[0]
    for _ in range(3):
        HouseholdFactory(village=branch.village, neighborhood=branch.neighborhood)
    page = township_client.get(changelist("governance_neighborhood") + "?size=ok").content.decode()
    assert branch.neighborhood.name in page


def test_household_filters_cascade_from_the_users_own_unit(township_client, cast):
    branch = cast.branches[0]
    response = township_client.get(changelist("households_household"))
    assert filter_choices(response, "乡镇/街道") is None  # the user's own level: nothing to choose
    assert filter_choices(response, "村/社区") == ["虎溪村", "大坪村"]
    assert filter_choices(response, "片") is None  # shown only once a village is chosen
    response = township_client.get(changelist("households_household") + f"?village={branch.village.pk}")
    assert filter_choices(response, "片") == ["虎溪村一片"]
    assert filter_choices(response, "组/网格") is None
    # Choosing another village drops the 片 chosen under the first one.
    response = township_client.get(
        changelist("households_household") + f"?village={branch.village.pk}&area={branch.area.pk}"
    )
    page = response.content.decode()
    other = cast.branches[1].village.pk
    assert f'href="?village={other}"' in page


def test_county_user_picks_a_township_before_any_village(client, cast):
    client.force_login(cast.users["county"])
    response = client.get(changelist("households_household"))
    assert filter_choices(response, "乡镇/街道") == ["塔峰镇", "祠堂圩镇"]
    assert filter_choices(response, "村/社区") is None


def test_forged_filter_value_outside_scope_shows_nothing(township_client, cast):
    foreign = cast.branches[2].village.pk
    response = township_client.get(changelist("households_household") + f"?village={foreign}")
    assert response.status_code == 200
    assert shown(response) == set()


def test_link_filter_agrees_with_the_queryset_methods(township_client, cast):
    branch = cast.branches[0]
    PostingFactory(person=PersonFactory(village=branch.village), unit=branch.neighborhood)
    loose = HouseholdFactory(village=branch.village, neighborhood=None)
    scope = Household.objects.restrict(cast.users["township"])
    expected = {
        "unlinked": set(scope.unlinked().values_list("pk", flat=True)),
        "no_neighborhood": {loose.pk},
        "no_leader": {h.pk for h in cast.branches[1].households},
        "linked": {h.pk for h in branch.households},
    }
    assert expected["unlinked"] == expected["no_neighborhood"] | expected["no_leader"]
    for value, pks in expected.items():
        assert shown(township_client.get(changelist("households_household") + f"?link={value}")) == pks, value
    page = township_client.get(changelist("households_household")).content.decode()
    assert "⚠ 未编入邻" in page and "⚠ 邻无在任邻长" in page and "已联户" in page


@pytest.mark.parametrize(
    "spell",
    [
        lambda n: n,
        lambda n: n.lower(),
        lambda n: " " + n.translate(str.maketrans("0123456789X", "０１２３４５６７８９x")),
    ],
    ids=["plain", "lower-x", "full-width"],
)
def test_search_by_member_id_in_any_spelling(township_client, cast, spell):
    number = make_id_number(male=False)
    household = cast.branches[0].households[1]
    ResidentFactory(household=household, id_number=number)
    response = township_client.get(changelist("households_household"), {"q": spell(number)})
    assert shown(response) == {household.pk}


def test_search_by_head_name_and_by_any_phone(township_client, cast):
    first, second = cast.branches[0].households
    ResidentFactory(household=second, phone="13907461234")
    assert shown(township_client.get(changelist("households_household"), {"q": first.head_name})) == {first.pk}
    assert shown(township_client.get(changelist("households_household"), {"q": first.phone})) == {first.pk}
    assert shown(township_client.get(changelist("households_household"), {"q": "139 0746 1234"})) == {second.pk}


def test_search_never_reaches_outside_scope(township_client, cast):
    foreign = cast.branches[2].households[0]
    assert shown(township_client.get(changelist("households_household"), {"q": foreign.phone})) == set()


def test_person_and_resident_search_normalise_ids(township_client, cast):
    number = make_id_number()
    person = PersonFactory(village=cast.branches[0].village, id_number=number)
    resident = ResidentFactory(household=cast.branches[0].households[0], id_number=make_id_number())
    assert shown(township_client.get(changelist("governance_person"), {"q": number.lower()})) == {person.pk}
    full = resident.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９x"))
    assert shown(township_client.get(changelist("households_resident"), {"q": full})) == {resident.pk}


def test_vacant_leader_links_to_a_prefilled_new_posting(township_client, cast):
    branch = cast.branches[0]
    page = township_client.get(changelist("governance_neighborhood")).content.decode()
    add = reverse("admin:governance_posting_add")
    assert f"{add}?unit={branch.neighborhood.pk}&amp;role=neighborhood_leader" in page
    form = township_client.get(f"{add}?unit={branch.neighborhood.pk}&role=neighborhood_leader")
    assert form.context["adminform"].form.initial["role"] == "neighborhood_leader"
    PostingFactory(person=PersonFactory(village=branch.village, name="冯邻长"), unit=branch.neighborhood)
    page = township_client.get(changelist("governance_neighborhood")).content.decode()
    assert "冯邻长" in page


def test_lists_below_the_village_name_the_village(township_client, cast):
    PostingFactory(person=PersonFactory(village=cast.branches[1].village), unit=cast.branches[1].neighborhood)
    for name in ("governance_villagergroup", "governance_neighborhood", "governance_posting"):
        page = township_client.get(changelist(name)).content.decode()
        assert "所属村/社区" in page and "大坪村</td>" in page, name


def test_person_page_shows_the_village_chain(township_client, cast):
    person = PersonFactory(village=cast.branches[0].village)
    page = township_client.get(reverse("admin:governance_person_change", args=[person.pk])).content.decode()
    assert "塔峰镇（乡镇/街道）</a> › " in page and "虎溪村（村/社区）</a>" in page


def test_leader_sees_the_chain_without_links_to_pages_they_cannot_open(client, cast):
    client.force_login(cast.users["leader"])
    household = cast.branches[0].households[0]
    page = client.get(reverse("admin:households_household_change", args=[household.pk])).content.decode()
    assert "虎溪村一片（片） › " in page  # shown as text: a 邻长 has no access to the 片 pages
    assert reverse("admin:governance_area_change", args=[cast.branches[0].area.pk]) not in page
    assert f'href="{reverse("admin:governance_neighborhood_change", args=[cast.branches[0].neighborhood.pk])}"' in page

"""联系卡: the household's 邻长/组长/片长 with phones and the village phone; no resident ID numbers."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from governance.models import Posting
from tests.factories import HouseholdFactory, NeighborhoodFactory, PersonFactory, PostingFactory, ResidentFactory


def staff(branch):
    """Active 邻长, 组长 and 片长 of the branch, plus an ended 邻长 who must not appear."""
    village = branch.village
    village.contact_phone = "0746-2212345"
    village.save()
    hood = PostingFactory(unit=branch.neighborhood, person__village=village, person__name="赵邻长")
    group = PostingFactory(
        unit=branch.group, role=Posting.Role.GROUP_LEADER, person__village=village, person__name="钱组长"
    )
    area = PostingFactory(
        unit=branch.area, role=Posting.Role.AREA_LEADER, person__village=village, person__name="孙片长"
    )
    PostingFactory(
        unit=branch.neighborhood,
        person__village=village,
        person__name="前任邻长",
        end_date="2025-06-30",
        end_reason=Posting.EndReason.TERM_ENDED,
    )
    return hood.person, group.person, area.person


def card_texts(html):
    return re.findall(r'<article class="contact-card">(.*?)</article>', html, flags=re.S)


def test_a_household_card_names_its_leaders_with_phones_and_the_village_phone(client, cast):
    branch = cast.branches[0]
    hood, group, area = staff(branch)
    household = branch.households[0]
    client.force_login(cast.users["leader"])
    response = client.get(f"/m/household/{household.pk}/card/")
    assert response.status_code == 200
    [card] = card_texts(response.content.decode())
    assert f"{household.head_name}户" in card
    for person, role in [(hood, "邻长"), (group, "组长"), (area, "片长")]:
        assert re.search(rf"<th>{role}</th>\s*<td class=\"person\">{person.name}</td>", card)
        assert person.phone in card  # leaders' phones in full: that is the card's purpose
    assert "0746-2212345" in card
    assert "前任邻长" not in card
    assert "虎溪村一组" in card and "虎溪村一片" in card


def test_a_vacant_post_is_shown_as_such(client, cast):
    branch = cast.branches[0]
    client.force_login(cast.users["village"])
    [card, _] = card_texts(client.get(f"/m/cards/{branch.neighborhood.pk}/").content.decode())
    assert card.count("（待选配）") == 3


def test_no_resident_id_numbers_or_household_phones_on_the_cards(client, cast):
    branch = cast.branches[0]
    staff(branch)
    residents = [ResidentFactory(household=h) for h in branch.households]
    leader_ids = [PersonFactory(village=branch.village).id_number]
    client.force_login(cast.users["village"])
    html = client.get(f"/m/cards/{branch.group.pk}/").content.decode()
    assert len(card_texts(html)) == 2
    for resident in residents:
        assert resident.id_number not in html
        assert resident.id_number[-4:] + "<" not in html
    for h in branch.households:
        assert h.phone not in html
    assert all(i not in html for i in leader_ids if i)


def test_print_all_for_a_group_runs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    branch = cast.branches[0]
    staff(branch)
    client.force_login(cast.users["village"])
    url = f"/m/cards/{branch.group.pk}/"
    # session, user, user's unit, the 组 (scoped), households, ancestor units, postings,
    # then the session save (savepoint, update, release)
    with django_assert_max_num_queries(10):
        assert len(card_texts(client.get(url).content.decode())) == 2
    second = NeighborhoodFactory(parent=branch.group, name="虎溪村二邻")
    PostingFactory(unit=second, person__village=branch.village, person__name="李邻长")
    for _ in range(14):
        HouseholdFactory(neighborhood=branch.neighborhood, village=branch.village)
        HouseholdFactory(neighborhood=second, village=branch.village)
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert len(card_texts(html)) == 30
    assert html.count("李邻长") == 14 and html.count("赵邻长") == 16


def test_the_cards_print_four_a6_to_an_a4_page(client, cast):
    client.force_login(cast.users["village"])
    html = client.get(f"/m/cards/{cast.branches[0].group.pk}/").content.decode()
    assert "/static/css/cards.css" in html
    text = Path(finders.find("css/cards.css")).read_text(encoding="utf-8")
    assert "@page { size: A4" in text
    assert "width: 105mm; height: 148mm" in text
    assert "grid-template-columns: 105mm 105mm" in text


def test_cards_are_scoped(client, cast):
    branch, other = cast.branches[0], cast.branches[2]
    client.force_login(cast.users["village"])
    assert client.get(f"/m/cards/{other.group.pk}/").status_code == 404
    assert client.get(f"/m/household/{other.households[0].pk}/card/").status_code == 404
    assert client.get(f"/m/cards/{branch.village.pk}/").status_code == 404  # only a 组 or a 邻
    client.force_login(cast.users["leader"])
    assert client.get(f"/m/cards/{branch.neighborhood.pk}/").status_code == 200
    assert client.get(f"/m/cards/{branch.group.pk}/").status_code == 404  # above the 邻长's unit


def test_the_cards_index_offers_the_units_of_the_user(client, cast):
    branch = cast.branches[0]
    client.force_login(cast.users["village"])
    html = client.get("/m/cards/").content.decode()
    assert f"/m/cards/{branch.group.pk}/" in html and f"/m/cards/{branch.neighborhood.pk}/" in html
    assert f"/m/cards/{cast.branches[2].group.pk}/" not in html
    client.force_login(cast.users["leader"])
    assert f"/m/cards/{branch.neighborhood.pk}/" in client.get("/m/cards/").content.decode()

"""最美三长 (village nominates, township decides, certificate) and a person's 履职档案."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.core import scope_matrix as sm
from tests.factories import PersonFactory, PostingFactory
from tests.factories.training import AttendanceFactory
from training.awards import decide_award, nominate_award
from training.models import Award

pytestmark = pytest.mark.django_db
ROLES = ["superuser", "county", "township", "township2", "village", "village2"]


def test_village_nominates_township_decides_certificate_prints(client, cast):
    person = PersonFactory(village=cast.branches[0].village, name="邝银祥")
    award = nominate_award(user=cast.users["village"], person=person, year=2026, reasons="调解纠纷12起")
    with pytest.raises(ValidationError, match="已被推荐"):
        nominate_award(user=cast.users["village"], person=person, year=2026, reasons="again")
    with pytest.raises(PermissionDenied):
        decide_award(user=cast.users["village"], award=award, approve=True)
    client.force_login(cast.users["township"])
    url = reverse("reports:training_award", args=[award.pk])
    assert "乡镇批准" in client.get(url).content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.APPROVED and award.issuing_body == "中共塔峰镇委员会"
    page = client.get(url).content.decode()
    assert "荣 誉 证 书" in page and "邝银祥" in page and "certificate.css" in page and "style=" not in page
    with pytest.raises(ValidationError, match="不能重复审定"):
        decide_award(user=cast.users["township"], award=award, approve=False)


def test_award_page_is_scoped(client, cast):
    sm.check_object_view(client, cast, Award, lambda a: reverse("reports:training_award", args=[a.pk]), roles=ROLES)


def test_person_record_shows_the_history(client, cast):
    b = cast.branches[0]
    person = PersonFactory(village=b.village, name="刘长林")
    PostingFactory(person=person, unit=b.neighborhood)
    attendance = AttendanceFactory(person=person)
    client.force_login(cast.users["village"])
    page = client.get(reverse("reports:training_person", args=[person.pk])).content.decode()
    assert "刘长林" in page and attendance.session.title in page and "邻长" in page


def test_person_record_is_scoped(client, cast):
    from governance.models import Person

    sm.check_object_view(client, cast, Person, lambda p: reverse("reports:training_person", args=[p.pk]), roles=ROLES)

"""动态调整: proposed by the village, decided by the township, carried out: the posting ends with the
case's reason and the 邻 has no 邻长 until a by-election."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.models import Posting
from governance.services import appoint
from households.models import Household
from tests.factories import PersonFactory, PostingFactory
from training.adjustments import approve_adjustment, carry_out_adjustment, propose_adjustment, reject_adjustment
from training.models import Adjustment

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(cast):
    b = cast.branches[0]
    return PostingFactory(person=PersonFactory(village=b.village, name="刘长林"), unit=b.neighborhood)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("persuade", Posting.EndReason.PERSUADED), ("dismiss", Posting.EndReason.DISMISSED),
     ("review", Posting.EndReason.FAILED_REVIEW)],
)  # fmt: skip
def test_carrying_out_ends_the_posting_with_the_reason_and_opens_the_vacancy(cast, posting, kind, reason):
    b = cast.branches[0]
    assert not Household.objects.filter(neighborhood=b.neighborhood).unlinked().exists()
    case = propose_adjustment(user=cast.users["village"], posting=posting, kind=kind, reason="年终总评不称职")
    approve_adjustment(user=cast.users["township"], adjustment=case, decision="同意")
    carry_out_adjustment(user=cast.users["township"], adjustment=case, carried_out_on=datetime.date(2026, 7, 1))
    posting.refresh_from_db()
    case.refresh_from_db()
    assert case.status == Adjustment.Status.CARRIED_OUT
    assert (posting.end_date, posting.end_reason) == (datetime.date(2026, 7, 1), reason)
    assert Household.objects.filter(neighborhood=b.neighborhood).unlinked().count() == 2  # the vacancy
    assert [e.action for e in case.events.all()] == ["propose", "approve", "carry_out"]
    appoint(  # 补选 fills it
        person=PersonFactory(village=b.village), unit=b.neighborhood, role=posting.role,
        start_date=datetime.date(2026, 7, 2), selection_method=Posting.SelectionMethod.BY_ELECTION,
    )  # fmt: skip
    assert not Household.objects.filter(neighborhood=b.neighborhood).unlinked().exists()


def test_the_village_proposes_but_cannot_decide(cast, posting):
    case = propose_adjustment(user=cast.users["village"], posting=posting, kind="persuade", reason="长期外出")
    with pytest.raises((PermissionDenied, ValidationError)):
        approve_adjustment(user=cast.users["village"], adjustment=case)
    with pytest.raises(ValidationError):
        approve_adjustment(user=cast.users["township2"], adjustment=case)  # another township
    with pytest.raises(ValidationError, match="乡镇意见"):
        reject_adjustment(user=cast.users["township"], adjustment=case, decision=" ")
    case.refresh_from_db()
    assert case.status == Adjustment.Status.PROPOSED
    with pytest.raises(ValidationError, match="未办结的调整"):
        propose_adjustment(user=cast.users["village"], posting=posting, kind="dismiss", reason="再次提出")
    with pytest.raises(ValidationError):
        propose_adjustment(user=cast.users["village2"], posting=posting, kind="dismiss", reason="越界")


def test_rejected_case_leaves_the_posting(cast, posting):
    case = propose_adjustment(user=cast.users["village"], posting=posting, kind="review", reason="群众反映")
    reject_adjustment(user=cast.users["township"], adjustment=case, decision="经核实不属实")
    posting.refresh_from_db()
    assert posting.is_active
    with pytest.raises(ValidationError):
        carry_out_adjustment(user=cast.users["township"], adjustment=case)


def test_the_village_proposes_in_the_admin(client, cast, posting):
    client.force_login(cast.users["village"])
    data = {"posting": posting.pk, "kind": "persuade", "reason": "半年小评不称职", "proposed_on": "2026-07-01"}
    response = client.post(reverse("admin:training_adjustment_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Adjustment.objects.get()
    assert case.status == Adjustment.Status.PROPOSED and case.events.get().actor == cast.users["village"]

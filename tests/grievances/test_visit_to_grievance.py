import pytest
from django.core.exceptions import ValidationError

from grievances.models import Grievance, GrievanceCategory
from grievances.services import report_problem_from_visit
from households.models import Visit
from tests.factories import PostingFactory


def test_a_visit_reporting_a_problem_becomes_a_linked_grievance(cast):
    branch = cast.branches[0]
    posting = PostingFactory(unit=branch.neighborhood, person__village=branch.village)
    household = branch.households[0]
    grievance = report_problem_from_visit(
        user=cast.users["leader"],
        household=household,
        visitor=posting.person,
        category=GrievanceCategory.objects.get(name="基础设施"),
        description="门前路灯坏了",
    )
    assert grievance.status == Grievance.Status.REGISTERED
    assert grievance.visit.problem_found is True
    assert grievance.village_id == branch.village.pk
    assert list(grievance.events.values_list("to_status", flat=True)) == ["registered"]
    assert Grievance.objects.restrict(cast.users["leader"]).filter(pk=grievance.pk).exists()
    assert not Grievance.objects.restrict(cast.users["village2"]).filter(pk=grievance.pk).exists()


def test_a_household_outside_scope_is_refused_and_nothing_is_written(cast):
    other = cast.branches[2]
    posting = PostingFactory(unit=other.neighborhood, person__village=other.village)
    with pytest.raises(ValidationError):
        report_problem_from_visit(
            user=cast.users["leader"],
            household=other.households[0],
            visitor=posting.person,
            category=GrievanceCategory.objects.first(),
            description="越权上报",
        )
    assert not Visit.objects.exists()
    assert not Grievance.objects.exists()

"""A person's record (履职档案) and the 最美三长 page (nomination, the township's decision, the
printable certificate). Both read through the user's scope; print styles come from static/.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect

from core.scoping import get_for_user_or_404
from governance.models import Person
from grievances.models import Grievance
from households.models import Visit
from reports.pages import report_access
from reports.training_pages import errors_of, page
from training.awards import decide_award
from training.models import Adjustment, Attendance, Award, Evaluation, Rating


@report_access("training.view_award")
def award_page(request, pk):
    user = request.user
    award = get_for_user_or_404(user, Award.objects.select_related("person", "person__village"), pk=pk)
    if request.method == "POST":
        try:
            decide_award(user=user, award=award, approve=request.POST.get("decision") == "approve")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, errors_of(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, "已审定。")
        return redirect(request.path)
    can_decide = user.has_perm("training.change_award") and award.status == Award.Status.NOMINATED
    return page(request, "training/award.html", f"{award.year}年{award.honour}", award=award, can_decide=can_decide)


@report_access("governance.view_person")
def person_record(request, pk):
    """履职档案: postings, trainings, ratings, evaluations, awards, adjustments; visits and grievances in figures."""
    user = request.user
    person = get_for_user_or_404(user, Person.objects.select_related("village"), pk=pk)
    ratings = (
        Rating.objects.filter(leader=person)
        .values("round")
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(answer=Rating.Answer.SATISFIED)),
            basic=Count("pk", filter=Q(answer=Rating.Answer.BASIC)),
            unsatisfied=Count("pk", filter=Q(answer=Rating.Answer.UNSATISFIED)),
        )
        .order_by("-round")
    )
    reported = Grievance.objects.filter(visit__visitor=person)
    figures = {
        "visits": Visit.objects.filter(visitor=person).count(),
        "reported": reported.count(),
        "resolved": reported.filter(status__in=["resolved", "revisited", "archived"]).count(),
    }
    return page(
        request,
        "training/person_record.html",
        f"履职档案：{person.name}",
        person=person,
        postings=person.postings.select_related("unit").order_by("-start_date"),
        attendances=Attendance.objects.filter(person=person).select_related("session").order_by("-session__held_on"),
        ratings=ratings,
        evaluations=Evaluation.objects.filter(person=person).select_related("posting").order_by("-year", "-kind"),
        awards=Award.objects.filter(person=person).order_by("-year"),
        adjustments=Adjustment.objects.filter(posting__person=person).select_related("posting__unit"),
        figures=figures,
    )

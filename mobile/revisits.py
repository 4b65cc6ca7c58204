"""事后敲门回访 on the phone: the 邻长 who visits a household goes back after its problem is resolved.

Lists: 待回访 (resolved grievances of the user's households, oldest first, overdue marked) and
我反映的问题 (grievances the user registered, with their latest step). The revisit page records the
household's satisfaction through ``grievances.services.record_revisit`` (不满意 reopens it); the
revisitor is the user's own roster person.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.utils import timezone

from core.paginator import ShortListPaginator
from grievances.models import Grievance, GrievanceEvent, Revisit
from grievances.services import record_revisit
from households.services import visitor_for
from mobile.forms import RevisitForm
from mobile.views import PAGE_SIZE, phone_page

REVISIT_PERM = "grievances.add_revisit"


def awaiting_revisit(user):
    """Resolved grievances of the households the user may see, oldest resolution first."""
    return (
        Grievance.objects.restrict(user)
        .awaiting_revisit()
        .select_related("household", "category")
        .order_by("resolved_on", "pk")
    )


def reported_by(user):
    """Grievances the user registered (on the phone: a visit that found a problem), newest first."""
    latest = GrievanceEvent.objects.filter(grievance=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Grievance.objects.restrict(user)
        .filter(received_by=user)
        .select_related("household", "category")
        .annotate(last_action=Subquery(latest.values("action")[:1]), last_at=Subquery(latest.values("created_at")[:1]))
        .order_by("-received_on", "-pk")
    )


@phone_page(REVISIT_PERM)
def revisit_list(request):
    today = timezone.localdate()
    page = ShortListPaginator(awaiting_revisit(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"grievance": g, "overdue": g.revisit_due_date < today} for g in page]
    return render(request, "mobile/revisit_list.html", {"page": page, "rows": rows})


@phone_page("grievances.view_grievance")
def reported_list(request):
    page = ShortListPaginator(reported_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    actions = dict(GrievanceEvent.Action.choices)
    rows = [{"grievance": g, "last_action": actions.get(g.last_action, "")} for g in page]
    return render(request, "mobile/reported_list.html", {"page": page, "rows": rows})


@phone_page(REVISIT_PERM)
def revisit_create(request, pk):
    """满意/基本满意/不满意 for one resolved grievance; 不满意 needs the household's words and reopens it."""
    user = request.user
    grievance = Grievance.objects.select_related("household", "category").get_for_user_or_404(user, pk=pk)
    revisitor = visitor_for(user)
    if revisitor is None:
        raise PermissionDenied("您的账号未关联在任的组长/邻长等人员，无法记录回访，请联系村干部。")
    if grievance.status != Grievance.Status.RESOLVED and request.method == "GET":
        messages.info(request, f"该诉求当前状态为“{grievance.get_status_display()}”，不需要回访。")
        return redirect("mobile:revisit_list")
    form = RevisitForm(request.POST or None, initial={"version": grievance.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = record_revisit(
                user=user,
                grievance=grievance,
                satisfaction=data["satisfaction"],
                comment=data["comment"],
                revisitor=revisitor,
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if saved.status == Grievance.Status.IN_PROGRESS:
                messages.warning(
                    request, f"已记录回访：群众不满意，该诉求已重新交村里办理（第{saved.reopen_count}次）。"
                )
            else:
                label = Revisit.Satisfaction(data["satisfaction"]).label
                messages.success(request, f"已记录{grievance.household or grievance.reporter_name}的回访：{label}。")
            return redirect("mobile:revisit_list")
    context = {"form": form, "grievance": grievance, "revisitor": revisitor}
    return render(request, "mobile/revisit_form.html", context)

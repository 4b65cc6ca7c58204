"""队伍建设 on the phone: my trainings, ratings and latest evaluation, and QR check-in.

"Mine" is the user's own roster person (``households.services.visitor_for``, as for visits): a
leader sees only their own rows, read by that person, never anyone else's. The check-in page is
reached by the session's unguessable token; the service refuses anyone outside the session's
audience or outside its time window, so the token grants nothing by itself.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render

from households.services import visitor_for
from mobile.views import LOGIN_URL
from training.models import Attendance, Evaluation, Rating, TrainingSession
from training.services import check_in


@login_required(login_url=LOGIN_URL)
def my_training(request):
    person = visitor_for(request.user)
    context = {"person": person}
    if person is not None:
        context["attendances"] = (
            Attendance.objects.filter(person=person).select_related("session").order_by("-session__held_on")[:30]
        )
        context["ratings"] = (
            Rating.objects.filter(leader=person)
            .values("round")
            .annotate(
                total=Count("pk"),
                satisfied=Count("pk", filter=Q(answer=Rating.Answer.SATISFIED)),
                basic=Count("pk", filter=Q(answer=Rating.Answer.BASIC)),
                unsatisfied=Count("pk", filter=Q(answer=Rating.Answer.UNSATISFIED)),
            )
            .order_by("-round")[:8]
        )
        context["evaluation"] = Evaluation.objects.filter(person=person).order_by("-year", "-kind", "-pk").first()
    return render(request, "mobile/training.html", context)


@login_required(login_url=LOGIN_URL)
def training_check_in(request, token):
    session = TrainingSession.objects.filter(qr_token=token).first()
    if session is None:
        raise Http404("签到码无效。")
    if request.method == "POST":
        try:
            _, _, created = check_in(user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "签到成功！" if created else "您已签到过。")
            return redirect("mobile:my_training")
    return render(request, "mobile/training_check_in.html", {"session": session})

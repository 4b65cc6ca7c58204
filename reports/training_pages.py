"""队伍建设 pages in the admin's look: a session's check-in grid and QR code, a meeting's rating
grid and matters (registered as grievances), an evaluation round (batch, scores, confirm).

The writes are the training app's services; registering a meeting's matter as a grievance needs
both sibling apps, so that one use case lives here, in the page layer above them
(``register_meeting_matter``: one transaction).
"""

import segno
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.scoping import get_for_user_or_404
from governance.models import Unit
from governance.models.units import SEGMENT, level_depth
from grievances.models import Grievance, GrievanceCategory
from grievances.services import register_grievance
from households.models import Household
from reports.pages import report_access
from training.models import Attendance, Meeting, MeetingMatter, Rating, TrainingSession
from training.services import expected_audience, rating_grid, save_attendance, save_ratings

CHANNELS = {Meeting.Kind.TALK_DAY: Grievance.Channel.TALK_DAY}


def page(request, template, title, **context):
    return TemplateResponse(request, template, {**admin.site.each_context(request), "title": title, **context})


def errors_of(error):
    return "；".join(error.messages)


def qr_svg(url):
    """The check-in link as an inline SVG (segno: pure Python; no image file, no inline script or style)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff"))


@report_access("training.view_trainingsession")
def session_attendance(request, pk):
    """签到表: the whole expected audience with ticks, one save; and the session's QR code."""
    session = get_for_user_or_404(request.user, TrainingSession.objects.select_related("organiser"), pk=pk)
    if request.method == "POST":
        try:
            added, removed = save_attendance(
                user=request.user, session=session, person_ids=request.POST.getlist("person")
            )
        except ValidationError as error:
            messages.error(request, errors_of(error))
        else:
            messages.success(request, f"签到表已保存：新增{added}人，取消{removed}人。")
            return redirect(request.path)
    audience = list(expected_audience(session))
    attended = {a.person_id: a for a in Attendance.objects.filter(session=session).select_related("person__village")}
    extra = [a.person for pid, a in attended.items() if pid not in {p.pk for p in audience}]
    check_in_url = request.build_absolute_uri(reverse("mobile:training_check_in", args=[session.qr_token]))
    return page(
        request,
        "training/attendance.html",
        f"签到：{session}",
        session=session,
        rows=[{"person": p, "attendance": attended.get(p.pk)} for p in [*audience, *extra]],
        attended_count=len(attended),
        qr=qr_svg(check_in_url),
        check_in_url=check_in_url,
        can_save=request.user.has_perm("training.add_attendance"),
    )


def village_of(unit):
    return Unit.objects.get(path=unit.path[: level_depth(Unit.Level.VILLAGE) * SEGMENT])


@transaction.atomic
def register_meeting_matter(*, user, meeting, category, description, household=None):
    """A matter raised at the meeting becomes a grievance (channel 恳谈会/说事日) linked to it."""
    grievance = register_grievance(
        user=user,
        category=category,
        description=description,
        household=household,
        village=village_of(meeting.unit),
        reporter_name="" if household else f"{meeting.get_kind_display()}参会群众",
        channel=CHANNELS.get(meeting.kind, Grievance.Channel.MEETING),
        received_on=meeting.held_on,
    )
    MeetingMatter.objects.create(meeting=meeting, grievance=grievance)
    return grievance


def ballots_from(post, grid):
    answers = {}
    for row in grid:
        for cell in row["cells"]:
            if cell["posting"]:
                key = (row["household"].pk, cell["posting"].person_id)
                answers[key] = post.get(f"r-{key[0]}-{key[1]}", "")
    return answers


@report_access("training.view_meeting")
def meeting_page(request, pk):
    """One meeting: the 民主评议 grid (households × their 片长/组长/邻长) and the matters raised."""
    user = request.user
    meeting = get_for_user_or_404(user, Meeting.objects.select_related("unit"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "matter":
                household = None
                if request.POST.get("household"):
                    household = get_for_user_or_404(user, Household, pk=request.POST["household"])
                category = GrievanceCategory.objects.filter(
                    pk=request.POST.get("category") or 0, is_active=True
                ).first()
                if category is None:
                    raise ValidationError("请选择诉求类别。")
                grievance = register_meeting_matter(
                    user=user, meeting=meeting, category=category,
                    description=request.POST.get("description", ""), household=household,
                )  # fmt: skip
                messages.success(request, f"已登记为群众诉求：{grievance}")
            else:
                created, changed = save_ratings(
                    user=user, meeting=meeting, answers=ballots_from(request.POST, rating_grid(meeting))
                )
                messages.success(request, f"评议已保存：新录入{created}项，修改{changed}项。")
        except ValidationError as error:
            messages.error(request, errors_of(error))
        else:
            return redirect(request.path)
    grid = rating_grid(meeting)
    return page(
        request,
        "training/meeting.html",
        f"{meeting.get_kind_display()}：{meeting.topic}",
        meeting=meeting,
        grid=grid,
        answers=Rating.Answer.choices,
        matters=meeting.matters.select_related("grievance"),
        categories=GrievanceCategory.objects.filter(is_active=True),
        households=[row["household"] for row in grid],
        can_rate=user.has_perm("training.add_rating"),
        can_register=user.has_perm("grievances.add_grievance"),
    )

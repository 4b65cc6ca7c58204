"""考核 pages: the batch page that creates a round for a village or township, and a round's table
(each evaluation with how its score was made), with the township's confirm button.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from core.scoping import get_for_user_or_404
from governance.models import Unit
from reports.pages import report_access
from reports.training_pages import errors_of, page
from training.evaluations import ROUND_LEVELS, compute_score, confirm_round, create_round, policy_for
from training.models import Evaluation, EvaluationRound
from training.models.evaluations import RoundKind


@report_access("training.add_evaluation")
def round_batch(request):
    """Create (or complete) a round: unit, year, kind; idempotent, so it may be run again."""
    user = request.user
    units = Unit.objects.restrict(user).filter(level__in=ROUND_LEVELS).order_by("path")
    if request.method == "POST":
        try:
            unit = get_for_user_or_404(user, units, pk=request.POST.get("unit") or 0)
            year = int(request.POST.get("year") or 0)
            kind = request.POST.get("kind")
            if kind not in RoundKind.values or not 2000 <= year <= timezone.localdate().year:
                raise ValidationError("请选择正确的年度和考核类型。")
            evaluation_round, created = create_round(user=user, unit=unit, year=year, kind=kind)
        except (ValidationError, ValueError) as error:
            messages.error(request, errors_of(error) if isinstance(error, ValidationError) else "年度应为数字。")
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{evaluation_round}：新生成{created}份考核。")
            return redirect("reports:training_round", pk=evaluation_round.pk)
    today = timezone.localdate()
    return page(
        request, "training/round_batch.html", "生成考核", units=units, kinds=RoundKind.choices,
        years=range(today.year, today.year - 3, -1),
        default_kind=RoundKind.HALF if today < datetime.date(today.year, 7, 1) else RoundKind.YEAR,
    )  # fmt: skip


@report_access("training.view_evaluationround")
def round_page(request, pk):
    user = request.user
    evaluation_round = get_for_user_or_404(user, EvaluationRound.objects.select_related("unit"), pk=pk)
    if request.method == "POST":
        try:
            confirm_round(user=user, evaluation_round=evaluation_round)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, errors_of(error) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"{evaluation_round}已确认，结果锁定。")
        return redirect(request.path)
    policy = policy_for(evaluation_round.unit)
    evaluations = (
        Evaluation.objects.restrict(user)
        .filter(round=evaluation_round)
        .select_related("person", "person__village", "posting", "posting__unit")
        .order_by("person__village__path", "person__name")
    )
    rows = [{"evaluation": e, "parts": compute_score(e.components, e.assessment_score, policy)[1]} for e in evaluations]
    return page(
        request, "training/round.html", str(evaluation_round), evaluation_round=evaluation_round, rows=rows,
        policy=policy, can_confirm=user.has_perm("training.change_evaluationround") and not evaluation_round.is_locked,
    )  # fmt: skip

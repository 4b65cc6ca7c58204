"""考核 rounds: create a round's evaluations in one batch, rescore, confirm (lock).

The score: each component present (measured, plus the officer's assessment once entered) times
its county weight, divided by the sum of the weights present (absent components renormalise the
rest, never count as zero). Grades from the county's thresholds. ``create_round`` runs a fixed
number of queries whatever the number of people: the postings in one query, the existing
evaluations in one, each measure in one or two, one bulk insert.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from governance.models import Posting
from governance.models.units import SEGMENT, Level
from training.measures import MEASURES, ONE_PLACE
from training.models import Evaluation, EvaluationPolicy, EvaluationRound

LOCKED = "该轮考核已由乡镇确认锁定，不能再修改。"
ROUND_LEVELS = (Level.VILLAGE, Level.TOWNSHIP)
# Which posting a person holding several is evaluated under (the first in this order).
ROLE_ORDER = [
    Posting.Role.AREA_LEADER,
    Posting.Role.GROUP_LEADER,
    Posting.Role.GRID_WORKER,
    Posting.Role.NEIGHBORHOOD_LEADER,
    Posting.Role.REPRESENTATIVE,
    Posting.Role.ELDER_MEDIATOR,
]
ASSESSMENT = "assessment"
ASSESSMENT_LABEL = "考核评分"


def policy_for(unit):
    """The county's policy, or the defaults (an unsaved policy) when the county set none."""
    county_path = unit.path[:SEGMENT]
    return EvaluationPolicy.objects.filter(county__path=county_path).first() or EvaluationPolicy()


def compute_score(components, assessment_score, policy):
    """(score, rows): rows are the components present with their share of the weight, for display."""
    weights = policy.weights()
    present = [dict(c, weight=weights.get(c["key"], 0)) for c in components]
    if assessment_score is not None:
        present.append(
            {"key": ASSESSMENT, "label": ASSESSMENT_LABEL, "value": f"{assessment_score}分",
             "score": str(assessment_score), "weight": weights.get(ASSESSMENT, 0)}
        )  # fmt: skip
    total_weight = sum(c["weight"] for c in present)
    if not total_weight:
        return None, present
    total = sum(Decimal(c["score"]) * c["weight"] for c in present) / total_weight
    for c in present:
        c["share"] = (Decimal(100 * c["weight"]) / total_weight).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    return total.quantize(ONE_PLACE, rounding=ROUND_HALF_UP), present


def measured_components(postings, start, end, policy, unit):
    """person id → the components present for them, in the order of MEASURES."""
    weights = policy.weights()
    found = {p.person_id: [] for p in postings}
    for measure in MEASURES.values():
        if not weights.get(measure.key):
            continue  # weight 0 (a county that leaves a component out): not computed, not shown
        for person_id, (value, score) in measure.compute(postings, start, end, policy, unit).items():
            if person_id in found:
                found[person_id].append(
                    {"key": measure.key, "label": measure.label, "value": value, "score": str(score)}
                )
    return found


def round_postings(unit, end):
    """One posting per person holding one in ``unit`` at the period's end (the first in ROLE_ORDER)."""
    postings = (
        Posting.objects.filter(Posting.scope_q(unit), start_date__lte=end, end_date__isnull=True)
        .select_related("unit", "person")
        .only("id", "person_id", "person__name", "role", "unit__path", "unit__level")
    )
    chosen = {}
    for posting in sorted(postings, key=lambda p: (ROLE_ORDER.index(p.role), p.pk)):
        chosen.setdefault(posting.person_id, posting)
    return list(chosen.values())


def check_may_write(user, unit, perm):
    if not user.has_perm(perm):
        raise PermissionDenied("您的账号没有办理考核的权限。")
    if not in_scope(unit, user):
        raise ValidationError("该单位不在您的管辖范围内。")


@transaction.atomic
def create_round(*, user, unit, year, kind, today=None):
    """Create (or complete) the round of ``unit`` with an evaluation for every person holding a posting.

    Idempotent: people already evaluated this year and kind (in this or another round) are left as
    they are; running it again adds only those appointed since. Refused once the round is locked.
    """
    check_may_write(user, unit, "training.add_evaluation")
    if unit.level not in ROUND_LEVELS:
        raise ValidationError("考核按村/社区或乡镇/街道批量生成。")
    return build_round(unit=unit, year=year, kind=kind, today=today)


@transaction.atomic
def build_round(*, unit, year, kind, today=None):
    """``create_round`` without the user's checks: for the demo builders and benchmarks."""
    evaluation_round, _ = EvaluationRound.objects.get_or_create(unit=unit, year=year, kind=kind)
    if evaluation_round.is_locked:
        raise ValidationError(LOCKED)
    start, end = evaluation_round.start, min(evaluation_round.end, today or timezone.localdate())
    postings = round_postings(unit, evaluation_round.end)
    done = set(
        Evaluation.objects.filter(year=year, kind=kind, person__village__path__startswith=unit.path).values_list(
            "person_id", flat=True
        )
    )
    postings = [p for p in postings if p.person_id not in done]
    policy = policy_for(unit)
    components = measured_components(postings, start, end, policy, unit)
    rows = []
    for posting in postings:
        score, _ = compute_score(components[posting.person_id], None, policy)
        rows.append(
            Evaluation(
                round=evaluation_round, person=posting.person, posting=posting, year=year, kind=kind,
                components=components[posting.person_id], score=score, grade=policy.grade_for(score),
            )
        )  # fmt: skip
    Evaluation.objects.bulk_create(rows, batch_size=500)
    return evaluation_round, len(rows)


@transaction.atomic
def rescore(*, user, evaluation, assessment_score, remarks=""):
    """The officer's assessment score and remarks; the total and grade follow. Refused when locked."""
    locked = (
        Evaluation.objects.restrict(user)
        .select_for_update()
        .select_related("round", "person")
        .filter(pk=evaluation.pk)
        .first()
    )
    if locked is None:
        raise ValidationError("没有找到该考核，或您无权办理。")
    if not user.has_perm("training.change_evaluation"):
        raise PermissionDenied("您的账号没有办理考核的权限。")
    if EvaluationRound.objects.filter(pk=locked.round_id, status=EvaluationRound.Status.CONFIRMED).exists():
        raise ValidationError(LOCKED)
    if assessment_score is not None and not (0 <= assessment_score <= 100):
        raise ValidationError({"assessment_score": "考核评分应在0到100之间。"})
    policy = policy_for(locked.person.village)
    locked.assessment_score, locked.remarks = assessment_score, remarks
    locked.score, _ = compute_score(locked.components, assessment_score, policy)
    locked.grade = policy.grade_for(locked.score)
    locked.save(update_fields=["assessment_score", "remarks", "score", "grade"])
    evaluation.score, evaluation.grade = locked.score, locked.grade
    return locked


@transaction.atomic
def confirm_round(*, user, evaluation_round):
    """The township confirms a round: from then on its evaluations cannot change."""
    if not user.has_perm("training.change_evaluationround"):
        raise PermissionDenied("您的账号没有确认考核的权限。")
    if not user.is_superuser and (user.unit is None or user.unit.level not in (Level.COUNTY, Level.TOWNSHIP)):
        raise PermissionDenied("考核结果由乡镇确认。")
    locked = EvaluationRound.objects.restrict(user).select_for_update().filter(pk=evaluation_round.pk).first()
    if locked is None:
        raise ValidationError("没有找到该考核轮次，或您无权办理。")
    if locked.is_locked:
        raise ValidationError(LOCKED)
    locked.status, locked.confirmed_at, locked.confirmed_by = EvaluationRound.Status.CONFIRMED, timezone.now(), user
    locked.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return locked

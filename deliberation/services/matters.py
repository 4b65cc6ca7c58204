"""The six steps (seed 003): 民意调查提事 → 征求意见谋事 → 公开透明亮事 → 村民表决定事 → 全程监督审事 → 回访调查评事.

The legal steps are the table ``TRANSITIONS`` and nowhere else: a step cannot be skipped (no
notice without a consultation, no vote before the notice period has run, no closure without a
survey). Each service checks its input and hands the workflow kit an ``apply`` that writes the
step's rows and returns the timeline note; the kit locks the matter through the user's scope,
refuses a stale version or an illegal step, sets the status, bumps ``version`` and writes the
MatterEvent, in one transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from core.workflow import Transition, Workflow
from deliberation.models import (
    NOTICE_MIN_DAYS,
    Consultation,
    Matter,
    MatterEvent,
    Notice,
    Objection,
    Opinion,
    Rule,
    Suggestion,
    SupervisionEntry,
    SurveyAnswer,
    Vote,
)
from deliberation.services.voting import check_meeting, record_vote

S = Matter.Status
A = MatterEvent.Action


def unchanged(matter, data):
    return matter.status


def vote_result(data):
    """The result the service computed, else the one the posted figures give (counts entry)."""
    if "result" in data:
        return data["result"]
    try:
        figures = {k: int(data[k]) for k in ("entitled", "present", "votes_for")}
    except (KeyError, TypeError, ValueError):
        return None
    rules = {k: data.get(k) or Rule.HALF for k in ("quorum_rule", "majority_rule")}
    return Vote(**figures, **rules).compute_result()


def vote_target(matter, data):
    """通过 → 表决通过; 未通过 → 表决未通过; 无效 (no quorum) → stays 公示中 for another sitting."""
    return {"passed": S.DECIDED, "failed": S.VOTED_DOWN}.get(vote_result(data), matter.status)


def consulted(matter):
    return matter.consultations.exists()


def has_notice(matter):
    return hasattr(matter, "notice")


def supervised(matter):
    return matter.supervision.exists()


def surveyed(matter):
    return matter.survey_answers.exists()


TRANSITIONS = {
    A.CONSULT: Transition("谋事（征求意见）", (S.PROPOSED, S.CONSULTING), S.CONSULTING),
    A.PUBLISH: Transition("亮事（张贴公示）", (S.CONSULTING,), S.NOTICE, guard=consulted),
    A.OBJECT: Transition("登记公示异议", (S.NOTICE,), unchanged),
    A.VOTE: Transition(
        "定事（录入表决结果）",
        (S.NOTICE,),
        vote_target,
        guard=has_notice,
        event_actions={S.NOTICE: A.NO_QUORUM, S.VOTED_DOWN: A.VOTE_FAILED},
    ),
    A.SUPERVISE: Transition("审事（监督记录）", (S.DECIDED, S.SUPERVISING), S.SUPERVISING),
    A.COMPLETE: Transition("完工，转入回访", (S.SUPERVISING,), S.EVALUATING, guard=supervised),
    A.SURVEY: Transition("评事（回访调查）", (S.EVALUATING,), unchanged),
    A.CLOSE: Transition("办结", (S.EVALUATING,), S.CLOSED, guard=surveyed),
    A.REJECT: Transition("不予立项", tuple(Matter.BEFORE_VOTE), S.REJECTED),
}

WORKFLOW = Workflow(
    model=Matter,
    transitions=TRANSITIONS,
    event_model=MatterEvent,
    event_fk="matter",
    noun="该议事事项",
    timeline_title="议事过程（六事）",
)
allowed_actions = WORKFLOW.allowed_actions
perform = WORKFLOW.perform


def required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def past_date(day, field, label):
    if day is None:
        raise ValidationError({field: f"请填写{label}。"})
    if day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    return day


def run(action, *, user, matter, expected_version, apply, data=None):
    return WORKFLOW.run(action, user=user, obj=matter, expected_version=expected_version, apply=apply, data=data)


@transaction.atomic
def propose_matter(
    *, user, village, title, description, proposer, category=Matter.Category.OTHER, estimated_cost=None,
    proposed_on=None, opinions=(),
):  # fmt: skip
    """提事: a matter registered for the village, with the opinions behind it grouped into it."""
    if village is None or not in_scope(village, user):
        raise ValidationError({"village": "该村/社区不在您的管辖范围内。"})
    proposed_on = past_date(proposed_on or timezone.localdate(), "proposed_on", "提事日期")
    if estimated_cost is not None and estimated_cost < 0:
        raise ValidationError({"estimated_cost": "预计费用不能为负数。"})
    opinions = list(opinions)
    for opinion in opinions:
        if opinion.village_id != village.pk or not in_scope(opinion, user):
            raise ValidationError({"opinions": "所选民意须是本村/社区的。"})
        if opinion.matter_id is not None:
            raise ValidationError({"opinions": f"民意“{opinion}”已归入其他议事事项。"})
    matter = Matter(
        village=village,
        title=required(title, "title", "请填写事项名称。"),
        category=category,
        description=required(description, "description", "请填写事项说明。"),
        proposer=required(proposer, "proposer", "请填写提议人。"),
        estimated_cost=estimated_cost,
        proposed_on=proposed_on,
        proposed_by=user,
        status=S.PROPOSED,
    )
    matter.full_clean()
    matter.save()
    if opinions:
        Opinion.objects.filter(pk__in=[o.pk for o in opinions], matter__isnull=True).update(matter=matter)
    note = f"提议人：{matter.proposer}。" + (f"依据民意{len(opinions)}条。" if opinions else "")
    WORKFLOW.record_event(matter, user=user, action=A.PROPOSE, note=note)
    return matter


def parse_suggestions(text):
    """One suggestion a line, "提出人：内容" (a full-width or ASCII colon); refused in Chinese otherwise."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        who, sep, what = line.replace(":", "：").partition("：")
        if not sep or not who.strip() or not what.strip():
            raise ValidationError({"suggestions": f"第{number}行请按“提出人：建议内容”填写。"})
        if len(who.strip()) > 32:
            raise ValidationError({"suggestions": f"第{number}行的提出人过长（不超过32字）。"})
        rows.append((who.strip(), what.strip()))
    return rows


@WORKFLOW.performs(A.CONSULT)
def consult(
    *, user, matter, held_on, body, participants, options="", meeting=None, suggestions="", expected_version=None
):
    """谋事: one round of consultation and the suggestions received (repeatable)."""
    past_date(held_on, "held_on", "征求意见日期")
    participants = required(participants, "participants", "请填写参加人员。")
    if body not in Consultation.Body.values:
        raise ValidationError({"body": "请选择征求意见的形式。"})
    rows = parse_suggestions(suggestions)

    def apply(m):
        if held_on < m.proposed_on:
            raise ValidationError({"held_on": "征求意见日期不能早于提事日期。"})
        check_meeting(meeting, m, held_on)
        consultation = Consultation.objects.create(
            matter=m, held_on=held_on, body=body, meeting=meeting, participants=participants,
            options=(options or "").strip(), recorded_by=user,
        )  # fmt: skip
        Suggestion.objects.bulk_create(
            [Suggestion(matter=m, consultation=consultation, made_by=w, text=t, made_on=held_on) for w, t in rows]
        )
        return (
            f"{consultation.get_body_display()}（{held_on:%Y-%m-%d}）：参加{participants}；收到意见建议{len(rows)}条。"
        )

    return run(A.CONSULT, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.PUBLISH)
def publish_notice(
    *, user, matter, text, posted_at, start_on, end_on, min_days=NOTICE_MIN_DAYS, photo=None, adopted=(),
    expected_version=None,
):  # fmt: skip
    """亮事: the plan posted for at least the days the village rules require (five by default);
    the suggestions the plan takes up are marked adopted, the others not."""
    text = required(text, "text", "请填写公示内容。")
    posted_at = required(posted_at, "posted_at", "请填写张贴地点。")
    past_date(start_on, "start_on", "公示开始日期")
    if end_on is None:
        raise ValidationError({"end_on": "请填写公示截止日期。"})
    min_days = min_days or NOTICE_MIN_DAYS
    if min_days < NOTICE_MIN_DAYS:
        raise ValidationError({"min_days": f"公示期不得少于{NOTICE_MIN_DAYS}天。"})
    days = (end_on - start_on).days + 1
    if days < min_days:
        earliest = start_on + datetime.timedelta(days=min_days - 1)
        raise ValidationError({"end_on": f"公示期须不少于{min_days}天，截止日期最早为{earliest:%Y-%m-%d}。"})
    adopted_ids = {s.pk for s in adopted}

    def apply(m):
        if start_on < m.proposed_on:
            raise ValidationError({"start_on": "公示开始日期不能早于提事日期。"})
        if Suggestion.objects.filter(pk__in=adopted_ids).exclude(matter=m).exists():
            raise ValidationError({"adopted": "所选建议须是本事项的。"})
        notice = Notice(
            matter=m, text=text, posted_at=posted_at, start_on=start_on, end_on=end_on, min_days=min_days,
            posted_by=user,
        )  # fmt: skip
        if photo:
            notice.photo = photo
        notice.days = days
        notice.full_clean()
        notice.save()
        m.suggestions.update(adopted=False)
        adopted_count = m.suggestions.filter(pk__in=adopted_ids).update(adopted=True)
        return f"公示于{posted_at}，{start_on:%Y-%m-%d}至{end_on:%Y-%m-%d}（{days}天）；采纳建议{adopted_count}条。"

    return run(A.PUBLISH, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.OBJECT)
def record_objection(*, user, matter, received_on, raised_by, text, response="", expected_version=None):
    """An objection received during the notice period and the answer given."""
    past_date(received_on, "received_on", "收到日期")
    raised_by = required(raised_by, "raised_by", "请填写提出人。")
    text = required(text, "text", "请填写异议内容。")

    def apply(m):
        if received_on < m.notice.start_on:
            raise ValidationError({"received_on": "收到日期不能早于公示开始日期。"})
        Objection.objects.create(matter=m, received_on=received_on, raised_by=raised_by, text=text,
                                 response=(response or "").strip())  # fmt: skip
        return f"{raised_by}提出异议：{text[:100]}" + (f"。答复：{response.strip()[:100]}" if response else "")

    return run(A.OBJECT, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.VOTE)
def hold_vote(*, user, matter, expected_version=None, **vote):
    """定事: the sitting's figures (or ballots), checked, its result computed and recorded.

    A sitting without the quorum is recorded as 无效 and the matter stays 公示中 for another one.
    """
    past_date(vote.get("held_on"), "held_on", "表决日期")
    return record_vote(WORKFLOW, user=user, matter=matter, expected_version=expected_version, vote=vote)


@WORKFLOW.performs(A.SUPERVISE)
def record_supervision(*, user, matter, entry_on, supervisor, progress, spending=0, photo=None, expected_version=None):
    """审事: the 村务监督委员会 records progress and spending (repeatable); spending adds up."""
    past_date(entry_on, "entry_on", "监督日期")
    supervisor = required(supervisor, "supervisor", "请填写监督人。")
    progress = required(progress, "progress", "请填写实施进度。")
    spending = spending or 0
    if spending < 0:
        raise ValidationError({"spending": "支出金额不能为负数。"})

    def apply(m):
        if m.decided_on and entry_on < m.decided_on:
            raise ValidationError({"entry_on": "监督日期不能早于表决通过日期。"})
        entry = SupervisionEntry(matter=m, entry_on=entry_on, supervisor=supervisor, progress=progress,
                                 spending=spending, recorded_by=user)  # fmt: skip
        if photo:
            entry.photo = photo
        entry.full_clean()
        entry.save()
        m.total_spent += spending
        return f"{supervisor}：{progress[:120]}" + (f"；支出{spending}元，累计{m.total_spent}元" if spending else "")

    return run(A.SUPERVISE, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.COMPLETE)
def complete_matter(*, user, matter, completed_on, note="", expected_version=None):
    """完工: the work is done; the village goes back to the households (评事)."""
    past_date(completed_on, "completed_on", "完工日期")

    def apply(m):
        if m.decided_on and completed_on < m.decided_on:
            raise ValidationError({"completed_on": "完工日期不能早于表决通过日期。"})
        m.completed_on = completed_on
        return f"完工（{completed_on:%Y-%m-%d}），累计支出{m.total_spent}元。{(note or '').strip()}".strip()

    return run(A.COMPLETE, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.SURVEY)
def record_survey(*, user, matter, household, answer, comment="", surveyed_on=None, expected_version=None):
    """评事: one household's answer to the follow-up survey (each household once)."""
    if household is None:
        raise ValidationError({"household": "请选择回访户。"})
    if answer not in SurveyAnswer.Answer.values:
        raise ValidationError({"answer": "请选择满意度。"})
    surveyed_on = past_date(surveyed_on or timezone.localdate(), "surveyed_on", "回访日期")
    if answer == SurveyAnswer.Answer.UNSATISFIED and not (comment or "").strip():
        raise ValidationError({"comment": "群众不满意时请记录其意见。"})

    def apply(m):
        if household.village_id != m.village_id:
            raise ValidationError({"household": "回访户须是本村/社区的农户。"})
        if m.survey_answers.filter(household=household).exists():
            raise ValidationError({"household": "该户已就此事项回访评议过。"})
        row = SurveyAnswer.objects.create(matter=m, household=household, answer=answer, surveyed_on=surveyed_on,
                                          comment=(comment or "").strip(), recorded_by=user)  # fmt: skip
        return f"{household}：{row.get_answer_display()}" + (f"（{row.comment}）" if row.comment else "")

    return run(A.SURVEY, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.CLOSE)
def close_matter(*, user, matter, outcome, closed_on=None, expected_version=None):
    """办结: the matter's outcome, after the survey."""
    outcome = required(outcome, "outcome", "请填写办理结果。")
    closed_on = past_date(closed_on or timezone.localdate(), "closed_on", "办结日期")

    def apply(m):
        m.outcome, m.closed_on = outcome, closed_on
        return outcome[:200]

    return run(A.CLOSE, user=user, matter=matter, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.REJECT)
def reject_matter(*, user, matter, reason, expected_version=None):
    """不予立项: before the vote, a matter may be dropped with its reason told to the villagers."""
    reason = required(reason, "reason", "不予立项时必须写明理由。")

    def apply(m):
        m.rejection_reason, m.closed_on = reason, timezone.localdate()
        return f"不予立项理由：{reason}"

    return run(A.REJECT, user=user, matter=matter, expected_version=expected_version, apply=apply)

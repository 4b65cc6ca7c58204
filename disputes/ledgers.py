"""两簿: the screening register (矛盾纠纷排查登记簿) and the mediation register (人民调解登记簿) as
ledgers (core.ledger): the admin's filtered, scoped list read in one query, parties' names, the
agreement's number and the latest revisit computed in SQL, personal fields masked."""

from django.db.models import Case, CharField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from core.expressions import joined_names
from core.ledger import Ledger
from core.ledger import LedgerColumn as C
from disputes.models import Dispute, DisputeParty, FulfilmentRevisit, RiskReport

RISK_LEDGER = Ledger(
    name="矛盾纠纷排查登记簿",
    model=RiskReport,
    columns=(
        C("id", "编号", width=8),
        C("township", "乡镇/街道", "village__parent__name"),
        C("village", "村/社区", "village__name", width=14),
        C("unit", "所在组/邻", "unit__name", width=14),
        C("household", "涉及农户", "household__head_name", width=10),
        C("screening_round", "排查轮次", "screening_round__title", width=22),
        C("found_on", "发现日期", width=12),
        C("found_by", "排查人", "found_by__name", width=10),
        C("dispute_type", "类型", width=12),
        C("parties", "涉及当事人", width=20),
        C("level", "风险等级", width=8),
        C("description", "隐患情况", width=40),
        C("measure", "采取措施", width=30),
        C("status", "状态", width=10),
        C("resolved_on", "化解日期", width=12),
        C("dispute", "转为纠纷", "dispute__title", width=24),
    ),
)

FULFILMENT_LABELS = dict(FulfilmentRevisit.Fulfilment.choices)
PARTY_NAME = Coalesce(NullIf(F("name"), Value("")), F("resident__name"))


def latest_fulfilment():
    """The fulfilment recorded by the dispute's latest revisit (a subquery, not a query per row)."""
    rows = FulfilmentRevisit.objects.filter(dispute=OuterRef("pk")).order_by("-revisited_on", "-pk")
    return Subquery(rows.values("fulfilment")[:1], output_field=CharField())


def agreement_number():
    """（2026）岭头人调字第7号 for a written agreement, empty for an oral one or none."""
    number = Concat(
        Value("（"), Cast("agreement__year", CharField()), Value("）"), F("agreement__committee__short_name"),
        Value("人调字第"), Cast("agreement__number", CharField()), Value("号"), output_field=CharField(),
    )  # fmt: skip
    return Case(When(agreement__number__isnull=False, then=number), default=Value(""), output_field=CharField())


MEDIATION_LEDGER = Ledger(
    name="人民调解登记簿",
    model=Dispute,
    columns=(
        C("id", "编号", width=8),
        C("township", "乡镇/街道", "village__parent__name"),
        C("village", "村/社区", "village__name", width=14),
        C("received_on", "登记日期", width=12),
        C("title", "纠纷名称", width=28),
        C("party_names", "当事人", joined_names(DisputeParty, "dispute", PARTY_NAME), width=20),
        C("dispute_type", "纠纷类型", width=12),
        C("source", "纠纷来源", width=14),
        C("facts", "纠纷简要情况", width=40),
        C("accepted_on", "受理日期", width=12),
        C("presiding", "调解主持人", "presiding__person__name", width=10),
        C("session_count", "调解次数", width=8),
        C("status", "调解结果", width=12),
        C("agreement_kind", "协议形式", "agreement__kind", width=10),
        C("agreement_number", "协议编号", agreement_number(), width=24),
        C("ended_on", "结案日期", width=12),
        C("failure_route", "调解不成告知途径", width=14),
        C("revisit_count", "回访次数", width=8),
        C("fulfilment", "履行情况", latest_fulfilment(), width=10, display=lambda v: FULFILMENT_LABELS.get(v, v)),
        C("escalated", "上报乡镇", width=8),
        C("lead_official", "包案领导", width=10),
        C("prevents_crime", "防止民转刑", width=10),
        C("prevents_mass_petition", "防止群体性上访", width=12),
    ),
)

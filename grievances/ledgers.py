"""The grievance ledger (诉求台账): the admin's filtered, scoped changelist read in one query by
``core.ledger`` (revisit count computed in SQL; the latest satisfaction is the grievance's own),
masked and escaped."""

from core.expressions import count_of
from core.ledger import Ledger
from core.ledger import LedgerColumn as C
from grievances.models import Grievance, Revisit

SATISFACTION_LABELS = dict(Revisit.Satisfaction.choices)


GRIEVANCE_LEDGER = Ledger(
    name="诉求台账",
    model=Grievance,
    columns=(
        C("id", "编号", width=8),
        C("township", "乡镇/街道", "village__parent__name"),
        C("village", "村/社区", "village__name", width=14),
        C("household", "反映户", "household__head_name", width=10),
        C("household_phone", "反映户电话", "household__phone", width=14),
        C("reporter_name", "反映人（非本村户籍）", width=12),
        C("reporter_phone", "反映人电话", width=14),
        C("channel", "来源渠道", width=10),
        C("category", "类别", "category__name", width=10),
        C("description", "诉求内容", width=36),
        C("urgency", "紧急程度", width=8),
        C("received_on", "受理日期", width=12),
        C("due_date", "承诺时限", width=12),
        C("status", "状态", width=8),
        C("handling_mode", "办理方式", width=10),
        C("escalated_to", "上报至", width=14),
        C("resolution", "办结情况", width=30),
        C("resolved_on", "办结日期", width=12),
        C("extension_count", "延期次数", width=8),
        C("revisits", "回访次数", count_of(Revisit, "grievance"), width=8),
        C("satisfaction", "满意度", width=10, display=lambda v: SATISFACTION_LABELS.get(v, v)),
    ),
)

"""The household and resident ledgers (户台账, 居民台账): the columns of the import/export resources,
read in one query (member counts and care categories computed in SQL) by ``core.ledger``."""

from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.expressions import joined_names
from core.ledger import Ledger, SheetSplit
from core.ledger import LedgerColumn as C
from households.models import Household, Resident, Visit

HOUSEHOLD_LEDGER = Ledger(
    name="户台账",
    model=Household,
    columns=(
        C("id", "编号", width=10),
        C("township", "乡镇/街道", "village__parent__name"),
        C("village", "村/社区", "village__name", width=14),
        C("neighborhood", "所属邻", "neighborhood__name", width=14),
        C("head_name", "户主姓名", width=10),
        C("address", "住址", width=28),
        C("phone", "联系电话", width=14),
        C("member_count", "人数", "resident_count", width=6),
        C(
            "care_categories",
            "特殊群体类别",
            joined_names(Household.care_categories.through, "household", "carecategory__name"),
            width=18,
        ),
        C("note", "备注", width=24),
    ),
)


def age_of(birth_date):
    """周岁 today, as ``Resident.age`` counts it (the birth date itself is never exported)."""
    if birth_date is None:
        return None
    today = timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


RESIDENT_LEDGER = Ledger(
    name="居民台账",
    model=Resident,
    columns=(
        C("id", "编号", width=10),
        C("village", "村/社区", "household__village__name", width=14),
        C("household", "户主", "household__head_name", width=10),
        C("name", "姓名", width=10),
        C("relation", "与户主关系", width=10),
        C("id_number", "身份证号", width=20),
        C("gender", "性别", width=6),
        C("age", "年龄", "birth_date", width=6, display=age_of),
        C("phone", "联系电话", width=14),
    ),
)


def month_title(month):
    return f"{month:%Y年%m月}" if month else "未填日期"


VISIT_LEDGER = Ledger(
    name="走访台账",
    model=Visit,
    # A county's year (~1.2M rows) is more than one Excel sheet holds: a sheet per month (~100k rows).
    split=SheetSplit(TruncMonth("visited_on"), month_title),
    columns=(
        C("id", "编号", width=10),
        C("township", "乡镇/街道", "household__village__parent__name"),
        C("village", "村/社区", "household__village__name", width=14),
        C("neighborhood", "所属邻", "household__neighborhood__name", width=14),
        C("household", "户主", "household__head_name", width=10),
        C("visitor", "走访人", "visitor__name", width=10),
        C("visited_on", "走访日期", width=12),
        C("method", "联系方式", width=10),
        C("topic", "交谈内容", width=30),
        C("hazard", "发现安全隐患", width=10),
        C("problem_found", "发现问题", width=8),
    ),
)

"""How a household import is shown: the preview table (numbers masked) and the one-line summary."""

from core.admin_import import SheetImporter
from core.masking import mask_phone
from households.imports import service
from households.imports.columns import COLUMNS, INSTRUCTIONS
from households.imports.diff import ACTION_LABELS, UNCHANGED

HEADERS = ["行号", "操作", "户号", "户主姓名", "联系电话", "家庭成员"]


def describe(outcome):
    """Households that change or are refused (unchanged ones are only counted)."""
    rows = []
    for group in outcome.items:
        if group.action == UNCHANGED:
            continue
        members = "、".join(
            f"{r.name}（{ACTION_LABELS.get(r.action, '')}）" for r in group.residents if r.action != UNCHANGED
        )
        phone = group.phone if "*" in group.phone else mask_phone(group.phone)
        rows.append(
            [group.row, ACTION_LABELS.get(group.action, ""), group.household_number, group.head_name, phone, members]
        )
    return HEADERS, rows


def summary(counts):
    h = {k: counts.get(f"households_{k}", 0) for k in ("create", "update", "unchanged", "refused")}
    r = {k: counts.get(f"residents_{k}", 0) for k in ("create", "update", "unchanged", "refused")}
    text = (
        f"户：新增{h['create']}户，修改{h['update']}户，不变{h['unchanged']}户"
        f"；居民：新增{r['create']}人，修改{r['update']}人，不变{r['unchanged']}人"
    )
    if h["refused"] or r["refused"]:
        text += f"；有问题：{h['refused']}户、{r['refused']}人"
    return text + "。"


HOUSEHOLD_IMPORTER = SheetImporter(
    title="户和家庭成员",
    columns=COLUMNS,
    instructions=INSTRUCTIONS,
    preview=service.preview,
    confirm=service.confirm,
    describe=describe,
    summary=summary,
    rows_title="将要写入的户",
    row_unit="户",
)

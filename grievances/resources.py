"""Export only (the ledger streams it: grievances/ledgers.py): the columns a user may choose on the
export form, named as the ledger's columns."""

from import_export import fields

from core.resources import ScopedModelResource
from grievances.models import Grievance


class GrievanceResource(ScopedModelResource):
    township = fields.Field(attribute="village__parent__name", column_name="乡镇/街道", readonly=True)
    village = fields.Field(attribute="village__name", column_name="村/社区", readonly=True)
    household = fields.Field(attribute="household__head_name", column_name="反映户", readonly=True)
    household_phone = fields.Field(attribute="household__phone", column_name="反映户电话", readonly=True)
    category = fields.Field(attribute="category__name", column_name="类别", readonly=True)
    revisits = fields.Field(column_name="回访次数", readonly=True)
    satisfaction = fields.Field(column_name="满意度", readonly=True)

    class Meta:
        model = Grievance
        fields = [
            "id", "township", "village", "household", "household_phone", "reporter_name", "reporter_phone",
            "channel", "category", "description", "urgency", "received_on", "due_date", "status", "handling_mode",
            "escalated_to", "resolution", "resolved_on", "extension_count", "revisits", "satisfaction",
        ]  # fmt: skip
        export_order = fields

"""Excel export/import of households and residents (scoped, masked, Chinese headers).

Import takes natural keys: the village by name, the 邻 by name under that village, care
categories by name separated by “、”. A row with 编号 updates that household (only if it lies in
the user's scope); a row without one adds a household. Exported phones are masked; a masked
phone in an imported row keeps the stored number, so an exported file can be re-imported as is.
"""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from core.masking import mask_phone
from core.resources import ScopedLookupWidget, ScopedModelResource
from governance.models import Neighborhood, Village
from households.models import CareCategory, Household, Resident, Visit

CATEGORY_SEPARATOR = "、"


class HouseholdResource(ScopedModelResource):
    export_select_related = ("village__parent", "neighborhood")
    id = fields.Field(attribute="id", column_name="编号", readonly=True)
    township = fields.Field(attribute="village__parent__name", column_name="乡镇/街道", readonly=True)
    village = fields.Field(
        attribute="village", column_name="村/社区", widget=ScopedLookupWidget(Village, label="村/社区")
    )
    neighborhood = fields.Field(
        attribute="neighborhood", column_name="所属邻", widget=widgets.ForeignKeyWidget(Neighborhood, field="name")
    )
    member_count = fields.Field(column_name="人数", readonly=True)
    care_categories = fields.Field(
        attribute="care_categories",
        column_name="特殊群体类别",
        widget=widgets.ManyToManyWidget(CareCategory, separator=CATEGORY_SEPARATOR, field="name"),
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "township",
            "village",
            "neighborhood",
            "head_name",
            "address",
            "phone",
            "member_count",
            "care_categories",
            "note",
        ]
        export_order = fields
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_member_count(self, household):
        return household.resident_count

    def get_instance(self, instance_loader, row):
        """编号 given: that household, which must be in scope; no 编号: a new household."""
        value = row.get("编号")
        if value in (None, ""):
            return None
        try:
            pk = int(str(value).strip().split(".")[0])
        except ValueError:
            raise ValidationError({"id": f"编号“{value}”不是有效的数字。"}) from None
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            raise ValidationError({"id": f"编号为{pk}的户不存在，或不在您的管辖范围内。"})
        return instance

    def before_import_row(self, row, **kwargs):
        """Natural keys that the model cannot check itself: the 邻 under the village, category names."""
        errors = {}
        names = [n.strip() for n in str(row.get("特殊群体类别") or "").split(CATEGORY_SEPARATOR) if n.strip()]
        known = set(CareCategory.objects.filter(name__in=names).values_list("name", flat=True))
        unknown = [n for n in names if n not in known]
        if unknown:
            errors["care_categories"] = f"特殊群体类别“{'、'.join(unknown)}”不存在。"
        neighborhood = str(row.get("所属邻") or "").strip()
        village_name = str(row.get("村/社区") or "").strip()
        if neighborhood and village_name:
            village = self.fields["village"].widget
            try:
                village_obj = village.clean(village_name, row)
            except ValueError:
                village_obj = None  # reported by the village column itself
            if village_obj is not None:
                matches = Neighborhood.objects.filter(path__startswith=village_obj.path, name=neighborhood).count()
                if matches == 0:
                    errors["neighborhood"] = f"{village_name}没有名为“{neighborhood}”的邻。"
                elif matches > 1:
                    errors["neighborhood"] = f"{village_name}有多个名为“{neighborhood}”的邻，无法确定是哪一个。"
        if errors:
            raise ValidationError(errors)
        super().before_import_row(row, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "neighborhood":
            return self._import_neighborhood(instance, row)
        if field.attribute == "phone":
            value = str(row.get(field.column_name) or "").strip()
            if "*" in value:
                if instance.pk and instance.phone and mask_phone(instance.phone) == value:
                    return None  # the masked export of the stored number: keep it
                raise ValueError("联系电话是打码后的号码，请填写完整号码。")
        return super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def _import_neighborhood(self, instance, row):
        name = str(row.get("所属邻") or "").strip()
        village = instance.village if instance.village_id else None
        if not name or village is None:
            instance.neighborhood = None
            return
        instance.neighborhood = Neighborhood.objects.filter(path__startswith=village.path, name=name).first()


class ResidentResource(ScopedModelResource):
    export_select_related = ("household__village",)
    household = fields.Field(attribute="household__head_name", column_name="户主", readonly=True)
    village = fields.Field(attribute="household__village__name", column_name="村/社区", readonly=True)
    # The age, not the birth date: the birth date is what the masked ID number hides.
    age = fields.Field(column_name="年龄", readonly=True)

    class Meta:
        model = Resident
        fields = ["id", "village", "household", "name", "relation", "id_number", "gender", "age", "phone"]
        export_order = fields

    def dehydrate_relation(self, resident):
        return resident.get_relation_display()

    def dehydrate_age(self, resident):
        return resident.age()

    def dehydrate_gender(self, resident):
        return resident.get_gender_display()


class VisitResource(ScopedModelResource):
    """Export only (the ledger streams it: households/ledgers.py); the columns a user may choose."""

    township = fields.Field(attribute="household__village__parent__name", column_name="乡镇/街道", readonly=True)
    village = fields.Field(attribute="household__village__name", column_name="村/社区", readonly=True)
    neighborhood = fields.Field(attribute="household__neighborhood__name", column_name="所属邻", readonly=True)
    household = fields.Field(attribute="household__head_name", column_name="户主", readonly=True)
    visitor = fields.Field(attribute="visitor__name", column_name="走访人", readonly=True)

    class Meta:
        model = Visit
        fields = [
            "id", "township", "village", "neighborhood", "household", "visitor", "visited_on", "method", "topic",
            "hazard", "problem_found",
        ]  # fmt: skip
        export_order = fields

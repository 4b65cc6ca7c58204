"""Excel exports of the roster, postings and 邻 (with household counts): scoped, masked, Chinese headers."""

from import_export import fields

from core.resources import ScopedModelResource
from governance.models import Neighborhood, Person, Posting


class PersonResource(ScopedModelResource):
    export_select_related = ("village__parent",)
    township = fields.Field(attribute="village__parent__name", column_name="乡镇/街道", readonly=True)
    village = fields.Field(attribute="village__name", column_name="所属村/社区", readonly=True)
    active_roles = fields.Field(column_name="现任职务", readonly=True)

    class Meta:
        model = Person
        fields = [
            "id", "township", "village", "name", "gender", "phone", "id_number",
            "is_party_member", "education", "is_reserve", "active_roles", "note",
        ]  # fmt: skip
        export_order = fields

    def dehydrate_gender(self, person):
        return person.get_gender_display()

    def dehydrate_education(self, person):
        return person.get_education_display()

    def dehydrate_is_party_member(self, person):
        return "是" if person.is_party_member else "否"

    def dehydrate_is_reserve(self, person):
        return "是" if person.is_reserve else "否"

    def dehydrate_active_roles(self, person):
        postings = getattr(person, "active_postings", None)
        if postings is None:
            postings = person.postings.filter(end_date__isnull=True)
        return "、".join(p.get_role_display() for p in postings)


class PostingResource(ScopedModelResource):
    export_select_related = ("person__village", "unit")
    person = fields.Field(attribute="person__name", column_name="人员", readonly=True)
    village = fields.Field(attribute="person__village__name", column_name="所属村/社区", readonly=True)
    unit = fields.Field(attribute="unit__name", column_name="任职单元", readonly=True)

    class Meta:
        model = Posting
        fields = [
            "id",
            "village",
            "person",
            "role",
            "unit",
            "start_date",
            "end_date",
            "selection_method",
            "end_reason",
            "note",
        ]
        export_order = fields

    def dehydrate_role(self, posting):
        return posting.get_role_display()

    def dehydrate_selection_method(self, posting):
        return posting.get_selection_method_display()

    def dehydrate_end_reason(self, posting):
        return posting.get_end_reason_display()


class NeighborhoodResource(ScopedModelResource):
    export_select_related = ("parent__parent__parent",)
    village = fields.Field(attribute="parent__parent__parent__name", column_name="村/社区", readonly=True)
    group = fields.Field(attribute="parent__name", column_name="组/网格", readonly=True)
    household_count = fields.Field(attribute="household_count", column_name="户数", readonly=True)
    has_leader = fields.Field(column_name="在任邻长", readonly=True)

    class Meta:
        model = Neighborhood
        fields = ["id", "village", "group", "name", "household_count", "has_leader"]
        export_order = fields

    def dehydrate_has_leader(self, neighborhood):
        has_leader = getattr(neighborhood, "has_leader", None)
        if has_leader is None:
            has_leader = neighborhood.postings.filter(
                role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True
            ).exists()
        return "有" if has_leader else "无"

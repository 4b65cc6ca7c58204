"""Admin for the 三长 roster (Person) and postings (任职): inlines, validation across rows, and the
办理离任 action that ends postings through ``governance.services`` (history is kept, never deleted).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_export import ScopedExportMixin
from core.admin_import import SheetImportMixin
from governance.admin_mixins import (
    ProtectedDeleteMixin,
    ViewerMixin,
    VillageLabelMixin,
    ancestor_name,
    exact_search,
    unit_chain,
    unit_filters,
    with_person_label,
)
from governance.imports.service import ROSTER_IMPORTER
from governance.models import Person, Posting
from governance.models.units import Level
from governance.resources import PersonResource, PostingResource
from governance.services import ACTIVE_LEADER_TAKEN, end_posting


class PostingInlineFormSet(BaseInlineFormSet):
    """Checks across the rows of one submit that the per-row validation cannot see.

    Row validation skips constraints on the inline's own foreign key, and two new rows never see
    each other: both would reach the database constraint and fail as a 500.
    """

    def clean(self):
        super().clean()
        rows = [f for f in self.forms if f.is_valid() and f.has_changed() and not self._should_delete_form(f)]
        # Rows edited in this submit are judged by their new values, the rest by the database.
        own_pks = [f.instance.pk for f in rows if f.instance.pk]
        leaders, holders = {}, {}
        for form in rows:
            posting = form.instance
            if posting.end_date is not None or not posting.unit_id or not posting.person_id:
                continue
            key = (posting.unit_id, posting.role)
            if posting.role in Posting.SINGLE_HOLDER_ROLES:
                if key in leaders:
                    form.add_error(None, f"同一单元只能有一名在任的{posting.get_role_display()}，本次提交填写了两名。")
                    continue
                leaders[key] = form
                current = (
                    Posting.objects.filter(unit_id=posting.unit_id, role=posting.role, end_date__isnull=True)
                    .exclude(pk__in=own_pks)
                    .select_related("person")
                    .first()
                )
                if current is not None:
                    form.add_error(
                        None, ACTIVE_LEADER_TAKEN.format(role=posting.get_role_display(), name=current.person)
                    )
                    continue
            if (posting.person_id, *key) in holders:
                form.add_error(None, "此人已在该单元担任该职务，本次提交重复填写。")
            holders[(posting.person_id, *key)] = form


class PostingInlineBase(VillageLabelMixin, ScopedTabularInline):
    model = Posting
    formset = PostingInlineFormSet
    can_delete = False  # a posting ends (离任) and stays as history

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "unit")


class PostingInline(PostingInlineBase):
    fields = ["role", "unit", "start_date", "selection_method", "end_date", "end_reason", "note"]
    autocomplete_fields = ["unit"]
    verbose_name_plural = "任职记录（离任请填写离任日期和原因，记录会保留）"


class UnitPostingInline(PostingInlineBase):
    fields = ["person", "role", "start_date", "selection_method", "end_date", "end_reason", "note"]
    autocomplete_fields = ["person"]
    verbose_name_plural = "任职人员（离任请填写离任日期和原因，记录会保留）"


@admin.register(Person)
class PersonAdmin(SheetImportMixin, ScopedExportMixin, ViewerMixin, ProtectedDeleteMixin, ScopedModelAdmin):
    resource_classes = [PersonResource]
    sheet_importer = ROSTER_IMPORTER  # 三长花名册: people with their postings (governance/imports/)
    list_display = ["name", "village", "gender", "phone", "is_party_member", "is_reserve", "active_roles"]
    list_filter = [
        *unit_filters("village", [Level.TOWNSHIP, Level.VILLAGE]),
        "is_party_member",
        "is_reserve",
        "gender",
        "postings__role",
    ]
    search_fields = ["name"]
    search_help_text = "可输入姓名、手机号或身份证号"
    autocomplete_fields = ["village"]
    list_select_related = ["village"]
    inlines = [PostingInline]
    fields = [
        "unit_chain_display",
        "village",
        "name",
        "gender",
        "phone",
        "id_number",
        "is_party_member",
        "education",
        "is_reserve",
        "note",
    ]
    readonly_fields = ["unit_chain_display"]

    @admin.display(description="所属层级")
    def unit_chain_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return unit_chain(getattr(obj, "_viewer", None), obj.village)

    def get_queryset(self, request):
        active = Posting.objects.filter(end_date__isnull=True)
        return with_person_label(
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("postings", queryset=active, to_attr="active_postings"))
        )

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        exact = exact_search(search_term, id_fields=["id_number"], phone_fields=["phone"])
        if exact is not None:
            return queryset.filter(exact), False
        return super().get_search_results(request, queryset, search_term.strip())

    @admin.display(description="现任职务")
    def active_roles(self, obj):
        postings = getattr(obj, "active_postings", None)
        if postings is None:
            return "—"
        return "、".join(p.get_role_display() for p in postings) or "—"


def by_election_link(posting):
    """'虎溪村一邻的邻长已空缺：补选' with a link to a new posting prefilled for the by-election."""
    query = f"unit={posting.unit_id}&role={posting.role}&selection_method={Posting.SelectionMethod.BY_ELECTION}"
    return format_html(
        '“{}”的{}已空缺：<a href="{}?{}">补选</a>',
        posting.unit,
        posting.get_role_display(),
        reverse("admin:governance_posting_add"),
        query,
    )


class EndPostingForm(forms.Form):
    end_date = forms.DateField(label="离任日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_reason = forms.ChoiceField(label="离任原因", choices=[("", "---------"), *Posting.EndReason.choices])


@admin.register(Posting)
class PostingAdmin(ScopedExportMixin, VillageLabelMixin, ScopedModelAdmin):
    resource_classes = [PostingResource]
    list_display = ["person", "role", "unit", "village", "start_date", "selection_method", "end_date", "end_reason"]
    list_filter = [
        *unit_filters("unit", [Level.TOWNSHIP, Level.VILLAGE, Level.AREA, Level.VILLAGER_GROUP]),
        "role",
        ("end_date", admin.EmptyFieldListFilter),
        "end_reason",
        "selection_method",
    ]
    search_fields = ["person__name", "unit__name"]
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit"]
    date_hierarchy = "start_date"
    actions = ["end_postings"]
    fields = ["person", "role", "unit", "start_date", "selection_method", "end_date", "end_reason", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(village_name=ancestor_name(Level.VILLAGE, "unit__path"))

    @admin.display(description="所属村/社区", ordering="village_name")
    def village(self, obj):
        return obj.village_name or "—"

    def has_delete_permission(self, request, obj=None):
        # History is kept: a posting ends (办理离任); only a superuser removes a mistaken entry.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.action(description="办理离任", permissions=["change"])
    def end_postings(self, request, queryset):
        form = EndPostingForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            postings = list(queryset.select_related("person", "unit"))
            try:
                with transaction.atomic():
                    for posting in postings:
                        current = posting
                        end_posting(
                            posting=posting,
                            end_date=form.cleaned_data["end_date"],
                            end_reason=form.cleaned_data["end_reason"],
                            actor=request.user,
                        )
            except ValidationError as exc:
                text = "；".join(exc.messages)
                self.message_user(request, f"“{current}”无法办理离任：{text} 所选任职均未办理。", messages.ERROR)
            else:
                self.message_user(request, f"已为 {len(postings)} 条任职办理离任，记录已保留在任职历史中。")
                for posting in postings:
                    if posting.role in Posting.SINGLE_HOLDER_ROLES:
                        self.message_user(request, by_election_link(posting), messages.WARNING)
                return None
        elif not form.is_bound:
            form = EndPostingForm(initial={"end_date": timezone.localdate()})
        context = {
            **self.admin_site.each_context(request),
            "title": "办理离任",
            "opts": self.model._meta,
            "form": form,
            "postings": queryset.select_related("person", "unit"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/governance/posting/end_postings.html", context)

"""Forms for the grievance admin: registration, detail corrections, and one small form per transition.

Transition forms (core.workflow.forms.TransitionForm) and the detail form carry the version the
user saw; a POST without it is refused, and the service refuses it if the grievance moved since.
"""

from django import forms
from django.utils import timezone

from core.submission import SubmissionTokenModelFormMixin
from core.workflow.forms import TransitionForm, VersionedFormMixin, version_field
from governance.models import Person, Posting
from grievances.models import Grievance, GrievanceCategory, GrievanceEvent, Revisit
from grievances.services import EDITABLE_FIELDS, default_due_date

A = GrievanceEvent.Action
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GrievanceAddForm(SubmissionTokenModelFormMixin, forms.ModelForm):
    """已登记: a household in scope, or a non-resident reporter with the village they reported to."""

    class Meta:
        model = Grievance
        fields = [
            "household",
            "village",
            "reporter_name",
            "reporter_phone",
            "channel",
            "category",
            "description",
            "urgency",
            "received_on",
            "due_date",
        ]
        widgets = {"received_on": DATE, "due_date": DATE, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "village": "本村户籍群众请选择反映户；非本村户籍反映人请选择受理的村/社区并填写姓名",
            "due_date": "不填则按紧急程度自动计算（一般15天、紧急7天、特急3天）",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("village", "received_on", "due_date"):
            if name in self.fields:
                self.fields[name].required = False
        if "received_on" in self.fields:
            self.fields["received_on"].initial = timezone.localdate
        if "category" in self.fields:
            self.fields["category"].queryset = GrievanceCategory.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        household, village = data.get("household"), data.get("village")
        if household is not None:
            data["village"] = household.village  # the household's village, as the service records it
        else:
            if village is None:
                self.add_error("village", "请选择反映户；非本村户籍反映人请选择受理的村/社区。")
            if not (data.get("reporter_name") or "").strip():
                self.add_error("reporter_name", "请选择反映户，或填写非本村户籍反映人的姓名。")
        received_on = data.get("received_on") or timezone.localdate()
        if received_on > timezone.localdate():
            self.add_error("received_on", "受理日期不能晚于今天。")
        data["received_on"] = received_on
        due_date = data.get("due_date") or default_due_date(received_on, data.get("urgency"))
        if due_date < received_on:
            self.add_error("due_date", "承诺时限不能早于受理日期。")
        data["due_date"] = due_date
        return data


class GrievanceChangeForm(VersionedFormMixin, forms.ModelForm):
    """Corrections to an open grievance's registered details (the rest belongs to transitions)."""

    version_field_name = "seen_version"
    seen_version = version_field()

    class Meta:
        model = Grievance
        fields = EDITABLE_FIELDS
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seen_version" in self.fields and self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version


class VerifyForm(TransitionForm):
    note = forms.CharField(label="核实情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(TransitionForm):
    reason = forms.CharField(label="不予受理理由", widget=forms.Textarea(attrs={"rows": 3}))


class HandleForm(TransitionForm):
    handling_mode = forms.ChoiceField(
        label="办理方式", choices=Grievance.HandlingMode.choices, widget=forms.RadioSelect
    )
    escalated_to = forms.CharField(
        label="上报至", required=False, max_length=64, help_text="上报上级时填写：乡镇名称或县直部门名称"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("handling_mode") == Grievance.HandlingMode.ESCALATED and not data.get("escalated_to", "").strip():
            self.add_error("escalated_to", "上报上级时必须填写上报至哪个乡镇或县直部门。")
        return data


class ReplyForm(TransitionForm):
    reply = forms.CharField(label="上级答复", widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(TransitionForm):
    resolution = forms.CharField(label="办结情况", widget=forms.Textarea(attrs={"rows": 4}))
    resolved_on = forms.DateField(label="办结日期", required=False, widget=DATE, initial=timezone.localdate)


class RevisitForm(TransitionForm):
    satisfaction = forms.ChoiceField(label="满意度", choices=Revisit.Satisfaction.choices, widget=forms.RadioSelect)
    revisited_on = forms.DateField(label="回访日期", required=False, widget=DATE, initial=timezone.localdate)
    revisitor = forms.ModelChoiceField(label="回访人", queryset=Person.objects.none(), required=False)
    comment = forms.CharField(label="群众意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revisitor"].queryset = (
            Person.objects.restrict(self.user).filter(village_id=self.obj.village_id).order_by("name")
        )
        # 事后敲门回访 is the household's own 邻长's: prefilled, the officer may choose another.
        if self.obj.household_id and self.obj.household.neighborhood_id:
            self.fields["revisitor"].initial = (
                Posting.objects.filter(
                    unit_id=self.obj.household.neighborhood_id,
                    role=Posting.Role.NEIGHBORHOOD_LEADER,
                    end_date__isnull=True,
                )
                .values_list("person_id", flat=True)
                .first()
            )

    def clean(self):
        data = super().clean()
        if data.get("satisfaction") == Revisit.Satisfaction.UNSATISFIED and not data.get("comment", "").strip():
            self.add_error("comment", "群众不满意时请记录其意见。")
        return data


class ArchiveForm(TransitionForm):
    note = forms.CharField(label="归档说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(TransitionForm):
    due_date = forms.DateField(label="新的承诺时限", widget=DATE)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


TRANSITION_FORMS = {
    A.VERIFY: VerifyForm,
    A.REJECT: RejectForm,
    A.HANDLE: HandleForm,
    A.REPLY: ReplyForm,
    A.RESOLVE: ResolveForm,
    A.REVISIT: RevisitForm,
    A.ARCHIVE: ArchiveForm,
    A.EXTEND: ExtendForm,
}

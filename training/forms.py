"""Admin forms of the training app: the audience roles as ticks instead of raw JSON."""

from django import forms
from django.utils import timezone

from core.workflow.forms import TransitionForm
from governance.models import Posting
from training.models import Adjustment, TrainingSession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SessionForm(forms.ModelForm):
    audience_roles = forms.MultipleChoiceField(
        label="参训对象（职务）",
        choices=Posting.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选则为全部职务",
    )

    class Meta:
        model = TrainingSession
        fields = [
            "organiser", "level", "topic", "title", "held_on", "start_time", "end_time", "hours", "place",
            "trainer", "materials", "audience_roles", "audience_units",
        ]  # fmt: skip
        widgets = {"held_on": DATE, "start_time": TIME, "end_time": TIME}

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours is not None and not (0 < hours <= 24):
            raise forms.ValidationError("学时应大于0且不超过24。")
        return hours


class AdjustmentAddForm(forms.ModelForm):
    class Meta:
        model = Adjustment
        fields = ["posting", "kind", "reason", "evaluation", "proposed_on"]
        widgets = {"proposed_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}


class ApproveForm(TransitionForm):
    decision = forms.CharField(label="乡镇意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(TransitionForm):
    decision = forms.CharField(label="乡镇意见", widget=forms.Textarea(attrs={"rows": 3}))


class CarryOutForm(TransitionForm):
    carried_out_on = forms.DateField(label="离任日期", required=False, widget=DATE, initial=timezone.localdate)


ADJUSTMENT_FORMS = {"approve": ApproveForm, "reject": RejectForm, "carry_out": CarryOutForm}

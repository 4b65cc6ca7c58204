"""The phone form for logging a visit: three visible fields, the rest folded away."""

from django import forms
from django.utils import timezone

from core.submission import SubmissionTokenFormMixin
from grievances.models import GrievanceCategory, Revisit
from households.models import Visit


class VisitForm(SubmissionTokenFormMixin, forms.Form):
    """Visible: method (default 入户走访), what was talked about, and the 发现问题 toggle.

    Checking 发现问题 reveals category and description (the grievance); date and safety hazard sit
    in a folded "更多" section with sensible defaults (today, none).
    """

    method = forms.ChoiceField(
        label="联系方式", choices=Visit.Method.choices, initial=Visit.Method.DOOR, widget=forms.RadioSelect
    )
    topic = forms.CharField(
        label="交谈内容",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "聊了什么、了解到什么情况"}),
    )
    problem_found = forms.BooleanField(label="发现问题，登记群众诉求", required=False)
    category = forms.ModelChoiceField(
        label="问题类别",
        queryset=GrievanceCategory.objects.filter(is_active=True),
        required=False,
        empty_label="请选择",
        error_messages={"invalid_choice": "请选择有效的问题类别。"},
    )
    description = forms.CharField(
        label="问题描述",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "群众反映的问题、诉求"}),
    )
    visited_on = forms.DateField(
        label="走访日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写正确的日期，例如 2026-05-01。"},
    )
    hazard = forms.ChoiceField(label="发现安全隐患", choices=[("", "无"), *Visit.Hazard.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["method"].error_messages["invalid_choice"] = "请选择有效的联系方式。"
        self.fields["method"].error_messages["required"] = "请选择联系方式。"
        self.fields["hazard"].error_messages["invalid_choice"] = "请选择有效的隐患类型。"

    def clean_visited_on(self):
        visited_on = self.cleaned_data.get("visited_on") or timezone.localdate()
        if visited_on > timezone.localdate():
            raise forms.ValidationError("走访日期不能晚于今天。")
        return visited_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("problem_found"):
            if not cleaned.get("category") and "category" not in self.errors:
                self.add_error("category", "请选择问题类别。")
            if not (cleaned.get("description") or "").strip():
                self.add_error("description", "请填写发现的问题。")
        elif not (cleaned.get("topic") or "").strip():
            self.add_error("topic", "请填写交谈内容。")
        return cleaned


class RevisitForm(forms.Form):
    """事后回访 on the phone: three big buttons and the household's words (required for 不满意)."""

    satisfaction = forms.ChoiceField(
        label="群众满意吗？",
        choices=Revisit.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择群众的满意程度。", "invalid_choice": "请选择群众的满意程度。"},
    )
    comment = forms.CharField(
        label="群众意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "群众怎么说（不满意时必填）"}),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "页面已过期，请返回列表重新打开。", "invalid": "页面已过期，请返回列表重新打开。"},
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("satisfaction") == Revisit.Satisfaction.UNSATISFIED
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", "群众不满意时请记录其意见。")
        return cleaned

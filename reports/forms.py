"""The period picker shared by every report page (the unit comes from ?unit=, resolved in scope)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_errors(label):
    return {"invalid": "日期格式不正确，请按 2026-05-01 的格式填写。", "required": f"请填写{label}。"}


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=DATE, error_messages=date_errors("开始日期"))
    end = forms.DateField(label="结束日期", widget=DATE, error_messages=date_errors("结束日期"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("结束日期不能早于开始日期。")
        return data


def presets(today):
    """(label, start, end) of the period shortcuts offered above every report."""
    month_start = today.replace(day=1)
    last_month_end = month_start - datetime.timedelta(days=1)
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        ("本月", month_start, today),
        ("上月", last_month_end.replace(day=1), last_month_end),
        ("本季度", quarter_start, today),
        ("本年", today.replace(month=1, day=1), today),
        ("上一年", datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
    ]

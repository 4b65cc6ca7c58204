"""矛盾纠纷 on the phone: report a risk from a household (three fields), the leader's open risks and
due fulfilment revisits on one page, the revisit form, and 零报告 for the 邻 in the village's
current screening rounds (disputes.services)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.submission import FORM_FIELD, SubmissionTokenFormMixin
from disputes.models import Dispute, DisputeType, FulfilmentRevisit, RiskReport
from disputes.selectors import screening_todo
from disputes.services import file_zero_report, record_fulfilment_revisit, report_risk
from households.models import Household
from households.services import visitor_for
from mobile.views import phone_page

LIST_LIMIT = 30


class RiskForm(SubmissionTokenFormMixin, forms.Form):
    dispute_type = forms.ChoiceField(label="什么矛盾", choices=DisputeType.choices, initial=DisputeType.NEIGHBOUR)
    level = forms.ChoiceField(
        label="严重程度", choices=RiskReport.Level.choices, initial=RiskReport.Level.ORDINARY, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="情况说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请简单说明矛盾情况（谁和谁、因为什么）。"},
    )


class DisputeRevisitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    fulfilment = forms.ChoiceField(
        label="协议履行了吗？", choices=FulfilmentRevisit.Fulfilment.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择履行情况。"},
    )  # fmt: skip
    satisfaction = forms.ChoiceField(
        label="当事人满意吗？", choices=FulfilmentRevisit.Satisfaction.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择当事人满意度。"},
    )  # fmt: skip
    rebounded = forms.BooleanField(label="矛盾又闹起来了（反弹）", required=False)
    follow_up = forms.ChoiceField(
        label="下一步", choices=FulfilmentRevisit.FollowUp.choices, initial="none", widget=forms.RadioSelect
    )
    note = forms.CharField(label="回访情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def due_revisits(user, today):
    return (
        Dispute.objects.restrict(user)
        .deadline("revisit_due", today)
        .select_related("household", "agreement")
        .order_by("revisit_due_on", "pk")
    )


@phone_page("disputes.view_riskreport")
def dispute_home(request):
    """The leader's open risks (跟进中/持续关注) and the disputes whose revisit is due."""
    user, today = request.user, timezone.localdate()
    risks = (
        RiskReport.objects.restrict(user)
        .filter(status__in=RiskReport.OPEN_STATUSES)
        .select_related("household")
        .order_by("-found_on", "-pk")
    )
    revisits = due_revisits(user, today) if user.has_perm("disputes.add_fulfilmentrevisit") else Dispute.objects.none()
    context = {
        "risks": list(risks[:LIST_LIMIT]),
        "risk_count": risks.count(),
        "revisits": list(revisits[:LIST_LIMIT]),
        "today": today,
    }
    return render(request, "mobile/disputes_home.html", context)


@phone_page("disputes.add_riskreport")
def risk_create(request, pk):
    """报告矛盾纠纷隐患 from a household's page: three fields, saved once however often it is tapped."""
    user = request.user
    household = Household.objects.get_for_user_or_404(user, pk=pk)
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_risk(
                user=user,
                household=household,
                dispute_type=data["dispute_type"],
                level=data["level"],
                description=data["description"],
                found_by=visitor_for(user),
                submission_token=data[FORM_FIELD],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"已报告{household.head_name}户的矛盾隐患，村调委会将跟进。")
            return redirect("mobile:dispute_home")
    return render(request, "mobile/risk_form.html", {"form": form, "household": household})


@phone_page("disputes.add_fulfilmentrevisit")
def dispute_revisit(request, pk):
    """履行回访 of one mediated dispute; 重新调解 sends it back to the committee."""
    user = request.user
    dispute = Dispute.objects.select_related("household", "agreement").get_for_user_or_404(user, pk=pk)
    revisitor = visitor_for(user)
    if revisitor is None:
        raise PermissionDenied("您的账号未关联在任的组长/邻长等人员，无法记录回访，请联系村干部。")
    if dispute.status != Dispute.Status.SUCCEEDED and request.method == "GET":
        messages.info(request, f"该纠纷当前状态为“{dispute.get_status_display()}”，不需要履行回访。")
        return redirect("mobile:dispute_home")
    form = DisputeRevisitForm(request.POST or None, initial={"version": dispute.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_fulfilment_revisit(
                user=user,
                dispute=dispute,
                fulfilment=data["fulfilment"],
                satisfaction=data["satisfaction"],
                rebounded=data["rebounded"],
                follow_up=data["follow_up"],
                note=data["note"],
                revisitor=revisitor,
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"已记录“{dispute.title}”的履行回访。")
            return redirect("mobile:dispute_home")
    context = {"form": form, "dispute": dispute, "revisitor": revisitor}
    return render(request, "mobile/dispute_revisit_form.html", context)


class ZeroReportForm(forms.Form):
    screening_round = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明（可不填）", required=False, max_length=128)


@phone_page("disputes.add_zeroreport")
def screening_rounds(request):
    """排查零报告: the village's current rounds, each of the user's 邻 with what it reported; one tap
    files "本轮未发现矛盾纠纷隐患" for a 邻 that has reported nothing."""
    user = request.user
    todo = screening_todo(user)
    if request.method == "POST":
        form = ZeroReportForm(request.POST)
        if not form.is_valid():
            raise Http404("没有找到该排查轮次或组/邻。")
        data = form.cleaned_data
        found = [
            (item.screening_round, row)
            for item in todo
            for row in item.rows
            if item.screening_round.pk == data["screening_round"] and row.unit.pk == data["unit"]
        ]
        if not found:  # not a current round of the user's village, or not one of their 邻
            raise Http404("没有找到该排查轮次或组/邻。")
        screening_round, row = found[0]
        try:
            file_zero_report(user=user, screening_round=screening_round, unit=row.unit, reporter=visitor_for(user),
                             note=data["note"])  # fmt: skip
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已报{row.unit.name}“{screening_round}”零报告。")
        return redirect("mobile:screening_rounds")
    return render(request, "mobile/screening_rounds.html", {"todo": todo, "today": timezone.localdate()})

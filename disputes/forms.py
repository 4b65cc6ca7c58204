"""Forms of the dispute admin: registration, detail corrections, one small form per step.

Transition forms carry the version the user saw (core.workflow.forms.TransitionForm); the
service refuses the step if the dispute moved since.
"""

from django import forms
from django.utils import timezone

from core.workflow.forms import TransitionForm, VersionedFormMixin, version_field
from disputes.models import Agreement, CommitteeMember, Dispute, DisputeEvent, DisputeParty, FulfilmentRevisit
from disputes.services import EDITABLE_FIELDS
from governance.models import Person

A = DisputeEvent.Action
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
RETENTION_CHOICES = [("", "---------"), ("永久", "永久"), ("长期", "长期"), ("短期", "短期")]


class DisputeAddForm(forms.ModelForm):
    class Meta:
        model = Dispute
        fields = [
            "village",
            "household",
            "title",
            "dispute_type",
            "source",
            "facts",
            "requests",
            "persons_involved",
            "prevents_crime",
            "prevents_mass_petition",
            "received_on",
        ]
        widgets = {"received_on": DATE, "facts": forms.Textarea(attrs={"rows": 4}), "requests": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].required = False
        self.fields["received_on"].initial = timezone.localdate


class DisputeChangeForm(VersionedFormMixin, forms.ModelForm):
    version_field_name = "seen_version"
    seen_version = version_field()

    class Meta:
        model = Dispute
        fields = EDITABLE_FIELDS
        widgets = {"facts": forms.Textarea(attrs={"rows": 4}), "requests": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seen_version" in self.fields and self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version


class PartyInlineFormSet(forms.BaseInlineFormSet):
    """Two parties or more, each a resident or a named outside person."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(kept) < 2:
            raise forms.ValidationError("纠纷须有两方及以上当事人。")
        for form in kept:
            if form.cleaned_data.get("resident") is None and not (form.cleaned_data.get("name") or "").strip():
                form.add_error("name", "请选择本村居民，或填写非本村当事人的姓名。")


class PartyForm(forms.ModelForm):
    class Meta:
        model = DisputeParty
        fields = [
            "side",
            "resident",
            "name",
            "gender",
            "age",
            "ethnicity",
            "occupation",
            "address",
            "phone",
            "id_number",
        ]


class AcceptForm(TransitionForm):
    accepted_on = forms.DateField(label="受理日期", required=False, widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="受理意见", required=False, widget=TEXT)


class RejectForm(TransitionForm):
    reason = forms.CharField(label="不予受理理由", widget=TEXT, help_text="如：已经诉讼或仲裁、不属于人民调解范围")


class AssignForm(TransitionForm):
    presiding = forms.ModelChoiceField(label="调解主持人", queryset=CommitteeMember.objects.none())
    reason = forms.CharField(
        label="更换理由", required=False, widget=TEXT, help_text="更换主持人时填写，如当事人申请回避"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presiding"].queryset = (
            CommitteeMember.objects.restrict(self.user)
            .filter(committee_id=self.obj.committee_id, end_date__isnull=True)
            .select_related("person")
        )


class InvestigateForm(TransitionForm):
    investigation = forms.CharField(label="调查核实情况", widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.CharField(label="证据清单", required=False, widget=TEXT)


class NotifyForm(TransitionForm):
    signed = forms.BooleanField(label="各方当事人已在权利义务告知书上签字", required=False)
    notified_on = forms.DateField(label="告知日期", required=False, widget=DATE, initial=timezone.localdate)

    def clean(self):
        data = super().clean()
        if not data.get("signed"):
            self.add_error("signed", "请确认各方当事人已在权利义务告知书上签字。")
        return data


class MediateForm(TransitionForm):
    held_on = forms.DateField(label="调解日期", widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label="调解地点", max_length=64, initial="村调解室")
    participants = forms.CharField(label="参加人员", max_length=200)
    record = forms.CharField(label="调解记录", widget=forms.Textarea(attrs={"rows": 5}))


class SucceedForm(TransitionForm):
    kind = forms.ChoiceField(
        label="协议形式", choices=Agreement.Kind.choices, widget=forms.RadioSelect, initial="written"
    )
    disputed_points = forms.CharField(label="纠纷事实与争议事项", required=False, widget=TEXT)
    responsibilities = forms.CharField(label="各方责任", required=False, widget=TEXT)
    terms = forms.CharField(label="协议内容", widget=forms.Textarea(attrs={"rows": 5}))
    fulfil_method = forms.CharField(label="履行方式", required=False, max_length=128)
    fulfil_place = forms.CharField(label="履行地点", required=False, max_length=64)
    fulfil_by = forms.DateField(label="履行期限", required=False, widget=DATE)
    signed_on = forms.DateField(label="签订日期", required=False, widget=DATE, initial=timezone.localdate)


class FailForm(TransitionForm):
    failure_route = forms.ChoiceField(
        label="告知当事人的途径", choices=Dispute.FailureRoute.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label="调解不成的原因", widget=TEXT)


class WithdrawForm(TransitionForm):
    reason = forms.CharField(label="撤回情况", widget=TEXT)


class ExtendForm(TransitionForm):
    due_date = forms.DateField(label="新的调解期限", widget=DATE)
    consent = forms.CharField(label="当事人同意情况", widget=TEXT, help_text="如：双方当事人于某日书面同意延期")


class EscalateForm(TransitionForm):
    escalated_to = forms.CharField(label="上报至", max_length=64, help_text="乡镇综治中心、司法所等")
    lead_official = forms.CharField(label="包案领导", max_length=32, required=False)
    reason = forms.CharField(label="说明", required=False, widget=TEXT)


class RevisitForm(TransitionForm):
    fulfilment = forms.ChoiceField(
        label="履行情况", choices=FulfilmentRevisit.Fulfilment.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label="当事人满意度", choices=FulfilmentRevisit.Satisfaction.choices, widget=forms.RadioSelect
    )
    rebounded = forms.BooleanField(label="纠纷反弹", required=False)
    follow_up = forms.ChoiceField(
        label="后续措施", choices=FulfilmentRevisit.FollowUp.choices, initial="none", widget=forms.RadioSelect
    )
    revisited_on = forms.DateField(label="回访日期", required=False, widget=DATE, initial=timezone.localdate)
    revisitor = forms.ModelChoiceField(label="回访人", queryset=Person.objects.none(), required=False)
    note = forms.CharField(label="回访情况", required=False, widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revisitor"].queryset = (
            Person.objects.restrict(self.user).filter(village_id=self.obj.village_id).order_by("name")
        )


class ConfirmForm(TransitionForm):
    step = forms.ChoiceField(
        label="登记事项",
        choices=[("request", "申请司法确认"), ("confirmed", "法院裁定确认有效"), ("refused", "法院驳回申请")],
        widget=forms.RadioSelect,
    )
    court = forms.CharField(label="受理法院", required=False, max_length=64)
    on = forms.DateField(label="日期", required=False, widget=DATE, initial=timezone.localdate)


class ArchiveForm(TransitionForm):
    file_number = forms.CharField(label="卷号", max_length=32)
    filed_by = forms.CharField(label="立卷人", max_length=32)
    retention = forms.ChoiceField(label="保管期限", choices=RETENTION_CHOICES)


TRANSITION_FORMS = {
    A.ACCEPT: AcceptForm,
    A.REJECT: RejectForm,
    A.ASSIGN: AssignForm,
    A.INVESTIGATE: InvestigateForm,
    A.NOTIFY: NotifyForm,
    A.MEDIATE: MediateForm,
    A.SUCCEED: SucceedForm,
    A.FAIL: FailForm,
    A.WITHDRAW: WithdrawForm,
    A.EXTEND: ExtendForm,
    A.ESCALATE: EscalateForm,
    A.REVISIT: RevisitForm,
    A.CONFIRM: ConfirmForm,
    A.ARCHIVE: ArchiveForm,
}

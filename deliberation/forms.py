"""Forms of the matter admin: registration (提事) and one small form per step (the workflow kit's).

Transition forms carry the version the user saw; the services refuse a stale one. Choices (opinions,
meetings, households, suggestions, representatives) come from the user's scope and the matter's village.
"""

import datetime

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone

from core.workflow.forms import TransitionForm
from deliberation.models import (
    NOTICE_MIN_DAYS,
    Ballot,
    Consultation,
    Matter,
    MatterEvent,
    Opinion,
    Rule,
    SurveyAnswer,
    Vote,
)
from deliberation.models.steps import PHOTO_EXTENSIONS, validate_photo_size
from deliberation.services import entitled_count, entitled_representatives
from households.models import Household

A = MatterEvent.Action
PHOTO_VALIDATORS = [FileExtensionValidator(PHOTO_EXTENSIONS, message="请上传JPG或PNG照片。"), validate_photo_size]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})
# training.Meeting, reached through the relation this app declares (siblings never import each other).
MEETING = Consultation._meta.get_field("meeting").related_model


def village_meetings(user, matter):
    return MEETING.objects.restrict(user).filter(unit__path__startswith=matter.village.path).order_by("-held_on")


class OpinionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        who = f"{obj.household.head_name}户" if obj.household_id else obj.village.name
        return f"{obj.collected_on:%m-%d} {who} · {obj.topic}：{obj.text[:24]}"


class MatterAddForm(forms.ModelForm):
    """提事: the matter and the collected opinions behind it (not yet in another matter)."""

    opinions = OpinionChoiceField(
        label="依据的民意",
        queryset=Opinion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选本村尚未归入事项的民意（可不选）",
    )

    class Meta:
        model = Matter
        fields = ["village", "title", "category", "description", "proposer", "estimated_cost", "proposed_on"]
        widgets = {"proposed_on": DATE, "description": TEXT}
        help_texts = {
            "title": "如：修建三组至五组通组公路",
            "proposer": "如：村党支部、村民委员会、10名以上村民联名",
            "estimated_cost": "不涉及费用可不填",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["opinions"].queryset = (
                Opinion.objects.restrict(user)
                .filter(matter__isnull=True)
                .select_related("village", "household")
                .order_by("village__path", "topic", "-collected_on")
            )
        self.fields["proposed_on"].initial = timezone.localdate

    def clean(self):
        data = super().clean()
        village = data.get("village")
        if village is not None and any(o.village_id != village.pk for o in data.get("opinions") or []):
            self.add_error("opinions", "所选民意须是本村/社区的。")
        return data


class MatterDetailForm(forms.ModelForm):
    """The registered matter is read-only: it changes only through its steps."""

    class Meta:
        model = Matter
        fields = []


class ConsultForm(TransitionForm):
    held_on = forms.DateField(label="征求意见日期", widget=DATE, initial=timezone.localdate)
    body = forms.ChoiceField(label="形式", choices=Consultation.Body.choices)
    meeting = forms.ModelChoiceField(
        label="会议记录",
        queryset=MEETING.objects.none(),
        required=False,
        help_text="在恳谈会、说事日或代表大会上征求的，请选择该次会议",
    )
    participants = forms.CharField(label="参加人员", max_length=200, help_text="如：村两委成员5人、村民代表12人")
    options = forms.CharField(label="讨论的方案", required=False, widget=TEXT)
    suggestions = forms.CharField(
        label="收到的意见建议",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一条，格式：提出人：建议内容",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = village_meetings(self.user, self.obj)


class PublishForm(TransitionForm):
    text = forms.CharField(
        label="公示内容", widget=forms.Textarea(attrs={"rows": 8}), help_text="实施方案、资金预算、采纳的意见等"
    )
    posted_at = forms.CharField(label="张贴地点", max_length=100, initial="村务公开栏")
    start_on = forms.DateField(label="公示开始日期", widget=DATE, initial=timezone.localdate)
    end_on = forms.DateField(label="公示截止日期", widget=DATE)
    min_days = forms.IntegerField(
        label="最少公示天数",
        initial=NOTICE_MIN_DAYS,
        min_value=NOTICE_MIN_DAYS,
        help_text=f"按村规民约，不少于{NOTICE_MIN_DAYS}天",
    )
    photo = forms.FileField(
        label="公示照片", required=False, validators=PHOTO_VALIDATORS, help_text="张贴后拍照上传（JPG/PNG）"
    )
    adopted = forms.ModelMultipleChoiceField(
        label="采纳的意见建议", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted"].queryset = self.obj.suggestions.all()
        self.fields["end_on"].initial = timezone.localdate() + datetime.timedelta(days=NOTICE_MIN_DAYS - 1)
        self.fields["min_days"].error_messages["min_value"] = f"公示期不得少于{NOTICE_MIN_DAYS}天。"


class ObjectionForm(TransitionForm):
    received_on = forms.DateField(label="收到日期", widget=DATE, initial=timezone.localdate)
    raised_by = forms.CharField(label="提出人", max_length=32)
    text = forms.CharField(label="异议内容", widget=TEXT)
    response = forms.CharField(label="答复情况", required=False, widget=TEXT)


VOTER_PREFIX = "voter_"


class VoteForm(TransitionForm):
    has_roll = True  # the page lays the representatives out as a table
    body = forms.ChoiceField(label="表决机构", choices=Vote.Body.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label="表决日期", widget=DATE, initial=timezone.localdate)
    meeting = forms.ModelChoiceField(label="会议记录", queryset=MEETING.objects.none(), required=False)
    quorum_rule = forms.ChoiceField(label="到会要求（应到人数的）", choices=Rule.choices, initial=Rule.HALF)
    majority_rule = forms.ChoiceField(label="通过要求（实到人数的）", choices=Rule.choices, initial=Rule.HALF)
    method = forms.ChoiceField(
        label="录入方式", choices=Vote.Method.choices, initial=Vote.Method.COUNTS, widget=forms.RadioSelect
    )
    entitled = forms.IntegerField(label="应到人数（户）", min_value=1, required=False)
    present = forms.IntegerField(label="实到人数（户）", min_value=0, required=False)
    votes_for = forms.IntegerField(label="同意", min_value=0, required=False)
    votes_against = forms.IntegerField(label="反对", min_value=0, required=False)
    abstentions = forms.IntegerField(label="弃权", min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        village = self.obj.village
        self.fields["meeting"].queryset = village_meetings(self.user, self.obj)
        households = entitled_count(village, Vote.Body.ASSEMBLY)
        self.voters = list(entitled_representatives(village))
        self.fields["entitled"].help_text = f"按票数录入时填写。本村共{households}户、在任村民代表{len(self.voters)}人"
        choices = [("", "缺席"), *Ballot.Choice.choices]
        for person in self.voters:
            self.fields[f"{VOTER_PREFIX}{person.pk}"] = forms.ChoiceField(
                label=person.name, choices=choices, required=False
            )

    def plain_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith(VOTER_PREFIX)]

    def voter_fields(self):
        return [f for f in self.visible_fields() if f.name.startswith(VOTER_PREFIX)]

    def clean(self):
        data = super().clean()
        if data.get("method") == Vote.Method.COUNTS:
            for name in ("entitled", "present", "votes_for", "votes_against", "abstentions"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "按票数录入时请填写此项。")
        return data

    def service_kwargs(self):
        data = super().service_kwargs()
        people = {p.pk: p for p in self.voters}
        ballots = {}
        for name in list(data):
            if name.startswith(VOTER_PREFIX):
                choice = data.pop(name)
                if choice:
                    ballots[people[int(name[len(VOTER_PREFIX) :])]] = choice
        data["ballots"] = ballots if data.get("method") == Vote.Method.BALLOTS else {}
        for name in ("entitled", "present", "votes_for", "votes_against", "abstentions"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


class SuperviseForm(TransitionForm):
    entry_on = forms.DateField(label="监督日期", widget=DATE, initial=timezone.localdate)
    supervisor = forms.CharField(label="监督人", max_length=32, help_text="村务监督委员会成员")
    progress = forms.CharField(label="实施进度", widget=TEXT)
    spending = forms.DecimalField(label="本次支出（元）", min_value=0, max_digits=12, decimal_places=2, initial=0)
    photo = forms.FileField(label="现场照片", required=False, validators=PHOTO_VALIDATORS, help_text="JPG/PNG")


class CompleteForm(TransitionForm):
    completed_on = forms.DateField(label="完工日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="完工情况", required=False, widget=TEXT)


class SurveyForm(TransitionForm):
    household = forms.ModelChoiceField(label="回访户", queryset=Household.objects.none())
    answer = forms.ChoiceField(label="满意度", choices=SurveyAnswer.Answer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="群众意见", required=False, max_length=200)
    surveyed_on = forms.DateField(label="回访日期", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = (
            Household.objects.restrict(self.user)
            .filter(village_id=self.obj.village_id)
            .exclude(deliberation_answers__matter=self.obj)
            .order_by("head_name", "pk")
        )


class CloseForm(TransitionForm):
    outcome = forms.CharField(label="办理结果", widget=TEXT, help_text="如：道路已硬化通车，群众满意率95%")
    closed_on = forms.DateField(label="办结日期", widget=DATE, initial=timezone.localdate)


class RejectForm(TransitionForm):
    reason = forms.CharField(label="不予立项理由", widget=TEXT)


TRANSITION_FORMS = {
    A.CONSULT: ConsultForm,
    A.PUBLISH: PublishForm,
    A.OBJECT: ObjectionForm,
    A.VOTE: VoteForm,
    A.SUPERVISE: SuperviseForm,
    A.COMPLETE: CompleteForm,
    A.SURVEY: SurveyForm,
    A.CLOSE: CloseForm,
    A.REJECT: RejectForm,
}

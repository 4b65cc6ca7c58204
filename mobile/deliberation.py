"""群众议事 on the phone: a 邻长 records an opinion heard from a household (three fields), and the
matters open for notice on the village's noticeboard, for villagers' representatives to read
(deliberation.selectors.open_notices)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from core.submission import FORM_FIELD, SubmissionTokenFormMixin, is_duplicate
from deliberation.models import Opinion
from deliberation.selectors import days_left, open_notices
from deliberation.services import record_opinion
from households.models import Household
from households.services import visitor_for
from mobile.views import phone_page

LIST_LIMIT = 30
PHONE_CHANNELS = [
    (c.value, c.label)
    for c in (Opinion.Channel.VISIT, Opinion.Channel.WECHAT, Opinion.Channel.TALK_DAY, Opinion.Channel.OTHER)
]


class OpinionForm(SubmissionTokenFormMixin, forms.Form):
    topic = forms.CharField(
        label="说的是什么事", max_length=64, error_messages={"required": "请填写议题（如：修路、饮水、路灯）。"}
    )
    text = forms.CharField(
        label="群众的意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请写下群众的意见或建议。"},
    )
    channel = forms.ChoiceField(
        label="在哪听到的", choices=PHONE_CHANNELS, initial=Opinion.Channel.VISIT, widget=forms.RadioSelect
    )


@phone_page("deliberation.view_matter")
def deliberation_home(request):
    """公示中的事项 of the user's village, and the opinions the user recorded lately."""
    user, today = request.user, timezone.localdate()
    notices = [(m, days_left(m.notice, today)) for m in open_notices(user, today)[:LIST_LIMIT]]
    mine = (
        Opinion.objects.restrict(user).filter(recorded_by=user).select_related("household", "matter")
        if user.has_perm("deliberation.view_opinion")
        else Opinion.objects.none()
    )
    context = {"notices": notices, "opinions": list(mine.order_by("-collected_on", "-pk")[:LIST_LIMIT])}
    return render(request, "mobile/deliberation_home.html", context)


@phone_page("deliberation.add_opinion")
def opinion_create(request, pk):
    """记民意 from a household's page: saved once however often it is tapped."""
    user = request.user
    household = Household.objects.get_for_user_or_404(user, pk=pk)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_opinion(
                user=user,
                household=household,
                topic=data["topic"],
                text=data["text"],
                channel=data["channel"],
                collected_by=visitor_for(user),
                submission_token=data[FORM_FIELD],
            )
        except ValidationError as error:
            if not is_duplicate(error):
                form.add_error(None, error.messages)
            else:
                messages.warning(request, error.messages[0])
                return redirect("mobile:deliberation_home")
        else:
            messages.success(request, f"已记录{household.head_name}户的意见，村里提事时会汇总。")
            return redirect("mobile:deliberation_home")
    return render(request, "mobile/opinion_form.html", {"form": form, "household": household})

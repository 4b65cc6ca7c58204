"""Phone pages for 组长/邻长 and village cadres (mounted at /m/): due list, log a visit, compliance, cards.

Every household and unit is reached through ``restrict(user)`` / ``get_for_user_or_404``: anything
outside the user's unit answers 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme

from core.admin_audit import log_if_minor
from core.paginator import ShortListPaginator
from core.submission import FORM_FIELD, is_duplicate
from governance.models import Unit
from governance.models.units import Level, is_below_village, level_depth
from grievances.models import Grievance
from grievances.services import report_problem_from_visit
from households.models import Household
from households.selectors import contact_cards, contact_compliance, contact_status, households_for_contact
from households.services import log_visit, visitor_for
from mobile.forms import VisitForm
from training.talk_days import next_talk_day

LOGIN_URL = "mobile:login"
PAGE_SIZE = 30
CARD_LEVELS = [Level.VILLAGER_GROUP, Level.NEIGHBORHOOD]


def phone_page(perm):
    """Login through the phone login page, then require the model permission ``perm`` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied("您的账号没有使用此功能的权限。")
            return view(request, *args, **kwargs)

        return login_required(wrapper, login_url=LOGIN_URL)

    return decorator


class MobileLoginView(auth_views.LoginView):
    template_name = "mobile/login.html"
    redirect_authenticated_user = True
    next_page = "mobile:home"


class MobileLogoutView(auth_views.LogoutView):
    next_page = "mobile:login"


def is_cadre(user):
    """Village cadres and above (and superusers) see the compliance page in the phone menu."""
    return user.is_superuser or (user.unit_id is not None and not is_below_village(user.unit.level))


def can_log_visits(user):
    """Who is offered "记走访": an account linked to its roster Person, or a 片/组/邻 leader's account
    (``visitor_for`` finds the person through its posting). County and township staff, who are on no
    roster, are offered the contact card instead. Decided without a query: it is asked on every list."""
    if not user.has_perm("households.add_visit") or user.unit_id is None:
        return False
    return user.person_id is not None or is_below_village(user.unit.level)


def home_unit(user):
    """The unit pages start from: the user's own, or the county for a superuser."""
    return user.unit if user.unit_id else Unit.objects.filter(level=Level.COUNTY).order_by("path").first()


@phone_page("households.view_household")
def home(request):
    user = request.user
    context = {"is_cadre": is_cadre(user), "unit": user.unit, "can_visit": can_log_visits(user)}
    context["next_talk_day"] = next_talk_day(timezone.localdate())  # told to households on visits
    if user.has_perm("grievances.add_revisit"):
        context["revisits_due"] = Grievance.objects.restrict(user).awaiting_revisit().count()
    return render(request, "mobile/home.html", context)


def filter_units(user):
    """组 and 邻 a village cadre or leader can filter by (none above village level: too many)."""
    unit = user.unit
    if unit is None or not (unit.level == Level.VILLAGE or is_below_village(unit.level)):
        return []
    return list(
        Unit.objects.restrict(user)
        .under(unit, include_self=False)
        .filter(level__in=CARD_LEVELS)
        .only("id", "name", "level", "path")
        .order_by("path")
    )


@phone_page("households.view_household")
def due_list(request):
    """我的待联系户: the most overdue first, paginated, optionally one 组/邻 and all households."""
    user = request.user
    today = timezone.localdate()
    unit = None
    if request.GET.get("unit"):
        unit = Unit.objects.get_for_user_or_404(user, pk=request.GET["unit"])
    show_all = request.GET.get("show") == "all"
    queryset = households_for_contact(user, unit=unit, today=today, due_only=not show_all)
    page = ShortListPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"household": h, **contact_status(h, today)} for h in page]
    can_visit = can_log_visits(user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mobile/due_list.html",
        {
            "page": page,
            "rows": rows,
            "unit": unit,
            "units": filter_units(user),
            "show_all": show_all,
            "can_visit": can_visit,
            "query": query.urlencode(),
            "today": today,
        },
    )


@phone_page("households.add_visit")
def visit_create(request, pk):
    """Log a visit in one step; a found problem becomes a grievance linked to it."""
    user = request.user
    household = Household.objects.get_for_user_or_404(user, pk=pk)
    log_if_minor(request, household)
    visitor = visitor_for(user)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "user": user,
            "household": household,
            "visitor": visitor,
            "visited_on": data["visited_on"],
            "method": data["method"],
            "topic": data["topic"].strip(),
            "hazard": data["hazard"],
            "submission_token": data[FORM_FIELD],
        }
        try:
            if visitor is None:
                raise ValidationError("您的账号未关联在任的组长/邻长等人员，无法记录走访，请联系村干部。")
            if data["problem_found"]:
                if not user.has_perm("grievances.add_grievance"):
                    raise PermissionDenied("您的账号没有登记群众诉求的权限。")
                report_problem_from_visit(**common, category=data["category"], description=data["description"].strip())
                messages.success(request, f"已记录{household}的走访，并登记了群众诉求，村干部将尽快核实。")
            else:
                log_visit(**common, problem_found=False)
                messages.success(request, f"已记录{household}的走访。")
        except ValidationError as error:
            if not is_duplicate(error):
                form.add_error(None, error.messages)
            else:  # a double tap: the first submission was saved, say so and go back to the list
                messages.warning(request, error.messages[0])
                return redirect(_back_url(request))
        else:
            return redirect(_back_url(request))
    return render(request, "mobile/visit_form.html", {"form": form, "household": household, "visitor": visitor})


def _back_url(request):
    """Where the visit form returns to: the list it came from (same site only), else the due list."""
    back = request.GET.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("mobile:due_list")
    return back


def safe_date(value, default):
    """A date from a query parameter, ``default`` when absent, None when malformed."""
    if not value:
        return default
    try:
        return parse_date(value)
    except ValueError:
        return None


def parse_period(request):
    """(start, end, errors) from ?start=&end=, defaulting to this month up to today."""
    today = timezone.localdate()
    errors = []
    start = safe_date(request.GET.get("start"), today.replace(day=1))
    end = safe_date(request.GET.get("end"), today)
    if start is None or end is None:
        errors.append("日期格式不正确，请按 2026-05-01 的格式填写。")
        start, end = today.replace(day=1), today
    elif start > end:
        errors.append("开始日期不能晚于结束日期。")
        start, end = end, start
    return start, end, errors


@phone_page("households.view_household")
def compliance(request):
    """联系率: per child unit of the chosen unit, for a period (see selectors.contact_compliance)."""
    user = request.user
    if request.GET.get("unit"):
        unit = Unit.objects.get_for_user_or_404(user, pk=request.GET["unit"])
    else:
        unit = home_unit(user)
        if unit is None:
            raise PermissionDenied("您的账号未设置所属单元。")
    start, end, errors = parse_period(request)
    report = contact_compliance(user, unit=unit, start=start, end=end)
    return render(
        request,
        "mobile/compliance.html",
        {
            "report": report,
            "errors": errors,
            "parent": unit.parent if unit.parent_id and unit != home_unit(user) else None,
            "drill": level_depth(unit.level) < level_depth(Level.NEIGHBORHOOD),
        },
    )


@phone_page("households.view_household")
def cards_index(request):
    """Pick a 组 or 邻 to print the contact cards of all its households."""
    return render(request, "mobile/cards_index.html", {"units": filter_units(request.user), "own": request.user.unit})


@phone_page("households.view_household")
def unit_cards(request, pk):
    """Print all: one 联系卡 per household of a 组 or 邻, four A6 cards per A4 page."""
    unit = Unit.objects.get_for_user_or_404(request.user, pk=pk, level__in=CARD_LEVELS)
    households = Household.objects.restrict(request.user, within=unit)
    return render(request, "cards/cards.html", {"cards": contact_cards(households), "title": f"{unit.name} 联系卡"})


@phone_page("households.view_household")
def household_card(request, pk):
    cards = contact_cards(Household.objects.restrict(request.user).filter(pk=pk))
    if not cards:
        raise Http404("没有找到该记录，或您无权查看。")
    return render(request, "cards/cards.html", {"cards": cards, "title": f"{cards[0]['household']} 联系卡"})

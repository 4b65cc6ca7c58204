"""The report pages: grievance statistics and contact compliance, each a page and an Excel export.

A new report is a selector built on core.reports plus one ``ReportPage`` here and two URLs.
"""

from deliberation.models import Matter
from deliberation.selectors import deliberation_stats
from disputes.models import Dispute
from disputes.selectors import dispute_stats
from grievances.models import Grievance
from grievances.selectors import grievance_stats
from households.models import Household
from households.selectors import contact_compliance
from reports.pages import ReportPage, export_view, page_view
from training.models import TrainingSession
from training.selectors import training_stats

GRIEVANCES = ReportPage(
    name="grievance_stats",
    title="群众诉求统计",
    perm="grievances.view_grievance",
    model=Grievance,
    selector=lambda user, unit, start, end, today: grievance_stats(user, unit=unit, start=start, end=end, today=today),
    default_start=lambda today: today.replace(month=1, day=1),  # this year
)

COMPLIANCE = ReportPage(
    name="compliance",
    title="联系率统计",
    perm="households.view_household",
    model=Household,
    selector=lambda user, unit, start, end, today: contact_compliance(user, unit=unit, start=start, end=end),
    default_start=lambda today: today.replace(day=1),  # this month
)

grievance_stats_page = page_view(GRIEVANCES)
grievance_stats_export = export_view(GRIEVANCES)
compliance_page = page_view(COMPLIANCE)
compliance_export = export_view(COMPLIANCE)

DISPUTES = ReportPage(
    name="dispute_stats",
    title="矛盾纠纷统计",
    perm="disputes.view_dispute",
    model=Dispute,
    selector=lambda user, unit, start, end, today: dispute_stats(user, unit=unit, start=start, end=end, today=today),
    default_start=lambda today: today.replace(month=1, day=1),  # this year
)
dispute_stats_page = page_view(DISPUTES)
dispute_stats_export = export_view(DISPUTES)

TRAINING = ReportPage(
    name="training_stats",
    title="队伍建设统计",
    perm="training.view_trainingsession",
    model=TrainingSession,
    selector=lambda user, unit, start, end, today: training_stats(user, unit=unit, start=start, end=end, today=today),
    default_start=lambda today: today.replace(month=1, day=1),  # this year
)
training_stats_page = page_view(TRAINING)
training_stats_export = export_view(TRAINING)

DELIBERATION = ReportPage(
    name="deliberation_stats",
    title="群众议事统计",
    perm="deliberation.view_matter",
    model=Matter,
    selector=lambda user, unit, start, end, today: deliberation_stats(user, unit=unit, start=start, end=end),
    default_start=lambda today: today.replace(month=1, day=1),  # this year
)
deliberation_stats_page = page_view(DELIBERATION)
deliberation_stats_export = export_view(DELIBERATION)

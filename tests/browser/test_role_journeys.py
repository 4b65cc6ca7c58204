"""Each role's main journey in a real browser (issue 14): what the page says at every step.

leader (phone): 待回访 → the revisit → 满意; village (desktop): the work queue → 核实 → 办理 → 办结;
county (desktop): statistics → drill down → Excel export.
"""

import datetime
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grievances.models import Grievance, Revisit
from tests.browser.conftest import admin_log_in
from tests.browser.test_leader_visit_flow import log_in
from tests.factories import GrievanceFactory
from tests.mobile.mobile_helpers import leader_person

TODAY = timezone.localdate()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_leader_revisits_a_resolved_problem_on_the_phone(live_server, cast, phone):
    branch = cast.branches[0]
    person = leader_person(branch)
    GrievanceFactory(
        household=branch.households[0],
        status=Grievance.Status.RESOLVED,
        handling_mode=Grievance.HandlingMode.ON_SPOT,
        received_on=TODAY - datetime.timedelta(days=9),
        resolved_on=TODAY - datetime.timedelta(days=2),
        description="门前路灯不亮",
        resolution="已更换灯泡",
    )
    log_in(phone, live_server.url, "leader")
    phone.get_by_role("link", name=re.compile("待回访（1）")).tap()
    expect(phone.locator("h1")).to_have_text("待回访")
    phone.locator(".household-link", has_text="门前路灯不亮").tap()
    expect(phone.locator("main")).to_contain_text("已更换灯泡")
    phone.get_by_text("满意", exact=True).tap()
    phone.get_by_role("button", name="保存回访").tap()
    expect(phone.locator(".messages")).to_contain_text("回访：满意")
    expect(phone.locator(".households")).to_contain_text("暂无待回访的问题")
    revisit = Revisit.objects.get()
    assert (revisit.revisitor, revisit.grievance.status) == (person, Grievance.Status.REVISITED)


def test_village_cadre_verifies_handles_and_resolves_from_the_work_queue(live_server, cast, desktop):
    grievance = GrievanceFactory(household=cast.branches[0].households[0], description="水渠堵塞漫进院子")
    base = live_server.url
    admin_log_in(desktop, base, "village")
    queue = desktop.locator("#queue-new")
    expect(queue).to_contain_text("待核实（新登记）（1）")
    queue.get_by_role("link", name="水渠堵塞漫进院子").click()

    desktop.get_by_role("link", name="核实", exact=True).click()
    desktop.get_by_label("核实情况").fill("已到现场查看")
    desktop.get_by_role("button", name="确认核实").click()
    expect(desktop.locator(".messagelist")).to_contain_text("已核实")

    desktop.get_by_role("link", name="办理", exact=True).click()
    desktop.get_by_label("当场解决").check()
    desktop.get_by_role("button", name="确认办理").click()
    expect(desktop.locator(".messagelist")).to_contain_text("已办理")

    desktop.get_by_role("link", name="办结", exact=True).click()
    desktop.get_by_label("办结情况").fill("组织村民清理水渠")
    desktop.get_by_role("button", name="确认办结").click()
    expect(desktop.locator(".messagelist")).to_contain_text("已办结")
    timeline = desktop.locator("#grievance-timeline, .workflow-timeline").first
    for step in ["核实", "办理", "办结", "已到现场查看", "组织村民清理水渠"]:
        expect(timeline).to_contain_text(step)
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.RESOLVED
    assert not desktop.console_errors


def test_county_official_drills_down_the_statistics_and_exports_excel(live_server, cast, desktop, tmp_path):
    GrievanceFactory(household=cast.branches[0].households[0], received_on=TODAY)
    GrievanceFactory(household=cast.branches[2].households[0], received_on=TODAY)
    base = live_server.url
    admin_log_in(desktop, base, "county")
    desktop.get_by_role("link", name="群众诉求统计").click()
    table = desktop.locator("#report-table")
    expect(table).to_contain_text("塔峰镇")
    expect(table).to_contain_text("祠堂圩镇")
    table.get_by_role("link", name="塔峰镇").click()
    expect(desktop.locator("h1")).to_contain_text("塔峰镇")
    expect(table).to_contain_text("虎溪村")
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx") and "塔峰镇" in download.value.suggested_filename
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "收集诉求" in cells and "虎溪村" in cells
    assert not desktop.console_errors

"""A 邻长 on a phone logs a visit that finds a problem; the village cadre sees the new grievance."""

import re

import pytest
from playwright.sync_api import expect

from grievances.models import Grievance
from tests.mobile.mobile_helpers import household as household_for
from tests.mobile.mobile_helpers import leader_person, visit

PASSWORD = "Sanzhang-test-2026"
PROBLEM = "村口水渠堵塞，雨天漫进院子"
SCREENSHOTS = "/tmp"


def log_in(page, base, username, next_url="/m/"):
    page.goto(f"{base}/m/login/?next={next_url}")
    expect(page.locator("h1")).to_have_text("三长通 · 登录")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").tap()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leader_reports_a_problem_from_a_visit_and_the_village_sees_it(live_server, cast, phone):
    branch = cast.branches[0]
    person = leader_person(branch)
    household = branch.households[0]
    visit(household_for(branch, "李秀英", special=True), person, 9)  # special-care, 2 days overdue
    visit(household_for(branch, "王建国"), person, 3)  # not due
    base = live_server.url

    # The phone login page is not the admin's.
    phone.goto(f"{base}/m/")
    assert "/m/login/" in phone.url
    assert phone.locator("#header, #site-name").count() == 0
    log_in(phone, base, "leader")
    expect(phone.locator(".menu")).to_contain_text("待联系的户")

    phone.get_by_role("link", name=re.compile("待联系的户")).tap()
    expect(phone.locator("h1")).to_have_text("待联系的户")
    rows = phone.locator(".household-link")
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text("超期2天")
    box = rows.first.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300  # one large tap target per household
    phone.screenshot(path=f"{SCREENSHOTS}/mobile_due_list.png", full_page=True)

    phone.locator(".household-link", has_text=f"{household.head_name}户").tap()
    expect(phone.locator("h1")).to_have_text("记走访")
    category = phone.get_by_label("问题类别")
    expect(phone.get_by_label("交谈内容")).to_be_visible()
    expect(category).to_be_hidden()  # revealed only by the 发现问题 toggle
    expect(phone.get_by_label("入户走访")).to_be_checked()
    phone.get_by_text("发现问题，登记群众诉求").tap()
    expect(category).to_be_visible()
    category.select_option(label="基础设施")
    phone.get_by_label("问题描述").fill(PROBLEM)
    phone.screenshot(path=f"{SCREENSHOTS}/mobile_visit_form.png", full_page=True)
    phone.get_by_role("button", name="保存走访").tap()

    expect(phone.locator(".messages")).to_contain_text("并登记了群众诉求")
    expect(phone.locator(".household-link")).to_have_count(2)  # the visited household is no longer due
    grievance = Grievance.objects.get()
    assert (grievance.household_id, grievance.visit.problem_found) == (household.pk, True)

    # The village cadre's work queue.
    phone.get_by_role("button", name="退出").tap()
    expect(phone.locator("h1")).to_have_text("三长通 · 登录")
    log_in(phone, base, "village", next_url="/admin/")
    phone.wait_for_url(f"{base}/admin/")
    queue = phone.locator("#queue-new")
    expect(queue).to_contain_text("待核实（新登记）")
    expect(queue).to_contain_text(PROBLEM)

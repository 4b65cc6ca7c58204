"""The admin works under the Content-Security-Policy: no violations, scripts run, reveal works."""

import pytest
from playwright.sync_api import expect

from tests.factories import ResidentFactory, make_id_number

PASSWORD = "Sanzhang-test-2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_change_form_runs_without_csp_violations_and_reveals_once(live_server, cast, browser):
    id_number = make_id_number(serial=4242)
    resident = ResidentFactory(household=cast.branches[0].households[0], id_number=id_number)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("用户名").fill("village")
        page.get_by_label("密码").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        expect(page.locator("#site-name")).to_contain_text("三长通")

        page.goto(f"{live_server.url}/admin/households/household/{resident.household_id}/change/")
        # admin JavaScript ran: the select2 autocomplete widget replaced the plain select
        expect(page.locator(".select2-container").first).to_be_visible()
        masked = id_number[:6] + "********" + id_number[-4:]
        expect(page.locator("input[name$='id_number']").first).to_have_value(masked)
        assert id_number not in page.content()

        page.get_by_role("button", name="显示完整号码").click()
        expect(page.locator("td.revealed").first).to_be_visible()
        assert id_number in page.content()
        page.get_by_role("link", name="返回").click()
        assert id_number not in page.content()
        assert violations == []
    finally:
        context.close()

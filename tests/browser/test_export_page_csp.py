"""The ledger export page works under the Content-Security-Policy: no violations, and "全选" clears
and sets every field box (it was an inline handler, blocked by the policy)."""

import pytest
from playwright.sync_api import expect

PASSWORD = "Sanzhang-test-2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_select_all_works_without_csp_violations(live_server, cast, browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill("village")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_contain_text("三长通")

    page.goto(f"{live_server.url}/admin/disputes/riskreport/export/")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:not(.select-toggle)")
    assert fields.count() > 5
    page.get_by_label("全选").uncheck()
    assert all(not box.is_checked() for box in fields.all())
    page.get_by_label("全选").check()
    assert all(box.is_checked() for box in fields.all())
    assert violations == []
    context.close()

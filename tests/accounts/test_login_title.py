"""After a failed login the page title is Chinese ("错误：登录"), on the admin and on the phone."""

import re

import pytest


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize("url", ["/admin/login/?next=/admin/", "/m/login/"])
def test_failed_login_title_is_chinese(client, cast, url):
    response = client.post(url, {"username": "village", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 200
    assert title(response).startswith("错误：") and "登录" in title(response)
    assert "Error" not in response.content.decode()


def test_invalid_admin_form_title_is_chinese(client, cast):
    client.force_login(cast.users["superuser"])
    response = client.post("/admin/accounts/user/add/", {"username": "", "password1": "", "password2": ""})
    assert response.status_code == 200
    assert title(response).startswith("错误：")
    html = response.content.decode()
    assert "Error:" not in html and "After you’ve created a user" not in html


def test_user_add_page_has_no_english_hint(client, cast):
    client.force_login(cast.users["superuser"])
    html = client.get("/admin/accounts/user/add/").content.decode()
    assert "创建用户后，即可编辑更多用户选项" in html

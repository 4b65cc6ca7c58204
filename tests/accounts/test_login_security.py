"""Login and session security: lockout per username+IP, Chinese lockout page, new session key, expiry."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User

PASSWORD = "Sanzhang-test-2026"
LOGIN = "/admin/login/?next=/admin/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def lock_out(client, username, ip="10.0.0.1"):
    responses = [attempt(client, username, "wrong-password", ip) for _ in range(settings.AXES_FAILURE_LIMIT)]
    return responses[-1]


def test_wrong_password_shows_the_form_again(client, cast):
    response = attempt(client, "village", "wrong-password")
    assert response.status_code == 200
    assert "请输入" in response.content.decode() or "正确" in response.content.decode()


def test_too_many_failures_lock_that_username_on_that_ip_with_a_chinese_page(client, cast):
    response = lock_out(client, "village")
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录失败次数过多" in html and "暂时锁定" in html
    # even the right password is refused now
    response = attempt(client, "village", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_user_behind_the_same_ip_can_still_log_in(client, cast):
    lock_out(client, "village")
    response = attempt(client, "township", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.users["township"].pk)


def test_the_same_user_from_another_ip_can_still_log_in(client, cast):
    lock_out(client, "village", ip="10.0.0.1")
    response = attempt(client, "village", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302


def test_behind_the_proxy_the_forwarded_client_address_counts(client, cast, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"username": "village", "password": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9"
        )
    locked = client.post(
        LOGIN, {"username": "village", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert locked.status_code == 429
    ok = client.post(
        LOGIN, {"username": "village", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.8.8.8"
    )
    assert ok.status_code == 302


def test_login_rotates_the_session_key(client, cast):
    session = client.session
    session["before_login"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    old_key = session.session_key
    assert attempt(client, "village", PASSWORD).status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key and new_key != old_key
    assert client.session["_auth_user_id"] == str(cast.users["village"].pk)


def test_session_ends_after_inactivity_and_activity_renews_it(client, cast):
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        assert attempt(client, "village", PASSWORD).status_code == 302
        clock.shift(age - datetime.timedelta(minutes=5))
        assert client.get("/admin/").status_code == 200  # activity renews the window
        clock.shift(age - datetime.timedelta(minutes=5))
        assert client.get("/admin/").status_code == 200
        clock.shift(age + datetime.timedelta(minutes=1))
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_session_cookie_is_http_only_and_ends_with_the_browser(client, cast):
    attempt(client, "village", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]


@pytest.mark.parametrize("weak", ["12345678", "password123", "village2026", "1234567890"])
def test_password_validators_refuse_weak_passwords(cast, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=cast.users["village"])


def test_admin_user_add_form_applies_the_validators(client, cast):
    client.force_login(cast.users["superuser"])
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "newclerk", "password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="newclerk").exists()
    assert "密码" in response.content.decode()


def test_admin_password_change_forms_apply_the_validators(client, cast):
    client.force_login(cast.users["superuser"])
    user = cast.users["village"]
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/", {"password1": "abc12345", "password2": "abc12345"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "11111111", "new_password2": "11111111"},
    )
    assert response.status_code == 200
    cast.users["superuser"].refresh_from_db()
    assert cast.users["superuser"].check_password(PASSWORD)

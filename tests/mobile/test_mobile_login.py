"""The phone login page: its own template (no admin chrome), lands on /m/, throttled by django-axes."""

from axes.models import AccessAttempt

PASSWORD = "Sanzhang-test-2026"


def test_the_login_page_is_the_phone_template_not_the_admins(client, db):
    response = client.get("/m/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "/static/css/mobile.css" in html
    assert 'id="site-name"' not in html and "admin/css" not in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "用户名" in html and "密码" in html


def test_a_leader_logs_in_and_lands_on_the_phone_menu(client, cast):
    response = client.post("/m/login/", {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/m/"
    assert "待联系的户" in client.get("/m/").content.decode()


def test_next_is_followed_and_a_logged_in_user_skips_the_form(client, cast):
    response = client.post("/m/login/?next=/m/due/", {"username": "leader", "password": PASSWORD, "next": "/m/due/"})
    assert response["Location"] == "/m/due/"
    assert client.get("/m/login/")["Location"] == "/m/"


def test_a_wrong_password_is_refused_in_chinese_and_counted_by_axes(client, cast):
    response = client.post("/m/login/", {"username": "leader", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert AccessAttempt.objects.filter(username="leader", failures_since_start=1).exists()


def test_logout_is_a_post_and_returns_to_the_login_page(client, cast):
    client.force_login(cast.users["leader"])
    response = client.post("/m/logout/")
    assert response["Location"] == "/m/login/"
    assert client.get("/m/")["Location"].startswith("/m/login/")

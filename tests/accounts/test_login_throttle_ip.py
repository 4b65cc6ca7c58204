"""Per-IP login limit across usernames, and X-Forwarded-For believed only from the configured proxy."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip

PASSWORD = "Sanzhang-test-2026"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
PHONE_LOGIN = "/m/login/"


@pytest.fixture(autouse=True)
def _small_ip_limit(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8


def attempt(client, username, password, url=ADMIN_LOGIN, **meta):
    meta.setdefault("REMOTE_ADDR", "10.0.0.1")
    return client.post(url, {"username": username, "password": password}, **meta)


@pytest.mark.parametrize("url", [ADMIN_LOGIN, PHONE_LOGIN])
def test_one_password_against_many_usernames_locks_the_address(client, cast, settings, url):
    usernames = [f"guess{i}" for i in range(settings.LOGIN_IP_FAILURE_LIMIT - 2)] + ["county", "leader"]
    responses = [attempt(client, name, "Spring-2026!", url) for name in usernames]
    assert all(r.status_code == 200 for r in responses[:-1]), "no single username reached its own limit"
    assert responses[-1].status_code == 429
    html = responses[-1].content.decode()
    assert "本网络地址已暂时不能登录" in html and "其他账号不受影响" not in html
    # now even a right password from that address is refused ...
    refused = attempt(client, "village", PASSWORD, url)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    # ... while another address logs in
    assert attempt(client, "village", PASSWORD, url, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_fewer_failures_than_the_ip_limit_from_a_shared_office_do_not_lock_others(client, cast, settings):
    for name in ["county", "leader", "township"]:
        for _ in range(2):
            attempt(client, name, "wrong-password")
    assert attempt(client, "village", PASSWORD).status_code == 302


def test_forged_forwarded_for_from_a_direct_client_is_ignored(client, cast, settings):
    """PROXY_COUNT=1 but the request does not come from the proxy: keyed on REMOTE_ADDR."""
    settings.PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "village", "wrong", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    locked = attempt(client, "village", PASSWORD, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.99")
    assert locked.status_code == 429


def test_forwarded_for_from_the_trusted_proxy_keys_the_real_client(client, cast, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "village", "wrong", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert (
        attempt(client, "village", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code
        == 429
    )
    ok = attempt(client, "village", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.8.8.8")
    assert ok.status_code == 302


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("count", "trusted", "remote", "forwarded", "expected"),
    [
        (0, ["127.0.0.1"], "127.0.0.1", "10.1.1.1", "127.0.0.1"),  # no proxy configured
        (1, ["127.0.0.1", "::1"], "127.0.0.1", "6.6.6.6, 10.1.1.1", "10.1.1.1"),  # client-supplied hop ignored
        (1, ["127.0.0.1", "::1"], "::1", "10.1.1.1", "10.1.1.1"),
        (1, ["127.0.0.1"], "198.51.100.4", "10.1.1.1", "198.51.100.4"),  # not from the proxy
        (1, ["172.16.0.0/12"], "172.18.0.3", "10.1.1.1", "10.1.1.1"),  # a proxy network (containers)
        (1, ["127.0.0.1"], "127.0.0.1", None, "127.0.0.1"),  # the proxy itself, no header
        (1, ["127.0.0.1"], "127.0.0.1", "not-an-ip", "127.0.0.1"),
        (2, ["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "6.6.6.6, 8.8.4.4, 10.2.2.2", "8.8.4.4"),
        (2, ["127.0.0.1"], "127.0.0.1", "6.6.6.6, 8.8.4.4, 198.51.100.9", "198.51.100.9"),  # 2nd hop untrusted
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(
    settings, count, trusted, remote, forwarded, expected
):
    settings.PROXY_COUNT = count
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(request_from(remote, forwarded)) == expected

"""The demo looks like the product: its own error pages, static files without DEBUG, the real address."""

import pytest

from demo.management.commands.seed_demo import site_url


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("127.0.0.1:8103", "http://127.0.0.1:8103"),
        ("localhost:9000", "http://localhost:9000"),
        ("8200", "http://127.0.0.1:8200"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("", "http://127.0.0.1:8000"),
    ],
)
def test_login_address_follows_the_host_given_to_runserver(host, url):
    assert site_url(host) == url


def test_static_css_is_served_without_debug_and_without_collectstatic(client, settings):
    assert not settings.DEBUG
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.django_db
def test_unknown_page_shows_the_products_404_not_a_debug_page(client, settings):
    assert not settings.DEBUG
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "三长通" in html and "Using the URLconf" not in html

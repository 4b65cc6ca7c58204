"""Issue 14 #18: every refusal uses the product's own styled page (phone and desktop), in Chinese."""

from tests.factories import GrievanceFactory


def test_a_refusal_on_the_phone_is_the_styled_page_with_its_reason(client, cast):
    grievance = GrievanceFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users["county"])
    response = client.get(f"/m/grievance/{grievance.pk}/revisit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "css/error.css" in html and 'name="viewport"' in html
    assert "无权操作" in html and "您的账号没有使用此功能的权限。" in html
    assert 'href="/m/"' in html and 'href="/admin/"' in html


def test_not_found_is_the_styled_page(client, cast):
    client.force_login(cast.users["leader"])
    html = client.get("/m/household/999999/visit/").content.decode()
    assert "css/error.css" in html and "页面不存在" in html


def test_the_favicon_is_served_without_data(client):
    """No 404 (a console error in every browser) for /favicon.ico; the icon is a static file."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    assert response.content == b""

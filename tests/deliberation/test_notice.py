"""亮事: the notice period (five days by default, more if the village rules say so), objections, the photo."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from deliberation.models import Matter, Notice
from deliberation.services import publish_notice, record_objection
from tests.factories.deliberation import make_matter

pytestmark = pytest.mark.django_db
S = Matter.Status
TODAY = datetime.date.today()


def ago(n):
    return TODAY - datetime.timedelta(days=n)


def publish(cast, matter, start, end, **kwargs):
    return publish_notice(user=cast.users["village"], matter=matter, text="方案", posted_at="村务公开栏",
                          start_on=start, end_on=end, **kwargs)  # fmt: skip


def test_four_days_are_refused_five_accepted(cast):
    matter = make_matter(cast.branches[0], S.CONSULTING)
    with pytest.raises(ValidationError) as error:
        publish(cast, matter, ago(10), ago(7))
    assert error.value.message_dict["end_on"] == [f"公示期须不少于5天，截止日期最早为{ago(6):%Y-%m-%d}。"]
    matter.refresh_from_db()
    assert matter.status == S.CONSULTING and not Notice.objects.exists()
    publish(cast, matter, ago(10), ago(6))
    matter.refresh_from_db()
    assert matter.status == S.NOTICE and matter.notice.days == 5


def test_the_village_may_require_more_days_never_fewer(cast):
    matter = make_matter(cast.branches[0], S.CONSULTING)
    with pytest.raises(ValidationError) as error:
        publish(cast, matter, ago(10), ago(4), min_days=10)
    assert "不少于10天" in error.value.message_dict["end_on"][0]
    with pytest.raises(ValidationError) as error:
        publish(cast, matter, ago(10), ago(8), min_days=3)
    assert "不得少于5天" in error.value.message_dict["min_days"][0]


def test_the_database_holds_the_period(cast):
    matter = make_matter(cast.branches[0], S.CONSULTING)
    base = {"matter": matter, "text": "x", "posted_at": "x", "start_on": ago(10)}
    for values in ({"end_on": ago(7), "days": 4}, {"end_on": ago(4), "days": 7, "min_days": 3},
                   {"end_on": ago(11), "days": 5}):  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            Notice.objects.bulk_create([Notice(**base, **values)])


def test_the_notice_page_uploads_the_photo_and_refuses_other_files(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    matter = make_matter(cast.branches[0], S.CONSULTING)
    client.force_login(cast.users["village"])
    url = reverse("admin:deliberation_matter_transition", args=[matter.pk, "publish"])
    data = {"version": 1, "text": "方案", "posted_at": "公开栏", "start_on": ago(6).isoformat(),
            "end_on": ago(1).isoformat(), "min_days": "5"}  # fmt: skip
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    bad = client.post(url, {**data, "photo": SimpleUploadedFile("a.exe", b"MZ")})
    assert bad.status_code == 200 and "请上传JPG或PNG照片" in bad.content.decode()
    good = client.post(url, {**data, "photo": SimpleUploadedFile("notice.jpg", b"\xff\xd8\xff", "image/jpeg")})
    assert good.status_code == 302
    matter.refresh_from_db()
    assert matter.notice.photo.name.endswith(".jpg")
    matter.notice.photo.delete(save=False)


def test_objections_are_received_during_the_notice(cast):
    matter = make_matter(cast.branches[0], S.NOTICE)
    with pytest.raises(ValidationError):
        record_objection(user=cast.users["village"], matter=matter, received_on=ago(35), raised_by="李", text="x")
    record_objection(user=cast.users["village"], matter=matter, received_on=ago(28), raised_by="李某", text="占地")
    matter.refresh_from_db()
    assert matter.status == S.NOTICE and matter.objections.count() == 1
    assert matter.events.get().action == "object"


def test_photos_are_shown_to_those_who_see_the_matter(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from tests.core import scope_matrix as sm

    def with_photo(branch):
        matter = make_matter(branch, S.NOTICE)
        matter.notice.photo.save("notice.png", ContentFile(b"\x89PNG\r\n"), save=True)
        return matter, branch.village

    rows = [with_photo(b) for b in cast.branches]
    try:
        for role in ["village", "township", "village2"]:
            user = cast.users[role]
            client.force_login(user)
            for matter, village in rows:
                url = reverse("admin:deliberation_matter_photo", args=[matter.pk, "notice", matter.notice.pk])
                response = client.get(url)
                if sm.sees(user, village):
                    assert response.status_code == 200 and response["Content-Type"] == "image/png"
                    assert b"".join(response.streaming_content) == b"\x89PNG\r\n"
                else:
                    assert response.status_code == 404
        matter = rows[0][0]
        client.force_login(cast.users["village"])
        page = client.get(reverse("admin:deliberation_matter_change", args=[matter.pk])).content.decode()
        assert "查看照片" in page
        other = reverse("admin:deliberation_matter_photo", args=[matter.pk, "notice", rows[1][0].notice.pk])
        assert client.get(other).status_code == 404  # another matter's photo through this one
    finally:
        for matter, _ in rows:
            matter.notice.photo.delete(save=False)

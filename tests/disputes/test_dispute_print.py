"""Print views of the case file: each paper with the parties' names; full IDs only on the logged agreement."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from core.masking import mask_id_number
from disputes.models import Dispute
from tests.factories.disputes import make_agreement, make_dispute, make_revisit, make_session

pytestmark = pytest.mark.django_db


def full_dispute(cast):
    dispute = make_dispute(
        cast.branches[0], Dispute.Status.SUCCEEDED, investigation="走访", notified_on="2026-01-05", session_count=1
    )
    for index, party in enumerate(dispute.parties.select_related("resident")):
        party.resident.id_number = f"43112719800101{index:03d}5"
        party.resident.save()
    make_session(dispute)
    make_agreement(dispute)
    make_revisit(dispute)
    dispute.revisit_count = 1
    dispute.save()
    return dispute


def url(dispute, document):
    return reverse("admin:disputes_dispute_print", args=[dispute.pk, document])


@pytest.mark.parametrize("document", ["register", "notice", "investigation", "sessions", "revisits", "casefile"])
def test_papers_show_the_names_and_masked_ids_without_logging(client, cast, document):
    dispute = full_dispute(cast)
    client.force_login(cast.users["village"])
    response = client.get(url(dispute, document))
    html = response.content.decode()
    assert response.status_code == 200
    for party in dispute.parties.select_related("resident"):
        assert party.resident.name in html
        assert party.resident.id_number not in html
    assert "style=" not in html and "<script" not in html  # CSP: no inline styles or scripts
    assert not AccessLog.objects.exists()


def test_the_agreement_carries_full_ids_and_is_logged(client, cast):
    dispute = full_dispute(cast)
    client.force_login(cast.users["village"])
    html = client.get(url(dispute, "agreement")).content.decode()
    numbers = [p.resident.id_number for p in dispute.parties.select_related("resident")]
    assert all(number in html for number in numbers)
    assert dispute.agreement.document_number in html and "（印）" in html
    log = AccessLog.objects.get()
    assert (log.action, log.model_label, log.object_id) == ("reveal", "disputes.Agreement", str(dispute.agreement.pk))
    casefile = client.get(url(dispute, "casefile")).content.decode()
    assert numbers[0] not in casefile and mask_id_number(numbers[0]) in casefile


def test_another_villages_papers_are_404(client, cast):
    dispute = full_dispute(cast)
    client.force_login(cast.users["village2"])
    assert client.get(url(dispute, "agreement")).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_detail_page_lists_the_papers(client, cast):
    dispute = full_dispute(cast)
    client.force_login(cast.users["village"])
    html = client.get(reverse("admin:disputes_dispute_change", args=[dispute.pk])).content.decode()
    assert "打印人民调解协议书" in html and "调解过程" in html

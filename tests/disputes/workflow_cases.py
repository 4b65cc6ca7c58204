"""The dispute workflow's transitions, one legal case each (see tests/workflow_cases.py)."""

import datetime
from collections.abc import Mapping

from disputes.models import CommitteeMember, Dispute
from tests.factories.disputes import make_agreement, make_dispute, make_session
from tests.workflow_cases import Case

S = Dispute.Status
TODAY = datetime.date.today


class ChairOfLatestDispute(Mapping):
    """Form data naming the chair of the newest dispute's committee (its pk exists only after build)."""

    def _data(self):
        dispute = Dispute.objects.order_by("-pk").first()
        chair = CommitteeMember.objects.get(committee=dispute.committee, role="chair")
        return {"presiding": str(chair.pk)}

    def __getitem__(self, key):
        return self._data()[key]

    def __iter__(self):
        return iter(["presiding"])

    def __len__(self):
        return 1


def dispute(status, **kwargs):
    def build(cast):
        return make_dispute(cast.branches[0], status, **kwargs)

    return build


def mediating(cast):
    d = make_dispute(cast.branches[0], S.MEDIATING, notified_on=TODAY(), investigation="已核实", session_count=1)
    make_session(d)
    return d


def succeeded(cast):
    d = make_dispute(cast.branches[0], S.SUCCEEDED, ended_on=TODAY(), revisit_due_on=TODAY(), session_count=1)
    make_agreement(d)
    return d


DISPUTE_CASES = {
    "accept": Case(dispute(S.REGISTERED), {"note": "符合受理条件"}),
    "reject": Case(dispute(S.REGISTERED), {"reason": "已向法院起诉"}),
    "assign": Case(dispute(S.ACCEPTED), ChairOfLatestDispute()),
    "investigate": Case(dispute(S.ASSIGNED), {"investigation": "走访双方及邻居", "evidence": "土地证复印件"}),
    "notify": Case(dispute(S.INVESTIGATED), {"signed": "on"}),
    "mediate": Case(
        dispute(S.NOTIFIED),
        {"held_on": TODAY().isoformat(), "place": "村调解室", "participants": "双方", "record": "各自陈述"},
    ),
    "succeed": Case(mediating, {"kind": "written", "disputed_points": "界址", "terms": "退让0.5米"}),
    "fail": Case(mediating, {"failure_route": "lawsuit", "reason": "双方分歧较大"}),
    "withdraw": Case(dispute(S.ACCEPTED), {"reason": "双方已自行和解"}),
    "extend": Case(dispute(S.MEDIATING), {"due_date": "2099-01-01", "consent": "双方书面同意延期"}),
    "escalate": Case(dispute(S.MEDIATING), {"escalated_to": "塔峰镇综治中心", "lead_official": "王副镇长"}),
    "revisit": Case(succeeded, {"fulfilment": "fulfilled", "satisfaction": "satisfied", "follow_up": "none"}),
    "confirm": Case(succeeded, {"step": "request", "court": "蓝山县人民法院"}),
    "archive": Case(dispute(S.REJECTED), {"file_number": "2026-001", "filed_by": "李文书", "retention": "长期"}),
}

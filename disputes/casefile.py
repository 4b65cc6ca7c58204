"""The case file (卷宗): which papers it holds, in order, and which the outcome still lacks.

Read-only: the archive service asks ``missing_documents`` before closing the file, the print
pages ask ``documents`` for the contents list.
"""

from dataclasses import dataclass

from disputes.models import Dispute

S = Dispute.Status
CLOSED = (*Dispute.ENDED_STATUSES, S.REJECTED, S.ARCHIVED)


@dataclass(frozen=True)
class Document:
    key: str  # the print page's name
    title: str
    present: bool


def documents(dispute):
    """The papers of the file in the order the Ministry's format keeps them."""
    agreement = getattr(dispute, "agreement", None) if dispute.pk else None
    return [
        Document("register", "受理登记表", True),
        Document("notice", "人民调解权利义务告知书", dispute.notified_on is not None),
        Document("investigation", "调查记录", bool(dispute.investigation)),
        Document("sessions", "调解记录", dispute.session_count > 0),
        Document(
            "agreement", "人民调解协议书" if not agreement or agreement.number else "口头调解协议登记", bool(agreement)
        ),
        Document("revisits", "回访记录", dispute.revisit_count > 0),
        Document("report", "结案报告", dispute.status in CLOSED),
    ]


def outcome(dispute):
    """How mediation ended, read from the record (so an archived file still knows): a status."""
    if dispute.status not in CLOSED:
        return dispute.status
    if dispute.accepted_on is None:
        return S.REJECTED
    if getattr(dispute, "agreement", None) is not None:
        return S.SUCCEEDED
    return S.FAILED if dispute.failure_route else S.WITHDRAWN


def required_documents(dispute):
    """The papers the outcome needs before the file may be archived."""
    ended = outcome(dispute)
    if ended in (S.REJECTED, S.WITHDRAWN):
        return ["register"]
    needed = ["register", "notice", "investigation", "sessions"]
    if ended == S.SUCCEEDED:
        needed += ["agreement", "revisits"]
    return needed


def missing_documents(dispute):
    """Titles of the papers still missing for this outcome (empty: the file may be closed)."""
    present = {doc.key: doc for doc in documents(dispute)}
    missing = [present[key].title for key in required_documents(dispute) if not present[key].present]
    if outcome(dispute) == S.SUCCEEDED and dispute.revisit_due_on is not None and dispute.revisit_count:
        missing.append("协议履行完毕的回访")
    return missing

"""Every write of the disputes app: the six-step workflow, agreements and revisits, screening.

Importing the package registers the workflow's performers (the workflow kit autodiscovers
``<app>.services``).
"""

from disputes.services.agreements import (  # noqa: F401
    allocate_number,
    record_confirmation,
    record_fulfilment_revisit,
    sign_agreement,
)
from disputes.services.mediation import (  # noqa: F401
    EDITABLE_FIELDS,
    WORKFLOW,
    accept_dispute,
    allowed_actions,
    archive_dispute,
    assign_mediator,
    escalate_dispute,
    extend_deadline,
    fail_mediation,
    investigate_dispute,
    notify_rights,
    perform,
    record_session,
    register_dispute,
    reject_dispute,
    update_details,
    withdraw_dispute,
)
from disputes.services.screening import (  # noqa: F401
    convert_risk_to_dispute,
    file_zero_report,
    report_risk,
    update_risk,
)

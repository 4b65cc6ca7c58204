"""Every write of the deliberation app: opinions, and the six steps of a matter (workflow kit).

Importing the package registers the workflow's performers (the workflow kit autodiscovers
``<app>.services``).
"""

from deliberation.services.matters import (  # noqa: F401
    WORKFLOW,
    allowed_actions,
    close_matter,
    complete_matter,
    consult,
    hold_vote,
    perform,
    propose_matter,
    publish_notice,
    record_objection,
    record_supervision,
    record_survey,
    reject_matter,
)
from deliberation.services.opinions import record_opinion  # noqa: F401
from deliberation.services.voting import entitled_count, entitled_representatives  # noqa: F401

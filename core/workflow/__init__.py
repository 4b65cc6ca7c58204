"""The workflow kit: a lifecycle declared as a table of transitions and run by one function.

``engine`` holds the declarations (Transition, Edit, Workflow) and the runner; ``models`` the
abstract event model (the timeline); ``forms`` the form base; ``admin`` the admin mixin giving a
model admin its transition pages. Only ``engine`` is re-exported here, so a models module can
import the package without pulling in forms or the admin.
"""

from core.workflow.engine import (
    Edit,
    Transition,
    Workflow,
    allowed_actions,
    registered_workflows,
    workflow_for,
)

__all__ = ["Edit", "Transition", "Workflow", "allowed_actions", "registered_workflows", "workflow_for"]

"""Admin of the disputes app: the dispute (six steps, timeline, case file), and the registers."""

from disputes.admin import disputes, registers  # noqa: F401

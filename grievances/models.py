"""Models of the grievances app (filled in by its own issue)."""

"""Models of the disputes app (filled in by its own issue)."""

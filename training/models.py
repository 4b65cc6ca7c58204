"""Models of the training app (filled in by its own issue)."""

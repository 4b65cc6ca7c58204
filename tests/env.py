"""Loaded by pytest before Django starts (``-p tests.env`` in pyproject.toml): the test run's environment.

Settings refuse to start without SECRET_KEY when DEBUG is off, and tests run with DEBUG off like
production: they get a throwaway key of their own unless the caller set one.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)

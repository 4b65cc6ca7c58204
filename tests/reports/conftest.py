import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_overview_cache():
    """The unit page keeps its figures in the cache (reports.overview.views.build): none from an earlier test."""
    cache.clear()
    yield
    cache.clear()

"""Shared fixtures: a small two-township county (the fixed cast every scoping test uses)."""

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test.utils import override_settings

from accounts.models import User
from tests.factories import (
    AreaFactory,
    CountyFactory,
    HouseholdFactory,
    NeighborhoodFactory,
    TownshipFactory,
    VillageFactory,
    VillagerGroupFactory,
    user_for,
)


@dataclass
class Branch:
    """One village with one 片 → 组 → 邻 and two households."""

    village: object
    area: object
    group: object
    neighborhood: object
    households: list


def build_branch(township, name):
    village = VillageFactory(parent=township, name=name)
    area = AreaFactory(parent=village, name=f"{name}一片")
    group = VillagerGroupFactory(parent=area, name=f"{name}一组")
    neighborhood = NeighborhoodFactory(parent=group, name=f"{name}一邻")
    households = [HouseholdFactory(neighborhood=neighborhood, village=village) for _ in range(2)]
    return Branch(village, area, group, neighborhood, households)


@dataclass
class Cast:
    county: object
    townships: list
    branches: list  # [t1v1, t1v2, t2v1, t2v2]
    users: dict


@pytest.fixture
def cast(db):
    """Two townships with two villages each, and a user per role (t1v1 is 'our' village)."""
    county = CountyFactory(name="蓝山县")
    t1 = TownshipFactory(parent=county, name="塔峰镇")
    t2 = TownshipFactory(parent=county, name="祠堂圩镇")
    branches = [
        build_branch(t1, "虎溪村"),
        build_branch(t1, "大坪村"),
        build_branch(t2, "新圩村"),
        build_branch(t2, "毛俊村"),
    ]
    users = {
        "superuser": User.objects.create_superuser("root", password="Sanzhang-test-2026"),
        "county": user_for(county, username="county"),
        "township": user_for(t1, username="township"),
        "township2": user_for(t2, username="township2"),
        "village": user_for(branches[0].village, username="village"),
        "village2": user_for(branches[2].village, username="village2"),
        "leader": user_for(branches[0].neighborhood, username="leader"),
    }
    return Cast(county, [t1, t2], branches, users)


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_collectstatic():
    """Tests need no ``collectstatic``: unhashed static URLs, served by WhiteNoise from the app folders."""
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, WHITENOISE_AUTOREFRESH=True, WHITENOISE_USE_FINDERS=True):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a list total cached by one test is not another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_county_report_cache(settings):
    """Figures are counted afresh in every test (tests/reports/test_county_cache.py,
    test_report_page_cache.py and test_work_queue_cache.py turn the caches on)."""
    settings.COUNTY_REPORT_CACHE_SECONDS = 0
    settings.REPORT_PAGE_CACHE_SECONDS = 0
    settings.WORK_QUEUE_CACHE_SECONDS = 0  # tests/reports/test_work_queue_cache.py turns it on


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with MD5: PBKDF2 takes about a second per user on the shared machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_serialized_contents = {}


def _keep_serialized_contents():
    """Keep the serialized test database for ``serialized_rollback`` across Playwright tests.

    Playwright's sync API runs in greenlets with their own context variables, so after a browser
    test Django hands out new connection objects, which lack the ``_test_serialized_contents`` the
    test database setup stored on the old ones; the next serialized-rollback test would then start
    with empty reference tables (care categories), and the flush after it would recreate content
    types. Re-attach the saved string before each test's setup and teardown.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _serialized_contents[alias] = contents
        elif alias in _serialized_contents:
            connection._test_serialized_contents = _serialized_contents[alias]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _keep_serialized_contents()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a ``serialized_rollback`` test, put the migrated reference rows back.

    Its teardown flushes every table (content types, care and grievance categories included) and
    Django restores them only at the start of the next serialized test. With xdist handing out
    whole files, an ordinary test may come next in the same worker; it must find them too.
    """
    _keep_serialized_contents()
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for alias in connections:
            contents = _serialized_contents.get(alias)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's database setup, then save the serialized contents it stored on the connection."""
    _keep_serialized_contents()

"""The cache is one process's memory unless CACHE_URL names a shared one (several workers or servers)."""

import os
import subprocess
import sys

from django.conf import settings

PRINT_BACKEND = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sanzhang.settings'); django.setup(); "
    "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION'))"
)


def backend(cache_url):
    env = {**os.environ, "DEBUG": "true"}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    done = subprocess.run([sys.executable, "-c", PRINT_BACKEND], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_each_process_has_its_own_cache_by_default():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert backend(None)[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_own_cache_holds_more_entries_than_a_township_has_users():
    """Each user's home-page queues are an entry (issue 15): Django's default of 300 would churn."""
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] == 2000


def test_cache_url_names_a_shared_cache():
    assert backend("dbcache://sanzhang_cache") == ["django.core.cache.backends.db.DatabaseCache", "sanzhang_cache"]

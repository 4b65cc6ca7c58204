"""On SQLite an import's all-or-nothing write holds the database's write lock for seconds: another
user's save must wait for it, not fail with "database is locked" (sqlite3 gives up after 5 s)."""

import sqlite3
import threading
import time

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite's write lock"
)


def test_writers_wait_longer_than_a_large_imports_write():
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 20


def test_a_second_writer_waits_for_the_lock_and_then_writes(tmp_path):
    """The project's connection options against a real file: a writer held for 6 s (over sqlite3's
    default 5 s) does not make the other writer fail."""
    options = settings.DATABASES["default"]["OPTIONS"]
    path = tmp_path / "lock.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.commit()
    setup.close()
    holder = sqlite3.connect(path, timeout=options["timeout"], isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    threading.Timer(6, lambda: holder.execute("COMMIT")).start()
    other = sqlite3.connect(path, timeout=options["timeout"], isolation_level=None)
    started = time.monotonic()
    other.execute("BEGIN IMMEDIATE")  # waits for the holder's commit
    other.execute("INSERT INTO t VALUES (2)")
    other.execute("COMMIT")
    assert time.monotonic() - started >= 5
    assert other.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)
    assert connection.vendor == "sqlite"

"""Production's static storage answers each file's fingerprinted URL as WhiteNoise's does, once per process."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from core.staticfiles import StaticStorage


@pytest.fixture
def root(tmp_path):
    manifest = {"paths": {"admin/css/base.css": "admin/css/base.0a1b2c.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


def test_urls_are_whitenoises_and_kept(root):
    ours = StaticStorage(location=root, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=root, base_url="/static/")
    assert ours.url("admin/css/base.css") == theirs.url("admin/css/base.css") == "/static/admin/css/base.0a1b2c.css"
    assert ours.url("admin/css/base.css?v=1#x") == theirs.url("admin/css/base.css?v=1#x")
    ours.hashed_files.clear()  # the manifest is no longer asked: the URL was kept
    assert ours.url("admin/css/base.css") == "/static/admin/css/base.0a1b2c.css"


def test_a_file_missing_from_the_manifest_is_still_an_error(root):
    storage = StaticStorage(location=root, base_url="/static/")
    for _ in range(2):  # an error is not kept as an answer
        with pytest.raises(ValueError):
            storage.url("admin/css/missing.css")

import pytest
from django.test.utils import override_settings


@pytest.fixture(autouse=True)
def upload_dir(tmp_path):
    with override_settings(IMPORT_UPLOAD_DIR=str(tmp_path / "uploads")):
        yield tmp_path / "uploads"


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def jobs_at_once():
    """Files above 3 sheet rows are large; jobs run inside the request, as the worker would run them."""
    with override_settings(IMPORT_JOB_ROWS=3, TASKS=IMMEDIATE):
        yield

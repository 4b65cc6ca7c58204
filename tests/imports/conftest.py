import pytest
from django.test.utils import override_settings


@pytest.fixture(autouse=True)
def upload_dir(tmp_path):
    with override_settings(IMPORT_UPLOAD_DIR=str(tmp_path / "uploads")):
        yield tmp_path / "uploads"

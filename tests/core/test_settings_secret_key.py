"""Settings refuse to start with DEBUG off and no SECRET_KEY; static files are served like production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from sanzhang.settings import BASE_DIR

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.STORAGES['staticfiles']['BACKEND']); print(s.SECRET_KEY)"
)


def run_settings(**env):
    """Load the settings in a fresh interpreter with exactly these variables (and no .env key)."""
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    base.update({"DJANGO_SETTINGS_MODULE": "sanzhang.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=BASE_DIR, env=base, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(autouse=True)
def _no_env_file():
    if (BASE_DIR / ".env").exists():
        pytest.skip("a local .env file may set SECRET_KEY or DEBUG")


@pytest.mark.parametrize("key", [None, "", "django-insecure-local-development-only"])
def test_debug_off_without_a_real_key_refuses_to_start(key):
    env = {"DEBUG": "false"}
    if key is not None:
        env["SECRET_KEY"] = key
    result = run_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "未设置 SECRET_KEY" in result.stderr and "SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_debug_on_keeps_the_development_key_and_plain_static_files():
    result = run_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    backend, key = result.stdout.split()
    assert key == "django-insecure-local-development-only"
    assert backend == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_uses_its_key_and_compressed_hashed_static_files():
    result = run_settings(DEBUG="false", SECRET_KEY="k" * 60)
    assert result.returncode == 0, result.stderr
    backend, key = result.stdout.split()
    assert key == "k" * 60
    assert backend == "core.staticfiles.StaticStorage"  # WhiteNoise's compressed manifest storage (a subclass)


def test_whitenoise_comes_right_after_the_security_middleware():
    assert settings.MIDDLEWARE[:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]

"""Run a few lines of Python in a fresh interpreter with production settings (no
debug, no test mode), to check what production would read or refuse."""

import os
import subprocess
import sys

from django.conf import settings

# Variables of this environment that would change what production reads.
CLEARED = {
    "MAILLON_DEBUG",
    "MAILLON_TESTING",
    "DJANGO_SETTINGS_MODULE",
    "REDIS_URL",
    "MAILLON_CACHE",
    "WEB_CONCURRENCY",
    "ADMIN_REQUIRE_TOTP",
}


def run_in_production(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environment.update(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "maillon.example",
            "DJANGO_SETTINGS_MODULE": "maillon.settings",
            **env,
        }
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def production_setting(name: str, **env: str) -> str:
    result = run_in_production(
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()

"""Settings for the test suite: the normal settings, with fast password hashing,
in-memory email and tasks that run immediately. DATABASE_URL still decides the
database (SQLite by default, PostgreSQL in CI's second run)."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("MAILLON_TESTING", "1")

from maillon.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "maillon.accounts.sessions"  # as production without Redis
# WhiteNoise would scan the static files for every test client otherwise.
WHITENOISE_AUTOREFRESH = True
# Private files (member exports) of the tests go to a temporary directory.
_private_files = tempfile.mkdtemp(prefix="maillon-test-private-")
atexit.register(shutil.rmtree, _private_files, ignore_errors=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _private_files},
    },
}
# No test reaches HelloAsso: tests that need it start a local fake and point here;
# the others get "connection refused" at once from the discard port.
HELLOASSO_API_URL = "http://127.0.0.1:9"

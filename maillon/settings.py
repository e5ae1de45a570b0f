"""Maillon settings: everything configurable is read from the environment here.

Environment variables (all optional in debug):
  MAILLON_DEBUG        "1" for development (default "0" = production behaviour)
  SECRET_KEY           required when not in debug
  ALLOWED_HOSTS        comma separated (default: localhost names in debug)
  DATABASE_URL         default: SQLite file var/maillon.sqlite3
  REDIS_URL            when set: cache, sessions and task queue use Redis (without it the
                       cache is a database table every process shares)
  MAILLON_CACHE        "locmem": a per-process cache (refused outside debug unless
                       WEB_CONCURRENCY=1, a single web process)
  TRUSTED_PROXY_COUNT  proxies in front of gunicorn (default 1 in production, 0 in debug)
  ADMIN_REQUIRE_TOTP   staff need TOTP for /admin/ (default: on outside debug)
  TASKS_BACKEND        "database" (default), "rq" (needs REDIS_URL) or "immediate"
  EMAIL_URL            smtp://user:pass@host:port (default: console backend)
  DEFAULT_FROM_EMAIL   sender of the platform's emails
  SITE_URL             absolute base URL used in emails (default http://127.0.0.1:8000)
  TRUSTED_PROXY_COUNT  reverse proxies in front (1 behind deploy/caddy/Caddyfile)
  MEMBER_EXPORT_SYNC_MAX_ROWS  larger member exports run as a task (default 5000)
  PAYMENTS_SECRET_KEY  key from which the encryption key of the payment providers'
                       secrets (HelloAsso client secret, tokens) is derived (default:
                       SECRET_KEY); changing it means reconnecting the accounts
  HELLOASSO_API_URL    HelloAsso's API host (default https://api.helloasso.com;
                       https://api.helloasso-sandbox.com for the sandbox)
  HELLOASSO_CHECKOUT_ORIGIN  where its checkout pages are (default https://www.helloasso.com;
                       https://www.helloasso-sandbox.com for the sandbox)
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MAILLON_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("MAILLON_DEBUG")
TESTING = env_bool("MAILLON_TESTING")

if DEBUG or TESTING:
    SECRET_KEY = os.environ.get("SECRET_KEY", "demo-only-secret-key-never-use-in-production")
elif os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set SECRET_KEY in the environment (production), or MAILLON_DEBUG=1 for development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PAYMENTS_SECRET_KEY = os.environ.get("PAYMENTS_SECRET_KEY", "")
HELLOASSO_API_URL = os.environ.get("HELLOASSO_API_URL", "https://api.helloasso.com").rstrip("/")
# Where HelloAsso's checkout pages are: the renewal form's redirect goes there, so the
# page's Content-Security-Policy form-action allows it.
HELLOASSO_CHECKOUT_ORIGIN = os.environ.get(
    "HELLOASSO_CHECKOUT_ORIGIN", "https://www.helloasso.com"
).rstrip("/")

INSTALLED_APPS = [
    "maillon.core.admin_site.MaillonAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "maillon.core",
    "maillon.accounts",
    "maillon.taxonomy",
    "maillon.associations",
    "maillon.members",
    "maillon.payments",
    "maillon.metrics",
    "maillon.strategy",
    "maillon.governance",
    "maillon.volunteering",
    "maillon.funding",
    "maillon.events",
    "maillon.communication",
    "maillon.observatory",
    "maillon.network",
    "maillon.api",
    "maillon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "maillon.core.outage.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "maillon.accounts.sessions.AuthenticationMiddleware",
    "maillon.core.middleware.LanguageMiddleware",
    "maillon.core.middleware.ControlCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maillon.members.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "maillon.urls"
WSGI_APPLICATION = "maillon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maillon" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "maillon.core.context_processors.maillon",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'maillon.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend with a health check that costs no round trip (it looks at the
    # connection's socket instead of sending SELECT 1 on every request): see
    # maillon/core/db/postgresql/base.py and docs/benchmarks.md.
    DATABASES["default"]["ENGINE"] = "maillon.core.db.postgresql"
    # Short OLTP queries: LLVM compilation (0.4 s on a deep page of a large register)
    # costs far more than it saves; so does starting parallel workers (12 ms to start
    # two for a 3 ms page of the role filter, on cores the other requests need). See
    # docs/benchmarks.md.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        _options.get("options", "") + " -c jit=off -c max_parallel_workers_per_gather=0"
    ).strip()
    # The hot statements (a vote's, the API token's, the caller's roles) go through
    # maillon.core.db.cursors.bound_cursor, which psycopg prepares after this many runs
    # on a connection; Django's other cursors never prepare. "off" for a pooler in
    # transaction mode that does not keep prepared statements (PgBouncer < 1.21).
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
    _options["prepare_threshold"] = None if _prepare in ("off", "") else int(_prepare)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Shared by every process (web workers, task worker): login lockouts and rate limits
    # must count across them (core/cache.py). The table is created by `migrate`.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "maillon_cache",
            # Public search pages are kept a minute (volunteering/missions/search_cache.py);
            # room enough that culling never forgets a lockout under ordinary load.
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    }
    # Django's database sessions, read with their user in one query (accounts/sessions.py).
    SESSION_ENGINE = "maillon.accounts.sessions"
if os.environ.get("MAILLON_CACHE", "") == "locmem":
    # One process only: production refuses it unless WEB_CONCURRENCY=1 (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

_tasks_backend = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend],
    }
}
if _tasks_backend == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# --- Authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, taking the user read with the session (accounts/sessions.py).
    "maillon.accounts.sessions.ModelBackend",
    "maillon.accounts.sessions.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me:home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillon] "
ACCOUNT_ADAPTER = "maillon.accounts.adapters.AccountAdapter"
# Brute-force protection: after 5 failed logins for one account within 15 minutes
# (or 20 from one address per 5 minutes) further attempts are refused.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/15m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    # Forms of visitors without an account that email an address they type
    # (core/ratelimit.py): per visitor's address and per target email, per hour.
    "mission_application": "10/h/ip,5/h/key",
    "event_registration": "20/h/ip,5/h/key",
    # Gifts online: each starts a checkout at HelloAsso for an email anyone types.
    "donation_checkout": "10/h/ip,5/h/key",
}
# Behind a reverse proxy the connection comes from the proxy: the client's address is
# the last one the proxy put in X-Forwarded-For. TRUSTED_PROXY_COUNT is the number of
# proxies of ours in front of the app: 1 in production (deploy/caddy/Caddyfile; gunicorn
# must then be reachable only through the proxy), 0 in development and tests or when
# clients reach gunicorn directly. The per-address limits count that address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "0" if DEBUG or TESTING else "1")
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# /admin/ has no login of its own (core/admin_site.py): staff sign in through allauth,
# and outside debug a staff account must have TOTP before it reaches the admin.
ADMIN_REQUIRE_TOTP = env_bool("ADMIN_REQUIRE_TOTP", not DEBUG)
MFA_TOTP_ISSUER = "Maillon"

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maillon" / "locale"]
# English dates read day/month/year (maillon/formats/en/formats.py).
FORMAT_MODULE_PATH = ["maillon.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Files only their association may download, through a view that checks who asks
    # (large member exports): never under MEDIA_URL, never served by the proxy.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maillon <noreply@maillon.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_url = os.environ.get("EMAIL_URL", "")
if _email_url:
    _parsed = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or 587
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    EMAIL_USE_TLS = _parsed.scheme in {"smtp", "submission"} and EMAIL_PORT != 465
    EMAIL_USE_SSL = _parsed.scheme == "smtps" or EMAIL_PORT == 465
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less hx-headers
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy on every response (django-csp; Django 5.2 has none of its
# own, and django-csp 4's settings are the shape Django 6 adopted): scripts and styles
# from our own static files only, no inline script, no style attribute, no eval, no
# framing (the missions' embed page relaxes frame-ancestors, the API docs img-src).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Powerful browser features Maillon never uses, refused to every page and frame
# (django-permissions-policy checks the feature names).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Maillon ------------------------------------------------------------------------------
# Imports bigger than this many rows run as a background task with a progress bar.
MEMBER_IMPORT_SYNC_MAX_ROWS = int(os.environ.get("MEMBER_IMPORT_SYNC_MAX_ROWS", "500"))
MEMBER_IMPORT_MAX_ROWS = int(os.environ.get("MEMBER_IMPORT_MAX_ROWS", "50000"))
# Exports of more people than this are prepared in the background, with a progress bar.
MEMBER_EXPORT_SYNC_MAX_ROWS = int(os.environ.get("MEMBER_EXPORT_SYNC_MAX_ROWS", "5000"))
MEMBERS_PER_PAGE = 50
# Observatory: a published figure needs at least this many associations behind it
# (k-anonymity, OBSERVATORY.md); a network's own observatory at least this many members.
OBSERVATORY_MIN_CELL = int(os.environ.get("OBSERVATORY_MIN_CELL", "5"))
OBSERVATORY_NETWORK_MINIMUM = int(os.environ.get("OBSERVATORY_NETWORK_MINIMUM", "10"))

"""(d) and (e): Maillon's own settings (MAILLON_DEBUG=0, full middleware stack,
CONN_MAX_AGE 60 with health checks), only the URLconf swapped for ``full_urls``."""

from maillon.settings import *  # noqa: F403

ROOT_URLCONF = "full_urls"

"""Django's PostgreSQL backend with a health check that costs no round trip
(``ENGINE = "maillon.core.db.postgresql"``, set in maillon/settings.py)."""

"""WSGI entry point of the Django variants: DJANGO_SETTINGS_MODULE is django_min (c)
or full_settings (d, e), set by run.sh."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

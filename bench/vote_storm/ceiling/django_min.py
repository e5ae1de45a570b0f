"""(c): settings AND URLconf of a Django with no app, no middleware, no database.

One view, ``POST /ceiling/c`` -> 200 ``{}`` (JsonResponse, csrf not involved).
"""

from django.http import JsonResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-only-secret-key-not-for-production"
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "django_min"
DATABASES: dict = {}
USE_TZ = True


def ping(request):
    return JsonResponse({})


urlpatterns = [path("ceiling/c", ping)]

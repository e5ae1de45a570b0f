"""(d) and (e): maillon.urls unchanged, plus two views appended at the end (so they
are resolved after every Maillon pattern, like the API):

``POST /ceiling/d``  does nothing, 200 ``{}``;
``POST /ceiling/e``  ONE ORM insert under a unique constraint:
                     ``bulk_create([Row(k=random)], ignore_conflicts=True)``, i.e.
                     ``INSERT ... ON CONFLICT DO NOTHING`` (autocommit, no
                     ATOMIC_REQUESTS), 200 ``{}``.

Both are ``csrf_exempt`` like the token-authenticated API. ``Row`` is an unmanaged model
on the table the run script creates (``ceiling_rows``, same shape as pgbench's).
"""

import random

from django.db import models
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from maillon.urls import urlpatterns as maillon_urlpatterns


class Row(models.Model):
    k = models.BigIntegerField(unique=True)

    class Meta:
        app_label = "vote_storm_ceiling"
        managed = False
        db_table = "ceiling_rows"

    def __str__(self) -> str:
        return str(self.k)


@csrf_exempt
def nothing(request):
    return JsonResponse({})


@csrf_exempt
def insert(request):
    Row.objects.bulk_create(
        [Row(k=random.randint(1, 9_000_000_000_000_000))], ignore_conflicts=True
    )
    return JsonResponse({})


urlpatterns = [
    *maillon_urlpatterns,
    path("ceiling/d", nothing),
    path("ceiling/e", insert),
]

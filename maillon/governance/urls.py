"""The governance pages, under /a/<association_slug>/governance/ (namespace
"governance"): each sub-package's ``urls.py`` holds its own patterns."""

from django.urls import include, path

from .assemblies import urls as assemblies
from .consultations import urls as consultations
from .minutes import urls as minutes
from .polls import urls as polls

app_name = "governance"
urlpatterns = [
    path("", include(assemblies.urlpatterns)),
    path("polls/", include(polls.urlpatterns)),
    path("consultations/", include(consultations.urlpatterns)),
    path("consultations/minutes/", include(minutes.urlpatterns)),
    path("consultations/cnil/", include(assemblies.cnil_urlpatterns)),
]

"""URLs of the volunteering module, composed from its sub-packages:

- ``urlpatterns``: the back-office, /a/<slug>/volunteering/... (namespace
  ``volunteering``);
- ``me_urlpatterns``: a volunteer's own space, /me/volunteering/... (namespace
  ``volunteer``): profile, suggestions, applications, hours;
- ``public_urlpatterns``: the public mission pages, /missions/... (namespace
  ``missions``): search, a mission's page, applying, a guest's application.

``maillon/urls.py`` mounts the three."""

from django.urls import include, path

from .applications import urls as applications
from .engagement import urls as engagement
from .hours import urls as hours
from .matching import urls as matching
from .missions import urls as missions
from .profiles import urls as profiles

app_name = "volunteering"
urlpatterns = [
    path("", include(missions.urlpatterns)),
    path("applications/", include(applications.urlpatterns)),
    path("", include(hours.urlpatterns)),
    path("", include(engagement.urlpatterns)),
    path("", include(matching.urlpatterns)),
]

me_urlpatterns = [
    path("", include(profiles.me_urlpatterns)),
    path("", include(matching.me_urlpatterns)),
    path("applications/", include(applications.me_urlpatterns)),
    path("hours/", include(hours.me_urlpatterns)),
]

public_urlpatterns = [
    path("", include(missions.public_urlpatterns)),
    path("", include(applications.public_urlpatterns)),
]

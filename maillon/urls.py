from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from maillon.api.api import api
from maillon.associations.urls import public_urlpatterns as association_public_urlpatterns
from maillon.members.urls import invitation_urlpatterns, linking_urlpatterns
from maillon.strategy import urls as strategy_urls
from maillon.views import home
from maillon.volunteering import urls as volunteering_urls

urlpatterns = [
    path("", home, name="home"),
    path("", include("maillon.core.urls")),
    path("associations/", include((association_public_urlpatterns, "associations"))),
    path("a/<slug:association_slug>/", include("maillon.associations.urls")),
    path("a/<slug:association_slug>/members/", include("maillon.members.urls")),
    path("a/<slug:association_slug>/strategy/", include("maillon.strategy.urls")),
    path("a/<slug:association_slug>/governance/", include("maillon.governance.urls")),
    path("a/<slug:association_slug>/volunteering/", include("maillon.volunteering.urls")),
    path("a/<slug:association_slug>/events/", include("maillon.events.urls")),
    path("a/<slug:association_slug>/news/", include("maillon.communication.urls")),
    path("missions/", include((volunteering_urls.public_urlpatterns, "missions"))),
    path("events/", include("maillon.events.public_urls")),
    path("news/", include("maillon.communication.public_urls")),
    path("diagnostic/", include((strategy_urls.public_urlpatterns, "diagnostic"))),
    path("invitations/", include((invitation_urlpatterns, "invitations"))),
    path("me/volunteering/", include((volunteering_urls.me_urlpatterns, "volunteer"))),
    path("me/links/", include((linking_urlpatterns, "links"))),
    path("me/", include("maillon.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("admin/", admin.site.urls),
]

# The database out of reach answers 503 with Retry-After, other errors 500.
handler500 = "maillon.core.outage.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from maillon.api.api import api
from maillon.associations.urls import public_urlpatterns as association_public_urlpatterns
from maillon.funding import urls as funding_urls
from maillon.members.urls import (
    fee_reminder_urlpatterns,
    invitation_urlpatterns,
    linking_urlpatterns,
)
from maillon.members.urls import me_urlpatterns as members_me_urlpatterns
from maillon.network import urls as network_urls
from maillon.network.help.sponsorship import urls as sponsorship_urls
from maillon.observatory import urls as observatory_urls
from maillon.payments import urls as payments_urls
from maillon.strategy import urls as strategy_urls
from maillon.views import home
from maillon.volunteering import urls as volunteering_urls

urlpatterns = [
    # The API first: its paths start with a prefix no page uses, and it is resolved on
    # every API request (twice: by the tenancy middleware, then by Django).
    path("api/v1/", api.urls),
    path("", home, name="home"),
    path("", include("maillon.core.urls")),
    path("associations/", include((association_public_urlpatterns, "associations"))),
    path("a/<slug:association_slug>/", include("maillon.associations.urls")),
    path("a/<slug:association_slug>/members/", include("maillon.members.urls")),
    path("a/<slug:association_slug>/strategy/", include("maillon.strategy.urls")),
    path("a/<slug:association_slug>/governance/", include("maillon.governance.urls")),
    path("a/<slug:association_slug>/volunteering/", include("maillon.volunteering.urls")),
    path("a/<slug:association_slug>/payments/", include("maillon.payments.urls")),
    path("a/<slug:association_slug>/events/", include("maillon.events.urls")),
    path("a/<slug:association_slug>/news/", include("maillon.communication.urls")),
    path("a/<slug:association_slug>/observatory/", include("maillon.observatory.urls")),
    path("a/<slug:association_slug>/funding/", include("maillon.funding.urls")),
    path(
        "a/<slug:association_slug>/networks/",
        include((network_urls.association_urlpatterns, "association_networks")),
    ),
    path(
        "a/<slug:association_slug>/practices/",
        include((network_urls.practice_association_urlpatterns, "practices_backoffice")),
    ),
    path(
        "a/<slug:association_slug>/resources/",
        include((network_urls.pooling_urlpatterns, "pooling")),
    ),
    path(
        "a/<slug:association_slug>/help/",
        include((network_urls.help_urlpatterns, "help_requests")),
    ),
    path(
        "a/<slug:association_slug>/help/engagements/",
        include((network_urls.engagement_urlpatterns, "engagements")),
    ),
    path(
        "a/<slug:association_slug>/sponsorship/",
        include((sponsorship_urls.association_urlpatterns, "sponsorship")),
    ),
    path("n/<slug:network_slug>/", include("maillon.network.urls")),
    path("practices/", include((network_urls.practice_public_urlpatterns, "practices"))),
    path("networks/", include((network_urls.public_urlpatterns, "networks"))),
    path("companies/", include((network_urls.company_urlpatterns, "companies"))),
    path(
        "companies/<slug:company_slug>/help/",
        include((network_urls.company_help_urlpatterns, "company_help")),
    ),
    path("help/", include((network_urls.help_public_urlpatterns, "help"))),
    path(
        "companies/<slug:company_slug>/sponsorship/",
        include((sponsorship_urls.company_urlpatterns, "company_sponsorship")),
    ),
    path("sponsorship/", include((sponsorship_urls.link_urlpatterns, "sponsorship_link"))),
    path("missions/", include((volunteering_urls.public_urlpatterns, "missions"))),
    path("events/", include("maillon.events.public_urls")),
    path("news/", include("maillon.communication.public_urls")),
    path("diagnostic/", include((strategy_urls.public_urlpatterns, "diagnostic"))),
    path("observatory/", include((observatory_urls.public_urlpatterns, "observatory"))),
    path("invitations/", include((invitation_urlpatterns, "invitations"))),
    path("fees/reminders/", include((fee_reminder_urlpatterns, "fee_reminders"))),
    path("me/a/<slug:association_slug>/", include((members_me_urlpatterns, "my"))),
    path(
        "me/a/<slug:association_slug>/pay/",
        include((payments_urls.me_urlpatterns, "my_payments")),
    ),
    path("payments/", include((payments_urls.public_urlpatterns, "payment_notifications"))),
    path("", include((funding_urls.public_urlpatterns, "funding_public"))),
    path(
        "me/volunteering/help-requests/",
        include((network_urls.help_for_volunteer_urlpatterns, "help_for_volunteer")),
    ),
    path("me/volunteering/", include((volunteering_urls.me_urlpatterns, "volunteer"))),
    path("me/funding/", include((funding_urls.me_urlpatterns, "my_funding"))),
    path("me/links/", include((linking_urlpatterns, "links"))),
    path("me/help/", include((network_urls.my_help_urlpatterns, "my_help"))),
    path("me/", include("maillon.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("admin/", admin.site.urls),
]

# The database out of reach answers 503 with Retry-After, other errors 500.
handler500 = "maillon.core.outage.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

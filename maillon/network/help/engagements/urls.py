"""URLs of engagements, mounted by ``maillon/urls.py`` and ``maillon/network/urls.py``."""

from django.urls import path

from . import views

# Under /a/<slug>/help/engagements/ (namespace "engagements").
association_urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("<int:engagement_id>/", views.engagement_detail, name="detail"),
    path("<int:engagement_id>/document/", views.engagement_document, name="document"),
    path("<int:engagement_id>/<slug:step>/", views.engagement_step, name="step"),
]

# Under /help/ (namespace "help"): the public pages of open requests.
public_urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:help_request_id>/", views.public_detail, name="detail"),
]

# Under /me/help/ (namespace "my_help"): a skills volunteer's offers.
me_urlpatterns = [
    path("", views.my_engagements, name="list"),
    path("<int:engagement_id>/", views.my_engagement, name="engagement"),
    path("<int:engagement_id>/document/", views.my_engagement_document, name="document"),
    path("<int:engagement_id>/<slug:step>/", views.my_engagement_step, name="step"),
]

# Under /companies/<company_slug>/help/ (namespace "company_help").
company_urlpatterns = [
    path("", views.company_engagements, name="list"),
    path("requests/<int:help_request_id>/offer/", views.company_offer, name="offer"),
    path("<int:engagement_id>/", views.company_engagement, name="engagement"),
    path("<int:engagement_id>/document/", views.company_engagement_document, name="document"),
    path("<int:engagement_id>/<slug:step>/", views.company_engagement_step, name="step"),
]

# Under /n/<network_slug>/ (namespace "network").
network_urlpatterns = [
    path("help/", views.network_help, name="help"),
    path("help/requests/<int:help_request_id>/offer/", views.network_offer, name="help_offer"),
    path("help/engagements/<int:engagement_id>/", views.network_engagement, name="help_engagement"),
    path(
        "help/engagements/<int:engagement_id>/document/",
        views.network_engagement_document,
        name="help_document",
    ),
    path(
        "help/engagements/<int:engagement_id>/<slug:step>/",
        views.network_engagement_step,
        name="help_step",
    ),
]

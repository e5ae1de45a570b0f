from django.urls import path

from . import views

# Under /give/ (namespace "funding_public"), beside the campaign pages.
public_urlpatterns = [
    path("<slug:slug>/", views.give, name="give"),
    path("<slug:slug>/thanks/<str:token>/", views.give_thanks, name="give_thanks"),
    path(
        "<slug:slug>/<slug:campaign_slug>/give/",
        views.give_to_campaign,
        name="give_to_campaign",
    ),
]

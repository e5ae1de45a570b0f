"""Public pages of events, under ``/events/`` (namespace "public_events"). No URL
here carries ``association_slug``: that name would open the back-office."""

from django.urls import path

from . import public_views as views

app_name = "public_events"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("all.ics", views.network_ics, name="network_ics"),
    path("a/<slug:slug>.ics", views.association_ics, name="association_ics"),
    path("me/<slug:token>.ics", views.my_ics, name="my_ics"),
    path("mine/", views.my_events, name="mine"),
    path("mine/feed/renew/", views.my_feed_renew, name="my_feed_renew"),
    path(
        "mine/<int:registration_id>/cancel/",
        views.my_registration_cancel,
        name="my_registration_cancel",
    ),
    path("campaigns/<slug:slug>/", views.campaign_page, name="campaign"),
    path("campaigns/<slug:slug>.ics", views.campaign_ics, name="campaign_ics"),
    path("r/<slug:token>/", views.registration_page, name="registration"),
    path("r/<slug:token>/confirm/", views.registration_confirm, name="registration_confirm"),
    path("r/<slug:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<int:event_id>/", views.event_page, name="event"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/event.ics", views.event_ics_view, name="event_ics"),
]

# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import application_views as views

urlpatterns = [
    path("<int:mission_id>/apply/", views.apply, name="apply"),
    path("applications/check-email/", views.check_email, name="application_check_email"),
    path("applications/<str:token>/", views.guest_thread, name="application_thread"),
    path("applications/<str:token>/confirm/", views.guest_confirm, name="application_confirm"),
    path("applications/<str:token>/reply/", views.guest_reply, name="application_guest_reply"),
    path(
        "applications/<str:token>/withdraw/",
        views.guest_withdraw,
        name="application_guest_withdraw",
    ),
]

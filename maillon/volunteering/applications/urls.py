"""URLs of applications: the back-office (``urlpatterns``, under
/a/<slug>/volunteering/applications/), the candidate's own applications
(``me_urlpatterns``, under /me/volunteering/applications/) and applying, with the
guest's secret links (``public_urlpatterns``, under /missions/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.application_list_view, name="applications"),
    path("<int:application_id>/", views.application_detail, name="application_detail"),
    path("<int:application_id>/reply/", views.application_reply, name="application_reply"),
    path("<int:application_id>/status/", views.application_status, name="application_status"),
]

me_urlpatterns = [
    path("", views.my_application_list, name="applications"),
    path("<int:application_id>/", views.my_application_detail, name="application_detail"),
    path("<int:application_id>/reply/", views.my_application_reply, name="application_reply"),
    path(
        "<int:application_id>/withdraw/",
        views.my_application_withdraw,
        name="application_withdraw",
    ),
]

public_urlpatterns = [
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

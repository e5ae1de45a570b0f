"""URLs of volunteer hours: the back-office (``urlpatterns``, under
/a/<slug>/volunteering/: a volunteer's own hours, the managers' list and validation,
certificates, the valuation) and the volunteer's hours across their associations
(``me_urlpatterns``, under /me/volunteering/hours/)."""

from django.urls import path

from . import views

urlpatterns = [
    # A volunteer's own hours.
    path("my-hours/", views.my_hours, name="my_hours"),
    path("my-hours/<int:hours_id>/edit/", views.my_hours_edit, name="my_hours_edit"),
    path("my-hours/<int:hours_id>/delete/", views.my_hours_delete, name="my_hours_delete"),
    # Managers: every volunteer's hours, validation, certificates.
    path("hours/", views.hours_list, name="hours"),
    path("hours/new/", views.hours_log, name="hours_log"),
    path("hours/decide/", views.hours_decide, name="hours_decide"),
    path("hours/<int:hours_id>/edit/", views.hours_edit, name="hours_edit"),
    path("hours/certificate/<int:person_id>/", views.certificate, name="hours_certificate"),
    # Valuation of volunteer time.
    path("valuation/", views.valuation, name="valuation"),
    path(
        "valuation/export/<str:what>/<str:file_format>/",
        views.valuation_export,
        name="valuation_export",
    ),
    path("valuation/settings/", views.volunteering_settings, name="volunteering_settings"),
    path("valuation/rates/", views.yearly_rate_set, name="yearly_rate_set"),
    path(
        "valuation/rates/<int:rate_id>/remove/",
        views.yearly_rate_remove,
        name="yearly_rate_remove",
    ),
]

me_urlpatterns = [
    path("", views.me_hours, name="hours"),
    path("<slug:slug>/certificate/", views.me_certificate, name="hours_certificate"),
]

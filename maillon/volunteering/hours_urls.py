# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import engagement_views, hours_views

urlpatterns = [
    # A volunteer's own hours.
    path("my-hours/", hours_views.my_hours, name="my_hours"),
    path("my-hours/<int:hours_id>/edit/", hours_views.my_hours_edit, name="my_hours_edit"),
    path("my-hours/<int:hours_id>/delete/", hours_views.my_hours_delete, name="my_hours_delete"),
    # Managers: every volunteer's hours, validation, certificates.
    path("hours/", hours_views.hours_list, name="hours"),
    path("hours/new/", hours_views.hours_log, name="hours_log"),
    path("hours/decide/", hours_views.hours_decide, name="hours_decide"),
    path("hours/<int:hours_id>/edit/", hours_views.hours_edit, name="hours_edit"),
    path("hours/certificate/<int:person_id>/", hours_views.certificate, name="hours_certificate"),
    # Valuation of volunteer time.
    path("valuation/", hours_views.valuation, name="valuation"),
    path(
        "valuation/export/<str:what>/<str:file_format>/",
        hours_views.valuation_export,
        name="valuation_export",
    ),
    path("valuation/settings/", hours_views.volunteering_settings, name="volunteering_settings"),
    path("valuation/rates/", hours_views.yearly_rate_set, name="yearly_rate_set"),
    path(
        "valuation/rates/<int:rate_id>/remove/",
        hours_views.yearly_rate_remove,
        name="yearly_rate_remove",
    ),
    # Engagement dashboard.
    path("dashboard/", engagement_views.dashboard, name="dashboard"),
]

"""Action plan, indicators, evaluation and strategy document, under
``/a/<association_slug>/strategy/`` (namespace "strategy", see ``strategy/urls.py``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/adopt/", views.action_adopt, name="action_adopt"),
    path("plan/new/", views.action_create, name="action_create"),
    path("plan/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("plan/<int:action_id>/status/", views.action_status, name="action_status"),
    path(
        "plan/<int:action_id>/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path("plan/indicators/refresh/", views.indicators_refresh, name="indicators_refresh"),
    path(
        "plan/indicators/<int:indicator_id>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "plan/indicators/<int:indicator_id>/edit/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "plan/indicators/<int:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "plan/indicators/<int:indicator_id>/measurements/new/",
        views.measurement_add,
        name="measurement_add",
    ),
    path(
        "plan/indicators/<int:indicator_id>/measurements/<int:measurement_id>/delete/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("document.pdf", views.document, name="document"),
]

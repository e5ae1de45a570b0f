"""Pages of the self-diagnostic.

``urlpatterns``: the association's diagnostics, under ``/a/<association_slug>/strategy/``
(namespace "strategy", see ``strategy/urls.py``).

``public_urlpatterns``: the diagnostic without an account, under ``/diagnostic/``
(namespace "diagnostic"). The link (its token) is the only key to the answers."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.diagnostic_start, name="diagnostic_start"),
    path("compare/", views.compare, name="compare"),
    path("<int:diagnostic_id>/", views.diagnostic_summary, name="diagnostic"),
    path("<int:diagnostic_id>/results/", views.results, name="results"),
    path("<int:diagnostic_id>/complete/", views.diagnostic_complete, name="diagnostic_complete"),
    path("<int:diagnostic_id>/<str:section>/", views.diagnostic_section, name="diagnostic_section"),
]

public_urlpatterns = [
    path("", views.public_start, name="start"),
    path("<str:token>/", views.public_summary, name="summary"),
    path("<str:token>/results/", views.public_results, name="results"),
    path("<str:token>/complete/", views.public_complete, name="complete"),
    path("<str:token>/attach/", views.public_attach, name="attach"),
    path("<str:token>/<str:section>/", views.public_section, name="section"),
]

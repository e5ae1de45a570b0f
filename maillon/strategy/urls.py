"""Back-office of the digital strategy: ``/a/<association_slug>/strategy/``. The
diagnostic's pages are here; the action plan and evaluation come from ``plan_urls``."""

from django.urls import include, path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.diagnostic_start, name="diagnostic_start"),
    path("compare/", views.compare, name="compare"),
    path("<int:diagnostic_id>/", views.diagnostic_summary, name="diagnostic"),
    path("<int:diagnostic_id>/results/", views.results, name="results"),
    path("<int:diagnostic_id>/complete/", views.diagnostic_complete, name="diagnostic_complete"),
    path("<int:diagnostic_id>/<str:section>/", views.diagnostic_section, name="diagnostic_section"),
    path("", include("maillon.strategy.plan_urls")),
]

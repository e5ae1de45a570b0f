"""The self-diagnostic without an account: ``/diagnostic/``. The link (its token)
is the only key to the answers."""

from django.urls import path

from . import views

app_name = "diagnostic"
urlpatterns = [
    path("", views.public_start, name="start"),
    path("<str:token>/", views.public_summary, name="summary"),
    path("<str:token>/results/", views.public_results, name="results"),
    path("<str:token>/complete/", views.public_complete, name="complete"),
    path("<str:token>/attach/", views.public_attach, name="attach"),
    path("<str:token>/<str:section>/", views.public_section, name="section"),
]

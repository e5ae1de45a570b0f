from django.urls import path

from . import views

urlpatterns = [
    path("reconcile/", views.reconcile, name="reconcile"),
    path("reconcile/pull/", views.pull, name="reconcile_pull"),
    path("reconcile/import/", views.reconcile_import, name="reconcile_import"),
    path("reconcile/<int:order_id>/", views.reconcile_match, name="reconcile_match"),
]

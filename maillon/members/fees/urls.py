from django.urls import path

from . import views

urlpatterns = [
    path("<int:person_id>/fees/new/", views.fee_add, name="fee_add"),
    path("<int:person_id>/fees/<int:period_id>/delete/", views.fee_delete, name="fee_delete"),
]
